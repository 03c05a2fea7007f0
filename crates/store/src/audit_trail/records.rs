//! The records of an audit export, one JSON object per line, tagged by `type`: the header,
//! then checkpoints and ledger entries merged in position order, then each application
//! followed by its events in the order of the applications' internal keys, then the counts.
//! The checker reads the same structures from the database.
//!
//! Instants are the stored microseconds since the Unix epoch, as in the database.

use crate::chain;
use crate::rows::EventRow;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The first line: what was exported, from where, and the ledger's head row at that moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub backend: String,
    pub exported_at: String,
    pub ledger_position: i64,
    pub ledger_head: String,
}

/// A signed checkpoint of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CheckpointRecord {
    pub position: i64,
    pub head: String,
    pub signed_at: i64,
    pub key_id: String,
    pub signature: String,
}

/// One ledger entry: a registration (seq 0, no event id) or an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct LedgerRecord {
    pub position: i64,
    pub app_id: i64,
    pub number: i64,
    pub seq: i64,
    pub event_id: Option<String>,
    pub chain_hash: String,
    pub head: String,
}

impl LedgerRecord {
    /// The leaf hash the ledger's head chain covers.
    pub fn leaf(&self) -> [u8; 32] {
        crate::ledger::leaf(
            self.number,
            self.seq,
            self.event_id.as_deref(),
            &self.chain_hash,
        )
    }
}

/// An application as far as its history is concerned. `genesis` is its registration hash
/// recomputed from the stored number, service, acceptance time and applicant when read from
/// the database: the applicant's IIN itself is not exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppRecord {
    pub app_id: i64,
    pub number: i64,
    pub service_code: String,
    pub accepted_at: i64,
    pub genesis: String,
    pub event_count: i64,
    pub head_hash: String,
}

/// The columns of an application row the audit reads.
#[derive(sqlx::FromRow)]
pub(crate) struct AppRow {
    pub app_id: i64,
    pub number: i64,
    pub service_code: String,
    pub accepted_at: i64,
    pub applicant_id: String,
    pub event_count: i64,
    pub head_hash: String,
}

impl From<AppRow> for AppRecord {
    fn from(r: AppRow) -> Self {
        // An instant out of range cannot be the registered one: no hash will match it.
        let genesis = Timestamp::from_microsecond(r.accepted_at)
            .map(|t| chain::genesis(r.number, &r.service_code, t, &r.applicant_id))
            .unwrap_or_default();
        AppRecord {
            app_id: r.app_id,
            number: r.number,
            service_code: r.service_code,
            accepted_at: r.accepted_at,
            genesis,
            event_count: r.event_count,
            head_hash: r.head_hash,
        }
    }
}

/// Every column of an event row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct EventRecord {
    pub app_id: i64,
    pub id: String,
    pub number: i64,
    pub seq: i64,
    pub kind: String,
    pub stage: Option<String>,
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub executor: Option<String>,
    pub executor_person: Option<String>,
    pub occurred_at: i64,
    pub recorded_at: i64,
    pub actor: String,
    pub content_hash: String,
    pub chain_hash: String,
    /// The ground of a suspension or a refusal (003 §17; migration 0021): absent from the
    /// exports of events without one, as from those written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ground: Option<String>,
    /// A package's scan and its office (001 §15.9; migration 0025): only on `scanned` events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
}

impl EventRecord {
    /// The content hash recomputed from the stored fields; `None` when they do not make an
    /// event at all (an unknown kind or stage, an id that is not a UUID).
    pub fn recomputed_content_hash(&self) -> Option<String> {
        let row = EventRow {
            id: self.id.clone(),
            number: self.number,
            seq: self.seq,
            kind: self.kind.clone(),
            stage: self.stage.clone(),
            outcome: self.outcome.clone(),
            reason: self.reason.clone(),
            executor: self.executor.clone(),
            executor_person: self.executor_person.clone(),
            occurred_at: self.occurred_at,
            recorded_at: self.recorded_at,
            actor: self.actor.clone(),
            content_hash: String::new(),
            chain_hash: String::new(),
            ground: self.ground.clone(),
            scan: self.scan.clone(),
            office: self.office.clone(),
        };
        let event = row.event().ok()?;
        Some(chain::content_hash(
            self.number,
            &event,
            self.executor_person.as_deref(),
        ))
    }
}

/// The chain link after `prev` for a content hash recorded at `recorded_at` (microseconds).
pub fn link(prev: &str, content_hash: &str, recorded_at: i64) -> Option<String> {
    Timestamp::from_microsecond(recorded_at)
        .ok()
        .map(|t| chain::link(prev, content_hash, t))
}

/// How many records of each kind an export holds; its last line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportCounts {
    pub applications: u64,
    pub events: u64,
    pub ledger: u64,
    pub checkpoints: u64,
}

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Line {
    Header(Header),
    Checkpoint(CheckpointRecord),
    Ledger(LedgerRecord),
    Application(AppRecord),
    /// Boxed: an event's row is the largest line by far, and the file holds many of each.
    Event(Box<EventRecord>),
    End(ExportCounts),
}
