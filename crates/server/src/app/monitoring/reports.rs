//! The monthly violations report (000 §11): the stored versions, their figures and files, the
//! comparison of versions and the applications behind each figure.

//! `/api/v1/reports`: the monthly violations report of 000 §12, by organization (own and
//! total figures up the hierarchy) and by service. Definitions: MISSION.md "The month of a
//! violation" and "Technical-cause violations" (`qyzmet_domain::violation`).
//!
//! The report is computed on request from the applications, as of the request's moment; an
//! organization's token or user sees the applications executed in its sub-tree.

use crate::app::now;
use crate::app::validate as v;
use crate::app::AppError;
use crate::app::Caller;
use crate::state::AppState;
use qyzmet_domain::violation::{Figures, Month, Verdict};
use qyzmet_store::{AuditEntry, StoredVersion, ViolationsReport};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ViolationsQuery {
    /// The month, `YYYY-MM`: the applications whose deadline falls in it (local date).
    #[param(pattern = "^2[0-9]{3}-(0[1-9]|1[0-2])$")]
    pub month: String,
    /// `json` (the default), `csv` or `xlsx`; the files are headed in the Accept-Language.
    #[param(schema_with = crate::app::schema::report_format)]
    pub format: Option<String>,
    /// A stored version; by default the latest, or the report computed now when the month
    /// has none stored.
    #[param(minimum = 1)]
    pub version: Option<i64>,
    /// `true`: computed now from the applications, whatever is stored.
    pub live: Option<bool>,
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

    /// The `format` of a query: JSON when absent, else one of [`Self::ALLOWED`].
    pub fn of_query(format: Option<&str>) -> Result<ReportFormat, AppError> {
        match format {
            None => Ok(ReportFormat::Json),
            Some(f) => ReportFormat::parse(f).ok_or_else(|| {
                AppError::invalid("format", "enum_invalid").arg("allowed", ReportFormat::ALLOWED)
            }),
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

/// The month of a request, or the field's error.
pub fn month(field: &str, s: &str) -> Result<Month, AppError> {
    s.parse()
        .map_err(|_| AppError::invalid(field, "month_invalid"))
}

/// The report a request asks for, over the sub-tree `within`: stored version `version`, or
/// the latest stored one, or — when the month has none stored, or `live` — the report
/// computed now.
pub async fn load(
    state: &AppState,
    month: Month,
    version: Option<i64>,
    live: bool,
    within: Option<&str>,
) -> Result<ViolationsReport, AppError> {
    let stored = if live {
        None
    } else {
        state
            .store
            .stored_violations_report(month, version, within)
            .await?
    };
    match (stored, version) {
        (Some(r), _) => Ok(r),
        (None, Some(_)) => Err(AppError::not_found("report_version_not_found")),
        (None, None) => Ok(state.store.violations_report(month, now(), within).await?),
    }
}

/// Whether a report delivered at `at` missed 000 §12's day (the 15th of the next month).
pub fn delivered_late(month: Month, at: jiff::Timestamp) -> bool {
    qyzmet_domain::zone::local_date(at) > month.report_due()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerateRequest {
    /// `YYYY-MM`.
    #[schema(pattern = "^2[0-9]{3}-(0[1-9]|1[0-2])$")]
    pub month: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VersionsQuery {
    /// `YYYY-MM`.
    #[param(pattern = "^2[0-9]{3}-(0[1-9]|1[0-2])$")]
    pub month: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// `YYYY-MM`.
    #[param(pattern = "^2[0-9]{3}-(0[1-9]|1[0-2])$")]
    pub month: String,
    /// The earlier version.
    #[param(minimum = 1)]
    pub from: i64,
    /// The later version.
    #[param(minimum = 1)]
    pub to: i64,
}

fn delta(to: &Figures, from: &Figures) -> Figures {
    Figures {
        due: to.due - from.due,
        on_time: to.on_time - from.on_time,
        violations: to.violations - from.violations,
        technical: to.technical - from.technical,
        open_overdue: to.open_overdue - from.open_overdue,
        overdue_days: to.overdue_days - from.overdue_days,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DrillQuery {
    /// `YYYY-MM`.
    #[param(pattern = "^2[0-9]{3}-(0[1-9]|1[0-2])$")]
    pub month: String,
    /// Organization code (it must exist, in the caller's sub-tree); by default the caller's
    /// own (every organization for administrators). Required with `scope=own`.
    #[param(pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub organization: Option<String>,
    /// `own` (the applications the organization executes itself) or `total` (with its
    /// sub-tree, the default).
    #[param(schema_with = crate::app::schema::drill_scope)]
    pub scope: Option<String>,
    /// Service code (it must exist): only that service's applications.
    #[param(pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub service: Option<String>,
    /// `due` (the default: all), `on_time`, `violations`, `technical` or `open_overdue`.
    #[param(schema_with = crate::app::schema::drill_figure)]
    pub figure: Option<String>,
    /// Judge as of this stored version's moment; by default the latest version's, or now
    /// when the month has none.
    #[param(minimum = 1)]
    pub version: Option<i64>,
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
}

/// The applicant as a list behind a figure shows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct DrillApplicant {
    #[schema(schema_with = crate::app::schema::tax_id_kind)]
    pub kind: String,
    pub id: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    /// Masked for a role that may not see personal data (analysts): the id keeps its first
    /// six digits, the names their initials.
    pub masked: bool,
}

/// An application behind a figure.
#[derive(Debug, Serialize, ToSchema)]
pub struct DrillItem {
    pub number: String,
    pub service: String,
    pub executor: String,
    #[schema(format = Date)]
    pub planned_date: String,
    #[schema(format = DateTime)]
    pub deadline: String,
    #[schema(format = DateTime)]
    pub completed_at: Option<String>,
    #[schema(schema_with = crate::app::schema::verdict)]
    pub verdict: String,
    pub open: bool,
    pub technical: bool,
    pub overdue_days: i64,
    pub applicant: DrillApplicant,
}

/// A personal identifier or name as a role without access to personal data sees it.
pub fn mask(s: &str, keep: usize) -> String {
    let kept: String = s.chars().take(keep).collect();
    let hidden = s.chars().count().saturating_sub(keep);
    format!("{kept}{}", "*".repeat(hidden))
}

pub use crate::app::schema::DRILL_FIGURES;

/// The core of [`applications`], shared with the workstation's report page: validates the
/// query, judges the applications, pages them, masks them for analysts and audits a page
/// shown unmasked.
pub async fn figure_applications(
    state: &AppState,
    caller: &Caller,
    q: &DrillQuery,
) -> Result<DrillPage, AppError> {
    let month = month("month", &q.month)?;
    let limit = v::limit("limit", q.limit)?;
    let exact = match q.scope.as_deref().map(str::trim) {
        None | Some("total") => false,
        Some("own") => true,
        Some(_) => {
            return Err(AppError::invalid("scope", "enum_invalid").arg("allowed", "own, total"))
        }
    };
    let figure = q.figure.as_deref().map(str::trim).unwrap_or("due");
    if !DRILL_FIGURES.contains(&figure) {
        return Err(AppError::invalid("figure", "enum_invalid").arg(
            "allowed",
            "due, on_time, violations, technical, open_overdue",
        ));
    }
    let after: i64 = match &q.cursor {
        None => 0,
        Some(c) => crate::app::paging::decode_cursor(c)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| AppError::invalid("cursor", "cursor_invalid"))?,
    };
    let caller_path = caller.scope().path().map(str::to_string);
    let path = match &q.organization {
        Some(code) => {
            let code = v::org_code("organization", code)?;
            let org = state
                .store
                .organization(&code)
                .await?
                .ok_or_else(|| AppError::invalid("organization", "unknown_organization"))?;
            if caller_path
                .as_deref()
                .is_some_and(|p| !org.path.starts_with(p))
            {
                return Err(AppError::forbidden("outside_scope").with_field("organization"));
            }
            Some(org.path)
        }
        None if exact => {
            return Err(AppError::invalid("organization", "empty"));
        }
        None => caller_path,
    };
    let service_id = match &q.service {
        Some(code) => {
            let code = v::service_code("service", code)?;
            Some(
                state
                    .store
                    .service(&code)
                    .await?
                    .ok_or_else(|| AppError::invalid("service", "unknown_service"))?
                    .id,
            )
        }
        None => None,
    };
    let versions = state.store.violation_report_versions(month).await?;
    let as_of = match q.version {
        Some(n) => {
            versions
                .iter()
                .find(|x| x.version == n)
                .ok_or_else(|| AppError::not_found("report_version_not_found"))?
                .as_of
        }
        None => versions.first().map_or_else(now, |x| x.as_of),
    };
    let all = state
        .store
        .violation_applications(month, as_of, path.as_deref(), exact, service_id)
        .await?;
    let counted: Vec<_> = all
        .into_iter()
        .filter(|a| match (figure, a.verdict) {
            ("due", _) => true,
            ("on_time", Verdict::OnTime) => true,
            ("violations", Verdict::Violation { .. }) => true,
            ("technical", Verdict::Violation { technical, .. }) => technical,
            ("open_overdue", Verdict::Violation { open, .. }) => open,
            _ => false,
        })
        .collect();
    let count = counted.len() as i64;
    let overdue_days = counted
        .iter()
        .map(|a| match a.verdict {
            Verdict::Violation { overdue_days, .. } => overdue_days,
            _ => 0,
        })
        .sum();
    let mut page: Vec<_> = counted.into_iter().filter(|a| a.number > after).collect();
    let more = page.len() as i64 > limit;
    page.truncate(limit as usize);
    let next = more
        .then(|| {
            page.last()
                .map(|a| crate::app::paging::encode_cursor(&a.number.to_string()))
        })
        .flatten();
    let masked = caller.role() == Some(qyzmet_store::UserRole::Analyst);
    let orgs: HashMap<i64, String> = state
        .store
        .every_organization(None)
        .await?
        .into_iter()
        .map(|o| (o.id, o.code.to_string()))
        .collect();
    let services: HashMap<i64, String> = state
        .store
        .every_service()
        .await?
        .into_iter()
        .map(|s| (s.id, s.code.to_string()))
        .collect();
    let items: Vec<DrillItem> = page
        .iter()
        .map(|a| {
            let (kind, id, last, first, middle) = a.applicant.clone();
            let (open, technical, days, verdict) = match a.verdict {
                Verdict::OnTime => (false, false, 0, "on_time"),
                Verdict::Running => (true, false, 0, "running"),
                Verdict::Violation {
                    open,
                    technical,
                    overdue_days,
                } => (open, technical, overdue_days, "violation"),
            };
            DrillItem {
                number: qyzmet_domain::ids::ApplicationNumber::from_i64(a.number)
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| a.number.to_string()),
                service: services.get(&a.service_id).cloned().unwrap_or_default(),
                executor: orgs.get(&a.exec_org_id).cloned().unwrap_or_default(),
                planned_date: a.planned_date.to_string(),
                deadline: v::local(a.deadline),
                completed_at: a.completed_at.map(v::local),
                verdict: verdict.into(),
                open,
                technical,
                overdue_days: days,
                applicant: if masked {
                    DrillApplicant {
                        kind,
                        id: mask(&id, 6),
                        last_name: mask(&last, 1),
                        first_name: mask(&first, 1),
                        middle_name: middle.map(|m| mask(&m, 1)),
                        masked: true,
                    }
                } else {
                    DrillApplicant {
                        kind,
                        id,
                        last_name: last,
                        first_name: first,
                        middle_name: middle,
                        masked: false,
                    }
                },
            }
        })
        .collect();
    if !items.is_empty() && !masked {
        state
            .audit
            .record(AuditEntry {
                at: now(),
                actor: caller.actor(),
                action: "report.applications".into(),
                subject: format!("violations:{month}"),
                detail: items
                    .iter()
                    .map(|i| i.number.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            })
            .await?;
    }
    Ok(DrillPage {
        month: month.to_string(),
        as_of: v::local(as_of),
        count,
        overdue_days,
        items,
        next,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_the_birth_date_and_the_initials() {
        assert_eq!(mask("900101300017", 6), "900101******");
        assert_eq!(mask("Әлиев", 1), "Ә****");
        assert_eq!(mask("", 1), "");
        assert_eq!(mask("A", 1), "A");
    }
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
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}$")]
    pub month: String,
    /// The stored version this answer is; `null`: computed on request, not stored.
    pub version: Option<i64>,
    /// Why the version was made: `schedule` (the job of the 1st), `demand`, `revision`
    /// (data that arrived late changed the figures).
    pub cause: Option<String>,
    /// The moment the figures are computed as of (RFC 3339, Almaty time).
    #[schema(format = DateTime)]
    pub as_of: String,
    #[schema(format = DateTime)]
    pub generated_at: String,
    /// The day 000 §12 wants the report by: the 15th of the next month.
    #[schema(format = Date)]
    pub due_by: String,
    /// When the month's first version was generated (its delivery); `null` if none is.
    #[schema(format = DateTime)]
    pub delivered_at: Option<String>,
    /// Delivered after `due_by`.
    pub delivered_late: Option<bool>,
    /// Every organization of the caller's scope, a parent before its children.
    pub organizations: Vec<OrganizationRow>,
    /// Every service with an application due in the month, by code.
    pub services: Vec<ServiceRow>,
}

impl ViolationsView {
    /// `computed_at`: when a report not stored was computed.
    pub fn of(r: ViolationsReport, computed_at: jiff::Timestamp) -> Self {
        let stored = r.stored.as_ref();
        ViolationsView {
            month: r.month.to_string(),
            version: stored.map(|s| s.version),
            cause: stored.map(|s| s.cause.clone()),
            as_of: v::local(r.as_of),
            generated_at: v::local(stored.map_or(computed_at, |s| s.generated_at)),
            due_by: r.month.report_due().to_string(),
            delivered_at: stored.map(|s| v::local(s.delivered_at)),
            delivered_late: stored.map(|s| delivered_late(r.month, s.delivered_at)),
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

#[derive(Debug, Serialize, ToSchema)]
pub struct DrillPage {
    pub month: String,
    /// The moment the applications are judged as of.
    #[schema(format = DateTime)]
    pub as_of: String,
    /// How many applications the figure counts (all pages).
    pub count: i64,
    /// The sum of their overdue days (all pages): with `figure=violations`, the row's
    /// `overdue_days`.
    pub overdue_days: i64,
    pub items: Vec<DrillItem>,
    pub next: Option<String>,
}

/// A stored version, without its figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    pub month: String,
    pub version: i64,
    /// `schedule`, `demand` or `revision`.
    pub cause: String,
    #[schema(format = DateTime)]
    pub as_of: String,
    #[schema(format = DateTime)]
    pub generated_at: String,
    pub generated_by: String,
    #[schema(format = DateTime)]
    pub delivered_at: String,
    pub delivered_late: bool,
}

impl From<&StoredVersion> for VersionView {
    fn from(s: &StoredVersion) -> Self {
        VersionView {
            month: s.month.to_string(),
            version: s.version,
            cause: s.cause.clone(),
            as_of: v::local(s.as_of),
            generated_at: v::local(s.generated_at),
            generated_by: s.generated_by.clone(),
            delivered_at: v::local(s.delivered_at),
            delivered_late: delivered_late(s.month, s.delivered_at),
        }
    }
}

/// A row whose figures differ between two versions: `to − from` for each figure.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangedRow {
    pub code: String,
    /// Organizations: the change of their own figures (services: of their figures).
    pub own: FiguresView,
    /// Organizations: the change of their totals (absent for services).
    pub total: Option<FiguresView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComparisonView {
    pub from: VersionView,
    pub to: VersionView,
    /// The organizations of the caller's scope whose figures changed.
    pub organizations: Vec<ChangedRow>,
    /// The services whose figures changed.
    pub services: Vec<ChangedRow>,
}

/// A month's report, stored (the latest or a given version) or live, within the caller's
/// scope, with the format asked for.
pub async fn violations_report(
    state: &AppState,
    caller: &Caller,
    q: &ViolationsQuery,
) -> Result<(Month, ReportFormat, ViolationsReport), AppError> {
    let month = month("month", &q.month)?;
    let format = ReportFormat::of_query(q.format.as_deref())?;
    let report = load(
        state,
        month,
        q.version,
        q.live == Some(true),
        caller.scope().path(),
    )
    .await?;
    Ok((month, format, report))
}

/// Generates a month's report on demand (administrators): a new version when the figures
/// changed, else the latest; audited when a version is made.
pub async fn generate_report(
    state: &AppState,
    caller: &Caller,
    month_text: &str,
) -> Result<(StoredVersion, bool), AppError> {
    caller.require_admin()?;
    let month = month("month", month_text)?;
    let (latest, created) = state
        .store
        .generate_violations_report(month, now(), "demand", &caller.actor())
        .await?;
    if created {
        state
            .audit
            .record_action(AuditEntry {
                at: latest.generated_at,
                actor: caller.actor(),
                action: "report.generate".into(),
                subject: format!("violations:{month}"),
                detail: format!("version {}", latest.version),
            })
            .await;
    }
    Ok((latest, created))
}

/// The stored versions of a month's report.
pub async fn report_versions(
    state: &AppState,
    month_text: &str,
) -> Result<Vec<StoredVersion>, AppError> {
    let month = month("month", month_text)?;
    Ok(state.store.violation_report_versions(month).await?)
}

/// What changed between two stored versions of a month's report, row by row, within the
/// caller's scope.
pub async fn compare_versions(
    state: &AppState,
    caller: &Caller,
    q: &CompareQuery,
) -> Result<ComparisonView, AppError> {
    let month = month("month", &q.month)?;
    let within = caller.scope().path();
    let read = |version: i64| {
        let store = state.store.clone();
        async move {
            store
                .stored_violations_report(month, Some(version), within)
                .await?
                .ok_or_else(|| AppError::not_found("report_version_not_found"))
        }
    };
    let (from, to) = (read(q.from).await?, read(q.to).await?);
    let zero = Figures::default();
    let before: HashMap<String, (Figures, Figures)> = from
        .organizations
        .iter()
        .map(|o| (o.code.to_string(), (o.own, o.total)))
        .collect();
    let organizations = to
        .organizations
        .iter()
        .filter_map(|o| {
            let (own, total) = before.get(o.code.as_str()).copied().unwrap_or((zero, zero));
            (own != o.own || total != o.total).then(|| ChangedRow {
                code: o.code.to_string(),
                own: delta(&o.own, &own).into(),
                total: Some(delta(&o.total, &total).into()),
            })
        })
        .collect();
    let mut services: HashMap<String, (Figures, Figures)> = HashMap::new();
    for s in &from.services {
        services.entry(s.code.to_string()).or_default().0 = s.figures;
    }
    for s in &to.services {
        services.entry(s.code.to_string()).or_default().1 = s.figures;
    }
    let mut services: Vec<ChangedRow> = services
        .into_iter()
        .filter(|(_, (a, b))| a != b)
        .map(|(code, (a, b))| ChangedRow {
            code,
            own: delta(&b, &a).into(),
            total: None,
        })
        .collect();
    services.sort_by(|a, b| a.code.cmp(&b.code));
    let version = |r: &ViolationsReport| {
        r.stored
            .as_ref()
            .map(VersionView::from)
            .ok_or_else(AppError::internal)
    };
    Ok(ComparisonView {
        from: version(&from)?,
        to: version(&to)?,
        organizations,
        services,
    })
}
