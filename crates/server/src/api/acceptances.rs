//! Acceptance at the counter's API (001 §7–8, §14–17, §22; ADR 0021): the checklist a
//! service's passport gives, the acceptance itself (the application and its receipt, or the
//! refusal receipt), receipts as JSON or PDF, an application's consents and its certified
//! copies of originals (001 §17).
//! docs/front-office.md "Acceptance at the counter".

use super::applications::ApplicationView;
use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::front_office::acceptances::{
    self, AcceptanceRequest, ConsentIn, IdentificationView,
};
use crate::app::front_office::checklists::{self, ChecklistView};
use crate::app::front_office::copies::{self, CopyRequest, CopyView};
use crate::app::front_office::receipts::{self, ReceiptView};
use crate::app::front_office::storage::{
    self, ShelfQuery, ShelfView, StorageTermRequest, StorageTermView,
};
use crate::app::validate as v;
use crate::app::{now, AppError, Caller};
use crate::files::pdf_response;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What an acceptance came to.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptanceView {
    pub acceptance: String,
    /// accepted (the application registered) or refused (the package incomplete).
    #[schema(example = "accepted")]
    pub outcome: String,
    pub application: Option<ApplicationView>,
    /// The package's label code, when the documents travel on paper (001 §15.9).
    pub package: Option<String>,
    pub receipt: ReceiptView,
}

/// An acceptance's body: plain or signed; documentation only (bodies are read through
/// [`crate::signing::Submission`]).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum AcceptanceBody {
    Plain(AcceptanceRequest),
    Attached(crate::signing::AttachedSignature),
    Detached(crate::signing::DetachedSignature),
}

