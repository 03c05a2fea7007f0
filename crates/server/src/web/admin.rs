//! The administrator's pages (issue 4): the registry of organizations (a tree) and services,
//! workstation users, API tokens (the secret shown once), the production calendar and
//! outages. Administrators only; every change goes through the store's audited writes.

use super::session::Staff;
use super::{format, localized, render, render_status, see_other, Ui, WebError};
use crate::accounts::{self, AccountError};
use crate::auth::{generate_token, hash_token};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::Timestamp;
use qyzmet_domain::ids::OrgCode;
use qyzmet_store::{StoreError, UserRole};
use serde::Deserialize;

const ADMINS: [UserRole; 1] = [UserRole::Administrator];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(index))
        .route("/admin/organizations", get(organizations))
        .route("/admin/services", get(services))
        .route("/admin/users", get(users).post(create_user))
        .route("/admin/tokens", get(tokens).post(create_token))
        .route("/admin/tokens/revoke", post(revoke_token))
        .route("/admin/calendar", get(calendar))
        .route("/admin/outages", get(outages))
}

fn store_error(ui: &Ui) -> impl Fn(StoreError) -> WebError + '_ {
    move |e| WebError::from_api(ui, e.into())
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

pub struct OrgLine {
    pub depth: usize,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub bin: String,
    pub policy: String,
}

#[derive(Template)]
#[template(path = "admin/organizations.html")]
struct OrganizationsPage {
    ui: Ui,
    lines: Vec<OrgLine>,
}

async fn organizations(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let ui = staff.ui.clone();
    let mut orgs = super::all_organizations(&state, &ui).await?;
    // Depth-first by materialized path: every organization right under its parent.
    orgs.sort_by(|a, b| a.path.cmp(&b.path));
    let lines = orgs
        .iter()
        .map(|o| OrgLine {
            depth: o.path.matches('/').count().saturating_sub(2),
            code: o.code.to_string(),
            name: localized(ui.lang, &o.name),
            kind: ui.term("org-kind", o.kind.as_str()),
            bin: o.bin.to_string(),
            policy: o.signature_policy.as_str().to_string(),
        })
        .collect();
    Ok(render(&OrganizationsPage { ui, lines }))
}

pub struct ServiceLine {
    pub code: String,
    pub name: String,
    pub provider: String,
    pub terms: String,
    pub channels: String,
    pub depends_on: String,
}

#[derive(Template)]
#[template(path = "admin/services.html")]
struct ServicesPage {
    ui: Ui,
    lines: Vec<ServiceLine>,
}

