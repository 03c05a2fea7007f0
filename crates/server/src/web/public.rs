//! The public pages (issue 17), for everyone, without signing in, in Kazakh, Russian and
//! English: the catalogue of services (`/services`), a service's passport as an applicant
//! reads it (`/services/{code}`), and the status of an application (`/status`; 002 §4,
//! decision Q11). `?lang=` switches the language and is remembered in a cookie.

use super::session::{peer_of, set_cookie, visitor_lang, Staff, LANG_COOKIE};
use super::{render, render_status, Ui};
use crate::app::monitoring::status::{self, StatusAnswer};
use crate::app::registry::catalogue::{self, Entry, Search};
use crate::app::{AppError, ErrorKind};
use crate::i18n::{message, Lang};
use crate::state::AppState;
use askama::Template;
use axum::extract::FromRequestParts;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use qyzmet_domain::passport::{LifeSituation, Passport};
use qyzmet_store::{Channel, Organization};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/services", get(services))
        .route("/services/{code}", get(service))
        .route("/status", get(status_form).post(status_page))
}

/// The page's context at `path`: a signed-in user's (their header and language), else a
/// visitor's (the language cookie, else the browser's); `?lang=` switches either, and is
/// remembered for a visitor.
pub(super) async fn context(
    state: &AppState,
    parts: &mut Parts,
    asked: Option<&str>,
    path: &str,
) -> (Ui, Option<Lang>) {
    let chosen = asked.and_then(Lang::from_code);
    let mut ui = match <Staff as FromRequestParts<AppState>>::from_request_parts(parts, state).await
    {
        Ok(staff) => staff.ui,
        Err(_) => Ui::anonymous(visitor_lang(&parts.headers)),
    };
    if let Some(l) = chosen {
        ui.lang = l;
    }
    ui.path = path.into();
    (ui, chosen)
}

pub(super) fn remember(resp: &mut Response, state: &AppState, chosen: Option<Lang>) {
    if let Some(l) = chosen {
        set_cookie(resp, state, LANG_COOKIE, l.code(), 31_536_000, false);
    }
}

/// A failure of a public page: the error page in the reader's language.
fn failed(ui: &Ui, e: AppError) -> Response {
    super::WebError::from_app(ui, e).into_response()
}

/// One row of the catalogue as the list shows it.
pub struct Row {
    pub code: String,
    pub name: String,
    pub provider: String,
    pub channels: Vec<&'static str>,
    pub paid: bool,
}

