//! `/api/v1/outages`: outages of information systems, so that violations caused by them are
//! counted apart (000 §12). Administrators register them; any token reads them.

use super::validate as v;
use super::{now, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qyzmet_domain::violation::Month;
use qyzmet_store::{AuditEntry, NewOutage, Outage};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOutageRequest {
    /// RFC 3339.
    #[schema(schema_with = crate::openapi::instant)]
    pub started_at: String,
    /// RFC 3339, after `started_at`; absent while the outage goes on.
    #[schema(schema_with = crate::openapi::opt_instant)]
    pub ended_at: Option<String>,
    /// The outage affected every information system.
    #[serde(default)]
    pub all_systems: bool,
    /// Codes of the affected information systems (required when not all; they must be
    /// registered).
    #[serde(default)]
    pub systems: Vec<String>,
    /// Who runs the affected systems.
    #[schema(schema_with = crate::openapi::line_300)]
    pub operator: String,
    #[schema(schema_with = crate::openapi::text_4000)]
    pub description: String,
}

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

/// Registers an outage, for the API and the workstation alike; audited.
pub async fn register_outage(
    state: &AppState,
    caller: &Caller,
    req: &NewOutageRequest,
) -> Result<Outage, ApiError> {
    caller.require_admin()?;
    let at = now();
    let new = validated(req, at)?;
    let outage = state.store.create_outage(&new, &caller.actor(), at).await?;
    state
        .audit
        .record_action(AuditEntry {
            at,
            actor: caller.actor(),
            action: "outage.create".into(),
            subject: format!("outage:{}", outage.id),
            detail: if outage.all_systems {
                "all systems".into()
            } else {
                outage.systems.join(",")
            },
        })
        .await;
    revise_reports(state, outage.started_at, &format!("outage:{}", outage.id));
    Ok(outage)
}

/// An outage request checked field by field. Its bounds are moments that happened: an
/// outage going on has no end yet (it is set when it ends).
fn validated(req: &NewOutageRequest, now: jiff::Timestamp) -> Result<NewOutage, ApiError> {
    let started_at = v::past_instant("started_at", &req.started_at, now)?;
    let ended_at = req
        .ended_at
        .as_deref()
        .map(|e| v::past_instant("ended_at", e, now))
        .transpose()?;
    if ended_at.is_some_and(|e| e <= started_at) {
        return Err(ApiError::invalid("ended_at", "ends_before_start"));
    }
    if !req.all_systems && req.systems.is_empty() {
        return Err(ApiError::invalid("systems", "systems_required"));
    }
    Ok(NewOutage {
        started_at,
        ended_at,
        all_systems: req.all_systems,
        systems: if req.all_systems {
            vec![]
        } else {
            req.systems
                .iter()
                .enumerate()
                .map(|(i, s)| v::text(&format!("systems[{i}]"), s, 64))
                .collect::<Result<_, _>>()?
        },
        operator: v::text("operator", &req.operator, 300)?,
        description: v::long_text("description", &req.description, 4000)?,
    })
}

/// An outage registered or changed late changes which violations are technical: the stored
/// reports of the months from its start on are revised in the background (as of each one's
/// first version; a revision that changes nothing stores nothing). The job's hourly revision
/// catches up should this one fail.
pub fn revise_reports(state: &AppState, from: jiff::Timestamp, cause: &str) {
    let store = state.store.clone();
    let by = cause.to_string();
    tokio::spawn(async move {
        let first = Month::of(qyzmet_domain::zone::local_date(from));
        let months = match store.reported_months(120).await {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(error = %e, "reports not revised after an outage change");
                return;
            }
        };
        for month in months.into_iter().filter(|m| *m >= first) {
            match store
                .generate_violations_report(month, now(), "revision", &by)
                .await
            {
                Ok((v, true)) => {
                    tracing::info!(month = %month, version = v.version, "report revised")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, month = %month, "report revision failed"),
            }
        }
    });
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

/// Changes an outage, for the API and the workstation alike.
pub async fn change_outage(
    state: &AppState,
    caller: &Caller,
    id: i64,
    req: &NewOutageRequest,
) -> Result<Outage, ApiError> {
    caller.require_admin()?;
    let at = now();
    let new = validated(req, at)?;
    let (before, after) = state
        .store
        .update_outage(id, &new, &caller.actor(), at)
        .await?;
    revise_reports(
        state,
        before.started_at.min(after.started_at),
        &format!("outage:{id}"),
    );
    Ok(after)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutageQuery {
    /// Outages still going on at or after (RFC 3339).
    #[param(schema_with = crate::openapi::instant)]
    pub from: Option<String>,
    /// Outages started before (RFC 3339).
    #[param(schema_with = crate::openapi::instant)]
    pub to: Option<String>,
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
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
    let limit = v::limit("limit", q.limit)?;
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor.clone(),
    };
    let before = if q.cursor.is_some() {
        Some(page.after_id()?)
    } else {
        None
    };
    let from = q
        .from
        .as_deref()
        .map(|s| v::instant("from", s))
        .transpose()?;
    let to = q.to.as_deref().map(|s| v::instant("to", s)).transpose()?;
    let mut rows = state.store.outages(from, to, before, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last().map(|o| super::encode_cursor(&o.id.to_string()))
    } else {
        None
    };
    Ok(Json(OutagePage {
        items: rows.iter().map(OutageView::from).collect(),
        next,
    }))
}
