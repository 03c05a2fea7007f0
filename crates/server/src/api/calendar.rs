//! `/api/v1/calendar`: the production calendar in force, its edits (administrators; an edit
//! recomputes the planned dates that depend on it), and the deadline calculator (rules 1–10).

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::registry::calendar::*;
use crate::app::Caller;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;

/// Computes a planned date and deadline with the calendar in force.
#[utoipa::path(get, path = "/api/v1/calendar/deadline", params(DeadlineQuery),
    responses((status = 200, description = "The planned date and deadline", body = DeadlineView), ParamErrors),
    tag = "calendar")]
pub async fn deadline(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<DeadlineQuery>,
) -> Result<Json<DeadlineView>, ApiError> {
    Ok(Json(DeadlineView::compute(&q, &state.calendar.get())?))
}

/// The calendar in force: the dated exceptions to the Saturday–Sunday weekend.
#[utoipa::path(get, path = "/api/v1/calendar", params(EntriesQuery),
    responses((status = 200, description = "The calendar in force", body = CalendarView), ParamErrors),
    tag = "calendar")]
pub async fn entries(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<EntriesQuery>,
) -> Result<Json<CalendarView>, ApiError> {
    Ok(Json(entries_of(&state, q.year)?))
}

/// Sets a day off or a working day (administrators).
#[utoipa::path(put, path = "/api/v1/calendar/{date}", request_body = CalendarEntryRequest,
    params(("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, description = "Set; the pending applications' deadlines recomputed", body = CalendarEditView),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "calendar")]
pub async fn put_entry(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(date): ApiPath<String>,
    ApiJson(req): ApiJson<CalendarEntryRequest>,
) -> Result<Json<CalendarEditView>, ApiError> {
    Ok(Json(set_calendar_day(&state, &caller, &date, &req).await?))
}

/// Removes a day's entry: the day follows the weekly pattern again (administrators).
#[utoipa::path(delete, path = "/api/v1/calendar/{date}",
    params(("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, description = "Removed (or there was none); the pending applications' deadlines recomputed", body = CalendarEditView),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "calendar")]
pub async fn delete_entry(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(date): ApiPath<String>,
) -> Result<Json<CalendarEditView>, ApiError> {
    Ok(Json(clear_calendar_day(&state, &caller, &date).await?))
}
