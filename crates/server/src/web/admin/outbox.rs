//! The outbox (000 §2, issue 17) as administrators watch it: counts by state, the messages
//! newest first filtered by state and channel (recipients masked), and a retry of a failed or
//! dead message after a confirmation — through `app::informing::outbox`, as the API.

use super::ADMINS;
use crate::app::informing::outbox::{self, OutboxQuery};
use crate::state::AppState;
use crate::web::session::Staff;
use crate::web::{format, render, see_other, Ui, WebError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use qyzmet_store::OutboxCounts;
use serde::Deserialize;

pub struct MessageLine {
    pub id: i64,
    pub created: String,
    pub channel: String,
    pub number: String,
    pub recipient: String,
    pub subject: String,
    pub state: String,
    pub attempts: i64,
    pub last_error: String,
    pub retryable: bool,
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    ui: Ui,
    counts: OutboxCounts,
    lines: Vec<MessageLine>,
    state: String,
    channel: String,
    next: Option<String>,
    retried: bool,
    states: [&'static str; 5],
    channels: [&'static str; 3],
}

#[derive(Debug, Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    state: String,
    #[serde(default)]
    channel: String,
    cursor: Option<String>,
    retried: Option<String>,
}

/// `GET /admin/outbox`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(f): Query<Filters>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let ui = staff.ui.clone();
    let q = OutboxQuery {
        state: Some(f.state.clone()).filter(|s| !s.is_empty()),
        channel: Some(f.channel.clone()).filter(|c| !c.is_empty()),
        cursor: f.cursor.clone(),
        ..OutboxQuery::default()
    };
    let page = outbox::list(&state, &staff.caller, &q)
        .await
        .map_err(|e| WebError::from_app(&ui, e))?;
    let lines = page
        .items
        .into_iter()
        .map(|m| MessageLine {
            id: m.id,
            created: format::datetime(ui.lang, m.created_at),
            retryable: matches!(m.state.as_str(), "failed" | "dead"),
            channel: m.channel,
            number: m.number.map(|n| n.formatted()).unwrap_or_default(),
            recipient: m.recipient,
            subject: m.subject,
            state: m.state,
            attempts: m.attempts,
            last_error: m.last_error.unwrap_or_default(),
        })
        .collect();
    Ok(render(&OutboxPage {
        ui,
        counts: page.counts,
        lines,
        state: f.state,
        channel: f.channel,
        next: page.next,
        retried: f.retried.is_some(),
        states: ["pending", "sent", "delivered", "failed", "dead"],
        channels: ["email", "sms", "webhook"],
    }))
}

#[derive(Debug, Deserialize)]
pub struct RetryForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/outbox/{id}/retry`.
pub async fn retry(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<RetryForm>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    staff.check_csrf(&form.csrf)?;
    outbox::retry(&state, &staff.caller, id, crate::app::now())
        .await
        .map_err(|e| WebError::from_app(&staff.ui, e))?;
    Ok(see_other("/admin/outbox?retried=1"))
}
