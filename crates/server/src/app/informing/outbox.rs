//! The outbox as administrators see it (pending, sent, failed, dead), and their retry of a
//! message that failed or was given up.

use crate::app::paging::{decode_cursor, encode_cursor};
use crate::app::{AppError, Caller};
use crate::state::AppState;
use jiff::Timestamp;
use qyzmet_domain::contact::{Email, Phone};
use qyzmet_domain::ids::ApplicationNumber;
use qyzmet_store::{OutboxCounts, OutboxFilter, OutboxMessage};
use serde::Deserialize;
use utoipa::IntoParams;

/// The filters of the outbox list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// pending, sent, delivered, failed or dead.
    #[param(schema_with = outbox_state)]
    pub state: Option<String>,
    /// email, sms or webhook.
    #[param(schema_with = outbox_channel)]
    pub channel: Option<String>,
    /// The application's number (13 digits with its check digit).
    #[param(pattern = "^[0-9]{13}$")]
    pub number: Option<String>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

fn outbox_state() -> utoipa::openapi::Object {
    crate::app::schema::one_of(STATES, false)
}

fn outbox_channel() -> utoipa::openapi::Object {
    crate::app::schema::one_of(CHANNELS, false)
}

/// One page of the outbox, newest first.
pub struct OutboxPage {
    pub items: Vec<OutboxMessage>,
    pub next: Option<String>,
    pub counts: OutboxCounts,
}

const STATES: [&str; 5] = ["pending", "sent", "delivered", "failed", "dead"];
const CHANNELS: [&str; 3] = ["email", "sms", "webhook"];

/// The outbox, filtered (administrators). Recipients are masked: the list is for watching
/// delivery, not for reading personal data.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    q: &OutboxQuery,
) -> Result<OutboxPage, AppError> {
    caller.require_admin()?;
    fn blank(s: &Option<String>) -> Option<String> {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }
    // Given, a state and a channel must be one of theirs (an empty one too: the schema says so).
    let st = q.state.clone();
    if let Some(s) = &st {
        if !STATES.contains(&s.as_str()) {
            return Err(
                AppError::invalid("state", "enum_invalid").arg("allowed", STATES.join(", "))
            );
        }
    }
    let channel = q.channel.clone();
    if let Some(c) = &channel {
        if !CHANNELS.contains(&c.as_str()) {
            return Err(
                AppError::invalid("channel", "enum_invalid").arg("allowed", CHANNELS.join(", "))
            );
        }
    }
    let number = match q.number.clone() {
        Some(n) => Some(
            ApplicationNumber::parse(&n)
                .map_err(|_| AppError::invalid("number", "search_number_invalid"))?,
        ),
        None => None,
    };
    let before = match blank(&q.cursor) {
        Some(c) => Some(
            decode_cursor(&c)
                .and_then(|s| s.parse::<i64>().ok())
                .ok_or_else(|| AppError::invalid("cursor", "cursor_invalid"))?,
        ),
        None => None,
    };
    let limit = crate::app::validate::limit("limit", q.limit)?;
    let mut items = state
        .store
        .outbox(&OutboxFilter {
            state: st,
            channel,
            number,
            before,
            limit: limit + 1,
        })
        .await?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|m| encode_cursor(&m.id.to_string()))
    } else {
        None
    };
    for m in &mut items {
        m.recipient = masked(&m.channel, &m.recipient);
    }
    let counts = state.store.outbox_counts().await?;
    Ok(OutboxPage {
        items,
        next,
        counts,
    })
}

/// A recipient as the list shows it.
pub fn masked(channel: &str, recipient: &str) -> String {
    match channel {
        "email" => Email::parse(recipient).map_or_else(|_| "***".into(), |e| e.masked()),
        "sms" => Phone::parse(recipient).map_or_else(|_| "***".into(), |p| p.masked()),
        _ => recipient.to_string(),
    }
}

/// Puts a failed or dead message back in line (administrators; audited).
pub async fn retry(
    state: &AppState,
    caller: &Caller,
    id: i64,
    now: Timestamp,
) -> Result<OutboxMessage, AppError> {
    caller.require_admin()?;
    // Audited in the transaction that puts it back.
    let mut m = state.store.retry_message(id, &caller.actor(), now).await?;
    m.recipient = masked(&m.channel, &m.recipient);
    Ok(m)
}
