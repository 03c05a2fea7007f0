//! Service quality (003 §19–20 and annex): applicant feedback per application
//! (`POST /api/v1/applications/{number}/feedback`) and the annex table of a service and year
//! (`GET|PUT /api/v1/services/{code}/quality`). Definitions: `qyzmet_domain::quality` and
//! docs/quality.md.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::monitoring::exports::render_quality;
use crate::app::monitoring::quality::*;
use crate::app::monitoring::reports::ReportFormat;
use crate::app::validate as v;
use crate::app::Caller;
use crate::files::attachment;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use qyzmet_domain::quality::Answer;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackView {
    #[schema(format = Uuid)]
    pub id: String,
    pub number: String,
    #[schema(schema_with = crate::app::schema::question)]
    pub question: String,
    pub rating: Option<i64>,
    #[schema(schema_with = crate::app::schema::survey)]
    pub survey: Option<String>,
    /// A rating of 4 or 5, or `satisfied`.
    pub satisfied: bool,
    #[schema(format = DateTime)]
    pub given_at: String,
    #[schema(format = DateTime)]
    pub recorded_at: String,
}

/// Records an applicant's answer to one question about an application.
#[utoipa::path(post, path = "/api/v1/applications/{number}/feedback", request_body = FeedbackRequest,
    params(("number" = String, Path, description = "Application number, 13 digits (dashes allowed)")),
    responses((status = 201, description = "Recorded", body = FeedbackView),
        (status = 200, description = "A retry: the first answer", body = FeedbackView),
        (status = 404, description = "No such application in the token's sub-tree (a malformed or mistyped number finds nothing)", body = ErrorBody),
        (status = 409, description = "The id names another answer, or the question is answered already", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "quality")]
pub async fn post_feedback(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
    ApiJson(req): ApiJson<FeedbackRequest>,
) -> Result<(StatusCode, Json<FeedbackView>), ApiError> {
    let (rec, created) = record_feedback(&state, &caller, &number, &req).await?;
    let (rating, survey) = match rec.answer {
        Answer::Rating(r) => (Some(i64::from(r)), None),
        Answer::Survey(s) => (None, Some(s.as_str().to_string())),
    };
    Ok((
        super::made(created),
        Json(FeedbackView {
            id: rec.id,
            number: rec.number.to_string(),
            question: rec.question.as_str().into(),
            rating,
            survey,
            satisfied: rec.satisfied,
            given_at: v::local(rec.given_at),
            recorded_at: v::local(rec.recorded_at),
        }),
    ))
}

/// The annex table of a service for a year: every indicator's normative, target and current
/// value, and what the current value is computed from. An organization's token counts the
/// applications executed in its sub-tree. As JSON, or as a CSV or Excel file.
#[utoipa::path(get, path = "/api/v1/services/{code}/quality",
    params(("code" = String, Path, description = "Service code"), QualityQuery),
    responses((status = 200, description = "JSON; with format=csv or xlsx, the file, headed in the Accept-Language",
        content(
            (QualityView = "application/json"),
            (String = "text/csv"),
            (super::openapi::Spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )),
        (status = 404, description = "No such service", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "quality")]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<QualityQuery>,
) -> Result<Response, ApiError> {
    let format = ReportFormat::of_query(q.format.as_deref())?;
    let view = annex(&state, &caller, &code, q.year).await?;
    if format == ReportFormat::Json {
        return Ok(Json(view).into_response());
    }
    let bytes = render_quality(&view, format, Lang::from_headers(&headers))?;
    Ok(attachment(
        bytes,
        format,
        &format!("quality-{}-{}", view.service, view.year),
    ))
}

/// Sets an indicator's normative value and next year's target for a service and year
/// (administrators); audited.
#[utoipa::path(put, path = "/api/v1/services/{code}/quality",
    params(("code" = String, Path, description = "Service code"), YearQuery), request_body = TargetRequest,
    responses((status = 200, description = "The annex table with the new values", body = QualityView),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        (status = 404, description = "No such service", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "quality")]
pub async fn set_target(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<YearQuery>,
    ApiJson(req): ApiJson<TargetRequest>,
) -> Result<Json<QualityView>, ApiError> {
    set_quality_target(&state, &caller, &code, q.year, &req).await?;
    Ok(Json(annex(&state, &caller, &code, q.year).await?))
}
