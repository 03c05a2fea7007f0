//! The office's storage shelf (`/office/{code}/storage`; 001 §19–20, decision Q2): every
//! result kept at the office, the soonest due first — when it came, the receipt's date (and
//! whether it passed uncollected), the storage term's class, when it is due for return or
//! review, the days the applicant is reminded. `?on=` judges the terms on another day. The
//! staff return what is due (after a confirmation): the register is made, each package
//! scanned `returned`, and its sealed PDF printed for the provider (001 §20). The same use
//! cases as `GET /api/v1/offices/{code}/storage` and `POST /api/v1/offices/{code}/returns`.

use super::super::session::Staff;
use super::super::{render_status, Ui, WebError};
use crate::app::front_office::returns::{self, ReturnRegisterView, ReturnRequest};
use crate::app::front_office::storage::{self, ShelfView};
use crate::app::now;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "front_office/shelf.html")]
struct ShelfPage {
    ui: Ui,
    shelf: ShelfView,
    /// The form's key for the return (a form sent twice makes one register).
    request_key: String,
    /// The register just made.
    register: Option<ReturnRegisterView>,
    error: Option<String>,
}

impl ShelfPage {
    /// A moment to the minute, as the shelf shows it.
    fn when(&self, at: &str) -> String {
        at.get(..16).unwrap_or(at).replace('T', " ")
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct ShelfQuery {
    on: Option<String>,
}

/// `GET /office/{code}/storage`.
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Query(q): Query<ShelfQuery>,
) -> Response {
    let on = q.on.as_deref().map(str::trim).filter(|s| !s.is_empty());
    match storage::shelf(&state, &staff.caller, &code, on, now()).await {
        Ok(shelf) => render_status(
            StatusCode::OK,
            &ShelfPage {
                ui: staff.ui.clone(),
                shelf,
                request_key: uuid::Uuid::new_v4().to_string(),
                register: None,
                error: None,
            },
        ),
        Err(e) => WebError::from_app(&staff.ui, e).into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub struct ReturnForm {
    csrf: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    request_key: String,
}

/// `POST /office/{code}/storage/returns`: makes the register of what is due on the day; the
/// shelf with the register's link, or with the reason.
pub async fn make_return(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Form(f): Form<ReturnForm>,
) -> Response {
    if let Err(e) = staff.check_csrf(&f.csrf) {
        return e.into_response();
    }
    let blank = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let req = ReturnRequest {
        request_key: blank(&f.request_key),
        on: blank(&f.on),
    };
    let (register, error, status) =
        match returns::make(&state, &staff.caller, &code, &req, now()).await {
            Ok(r) => (Some(r), None, StatusCode::CREATED),
            Err(e) => {
                let status = WebError::form_status(&e);
                if matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) {
                    return WebError::from_app(&staff.ui, e).into_response();
                }
                (None, Some(staff.ui.error_message(&e)), status)
            }
        };
    match storage::shelf(&state, &staff.caller, &code, req.on.as_deref(), now()).await {
        Ok(shelf) => render_status(
            status,
            &ShelfPage {
                ui: staff.ui.clone(),
                shelf,
                request_key: uuid::Uuid::new_v4().to_string(),
                register,
                error,
            },
        ),
        Err(e) => WebError::from_app(&staff.ui, e).into_response(),
    }
}

/// `GET /office/returns/{id}`: a register's sealed PDF, in the user's language.
pub async fn register_pdf(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Response {
    let made = async {
        let v = returns::show(&state, &staff.caller, &id).await?;
        returns::pdf(&v, staff.ui.lang)
    }
    .await;
    match made {
        Ok(bytes) => crate::files::pdf_response(bytes, &format!("return-register-{}", id.trim())),
        Err(e) => WebError::from_app(&staff.ui, e).into_response(),
    }
}
