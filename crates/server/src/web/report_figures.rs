//! The applications behind a figure of the violations report (000 §12; issue 5), as a page:
//! an organization's own or total figure, a service's, or the whole report's, judged as of the
//! report's moment. The API's core (`api::reports::figure_applications`) selects, pages,
//! masks the applicants for analysts and audits every page shown unmasked; this module only
//! draws its answer. Each application links to its page.

use super::format::link;
use super::report::{given, month_of, no_such_version, version_of, FIGURES};
use super::session::Staff;
use super::session::ANALYSTS;
use super::work::service_names;
use super::{all_organizations, format, localized, render, Ui, WebError};
use crate::app::monitoring::reports::{figure_applications, DrillItem, DrillQuery, DRILL_FIGURES};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::ids::ApplicationNumber;
use serde::Deserialize;
use std::collections::HashMap;

pub use super::report::FIGURES_PAGE as PAGE;
/// Applications per page.
const LIMIT: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct FigureParams {
    month: Option<String>,
    version: Option<String>,
    org: Option<String>,
    scope: Option<String>,
    service: Option<String>,
    figure: Option<String>,
    cursor: Option<String>,
}

pub struct ItemRow {
    pub number: String,
    pub number_formatted: String,
    pub href: String,
    pub service_code: String,
    pub service_name: String,
    pub executor_code: String,
    pub executor_name: String,
    pub planned: String,
    pub deadline: String,
    pub completed: String,
    pub verdict: String,
    pub violation: bool,
    pub technical: bool,
    pub open: bool,
    pub overdue_days: String,
    pub applicant_id: String,
    pub applicant_name: String,
}

#[derive(Template)]
#[template(path = "report_applications.html")]
struct FigurePage {
    ui: Ui,
    /// What the list counts, as label and value pairs.
    facts: Vec<(String, String)>,
    count: String,
    overdue_days: String,
    masked: bool,
    rows: Vec<ItemRow>,
    back: String,
    first: Option<String>,
    next: Option<String>,
}

