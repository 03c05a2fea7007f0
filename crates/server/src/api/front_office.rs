//! The front office's API (001 §3, §6, §12): `/api/v1/offices` and their counters, tickets
//! taken at a kiosk (a device signed in with a token) or on the way (anyone, rate-limited per
//! client address), and the counter's actions. docs/front-office.md.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::front_office::counters::{self, CounterView, NewCounterRequest};
use crate::app::front_office::offices::{self, NewOfficeRequest, OfficeView};
use crate::app::front_office::tickets::{
    self, CallView, CounterTicketView, FinishRequest, NewTicketRequest, RedirectRequest, Step,
    TicketView,
};
use crate::app::{now, Caller};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficeList {
    pub items: Vec<OfficeView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CounterList {
    pub items: Vec<CounterView>,
}

/// Creates an office of a State Corporation branch (administrators).
#[utoipa::path(post, path = "/api/v1/offices", request_body = NewOfficeRequest,
    responses((status = 201, description = "Created", body = OfficeView),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 409, description = "The code is taken", body = ErrorBody),
        BodyErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn create_office(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<NewOfficeRequest>,
) -> Result<(StatusCode, Json<OfficeView>), ApiError> {
    let office = offices::create(&state, &caller, &req, now()).await?;
    Ok((StatusCode::CREATED, Json(office)))
}

/// The offices in the caller's reach (all for administrators and analysts), by code.
#[utoipa::path(get, path = "/api/v1/offices",
    responses((status = 200, description = "By code", body = OfficeList), TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn list_offices(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<OfficeList>, ApiError> {
    Ok(Json(OfficeList {
        items: offices::list(&state, &caller, now()).await?,
    }))
}

/// Adds a counter to an office (administrators, the branch's supervisors).
#[utoipa::path(post, path = "/api/v1/offices/{code}/counters", request_body = NewCounterRequest,
    params(("code" = String, Path, description = "The office's code")),
    responses((status = 201, description = "Added", body = CounterView),
        (status = 403, description = "Not an administrator or a supervisor of the branch", body = ErrorBody),
        (status = 404, description = "No such office", body = ErrorBody),
        (status = 409, description = "The number is taken, or the employee works at another counter", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn create_counter(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<NewCounterRequest>,
) -> Result<(StatusCode, Json<CounterView>), ApiError> {
    let counter = counters::create(&state, &caller, &code, &req, now()).await?;
    Ok((StatusCode::CREATED, Json(counter)))
}

/// The counters of an office, by number.
#[utoipa::path(get, path = "/api/v1/offices/{code}/counters",
    params(("code" = String, Path, description = "The office's code")),
    responses((status = 200, description = "By number", body = CounterList),
        (status = 403, description = "Outside the caller's reach", body = ErrorBody),
        (status = 404, description = "No such office", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn list_counters(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<CounterList>, ApiError> {
    Ok(Json(CounterList {
        items: counters::list(&state, &caller, &code).await?,
    }))
}

/// The headers of a ticket request (documentation only: read from the request's headers).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct TicketHeaders {
    /// The client's key for this ticket (1–100 visible ASCII characters): a retry with the
    /// same key answers the same ticket.
    #[param(
        rename = "Idempotency-Key",
        max_length = 100,
        pattern = "^[!-~]{1,100}$",
        nullable = false
    )]
    pub idempotency_key: Option<String>,
}

/// The longest `Idempotency-Key`.
const KEY_MAX: usize = 100;

/// The request's `Idempotency-Key`, if any: 1–100 visible ASCII characters.
fn idempotency_key(headers: &axum::http::HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match v.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= KEY_MAX && k.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(k.to_string()))
        }
        _ => {
            Err(ApiError::invalid("Idempotency-Key", "idempotency_key_invalid").arg("max", KEY_MAX))
        }
    }
}

/// Takes a ticket (001 §6, §12). A kiosk signs in with a token and is not limited; anyone
/// else takes a digital ticket, rate-limited per client address. Refused while the office is
/// closed or runs the live queue. With an `Idempotency-Key`, a retry answers the ticket the
/// first attempt took.
#[utoipa::path(post, path = "/api/v1/offices/{code}/tickets", request_body = NewTicketRequest,
    params(("code" = String, Path, description = "The office's code"), TicketHeaders),
    responses((status = 201, description = "Taken", body = TicketView),
        (status = 404, description = "No such office", body = ErrorBody),
        (status = 409, description = "The office is closed or runs the live queue", body = ErrorBody),
        (status = 429, description = "Too many tickets from this address: retry after `Retry-After` seconds", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    tag = "front_office")]
pub async fn take_ticket(
    State(state): State<AppState>,
    caller: Option<Caller>,
    extensions: axum::http::Extensions,
    headers: axum::http::HeaderMap,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<NewTicketRequest>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let actor = match &caller {
        Some(c) => c.actor(),
        None => {
            if let Err(wait) = state
                .ticket_throttle
                .check(&crate::throttle::peer(&extensions))
            {
                return Ok(ApiError::throttled("too_many_tickets", wait));
            }
            "public".to_string()
        }
    };
    let ticket = tickets::take(&state, &actor, &code, &req, key.as_deref(), now()).await?;
    Ok((StatusCode::CREATED, Json(ticket)).into_response())
}

/// A ticket by its link: its state, position and estimated wait (the digital ticket).
#[utoipa::path(get, path = "/api/v1/tickets/{id}",
    params(("id" = String, Path, description = "The ticket's id (from its link)")),
    responses((status = 200, description = "Found", body = TicketView),
        (status = 404, description = "No such ticket", body = ErrorBody),
        (status = 503, description = "The database did not answer", body = ErrorBody),
        ParamErrors),
    tag = "front_office")]
