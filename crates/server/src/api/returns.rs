//! Registers of unclaimed results returned to their providers (001 §20): made by the office's
//! staff from the shelf's results due for return, each scanned `returned`; read back as JSON
//! or as the sealed PDF. docs/front-office.md "Storage of results not collected".

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::front_office::returns::{self, ReturnRegisterView, ReturnRequest};
use crate::app::{now, AppError, Caller};
use crate::files::pdf_response;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

/// Makes the register of the results due for return at the office and scans each `returned`
/// (001 §20). Nothing due: 409.
#[utoipa::path(post, path = "/api/v1/offices/{code}/returns", request_body = ReturnRequest,
    params(("code" = String, Path, description = "The office's code")),
    responses((status = 201, description = "Made", body = ReturnRegisterView),
        (status = 200, description = "A retry (same request_key): the register made first", body = ReturnRegisterView),
        (status = 404, description = "No such office", body = ErrorBody),
        (status = 409, description = "Nothing is due for return that day", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn make(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<ReturnRequest>,
) -> Result<(StatusCode, Json<ReturnRegisterView>), ApiError> {
    let v = returns::make(&state, &caller, &code, &req, now()).await?;
    let status = super::made(v.created);
    Ok((status, Json(v)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    /// `json` (the default) or `pdf` (in the `Accept-Language`).
    #[param(schema_with = crate::app::schema::json_or_pdf)]
    pub format: Option<String>,
}

/// A register, within the reach of its office's staff and analysts: JSON, or the sealed PDF.
#[utoipa::path(get, path = "/api/v1/returns/{id}",
    params(("id" = String, Path, description = "The register's id"), RegisterQuery),
    responses((status = 200, description = "The register",
        content((ReturnRegisterView = "application/json"), (super::openapi::Pdf = "application/pdf"))),
        (status = 404, description = "No such register in the caller's reach", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<RegisterQuery>,
) -> Result<Response, ApiError> {
    let v = returns::show(&state, &caller, &id).await?;
    match q.format.as_deref().map(str::trim) {
        None | Some("json") => Ok(Json(v).into_response()),
        Some("pdf") => {
            let pdf = returns::pdf(&v, Lang::from_headers(&headers))?;
            Ok(pdf_response(pdf, &format!("return-register-{}", v.id)))
        }
        Some(_) => Err(AppError::invalid("format", "enum_invalid")
            .arg("allowed", "json, pdf")
            .into()),
    }
}
