//! `/api/v1/public/…`: what anyone may ask without a token (issue 17). The status of an
//! application for its applicant (decision Q11): the number and the IIN/BIN together, the
//! same 404 whichever did not match, limited per client address (429 with `Retry-After`),
//! every lookup audited without the IIN/BIN. The key receipts are sealed with, and the check
//! of a receipt's seal (ADR 0021).

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiQuery};
use super::openapi::{BodyErrors, ParamErrors};
use crate::app::front_office::receipts::{self, ReceiptCheck, ReceiptKey};
use crate::app::monitoring::status::{self, StatusAnswer};
use crate::app::registry::organizations::Names;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// The application's number, 13 digits (dashes and spaces allowed).
    #[param(pattern = "^[0-9 -]{13,25}$")]
    pub number: String,
    /// The applicant's IIN or BIN, 12 digits.
    #[param(pattern = "^[0-9]{12}$")]
    pub iin: String,
}

/// What the applicant may learn of their application: never a name or a document.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicStatusView {
    /// The number, grouped for reading: XXXX-XXXX-XXXX-X.
    pub number: String,
    pub service_code: String,
    pub service_name: Names,
    #[schema(schema_with = crate::app::schema::stage)]
    pub stage: String,
    /// The stage in the request's language.
    pub stage_name: String,
    /// `issued` or `refused` once closed.
    #[schema(schema_with = crate::app::schema::outcome)]
    pub outcome: Option<String>,
    pub suspended: bool,
    /// The legal term has passed without a result.
    pub overdue: bool,
    /// The day the result is due (Asia/Almaty).
    #[schema(format = Date)]
    pub planned_date: String,
    /// The office where the application was accepted, which issues a result on paper.
    pub office_code: String,
    pub office_name: Names,
    /// What to do next: `wait`, `suspended`, `collect`, `cabinet`, `issued`, `refused`.
    #[schema(pattern = "^(wait|suspended|collect|cabinet|issued|refused)$")]
    pub next_step: String,
    /// What to do next, in words, in the request's language.
    pub next_step_text: String,
}

/// The answer in `lang`.
pub fn view(a: &StatusAnswer, lang: Lang) -> PublicStatusView {
    let s = &a.status;
    PublicStatusView {
        number: a.number.formatted(),
        service_code: s.service_code.clone(),
        service_name: (&s.service_name).into(),
        stage: s.stage.as_str().into(),
        stage_name: a.stage_words(lang),
        outcome: s.outcome.map(|o| o.as_str().to_string()),
        suspended: s.suspended,
        overdue: s.overdue,
        planned_date: s.planned_date.to_string(),
        office_code: s.office_code.clone(),
        office_name: (&s.office_name).into(),
        next_step: a.next.as_str().into(),
        next_step_text: a.next_words(lang, s.planned_date.to_string()),
    }
}

/// The status of an application for its applicant: its number and the applicant's IIN/BIN,
/// both. No token. A wrong number, a mistyped one and a wrong IIN/BIN get the same 404.
#[utoipa::path(get, path = "/api/v1/public/status", params(StatusQuery),
    responses((status = 200, description = "Found", body = PublicStatusView),
        (status = 404, description = "No application of that number for that IIN/BIN", body = ErrorBody),
        (status = 429, description = "Too many lookups from this address: retry after `Retry-After` seconds", body = ErrorBody),
        (status = 503, description = "The database did not answer", body = ErrorBody),
        ParamErrors),
    tag = "public")]
pub async fn status_lookup(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    ApiQuery(q): ApiQuery<StatusQuery>,
) -> Result<Response, ApiError> {
    if let Err(wait) = state
        .status_throttle
        .check(&crate::throttle::peer(&extensions))
    {
        return Ok(ApiError::throttled("too_many_lookups", wait));
    }
    let answer = status::lookup(&state, &q.number, &q.iin).await?;
    Ok(Json(view(&answer, Lang::from_headers(&headers))).into_response())
}

/// The public key receipts are sealed with (ADR 0021): anyone checks a paper receipt offline
/// with it (`qyzmet receipt verify --public-key`). No token.
#[utoipa::path(get, path = "/api/v1/public/receipts/key",
    responses((status = 200, description = "The key", body = ReceiptKey),
        (status = 500, description = "The server's key cannot be read", body = ErrorBody)),
    tag = "public")]
pub async fn receipt_key(State(state): State<AppState>) -> Result<Json<ReceiptKey>, ApiError> {
    Ok(Json(receipts::public_key(&state).await?))
}

/// A receipt's QR code to check.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptCheckRequest {
    /// The text of the receipt's QR code (`QZR1.…`).
    #[schema(max_length = 2000)]
    pub token: String,
}

/// Checks a receipt's seal (001 §15.5–6, ADR 0021): genuine, with its sealed fields, or why
/// not (`altered`, `not_a_receipt`). No token.
#[utoipa::path(post, path = "/api/v1/public/receipts/check", request_body = ReceiptCheckRequest,
    responses((status = 200, description = "The verdict", body = ReceiptCheck),
        (status = 500, description = "The server's key cannot be read", body = ErrorBody),
        BodyErrors),
    tag = "public")]
pub async fn receipt_check(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<ReceiptCheckRequest>,
) -> Result<Json<ReceiptCheck>, ApiError> {
    if req.token.chars().count() > 2000 {
        return Err(crate::app::AppError::invalid("token", "too_long")
            .arg("max", 2000)
            .into());
    }
    Ok(Json(receipts::check(&state, &req.token).await?))
}