pub async fn show_ticket(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<TicketView>, ApiError> {
    Ok(Json(tickets::show(&state, &id, now()).await?))
}

/// What state to put a counter in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterStateRequest {
    /// `open`, `paused` or `closed`.
    #[schema(example = "open")]
    pub state: String,
}

/// Opens, pauses or closes a counter (its employee, the branch's supervisors, administrators).
#[utoipa::path(post, path = "/api/v1/counters/{id}/state", request_body = CounterStateRequest,
    params(("id" = i64, Path, description = "The counter's id")),
    responses((status = 200, description = "Changed", body = CounterView),
        (status = 403, description = "Not the caller's counter", body = ErrorBody),
        (status = 404, description = "No such counter", body = ErrorBody),
        (status = 409, description = "A visitor is called or served: finish first", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn counter_state(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<CounterStateRequest>,
) -> Result<Json<CounterView>, ApiError> {
    Ok(Json(
        counters::set_state(&state, &caller, id, &req.state, now()).await?,
    ))
}

/// Who works at a counter.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterEmployeeRequest {
    /// The user name of an operator or supervisor of the office's branch; `null` or empty:
    /// nobody.
    #[schema(max_length = 64)]
    pub employee: Option<String>,
}

/// Puts an employee at a counter, or nobody (the branch's supervisors, administrators;
/// recorded). Its screen shows their name and position (001 §6).
#[utoipa::path(post, path = "/api/v1/counters/{id}/employee", request_body = CounterEmployeeRequest,
    params(("id" = i64, Path, description = "The counter's id")),
    responses((status = 200, description = "Changed", body = CounterView),
        (status = 403, description = "Not a supervisor of the office's branch", body = ErrorBody),
        (status = 404, description = "No such counter", body = ErrorBody),
        (status = 409, description = "A visitor is called or served, or the employee works at another counter", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn counter_employee(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<CounterEmployeeRequest>,
) -> Result<Json<CounterView>, ApiError> {
    Ok(Json(
        counters::set_employee(&state, &caller, id, req.employee.as_deref(), now()).await?,
    ))
}

/// The ticket the counter has called or serves.
#[utoipa::path(get, path = "/api/v1/counters/{id}/ticket",
    params(("id" = i64, Path, description = "The counter's id")),
    responses((status = 200, description = "The current ticket, or none", body = CallView),
        (status = 403, description = "Not the caller's counter", body = ErrorBody),
        (status = 404, description = "No such counter", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn counter_ticket(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CallView>, ApiError> {
    Ok(Json(tickets::current(&state, &caller, id, now()).await?))
}

/// Calls the next ticket: the office's rule decides who (priority head starts, bookings in
/// their slot, optionally applications about to be overdue). No ticket twice, whatever other
/// counters do at the same moment.
#[utoipa::path(post, path = "/api/v1/counters/{id}/call-next",
    params(("id" = i64, Path, description = "The counter's id")),
    responses((status = 200, description = "The ticket called, or none if nobody waits", body = CallView),
        (status = 403, description = "Not the caller's counter", body = ErrorBody),
        (status = 404, description = "No such counter", body = ErrorBody),
        (status = 409, description = "The counter is not open, or has a visitor already", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn call_next(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CallView>, ApiError> {
    Ok(Json(tickets::call_next(&state, &caller, id, now()).await?))
}

/// A ticket number to call.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallNumberRequest {
    /// Today's ticket number (`A017`).
    #[schema(max_length = 10, example = "A017")]
    pub ticket: String,
}

/// Calls a waiting ticket of today by its number, whatever the rule says.
#[utoipa::path(post, path = "/api/v1/counters/{id}/call", request_body = CallNumberRequest,
    params(("id" = i64, Path, description = "The counter's id")),
    responses((status = 200, description = "Called", body = CounterTicketView),
        (status = 403, description = "Not the caller's counter", body = ErrorBody),
        (status = 404, description = "No such counter, or no such ticket waiting", body = ErrorBody),
        (status = 409, description = "The counter is not open, or has a visitor already", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn call_number(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<CallNumberRequest>,
) -> Result<Json<CounterTicketView>, ApiError> {
    Ok(Json(
        tickets::call_number(&state, &caller, id, &req.ticket, now()).await?,
    ))
}

async fn step(
    state: &AppState,
    caller: &Caller,
    id: i64,
    s: Step,
) -> Result<Json<CounterTicketView>, ApiError> {
    Ok(Json(tickets::step(state, caller, id, s, now()).await?))
}

/// Calls the counter's ticket again (the call count grows).
#[utoipa::path(post, path = "/api/v1/counters/{id}/recall",
    params(("id" = i64, Path, description = "The counter's id")),
    responses((status = 200, description = "Called again", body = CounterTicketView),
        (status = 403, description = "Not the caller's counter", body = ErrorBody),
        (status = 404, description = "No such counter", body = ErrorBody),
        (status = 409, description = "No ticket called", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn recall(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CounterTicketView>, ApiError> {
    step(&state, &caller, id, Step::Recall).await
}

/// The visitor did not come: allowed after the office's number of calls.
#[utoipa::path(post, path = "/api/v1/counters/{id}/no-show",
    params(("id" = i64, Path, description = "The counter's id")),
    responses((status = 200, description = "Marked as not shown", body = CounterTicketView),
        (status = 403, description = "Not the caller's counter", body = ErrorBody),
        (status = 404, description = "No such counter", body = ErrorBody),
        (status = 409, description = "No ticket called, or not called often enough yet", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn no_show(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CounterTicketView>, ApiError> {
    step(&state, &caller, id, Step::NoShow).await
}

/// The visitor came: service starts.
#[utoipa::path(post, path = "/api/v1/counters/{id}/start",
    params(("id" = i64, Path, description = "The counter's id")),
    responses((status = 200, description = "Being served", body = CounterTicketView),
        (status = 403, description = "Not the caller's counter", body = ErrorBody),
        (status = 404, description = "No such counter", body = ErrorBody),
        (status = 409, description = "No ticket called", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn start(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CounterTicketView>, ApiError> {
    step(&state, &caller, id, Step::Start).await
}

/// Service ended, with what it produced and the application it concerns.
#[utoipa::path(post, path = "/api/v1/counters/{id}/finish", request_body = FinishRequest,
    params(("id" = i64, Path, description = "The counter's id")),
    responses((status = 200, description = "Finished", body = CounterTicketView),
        (status = 403, description = "Not the caller's counter", body = ErrorBody),
        (status = 404, description = "No such counter", body = ErrorBody),
        (status = 409, description = "No ticket being served", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn finish(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<FinishRequest>,
) -> Result<Json<CounterTicketView>, ApiError> {
    step(&state, &caller, id, Step::Finish(req)).await
}

/// Back to the queue for another purpose, service or counter; the ticket keeps its arrival.
#[utoipa::path(post, path = "/api/v1/counters/{id}/redirect", request_body = RedirectRequest,
    params(("id" = i64, Path, description = "The counter's id")),
    responses((status = 200, description = "Waiting again", body = CounterTicketView),
        (status = 403, description = "Not the caller's counter", body = ErrorBody),
        (status = 404, description = "No such counter", body = ErrorBody),
        (status = 409, description = "No ticket called or served", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn redirect(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<RedirectRequest>,
) -> Result<Json<CounterTicketView>, ApiError> {
    step(&state, &caller, id, Step::Redirect(req)).await
}
