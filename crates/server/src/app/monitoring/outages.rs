//! Outages of the information systems services depend on: registered and changed by
//! administrators, they suspend the deadlines of the services that depend on them and revise
//! the reports of the months they touch.

//! `/api/v1/outages`: outages of information systems, so that violations caused by them are
//! counted apart (000 §12). Administrators register them; any token reads them.

use crate::app::now;
use crate::app::paging::{after_id, Page};
use crate::app::validate as v;
use crate::app::AppError;
use crate::app::Caller;
use crate::state::AppState;
use qyzmet_domain::violation::Month;
use qyzmet_store::{AuditEntry, NewOutage, Outage};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOutageRequest {
    /// RFC 3339.
    #[schema(schema_with = crate::app::schema::instant)]
    pub started_at: String,
    /// RFC 3339, after `started_at`; absent while the outage goes on.
    #[schema(schema_with = crate::app::schema::opt_instant)]
    pub ended_at: Option<String>,
    /// The outage affected every information system.
    #[serde(default)]
    pub all_systems: bool,
    /// Codes of the affected information systems (required when not all; they must be
    /// registered).
    #[serde(default)]
    pub systems: Vec<String>,
    /// Who runs the affected systems.
    #[schema(schema_with = crate::app::schema::line_300)]
    pub operator: String,
    #[schema(schema_with = crate::app::schema::text_4000)]
    pub description: String,
}

/// Registers an outage, for the API and the workstation alike; audited.
pub async fn register_outage(
    state: &AppState,
    caller: &Caller,
    req: &NewOutageRequest,
) -> Result<Outage, AppError> {
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
fn validated(req: &NewOutageRequest, now: jiff::Timestamp) -> Result<NewOutage, AppError> {
    let started_at = v::past_instant("started_at", &req.started_at, now)?;
    let ended_at = req
        .ended_at
        .as_deref()
        .map(|e| v::past_instant("ended_at", e, now))
        .transpose()?;
    if ended_at.is_some_and(|e| e <= started_at) {
        return Err(AppError::invalid("ended_at", "ends_before_start"));
    }
    if !req.all_systems && req.systems.is_empty() {
        return Err(AppError::invalid("systems", "systems_required"));
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

/// Changes an outage, for the API and the workstation alike.
pub async fn change_outage(
    state: &AppState,
    caller: &Caller,
    id: i64,
    req: &NewOutageRequest,
) -> Result<Outage, AppError> {
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
    #[param(schema_with = crate::app::schema::instant)]
    pub from: Option<String>,
    /// Outages started before (RFC 3339).
    #[param(schema_with = crate::app::schema::instant)]
    pub to: Option<String>,
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
}

/// Outages overlapping a period, newest first, a page at a time.
pub async fn list(state: &AppState, q: &OutageQuery) -> Result<Page<Outage>, AppError> {
    let limit = v::limit("limit", q.limit)?;
    let before = match q.cursor.as_deref() {
        Some(c) => Some(after_id(Some(c))?),
        None => None,
    };
    let from = q
        .from
        .as_deref()
        .map(|s| v::instant("from", s))
        .transpose()?;
    let to = q.to.as_deref().map(|s| v::instant("to", s)).transpose()?;
    let rows = state.store.outages(from, to, before, limit + 1).await?;
    Ok(Page::of(rows, limit, |o| o.id))
}
