//! The live-queue fallback through the API (issue 18, point 5; 001 §6): the mode switch, the
//! ranges of numbers and the journals' reconciliation. docs/front-office.md.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::front_office::live::{
    self, JournalRequest, ModeRequest, RangeRequest, RangeView, ReconciledView,
};
use crate::app::front_office::offices::OfficeView;
use crate::app::{now, Caller};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

/// Switches the office to the live queue or back (the branch's supervisors, administrators),
/// with the reason; recorded (001 §21). While live, no electronic ticket is issued.
#[utoipa::path(post, path = "/api/v1/offices/{code}/mode", request_body = ModeRequest,
    params(("code" = String, Path, description = "The office's code")),
    responses((status = 200, description = "Switched", body = OfficeView),
        (status = 403, description = "Not a supervisor of the branch or an administrator", body = ErrorBody),
        (status = 404, description = "No such office", body = ErrorBody),
        (status = 409, description = "Already in that mode", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn mode(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<ModeRequest>,
) -> Result<Json<OfficeView>, ApiError> {
    Ok(Json(
        live::switch_mode(&state, &caller, &code, &req, now()).await?,
    ))
}

/// Hands today's next numbers to a kiosk or counter, for the live queue: cut from the same
/// sequence as the electronic tickets, so no number is issued twice.
#[utoipa::path(post, path = "/api/v1/offices/{code}/ranges", request_body = RangeRequest,
    params(("code" = String, Path, description = "The office's code")),
    responses((status = 201, description = "The range", body = RangeView),
        (status = 403, description = "Outside the caller's reach", body = ErrorBody),
        (status = 404, description = "No such office", body = ErrorBody),
        (status = 409, description = "The day's numbers are exhausted", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn range(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<RangeRequest>,
) -> Result<(StatusCode, Json<RangeView>), ApiError> {
    let r = live::allocate(&state, &caller, &code, &req, now()).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Reconciles a device's journal of the live queue: issued numbers become tickets, served
/// entries move them; a resent journal changes nothing; entries about numbers another
/// device's journal has not brought yet wait for it.
#[utoipa::path(post, path = "/api/v1/offices/{code}/journal", request_body = JournalRequest,
    params(("code" = String, Path, description = "The office's code")),
    responses((status = 200, description = "Reconciled", body = ReconciledView),
        (status = 403, description = "Outside the caller's reach", body = ErrorBody),
        (status = 404, description = "No such office", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn journal(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<JournalRequest>,
) -> Result<Json<ReconciledView>, ApiError> {
    Ok(Json(
        live::reconcile(&state, &caller, &code, &req, now()).await?,
    ))
}
