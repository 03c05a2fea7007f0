//! The registry's organizations: the tree with its search, the form that adds one, and one
//! organization's page with the form that edits it and its signature policy — through
//! `app::registry::organizations`.

use super::{is_for_the_form, FormErrors, SearchQuery, ADMINS};
use crate::app::registry::organizations::{
    add_organization, edit_organization, search, set_signature_policy, EditOrganizationRequest,
    Names, NewOrganizationRequest, UpdateOrganizationRequest,
};
use crate::state::AppState;
use crate::web::session::Staff;
use crate::web::{
    all_organizations, format, localized, render, render_status, see_other, Ui, WebError,
};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use qyzmet_domain::ids::OrgCode;
use qyzmet_store::{OrgKind, Organization, SignaturePolicy};
use serde::Deserialize;

pub struct OrgLine {
    pub depth: usize,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub bin: String,
    pub policy: String,
}

/// An organization as a choice in a list: indented by its depth in the tree.
pub struct OrgOption {
    pub code: String,
    pub text: String,
}

/// The new organization form, as sent and re-shown.
#[derive(Debug, Default, Deserialize)]
pub struct NewOrgForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub bin: String,
    #[serde(default)]
    pub name_kk: String,
    #[serde(default)]
    pub name_ru: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub working_hours: String,
}

#[derive(Template)]
#[template(path = "admin/organizations.html")]
struct OrganizationsPage {
    ui: Ui,
    lines: Vec<OrgLine>,
    parents: Vec<OrgOption>,
    kinds: Vec<(&'static str, String)>,
    form: NewOrgForm,
    errors: FormErrors,
    /// The search as typed, and how many it found (`None` without a search).
    q: String,
    found: Option<usize>,
}

fn depth(o: &Organization) -> usize {
    o.path.matches('/').count().saturating_sub(2)
}

/// Every organization, each right under its parent (depth-first by materialized path).
pub async fn tree(state: &AppState, ui: &Ui) -> Result<Vec<Organization>, WebError> {
    let mut orgs = all_organizations(state, ui).await?;
    orgs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(orgs)
}

/// The organizations as choices: `CODE — name`, indented by depth.
pub fn options(ui: &Ui, orgs: &[Organization]) -> Vec<OrgOption> {
    orgs.iter()
        .map(|o| OrgOption {
            code: o.code.to_string(),
            text: format!(
                "{}{} — {}",
                "\u{a0}\u{a0}".repeat(depth(o)),
                o.code,
                localized(ui.lang, &o.name)
            ),
        })
        .collect()
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    q: &str,
    form: NewOrgForm,
    errors: FormErrors,
) -> Result<OrganizationsPage, WebError> {
    let ui = staff.ui.clone();
    let orgs = tree(state, &ui).await?;
    let shown = if q.trim().is_empty() {
        orgs.clone()
    } else {
        search(state, &staff.caller, q)
            .await
            .map_err(|e| WebError::from_app(&ui, e))?
    };
    let lines = shown
        .iter()
        .map(|o| OrgLine {
            depth: if q.trim().is_empty() { depth(o) } else { 0 },
            code: o.code.to_string(),
            name: localized(ui.lang, &o.name),
            kind: ui.term("org-kind", o.kind.as_str()),
            bin: o.bin.to_string(),
            policy: ui.term("policy", o.signature_policy.as_str()),
        })
        .collect();
    let kinds = OrgKind::ALL
        .iter()
        .map(|k| (k.as_str(), ui.term("org-kind", k.as_str())))
        .collect();
    Ok(OrganizationsPage {
        parents: options(&ui, &orgs),
        ui,
        lines,
        kinds,
        form,
        errors,
        q: q.trim().to_string(),
        found: (!q.trim().is_empty()).then_some(shown.len()),
    })
}

/// `GET /admin/organizations?q=`: the tree, or the organizations whose code, BIN or name in
/// any language contains `q`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(lq): Query<SearchQuery>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let page = list_page(
        &state,
        &staff,
        &lq.q,
        NewOrgForm::default(),
        FormErrors::default(),
    )
    .await?;
    Ok(render(&page))
}

