//! The kiosk (001 §6, §11): a touch screen in the hall, signed in by the branch's staff at
//! the start of the day. The visitor picks the language, the purpose (large buttons), a
//! service if they know it and a priority group if they belong to one, and gets a printed
//! ticket with its number, the queue ahead, the estimated wait and a QR code of the digital
//! ticket; a booked visitor types the check-in code instead. Each page carries a fresh
//! `Idempotency-Key`, so a ticket sent twice (a double touch, a retry) is taken once.

use super::super::session::Staff;
use super::super::{render, render_status, Ui, WebError};
use super::qr_svg;
use crate::app::front_office::offices::{find, require_office_staff};
use crate::app::front_office::tickets::{NewTicketRequest, TicketView};
use crate::app::front_office::{bookings, tickets};
use crate::app::{now, AppError};
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use qyzmet_domain::front_office::{PriorityGroup, Purpose};
use serde::Deserialize;

/// A ticket as printed.
#[derive(serde::Serialize)]
pub struct Printed {
    pub number: String,
    pub purpose: Purpose,
    pub position: Option<i64>,
    pub wait_minutes: Option<i64>,
    pub taken_at: String,
    pub link: String,
    pub qr: String,
}

#[derive(Template)]
#[template(path = "front_office/kiosk.html")]
struct KioskPage {
    ui: Ui,
    office: String,
    office_name: String,
    address: String,
    services: Vec<(String, String)>,
    purposes: Vec<Purpose>,
    groups: Vec<PriorityGroup>,
    /// The key of the next ticket this page sends.
    key: String,
    printed: Option<Printed>,
    error: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct KioskQuery {
    lang: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct TicketForm {
    csrf: String,
    key: String,
    lang: Option<String>,
    purpose: String,
    #[serde(default)]
    service_code: String,
    #[serde(default)]
    priority: String,
}

#[derive(Debug, Deserialize)]
pub struct CheckInForm {
    csrf: String,
    lang: Option<String>,
    code: String,
}

/// The kiosk speaks the visitor's language: `lang` (kk by default), not the signed-in
/// account's.
fn kiosk_ui(staff: &Staff, lang: Option<&str>, office: &str) -> Ui {
    let mut ui = staff.ui.clone();
    ui.lang = lang.and_then(Lang::from_code).unwrap_or(Lang::Kk);
    ui.path = format!("/kiosk/{office}");
    ui
}

async fn page_of(
    state: &AppState,
    staff: &Staff,
    ui: Ui,
    office_code: &str,
    printed: Option<Printed>,
    error: Option<String>,
) -> Result<KioskPage, AppError> {
    let office = find(state, office_code).await?;
    require_office_staff(&staff.caller, &office)?;
    let counters = state.store.counters(office.id).await?;
    let mut codes: Vec<String> = counters.iter().flat_map(|c| c.services.clone()).collect();
    codes.sort();
    codes.dedup();
    let mut services = Vec::new();
    for code in codes {
        if let Ok(c) = crate::app::validate::service_code("service_code", &code) {
            if let Some(s) = state.store.service(&c).await? {
                services.push((code, s.name.get(ui.lang.code()).to_string()));
            }
        }
    }
    let lang = ui.lang.code();
    Ok(KioskPage {
        office: office.code.clone(),
        office_name: office.name.get(lang).to_string(),
        address: office.address.get(lang).to_string(),
        services,
        purposes: Purpose::ALL.to_vec(),
        groups: PriorityGroup::ALL
            .into_iter()
            .filter(|g| *g != PriorityGroup::Booked)
            .collect(),
        key: uuid::Uuid::new_v4().to_string(),
        printed,
        error,
        ui,
    })
}

async fn answer(
    state: &AppState,
    staff: &Staff,
    ui: Ui,
    office: &str,
    printed: Option<Printed>,
    error: Option<AppError>,
) -> Response {
    let status = error.as_ref().map_or(StatusCode::OK, WebError::form_status);
    let message = error.map(|e| ui.error_message(&e));
    match page_of(state, staff, ui.clone(), office, printed, message).await {
        Ok(p) => render_status(status, &p),
        Err(e) => WebError::from_app(&ui, e).into_response(),
    }
}

/// `/kiosk/{office}`: the purposes, services and groups to choose from.
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(office): Path<String>,
    Query(q): Query<KioskQuery>,
) -> Response {
    let ui = kiosk_ui(&staff, q.lang.as_deref(), &office);
    match page_of(&state, &staff, ui.clone(), &office, None, None).await {
        Ok(p) => render(&p),
        Err(e) => WebError::from_app(&ui, e).into_response(),
    }
}

fn printed(state: &AppState, t: &TicketView) -> Printed {
    let link = format!("{}/ticket/{}", state.config.site_url(), t.id);
    Printed {
        number: t.number.clone(),
        purpose: t.purpose,
        position: t.position,
        wait_minutes: t.estimated_wait_secs.map(|s| (s + 59) / 60),
        taken_at: t.arrived_at.get(11..16).unwrap_or_default().to_string(),
        qr: qr_svg(&link, 160),
        link,
    }
}

/// Whether the kiosk's script asked for JSON (it renders the ticket itself, online or, from
/// its range, offline).
fn wants_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// The answer to the kiosk's script: the printed ticket, or the refusal with its code and
/// message.
fn json_answer(ui: &Ui, r: Result<Printed, AppError>) -> Response {
    match r {
        Ok(p) => axum::Json(p).into_response(),
        Err(e) => (
            WebError::form_status(&e),
            axum::Json(
                serde_json::json!({"error": {"code": e.code, "message": ui.error_message(&e)}}),
            ),
        )
            .into_response(),
    }
}

/// Takes the ticket the visitor chose and shows it to print.
pub async fn take(
    State(state): State<AppState>,
    staff: Staff,
    headers: axum::http::HeaderMap,
    Path(office): Path<String>,
    Form(f): Form<TicketForm>,
) -> Response {
    let ui = kiosk_ui(&staff, f.lang.as_deref(), &office);
    if let Err(e) = staff.check_csrf(&f.csrf) {
        return e.into_response();
    }
    let blank = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let req = NewTicketRequest {
        purpose: f.purpose.clone(),
        service_code: blank(&f.service_code),
        priority: blank(&f.priority),
        source: Some("kiosk".into()),
        application: None,
    };
    let key = Some(f.key.trim()).filter(|k| !k.is_empty() && k.len() <= 100);
    let taken = tickets::take(&state, &staff.caller.actor(), &office, &req, key, now()).await;
    if wants_json(&headers) {
        return json_answer(&ui, taken.map(|t| printed(&state, &t)));
    }
    match taken {
        Ok(t) => answer(&state, &staff, ui, &office, Some(printed(&state, &t)), None).await,
        Err(e) => answer(&state, &staff, ui, &office, None, Some(e)).await,
    }
}

/// A booked visitor checks in by the code of their booking (001 §12).
pub async fn check_in(
    State(state): State<AppState>,
    staff: Staff,
    Path(office): Path<String>,
    Form(f): Form<CheckInForm>,
) -> Response {
    let ui = kiosk_ui(&staff, f.lang.as_deref(), &office);
    if let Err(e) = staff.check_csrf(&f.csrf) {
        return e.into_response();
    }
    match bookings::check_in_by_code(&state, &staff.caller, &office, &f.code, now()).await {
        Ok(t) => answer(&state, &staff, ui, &office, Some(printed(&state, &t)), None).await,
        Err(e) => answer(&state, &staff, ui, &office, None, Some(e)).await,
    }
}
