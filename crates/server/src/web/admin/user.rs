//! One user's page for the administrator (issue 16, B.6): who the user is and where the
//! account stands (role, organization, block, lock, last sign-in), and the forms that change
//! it — profile, role and organization, block (with a reason) or unblock, unlock, and a
//! password reset. Each form calls its use case in `app::accounts::users`; a refusal is shown
//! beside its field in the user's language.
//!
//! A reset generates the temporary password on the server and shows it once, on the page
//! that answers the form (no redirect, so no address or reload shows it again): the
//! administrator never has to invent one, it always passes the rules, and the user must
//! replace it at the next sign-in.

use super::organizations::{options, OrgOption};
use super::{is_for_the_form, FormErrors, ADMINS};
use crate::app::accounts::users::{self, ProfileRequest, RoleRequest, UserStatus, UserView};
use crate::app::AppError;
use crate::state::AppState;
use crate::web::session::Staff;
use crate::web::{all_organizations, format, render, render_status, see_other, Ui, WebError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use jiff::Timestamp;
use serde::Deserialize;

/// The forms' values, as stored or as last sent.
#[derive(Debug, Default, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub organization: String,
    #[serde(default)]
    pub reason: String,
}

/// One line of the account's facts.
pub struct Fact {
    pub label: String,
    pub value: String,
    pub testid: &'static str,
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    ui: Ui,
    id: i64,
    username: String,
    status: &'static str,
    facts: Vec<Fact>,
    blocked: bool,
    /// Locked now, or with failures counted towards a lock.
    lockable: bool,
    form: UserForm,
    roles: Vec<(&'static str, String)>,
    organizations: Vec<OrgOption>,
    errors: FormErrors,
    notice: Option<String>,
    /// A temporary password just generated: shown this once.
    password: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// The actions a form may post, and the notice each leaves.
const ACTIONS: [&str; 6] = ["profile", "role", "block", "unblock", "unlock", "password"];

async fn user_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    form: Option<UserForm>,
    errors: FormErrors,
    notice: Option<String>,
    password: Option<String>,
) -> Result<UserPage, WebError> {
    let ui = staff.ui.clone();
    let now = Timestamp::now();
    let view = users::find_user(&state.store, &staff.caller, id, now)
        .await
        .map_err(|e| WebError::from_app(&ui, e))?;
    let orgs = all_organizations(state, &ui).await?;
    let blocked_by = match &view.record.block {
        Some(b) => actor_name(state, staff, &b.by, now).await,
        None => String::new(),
    };
    let u = &view.record.user;
    let form = form.unwrap_or_else(|| UserForm {
        full_name: u.full_name.clone(),
        position: u.position.clone(),
        role: u.role.as_str().to_string(),
        organization: u
            .organization
            .as_ref()
            .map(|o| o.to_string())
            .unwrap_or_default(),
        ..UserForm::default()
    });
    let roles = super::users::role_choices(&ui);
    Ok(UserPage {
        id,
        username: u.username.clone(),
        status: view.status.as_str(),
        facts: facts(&ui, &view, &blocked_by, now),
        blocked: view.record.block.is_some(),
        lockable: view.status == UserStatus::Locked || view.record.failed_attempts > 0,
        form,
        roles,
        organizations: options(&ui, &orgs),
        errors,
        notice,
        password,
        ui,
    })
}

/// Who an audit actor is, for people: a user's username (`user:5` → `a.seitova`), the
/// command line's `cli:<os user>` as it is.
async fn actor_name(state: &AppState, staff: &Staff, actor: &str, now: Timestamp) -> String {
    let id = actor.strip_prefix("user:").and_then(|id| id.parse().ok());
    match id {
        Some(id) => users::find_user(&state.store, &staff.caller, id, now)
            .await
            .map(|v| v.record.user.username)
            .unwrap_or_else(|_| actor.to_string()),
        None => actor.to_string(),
    }
}

fn facts(ui: &Ui, view: &UserView, blocked_by: &str, now: Timestamp) -> Vec<Fact> {
    let r = &view.record;
    let u = &r.user;
    let when = |t: Option<Timestamp>| {
        t.map(|t| format::datetime(ui.lang, t))
            .unwrap_or_else(|| ui.t("user-never"))
    };
    let mut status = ui.term("user-status", view.status.as_str());
    if let Some(b) = &r.block {
        status = format!(
            "{status}: {} ({}, {})",
            b.reason,
            format::datetime(ui.lang, b.at),
            blocked_by
        );
    } else if let Some(until) = r.locked_until.filter(|t| *t > now) {
        status = format!("{status} — {}", format::datetime(ui.lang, until));
    }
    let dash = |s: &str| {
        if s.is_empty() {
            "—".to_string()
        } else {
            s.to_string()
        }
    };
    let mut out = vec![
        Fact {
            label: ui.t("col-username"),
            value: u.username.clone(),
            testid: "user-username",
        },
        Fact {
            label: ui.t("user-full-name"),
            value: dash(&u.full_name),
            testid: "user-full-name",
        },
        Fact {
            label: ui.t("user-position"),
            value: dash(&u.position),
            testid: "user-position",
        },
        Fact {
            label: ui.t("col-role"),
            value: ui.term("role", u.role.as_str()),
            testid: "user-role",
        },
        Fact {
            label: ui.t("col-organization"),
            value: dash(
                &u.organization
                    .as_ref()
                    .map(|o| o.to_string())
                    .unwrap_or_default(),
            ),
            testid: "user-organization",
        },
        Fact {
            label: ui.t("col-status"),
            value: status,
            testid: "user-status",
        },
        Fact {
            label: ui.t("col-last-sign-in"),
            value: when(r.last_sign_in_at),
            testid: "user-last-sign-in",
        },
        Fact {
            label: ui.t("col-language"),
            value: u.language.clone(),
            testid: "user-language",
        },
        Fact {
            label: ui.t("col-created"),
            value: format::datetime(ui.lang, u.created_at),
            testid: "user-created",
        },
    ];
    if u.must_change_password {
        out.push(Fact {
            label: ui.t("user-password-state"),
            value: ui.t("user-must-change-password"),
            testid: "user-must-change",
        });
    }
    out
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let notice = q
        .done
        .as_deref()
        .filter(|d| ACTIONS.contains(d))
        .map(|d| staff.ui.t(&format!("user-done-{d}")));
    let page = user_page(
        &state,
        &staff,
        id,
        None,
        FormErrors::default(),
        notice,
        None,
    )
    .await?;
    Ok(render(&page))
}

/// One of the user page's forms (`action`: profile, role, block, unblock, unlock, password).
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, action)): Path<(i64, String)>,
    Form(form): Form<UserForm>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    staff.check_csrf(&form.csrf)?;
    let ui = staff.ui.clone();
    let (store, caller, now) = (&state.store, &staff.caller, Timestamp::now());
    let done = match action.as_str() {
        "profile" => {
            let req = ProfileRequest {
                full_name: form.full_name.clone(),
                position: form.position.clone(),
            };
            users::update_profile(store, caller, id, &req, now)
                .await
                .map(drop)
        }
        "role" => {
            let req = RoleRequest {
                role: form.role.clone(),
                organization: form.organization.clone(),
            };
            users::change_role(store, caller, id, &req, now)
                .await
                .map(drop)
        }
        "block" => users::block(store, caller, id, &form.reason, now)
            .await
            .map(drop),
        "unblock" => users::unblock(store, caller, id, now).await.map(drop),
        "unlock" => users::unlock(store, caller, id, now).await.map(drop),
        "password" => match users::reset_password(store, caller, id, None, now).await {
            // The temporary password is shown on this answer, once.
            Ok(reset) => {
                let notice = Some(ui.t("user-done-password"));
                let page = user_page(
                    &state,
                    &staff,
                    id,
                    None,
                    FormErrors::default(),
                    notice,
                    reset.generated,
                )
                .await?;
                return Ok(render(&page));
            }
            Err(e) => Err(e),
        },
        _ => return Err(WebError::NotFound(Box::new(ui))),
    };
    match done {
        Ok(()) => Ok(see_other(&format!("/admin/users/{id}?done={action}"))),
        Err(e) if is_for_the_form(&e) => {
            let errors = form_errors(&ui, &e);
            let page = user_page(&state, &staff, id, Some(form), errors, None, None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(WebError::from_app(&ui, e)),
    }
}

/// A refusal beside the field it concerns, named by the field's label.
fn form_errors(ui: &Ui, e: &AppError) -> FormErrors {
    FormErrors::from_app(ui, e, |f| {
        let label = match f {
            "full_name" => "user-full-name",
            "position" => "user-position",
            "role" => "col-role",
            "organization" => "col-organization",
            "reason" => "user-block-reason",
            _ => return None,
        };
        Some((f.to_string(), label))
    })
}
