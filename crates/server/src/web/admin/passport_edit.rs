//! The passport editor on the administrator's pages (issue 17, point 2; 003 §1–26):
//! `/admin/services/{code}/passport/edit` shows every field of the passport as form controls
//! — texts in Kazakh, Russian and English side by side, choices, numbers, repeating groups
//! with "add" buttons and "remove" boxes that work without a script — starting from the
//! draft, else the newest published edition, else nothing; and saves it as the draft through
//! `app::registry::passports::save_draft` (valid, audited, refused on a stale revision).
//!
//! Nothing is saved while the form has a problem at the draft's rule
//! ([`Strictness::Draft`]): every problem is listed above the form, linked to its control,
//! and said again beside it (the GOV.UK pattern), with what was typed kept. The form model
//! (controls ↔ passport) is `passport_form`.

use super::passport_form::{name_of, PassportForm, Sent};
use super::{is_for_the_form, ADMINS};
use crate::app::registry::passports::{self as uc, DraftRequest};
use crate::app::AppError;
use crate::state::AppState;
use crate::web::session::Staff;
use crate::web::{localized, render_status, see_other, Ui, WebError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use qyzmet_domain::passport::{
    Automation, Day, Delivery, DocumentForm, LifeSituation, ResultForm, Strictness, TermStart,
    PLACEHOLDERS,
};
use qyzmet_domain::stage::Stage;
use qyzmet_store::PassportState;

/// The problems of a form, each at its control's path, in the page's language.
#[derive(Debug, Default)]
pub struct FieldErrors {
    list: Vec<(String, String)>,
    /// Every problem as (the id of its control, the message), in the form's order.
    pub summary: Vec<(String, String)>,
}

impl FieldErrors {
    /// The id of the control (or group) of `path`: `documents[2].name.kk` →
    /// `f-documents-2-name-kk`.
    pub fn id(&self, path: impl AsRef<str>) -> String {
        let path = path.as_ref();
        let mut id = String::with_capacity(path.len() + 2);
        id.push_str("f-");
        for c in path.chars() {
            match c {
                '[' | '.' => id.push('-'),
                ']' => {}
                c => id.push(c),
            }
        }
        id
    }

    pub fn has(&self, path: impl AsRef<str>) -> bool {
        let path = path.as_ref();
        self.list.iter().any(|(p, _)| p == path)
    }

    /// The messages at `path`, one after another.
    pub fn of(&self, path: impl AsRef<str>) -> String {
        let path = path.as_ref();
        self.list
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The use case's refusals, each at the form's control of its field.
    fn of_app(ui: &Ui, form: &PassportForm, errors: &[AppError]) -> FieldErrors {
        let mut list: Vec<(String, String)> = errors
            .iter()
            .map(|e| {
                let field = e.field.as_deref().unwrap_or("");
                let field = field.strip_prefix("passport.").unwrap_or(field);
                (form.path_of(field, &e.code), ui.error_message(e))
            })
            .collect();
        list.sort_by_key(|(p, _)| super::passport_form::place_of(p));
        let mut f = FieldErrors {
            list,
            summary: vec![],
        };
        f.summary = f.list.iter().map(|(p, m)| (f.id(p), m.clone())).collect();
        f
    }
}

/// A choice of a select or a set of checkboxes: its value and its words.
pub type Choice = (String, String);

#[derive(Template)]
#[template(path = "admin/passport_edit.html")]
struct EditPage {
    ui: Ui,
    code: String,
    name: String,
    form: PassportForm,
    errors: FieldErrors,
    /// Where the form started, in words.
    start: String,
    /// A refusal of the whole form (a stale revision).
    general: Option<String>,
    organizations: Vec<Choice>,
    automations: Vec<Choice>,
    term_starts: Vec<Choice>,
    document_forms: Vec<Choice>,
    stages: Vec<Choice>,
    days: Vec<Choice>,
    result_forms: Vec<Choice>,
    deliveries: Vec<Choice>,
    situations: Vec<Choice>,
    placeholders: String,
}

fn choices<T: serde::Serialize>(ui: &Ui, kind: &str, all: &[T]) -> Vec<Choice> {
    all.iter()
        .map(|v| {
            let value = name_of(v);
            let text = ui.term(kind, &value);
            (value, text)
        })
        .collect()
}

async fn page(
    state: &AppState,
    staff: &Staff,
    code: &str,
    form: PassportForm,
    errors: FieldErrors,
    start: String,
    general: Option<String>,
) -> Result<EditPage, WebError> {
    let ui = staff.ui.clone();
    let service = crate::app::registry::services::show(state, code)
        .await
        .map_err(|e| WebError::from_app(&ui, e))?;
    let organizations = crate::web::all_organizations(state, &ui)
        .await?
        .iter()
        .map(|o| (o.code.to_string(), localized(ui.lang, &o.name)))
        .collect();
    use Day::*;
    use Delivery::*;
    Ok(EditPage {
        code: service.code.to_string(),
        name: service.name.get(ui.code()).to_string(),
        form,
        errors,
        start,
        general,
        organizations,
        automations: choices(
            &ui,
            "automation",
            &[Automation::Fully, Automation::Partly, Automation::Not],
        ),
        term_starts: choices(
            &ui,
            "term-start",
            &[
                TermStart::Documents,
                TermStart::Application,
                TermStart::ElectronicRequest,
            ],
        ),
        document_forms: choices(
            &ui,
            "document-form",
            &[
                DocumentForm::Original,
                DocumentForm::Copy,
                DocumentForm::OriginalForIdentification,
            ],
        ),
        stages: choices(&ui, "stage", &Stage::ALL),
        days: choices(&ui, "day", &[Mon, Tue, Wed, Thu, Fri, Sat, Sun]),
        result_forms: choices(
            &ui,
            "result-form",
            &[
                ResultForm::Paper,
                ResultForm::Electronic,
                ResultForm::DataInSystem,
            ],
        ),
        deliveries: choices(&ui, "delivery", &[InPerson, Portal, Email, Post, Courier]),
        situations: choices(&ui, "situation", &LifeSituation::ALL),
        placeholders: PLACEHOLDERS
            .iter()
            .map(|p| format!("{{{p}}}"))
            .collect::<Vec<_>>()
            .join(", "),
        ui,
    })
}

/// The form the editor opens with: the draft, else the newest published edition, else an
/// empty passport; and where it came from, in words.
async fn opening(
    state: &AppState,
    staff: &Staff,
    code: &str,
) -> Result<(PassportForm, String), WebError> {
    let ui = &staff.ui;
    let all = uc::versions(state, &staff.caller, code)
        .await
        .map_err(|e| WebError::from_app(ui, e))?;
    let draft = all.iter().find(|p| p.state == PassportState::Draft);
    let published = all.iter().find(|p| p.state == PassportState::Published);
    Ok(match (draft, published) {
        (Some(d), _) => (
            PassportForm::of(&d.passport, Some(d.revision)),
            ui.t1("pe-from-draft", "value", &d.version.to_string()),
        ),
        (None, Some(p)) => (
            PassportForm::of(&p.passport, None),
            ui.t1("pe-from-published", "value", &p.version.to_string()),
        ),
        (None, None) => (PassportForm::default(), ui.t("pe-from-empty")),
    })
}

/// `GET /admin/services/{code}/passport/edit`.
pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let (form, start) = opening(&state, &staff, &code).await?;
    let shown = Shown {
        start,
        ..Shown::default()
    };
    answer(&state, &staff, &code, form, shown).await
}

/// `POST /admin/services/{code}/passport/edit`: with `add=<group>`, the form again with one
/// more empty row in that group (nothing saved); else the draft saved and the passport's
/// page, or the form again with its problems.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let sent = Sent::new(pairs);
    staff.check_csrf(&sent.one("csrf"))?;
    let ui = staff.ui.clone();
    let mut form = PassportForm::read(&sent);
    let add = sent.one("add");
    if !add.is_empty() {
        form.tidy(false);
        form.add(&add);
        return answer(&state, &staff, &code, form, Shown::sent(&ui)).await;
    }
    form.tidy(true);
    let (passport, mut errors) = form.passport();
    errors.extend(uc::problems(&passport, Strictness::Draft));
    if !errors.is_empty() {
        let shown = Shown::refused(&ui, errors, None, StatusCode::UNPROCESSABLE_ENTITY);
        return answer(&state, &staff, &code, form, shown).await;
    }
    let req = DraftRequest {
        revision: form.revision.trim().parse().ok(),
        passport,
    };
    match uc::save_draft(&state, &staff.caller, &code, &req).await {
        Ok(_) => Ok(see_other(&format!(
            "/admin/services/{code}/passport?saved=1"
        ))),
        Err(e) if e.code == "stale_revision" => {
            // What was typed is kept, and now carries the draft's current revision: saved
            // again, it is an edit made knowing the other one.
            let now = uc::versions(&state, &staff.caller, &code)
                .await
                .map_err(|e| WebError::from_app(&ui, e))?;
            form.revision = now
                .iter()
                .find(|p| p.state == PassportState::Draft)
                .map(|d| d.revision.to_string())
                .unwrap_or_default();
            let general = Some(ui.t("pe-stale"));
            let shown = Shown::refused(&ui, vec![], general, StatusCode::CONFLICT);
            answer(&state, &staff, &code, form, shown).await
        }
        Err(e) if is_for_the_form(&e) => {
            let shown = Shown::refused(&ui, vec![e], None, StatusCode::UNPROCESSABLE_ENTITY);
            answer(&state, &staff, &code, form, shown).await
        }
        Err(e) => Err(WebError::from_app(&ui, e)),
    }
}