async fn services(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let ui = staff.ui.clone();
    let mut lines = Vec::new();
    let mut after = 0;
    loop {
        let page = state
            .store
            .services(None, after, 500)
            .await
            .map_err(store_error(&ui))?;
        let full = page.len() == 500;
        let Some(last) = page.last() else { break };
        after = last.id;
        for s in &page {
            lines.push(ServiceLine {
                code: s.code.to_string(),
                name: localized(ui.lang, &s.name),
                provider: s.organization_code.to_string(),
                terms: s
                    .terms
                    .iter()
                    .map(|t| {
                        format!(
                            "{}: {} {}",
                            t.variant,
                            t.term.amount,
                            ui.term("unit", t.term.unit.as_str())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                channels: s
                    .channels
                    .iter()
                    .map(|c| ui.term("channel", c.as_str()))
                    .collect::<Vec<_>>()
                    .join(", "),
                depends_on: s.depends_on.join(", "),
            });
        }
        if !full {
            break;
        }
    }
    Ok(render(&ServicesPage { ui, lines }))
}

pub struct UserLine {
    pub username: String,
    pub role: String,
    pub organization: String,
    pub language: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    ui: Ui,
    lines: Vec<UserLine>,
    roles: Vec<(&'static str, String)>,
    form: NewUserForm,
    error: Option<String>,
    created: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub organization: String,
    #[serde(default)]
    password: String,
}

async fn users_page(
    state: &AppState,
    ui: Ui,
    form: NewUserForm,
    error: Option<String>,
    created: Option<String>,
) -> Result<UsersPage, WebError> {
    let lines = state
        .store
        .users()
        .await
        .map_err(store_error(&ui))?
        .into_iter()
        .map(|u| UserLine {
            username: u.username,
            role: ui.term("role", u.role.as_str()),
            organization: u.organization.map(|o| o.to_string()).unwrap_or_default(),
            language: u.language,
            created: format::datetime(ui.lang, u.created_at),
        })
        .collect();
    let roles = ["operator", "supervisor", "analyst", "administrator"]
        .into_iter()
        .map(|r| (r, ui.term("role", r)))
        .collect();
    Ok(UsersPage {
        ui,
        lines,
        roles,
        form,
        error,
        created,
    })
}

#[derive(Debug, Deserialize)]
pub struct CreatedQuery {
    created: Option<String>,
}

async fn users(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<CreatedQuery>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let page = users_page(&state, staff.ui, NewUserForm::default(), None, q.created).await?;
    Ok(render(&page))
}

/// Creates a user with the same rules as `qyzmet admin create-user`.
async fn create_user(
    State(state): State<AppState>,
    staff: Staff,
    Form(mut form): Form<NewUserForm>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    staff.check_csrf(&form.csrf)?;
    let ui = staff.ui.clone();
    let role = form.role.parse::<UserRole>().ok();
    let org = form.organization.trim();
    let outcome = match role {
        None => Err("user-error-role"),
        Some(role) => {
            let org = if org.is_empty() {
                Ok(None)
            } else {
                OrgCode::parse(org)
                    .map(Some)
                    .map_err(|_| "user-error-organization")
            };
            match org {
                Err(key) => Err(key),
                Ok(org) => match accounts::create_user(
                    &state.store,
                    &form.username,
                    role,
                    org,
                    &form.password,
                    &staff.caller.actor(),
                    Timestamp::now(),
                )
                .await
                {
                    Ok(u) => Ok(u.username),
                    Err(AccountError::UsernameInvalid) => Err("user-error-username"),
                    Err(AccountError::PasswordTooShort) => Err("password-too-short"),
                    Err(AccountError::PasswordWeak) => Err("password-weak"),
                    Err(AccountError::OrganizationRequired(_)) => Err("user-error-org-required"),
                    Err(AccountError::OrganizationNotAllowed(_)) => {
                        Err("user-error-org-not-allowed")
                    }
                    Err(AccountError::Store(StoreError::Conflict { .. })) => {
                        Err("user-error-taken")
                    }
                    Err(AccountError::Store(StoreError::NotFound(_)))
                    | Err(AccountError::Store(StoreError::Invalid { .. })) => {
                        Err("user-error-organization")
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "user not created");
                        return Err(WebError::Internal(Box::new(ui)));
                    }
                },
            }
        }
    };
    form.password.clear();
    match outcome {
        Ok(username) => {
            staff
                .audit(
                    &state,
                    "web.user.create",
                    &format!("username:{username}"),
                    "",
                )
                .await;
            Ok(see_other(&format!(
                "/admin/users?created={}",
                form_urlencoded::byte_serialize(username.as_bytes()).collect::<String>()
            )))
        }
        Err(key) => {
            let msg = ui.t(key);
            let page = users_page(&state, ui, form, Some(msg), None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

pub struct TokenLine {
    pub id: i64,
    pub label: String,
    pub scope: String,
    pub created: String,
    pub revoked: String,
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
    let secret = generate_token();
    let label = form.label.trim().chars().take(200).collect::<String>();
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

pub struct DayLine {
    pub date: String,
    pub kind: String,
    pub name: String,
    pub source: String,
}

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarPage {
    ui: Ui,
    year: i16,
    lines: Vec<DayLine>,
}

#[derive(Debug, Deserialize)]
pub struct YearQuery {
    year: Option<i16>,
}

async fn calendar(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let ui = staff.ui.clone();
    let year = q.year.unwrap_or_else(|| {
        Timestamp::now()
            .to_zoned(qyzmet_domain::zone::almaty().clone())
            .year()
    });
    let entries = state.calendar.get();
    let lines = entries
        .entries()
        .filter(|e| e.date.year() == year)
        .map(|e| DayLine {
            date: format::date(ui.lang, e.date),
            kind: ui.term("day-kind", e.kind.as_str()),
            name: e.name.clone(),
            source: e.source.clone(),
        })
        .collect();
    Ok(render(&CalendarPage { ui, year, lines }))
}

pub struct OutageLine {
    pub started: String,
    pub ended: String,
    pub systems: String,
    pub operator: String,
    pub description: String,
}

#[derive(Template)]
#[template(path = "admin/outages.html")]
struct OutagesPage {
    ui: Ui,
    lines: Vec<OutageLine>,
}

async fn outages(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let ui = staff.ui.clone();
    let lines = state
        .store
        .outages(None, None, None, 200)
        .await
        .map_err(store_error(&ui))?
        .into_iter()
        .map(|o| OutageLine {
            started: format::datetime(ui.lang, o.started_at),
            ended: o
                .ended_at
                .map(|t| format::datetime(ui.lang, t))
                .unwrap_or_default(),
            systems: if o.all_systems {
                ui.t("outage-all-systems")
            } else {
                o.systems.join(", ")
            },
            operator: o.operator,
            description: o.description,
        })
        .collect();
    Ok(render(&OutagesPage { ui, lines }))
}
