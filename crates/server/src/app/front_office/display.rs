//! The hall display (issue 18, point 4; 001 §6): what the hall's screen shows when it starts
//! or resynchronises — the office's name, whether it is open, and the tickets called or being
//! served with their counters, the latest call first. The live part is the queue feed
//! (`queue_feed`): each later call arrives as an event.

use super::offices::{find, is_open};
use crate::app::validate as v;
use crate::app::AppError;
use crate::state::AppState;
use jiff::Timestamp;
use qyzmet_domain::front_office::TicketNumber;
use qyzmet_store::LocalizedName;
use serde::Serialize;
use utoipa::ToSchema;

/// How many calls the hall's screen lists.
pub const SHOWN: i64 = 12;

/// A ticket on the hall's screen.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisplayCall {
    #[schema(example = "A017")]
    pub number: String,
    /// The window it is called to.
    pub counter: Option<i64>,
    /// `called` or `serving`.
    pub state: String,
    pub calls: i64,
    #[schema(format = DateTime)]
    pub called_at: Option<String>,
    pub say_kk: Option<String>,
    pub say_ru: Option<String>,
}

/// What the hall's screen starts from.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisplaySnapshot {
    pub office: String,
    #[schema(value_type = Object)]
    pub name: LocalizedName,
    pub open_now: bool,
    /// `electronic` or `live`.
    pub mode: String,
    pub calls: Vec<DisplayCall>,
}

/// The snapshot of office `code`'s hall, for anyone (numbers and windows only).
pub async fn snapshot(
    state: &AppState,
    code: &str,
    now: Timestamp,
) -> Result<DisplaySnapshot, AppError> {
    let office = find(state, code).await?;
    let called = state.store.called_tickets(office.id, SHOWN).await?;
    let calls = called
        .iter()
        .map(|t| {
            let say = t
                .counter_number
                .and_then(|w| Some(t.number.parse::<TicketNumber>().ok()?.announcement(w)));
            DisplayCall {
                number: t.number.clone(),
                counter: t.counter_number,
                state: t.state.as_str().into(),
                calls: t.call_count,
                called_at: v::opt_local(t.called_at),
                say_kk: say.as_ref().map(|s| s.0.clone()),
                say_ru: say.map(|s| s.1),
            }
        })
        .collect();
    Ok(DisplaySnapshot {
        open_now: is_open(state, &office, now),
        mode: office.mode.clone(),
        office: office.code,
        name: office.name,
        calls,
    })
}
