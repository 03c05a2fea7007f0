//! The registry's services: the list with its search, the form that adds one (names,
//! provider, term variants, channels, the information systems it depends on), and one
//! service's page with its variants, the history of its terms, the form that adds a version
//! of them (its effective date and legal basis) and the form that edits the service
//! (`service_edit`) — through `app::registry::services`.

use super::organizations::{options, tree, OrgOption};
use super::{is_for_the_form, store_error, FormErrors, Pairs, SearchQuery, ADMINS};
use crate::app::registry::organizations::Names;
use crate::app::registry::services::{
    add_service, change_service_terms, provider_fixed, search, terms_history, ChangeTermsRequest,
    NewServiceRequest, TermView,
};
use crate::state::AppState;
use crate::web::session::Staff;
use crate::web::{format, localized, render, render_status, see_other, system_names, Ui, WebError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use qyzmet_domain::ids::ServiceCode;
use qyzmet_domain::TermUnit;
use qyzmet_store::{Channel, Service};
use serde::Deserialize;

/// Rows of term variants a form offers beyond those it has.
const SPARE_ROWS: usize = 2;
/// At most this many rows are read from a form.
const MAX_ROWS: usize = 50;

pub struct ServiceLine {
    pub code: String,
    pub name: String,
    pub provider: String,
    pub terms: String,
    pub channels: String,
    pub depends_on: String,
}

/// One row of term variants in a form.
#[derive(Debug, Clone, Default)]
pub struct TermRow {
    pub index: usize,
    pub variant: String,
    pub amount: String,
    pub unit: String,
}

/// A choice among checkboxes.
pub struct Choice {
    pub value: String,
    pub text: String,
    pub checked: bool,
}

/// The new service form, as sent and re-shown.
#[derive(Debug, Default)]
pub struct NewServiceForm {
    pub code: String,
    pub organization: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub rows: Vec<TermRow>,
    pub acceptance_day_counted: bool,
    pub channels: Vec<String>,
    pub depends_on: Vec<String>,
}

fn units(ui: &Ui) -> Vec<(&'static str, String)> {
    TermUnit::ALL
        .into_iter()
        .map(|u| (u.as_str(), ui.term("unit", u.as_str())))
        .collect()
}

fn blank_rows(from: usize, n: usize) -> Vec<TermRow> {
    (from..from + n)
        .map(|index| TermRow {
            index,
            unit: TermUnit::WorkingDays.as_str().into(),
            ..Default::default()
        })
        .collect()
}

/// The rows of term variants a form sent (`variant-N`, `amount-N`, `unit-N`), in order.
fn rows_of(p: &Pairs) -> Vec<TermRow> {
    (0..MAX_ROWS)
        .filter(|i| p.has(&format!("variant-{i}")) || p.has(&format!("amount-{i}")))
        .map(|index| TermRow {
            index,
            variant: p.one(&format!("variant-{index}")),
            amount: p.one(&format!("amount-{index}")),
            unit: p.one(&format!("unit-{index}")),
        })
        .collect()
}

/// The filled rows as the API's variants, and for each the row it came from (to show an
/// error at its row). An amount that is not a whole number goes as 0, which the API's own
/// validation refuses with the rule (1 to the unit's maximum).
fn terms_of(rows: &[TermRow]) -> (Vec<TermView>, Vec<usize>) {
    rows.iter()
        .filter(|r| !r.variant.trim().is_empty() || !r.amount.trim().is_empty())
        .map(|r| {
            (
                TermView {
                    variant: r.variant.trim().to_string(),
                    amount: r.amount.trim().parse().unwrap_or(0),
                    unit: r.unit.trim().to_string(),
                    // The store keeps the names of the variants the form keeps.
                    name: None,
                },
                r.index,
            )
        })
        .unzip()
}

/// The form field of an API field about the terms: `terms[2].amount` → `amount-<row>`.
fn term_field(api: &str, used: &[usize]) -> Option<(String, &'static str)> {
    if api == "terms" {
        return Some(("terms".into(), "col-terms"));
    }
    let rest = api.strip_prefix("terms[")?;
    let (i, part) = rest.split_once("].")?;
    let row = used.get(i.parse::<usize>().ok()?)?;
    let label = match part {
        "variant" => "term-variant",
        "amount" => "term-amount",
        "unit" => "term-unit",
        _ => return None,
    };
    Some((format!("{part}-{row}"), label))
}

#[derive(Template)]
#[template(path = "admin/services.html")]
struct ServicesPage {
    ui: Ui,
    lines: Vec<ServiceLine>,
    providers: Vec<OrgOption>,
    units: Vec<(&'static str, String)>,
    channels: Vec<Choice>,
    systems: Vec<Choice>,
    form: NewServiceForm,
    errors: FormErrors,
    /// The search as typed, and how many it found (`None` without a search).
    q: String,
    found: Option<usize>,
}

async fn all_services(state: &AppState, ui: &Ui) -> Result<Vec<Service>, WebError> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = state
            .store
            .services(None, after, 500)
            .await
            .map_err(store_error(ui))?;
        let full = page.len() == 500;
        let Some(last) = page.last() else { break };
        after = last.id;
        out.extend(page);
        if !full {
            break;
        }
    }
    Ok(out)
}

