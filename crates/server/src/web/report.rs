//! The monthly violations report's page (000 §12; issue 5) for analysts and administrators:
//! a month's stored version (the latest, or the one asked for) or, when the month has none,
//! the report computed now and marked so; its delivery against the 15th; charts by
//! organization and by service and the 12-month trend (`report_chart`); the organizations in
//! tree order and the services with every figure linked to the applications behind it
//! (`report_figures`); the definitions; and the same report as .xlsx, .csv and .json.
//!
//! The report is read through the use cases (`reports::load`, `exports::render_violations`), so the page,
//! the files and `GET /api/v1/reports/violations` show the same figures.

use super::format::link;
use super::report_chart::{self, month_label, Bar, TrendPoint};
use super::session::Staff;
use super::session::ANALYSTS;
use super::work::service_names;
use super::{all_organizations, format, localized, render, Ui, WebError};
use crate::app::monitoring::exports::{self, values};
use crate::app::monitoring::reports::{self as api, ReportFormat};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use qyzmet_domain::violation::{Figures, Month};
use qyzmet_store::{StoredVersion, ViolationsReport};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

pub const PAGE: &str = "/analytics/reports/violations";
/// The page of the applications behind a figure (`report_figures`).
pub const FIGURES_PAGE: &str = "/analytics/reports/violations/applications";
const FILE: &str = "/analytics/reports/violations/file";
/// At most this many services in the chart (the table lists them all).
const CHART_SERVICES: usize = 15;
/// Months of the trend, ending with the month shown.
const TREND_MONTHS: usize = 12;

/// A figure's query name and message id, in the column order of the files.
pub const FIGURES: [(&str, &str); 6] = [
    ("due", "report-due"),
    ("on_time", "report-on-time"),
    ("violations", "report-violations"),
    ("technical", "report-technical"),
    ("open_overdue", "report-open-overdue"),
    ("overdue_days", "report-overdue-days"),
];

