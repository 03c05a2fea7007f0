//! `/api/v1/reports`: the monthly violations report of 000 §12, by organization (own and
//! total figures up the hierarchy) and by service. Definitions: MISSION.md "The month of a
//! violation" and "Technical-cause violations" (`qyzmet_domain::violation`).
//!
//! The report is computed on request from the applications, as of the request's moment; an
//! organization's token or user sees the applications executed in its sub-tree.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiQuery};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::monitoring::exports::render_violations;
use crate::app::monitoring::reports::*;
use crate::app::now;
use crate::app::Caller;
use crate::files::attachment;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// The violations report of a month (000 §12), as of now: JSON, CSV or Excel.
#[utoipa::path(get, path = "/api/v1/reports/violations", params(ViolationsQuery),
    responses((status = 200, description = "JSON; with format=csv or xlsx, the file, headed in the Accept-Language",
        content(
            (ViolationsView = "application/json"),
            (String = "text/csv"),
            (super::openapi::Spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )),
        (status = 404, description = "The month has no stored version of that number", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "reports")]
pub async fn violations(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ViolationsQuery>,
) -> Result<Response, ApiError> {
    let (month, format, report) = violations_report(&state, &caller, &q).await?;
    let bytes = render_violations(report, format, Lang::from_headers(&headers), now())?;
    Ok(attachment(bytes, format, &format!("violations-{month}")))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GenerateView {
    /// Whether this request stored a new version (`false`: the figures were those of the
    /// latest version already).
    pub created: bool,
    pub latest: VersionView,
}

/// Generates a month's report now (administrators): its first version as of now, or a
/// revision as of the first version's moment; stored only when the figures changed.
#[utoipa::path(post, path = "/api/v1/reports/violations/generate", request_body = GenerateRequest,
    responses((status = 201, body = GenerateView, description = "A new version"),
        (status = 200, body = GenerateView, description = "Nothing changed"),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        BodyErrors, TokenErrors),
    security(("bearer" = [])), tag = "reports")]
pub async fn generate(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<GenerateRequest>,
) -> Result<(StatusCode, Json<GenerateView>), ApiError> {
    let (latest, created) = generate_report(&state, &caller, &req.month).await?;
    let status = super::made(created);
    Ok((
        status,
        Json(GenerateView {
            created,
            latest: (&latest).into(),
        }),
    ))
}

/// The stored versions of a month's report, oldest first.
#[utoipa::path(get, path = "/api/v1/reports/violations/versions", params(VersionsQuery),
    responses((status = 200, description = "The stored versions, oldest first", body = [VersionView]),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "reports")]
pub async fn versions(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(q): ApiQuery<VersionsQuery>,
) -> Result<Json<Vec<VersionView>>, ApiError> {
    let versions = report_versions(&state, &q.month).await?;
    Ok(Json(versions.iter().map(VersionView::from).collect()))
}

/// What changed between two stored versions of a month's report, row by row.
#[utoipa::path(get, path = "/api/v1/reports/violations/compare", params(CompareQuery),
    responses((status = 200, description = "The rows that changed", body = ComparisonView),
        (status = 404, description = "The month has no stored version of one of those numbers", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "reports")]
pub async fn compare(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> Result<Json<ComparisonView>, ApiError> {
    Ok(Json(compare_versions(&state, &caller, &q).await?))
}

/// The applications behind a figure of a month's report: the organization's own or total,
/// optionally one service's, judged as of the report's moment; personal data masked for
/// analysts; every page of names is audited.
#[utoipa::path(get, path = "/api/v1/reports/violations/applications", params(DrillQuery),
    responses((status = 200, description = "A page of the applications behind the figure", body = DrillPage),
        (status = 403, description = "The organization is outside the token's sub-tree", body = ErrorBody),
        (status = 404, description = "The month has no stored version of that number", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "reports")]
pub async fn applications(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<DrillQuery>,
) -> Result<Json<DrillPage>, ApiError> {
    Ok(Json(figure_applications(&state, &caller, &q).await?))
}
