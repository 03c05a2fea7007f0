//! Registering an application at the workstation (000 §7, §9–10): the form, the check of the
//! applicant's IIN/BIN as it is typed, and the registration through the API's core — then the
//! application's page with its number and how its planned date was derived.

use super::session::Staff;
use super::session::WORKERS;
use super::{format, render, render_status, see_other, Ui, WebError};
use crate::app::monitoring::applications::{
    register_application, ApplicantIn, NewApplicationRequest,
};
use crate::app::monitoring::submissions::plain;
use crate::app::validate;
use crate::app::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use jiff::Timestamp;
use qyzmet_domain::ids::{self, IdKind};
use serde::Deserialize;
use std::collections::HashMap;

/// The registration form as sent (and as re-shown with its errors).
#[derive(Debug, Default, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub service_code: String,
    #[serde(default)]
    pub tax_id: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub middle_name: String,
    #[serde(default)]
    pub channel: String,
    pub paper: Option<String>,
    #[serde(default)]
    pub accepted_at: String,
    /// Minted with the form: a form sent twice registers one application.
    #[serde(default)]
    pub external_id: String,
}

pub struct ServiceOption {
    pub code: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    ui: Ui,
    form: RegisterForm,
    services: Vec<ServiceOption>,
    channels: Vec<(&'static str, String)>,
    /// Errors by form field.
    errors: HashMap<&'static str, String>,
    error: Option<String>,
}

impl RegisterPage {
    fn error_of(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

/// The form field an API field belongs to.
fn form_field(api_field: &str) -> &'static str {
    match api_field {
        "service_code" | "term_variant" => "service_code",
        "applicant" | "applicant.iin" | "applicant.bin" => "tax_id",
        "applicant.last_name" => "last_name",
        "applicant.first_name" => "first_name",
        "applicant.middle_name" => "middle_name",
        "channel" => "channel",
        "accepted_at" => "accepted_at",
        _ => "",
    }
}

/// The services an operator registers: those provided within the operator's organization's
/// line (its sub-tree and its parents); every service for an organization outside any
/// provider's line (a State Corporation front office accepts them all).
async fn services(state: &AppState, staff: &Staff) -> Result<Vec<ServiceOption>, WebError> {
    let ui = &staff.ui;
    let fail = |e: qyzmet_store::StoreError| WebError::from_app(ui, e.into());
    let own_path = match &staff.session.scope {
        qyzmet_store::Scope::Organization { path, .. } => path.clone(),
        qyzmet_store::Scope::Admin => String::new(),
    };
    let paths: HashMap<String, String> = super::all_organizations(state, ui)
        .await?
        .into_iter()
        .map(|o| (o.code.to_string(), o.path))
        .collect();
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let page = state.store.services(None, after, 500).await.map_err(fail)?;
        let full = page.len() == 500;
        let Some(last) = page.last() else { break };
        after = last.id;
        all.extend(page);
        if !full {
            break;
        }
    }
    let mine: Vec<&qyzmet_store::Service> = all
        .iter()
        .filter(|s| {
            paths
                .get(s.organization_code.as_str())
                .is_some_and(|p| p.starts_with(&own_path) || own_path.starts_with(p.as_str()))
        })
        .collect();
    let chosen: Vec<&qyzmet_store::Service> = if mine.is_empty() {
        all.iter().collect()
    } else {
        mine
    };
    let mut out: Vec<ServiceOption> = chosen
        .into_iter()
        .map(|s| ServiceOption {
            code: s.code.to_string(),
            name: super::localized(ui.lang, &s.name),
        })
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}

/// The executing organization: the service's provider when it is in the operator's
/// sub-tree (a ministry's operator registers for its committee's service), else the
/// operator's own organization.
async fn executor_for(state: &AppState, staff: &Staff, service_code: &str, own: &str) -> String {
    let Ok(code) = qyzmet_domain::ids::ServiceCode::parse(service_code.trim()) else {
        return own.to_string();
    };
    let Ok(Some(service)) = state.store.service(&code).await else {
        return own.to_string();
    };
    let Ok(Some(provider)) = state.store.organization(&service.organization_code).await else {
        return own.to_string();
    };
    match &staff.session.scope {
        qyzmet_store::Scope::Organization { path, .. }
            if provider.path.starts_with(path.as_str()) =>
        {
            provider.code.to_string()
        }
        _ => own.to_string(),
    }
}

fn channels(ui: &Ui) -> Vec<(&'static str, String)> {
    ["provider", "state_corp", "portal"]
        .into_iter()
        .map(|c| (c, ui.term("channel", c)))
        .collect()
}

pub async fn form(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    staff.require(&WORKERS)?;
    let ui = staff.ui.clone();
    Ok(render(&RegisterPage {
        services: services(&state, &staff).await?,
        channels: channels(&ui),
        form: RegisterForm {
            channel: "provider".into(),
            accepted_at: format::datetime_input(Timestamp::now()),
            external_id: format!("ws-{}", uuid::Uuid::now_v7()),
            ..Default::default()
        },
        errors: HashMap::new(),
        error: None,
        ui,
    }))
}

/// The API registration a form stands for: accepted at the user's organization.
fn registration(f: &RegisterForm, org: &str, executor: &str) -> NewApplicationRequest {
    let tax_id = f.tax_id.trim();
    let is_bin = matches!(ids::check(tax_id).kind, Some(IdKind::Bin));
    let opt = |s: &str| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_string())
    };
    NewApplicationRequest {
        service_code: f.service_code.trim().to_string(),
        applicant: ApplicantIn {
            iin: (!is_bin).then(|| tax_id.to_string()),
            bin: is_bin.then(|| tax_id.to_string()),
            last_name: f.last_name.clone(),
            first_name: f.first_name.clone(),
            middle_name: opt(&f.middle_name),
        },
        channel: f.channel.clone(),
        paper: f.paper.is_some(),
        acceptance_place: org.to_string(),
        executor: executor.to_string(),
        accepted_at: format::datetime_from_input(&f.accepted_at),
        external_id: opt(&f.external_id),
        ..Default::default()
    }
}

