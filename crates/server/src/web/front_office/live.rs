//! The pages' side of the live-queue fallback (issue 18, point 5; 001 §6): the kiosk and the
//! counter, signed in, take their range of numbers and send their journals back through these
//! two JSON endpoints of the workstation (the session's cookie, the page's CSRF token in the
//! `X-CSRF-Token` header), calling the same use cases as the API.

use super::super::session::Staff;
use crate::app::front_office::live::{self, JournalRequest, RangeRequest};
use crate::app::{now, AppError};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The page's token, from the `X-CSRF-Token` header.
fn csrf(headers: &HeaderMap) -> &str {
    headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// A refusal as JSON: the code and the message in the user's language.
fn refused(staff: &Staff, e: AppError) -> Response {
    let status = super::super::WebError::form_status(&e);
    let body =
        serde_json::json!({"error": {"code": e.code, "message": staff.ui.error_message(&e)}});
    (status, Json(body)).into_response()
}

/// `POST /office/{code}/range`: a range of today's numbers for this device.
pub async fn range(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(code): Path<String>,
    Json(req): Json<RangeRequest>,
) -> Response {
    if let Err(e) = staff.check_csrf(csrf(&headers)) {
        return e.into_response();
    }
    match live::allocate(&state, &staff.caller, &code, &req, now()).await {
        Ok(r) => (StatusCode::CREATED, Json(r)).into_response(),
        Err(e) => refused(&staff, e),
    }
}

/// `POST /office/{code}/journal`: this device's journal, reconciled.
pub async fn journal(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(code): Path<String>,
    Json(req): Json<JournalRequest>,
) -> Response {
    if let Err(e) = staff.check_csrf(csrf(&headers)) {
        return e.into_response();
    }
    match live::reconcile(&state, &staff.caller, &code, &req, now()).await {
        Ok(r) => Json(r).into_response(),
        Err(e) => refused(&staff, e),
    }
}
