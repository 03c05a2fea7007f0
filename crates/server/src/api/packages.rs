//! Document packages' API (001 §15.9, ADR 0021): a scan by a courier's or a provider's system
//! (or the scanner page's script), a package's whereabouts and scans, its label as a PDF, and
//! the issue of the result at the desk (001 §19).
//! docs/front-office.md "Document packages".

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::front_office::issues::{self, IssueRequest, IssueView};
use crate::app::front_office::packages::{self, PackageView, ScanRequest, ScanResult};
use crate::app::{now, AppError, Caller};
use crate::files::pdf_response;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

/// Records a scan of a package: one of the four handovers, or its return unclaimed. Out of
/// order, or already made, it is refused (409) with what may come now.
#[utoipa::path(post, path = "/api/v1/packages/{barcode}/scans", request_body = ScanRequest,
    params(("barcode" = String, Path, description = "The label's code, e.g. QZ2612000000421")),
    responses((status = 201, description = "Recorded (with the stage it stands for)", body = ScanResult),
        (status = 404, description = "No such package in the caller's reach", body = ErrorBody),
        (status = 409, description = "Already scanned so, or not its next handover", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn scan(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(barcode): ApiPath<String>,
    ApiJson(req): ApiJson<ScanRequest>,
) -> Result<(StatusCode, Json<ScanResult>), ApiError> {
    let result = packages::scan(&state, &caller, &barcode, &req, now()).await?;
    Ok((StatusCode::CREATED, Json(result)))
}

/// A package: where it is, its scans and what may come next.
#[utoipa::path(get, path = "/api/v1/packages/{barcode}",
    params(("barcode" = String, Path, description = "The label's code")),
    responses((status = 200, description = "The package", body = PackageView),
        (status = 404, description = "No such package in the caller's reach", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(barcode): ApiPath<String>,
) -> Result<Json<PackageView>, ApiError> {
    Ok(Json(packages::package(&state, &caller, &barcode).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LabelQuery {
    /// `pdf` (the default and only one).
    #[param(schema_with = crate::app::schema::pdf_format)]
    pub format: Option<String>,
}

/// The package's label: a 100 × 50 mm PDF with its Code 128 barcode.
#[utoipa::path(get, path = "/api/v1/packages/{barcode}/label",
    params(("barcode" = String, Path, description = "The label's code"), LabelQuery),
    responses((status = 200, description = "The label", content((super::openapi::Pdf = "application/pdf"))),
        (status = 404, description = "No such package in the caller's reach", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn label(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(barcode): ApiPath<String>,
    ApiQuery(q): ApiQuery<LabelQuery>,
) -> Result<Response, ApiError> {
    if q.format.as_deref().is_some_and(|f| f != "pdf") {
        return Err(AppError::invalid("format", "enum_invalid")
            .arg("allowed", "pdf")
            .into());
    }
    let pdf = packages::label(&state, &caller, &barcode).await?;
    Ok(pdf_response(pdf, &format!("label-{}", barcode.trim())))
}

/// Issues a result at the issue desk (001 §19): the package must be at the desk; the person
/// shows an identity document with the applicant's IIN, or a representative their power of
/// attorney. Records the `issued` scan (the application closes as issued) and the issue.
#[utoipa::path(post, path = "/api/v1/issues", request_body = IssueRequest,
    responses((status = 201, description = "Issued", body = IssueView),
        (status = 200, description = "A retry (same request_key): the issue recorded first", body = IssueView),
        (status = 404, description = "No such package, office, counter or ticket in the caller's reach", body = ErrorBody),
        (status = 409, description = "The package is not at the issue desk, or was issued already", body = ErrorBody),
        BodyErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn issue(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<IssueRequest>,
) -> Result<(StatusCode, Json<IssueView>), ApiError> {
    let view = issues::issue(&state, &caller, &req, now()).await?;
    let status = super::made(view.created);
    Ok((status, Json(view)))
}
