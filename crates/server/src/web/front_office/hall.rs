//! The hall's screen and the visitor's phone (001 §6, §12): `/display/{office}` shows the
//! tickets called and to which window, in large type, and announces each call with a chime
//! and the browser's speech synthesis in Kazakh then Russian (`display.js`); `/ticket/{id}` is
//! the digital ticket: the number, the state, the position and the estimated wait, updated
//! live from the office's feed (`ticket.js`). Public: numbers and windows only.

use super::super::session::visitor_lang;
use super::super::{render, Ui, WebError};
use crate::app::front_office::display::{self, DisplaySnapshot};
use crate::app::front_office::tickets::{self, TicketView};
use crate::app::now;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
}

/// A visitor's page context: `?lang=`, else the cookie or the browser's.
fn visitor(headers: &HeaderMap, q: &LangQuery, path: &str) -> Ui {
    let mut ui = Ui::anonymous(visitor_lang(headers));
    if let Some(l) = q.lang.as_deref().and_then(Lang::from_code) {
        ui.lang = l;
    }
    ui.path = path.into();
    ui
}

#[derive(Template)]
#[template(path = "front_office/display.html")]
struct DisplayPage {
    ui: Ui,
    snapshot: DisplaySnapshot,
    /// The hall reads both languages: each line in Kazakh and Russian.
    sound: String,
    reconnecting: String,
    live_queue: String,
}

/// Message `id` in Kazakh and in Russian, one after the other.
fn both(id: &str) -> String {
    format!(
        "{} / {}",
        crate::i18n::message(Lang::Kk, id, &[]),
        crate::i18n::message(Lang::Ru, id, &[])
    )
}

/// `/display/{office}`: the hall's screen.
pub async fn display(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(office): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let ui = visitor(&headers, &q, &format!("/display/{office}"));
    match display::snapshot(&state, &office, now()).await {
        Ok(snapshot) => render(&DisplayPage {
            ui,
            snapshot,
            sound: both("hall-sound"),
            reconnecting: both("hall-reconnecting"),
            live_queue: both("hall-live-queue"),
        }),
        Err(e) => WebError::from_app(&ui, e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "front_office/ticket.html")]
struct TicketPage {
    ui: Ui,
    ticket: TicketView,
    office_name: String,
    wait_minutes: i64,
}

/// `/ticket/{id}`: the digital ticket (001 §12).
pub async fn ticket(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let ui = visitor(&headers, &q, &format!("/ticket/{id}"));
    let ticket = match tickets::show(&state, &id, now()).await {
        Ok(t) => t,
        Err(e) => return WebError::from_app(&ui, e).into_response(),
    };
    let office_name = match crate::app::front_office::offices::find(&state, &ticket.office).await {
        Ok(o) => o.name.get(ui.lang.code()).to_string(),
        Err(e) => return WebError::from_app(&ui, e).into_response(),
    };
    let wait_minutes = ticket.estimated_wait_secs.map_or(0, |s| (s + 59) / 60);
    render(&TicketPage {
        ui,
        ticket,
        office_name,
        wait_minutes,
    })
}

#[derive(Template)]
#[template(path = "front_office/booking.html")]
struct BookingPage {
    ui: Ui,
    booking: crate::app::front_office::bookings::BookingView,
    office_name: String,
    address: String,
    /// The visit's local date and time, `2026-12-08 10:15`.
    when: String,
    cancelled_now: bool,
}

async fn booking_page(
    state: &AppState,
    ui: Ui,
    id: &str,
    cancelled_now: bool,
    refusal: Option<crate::app::AppError>,
) -> Response {
    use crate::app::front_office::bookings;
    if let Some(e) = refusal {
        return WebError::from_app(&ui, e).into_response();
    }
    let booking = match bookings::show(state, id, now()).await {
        Ok(b) => b,
        Err(e) => return WebError::from_app(&ui, e).into_response(),
    };
    let office = match crate::app::front_office::offices::find(state, &booking.office).await {
        Ok(o) => o,
        Err(e) => return WebError::from_app(&ui, e).into_response(),
    };
    let lang = ui.lang.code();
    let when = format!(
        "{} {}",
        booking.starts_at.get(..10).unwrap_or_default(),
        booking.starts_at.get(11..16).unwrap_or_default()
    );
    render(&BookingPage {
        office_name: office.name.get(lang).to_string(),
        address: office.address.get(lang).to_string(),
        when,
        booking,
        cancelled_now,
        ui,
    })
}

/// `/booking/{id}`: a booked visit by its link (001 §12), with its check-in code, and the
/// way to cancel it.
pub async fn booking(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let ui = visitor(&headers, &q, &format!("/booking/{id}"));
    booking_page(&state, ui, &id, false, None).await
}

/// Cancels the booking of the link (after the page's confirmation).
pub async fn cancel_booking(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let ui = visitor(&headers, &q, &format!("/booking/{id}"));
    match crate::app::front_office::bookings::cancel(&state, "public", &id, now()).await {
        Ok(_) => booking_page(&state, ui, &id, true, None).await,
        Err(e) => booking_page(&state, ui, &id, false, Some(e)).await,
    }
}
