//! The analysts' dashboard (issue 4): applications by stage, open overdue and nearing ones by
//! executing organization (down the hierarchy) and by service, and a 90-day chart of
//! applications accepted, completed and overdue. Every figure links to the list behind it,
//! which the API's list core draws with the same filter. Read-only, every organization.
//! Its router also serves the violations report's pages (`report`, `report_figures`) and
//! the quality annex (`quality`), for the same roles.

use super::admin::organizations::OrgOption;
use super::application::ApplicationPage;
use super::format::link;
use super::pager::{pager, Pager};
use super::session::{Staff, ANALYSTS};
use super::work::page_link;
use super::work::{rows, service_names, stage_options, Row};
use super::{chart, format, localized, render, report, Ui, WebError};
use crate::app::monitoring::applications::{find_page, ListQuery};
use crate::app::monitoring::dashboard;
use crate::i18n::message;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use jiff::Timestamp;
use qyzmet_store::Organization;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/analytics", get(dashboard))
        .route("/analytics/applications", get(list))
        .route("/analytics/applications/{number}", get(show))
        .route(super::report::PAGE, get(super::report::page))
        .route(
            "/analytics/reports/violations/file",
            get(super::report::file),
        )
        .route(
            super::report::FIGURES_PAGE,
            get(super::report_figures::list),
        )
        .route("/analytics/services", get(super::quality::services))
        .route(
            "/analytics/services/{code}/quality",
            get(super::quality::annex),
        )
        .route(
            "/analytics/services/{code}/quality/file",
            get(super::quality::file),
        )
}

pub struct Count {
    pub label: String,
    pub value: String,
    pub href: String,
}

pub struct AlertRow {
    pub code: String,
    pub name: String,
    /// Drill-down into the organization's own sub-units (none for a leaf or a service).
    pub drill: Option<String>,
    pub pending: Count,
    pub overdue: Count,
    pub nearing: Count,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    ui: Ui,
    /// The organization whose sub-tree every figure is of; none: the whole country.
    scope_name: Option<String>,
    headline: Vec<Count>,
    by_stage: Vec<Count>,
    /// The organization drilled into, with the way back up.
    trail: Vec<(String, String)>,
    by_org: Vec<AlertRow>,
    by_service: Vec<AlertRow>,
    chart: String,
}

#[derive(Debug, Deserialize)]
pub struct DashboardQuery {
    org: Option<String>,
}

fn alert_row(
    ui: &Ui,
    key: &[(&str, &str)],
    name: String,
    drill: Option<String>,
    sums: (i64, i64, i64),
) -> AlertRow {
    let href = |extra: &[(&str, &str)]| {
        let mut pairs = key.to_vec();
        pairs.push(("pending", "true"));
        pairs.extend_from_slice(extra);
        link("/analytics/applications", &pairs)
    };
    AlertRow {
        code: key.first().map(|k| k.1.to_string()).unwrap_or_default(),
        name,
        drill,
        pending: Count {
            label: String::new(),
            value: ui.number(sums.0),
            href: href(&[]),
        },
        overdue: Count {
            label: String::new(),
            value: ui.number(sums.1),
            href: href(&[("overdue", "true")]),
        },
        nearing: Count {
            label: String::new(),
            value: ui.number(sums.2),
            href: href(&[("nearing", "true")]),
        },
    }
}