fn row(
    ui: &Ui,
    item: &DrillItem,
    services: &HashMap<String, String>,
    orgs: &HashMap<String, String>,
) -> ItemRow {
    let when = |s: &str| {
        s.parse::<Timestamp>()
            .map(|t| format::datetime(ui.lang, t))
            .unwrap_or_else(|_| s.to_string())
    };
    let a = &item.applicant;
    let name = [
        Some(&a.last_name),
        Some(&a.first_name),
        a.middle_name.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .collect::<Vec<_>>()
    .join(" ");
    ItemRow {
        href: format!("/analytics/applications/{}", item.number),
        number_formatted: ApplicationNumber::parse(&item.number)
            .map(|n| n.formatted())
            .unwrap_or_else(|_| item.number.clone()),
        number: item.number.clone(),
        service_name: services.get(&item.service).cloned().unwrap_or_default(),
        service_code: item.service.clone(),
        executor_name: orgs.get(&item.executor).cloned().unwrap_or_default(),
        executor_code: item.executor.clone(),
        planned: item
            .planned_date
            .parse::<Date>()
            .map(|d| format::date(ui.lang, d))
            .unwrap_or_else(|_| item.planned_date.clone()),
        deadline: when(&item.deadline),
        completed: item.completed_at.as_deref().map(when).unwrap_or_default(),
        verdict: ui.t(&format!(
            "report-verdict-{}",
            item.verdict.replace('_', "-")
        )),
        violation: item.verdict == "violation",
        technical: item.technical,
        open: item.open,
        overdue_days: ui.number(item.overdue_days),
        applicant_id: a.id.clone(),
        applicant_name: name,
    }
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(p): Query<FigureParams>,
) -> Result<Response, WebError> {
    staff.require(&ANALYSTS)?;
    let ui = staff.ui.clone();
    let month = month_of(&ui, &p.month)?;
    let version = version_of(&ui, &p.version)?;
    let figure = given(&p.figure).unwrap_or("due");
    if !DRILL_FIGURES.contains(&figure) {
        return Err(WebError::Refused(
            Box::new(ui.clone()),
            StatusCode::BAD_REQUEST,
            ui.t("report-figure-invalid"),
        ));
    }
    let query = DrillQuery {
        month: month.to_string(),
        organization: given(&p.org).map(String::from),
        scope: given(&p.scope).map(String::from),
        service: given(&p.service).map(String::from),
        figure: Some(figure.to_string()),
        version,
        limit: Some(LIMIT),
        cursor: given(&p.cursor).map(String::from),
    };
    let page = figure_applications(&state, &staff.caller, &query)
        .await
        .map_err(|e| match (e.code.as_str(), version) {
            ("report_version_not_found", Some(v)) => no_such_version(&ui, month, v),
            _ => WebError::from_app(&ui, e),
        })?;

    let orgs: HashMap<String, String> = all_organizations(&state, &ui)
        .await?
        .iter()
        .map(|o| (o.code.to_string(), localized(ui.lang, &o.name)))
        .collect();
    let services = service_names(&state, &ui).await?;
    let named = |code: &str, names: &HashMap<String, String>| match names.get(code) {
        Some(n) if !n.is_empty() => format!("{code} — {n}"),
        _ => code.to_string(),
    };
    let mut facts = vec![(ui.t("report-month"), month.to_string())];
    facts.push((
        ui.t("report-version"),
        match version {
            Some(v) => ui.t1("report-version-n", "n", &v.to_string()),
            None => ui.t("report-version-latest"),
        },
    ));
    if let Ok(t) = page.as_of.parse::<Timestamp>() {
        facts.push((ui.t("report-as-of"), format::datetime(ui.lang, t)));
    }
    let scope = given(&p.scope).unwrap_or("total");
    facts.push((
        ui.t("filter-organization"),
        match &query.organization {
            Some(code) => format!(
                "{} ({})",
                named(code, &orgs),
                ui.t(&format!("report-scope-{scope}"))
            ),
            None => ui.t("report-all-organizations"),
        },
    ));
    if let Some(code) = &query.service {
        facts.push((ui.t("filter-service"), named(code, &services)));
    }
    let figure_name = FIGURES
        .iter()
        .find(|(f, _)| *f == figure)
        .map(|(_, id)| ui.t(id))
        .unwrap_or_default();
    facts.push((ui.t("report-figure"), figure_name));

    let keep = |cursor: Option<&str>| {
        let mut pairs: Vec<(&str, &str)> = vec![("month", query.month.as_str())];
        let version = version.map(|v| v.to_string());
        if let Some(v) = &version {
            pairs.push(("version", v));
        }
        for (k, v) in [
            ("org", &query.organization),
            ("scope", &query.scope),
            ("service", &query.service),
        ] {
            if let Some(v) = v {
                pairs.push((k, v.as_str()));
            }
        }
        pairs.push(("figure", figure));
        if let Some(c) = cursor {
            pairs.push(("cursor", c));
        }
        link(PAGE, &pairs)
    };
    let mut back = vec![("month", query.month.clone())];
    if let Some(v) = version {
        back.push(("version", v.to_string()));
    }
    let back: Vec<(&str, &str)> = back.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let masked = page.items.iter().any(|i| i.applicant.masked)
        || staff.role() == qyzmet_store::UserRole::Analyst;
    Ok(render(&FigurePage {
        facts,
        count: ui.number(page.count),
        overdue_days: ui.number(page.overdue_days),
        masked,
        rows: page
            .items
            .iter()
            .map(|i| row(&ui, i, &services, &orgs))
            .collect(),
        back: link(super::report::PAGE, &back),
        first: query.cursor.is_some().then(|| keep(None)),
        next: page.next.as_deref().map(|c| keep(Some(c))),
        ui,
    }))
}