/// Accepts a package at the counter: registered with its acceptance receipt when complete
/// and consented; refused with a receipt naming what is missing otherwise. A retry with the
/// same `request_key` returns the first acceptance (200). Plain, or signed by the employee
/// (001 §8): `{"signed": …}` or `{"event": {…acceptance…}, "signature": …}`, as registrations.
#[utoipa::path(post, path = "/api/v1/acceptances", request_body = AcceptanceBody,
    responses((status = 201, description = "Accepted or refused, with its receipt", body = AcceptanceView),
        (status = 200, description = "A retry: the first acceptance", body = AcceptanceView),
        (status = 403, description = "Not staff of the office's branch", body = ErrorBody),
        (status = 404, description = "No such office", body = ErrorBody),
        (status = 409, description = "The request key was used for a refusal", body = ErrorBody),
        BodyErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn accept(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<AcceptanceView>), ApiError> {
    let outcome = acceptances::accept(
        &state,
        &caller,
        crate::signing::Submission::of(body)?,
        now(),
    )
    .await?;
    let receipt = receipts::view(&state, &outcome.receipt).await?;
    let package = outcome
        .application
        .as_ref()
        .filter(|a| a.paper)
        .map(|a| qyzmet_domain::front_office::package::barcode(a.number));
    let status = super::made(outcome.created);
    Ok((
        status,
        Json(AcceptanceView {
            acceptance: outcome.public_id,
            outcome: if outcome.application.is_some() {
                "accepted"
            } else {
                "refused"
            }
            .into(),
            application: outcome.application.as_ref().map(Into::into),
            package,
            receipt,
        }),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReceiptQuery {
    /// `json` (the default) or `pdf` (printed on request, A4, in the receipt's language).
    #[param(schema_with = crate::app::schema::json_or_pdf)]
    pub format: Option<String>,
}

fn receipt_response(view: ReceiptView, format: Option<&str>) -> Result<Response, ApiError> {
    match format.map(str::trim) {
        None | Some("json") => Ok(Json(view).into_response()),
        Some("pdf") => {
            let pdf = receipts::pdf(&view)?;
            Ok(pdf_response(pdf, &format!("receipt-{}", view.id)))
        }
        Some(_) => Err(AppError::invalid("format", "enum_invalid")
            .arg("allowed", "json, pdf")
            .into()),
    }
}

/// A receipt (001 §15.5–6), within the caller's reach: as JSON with its seal, or as a PDF.
#[utoipa::path(get, path = "/api/v1/receipts/{id}",
    params(("id" = String, Path, description = "The receipt's id"), ReceiptQuery),
    responses((status = 200, description = "The receipt",
        content((ReceiptView = "application/json"), (super::openapi::Pdf = "application/pdf"))),
        (status = 404, description = "No such receipt in the caller's reach", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn receipt(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ReceiptQuery>,
) -> Result<Response, ApiError> {
    let view = receipts::by_id(&state, &caller, &id).await?;
    receipt_response(view, q.format.as_deref())
}

/// The acceptance receipt of an application accepted at a counter.
#[utoipa::path(get, path = "/api/v1/applications/{number}/receipt",
    params(("number" = String, Path, description = "Application number"), ReceiptQuery),
    responses((status = 200, description = "The receipt",
        content((ReceiptView = "application/json"), (super::openapi::Pdf = "application/pdf"))),
        (status = 404, description = "No such application, or not accepted at a counter", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn application_receipt(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
    ApiQuery(q): ApiQuery<ReceiptQuery>,
) -> Result<Response, ApiError> {
    let view = receipts::of_application(&state, &caller, &number).await?;
    receipt_response(view, q.format.as_deref())
}

/// The checklist of a service's passport in force: the documents to bring (those from an
/// information system are never asked, 001 §22), which apply only to some applicants, and
/// the fee (001 §15.1, §15.3).
#[utoipa::path(get, path = "/api/v1/services/{code}/checklist",
    params(("code" = String, Path, description = "Service code")),
    responses((status = 200, description = "The checklist", body = ChecklistView),
        (status = 404, description = "No such service", body = ErrorBody),
        (status = 422, description = "The service has no passport in force", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn service_checklist(
    State(state): State<AppState>,
    _caller: Caller,
    headers: axum::http::HeaderMap,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<ChecklistView>, ApiError> {
    let lang = crate::i18n::Lang::from_headers(&headers);
    Ok(Json(
        checklists::of_service(&state, &code, lang, now()).await?,
    ))
}

/// The checklist of an application's service, from the passport version it was registered
/// under (its documents for this applicant).
#[utoipa::path(get, path = "/api/v1/applications/{number}/checklist",
    params(("number" = String, Path, description = "Application number")),
    responses((status = 200, description = "The checklist", body = ChecklistView),
        (status = 404, description = "No such application in the caller's reach, or no passport", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn application_checklist(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<ChecklistView>, ApiError> {
    let lang = crate::i18n::Lang::from_headers(&headers);
    Ok(Json(
        checklists::of_application(&state, &caller, &number, lang).await?,
    ))
}

/// An application's consents.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentList {
    pub items: Vec<ConsentView>,
}

/// A consent as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentView {
    #[schema(schema_with = crate::app::schema::consent_kind)]
    pub kind: String,
    #[schema(schema_with = crate::app::schema::consent_source)]
    pub source: String,
    pub source_id: String,
    #[schema(format = DateTime)]
    pub given_at: String,
    #[schema(format = DateTime)]
    pub recorded_at: String,
    pub actor: String,
}

fn consent_list(items: Vec<qyzmet_store::front_office::ConsentRecord>) -> ConsentList {
    ConsentList {
        items: items
            .into_iter()
            .map(|c| ConsentView {
                kind: c.consent.kind,
                source: c.consent.source,
                source_id: c.consent.source_id,
                given_at: v::local(c.consent.given_at),
                recorded_at: v::local(c.recorded_at),
                actor: c.actor,
            })
            .collect(),
    }
}

/// Consents to record.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentsRequest {
    #[schema(min_items = 1, max_items = 2)]
    pub consents: Vec<ConsentIn>,
}

/// Records an applicant's consents for an application (001 §7, §8): without both it is not
/// sent to the provider. A kind already on record stays as it was.
#[utoipa::path(post, path = "/api/v1/applications/{number}/consents", request_body = ConsentsRequest,
    params(("number" = String, Path, description = "Application number")),
    responses((status = 200, description = "The consents on record", body = ConsentList),
        (status = 404, description = "No such application in the caller's reach", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn add_consents(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
    ApiJson(req): ApiJson<ConsentsRequest>,
) -> Result<Json<ConsentList>, ApiError> {
    let items = acceptances::add_consents(&state, &caller, &number, &req.consents, now()).await?;
    Ok(Json(consent_list(items)))
}

/// How the applicant or the representative was identified at an acceptance (001 §14): masked,
/// every read audited.
#[utoipa::path(get, path = "/api/v1/acceptances/{id}/identification",
    params(("id" = String, Path, description = "The acceptance's id")),
    responses((status = 200, description = "The identification, masked", body = IdentificationView),
        (status = 404, description = "No such acceptance in the caller's reach", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn identification(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<IdentificationView>, ApiError> {
    Ok(Json(
        acceptances::identification_of(&state, &caller, &id, now()).await?,
    ))
}

/// An application's consents.
#[utoipa::path(get, path = "/api/v1/applications/{number}/consents",
    params(("number" = String, Path, description = "Application number")),
    responses((status = 200, description = "The consents on record", body = ConsentList),
        (status = 404, description = "No such application in the caller's reach", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn consents(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<ConsentList>, ApiError> {
    Ok(Json(consent_list(
        acceptances::consents_of(&state, &caller, &number).await?,
    )))
}

/// A service's storage term for results not collected (001 §20).
#[utoipa::path(get, path = "/api/v1/services/{code}/storage",
    params(("code" = String, Path, description = "Service code")),
    responses((status = 200, description = "The term (the rule when none is set)", body = StorageTermView),
        (status = 404, description = "No such service", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn storage_term(
    State(state): State<AppState>,
    _caller: Caller,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<StorageTermView>, ApiError> {
    Ok(Json(storage::term(&state, &code).await?))
}

/// Sets a service's storage term with the act it rests on (administrators; audited).
#[utoipa::path(put, path = "/api/v1/services/{code}/storage", request_body = StorageTermRequest,
    params(("code" = String, Path, description = "Service code")),
    responses((status = 200, description = "The term set", body = StorageTermView),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "No such service", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn set_storage_term(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<StorageTermRequest>,
) -> Result<Json<StorageTermView>, ApiError> {
    Ok(Json(
        storage::set_term(&state, &caller, &code, &req, now()).await?,
    ))
}

/// The office's storage shelf: the results kept there, each with its term (from the later of
/// its arrival and the receipt's date, to the next working day), due on the day asked about
/// or not, and its reminder days.
#[utoipa::path(get, path = "/api/v1/offices/{code}/storage",
    params(("code" = String, Path, description = "Office code"), ShelfQuery),
    responses((status = 200, description = "The shelf, the soonest due first", body = ShelfView),
        (status = 403, description = "Not staff or an analyst of the office's branch", body = ErrorBody),
        (status = 404, description = "No such office", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn shelf(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<ShelfQuery>,
) -> Result<Json<ShelfView>, ApiError> {
    Ok(Json(
        storage::shelf(&state, &caller, &code, q.on.as_deref(), now()).await?,
    ))
}

/// Certifies a copy of an original the applicant presented (001 §17): the scan (PDF, PNG or
/// JPEG, base64) for one of the passport's documents, sealed; the same file again answers the
/// first copy.
#[utoipa::path(post, path = "/api/v1/applications/{number}/copies", request_body = CopyRequest,
    params(("number" = String, Path, description = "Application number")),
    responses((status = 201, description = "Certified and kept", body = CopyView),
        (status = 200, description = "The same file was kept already", body = CopyView),
        (status = 404, description = "No such application in the caller's reach", body = ErrorBody),
        (status = 409, description = "Not accepted at the State Corporation", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn certify_copy(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
    ApiJson(req): ApiJson<CopyRequest>,
) -> Result<(StatusCode, Json<CopyView>), ApiError> {
    let v = copies::certify(&state, &caller, &number, &req, now()).await?;
    let status = super::made(v.created);
    Ok((status, Json(v)))
}

/// The certified copies of an application (without their files).
#[utoipa::path(get, path = "/api/v1/applications/{number}/copies",
    params(("number" = String, Path, description = "Application number")),
    responses((status = 200, description = "The copies", body = CopyList),
        (status = 404, description = "No such application in the caller's reach", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn list_copies(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<CopyList>, ApiError> {
    Ok(Json(CopyList {
        items: copies::list(&state, &caller, &number).await?,
    }))
}

/// An application's certified copies.
#[derive(Debug, Serialize, ToSchema)]
pub struct CopyList {
    pub items: Vec<CopyView>,
}

/// A certified copy's file, its seal in `X-Qyzmet-Seal`; every read audited.
#[utoipa::path(get, path = "/api/v1/copies/{id}",
    params(("id" = String, Path, description = "The copy's id")),
    responses((status = 200, description = "The file (PDF, PNG or JPEG)",
        content((super::openapi::Pdf = "application/pdf"))),
        (status = 404, description = "No such copy in the caller's reach", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn copy_file(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let (v, bytes) = copies::content(&state, &caller, &id, now()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, v.media_type.clone()),
            (
                header::HeaderName::from_static("x-qyzmet-seal"),
                v.seal.clone(),
            ),
        ],
        bytes,
    )
        .into_response())
}