fn terms_text(ui: &Ui, terms: &[qyzmet_store::TermVariant]) -> String {
    terms
        .iter()
        .map(|t| {
            format!(
                "{}: {} {}",
                t.name_in(ui.lang.code()),
                t.term.amount,
                ui.term("unit", t.term.unit.as_str())
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

async fn list_page(
    state: &AppState,
    ui: Ui,
    q: &str,
    form: NewServiceForm,
    errors: FormErrors,
) -> Result<ServicesPage, WebError> {
    let registry = state
        .store
        .information_systems()
        .await
        .map_err(store_error(&ui))?;
    let q = q.trim();
    let shown = if q.is_empty() {
        all_services(state, &ui).await?
    } else {
        search(state, q)
            .await
            .map_err(|e| WebError::from_app(&ui, e))?
    };
    let found = (!q.is_empty()).then_some(shown.len());
    let lines = shown
        .iter()
        .map(|s| ServiceLine {
            code: s.code.to_string(),
            name: localized(ui.lang, &s.name),
            provider: s.organization_code.to_string(),
            terms: terms_text(&ui, &s.terms),
            channels: s
                .channels
                .iter()
                .map(|c| ui.term("channel", c.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            depends_on: system_names(ui.lang, &registry, &s.depends_on),
        })
        .collect();
    let orgs = tree(state, &ui).await?;
    let channels = channel_choices(&ui, &form.channels);
    let systems = system_choices(&ui, registry, &form.depends_on);
    Ok(ServicesPage {
        q: q.to_string(),
        found,
        lines,
        providers: options(&ui, &orgs),
        units: units(&ui),
        channels,
        systems,
        form,
        errors,
        ui,
    })
}

/// The channels as checkboxes, those of `checked` ticked.
pub fn channel_choices(ui: &Ui, checked: &[String]) -> Vec<Choice> {
    Channel::ALL
        .iter()
        .map(|c| Choice {
            value: c.as_str().into(),
            text: ui.term("channel", c.as_str()),
            checked: checked.iter().any(|f| f == c.as_str()),
        })
        .collect()
}

/// The registered information systems as checkboxes, those of `checked` ticked.
pub fn system_choices(
    ui: &Ui,
    registry: Vec<qyzmet_store::InformationSystem>,
    checked: &[String],
) -> Vec<Choice> {
    registry
        .into_iter()
        .map(|s| Choice {
            checked: checked.contains(&s.code),
            text: localized(ui.lang, &s.name),
            value: s.code,
        })
        .collect()
}

/// `GET /admin/services?q=`: every service, or those whose code or name in any language
/// contains `q`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(lq): Query<SearchQuery>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let mut rows = blank_rows(0, 3);
    rows[0].variant = "standard".into();
    let form = NewServiceForm {
        rows,
        channels: Channel::ALL.iter().map(|c| c.as_str().into()).collect(),
        ..Default::default()
    };
    let page = list_page(&state, staff.ui, &lq.q, form, FormErrors::default()).await?;
    Ok(render(&page))
}

/// `POST /admin/services`: adds a service with its first version of terms.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let p = Pairs::new(pairs);
    staff.check_csrf(&p.one("csrf"))?;
    let ui = staff.ui.clone();
    let mut form = NewServiceForm {
        code: p.one("code"),
        organization: p.one("organization"),
        name_kk: p.one("name_kk"),
        name_ru: p.one("name_ru"),
        name_en: p.one("name_en"),
        rows: rows_of(&p),
        acceptance_day_counted: p.has("acceptance_day_counted"),
        channels: p.all("channels"),
        depends_on: p.all("depends_on"),
    };
    let (terms, used) = terms_of(&form.rows);
    let req = NewServiceRequest {
        code: form.code.clone(),
        organization: form.organization.clone(),
        name: Names {
            kk: form.name_kk.clone(),
            ru: form.name_ru.clone(),
            en: form.name_en.clone(),
        },
        terms,
        acceptance_day_counted: form.acceptance_day_counted,
        channels: form.channels.clone(),
        depends_on: form.depends_on.clone(),
    };
    match add_service(&state, &staff.caller, &req).await {
        Ok(s) => Ok(see_other(&format!("/admin/services/{}?created=1", s.code))),
        Err(e) if is_for_the_form(&e) => {
            let errors = FormErrors::from_app(&ui, &e, |f| {
                let label = match f {
                    "code" => "col-code",
                    "organization" => "col-provider",
                    "name.kk" => "name-kk",
                    "name.ru" => "name-ru",
                    "name.en" => "name-en",
                    f if f == "depends_on" || f.starts_with("depends_on[") => {
                        return Some(("depends_on".into(), "col-depends-on"));
                    }
                    f if f == "channels" || f.starts_with("channels[") => {
                        return Some(("channels".into(), "col-channels"));
                    }
                    f => return term_field(f, &used),
                };
                Some((f.replace('.', "_"), label))
            });
            if form.rows.is_empty() {
                form.rows = blank_rows(0, 1);
            }
            let page = list_page(&state, ui, "", form, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(WebError::from_app(&ui, e)),
    }
}

pub struct Fact {
    pub label: String,
    pub value: String,
}

pub struct VariantLine {
    pub variant: String,
    /// Its name in the reader's language (its code when it has none).
    pub name: String,
    pub amount: u32,
    pub unit: String,
    pub default: bool,
}

/// The edit form of a service, as stored or as sent.
#[derive(Debug, Default, Clone)]
pub struct EditServiceForm {
    pub revision: String,
    pub organization: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub channels: Vec<String>,
    pub depends_on: Vec<String>,
}

impl EditServiceForm {
    /// The form filled with the service as stored.
    pub fn of(s: &Service) -> Self {
        EditServiceForm {
            revision: s.revision.to_string(),
            organization: s.organization_code.to_string(),
            name_kk: s.name.kk.clone(),
            name_ru: s.name.ru.clone(),
            name_en: s.name.en.clone(),
            channels: s.channels.iter().map(|c| c.as_str().to_string()).collect(),
            depends_on: s.depends_on.clone(),
        }
    }
}

/// One version in the history of a service's terms.
pub struct HistoryLine {
    pub version: i64,
    pub effective_from: String,
    pub legal_basis: String,
    pub terms: String,
    /// `in-force`, `pending` (dated ahead) or `earlier`.
    pub status: &'static str,
}

/// What a form of the service's page sent, re-shown with its errors; the other forms show
/// the stored values.
#[derive(Default)]
pub struct Sent {
    /// The terms form: its rows, effective date and legal basis.
    pub terms: Option<(Vec<TermRow>, String, String)>,
    pub terms_errors: FormErrors,
    pub edit: Option<EditServiceForm>,
    pub edit_errors: FormErrors,
}

#[derive(Template)]
#[template(path = "admin/service.html")]
pub struct ServicePage {
    ui: Ui,
    code: String,
    name: String,
    facts: Vec<Fact>,
    variants: Vec<VariantLine>,
    version: i64,
    units: Vec<(&'static str, String)>,
    rows: Vec<TermRow>,
    effective_from: String,
    legal_basis: String,
    errors: FormErrors,
    pub notice: Option<String>,
    history: Vec<HistoryLine>,
    edit: EditServiceForm,
    edit_errors: FormErrors,
    providers: Vec<OrgOption>,
    provider_fixed: bool,
    channels: Vec<Choice>,
    systems: Vec<Choice>,
}

pub async fn service_page(
    state: &AppState,
    ui: Ui,
    code: &str,
    sent: Sent,
) -> Result<ServicePage, WebError> {
    let not_found = || WebError::NotFound(Box::new(ui.clone()));
    let code = ServiceCode::parse(code.trim()).map_err(|_| not_found())?;
    let s = state
        .store
        .service(&code)
        .await
        .map_err(store_error(&ui))?
        .ok_or_else(not_found)?;
    let registry = state
        .store
        .information_systems()
        .await
        .map_err(store_error(&ui))?;
    let yes_no = |b: bool| ui.t(if b { "yes" } else { "no" });
    let facts = vec![
        Fact {
            label: ui.t("col-code"),
            value: s.code.to_string(),
        },
        Fact {
            label: ui.t("col-provider"),
            value: s.organization_code.to_string(),
        },
        Fact {
            label: ui.t("name-kk"),
            value: s.name.kk.clone(),
        },
        Fact {
            label: ui.t("name-ru"),
            value: s.name.ru.clone(),
        },
        Fact {
            label: ui.t("name-en"),
            value: s.name.en.clone(),
        },
        Fact {
            label: ui.t("service-acceptance-day-counted"),
            value: yes_no(s.acceptance_day_counted),
        },
        Fact {
            label: ui.t("col-channels"),
            value: s
                .channels
                .iter()
                .map(|c| ui.term("channel", c.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
        },
        Fact {
            label: ui.t("col-depends-on"),
            value: if s.depends_on.is_empty() {
                "—".into()
            } else {
                system_names(ui.lang, &registry, &s.depends_on)
            },
        },
        Fact {
            label: ui.t("service-updated"),
            value: format::datetime(ui.lang, s.updated_at),
        },
    ];
    let variants = s
        .terms
        .iter()
        .enumerate()
        .map(|(i, t)| VariantLine {
            variant: t.variant.clone(),
            name: t.name_in(ui.lang.code()).to_string(),
            amount: t.term.amount,
            unit: ui.term("unit", t.term.unit.as_str()),
            default: i == 0,
        })
        .collect();
    let (rows, effective_from, legal_basis) = sent.terms.unwrap_or_else(|| {
        let mut rows: Vec<TermRow> = s
            .terms
            .iter()
            .enumerate()
            .map(|(index, t)| TermRow {
                index,
                variant: t.variant.clone(),
                amount: t.term.amount.to_string(),
                unit: t.term.unit.as_str().into(),
            })
            .collect();
        rows.extend(blank_rows(rows.len(), SPARE_ROWS));
        (rows, String::new(), String::new())
    });
    let history = terms_history(state, code.as_ref())
        .await
        .map_err(|e| WebError::from_app(&ui, e))?
        .iter()
        .map(|v| HistoryLine {
            version: v.version,
            effective_from: format::date(ui.lang, v.effective_from),
            legal_basis: v.legal_basis.clone(),
            terms: terms_text(&ui, &v.terms),
            status: match v.version.cmp(&s.terms_version) {
                std::cmp::Ordering::Greater => "pending",
                std::cmp::Ordering::Equal => "in-force",
                std::cmp::Ordering::Less => "earlier",
            },
        })
        .collect();
    let edit = sent.edit.unwrap_or_else(|| EditServiceForm::of(&s));
    let orgs = tree(state, &ui).await?;
    Ok(ServicePage {
        provider_fixed: provider_fixed(state, &s)
            .await
            .map_err(|e| WebError::from_app(&ui, e))?,
        providers: options(&ui, &orgs),
        channels: channel_choices(&ui, &edit.channels),
        systems: system_choices(&ui, registry, &edit.depends_on),
        edit,
        edit_errors: sent.edit_errors,
        code: s.code.to_string(),
        name: localized(ui.lang, &s.name),
        facts,
        variants,
        version: s.terms_version,
        units: units(&ui),
        rows,
        effective_from,
        legal_basis,
        errors: sent.terms_errors,
        notice: None,
        history,
        ui,
    })
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    created: Option<String>,
    changed: Option<String>,
    edited: Option<String>,
}

/// `GET /admin/services/{code}`: the service and its current variants.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let ui = staff.ui.clone();
    let mut page = service_page(&state, staff.ui, &code, Sent::default()).await?;
    page.notice = if q.created.is_some() {
        Some(ui.t("service-created"))
    } else if q.changed.is_some() {
        Some(ui.t("service-terms-changed"))
    } else if q.edited.is_some() {
        Some(ui.t("service-edited"))
    } else {
        None
    };
    Ok(render(&page))
}

/// `POST /admin/services/{code}/terms`: a new version of the variants; applications already
/// registered keep theirs.
pub async fn change_terms(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let p = Pairs::new(pairs);
    staff.check_csrf(&p.one("csrf"))?;
    let ui = staff.ui.clone();
    let mut rows = rows_of(&p);
    let (terms, used) = terms_of(&rows);
    let req = ChangeTermsRequest {
        terms,
        effective_from: Some(p.one("effective_from")).filter(|d| !d.trim().is_empty()),
        legal_basis: p.one("legal_basis"),
    };
    match change_service_terms(&state, &staff.caller, &code, &req).await {
        Ok(s) => Ok(see_other(&format!("/admin/services/{}?changed=1", s.code))),
        Err(e) if is_for_the_form(&e) => {
            let errors = FormErrors::from_app(&ui, &e, |f| match f {
                "effective_from" => Some((f.into(), "service-effective-from")),
                "legal_basis" => Some((f.into(), "service-legal-basis")),
                f => term_field(f, &used),
            });
            if rows.is_empty() {
                rows = blank_rows(0, 1);
            }
            let sent = Sent {
                terms: Some((
                    rows,
                    req.effective_from.unwrap_or_default(),
                    req.legal_basis,
                )),
                terms_errors: errors,
                ..Default::default()
            };
            let page = service_page(&state, ui, &code, sent).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(WebError::from_app(&ui, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(index: usize, variant: &str, amount: &str) -> TermRow {
        TermRow {
            index,
            variant: variant.into(),
            amount: amount.into(),
            unit: "working_days".into(),
        }
    }

    #[test]
    fn blank_rows_are_skipped_and_errors_find_their_row() {
        let rows = [row(0, "standard", "5"), row(1, "", ""), row(2, "long", "x")];
        let (terms, used) = terms_of(&rows);
        assert_eq!(terms.len(), 2);
        assert_eq!(used, vec![0, 2]);
        assert_eq!(
            terms[1].amount, 0,
            "not a number goes as 0, refused by the API"
        );
        assert_eq!(
            term_field("terms[1].amount", &used),
            Some(("amount-2".into(), "term-amount"))
        );
        assert_eq!(
            term_field("terms", &used),
            Some(("terms".into(), "col-terms"))
        );
        assert_eq!(term_field("terms[5].amount", &used), None);
    }
}
