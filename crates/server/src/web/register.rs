//! Registering an application at the workstation (000 §7, §9–10): the form, offering only
//! what the chosen service allows (its channels, its term variants by name, the organizations
//! that deliver it), the check of the applicant's IIN/BIN as it is typed, every error at once
//! with a summary, and the registration through the use case — then the application's page
//! with its number and how its planned date was derived.

use super::session::Staff;
use super::session::WORKERS;
use super::{format, render, render_status, see_other, Ui, WebError};
use crate::app::monitoring::applications::{
    executors_of, register_application, registration_problems, ApplicantIn, NewApplicationRequest,
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
    /// The applicant's e-mail for informing (000 §2); optional.
    #[serde(default)]
    pub contact_email: String,
    /// The applicant's mobile phone for informing; optional.
    #[serde(default)]
    pub contact_phone: String,
    /// The language of the messages (kk, ru).
    #[serde(default)]
    pub contact_language: String,
    #[serde(default)]
    pub channel: String,
    /// The term variant's code; blank: the service's default (first) variant.
    #[serde(default)]
    pub term_variant: String,
    /// The executing organization's code; blank: the default of [`default_executor`].
    #[serde(default)]
    pub executor: String,
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
    /// The rendered [`ServiceChoices`].
    options: String,
    /// Errors by form field.
    errors: HashMap<&'static str, String>,
    /// Every error, in the form's order, with the field it links to (the summary).
    summary: Vec<(&'static str, String)>,
    error: Option<String>,
}

impl RegisterPage {
    fn error_of(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

/// What the chosen service allows, as the form offers it (also the htmx fragment that
/// replaces it when another service is chosen).
#[derive(Template)]
#[template(path = "register_options.html")]
pub struct ServiceChoices {
    ui: Ui,
    /// The service is known: its own channels, variants and executors are offered.
    known: bool,
    channels: Vec<(String, String)>,
    channel: String,
    /// Term variants: code and "name — amount unit".
    variants: Vec<(String, String)>,
    variant: String,
    /// Organizations that deliver the service: code and name.
    executors: Vec<(String, String)>,
    executor: String,
    errors: HashMap<&'static str, String>,
}

impl ServiceChoices {
    fn error_of(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

/// The form's fields in their order on the page: the summary lists errors in this order.
const FIELD_ORDER: [&str; 12] = [
    "service_code",
    "term_variant",
    "executor",
    "channel",
    "tax_id",
    "last_name",
    "first_name",
    "middle_name",
    "contact_email",
    "contact_phone",
    "contact_language",
    "accepted_at",
];

/// The form field an API field belongs to.
fn form_field(api_field: &str) -> &'static str {
    match api_field {
        "service_code" => "service_code",
        "term_variant" => "term_variant",
        "executor" => "executor",
        "applicant" | "applicant.iin" | "applicant.bin" => "tax_id",
        "applicant.last_name" => "last_name",
        "applicant.first_name" => "first_name",
        "applicant.middle_name" => "middle_name",
        "applicant.contact" | "applicant.contact.email" => "contact_email",
        "applicant.contact.phone" => "contact_phone",
        "applicant.contact.language" => "contact_language",
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

/// The executor a registration names when the form chose none: the operator's own
/// organization when it delivers the service (a district akimat's own service), else the
/// service's responsible organization (a ministry's operator registering for its committee,
/// a front office accepting for any provider).
fn default_executor(executors: &[(String, String)], own: &str) -> String {
    executors
        .iter()
        .find(|(code, _)| code == own)
        .or(executors.first())
        .map(|(code, _)| code.clone())
        .unwrap_or_else(|| own.to_string())
}

/// The operator's organization code (empty for an administrator).
fn own_organization(staff: &Staff) -> String {
    staff
        .session
        .user
        .organization
        .as_ref()
        .map(|o| o.to_string())
        .unwrap_or_default()
}

/// What the service of the form allows, with the form's choices kept where still allowed.
async fn choices(
    state: &AppState,
    staff: &Staff,
    form: &RegisterForm,
) -> Result<ServiceChoices, WebError> {
    let ui = staff.ui.clone();
    let service = match qyzmet_domain::ids::ServiceCode::parse(form.service_code.trim()) {
        Ok(code) => state
            .store
            .service(&code)
            .await
            .map_err(|e| WebError::from_app(&ui, e.into()))?,
        Err(_) => None,
    };
    let Some(service) = service else {
        let channels: Vec<(String, String)> = ["provider", "state_corp", "portal"]
            .into_iter()
            .map(|c| (c.to_string(), ui.term("channel", c)))
            .collect();
        return Ok(ServiceChoices {
            known: false,
            channel: form.channel.clone(),
            channels,
            variants: vec![],
            variant: String::new(),
            executors: vec![],
            executor: String::new(),
            errors: HashMap::new(),
            ui,
        });
    };
    let channels: Vec<(String, String)> = service
        .channels
        .iter()
        .map(|c| (c.as_str().to_string(), ui.term("channel", c.as_str())))
        .collect();
    let variants: Vec<(String, String)> = service
        .terms
        .iter()
        .map(|t| {
            let unit = ui.t(&format!("unit-{}", t.term.unit.as_str().replace('_', "-")));
            let name = t.name_in(ui.lang.code());
            (
                t.variant.clone(),
                format!("{name} — {} {unit}", t.term.amount),
            )
        })
        .collect();
    let executors: Vec<(String, String)> = executors_of(state, &service, None)
        .await
        .map_err(|e| WebError::from_app(&ui, e))?
        .into_iter()
        .map(|o| (o.code.to_string(), super::localized(ui.lang, &o.name)))
        .collect();
    let keep = |chosen: &str, offered: &[(String, String)]| {
        offered
            .iter()
            .any(|(code, _)| code == chosen.trim())
            .then(|| chosen.trim().to_string())
    };
    Ok(ServiceChoices {
        known: true,
        channel: keep(&form.channel, &channels)
            .or_else(|| channels.first().map(|c| c.0.clone()))
            .unwrap_or_default(),
        variant: keep(&form.term_variant, &variants).unwrap_or_default(),
        executor: keep(&form.executor, &executors)
            .unwrap_or_else(|| default_executor(&executors, &own_organization(staff))),
        channels,
        variants,
        executors,
        errors: HashMap::new(),
        ui,
    })
}

pub async fn form(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    staff.require(&WORKERS)?;
    let ui = staff.ui.clone();
    let form = RegisterForm {
        channel: "provider".into(),
        accepted_at: format::datetime_input(Timestamp::now()),
        external_id: format!("ws-{}", uuid::Uuid::now_v7()),
        ..Default::default()
    };
    Ok(render(&RegisterPage {
        services: services(&state, &staff).await?,
        options: fragment(&ui, &choices(&state, &staff, &form).await?)?,
        form,
        errors: HashMap::new(),
        summary: vec![],
        error: None,
        ui,
    }))
}

/// A part of a page rendered on its own.
fn fragment(ui: &Ui, t: &impl Template) -> Result<String, WebError> {
    t.render()
        .map_err(|_| WebError::from_app(ui, AppError::internal()))
}

/// The choices of another service (htmx, when the service field changes): its channels,
/// term variants and executors, the form's current choices kept where still allowed.
pub async fn options(
    State(state): State<AppState>,
    staff: Staff,
    Query(form): Query<RegisterForm>,
) -> Result<Response, WebError> {
    staff.require(&WORKERS)?;
    Ok(render(&choices(&state, &staff, &form).await?))
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
            // No contact given: the applicant is not informed (000 §2 needs an address).
            contact: (opt(&f.contact_email).is_some() || opt(&f.contact_phone).is_some()).then(
                || crate::app::informing::contact::ContactIn {
                    email: opt(&f.contact_email),
                    phone: opt(&f.contact_phone),
                    language: opt(&f.contact_language),
                },
            ),
        },
        channel: f.channel.trim().to_string(),
        term_variant: opt(&f.term_variant),
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
    Form(mut form): Form<RegisterForm>,
) -> Result<Response, WebError> {
    staff.require(&WORKERS)?;
    staff.check_csrf(&form.csrf)?;
    let ui = staff.ui.clone();
    let org = own_organization(&staff);
    let mut options = choices(&state, &staff, &form).await?;
    if form.executor.trim().is_empty() {
        // No service yet: the operator's own organization stands in (the service's error
        // says what is missing; an executor's would only repeat it).
        form.executor = if options.known {
            options.executor.clone()
        } else {
            org.clone()
        };
    }
    let command = registration(&form, &org, &form.executor);
    let now = Timestamp::now();
    // Every reason at once (the use case would answer the first); then the registration,
    // which checks again within its transaction.
    let problems = registration_problems(&state, &command, now)
        .await
        .map_err(|e| WebError::from_app(&ui, e))?;
    let registered = if problems.is_empty() {
        match plain(&command) {
            Ok(submission) => register_application(&state, &staff.caller, submission, now)
                .await
                .map_err(|e| vec![e]),
            Err(e) => Err(vec![e]),
        }
    } else {
        Err(problems)
    };
    match registered {
        Ok((app, _)) => {
            let number = app.number.to_string();
            staff.audit(&state, "web.register", &number, "").await;
            Ok(see_other(&format!(
                "/work/applications/{number}?registered=1"
            )))
        }
        Err(errs)
            if errs
                .iter()
                .all(|e| e.is_refusal() && e.kind != crate::app::ErrorKind::Forbidden) =>
        {
            let mut errors = HashMap::new();
            let mut error = None;
            for e in &errs {
                let field = form_field(e.field.as_deref().unwrap_or(""));
                if field.is_empty() {
                    error.get_or_insert_with(|| ui.error_message(e));
                } else {
                    errors
                        .entry(field)
                        .or_insert_with(|| field_message(&ui, e, field));
                }
            }
            let mut summary: Vec<(&'static str, String)> =
                errors.iter().map(|(f, m)| (*f, m.clone())).collect();
            summary.sort_by_key(|(f, _)| FIELD_ORDER.iter().position(|o| o == f));
            for field in ["term_variant", "executor", "channel"] {
                if let Some(m) = errors.get(field) {
                    options.errors.insert(field, m.clone());
                }
            }
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RegisterPage {
                    services: services(&state, &staff).await?,
                    options: fragment(&ui, &options)?,
                    form,
                    errors,
                    summary,
                    error,
                    ui,
                },
            ))
        }
        Err(mut errs) => Err(WebError::from_app(&ui, errs.remove(0))),
    }
}

/// An API error's message naming the form's field by its label; the service's own refusals
/// (none chosen, a code of no service) say plainly what to do instead of the code's rules.
fn field_message(ui: &Ui, err: &AppError, field: &str) -> String {
    if field == "service_code"
        && matches!(
            err.code.as_str(),
            "required" | "code_invalid" | "unknown_service"
        )
    {
        return ui.t("register-service-required");
    }
    let mut e = err.clone();
    let label = ui.t(match field {
        "executor" => "label-executor-org".to_string(),
        _ => format!("label-{}", field.replace('_', "-")),
    }
    .as_str());
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
