//! The administrator's pages (issue 4): the registry of organizations (a tree) and services,
//! workstation users, API tokens (the secret shown once), the production calendar and
//! outages. Administrators only. Every change goes through the API's own core
//! (`api::registry`, `api::calendar`, `api::outages`) or the accounts' audited writes, with
//! the administrator as the [`crate::app::Caller`]: one implementation of each rule and of
//! its audit.

pub mod calendar;
pub mod organizations;
pub mod outages;
pub mod outbox;
pub mod passport;
pub mod passport_edit;
pub mod passport_form;
pub mod service_edit;
pub mod services;
pub mod user;
pub mod users;

use super::session::Staff;
use super::{format, render, render_status, see_other, Ui, WebError};
use crate::app::accounts::tokens::{generate_token, hash_token};
use crate::app::AppError;
use crate::i18n::{has_message, message};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::Timestamp;
use qyzmet_domain::ids::OrgCode;
use qyzmet_store::{StoreError, UserRole};
use serde::Deserialize;
use std::collections::HashMap;

pub(crate) const ADMINS: [UserRole; 1] = [UserRole::Administrator];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(index))
        .route(
            "/admin/organizations",
            get(organizations::list).post(organizations::create),
        )
        .route("/admin/organizations/{code}", get(organizations::show))
        .route(
            "/admin/organizations/{code}/policy",
            post(organizations::set_policy),
        )
        .route(
            "/admin/organizations/{code}/edit",
            post(organizations::edit),
        )
        .route(
            "/admin/services",
            get(services::list).post(services::create),
        )
        .route("/admin/services/{code}", get(services::show))
        .route("/admin/services/{code}/terms", post(services::change_terms))
        .route("/admin/services/{code}/edit", post(service_edit::edit))
        .route("/admin/services/{code}/passport", get(passport::show))
        .route(
            "/admin/services/{code}/passport/publish",
            post(passport::publish),
        )
        .route(
            "/admin/services/{code}/passport/discard",
            post(passport::discard),
        )
        .route("/admin/users", get(users::list).post(users::create_user))
        .route("/admin/users/{id}", get(user::show))
        .route("/admin/users/{id}/{action}", post(user::act))
        .route("/admin/tokens", get(tokens).post(create_token))
        .route("/admin/tokens/revoke", post(revoke_token))
        .route(
            "/admin/calendar",
            get(calendar::year).post(calendar::set_day),
        )
        .route("/admin/calendar/remove", post(calendar::remove_day))
        .route("/admin/outages", get(outages::list).post(outages::create))
        .route("/admin/outbox", get(outbox::list))
        .route("/admin/outbox/{id}/retry", post(outbox::retry))
        .route(
            "/admin/outages/{id}",
            get(outages::edit).post(outages::update),
        )
        .route(
            "/admin/services/{code}/passport/edit",
            get(passport_edit::edit).post(passport_edit::save),
        )
}

/// A list's search (`?q=`), as typed.
#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
}

fn store_error(ui: &Ui) -> impl Fn(StoreError) -> WebError + '_ {
    move |e| WebError::from_app(ui, e.into())
}

/// A form's errors in the user's language: each beside its field (`of`), and those that
/// belong to no field above the form (`general`).
#[derive(Debug, Default)]
pub struct FormErrors {
    fields: HashMap<String, String>,
    pub general: Option<String>,
}

impl FormErrors {
    /// The message at form field `field`, empty when it has none.
    pub fn of(&self, field: impl AsRef<str>) -> String {
        self.fields.get(field.as_ref()).cloned().unwrap_or_default()
    }

    pub fn has(&self, field: impl AsRef<str>) -> bool {
        self.fields.contains_key(field.as_ref())
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_none()
    }

    /// The messages at fields, by field, for a summary above the form that links to each.
    pub fn at_fields(&self) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = self
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        all.sort();
        all
    }

    /// One message for the whole form.
    pub fn general(message: String) -> FormErrors {
        FormErrors {
            fields: HashMap::new(),
            general: Some(message),
        }
    }

    /// An API core's refusal at the form field that `field_of` maps the API's field path to
    /// (with the id of that field's label), else above the form. The message names the field
    /// by its label; a few API messages that speak of the JSON body (`admin-error-<code>`)
    /// are said the form's way.
    pub fn from_app(
        ui: &Ui,
        err: &AppError,
        field_of: impl Fn(&str) -> Option<(String, &'static str)>,
    ) -> FormErrors {
        let Some((field, label)) = err.field.as_deref().and_then(&field_of) else {
            return FormErrors::general(ui.error_message(err));
        };
        let label = ui.t(label);
        let mut args = err.args.clone();
        for (k, v) in args.iter_mut() {
            if *k == "field" {
                *v = label.clone();
            }
        }
        let own = format!("admin-error-{}", err.code.replace('_', "-"));
        let text = if has_message(ui.lang, &own) {
            message(ui.lang, &own, &args)
        } else {
            ui.error_message(&AppError {
                args,
                ..err.clone()
            })
        };
        let mut fields = HashMap::new();
        fields.insert(field, text);
        FormErrors {
            fields,
            general: None,
        }
    }
}

