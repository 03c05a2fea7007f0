//! Booked visits through the API (001 §12): an office's free slots and bookings for anyone
//! (rate-limited per client address like digital tickets; a signed-in consultant or kiosk is
//! not), the booking by its link — show, cancel, reschedule, check in — the kiosk's check-in
//! by code, and the office's list for its staff. docs/front-office.md.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::front_office::bookings::{
    self, BookingView, NewBookingRequest, RescheduleRequest, SlotsView,
};
use crate::app::front_office::tickets::TicketView;
use crate::app::{now, Caller};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Which slots.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SlotsQuery {
    /// The service's code.
    #[param(max_length = 64)]
    pub service_code: String,
    /// The local date, `YYYY-MM-DD`.
    #[param(format = Date)]
    pub date: String,
    /// `acceptance` (default), `issue` or `consultation`.
    pub purpose: Option<String>,
}

/// Which day's bookings.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BookingsQuery {
    /// The local date, `YYYY-MM-DD`.
    #[param(format = Date)]
    pub date: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BookingList {
    pub items: Vec<BookingView>,
}

/// The code a visitor types at the kiosk.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInRequest {
    /// Six digits, from the booking's confirmation.
    #[schema(example = "123456", max_length = 6)]
    pub code: String,
}

/// Who acts: the signed-in caller, or `public` within the per-address limit (else how long
/// to wait).
fn actor(
    state: &AppState,
    caller: &Option<Caller>,
    ext: &axum::http::Extensions,
) -> Result<String, std::time::Duration> {
    match caller {
        Some(c) => Ok(c.actor()),
        None => state
            .ticket_throttle
            .check(&crate::throttle::peer(ext))
            .map(|()| "public".into()),
    }
}

/// The free slots of an office for a service on a day (001 §12): its week, the production
/// calendar, the service's maximum service time; as many places as counters take bookings.
#[utoipa::path(get, path = "/api/v1/offices/{code}/slots",
    params(("code" = String, Path, description = "The office's code"), SlotsQuery),
    responses((status = 200, description = "The slots ahead, by time", body = SlotsView),
        (status = 404, description = "No such office", body = ErrorBody),
        ParamErrors),
    tag = "front_office")]
pub async fn slots(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<SlotsQuery>,
) -> Result<Json<SlotsView>, ApiError> {
    Ok(Json(
        bookings::slots(
            &state,
            &code,
            &q.service_code,
            q.purpose.as_deref(),
            &q.date,
            now(),
        )
        .await?,
    ))
}

/// Books a visit: a place in a slot, a check-in code, the confirmation and a reminder by
/// e-mail or SMS when a contact is given. No place is held twice, whatever the timing.
#[utoipa::path(post, path = "/api/v1/offices/{code}/bookings", request_body = NewBookingRequest,
    params(("code" = String, Path, description = "The office's code")),
    responses((status = 201, description = "Booked", body = BookingView),
        (status = 404, description = "No such office", body = ErrorBody),
        (status = 409, description = "The slot is full", body = ErrorBody),
        (status = 429, description = "Too many requests from this address: retry after `Retry-After` seconds", body = ErrorBody),
        BodyErrors, ParamErrors),
    tag = "front_office")]
pub async fn create(
    State(state): State<AppState>,
    caller: Option<Caller>,
    extensions: axum::http::Extensions,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<NewBookingRequest>,
) -> Result<Response, ApiError> {
    let actor = match actor(&state, &caller, &extensions) {
        Ok(a) => a,
        Err(wait) => return Ok(ApiError::throttled("too_many_requests", wait)),
    };
    let b = bookings::create(&state, &actor, &code, &req, now()).await?;
    Ok((StatusCode::CREATED, Json(b)).into_response())
}