fn org_field(api: &str) -> Option<(String, &'static str)> {
    let label = match api {
        "code" => "col-code",
        "parent" => "org-parent",
        "kind" => "col-kind",
        "bin" => "org-bin",
        "name.kk" => "name-kk",
        "name.ru" => "name-ru",
        "name.en" => "name-en",
        "working_hours" => "org-working-hours",
        _ => return None,
    };
    Some((api.replace('.', "_"), label))
}

/// `POST /admin/organizations`: adds an organization.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<NewOrgForm>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    staff.check_csrf(&form.csrf)?;
    let ui = staff.ui.clone();
    let opt = |s: &str| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_string())
    };
    let req = NewOrganizationRequest {
        code: form.code.clone(),
        parent: opt(&form.parent),
        kind: form.kind.clone(),
        bin: form.bin.clone(),
        name: Names {
            kk: form.name_kk.clone(),
            ru: form.name_ru.clone(),
            en: form.name_en.clone(),
        },
        working_hours: opt(&form.working_hours),
    };
    match add_organization(&state, &staff.caller, &req).await {
        Ok(org) => Ok(see_other(&format!(
            "/admin/organizations/{}?created=1",
            org.code
        ))),
        Err(e) if is_for_the_form(&e) => {
            let errors = FormErrors::from_app(&ui, &e, org_field);
            let page = list_page(&state, &staff, "", form, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(WebError::from_app(&ui, e)),
    }
}

pub struct Fact {
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "admin/organization.html")]
struct OrganizationPage {
    ui: Ui,
    code: String,
    name: String,
    facts: Vec<Fact>,
    children: Vec<OrgOption>,
    policy: String,
    policies: Vec<(&'static str, String)>,
    notice: Option<String>,
    errors: FormErrors,
    /// The edit form, as stored or as sent, and its errors.
    edit: EditOrgForm,
    edit_errors: FormErrors,
}

/// The edit form of an organization, as sent and re-shown.
#[derive(Debug, Default, Deserialize)]
pub struct EditOrgForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub revision: String,
    #[serde(default)]
    pub bin: String,
    #[serde(default)]
    pub name_kk: String,
    #[serde(default)]
    pub name_ru: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub working_hours: String,
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    created: Option<String>,
    saved: Option<String>,
    edited: Option<String>,
}

async fn org_page(
    state: &AppState,
    ui: Ui,
    code: &str,
    errors: FormErrors,
    edit: Option<(EditOrgForm, FormErrors)>,
) -> Result<OrganizationPage, WebError> {
    let not_found = || WebError::NotFound(Box::new(ui.clone()));
    let code = OrgCode::parse(code.trim()).map_err(|_| not_found())?;
    let org = state
        .store
        .organization(&code)
        .await
        .map_err(|e| WebError::from_app(&ui, e.into()))?
        .ok_or_else(not_found)?;
    let orgs = tree(state, &ui).await?;
    let children: Vec<Organization> = orgs
        .into_iter()
        .filter(|o| o.parent_code.as_ref() == Some(&org.code))
        .collect();
    let facts = vec![
        Fact {
            label: ui.t("col-code"),
            value: org.code.to_string(),
        },
        Fact {
            label: ui.t("org-parent"),
            value: org
                .parent_code
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_else(|| ui.t("org-no-parent")),
        },
        Fact {
            label: ui.t("col-kind"),
            value: ui.term("org-kind", org.kind.as_str()),
        },
        Fact {
            label: ui.t("org-bin"),
            value: org.bin.to_string(),
        },
        Fact {
            label: ui.t("name-kk"),
            value: org.name.kk.clone(),
        },
        Fact {
            label: ui.t("name-ru"),
            value: org.name.ru.clone(),
        },
        Fact {
            label: ui.t("name-en"),
            value: org.name.en.clone(),
        },
        Fact {
            label: ui.t("org-working-hours"),
            value: org.working_hours.to_string(),
        },
        Fact {
            label: ui.t("col-created"),
            value: format::datetime(ui.lang, org.created_at),
        },
    ];
    let policies = SignaturePolicy::ALL
        .iter()
        .map(|p| (p.as_str(), ui.t(&format!("policy-{}-long", p.as_str()))))
        .collect();
    let (edit, edit_errors) = edit.unwrap_or_else(|| {
        (
            EditOrgForm {
                csrf: String::new(),
                revision: org.revision.to_string(),
                bin: org.bin.to_string(),
                name_kk: org.name.kk.clone(),
                name_ru: org.name.ru.clone(),
                name_en: org.name.en.clone(),
                working_hours: org.working_hours.to_string(),
            },
            FormErrors::default(),
        )
    });
    Ok(OrganizationPage {
        edit,
        edit_errors,
        code: org.code.to_string(),
        name: localized(ui.lang, &org.name),
        facts,
        children: options(&ui, &children),
        policy: org.signature_policy.as_str().to_string(),
        policies,
        notice: None,
        errors,
        ui,
    })
}

