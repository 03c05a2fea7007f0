//! The administrator's list of users (issue 4; issue 16, B.6): a search by username or full
//! name and by status, each user's role, organization, status and last sign-in, a link to the
//! user's page, and the form that creates a user.

use super::ADMINS;
use crate::app::accounts::users::{list_users, UserFilter, UserStatus, UserView};
use crate::app::accounts::{self, AccountError};
use crate::app::Caller;
use crate::state::AppState;
use crate::web::session::Staff;
use crate::web::{format, render, render_status, see_other, Ui, WebError};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use jiff::Timestamp;
use qyzmet_domain::ids::OrgCode;
use qyzmet_store::{StoreError, UserRole};
use serde::Deserialize;

pub struct UserLine {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub organization: String,
    pub status: &'static str,
    pub status_text: String,
    pub last_sign_in: String,
}

impl UserLine {
    fn of(ui: &Ui, u: UserView) -> UserLine {
        let user = u.record.user;
        UserLine {
            id: user.id,
            username: user.username,
            full_name: user.full_name,
            role: ui.term("role", user.role.as_str()),
            organization: user.organization.map(|o| o.to_string()).unwrap_or_default(),
            status: u.status.as_str(),
            status_text: ui.term("user-status", u.status.as_str()),
            last_sign_in: u
                .record
                .last_sign_in_at
                .map(|t| format::datetime(ui.lang, t))
                .unwrap_or_else(|| ui.t("user-never")),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    ui: Ui,
    lines: Vec<UserLine>,
    query: UserQuery,
    statuses: Vec<(&'static str, String)>,
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

/// The list's search, as in the address: `q` (words of the username or full name) and
/// `status` (active, blocked, locked; anything else is every status).
#[derive(Debug, Default, Deserialize)]
pub struct UserQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    created: Option<String>,
}

/// The roles as choices of a form, in the user's language.
pub fn role_choices(ui: &Ui) -> Vec<(&'static str, String)> {
    ["operator", "supervisor", "analyst", "administrator"]
        .into_iter()
        .map(|r| (r, ui.term("role", r)))
        .collect()
}

async fn users_page(
    state: &AppState,
    caller: &Caller,
    ui: Ui,
    query: UserQuery,
    form: NewUserForm,
    error: Option<String>,
    created: Option<String>,
) -> Result<UsersPage, WebError> {
    let filter = UserFilter {
        q: query.q.clone(),
        status: UserStatus::parse(&query.status),
    };
    let now = Timestamp::now();
    let lines = list_users(&state.store, caller, &filter, now)
        .await
        .map_err(|e| WebError::from_app(&ui, e))?
        .into_iter()
        .map(|u| UserLine::of(&ui, u))
        .collect();
    let statuses = UserStatus::ALL
        .into_iter()
        .map(|s| (s.as_str(), ui.term("user-status", s.as_str())))
        .collect();
    let roles = role_choices(&ui);
    Ok(UsersPage {
        ui,
        lines,
        query,
        statuses,
        roles,
        form,
        error,
        created,
    })
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(mut q): Query<UserQuery>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let created = q.created.take();
    let page = users_page(
        &state,
        &staff.caller,
        staff.ui,
        q,
        NewUserForm::default(),
        None,
        created,
    )
    .await?;
    Ok(render(&page))
}

/// Creates a user with the same rules as `qyzmet admin create-user`.
pub async fn create_user(
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
                    Err(AccountError::Store(e)) => return Err(WebError::from_store(&ui, e)),
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
            let page = users_page(
                &state,
                &staff.caller,
                ui,
                UserQuery::default(),
                form,
                Some(msg),
                None,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}