/// The bookings of an office for a day (the branch's staff, analysts), contacts masked.
#[utoipa::path(get, path = "/api/v1/offices/{code}/bookings",
    params(("code" = String, Path, description = "The office's code"), BookingsQuery),
    responses((status = 200, description = "By time", body = BookingList),
        (status = 403, description = "Outside the caller's reach", body = ErrorBody),
        (status = 404, description = "No such office", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<BookingsQuery>,
) -> Result<Json<BookingList>, ApiError> {
    Ok(Json(BookingList {
        items: bookings::list(&state, &caller, &code, &q.date, now()).await?,
    }))
}

/// A booking by its link.
#[utoipa::path(get, path = "/api/v1/bookings/{id}",
    params(("id" = String, Path, description = "The booking's id (from its link)")),
    responses((status = 200, description = "Found", body = BookingView),
        (status = 404, description = "No such booking", body = ErrorBody),
        ParamErrors),
    tag = "front_office")]
pub async fn show(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<BookingView>, ApiError> {
    Ok(Json(bookings::show(&state, &id, now()).await?))
}

/// Cancels a booking by its link: its place is free again, its reminder is not sent.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/cancel",
    params(("id" = String, Path, description = "The booking's id (from its link)")),
    responses((status = 200, description = "Cancelled", body = BookingView),
        (status = 404, description = "No such booking", body = ErrorBody),
        (status = 409, description = "Not standing any more (cancelled, checked in)", body = ErrorBody),
        ParamErrors),
    tag = "front_office")]
pub async fn cancel(
    State(state): State<AppState>,
    caller: Option<Caller>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<BookingView>, ApiError> {
    let actor = caller.map_or_else(|| "public".to_string(), |c| c.actor());
    Ok(Json(bookings::cancel(&state, &actor, &id, now()).await?))
}

/// Moves a booking to another slot of its office and service; the link and the code stay.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/reschedule", request_body = RescheduleRequest,
    params(("id" = String, Path, description = "The booking's id (from its link)")),
    responses((status = 200, description = "Moved", body = BookingView),
        (status = 404, description = "No such booking", body = ErrorBody),
        (status = 409, description = "Not standing any more, the same slot, or the slot is full", body = ErrorBody),
        BodyErrors, ParamErrors),
    tag = "front_office")]
pub async fn reschedule(
    State(state): State<AppState>,
    caller: Option<Caller>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<RescheduleRequest>,
) -> Result<Json<BookingView>, ApiError> {
    let actor = caller.map_or_else(|| "public".to_string(), |c| c.actor());
    Ok(Json(
        bookings::reschedule(&state, &actor, &id, &req, now()).await?,
    ))
}

/// Checks a booking in by its link (the holder at the office): it becomes a ticket of the
/// booked group, called within its slot. From an hour before the slot to its end.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/check-in",
    params(("id" = String, Path, description = "The booking's id (from its link)")),
    responses((status = 201, description = "The ticket", body = TicketView),
        (status = 404, description = "No such booking", body = ErrorBody),
        (status = 409, description = "Too early, too late, not standing, or the office is closed or runs the live queue", body = ErrorBody),
        ParamErrors),
    tag = "front_office")]
pub async fn check_in(
    State(state): State<AppState>,
    caller: Option<Caller>,
    ApiPath(id): ApiPath<String>,
) -> Result<(StatusCode, Json<TicketView>), ApiError> {
    let actor = caller.map_or_else(|| "public".to_string(), |c| c.actor());
    let t = bookings::check_in_by_link(&state, &actor, &id, now()).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// Checks a booking in at the kiosk by its code (a kiosk's or staff token: codes are short).
#[utoipa::path(post, path = "/api/v1/offices/{code}/check-in", request_body = CheckInRequest,
    params(("code" = String, Path, description = "The office's code")),
    responses((status = 201, description = "The ticket", body = TicketView),
        (status = 404, description = "No such office, or no standing booking of that code", body = ErrorBody),
        (status = 409, description = "Too early, too late, or the office is closed or runs the live queue", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn check_in_by_code(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<CheckInRequest>,
) -> Result<(StatusCode, Json<TicketView>), ApiError> {
    let t = bookings::check_in_by_code(&state, &caller, &code, &req.code, now()).await?;
    Ok((StatusCode::CREATED, Json(t)))
}
