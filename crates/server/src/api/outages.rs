//! `/api/v1/outages`: outages of information systems, so that violations caused by them are
//! counted apart (000 §12). Administrators register them; any token reads them.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::monitoring::outages::*;
use crate::app::validate as v;
use crate::app::Caller;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qyzmet_store::Outage;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct OutageView {
    pub id: i64,
    #[schema(format = DateTime)]
    pub started_at: String,
    #[schema(format = DateTime)]
    pub ended_at: Option<String>,
    pub all_systems: bool,
    pub systems: Vec<String>,
    pub operator: String,
    pub description: String,
    #[schema(format = DateTime)]
    pub recorded_at: String,
}

impl From<&Outage> for OutageView {
    fn from(o: &Outage) -> Self {
        OutageView {
            id: o.id,
            started_at: v::local(o.started_at),
            ended_at: v::opt_local(o.ended_at),
            all_systems: o.all_systems,
            systems: o.systems.clone(),
            operator: o.operator.clone(),
            description: o.description.clone(),
            recorded_at: v::local(o.recorded_at),
        }
    }
}

/// Registers an outage (administrators).
#[utoipa::path(post, path = "/api/v1/outages", request_body = NewOutageRequest,
    responses((status = 201, description = "Registered", body = OutageView),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        BodyErrors, TokenErrors),
    security(("bearer" = [])), tag = "outages")]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<NewOutageRequest>,
) -> Result<(StatusCode, Json<OutageView>), ApiError> {
    let outage = register_outage(&state, &caller, &req).await?;
    Ok((StatusCode::CREATED, Json((&outage).into())))
}

/// Changes an outage (administrators): the same fields as registering one. Audited with the
/// values it replaced; the stored reports it touches are revised.
#[utoipa::path(put, path = "/api/v1/outages/{id}", request_body = NewOutageRequest,
    params(("id" = i64, Path, description = "The outage's id")),
    responses((status = 200, description = "Changed", body = OutageView),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        (status = 404, description = "No such outage", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "outages")]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<NewOutageRequest>,
) -> Result<Json<OutageView>, ApiError> {
    let outage = change_outage(&state, &caller, id, &req).await?;
    Ok(Json((&outage).into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutagePage {
    pub items: Vec<OutageView>,
    pub next: Option<String>,
}

/// Outages overlapping a period, newest first.
#[utoipa::path(get, path = "/api/v1/outages", params(OutageQuery),
    responses((status = 200, description = "A page, newest first", body = OutagePage), ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "outages")]
pub async fn list(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(q): ApiQuery<OutageQuery>,
) -> Result<Json<OutagePage>, ApiError> {
    let page = crate::app::monitoring::outages::list(&state, &q).await?;
    Ok(Json(OutagePage {
        items: page.items.iter().map(OutageView::from).collect(),
        next: page.next,
    }))
}