/// A form whose fields repeat (checkboxes of one name, rows of terms), as sent.
#[derive(Debug, Default)]
pub struct Pairs(Vec<(String, String)>);

impl Pairs {
    pub fn new(pairs: Vec<(String, String)>) -> Pairs {
        Pairs(pairs)
    }

    /// The first value of `name`, empty when absent.
    pub fn one(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

/// A use case's refusal of a form: the user's to correct (shown at the form, 422), or the
/// page's (403, 404, a failure).
pub fn is_for_the_form(err: &AppError) -> bool {
    err.is_for_the_form()
}

#[derive(Template)]
#[template(path = "admin/index.html")]
struct IndexPage {
    ui: Ui,
}

async fn index(staff: Staff) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    Ok(render(&IndexPage { ui: staff.ui }))
}

pub struct TokenLine {
    pub id: i64,
    pub label: String,
    pub scope: String,
    pub created: String,
    pub revoked: String,
    /// The question asked before revoking (issue 16, B.6): the systems using it stop.
    pub confirm: String,
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    ui: Ui,
    lines: Vec<TokenLine>,
    /// A token just created: shown this once, never again.
    secret: Option<String>,
    error: Option<String>,
}

async fn tokens_page(
    state: &AppState,
    ui: Ui,
    secret: Option<String>,
    error: Option<String>,
) -> Result<TokensPage, WebError> {
    let lines = state
        .store
        .tokens()
        .await
        .map_err(store_error(&ui))?
        .into_iter()
        .map(|t| TokenLine {
            confirm: ui.t1(
                "token-revoke-confirm",
                "name",
                &if t.label.is_empty() {
                    format!("#{}", t.id)
                } else {
                    format!("#{} ({})", t.id, t.label)
                },
            ),
            id: t.id,
            label: t.label,
            scope: if t.admin {
                ui.t("token-admin")
            } else {
                t.organization.unwrap_or_default()
            },
            created: format::datetime(ui.lang, t.created_at),
            revoked: t
                .revoked_at
                .map(|r| format::datetime(ui.lang, r))
                .unwrap_or_default(),
        })
        .collect();
    Ok(TokensPage {
        ui,
        lines,
        secret,
        error,
    })
}

async fn tokens(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    Ok(render(&tokens_page(&state, staff.ui, None, None).await?))
}

#[derive(Debug, Deserialize)]
pub struct NewTokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    label: String,
    admin: Option<String>,
}

/// Creates a token: the page shows its secret once (only the hash is stored), with no
/// redirect, so a reload does not show it again from a URL.
async fn create_token(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<NewTokenForm>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    staff.check_csrf(&form.csrf)?;
    let ui = staff.ui.clone();
    let admin = form.admin.is_some();
    let org = form.organization.trim();
    let fail = |key: &str| Some(ui.t(key));
    let org = match (admin, org.is_empty()) {
        (true, true) => None,
        (false, false) => match OrgCode::parse(org) {
            Ok(c) => Some(c),
            Err(_) => {
                let page =
                    tokens_page(&state, ui.clone(), None, fail("token-error-organization")).await?;
                return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
            }
        },
        _ => {
            let page = tokens_page(&state, ui.clone(), None, fail("token-error-scope")).await?;
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let label = match crate::app::validate::opt_text("label", Some(&form.label), 200) {
        Ok(label) => label.unwrap_or_default(),
        Err(e) => {
            let page = tokens_page(&state, ui.clone(), None, Some(ui.error_message(&e))).await?;
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let secret = generate_token();
    match state
        .store
        .create_token(
            &hash_token(&secret),
            org.as_ref(),
            admin,
            &label,
            Timestamp::now(),
        )
        .await
    {
        Ok(_) => {
            staff
                .audit(&state, "token.create", "api_tokens", &label)
                .await;
            Ok(render(&tokens_page(&state, ui, Some(secret), None).await?))
        }
        Err(StoreError::NotFound(_)) | Err(StoreError::Invalid { .. }) => {
            let page =
                tokens_page(&state, ui.clone(), None, fail("token-error-organization")).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(store_error(&ui)(e)),
    }
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf: String,
    id: i64,
}

async fn revoke_token(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<RevokeForm>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    staff.check_csrf(&form.csrf)?;
    state
        .store
        .revoke_token(form.id, Timestamp::now())
        .await
        .map_err(store_error(&staff.ui))?;
    state.tokens.clear();
    staff
        .audit(&state, "token.revoke", &format!("token:{}", form.id), "")
        .await;
    Ok(see_other("/admin/tokens"))
}
