//! The queue's figures and the live board through the API (issue 18, point 6):
//! `GET /api/v1/offices/{code}/figures?from=&to=&by=` and `GET /api/v1/offices/{code}/board`.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiPath, ApiQuery};
use super::openapi::{ParamErrors, TokenErrors};
use crate::app::front_office::figures::{self, BoardView, QueueFiguresView};
use crate::app::{now, Caller};
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

/// Which period, grouped how.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// The first local day, `YYYY-MM-DD`.
    #[param(format = Date)]
    pub from: String,
    /// The last local day (at most a year after `from`).
    #[param(format = Date)]
    pub to: String,
    /// `day` (default), `counter`, `employee` or `service`.
    #[param(pattern = "^(day|counter|employee|service)$")]
    pub by: Option<String>,
}

/// The queue's figures of an office over a period (003 §7(2)(3)): visits, served, not shown,
/// waiting and service times (average, p90, maximum), and the services whose passport limits
/// were exceeded. Labels in the `Accept-Language`.
#[utoipa::path(get, path = "/api/v1/offices/{code}/figures",
    params(("code" = String, Path, description = "The office's code"), FiguresQuery),
    responses((status = 200, description = "The figures", body = QueueFiguresView),
        (status = 403, description = "Outside the caller's reach", body = ErrorBody),
        (status = 404, description = "No such office", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn figures(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<FiguresQuery>,
) -> Result<Json<QueueFiguresView>, ApiError> {
    let period = figures::period(&q.from, &q.to)?;
    let by = q.by.as_deref().unwrap_or("day");
    Ok(Json(
        figures::figures(
            &state,
            &caller,
            &code,
            period,
            by,
            Lang::from_headers(&headers),
        )
        .await?,
    ))
}

/// The office now: who waits and since when, what each counter does, which are idle.
#[utoipa::path(get, path = "/api/v1/offices/{code}/board",
    params(("code" = String, Path, description = "The office's code")),
    responses((status = 200, description = "The board", body = BoardView),
        (status = 403, description = "Outside the caller's reach", body = ErrorBody),
        (status = 404, description = "No such office", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "front_office")]
pub async fn board(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<BoardView>, ApiError> {
    Ok(Json(figures::board(&state, &caller, &code, now()).await?))
}
