//! `/api/v1/reports`: the monthly violations report of 000 §12, by organization (own and
//! total figures up the hierarchy) and by service. Definitions: MISSION.md "The month of a
//! violation" and "Technical-cause violations" (`qyzmet_domain::violation`).
//!
//! The report is computed on request from the applications, as of the request's moment; an
//! organization's token or user sees the applications executed in its sub-tree.

use super::now;
use super::validate as v;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use qyzmet_domain::violation::{Figures, Month};
use qyzmet_store::{Scope, ViolationsReport};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ViolationsQuery {
    /// The month, `YYYY-MM`: the applications whose deadline falls in it (local date).
    pub month: String,
    /// `json` (the default).
    pub format: Option<String>,
}

/// The figures of a row.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresView {
    /// Applications whose deadline falls in the month.
    pub due: i64,
    /// Completed (stage 4 or later) at or before the deadline.
    pub on_time: i64,
    /// Completed after the deadline, or still open with the deadline passed.
    pub violations: i64,
    /// Of the violations, those an outage of a system the service depends on overlapped
    /// (from the effective acceptance to the deadline).
    pub technical: i64,
    /// Of the violations, those still open at `as_of`.
    pub open_overdue: i64,
    /// Sum over the violations of (completion or `as_of` local date − planned date), ≥ 0.
    pub overdue_days: i64,
}

impl From<Figures> for FiguresView {
    fn from(f: Figures) -> Self {
        FiguresView {
            due: f.due,
            on_time: f.on_time,
            violations: f.violations,
            technical: f.technical,
            open_overdue: f.open_overdue,
            overdue_days: f.overdue_days,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationRow {
    pub code: String,
    pub parent: Option<String>,
    /// The applications it executes itself.
    pub own: FiguresView,
    /// Its own and every organization's below it.
    pub total: FiguresView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceRow {
    pub code: String,
    pub figures: FiguresView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ViolationsView {
    /// `YYYY-MM`.
    pub month: String,
    /// The stored version this answer is; `null`: computed on request, not stored.
    pub version: Option<i64>,
    /// The moment the figures are computed as of (RFC 3339, Almaty time).
    pub as_of: String,
    pub generated_at: String,
    /// The day 000 §12 wants the report by: the 15th of the next month.
    pub due_by: String,
    /// Every organization of the caller's scope, a parent before its children.
    pub organizations: Vec<OrganizationRow>,
    /// Every service with an application due in the month, by code.
    pub services: Vec<ServiceRow>,
}

impl ViolationsView {
    fn of(r: ViolationsReport, generated_at: jiff::Timestamp) -> Self {
        ViolationsView {
            month: r.month.to_string(),
            version: None,
            as_of: v::local(r.as_of),
            generated_at: v::local(generated_at),
            due_by: r.month.report_due().to_string(),
            organizations: r
                .organizations
                .into_iter()
                .map(|o| OrganizationRow {
                    code: o.code.to_string(),
                    parent: o.parent.map(|p| p.to_string()),
                    own: o.own.into(),
                    total: o.total.into(),
                })
                .collect(),
            services: r
                .services
                .into_iter()
                .map(|s| ServiceRow {
                    code: s.code.to_string(),
                    figures: s.figures.into(),
                })
                .collect(),
        }
    }
}

/// The violations report of a month (000 §12), as of now.
#[utoipa::path(get, path = "/api/v1/reports/violations", params(ViolationsQuery),
    responses((status = 200, body = ViolationsView), (status = 422, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "reports")]
pub async fn violations(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ViolationsQuery>,
) -> Result<Json<ViolationsView>, ApiError> {
    let month: Month = q
        .month
        .parse()
        .map_err(|_| ApiError::invalid("month", "month_invalid"))?;
    match q.format.as_deref().map(str::trim) {
        None | Some("json") => {}
        Some(_) => return Err(ApiError::invalid("format", "enum_invalid").arg("allowed", "json")),
    }
    let within = match caller.scope() {
        Scope::Admin => None,
        Scope::Organization { path, .. } => Some(path.as_str()),
    };
    let as_of = now();
    let report = state.store.violations_report(month, as_of, within).await?;
    Ok(Json(ViolationsView::of(report, now())))
}