async fn dashboard(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, WebError> {
    staff.require(&ANALYSTS)?;
    let ui = staff.ui.clone();
    let d = dashboard::dashboard(&state, &staff.caller, q.org.as_deref(), Timestamp::now())
        .await
        .map_err(|e| WebError::from_app(&ui, e))?;
    // Every figure's list is of the same scope: the chosen organization's sub-tree.
    let code = d.organization.as_ref().map(|o| o.code.to_string());
    let scoped = |pairs: &[(&str, &str)]| {
        let mut all = pairs.to_vec();
        if let Some(c) = &code {
            all.push(("executor", c.as_str()));
        }
        link("/analytics/applications", &all)
    };
    let by_stage = {
        let counts: HashMap<&str, i64> = d.by_stage.iter().map(|(s, n)| (s.as_str(), *n)).collect();
        stage_options(&ui)
            .into_iter()
            .map(|(s, name)| Count {
                label: name,
                value: ui.number(counts.get(s).copied().unwrap_or(0)),
                href: scoped(&[("stage", s)]),
            })
            .collect()
    };
    let h = d.headline;
    let headline = vec![
        Count {
            label: ui.t("dashboard-open-overdue"),
            value: ui.number(h.open_overdue),
            href: scoped(&[("pending", "true"), ("overdue", "true")]),
        },
        Count {
            label: ui.t("dashboard-nearing"),
            value: ui.number(h.nearing),
            href: scoped(&[("pending", "true"), ("nearing", "true")]),
        },
        Count {
            label: message(
                ui.lang,
                "dashboard-on-time-month",
                &[
                    ("on_time", ui.number(h.this_month.on_time)),
                    ("completed", ui.number(h.this_month.completed)),
                ],
            ),
            value: h
                .on_time_percent()
                .map(|p| format!("{p}%"))
                .unwrap_or_else(|| "—".into()),
            href: report::PAGE.to_string(),
        },
    ];
    // The hierarchy: the children of the organization drilled into (or the roots), each with
    // its whole sub-tree's figures.
    let orgs = super::all_organizations(&state, &ui).await?;
    let by_code: HashMap<String, &Organization> =
        orgs.iter().map(|o| (o.code.to_string(), o)).collect();
    let current = code.as_deref().and_then(|c| by_code.get(c).copied());
    let mut trail = Vec::new();
    let mut cursor = current;
    while let Some(o) = cursor {
        trail.push((o.code.to_string(), localized(ui.lang, &o.name)));
        cursor = o
            .parent_code
            .as_ref()
            .and_then(|p| by_code.get(p.as_str()).copied());
    }
    trail.reverse();
    let children: Vec<&Organization> = orgs
        .iter()
        .filter(|o| match current {
            Some(c) => o.parent_code.as_ref() == Some(&c.code),
            None => o.parent_code.is_none(),
        })
        .collect();
    let mut by_org = Vec::new();
    for child in &children {
        let mut sums = (0, 0, 0);
        for a in d
            .by_executor
            .iter()
            .filter(|a| a.key.starts_with(&child.path))
        {
            sums.0 += a.pending;
            sums.1 += a.overdue;
            sums.2 += a.nearing;
        }
        let has_children = orgs
            .iter()
            .any(|o| o.parent_code.as_ref() == Some(&child.code));
        by_org.push(alert_row(
            &ui,
            &[("executor", child.code.as_str())],
            localized(ui.lang, &child.name),
            has_children.then(|| link("/analytics", &[("org", child.code.as_str())])),
            sums,
        ));
    }
    let names = service_names(&state, &ui).await?;
    let by_service = d
        .by_service
        .iter()
        .map(|a| {
            let mut key = vec![("service", a.key.as_str())];
            if let Some(c) = &code {
                key.push(("executor", c.as_str()));
            }
            alert_row(
                &ui,
                &key,
                names.get(&a.key).cloned().unwrap_or_default(),
                None,
                (a.pending, a.overdue, a.nearing),
            )
        })
        .collect();
    let scope_query = code
        .as_deref()
        .map(|c| {
            format!(
                "&amp;executor={}",
                form_urlencoded::byte_serialize(c.as_bytes()).collect::<String>()
            )
        })
        .unwrap_or_default();
    let chart = chart::daily(
        &ui,
        &d.days,
        d.first_day,
        d.today,
        d.offset_secs,
        &scope_query,
    );
    let scope_name = current.map(|o| localized(ui.lang, &o.name));
    Ok(render(&DashboardPage {
        ui,
        scope_name,
        headline,
        by_stage,
        trail,
        by_org,
        by_service,
        chart,
    }))
}

/// The list behind a figure, and the analyst's own search of every application in view: the
/// filters of the API's list, an organization picker, dates of acceptance (B.2).
#[derive(Debug, Default, Deserialize)]
pub struct ListFilters {
    #[serde(default)]
    executor: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    accepted_from: String,
    #[serde(default)]
    accepted_to: String,
    /// The form's dates of acceptance (YYYY-MM-DD, both days included), in Kazakhstan's time.
    #[serde(default)]
    accepted_on_from: String,
    #[serde(default)]
    accepted_on_to: String,
    #[serde(default)]
    completed_from: String,
    #[serde(default)]
    completed_to: String,
    #[serde(default)]
    deadline_from: String,
    #[serde(default)]
    deadline_to: String,
    #[serde(flatten)]
    inbox: super::work::InboxQuery,
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    ui: Ui,
    f: ListFilters,
    rows: Vec<Row>,
    pager: Option<Pager>,
    /// The figure's filters the form does not show (kept as hidden fields), in words.
    filters: Vec<(String, String)>,
    hidden: Vec<(&'static str, String)>,
    organizations: Vec<OrgOption>,
    stages: Vec<(&'static str, String)>,
    error: Option<String>,
}

/// The first moment of day `d` (YYYY-MM-DD) in Kazakhstan, or of the day after when `next`
/// (the bound "to, inclusive" becomes "before the next day"); the text as typed when it is
/// no date, for the list's validation to refuse with its field.
fn day_start(d: &str, next: bool) -> String {
    match d.trim().parse::<jiff::civil::Date>() {
        Ok(date) => {
            let day = if next {
                date.tomorrow().unwrap_or(date)
            } else {
                date
            };
            match day.to_zoned(qyzmet_domain::zone::almaty().clone()) {
                Ok(z) => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                Err(_) => d.trim().to_string(),
            }
        }
        Err(_) => d.trim().to_string(),
    }
}

async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(f): Query<ListFilters>,
) -> Result<Response, WebError> {
    staff.require(&ANALYSTS)?;
    let ui = staff.ui.clone();
    let blank = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let query = ListQuery {
        executor: blank(&f.executor),
        organization: blank(&f.organization),
        accepted_from: blank(&f.accepted_on_from)
            .map(|d| day_start(&d, false))
            .or_else(|| blank(&f.accepted_from)),
        accepted_to: blank(&f.accepted_on_to)
            .map(|d| day_start(&d, true))
            .or_else(|| blank(&f.accepted_to)),
        completed_from: blank(&f.completed_from),
        completed_to: blank(&f.completed_to),
        deadline_from: blank(&f.deadline_from),
        deadline_to: blank(&f.deadline_to),
        ..f.inbox.to_list()
    };
    // The figure's own filters, which the form has no field for: kept, and said in words.
    let mut filters: Vec<(String, String)> = Vec::new();
    let mut hidden: Vec<(&'static str, String)> = Vec::new();
    let figure = [
        ("executor", &f.executor),
        ("accepted_from", &f.accepted_from),
        ("accepted_to", &f.accepted_to),
        ("completed_from", &f.completed_from),
        ("completed_to", &f.completed_to),
        ("deadline_from", &f.deadline_from),
        ("deadline_to", &f.deadline_to),
    ];
    for (key, value) in figure {
        if let Some(v) = blank(value) {
            let shown = match v.parse::<Timestamp>() {
                Ok(t) => format::datetime(ui.lang, t),
                Err(_) => v.clone(),
            };
            filters.push((ui.t(&format!("filter-{}", key.replace('_', "-"))), shown));
            hidden.push((key, v));
        }
    }
    // Every pair of this list, for the links of its other pages.
    let mut pairs = f.inbox.pairs();
    for (key, value) in [
        ("organization", &f.organization),
        ("accepted_on_from", &f.accepted_on_from),
        ("accepted_on_to", &f.accepted_on_to),
    ] {
        if let Some(v) = blank(value) {
            pairs.push((key, v));
        }
    }
    pairs.extend(hidden.iter().cloned());
    // The organizations the analyst may pick: those in view.
    let within = match &staff.session.scope {
        qyzmet_store::Scope::Organization { path, .. } => Some(path.clone()),
        qyzmet_store::Scope::Admin => None,
    };
    let tree: Vec<Organization> = super::admin::organizations::tree(&state, &ui)
        .await?
        .into_iter()
        .filter(|o| within.as_deref().is_none_or(|w| o.path.starts_with(w)))
        .collect();
    let organizations = super::admin::organizations::options(&ui, &tree);
    let names = service_names(&state, &ui).await?;
    let (rows, pager, error) = match find_page(&state, &staff.caller, &query, f.inbox.page()).await
    {
        Ok(page) => (
            rows(
                &ui,
                &page.items,
                &names,
                "/analytics/applications",
                Timestamp::now(),
            ),
            Some(pager(&ui, &page, |n| {
                page_link("/analytics/applications", &pairs, n)
            })),
            None,
        ),
        Err(e) if e.is_refusal() && e.kind != crate::app::ErrorKind::Forbidden => {
            (vec![], None, Some(ui.error_message(&e)))
        }
        Err(e) => return Err(WebError::from_app(&ui, e)),
    };
    Ok(render(&ListPage {
        stages: stage_options(&ui),
        ui,
        f,
        rows,
        pager,
        filters,
        hidden,
        organizations,
        error,
    }))
}

async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(number): Path<String>,
) -> Result<Response, WebError> {
    staff.require(&ANALYSTS)?;
    let page = ApplicationPage::load(&state, &staff, &number, "/analytics/applications").await?;
    Ok(render(&page))
}