fn row(e: &Entry, lang: Lang) -> Row {
    let s = &e.service;
    Row {
        code: s.code.clone(),
        name: s.name.get(lang.code()).to_string(),
        provider: s.provider_name.get(lang.code()).to_string(),
        channels: Channel::ALL
            .iter()
            .filter(|c| s.channels.iter().any(|k| k == c.as_str()))
            .map(|c| c.as_str())
            .collect(),
        paid: s.passport.fee.paid,
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct CatalogueQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    situation: String,
    /// The page, from 1 (anything else reads as the first).
    #[serde(default)]
    page: String,
    lang: Option<String>,
}

/// Services a page of the catalogue.
const PAGE: usize = 25;

#[derive(Template)]
#[template(path = "public/services.html")]
struct ServicesPage {
    ui: Ui,
    q: String,
    organization: String,
    channel: String,
    situation: String,
    organizations: Vec<(String, String)>,
    channels: Vec<&'static str>,
    situations: Vec<&'static str>,
    rows: Vec<Row>,
    pager: Option<super::pager::Pager>,
}

/// `/services`: the catalogue, searched and filtered.
pub async fn services(
    State(state): State<AppState>,
    mut parts: Parts,
    Query(q): Query<CatalogueQuery>,
) -> Response {
    let (ui, chosen) = context(&state, &mut parts, q.lang.as_deref(), "/services").await;
    let lang = ui.lang;
    let blank = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    // A name is a few words: what is typed beyond 200 characters is not searched for.
    let typed: String = q.q.chars().take(200).collect();
    let search = Search {
        text: typed.clone(),
        organization: blank(&q.organization),
        channel: blank(&q.channel).filter(|c| Channel::ALL.iter().any(|k| k.as_str() == c)),
        situation: LifeSituation::parse(q.situation.trim()),
    };
    let found = catalogue::search(&state, &search).await;
    let providers = catalogue::providers(&state).await;
    let (found, providers) = match (found, providers) {
        (Ok(f), Ok(p)) => (f, p),
        (Err(e), _) | (_, Err(e)) => return failed(&ui, e),
    };
    let pages = found.len().div_ceil(PAGE).max(1) as i64;
    let current = q.page.trim().parse::<i64>().unwrap_or(1).clamp(1, pages);
    let href = |n: i64| {
        let mut pairs: Vec<(&str, String)> = vec![("q", typed.trim().to_string())];
        for (k, v) in [
            ("organization", search.organization.clone()),
            ("channel", search.channel.clone()),
            (
                "situation",
                search.situation.map(|s| s.as_str().to_string()),
            ),
        ] {
            if let Some(v) = v {
                pairs.push((k, v));
            }
        }
        pairs.push(("page", n.to_string()));
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        super::format::link("/services", &refs)
    };
    let total = message(
        lang,
        "public-services-found",
        &[("n", found.len().to_string())],
    );
    let pager = super::pager::numbered(&ui, total, current, pages, href);
    let page = ServicesPage {
        ui,
        q: typed.trim().to_string(),
        organization: search.organization.clone().unwrap_or_default(),
        channel: search.channel.clone().unwrap_or_default(),
        situation: search.situation.map(|s| s.as_str()).unwrap_or("").into(),
        organizations: providers
            .iter()
            .map(|o: &Organization| (o.code.to_string(), o.name.get(lang.code()).to_string()))
            .collect(),
        channels: Channel::ALL.iter().map(|c| c.as_str()).collect(),
        situations: LifeSituation::ALL.iter().map(|s| s.as_str()).collect(),
        rows: found
            .iter()
            .skip((current as usize - 1) * PAGE)
            .take(PAGE)
            .map(|e| row(e, lang))
            .collect(),
        pager: Some(pager),
    };
    let mut resp = render(&page);
    remember(&mut resp, &state, chosen);
    resp
}

#[derive(Debug, Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "public/service.html")]
struct ServicePage {
    ui: Ui,
    row: Row,
    version: i64,
    passport: Passport,
    /// The legal terms, each in words ("15 calendar days").
    terms: Vec<(String, String)>,
    /// The organizations that deliver it, in the visitor's language.
    providers: Vec<String>,
}

impl ServicePage {
    /// A text of the passport in the page's language.
    fn tx(&self, t: &qyzmet_domain::passport::Texts) -> String {
        t.get(self.ui.code()).to_string()
    }

    /// The snake_case name of one of the passport's enumerations (the key of its words).
    fn name_of<T: serde::Serialize>(&self, v: &T) -> String {
        serde_json::to_value(v)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// A schedule in words: "Mon–Fri 09:00–18:30, break 13:00–14:30".
    fn schedule(&self, s: &qyzmet_domain::passport::Schedule) -> String {
        let days: Vec<String> = s
            .days
            .iter()
            .map(|d| self.ui.term("day", &self.name_of(d)))
            .collect();
        let hours = |h: &qyzmet_domain::WorkingHours| h.to_string().replace('-', "–");
        let mut out = format!("{}: {}", days.join(", "), hours(&s.hours));
        for b in &s.breaks {
            out.push_str(&format!(
                "; {} {}",
                self.ui.t("public-passport-break"),
                hours(b)
            ));
        }
        if !s.note.is_blank() {
            out.push_str(&format!(". {}", self.tx(&s.note)));
        }
        out
    }

    /// The documents obtained from information systems instead of from the applicant (001
    /// §22), with the system.
    fn obtained_elsewhere(&self) -> Vec<(String, String)> {
        self.passport
            .documents
            .iter()
            .filter_map(|d| {
                d.from_system
                    .as_ref()
                    .map(|s| (self.tx(&d.name), s.clone()))
            })
            .collect()
    }
}

/// `/services/{code}`: a service's passport as an applicant reads it.
pub async fn service(
    State(state): State<AppState>,
    mut parts: Parts,
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let path = format!("/services/{code}");
    let (ui, chosen) = context(&state, &mut parts, q.lang.as_deref(), &path).await;
    let lang = ui.lang;
    let entry = match catalogue::service(&state, &code).await {
        Ok(e) => e,
        Err(e) => return failed(&ui, e),
    };
    let terms = match crate::app::registry::services::show(&state, &code).await {
        Ok(s) => s
            .terms
            .iter()
            .map(|t| {
                (
                    t.name_in(lang.code()).to_string(),
                    format!(
                        "{} {}",
                        t.term.amount,
                        message(
                            lang,
                            &format!("unit-{}", t.term.unit.as_str().replace('_', "-")),
                            &[]
                        )
                    ),
                )
            })
            .collect(),
        Err(e) => return failed(&ui, e),
    };
    let mut providers = Vec::new();
    for p in &entry.service.passport.providers {
        let name = match qyzmet_domain::ids::OrgCode::parse(&p.organization) {
            Ok(c) => state
                .store
                .organization(&c)
                .await
                .ok()
                .flatten()
                .map(|o| o.name.get(lang.code()).to_string()),
            Err(_) => None,
        };
        providers.push(name.unwrap_or_else(|| p.organization.clone()));
    }
    let page = ServicePage {
        ui,
        row: row(&entry, lang),
        version: entry.service.passport_version,
        passport: entry.service.passport.clone(),
        terms,
        providers,
    };
    let mut resp = render(&page);
    remember(&mut resp, &state, chosen);
    resp
}

/// The status form's fields. Sent by POST, so that the IIN/BIN stays out of addresses
/// (browser history, proxies' logs).
#[derive(Debug, Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    iin: String,
}

#[derive(Template)]
#[template(path = "public/status.html")]
struct StatusPage {
    ui: Ui,
    number: String,
    /// Kept in the form only while it is being corrected; never shown back on an answer.
    iin: String,
    error: Option<(Option<String>, String)>,
    answer: Option<StatusView>,
}

/// The answer as the page shows it.
struct StatusView {
    number: String,
    service: String,
    stage: String,
    stage_no: u8,
    planned_date: String,
    office: String,
    next: String,
    overdue: bool,
    suspended: bool,
}

fn status_view(a: &StatusAnswer, lang: Lang) -> StatusView {
    let s = &a.status;
    let office = s.office_name.get(lang.code()).to_string();
    StatusView {
        number: a.number.formatted(),
        service: s.service_name.get(lang.code()).to_string(),
        stage: a.stage_words(lang),
        stage_no: s.stage.number(),
        planned_date: super::format::date(lang, s.planned_date),
        next: a.next_words(lang, super::format::date(lang, s.planned_date)),
        office,
        overdue: s.overdue,
        suspended: s.suspended,
    }
}

/// `GET /status`: the form.
pub async fn status_form(
    State(state): State<AppState>,
    mut parts: Parts,
    Query(q): Query<LangQuery>,
) -> Response {
    let (ui, chosen) = context(&state, &mut parts, q.lang.as_deref(), "/status").await;
    let page = StatusPage {
        ui,
        number: String::new(),
        iin: String::new(),
        error: None,
        answer: None,
    };
    let mut resp = render(&page);
    remember(&mut resp, &state, chosen);
    resp
}

/// `POST /status`: the answer under the form (the IIN/BIN is not echoed into the page once
/// found).
pub async fn status_page(
    State(state): State<AppState>,
    mut parts: Parts,
    axum::Form(f): axum::Form<StatusForm>,
) -> Response {
    let (ui, _) = context(&state, &mut parts, None, "/status").await;
    let lang = ui.lang;
    let extensions = &parts.extensions;
    let mut page = StatusPage {
        ui,
        number: f.number.clone(),
        iin: String::new(),
        error: None,
        answer: None,
    };
    let mut code = StatusCode::OK;
    let mut retry = None;
    let (number, iin) = (&f.number, &f.iin);
    {
        if let Err(wait) = state.status_throttle.check(&peer_of(extensions)) {
            code = StatusCode::TOO_MANY_REQUESTS;
            retry = Some(wait.as_secs().max(1));
            page.error = Some((
                None,
                message(
                    lang,
                    "error-too-many-lookups",
                    &[("seconds", wait.as_secs().max(1).to_string())],
                ),
            ));
        } else {
            match status::lookup(&state, number, iin).await {
                Ok(a) => page.answer = Some(status_view(&a, lang)),
                Err(e) => {
                    code = match e.kind {
                        ErrorKind::NotFound => StatusCode::NOT_FOUND,
                        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
                        _ => StatusCode::UNPROCESSABLE_ENTITY,
                    };
                    if e.kind == ErrorKind::Invalid {
                        page.iin = iin.clone();
                    }
                    page.error = Some((e.field.clone(), e.message(lang)));
                }
            }
        }
    }
    let mut resp = render_status(code, &page);
    if let Some(secs) = retry {
        resp.headers_mut()
            .insert(axum::http::header::RETRY_AFTER, HeaderValue::from(secs));
    }
    resp
}
