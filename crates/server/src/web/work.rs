//! The operator's workstation (000 §5, §9): the inbox of the organization's applications,
//! registration, and each application's page with its stage actions. Operators and
//! supervisors only; everything goes through the API's cores.

use super::application::{self, ApplicationPage};
use super::format;
use super::pager::{pager, Pager};
use super::register;
use super::session::{Staff, WORKERS};
use super::{render, Ui, WebError};
use crate::app::monitoring::applications::{find_page, ListQuery};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use jiff::Timestamp;
use qyzmet_store::Application;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/work", get(inbox))
        .route("/work/new", get(register::form).post(register::submit))
        .route("/work/new/options", get(register::options))
        .route("/work/check-tax-id", get(register::check_tax_id))
        .route("/work/applications/{number}", get(show))
        .route(
            "/work/applications/{number}/{action}",
            post(application::act),
        )
}

/// The inbox's filters, as the form sends them (blank means no filter).
#[derive(Debug, Default, Deserialize)]
pub struct InboxQuery {
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub service: String,
    pub overdue: Option<String>,
    pub nearing: Option<String>,
    pub pending: Option<String>,
    #[serde(default)]
    pub planned_from: String,
    #[serde(default)]
    pub planned_to: String,
    /// `newest` (default) or `due`.
    #[serde(default)]
    pub sort: String,
    /// The search: a number, an IIN/BIN or the start of a surname (B.2).
    #[serde(default)]
    pub q: String,
    /// The page's number, from 1 (text: a mistyped one is page 1).
    #[serde(default)]
    pub page: String,
}

fn blank_none(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl InboxQuery {
    pub fn to_list(&self) -> ListQuery {
        ListQuery {
            stage: blank_none(&self.stage),
            service: blank_none(&self.service),
            overdue: self.overdue.as_ref().map(|_| true),
            nearing: self.nearing.as_ref().map(|_| true),
            pending: self.pending.as_ref().map(|_| true),
            planned_from: blank_none(&self.planned_from),
            planned_to: blank_none(&self.planned_to),
            sort: blank_none(&self.sort),
            q: blank_none(&self.q),
            ..Default::default()
        }
    }

    /// The page asked for (1 when none or not a number).
    pub fn page(&self) -> i64 {
        self.page.trim().parse::<i64>().unwrap_or(1).max(1)
    }

    /// These filters as query pairs (blank ones left out), for the links of other pages.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        for (k, v) in [
            ("q", self.q.as_str()),
            ("stage", self.stage.as_str()),
            ("service", self.service.as_str()),
            ("planned_from", self.planned_from.as_str()),
            ("planned_to", self.planned_to.as_str()),
            ("sort", self.sort.as_str()),
        ] {
            if !v.trim().is_empty() {
                pairs.push((k, v.trim().to_string()));
            }
        }
        for (k, v) in [
            ("overdue", &self.overdue),
            ("nearing", &self.nearing),
            ("pending", &self.pending),
        ] {
            if v.is_some() {
                pairs.push((k, "true".to_string()));
            }
        }
        pairs
    }
}

/// The link to page `n` of the list at `base` with `pairs`.
pub fn page_link(base: &str, pairs: &[(&'static str, String)], n: i64) -> String {
    let mut all: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let n = n.to_string();
    all.push(("page", n.as_str()));
    format::link(base, &all)
}

/// A row of an application list.
pub struct Row {
    pub number: String,
    pub number_formatted: String,
    pub href: String,
    pub service_code: String,
    pub service_name: String,
    pub applicant: String,
    pub stage: String,
    pub accepted: String,
    pub planned: String,
    pub time_left: String,
    pub overdue: bool,
    pub nearing: bool,
    pub suspended: bool,
    pub completed: bool,
}

/// The applicant as a list shows them: surname and initials (the full record is one click
/// away, and that read is audited).
fn short_name(a: &Application) -> String {
    let initial = |s: &str| {
        s.chars()
            .next()
            .map(|c| format!(" {c}."))
            .unwrap_or_default()
    };
    format!(
        "{}{}{}",
        a.applicant.last_name,
        initial(&a.applicant.first_name),
        a.applicant
            .middle_name
            .as_deref()
            .map(initial)
            .unwrap_or_default()
    )
}

pub fn rows(
    ui: &Ui,
    items: &[Application],
    names: &HashMap<String, String>,
    base: &str,
    now: Timestamp,
) -> Vec<Row> {
    items
        .iter()
        .map(|a| {
            let number = a.number.to_string();
            let code = a.service_code.to_string();
            Row {
                href: format!("{base}/{number}"),
                number_formatted: a.number.formatted(),
                service_name: names.get(&code).cloned().unwrap_or_default(),
                service_code: code,
                applicant: short_name(a),
                stage: ui.term("stage", a.stage.as_str()),
                accepted: format::datetime(ui.lang, a.accepted_at),
                planned: format::date(ui.lang, a.planned_date),
                time_left: match a.actual_completion {
                    Some(_) => String::new(),
                    None => format::time_left(ui.lang, a.deadline, now),
                },
                overdue: a.overdue,
                nearing: a.nearing,
                suspended: a.suspended,
                completed: a.actual_completion.is_some(),
                number,
            }
        })
        .collect()
}

/// Every service's name in the page's language, by code.
pub async fn service_names(state: &AppState, ui: &Ui) -> Result<HashMap<String, String>, WebError> {
    let services = state
        .store
        .every_service()
        .await
        .map_err(|e| WebError::from_app(ui, e.into()))?;
    Ok(services
        .into_iter()
        .map(|s| (s.code.to_string(), super::localized(ui.lang, &s.name)))
        .collect())
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    ui: Ui,
    q: InboxQuery,
    rows: Vec<Row>,
    pager: Option<Pager>,
    stages: Vec<(&'static str, String)>,
    error: Option<String>,
}

/// The stages a filter offers, with their names.
pub fn stage_options(ui: &Ui) -> Vec<(&'static str, String)> {
    application::STAGES
        .iter()
        .map(|s| (*s, ui.term("stage", s)))
        .collect()
}

async fn inbox(
    State(state): State<AppState>,
    staff: Staff,
    axum::extract::Query(q): axum::extract::Query<InboxQuery>,
) -> Result<Response, WebError> {
    staff.require(&WORKERS)?;
    let ui = staff.ui.clone();
    let names = service_names(&state, &ui).await?;
    let pairs = q.pairs();
    let (rows, pager, error) = match find_page(&state, &staff.caller, &q.to_list(), q.page()).await
    {
        Ok(page) => (
            rows(
                &ui,
                &page.items,
                &names,
                "/work/applications",
                Timestamp::now(),
            ),
            Some(pager(&ui, &page, |n| page_link("/work", &pairs, n))),
            None,
        ),
        Err(e) if e.is_refusal() && e.kind != crate::app::ErrorKind::Forbidden => {
            (vec![], None, Some(ui.error_message(&e)))
        }
        Err(e) => return Err(WebError::from_app(&ui, e)),
    };
    Ok(render(&InboxPage {
        stages: stage_options(&ui),
        ui,
        q,
        rows,
        pager,
        error,
    }))
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    registered: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(number): Path<String>,
    axum::extract::Query(q): axum::extract::Query<ShowQuery>,
) -> Result<Response, WebError> {
    staff.require(&WORKERS)?;
    let mut page = ApplicationPage::load(&state, &staff, &number, "/work/applications").await?;
    if q.registered.is_some() {
        page.notice = Some(staff.ui.t("application-registered"));
    }
    Ok(render(&page))
}
