//! Service quality on the workstation (003 §19–20 and annex; issue 5): the services with a
//! link to each one's annex table, and the annex table of a service and year — every
//! indicator's normative value, target and current value with what it was counted from — and
//! the same table as .xlsx and .csv. Read through the API's core (`api::quality::annex`), so
//! the page, the files and `GET /api/v1/services/{code}/quality` agree.

use super::format::link;
use super::report::given;
use super::session::Staff;
use super::session::ANALYSTS;
use super::{format, localized, render, Ui, WebError};
use crate::app::monitoring::exports::{self, indicator_name};
use crate::app::monitoring::quality::{self as api, QualityView};
use crate::app::monitoring::reports::ReportFormat;
use crate::files::attachment;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct YearParams {
    year: Option<String>,
    format: Option<String>,
}

fn this_year() -> i64 {
    i64::from(qyzmet_domain::zone::local_date(Timestamp::now()).year())
}

/// The year asked for (this year by default); the range is the API core's to check.
fn year_of(ui: &Ui, s: &Option<String>) -> Result<i64, WebError> {
    match given(s) {
        None => Ok(this_year()),
        Some(s) => s.parse().map_err(|_| {
            WebError::from_app(ui, crate::app::AppError::invalid("year", "year_invalid"))
        }),
    }
}

pub struct ServiceLine {
    pub code: String,
    pub name: String,
    pub provider: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "services_quality.html")]
struct ServicesPage {
    ui: Ui,
    year: i64,
    lines: Vec<ServiceLine>,
}

/// Every service, each linked to its annex table of this year.
pub async fn services(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    staff.require(&ANALYSTS)?;
    let ui = staff.ui.clone();
    let year = this_year();
    let lines = state
        .store
        .every_service()
        .await
        .map_err(|e| WebError::from_app(&ui, e.into()))?
        .into_iter()
        .map(|s| ServiceLine {
            href: link(
                &format!("/analytics/services/{}/quality", s.code),
                &[("year", &year.to_string())],
            ),
            code: s.code.to_string(),
            name: localized(ui.lang, &s.name),
            provider: s.organization_code.to_string(),
        })
        .collect();
    Ok(render(&ServicesPage { ui, year, lines }))
}

pub struct IndicatorLine {
    pub code: String,
    pub name: String,
    pub normative: String,
    pub target: String,
    pub current: String,
    pub numerator: i64,
    pub denominator: i64,
    /// "3 of 5".
    pub counted: String,
}

#[derive(Template)]
#[template(path = "quality.html")]
struct QualityPage {
    ui: Ui,
    code: String,
    name: String,
    year: i64,
    as_of: String,
    lines: Vec<IndicatorLine>,
    /// Label, link and format of each file.
    downloads: Vec<(String, String, &'static str)>,
}

/// The annex table of a service for a year.
pub async fn annex(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Query(q): Query<YearParams>,
) -> Result<Response, WebError> {
    staff.require(&ANALYSTS)?;
    let ui = staff.ui.clone();
    let year = year_of(&ui, &q.year)?;
    let view: QualityView = api::annex(&state, &staff.caller, &code, year)
        .await
        .map_err(|e| WebError::from_app(&ui, e))?;
    let name = match qyzmet_domain::ids::ServiceCode::parse(&view.service) {
        Ok(c) => state
            .store
            .service(&c)
            .await
            .map_err(|e| WebError::from_app(&ui, e.into()))?
            .map(|s| localized(ui.lang, &s.name))
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    let base = format!("/analytics/services/{}/quality/file", view.service);
    let year_text = view.year.to_string();
    let downloads = [
        (ui.t("quality-download-xlsx"), "xlsx"),
        (ui.t("quality-download-csv"), "csv"),
    ]
    .into_iter()
    .map(|(label, f)| {
        let href = link(&base, &[("year", &year_text), ("format", f)]);
        (label, href, f)
    })
    .collect();
    let lines = view
        .indicators
        .iter()
        .map(|i| IndicatorLine {
            name: indicator_name(ui.lang, &i.code),
            code: i.code.clone(),
            normative: format::percent(ui.lang, i.normative),
            target: format::percent(ui.lang, i.target),
            current: format::percent(ui.lang, i.current),
            numerator: i.numerator,
            denominator: i.denominator,
            counted: crate::i18n::message(
                ui.lang,
                "quality-counted-value",
                &[
                    ("numerator", ui.number(i.numerator)),
                    ("denominator", ui.number(i.denominator)),
                ],
            ),
        })
        .collect();
    let as_of = view
        .as_of
        .parse::<Timestamp>()
        .map(|t| format::datetime(ui.lang, t))
        .unwrap_or_else(|_| view.as_of.clone());
    Ok(render(&QualityPage {
        code: view.service.clone(),
        name,
        year: view.year,
        as_of,
        lines,
        downloads,
        ui,
    }))
}

/// The annex table as a file (.xlsx or .csv) headed in the user's language.
pub async fn file(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Query(q): Query<YearParams>,
) -> Result<Response, WebError> {
    staff.require(&ANALYSTS)?;
    let ui = &staff.ui;
    let year = year_of(ui, &q.year)?;
    let format = given(&q.format)
        .and_then(ReportFormat::parse)
        .filter(|f| *f != ReportFormat::Json)
        .ok_or_else(|| {
            WebError::Refused(
                Box::new(ui.clone()),
                StatusCode::BAD_REQUEST,
                ui.t("quality-format-invalid"),
            )
        })?;
    let view = api::annex(&state, &staff.caller, &code, year)
        .await
        .map_err(|e| WebError::from_app(ui, e))?;
    let bytes =
        exports::render_quality(&view, format, ui.lang).map_err(|e| WebError::from_app(ui, e))?;
    Ok(attachment(
        bytes,
        format,
        &format!("quality-{}-{}", view.service, view.year),
    ))
}
