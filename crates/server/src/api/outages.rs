//! `/api/v1/outages`: outages of information systems, so that violations caused by them are
//! counted apart (000 §12). Administrators register them; any token reads them.

use super::validate as v;
use super::{now, PageQuery};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::state::AppState;
use axum::extract::{Path, State};
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
    pub started_at: String,
    /// RFC 3339; absent while the outage goes on.
    pub ended_at: Option<String>,
    /// The outage affected every information system.
    #[serde(default)]
    pub all_systems: bool,
    /// Codes of the affected information systems (when not all).
    #[serde(default)]
    pub systems: Vec<String>,
    /// Who runs the affected systems.
    pub operator: String,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutageView {
    pub id: i64,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub all_systems: bool,
    pub systems: Vec<String>,
    pub operator: String,
    pub description: String,
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
    responses((status = 201, body = OutageView), (status = 422, body = crate::error::ErrorBody)),
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
    let new = validated(req)?;
    let at = now();
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

/// An outage request checked field by field.
fn validated(req: &NewOutageRequest) -> Result<NewOutage, ApiError> {
    let started_at = v::instant("started_at", &req.started_at)?;
    let ended_at = req
        .ended_at
        .as_deref()
        .map(|e| v::instant("ended_at", e))
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
            req.systems.iter().map(|s| s.trim().to_string()).collect()
        },
        operator: v::text("operator", &req.operator, 300)?,
        description: v::text("description", &req.description, 4000)?,
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
    responses((status = 200, body = OutageView), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "outages")]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
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
    let new = validated(req)?;
    let (before, after) = state
        .store
        .update_outage(id, &new, &caller.actor(), now())
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
pub struct OutageQuery {
    /// Outages still going on at or after (RFC 3339).
    pub from: Option<String>,
    /// Outages started before (RFC 3339).
    pub to: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutagePage {
    pub items: Vec<OutageView>,
    pub next: Option<String>,
}

/// Outages overlapping a period, newest first.
#[utoipa::path(get, path = "/api/v1/outages", params(OutageQuery),
    responses((status = 200, body = OutagePage)), security(("bearer" = [])), tag = "outages")]
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