/// `GET /admin/organizations/{code}`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let ui = staff.ui.clone();
    let mut page = org_page(&state, staff.ui, &code, FormErrors::default(), None).await?;
    page.notice = if q.created.is_some() {
        Some(ui.t("org-created"))
    } else if q.saved.is_some() {
        Some(ui.t("org-policy-saved"))
    } else if q.edited.is_some() {
        Some(ui.t("org-edited"))
    } else {
        None
    };
    Ok(render(&page))
}

#[derive(Debug, Deserialize)]
pub struct PolicyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    signature_policy: String,
}

/// `POST /admin/organizations/{code}/policy`: whether its events must, may or need not be
/// signed.
pub async fn set_policy(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Form(form): Form<PolicyForm>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    staff.check_csrf(&form.csrf)?;
    let ui = staff.ui.clone();
    let req = UpdateOrganizationRequest {
        signature_policy: form.signature_policy,
    };
    match set_signature_policy(&state, &staff.caller, &code, &req).await {
        Ok(org) => Ok(see_other(&format!(
            "/admin/organizations/{}?saved=1",
            org.code
        ))),
        Err(e) if is_for_the_form(&e) => {
            let errors = FormErrors::from_app(&ui, &e, |f| {
                (f == "signature_policy").then(|| (f.to_string(), "col-signature-policy"))
            });
            let page = org_page(&state, ui, &code, errors, None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(WebError::from_app(&ui, e)),
    }
}

/// `POST /admin/organizations/{code}/edit`: its names, BIN and working hours, refused when the
/// organization was edited since the form was shown.
pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Form(mut form): Form<EditOrgForm>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    staff.check_csrf(&form.csrf)?;
    let ui = staff.ui.clone();
    let req = EditOrganizationRequest {
        // A revision that is no number is no revision the organization has had.
        revision: form.revision.trim().parse().unwrap_or(0),
        name: Some(Names {
            kk: form.name_kk.clone(),
            ru: form.name_ru.clone(),
            en: form.name_en.clone(),
        }),
        bin: Some(form.bin.clone()),
        working_hours: Some(form.working_hours.clone()),
    };
    match edit_organization(&state, &staff.caller, &code, &req).await {
        Ok(org) => Ok(see_other(&format!(
            "/admin/organizations/{}?edited=1",
            org.code
        ))),
        Err(e) if is_for_the_form(&e) => {
            let mut errors = FormErrors::from_app(&ui, &e, org_field);
            if e.code == "stale_revision" {
                errors = FormErrors::general(ui.t("admin-stale-revision"));
                // The page shows the values now stored beside the form, which keeps what was
                // typed: saved again, it is an edit made knowing the newer one.
                let now = crate::app::registry::organizations::show(&state, &staff.caller, &code)
                    .await
                    .map_err(|e| WebError::from_app(&ui, e))?;
                form.revision = now.revision.to_string();
            }
            let page = org_page(
                &state,
                ui,
                &code,
                FormErrors::default(),
                Some((form, errors)),
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(WebError::from_app(&ui, e)),
    }
}