pub async fn submit(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<RegisterForm>,
) -> Result<Response, WebError> {
    staff.require(&WORKERS)?;
    staff.check_csrf(&form.csrf)?;
    let ui = staff.ui.clone();
    let org = staff
        .session
        .user
        .organization
        .as_ref()
        .map(|o| o.to_string())
        .unwrap_or_default();
    let executor = executor_for(&state, &staff, &form.service_code, &org).await;
    let command = registration(&form, &org, &executor);
    let registered = match plain(&command) {
        Ok(submission) => {
            register_application(&state, &staff.caller, submission, Timestamp::now()).await
        }
        Err(e) => Err(e),
    };
    match registered {
        Ok((app, _)) => {
            let number = app.number.to_string();
            staff.audit(&state, "web.register", &number, "").await;
            Ok(see_other(&format!(
                "/work/applications/{number}?registered=1"
            )))
        }
        Err(e) if e.is_refusal() && e.kind != crate::app::ErrorKind::Forbidden => {
            let field = form_field(e.field.as_deref().unwrap_or(""));
            let mut errors = HashMap::new();
            let mut error = None;
            if field.is_empty() {
                error = Some(ui.error_message(&e));
            } else {
                errors.insert(field, field_message(&ui, &e, field));
            }
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RegisterPage {
                    services: services(&state, &staff).await?,
                    channels: channels(&ui),
                    form,
                    errors,
                    error,
                    ui,
                },
            ))
        }
        Err(e) => Err(WebError::from_app(&ui, e)),
    }
}

/// An API error's message naming the form's field by its label.
fn field_message(ui: &Ui, err: &AppError, field: &str) -> String {
    let mut e = err.clone();
    let label = ui.t(&format!("label-{}", field.replace('_', "-")));
    for (k, v) in e.args.iter_mut() {
        if *k == "field" {
            *v = label.clone();
        }
    }
    ui.error_message(&e)
}

#[derive(Debug, Deserialize)]
pub struct TaxIdQuery {
    #[serde(default)]
    tax_id: String,
}

#[derive(Template)]
#[template(path = "tax_id_check.html")]
struct TaxIdCheck {
    class: &'static str,
    text: String,
}

/// The IIN/BIN check as it is typed (htmx): the kind when valid, the reason when not, in the
/// user's language — the same validation the registration runs.
pub async fn check_tax_id(staff: Staff, Query(q): Query<TaxIdQuery>) -> Response {
    let ui = &staff.ui;
    let s = q.tax_id.trim();
    let page = if s.is_empty() {
        TaxIdCheck {
            class: "",
            text: String::new(),
        }
    } else {
        let (iin, bin) = match ids::check(s).kind {
            Some(IdKind::Bin) => (None, Some(s)),
            _ => (Some(s), None),
        };
        match validate::tax_id("applicant", iin, bin) {
            Ok(id) => TaxIdCheck {
                class: "valid",
                text: ui.t(match id.kind() {
                    IdKind::Iin => "tax-id-valid-iin",
                    IdKind::Bin => "tax-id-valid-bin",
                }),
            },
            Err(e) => TaxIdCheck {
                class: "invalid",
                text: field_message(ui, &e, "tax_id"),
            },
        }
    };
    render(&page)
}
