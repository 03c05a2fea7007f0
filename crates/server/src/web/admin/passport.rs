//! A service's passport on the administrator's pages (issue 17; 003): its versions (the one in
//! force, those dated ahead, the draft), what keeps the draft from publication — each missing
//! or invalid field named in words, in the administrator's language — and the forms that
//! publish the draft (its first day in force and its approving act) and discard it, each
//! after a confirmation. Drafts are written in the editor (`passport_edit`), linked from here,
//! or through `PUT /api/v1/services/{code}/passport`; every action goes through
//! `app::registry::passports`, with the administrator as the caller.

use super::{is_for_the_form, ADMINS};
use crate::app::registry::passports::{self as uc, PublishRequest};
use crate::state::AppState;
use crate::web::session::Staff;
use crate::web::{format, render, render_status, see_other, Ui, WebError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use qyzmet_domain::passport::Strictness;
use qyzmet_store::{PassportState, PassportVersion};
use serde::Deserialize;

/// One version in the list.
pub struct VersionLine {
    pub version: i64,
    /// `draft`, `in-force`, `ahead` or `past`.
    pub status: &'static str,
    pub valid: String,
    pub approving_act: String,
    pub published: String,
}

/// What keeps the draft from publication: the field in words and why.
pub struct ProblemLine {
    pub field: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "admin/passport.html")]
struct PassportPage {
    ui: Ui,
    code: String,
    name: String,
    versions: Vec<VersionLine>,
    draft: Option<(i64, i64)>,
    problems: Vec<ProblemLine>,
    notice: Option<String>,
    error: Option<String>,
    valid_from: String,
    approving_act: String,
}

fn line(ui: &Ui, p: &PassportVersion, today: jiff::civil::Date) -> VersionLine {
    let status = match (p.state, p.valid_from) {
        (PassportState::Draft, _) => "draft",
        (PassportState::Published, Some(from)) if from > today => "ahead",
        (PassportState::Published, _) if p.valid_to.is_some_and(|to| to < today) => "past",
        (PassportState::Published, _) => "in-force",
    };
    let valid = match (p.valid_from, p.valid_to) {
        (Some(from), Some(to)) => format!(
            "{} — {}",
            format::date(ui.lang, from),
            format::date(ui.lang, to)
        ),
        (Some(from), None) => format!("{} —", format::date(ui.lang, from)),
        _ => "—".into(),
    };
    VersionLine {
        version: p.version,
        status,
        valid,
        approving_act: p.approving_act.clone(),
        published: p
            .published_at
            .map(|t| format::datetime(ui.lang, t))
            .unwrap_or_default(),
    }
}

async fn page(
    state: &AppState,
    staff: &Staff,
    code: &str,
    notice: Option<String>,
    error: Option<String>,
    sent: (String, String),
) -> Result<PassportPage, WebError> {
    let ui = staff.ui.clone();
    let service = crate::app::registry::services::show(state, code)
        .await
        .map_err(|e| WebError::from_app(&ui, e))?;
    let all = uc::versions(state, &staff.caller, code)
        .await
        .map_err(|e| WebError::from_app(&ui, e))?;
    let today = qyzmet_domain::zone::local_date(crate::app::now());
    let draft = all.iter().find(|p| p.state == PassportState::Draft);
    let problems = draft
        .map(|d| {
            uc::problems(&d.passport, Strictness::Publish)
                .into_iter()
                .map(|p| ProblemLine {
                    field: p
                        .field
                        .as_deref()
                        .and_then(|f| crate::i18n::field_label(ui.lang, f))
                        .unwrap_or_else(|| p.field.clone().unwrap_or_default()),
                    message: p.message(ui.lang),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(PassportPage {
        code: service.code.to_string(),
        name: service.name.get(ui.code()).to_string(),
        versions: all.iter().map(|p| line(&ui, p, today)).collect(),
        draft: draft.map(|d| (d.version, d.revision)),
        problems,
        notice,
        error,
        valid_from: sent.0,
        approving_act: sent.1,
        ui,
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct ShowQuery {
    published: Option<String>,
    discarded: Option<String>,
    saved: Option<String>,
}

/// `GET /admin/services/{code}/passport`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let notice = if q.published.is_some() {
        Some(staff.ui.t("passport-published"))
    } else if q.discarded.is_some() {
        Some(staff.ui.t("passport-discarded"))
    } else if q.saved.is_some() {
        Some(staff.ui.t("passport-saved"))
    } else {
        None
    };
    let p = page(&state, &staff, &code, notice, None, Default::default()).await?;
    Ok(render(&p))
}

#[derive(Debug, Deserialize)]
pub struct PublishForm {
    csrf: String,
    revision: i64,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    approving_act: String,
}

/// `POST /admin/services/{code}/passport/publish`.
pub async fn publish(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Form(f): Form<PublishForm>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    staff.check_csrf(&f.csrf)?;
    let req = PublishRequest {
        revision: f.revision,
        valid_from: Some(f.valid_from.clone()).filter(|d| !d.trim().is_empty()),
        approving_act: f.approving_act.clone(),
    };
    let done = uc::publish(&state, &staff.caller, &code, &req)
        .await
        .map(|_| ());
    answer(
        &state,
        &staff,
        &code,
        done,
        "published",
        (f.valid_from, f.approving_act),
    )
    .await
}

/// The page after an action: back to it with `?<notice>=1` when done; re-shown with the
/// refusal (and what was typed) when it is the form's to correct; else the error's page.
async fn answer(
    state: &AppState,
    staff: &Staff,
    code: &str,
    done: Result<(), crate::app::AppError>,
    notice: &str,
    sent: (String, String),
) -> Result<Response, WebError> {
    match done {
        Ok(()) => Ok(see_other(&format!(
            "/admin/services/{code}/passport?{notice}=1"
        ))),
        Err(e) if is_for_the_form(&e) => {
            let status = match e.kind {
                crate::app::ErrorKind::Conflict => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let message = staff.ui.error_message(&e);
            let p = page(state, staff, code, None, Some(message), sent).await?;
            Ok(render_status(status, &p))
        }
        Err(e) => Err(WebError::from_app(&staff.ui, e)),
    }
}

#[derive(Debug, Deserialize)]
pub struct DiscardForm {
    csrf: String,
    revision: i64,
}

/// `POST /admin/services/{code}/passport/discard`.
pub async fn discard(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Form(f): Form<DiscardForm>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    staff.check_csrf(&f.csrf)?;
    let done = uc::discard(&state, &staff.caller, &code, f.revision).await;
    answer(&state, &staff, &code, done, "discarded", Default::default()).await
}