/// The list a figure links to: its own list, or for overdue days the violations whose days
/// it sums.
pub fn list_of(figure: &str) -> &str {
    if figure == "overdue_days" {
        "violations"
    } else {
        figure
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ReportParams {
    month: Option<String>,
    version: Option<String>,
    /// The organization whose sub-units the chart by organization shows (the roots by default).
    org: Option<String>,
    format: Option<String>,
}

/// A non-blank parameter.
pub fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The month asked for, or by default the previous month (the latest one due a report).
pub fn month_of(ui: &Ui, s: &Option<String>) -> Result<Month, WebError> {
    match given(s) {
        None => Ok(previous_month()),
        Some(s) => api::month("month", s).map_err(|e| WebError::from_app(ui, e)),
    }
}

fn previous_month() -> Month {
    Month::of(qyzmet_domain::zone::local_date(Timestamp::now())).previous()
}

/// The version asked for: a whole number from 1, or none.
pub fn version_of(ui: &Ui, s: &Option<String>) -> Result<Option<i64>, WebError> {
    match given(s) {
        None => Ok(None),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if n >= 1 => Ok(Some(n)),
            _ => Err(WebError::Refused(
                Box::new(ui.clone()),
                StatusCode::BAD_REQUEST,
                ui.t("report-version-invalid"),
            )),
        },
    }
}

/// 404 for a version the month does not have.
pub fn no_such_version(ui: &Ui, month: Month, version: i64) -> WebError {
    WebError::Refused(
        Box::new(ui.clone()),
        StatusCode::NOT_FOUND,
        crate::i18n::message(
            ui.lang,
            "report-version-missing",
            &[("month", month.to_string()), ("n", version.to_string())],
        ),
    )
}

/// The stored report `version` of `month` (the latest when none), or the report computed now
/// when the month has none stored, over the user's scope.
async fn report_of(
    state: &AppState,
    staff: &Staff,
    month: Month,
    version: Option<i64>,
) -> Result<ViolationsReport, WebError> {
    let ui = &staff.ui;
    api::load(state, month, version, false, staff.caller.scope().path())
        .await
        .map_err(|e| match (e.code.as_str(), version) {
            ("report_version_not_found", Some(v)) => no_such_version(ui, month, v),
            _ => WebError::from_app(ui, e),
        })
}

/// A figure in a table: the number and, unless it is zero, the list behind it.
pub struct Cell {
    pub figure: &'static str,
    pub value: String,
    pub href: Option<String>,
}

pub struct OrgRow {
    pub code: String,
    pub name: String,
    pub depth: usize,
    /// The chart by organization drawn for its sub-units (none for a leaf).
    pub drill: Option<String>,
    pub own: Vec<Cell>,
    pub total: Vec<Cell>,
}

pub struct ServiceRow {
    pub code: String,
    pub name: String,
    pub cells: Vec<Cell>,
    pub quality: String,
}

pub struct TrendRow {
    pub month: String,
    pub label: String,
    /// Violations and technical ones, formatted; `None`: no stored report.
    pub figures: Option<(String, String)>,
}

/// The stored version shown, as the page states it.
pub struct VersionFacts {
    pub version: i64,
    pub cause: String,
    pub as_of: String,
    pub generated_at: String,
    pub delivered_at: String,
    pub late: bool,
}

pub struct VersionLink {
    pub version: i64,
    pub href: String,
    pub generated_at: String,
    pub current: bool,
}

pub struct Download {
    pub label: String,
    pub href: String,
    pub format: &'static str,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    ui: Ui,
    month: String,
    month_name: String,
    months: Vec<(String, String, bool)>,
    /// The stored version shown; `None`: computed now, not stored.
    stored: Option<VersionFacts>,
    as_of: String,
    due_by: String,
    versions: Vec<VersionLink>,
    /// The latest version, when an earlier one is shown.
    newer: Option<VersionLink>,
    downloads: Vec<Download>,
    trail: Vec<(String, String)>,
    org_chart: String,
    service_chart: String,
    service_chart_count: usize,
    trend_chart: String,
    trend: Vec<TrendRow>,
    organizations: Vec<OrgRow>,
    services: Vec<ServiceRow>,
    figure_names: Vec<String>,
    /// The definitions' sentence about the moment, with this report's moment.
    help_as_of: String,
}

/// The links that keep the month and the version shown.
struct Pins {
    month: String,
    version: Option<String>,
}

impl Pins {
    fn pairs<'a>(&'a self, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut pairs = vec![("month", self.month.as_str())];
        if let Some(v) = &self.version {
            pairs.push(("version", v.as_str()));
        }
        pairs.extend_from_slice(extra);
        pairs
    }

    fn cells(&self, ui: &Ui, f: &Figures, key: &[(&str, &str)]) -> Vec<Cell> {
        FIGURES
            .iter()
            .zip(values(f))
            .map(|(&(figure, _), v)| {
                let mut extra = key.to_vec();
                extra.push(("figure", list_of(figure)));
                Cell {
                    figure,
                    value: ui.number(v),
                    href: (v != 0).then(|| link(FIGURES_PAGE, &self.pairs(&extra))),
                }
            })
            .collect()
    }
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ReportParams>,
) -> Result<Response, WebError> {
    staff.require(&ANALYSTS)?;
    let ui = staff.ui.clone();
    let fail = |e: qyzmet_store::StoreError| WebError::from_app(&ui, e.into());
    let month = month_of(&ui, &q.month)?;
    let version = version_of(&ui, &q.version)?;
    let report = report_of(&state, &staff, month, version).await?;
    let versions = state
        .store
        .violation_report_versions(month)
        .await
        .map_err(fail)?;
    let pins = Pins {
        month: month.to_string(),
        version: report.stored.as_ref().map(|s| s.version.to_string()),
    };

    // The month picker: the months with a stored report, the previous month, this one.
    let mut months: BTreeSet<Month> = state
        .store
        .reported_months(36)
        .await
        .map_err(fail)?
        .into_iter()
        .collect();
    months.insert(previous_month());
    months.insert(month);
    let months = months
        .into_iter()
        .rev()
        .map(|m| (m.to_string(), month_label(&ui, m), m == month))
        .collect();

    let version_link = |s: &StoredVersion| VersionLink {
        version: s.version,
        href: link(
            PAGE,
            &[
                ("month", &month.to_string()),
                ("version", &s.version.to_string()),
            ],
        ),
        generated_at: format::datetime(ui.lang, s.generated_at),
        current: report.stored.as_ref().map(|c| c.version) == Some(s.version),
    };
    let newer = match (&report.stored, versions.last()) {
        (Some(shown), Some(last)) if last.version != shown.version => Some(version_link(last)),
        _ => None,
    };
    let version_links = versions.iter().map(version_link).collect();
    let stored = report.stored.as_ref().map(|s| VersionFacts {
        version: s.version,
        cause: ui.t(&format!("report-cause-{}", s.cause)),
        as_of: format::datetime(ui.lang, s.as_of),
        generated_at: format::datetime(ui.lang, s.generated_at),
        delivered_at: format::datetime(ui.lang, s.delivered_at),
        late: api::delivered_late(s.month, s.delivered_at),
    });
    let downloads = [
        (ui.t("report-download-xlsx"), "xlsx"),
        (ui.t("report-download-csv"), "csv"),
        (ui.t("report-download-json"), "json"),
    ]
    .into_iter()
    .map(|(label, format)| Download {
        label,
        format,
        href: link(FILE, &pins.pairs(&[("format", format)])),
    })
    .collect();

    // Names, the tree's depths and which organizations have sub-units.
    let orgs = all_organizations(&state, &ui).await?;
    let org_names: HashMap<String, String> = orgs
        .iter()
        .map(|o| (o.code.to_string(), localized(ui.lang, &o.name)))
        .collect();
    let service_names = service_names(&state, &ui).await?;
    let parent: HashMap<&str, Option<&str>> = report
        .organizations
        .iter()
        .map(|o| (o.code.as_str(), o.parent.as_ref().map(|p| p.as_str())))
        .collect();
    let has_children: BTreeSet<&str> = report
        .organizations
        .iter()
        .filter_map(|o| o.parent.as_ref().map(|p| p.as_str()))
        .collect();
    let depth = |code: &str| {
        let mut d = 0;
        let mut at = parent.get(code).copied().flatten();
        while let Some(p) = at {
            d += 1;
            at = parent.get(p).copied().flatten();
        }
        d
    };
    let name_of = |code: &str| org_names.get(code).cloned().unwrap_or_default();

    // The chart by organization: the sub-units of the organization drilled into (the roots
    // by default), each with its total, and the organization's own applications.
    let current = match given(&q.org) {
        None => None,
        Some(code) => Some(
            report
                .organizations
                .iter()
                .find(|o| o.code.as_str() == code)
                .ok_or_else(|| WebError::NotFound(Box::new(ui.clone())))?,
        ),
    };
    let mut trail = vec![];
    let mut at = current.map(|c| c.code.as_str());
    while let Some(code) = at {
        trail.push((
            link(PAGE, &pins.pairs(&[("org", code)])) + "#orgs-h",
            name_of(code),
        ));
        at = parent.get(code).copied().flatten();
    }
    trail.reverse();
    let mut org_bars: Vec<Bar> = report
        .organizations
        .iter()
        .filter(|o| o.parent.as_ref().map(|p| p.as_str()) == current.map(|c| c.code.as_str()))
        .map(|o| Bar {
            code: o.code.to_string(),
            label: name_of(o.code.as_str()),
            violations: o.total.violations,
            technical: o.total.technical,
        })
        .collect();
    if let Some(c) = current.filter(|c| c.own.violations > 0) {
        org_bars.push(Bar {
            code: c.code.to_string(),
            label: crate::i18n::message(
                ui.lang,
                "report-chart-own",
                &[("name", name_of(c.code.as_str()))],
            ),
            violations: c.own.violations,
            technical: c.own.technical,
        });
    }
    org_bars.sort_by_key(|b| std::cmp::Reverse(b.violations));
    let org_title = match current {
        None => ui.t("report-chart-organizations"),
        Some(c) => ui.t1("report-chart-units", "name", &name_of(c.code.as_str())),
    };
    let org_chart = report_chart::bars(&ui, "chart-organizations", &org_title, &org_bars);

    let mut service_bars: Vec<Bar> = report
        .services
        .iter()
        .filter(|s| s.figures.violations > 0)
        .map(|s| Bar {
            code: s.code.to_string(),
            label: service_names
                .get(s.code.as_str())
                .cloned()
                .unwrap_or_default(),
            violations: s.figures.violations,
            technical: s.figures.technical,
        })
        .collect();
    service_bars.sort_by_key(|b| std::cmp::Reverse(b.violations));
    service_bars.truncate(CHART_SERVICES);
    let service_chart = report_chart::bars(
        &ui,
        "chart-services",
        &ui.t("report-chart-services"),
        &service_bars,
    );

    // The trend: each month's latest stored version, over the same scope.
    let mut trend_months = vec![month];
    while trend_months.len() < TREND_MONTHS {
        let earlier = trend_months[trend_months.len() - 1];
        if earlier.year() <= 2000 && earlier.month() == 1 {
            break;
        }
        trend_months.push(earlier.previous());
    }
    trend_months.reverse();
    let mut points = vec![];
    for m in trend_months {
        let stored = state
            .store
            .stored_violations_report(m, None, staff.caller.scope().path())
            .await
            .map_err(fail)?;
        let figures = stored.map(|r| {
            r.services.iter().fold((0, 0), |(v, t), s| {
                (v + s.figures.violations, t + s.figures.technical)
            })
        });
        points.push(TrendPoint { month: m, figures });
    }
    let trend_chart = report_chart::trend(&ui, &points);
    let trend = points
        .iter()
        .map(|p| TrendRow {
            month: p.month.to_string(),
            label: month_label(&ui, p.month),
            figures: p.figures.map(|(v, t)| (ui.number(v), ui.number(t))),
        })
        .collect();

    let organizations = report
        .organizations
        .iter()
        .map(|o| {
            let code = o.code.as_str();
            OrgRow {
                code: code.to_string(),
                name: name_of(code),
                depth: depth(code).min(4),
                drill: has_children
                    .contains(code)
                    .then(|| link(PAGE, &pins.pairs(&[("org", code)])) + "#orgs-h"),
                own: pins.cells(&ui, &o.own, &[("org", code), ("scope", "own")]),
                total: pins.cells(&ui, &o.total, &[("org", code), ("scope", "total")]),
            }
        })
        .collect();
    let year = month.year().to_string();
    let services = report
        .services
        .iter()
        .map(|s| {
            let code = s.code.as_str();
            ServiceRow {
                code: code.to_string(),
                name: service_names.get(code).cloned().unwrap_or_default(),
                cells: pins.cells(&ui, &s.figures, &[("service", code)]),
                quality: link(
                    &format!("/analytics/services/{code}/quality"),
                    &[("year", &year)],
                ),
            }
        })
        .collect();

    let as_of = format::datetime(ui.lang, report.as_of);
    Ok(render(&ReportPage {
        month: month.to_string(),
        month_name: month_label(&ui, month),
        months,
        due_by: format::date(ui.lang, month.report_due()),
        help_as_of: ui.t1("report-help-as-of", "value", &as_of),
        as_of,
        stored,
        versions: version_links,
        newer,
        downloads,
        trail,
        org_chart,
        service_chart,
        service_chart_count: service_bars.len(),
        trend_chart,
        trend,
        organizations,
        services,
        figure_names: FIGURES.iter().map(|(_, id)| ui.t(id)).collect(),
        ui,
    }))
}

/// The report shown on the page as a file (.xlsx, .csv, .json) headed in the user's language.
pub async fn file(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ReportParams>,
) -> Result<Response, WebError> {
    staff.require(&ANALYSTS)?;
    let ui = &staff.ui;
    let month = month_of(ui, &q.month)?;
    let version = version_of(ui, &q.version)?;
    let format = given(&q.format)
        .and_then(ReportFormat::parse)
        .ok_or_else(|| {
            WebError::Refused(
                Box::new(ui.clone()),
                StatusCode::BAD_REQUEST,
                ui.t("report-format-invalid"),
            )
        })?;
    let report = report_of(&state, &staff, month, version).await?;
    let bytes = exports::render_violations(report, format, ui.lang, Timestamp::now())
        .map_err(|e| WebError::from_app(ui, e))?;
    Ok(crate::files::attachment(
        bytes,
        format,
        &format!("violations-{month}"),
    ))
}