/// How the form is shown: where it started, its problems, a refusal of the whole, the status.
struct Shown {
    start: String,
    errors: Vec<AppError>,
    general: Option<String>,
    status: StatusCode,
}

impl Default for Shown {
    fn default() -> Shown {
        Shown {
            start: String::new(),
            errors: vec![],
            general: None,
            status: StatusCode::OK,
        }
    }
}

impl Shown {
    /// The form as sent (a row added).
    fn sent(ui: &Ui) -> Shown {
        Shown {
            start: ui.t("pe-from-sent"),
            ..Shown::default()
        }
    }

    /// The form as sent, with its problems (422) or the refusal of the whole (409).
    fn refused(
        ui: &Ui,
        errors: Vec<AppError>,
        general: Option<String>,
        status: StatusCode,
    ) -> Shown {
        Shown {
            errors,
            general,
            status,
            ..Shown::sent(ui)
        }
    }
}

async fn answer(
    state: &AppState,
    staff: &Staff,
    code: &str,
    form: PassportForm,
    shown: Shown,
) -> Result<Response, WebError> {
    let errors = FieldErrors::of_app(&staff.ui, &form, &shown.errors);
    let p = page(state, staff, code, form, errors, shown.start, shown.general).await?;
    Ok(render_status(shown.status, &p))
}
