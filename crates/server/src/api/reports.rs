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
use crate::export;
use crate::extract::ApiQuery;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use qyzmet_domain::violation::{Figures, Month};
use qyzmet_store::{Scope, ViolationsReport};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ViolationsQuery {
    /// The month, `YYYY-MM`: the applications whose deadline falls in it (local date).
    pub month: String,
    /// `json` (the default), `csv` or `xlsx`; the files are headed in the Accept-Language.
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
    pub fn of(r: ViolationsReport, generated_at: jiff::Timestamp) -> Self {
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

/// The report's file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Json,
    Csv,
    Xlsx,
}

impl ReportFormat {
    pub const ALLOWED: &'static str = "json, csv, xlsx";

    pub fn parse(s: &str) -> Option<ReportFormat> {
        match s.trim() {
            "json" => Some(ReportFormat::Json),
            "csv" => Some(ReportFormat::Csv),
            "xlsx" => Some(ReportFormat::Xlsx),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Json => "application/json",
            ReportFormat::Csv => "text/csv; charset=utf-8",
            ReportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Json => "json",
            ReportFormat::Csv => "csv",
            ReportFormat::Xlsx => "xlsx",
        }
    }
}

/// The report as the bytes of a file of `format`, headed in `lang`.
pub fn render(
    report: ViolationsReport,
    format: ReportFormat,
    lang: Lang,
    generated_at: jiff::Timestamp,
) -> Result<Vec<u8>, ApiError> {
    let failed = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "the report could not be written");
        ApiError::internal()
    };
    match format {
        ReportFormat::Json => serde_json::to_vec_pretty(&ViolationsView::of(report, generated_at))
            .map_err(|e| failed(&e)),
        ReportFormat::Csv => export::violations_csv(&report, lang)
            .map(String::into_bytes)
            .map_err(|e| failed(&e)),
        ReportFormat::Xlsx => export::violations_xlsx(&report, lang).map_err(|e| failed(&e)),
    }
}

/// The month of a request, or the field's error.
pub fn month(field: &str, s: &str) -> Result<Month, ApiError> {
    s.parse()
        .map_err(|_| ApiError::invalid(field, "month_invalid"))
}

/// The violations report of a month (000 §12), as of now: JSON, CSV or Excel.
#[utoipa::path(get, path = "/api/v1/reports/violations", params(ViolationsQuery),
    responses((status = 200, body = ViolationsView,
        description = "JSON; with format=csv or xlsx, the file (text/csv, \
        application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)"),
        (status = 422, body = crate::error::ErrorBody)),
    security(("bearer" = [])), tag = "reports")]
pub async fn violations(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ViolationsQuery>,
) -> Result<Response, ApiError> {
    let month = month("month", &q.month)?;
    let format = match q.format.as_deref() {
        None => ReportFormat::Json,
        Some(f) => ReportFormat::parse(f).ok_or_else(|| {
            ApiError::invalid("format", "enum_invalid").arg("allowed", ReportFormat::ALLOWED)
        })?,
    };
    let within = match caller.scope() {
        Scope::Admin => None,
        Scope::Organization { path, .. } => Some(path.as_str()),
    };
    let report = state.store.violations_report(month, now(), within).await?;
    let bytes = render(report, format, Lang::from_headers(&headers), now())?;
    let disposition = format!(
        "attachment; filename=\"violations-{month}.{}\"",
        format.extension()
    );
    let mut response = (
        [(header::CONTENT_TYPE, format.content_type().to_string())],
        bytes,
    )
        .into_response();
    if format != ReportFormat::Json {
        if let Ok(v) = disposition.parse() {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(response)
}
