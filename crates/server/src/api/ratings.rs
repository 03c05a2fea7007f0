//! Ratings' API (001 §18, decision Q9): the visit a rating link names and its rating — public,
//! the link's sealed token is the key — and an office's ratings by employee for its staff and
//! analysts. docs/front-office.md "Ratings".

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::front_office::ratings::{self, OfficeRatings, RatingRequest, VisitView};
use crate::app::{now, Caller};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

/// The visit a rating link names, and whether it was rated.
#[utoipa::path(get, path = "/api/v1/public/ratings/{token}",
    params(("token" = String, Path, description = "The rating link's token (QZT2.…)")),
    responses((status = 200, description = "The visit", body = VisitView),
        (status = 404, description = "Not a rating link of this server", body = ErrorBody),
        ParamErrors),
    tag = "public")]
pub async fn visit(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> Result<Json<VisitView>, ApiError> {
    Ok(Json(ratings::visit(&state, &token).await?))
}

/// Rates the visit a link names: once.
#[utoipa::path(post, path = "/api/v1/public/ratings/{token}", request_body = RatingRequest,
    params(("token" = String, Path, description = "The rating link's token (QZT2.…)")),
    responses((status = 201, description = "Recorded", body = VisitView),
        (status = 404, description = "Not a rating link of this server", body = ErrorBody),
        (status = 409, description = "The visit was rated already", body = ErrorBody),
        BodyErrors, ParamErrors),
    tag = "public")]
pub async fn rate(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
    ApiJson(req): ApiJson<RatingRequest>,
) -> Result<(StatusCode, Json<VisitView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(ratings::rate(&state, &token, &req, now()).await?),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OfficeRatingsQuery {
    /// The first day (the month's first when absent).
    #[param(format = Date)]
    pub from: Option<String>,
    /// The last day, included (today when absent); at most a year after `from`.
    #[param(format = Date)]
    pub to: Option<String>,
}

/// An office's ratings in a period, in all and by employee (the office's figures, 001 §18).
#[utoipa::path(get, path = "/api/v1/offices/{code}/ratings",
    params(("code" = String, Path, description = "The office's code"), OfficeRatingsQuery),
    responses((status = 200, description = "The ratings", body = OfficeRatings),
        (status = 404, description = "No such office", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn of_office(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<OfficeRatingsQuery>,
) -> Result<Json<OfficeRatings>, ApiError> {
    Ok(Json(
        ratings::of_office(
            &state,
            &caller,
            &code,
            q.from.as_deref(),
            q.to.as_deref(),
            now(),
        )
        .await?,
    ))
}
