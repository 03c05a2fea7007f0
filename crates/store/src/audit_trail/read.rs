//! Reading the history for an audit: one consistent snapshot (a read transaction; REPEATABLE
//! READ on PostgreSQL), streamed in pages by key so that memory holds one page of the ledger
//! and of applications at a time, whatever the size of the database.

use super::check::Checker;
use super::records::{AppRecord, AppRow, CheckpointRecord, EventRecord, Header, LedgerRecord};
use super::report::{AuditReport, SealKeys};
use super::{AuditError, FORMAT};
use crate::convert::ts;
use crate::error::Result;
use crate::models::Checkpoint;
use crate::{with_db, Store};
use sqlx::Row;
use std::collections::{BTreeMap, VecDeque};

/// Ledger entries and checkpoints per page.
const PAGE: i64 = 5000;
/// Applications per page (their events and ledger entries come with them).
const APP_PAGE: i64 = 1000;

const LEDGER_COLUMNS: &str =
    "SELECT position, app_id, number, seq, event_id, chain_hash, head FROM ledger";
const EVENT_COLUMNS: &str = "SELECT app_id, id, number, seq, kind, stage, outcome, reason, \
     executor, executor_person, occurred_at, recorded_at, actor, content_hash, chain_hash, ground, \
     scan, office FROM events";

/// One application's rows, all under the same internal key.
pub(crate) struct Group {
    pub app: Option<AppRecord>,
    pub events: Vec<EventRecord>,
    pub ledger: Vec<LedgerRecord>,
}

/// What receives the history, in this order: the header; checkpoints and ledger entries
/// merged by position (a checkpoint before the entry at its position); the end of the ledger;
/// the applications by internal key (orphan rows under the key they name).
pub(crate) trait Sink {
    fn header(&mut self, h: &Header) -> Result<(), AuditError>;
    fn checkpoint(&mut self, c: CheckpointRecord) -> Result<(), AuditError>;
    fn ledger(&mut self, r: LedgerRecord) -> Result<(), AuditError>;
    fn end_ledger(&mut self) -> Result<(), AuditError>;
    /// Whether each application needs its ledger entries again (the checker does).
    fn wants_group_ledger(&self) -> bool;
    fn group(&mut self, app_id: i64, g: Group) -> Result<(), AuditError>;
}

fn slot(groups: &mut BTreeMap<i64, Group>, id: i64) -> &mut Group {
    groups.entry(id).or_insert_with(|| Group {
        app: None,
        events: vec![],
        ledger: vec![],
    })
}

impl Sink for Checker<'_> {
    fn header(&mut self, h: &Header) -> Result<(), AuditError> {
        Checker::header(self, h);
        Ok(())
    }
    fn checkpoint(&mut self, c: CheckpointRecord) -> Result<(), AuditError> {
        Checker::checkpoint(self, c);
        Ok(())
    }
    fn ledger(&mut self, r: LedgerRecord) -> Result<(), AuditError> {
        Checker::ledger(self, r);
        Ok(())
    }
    fn end_ledger(&mut self) -> Result<(), AuditError> {
        Checker::end_ledger(self);
        Ok(())
    }
    fn wants_group_ledger(&self) -> bool {
        true
    }
    fn group(&mut self, _app_id: i64, g: Group) -> Result<(), AuditError> {
        Checker::group(self, g.app, g.events, g.ledger);
        Ok(())
    }
}

impl Store {
    /// Checks the whole history in the database; checkpoint signatures with `keys`.
    #[tracing::instrument(skip_all)]
    pub async fn verify_history(&self, keys: &dyn SealKeys) -> Result<AuditReport, AuditError> {
        let mut checker = Checker::new(keys);
        self.read_history(&mut checker).await?;
        Ok(checker.finish())
    }

    /// The newest checkpoint, if any.
    pub async fn latest_checkpoint(&self) -> Result<Option<Checkpoint>> {
        with_db!(self, |read, _write| {
            let row = sqlx::query(
                "SELECT position, head, signed_at, key_id, signature FROM ledger_checkpoints \
                 ORDER BY position DESC LIMIT 1",
            )
            .fetch_optional(read)
            .await?;
            row.map(|r| {
                Ok(Checkpoint {
                    position: r.try_get("position")?,
                    head: r.try_get("head")?,
                    signed_at: ts("signed_at", r.try_get("signed_at")?)?,
                    key_id: r.try_get("key_id")?,
                    signature: r.try_get("signature")?,
                })
            })
            .transpose()
        })
    }

    /// Feeds `sink` the history as one snapshot.
    pub(crate) async fn read_history<S: Sink>(&self, sink: &mut S) -> Result<(), AuditError> {
        let backend = self.backend_name();
        let postgres = matches!(self, Store::Postgres(_));
        with_db!(self, |read, _write| {
            let mut tx = read.begin().await?;
            if postgres {
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .execute(&mut *tx)
                    .await?;
            }
            let head = sqlx::query("SELECT position, head FROM ledger_head WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
            sink.header(&Header {
                format: FORMAT.into(),
                backend: backend.into(),
                exported_at: jiff::Timestamp::now().to_string(),
                ledger_position: head.try_get("position")?,
                ledger_head: head.try_get("head")?,
            })?;

            let mut checkpoints: VecDeque<CheckpointRecord> = VecDeque::new();
            let mut checkpoints_after = i64::MIN;
            let mut checkpoints_done = false;
            let mut after = i64::MIN;
            loop {
                let rows: Vec<LedgerRecord> = sqlx::query_as(&format!(
                    "{LEDGER_COLUMNS} WHERE position > $1 ORDER BY position LIMIT $2"
                ))
                .bind(after)
                .bind(PAGE)
                .fetch_all(&mut *tx)
                .await?;
                let last_page = (rows.len() as i64) < PAGE;
                let upto = match rows.last() {
                    Some(r) if !last_page => r.position,
                    _ => i64::MAX,
                };
                while !checkpoints_done && checkpoints.back().is_none_or(|c| c.position <= upto) {
                    let page: Vec<CheckpointRecord> = sqlx::query_as(
                        "SELECT position, head, signed_at, key_id, signature FROM ledger_checkpoints \
                         WHERE position > $1 ORDER BY position LIMIT $2",
                    )
                    .bind(checkpoints_after)
                    .bind(PAGE)
                    .fetch_all(&mut *tx)
                    .await?;
                    checkpoints_done = (page.len() as i64) < PAGE;
                    if let Some(c) = page.last() {
                        checkpoints_after = c.position;
                    }
                    checkpoints.extend(page);
                }
                for r in rows {
                    while checkpoints
                        .front()
                        .is_some_and(|c| c.position <= r.position)
                    {
                        if let Some(c) = checkpoints.pop_front() {
                            sink.checkpoint(c)?;
                        }
                    }
                    after = r.position;
                    sink.ledger(r)?;
                }
                if last_page {
                    for c in checkpoints.drain(..) {
                        sink.checkpoint(c)?;
                    }
                    break;
                }
            }
            sink.end_ledger()?;

            let with_ledger = sink.wants_group_ledger();
            let mut low = i64::MIN;
            loop {
                let apps: Vec<AppRow> = sqlx::query_as(
                    "SELECT a.id AS app_id, a.number, COALESCE(s.code, '') AS service_code, \
                     a.accepted_at, a.applicant_id, a.event_count, a.head_hash FROM applications a \
                     LEFT JOIN services s ON s.id = a.service_id WHERE a.id > $1 ORDER BY a.id LIMIT $2",
                )
                .bind(low)
                .bind(APP_PAGE)
                .fetch_all(&mut *tx)
                .await?;
                // The last page reaches to the end, so rows under keys of no application are read.
                let high = match apps.last() {
                    Some(a) if apps.len() as i64 == APP_PAGE => a.app_id,
                    _ => i64::MAX,
                };
                let events: Vec<EventRecord> = sqlx::query_as(&format!(
                    "{EVENT_COLUMNS} WHERE app_id > $1 AND app_id <= $2 ORDER BY app_id, seq"
                ))
                .bind(low)
                .bind(high)
                .fetch_all(&mut *tx)
                .await?;
                let ledger: Vec<LedgerRecord> = if with_ledger {
                    sqlx::query_as(&format!(
                        "{LEDGER_COLUMNS} WHERE app_id > $1 AND app_id <= $2 ORDER BY app_id, seq"
                    ))
                    .bind(low)
                    .bind(high)
                    .fetch_all(&mut *tx)
                    .await?
                } else {
                    vec![]
                };
                let mut groups: BTreeMap<i64, Group> = BTreeMap::new();
                for a in apps {
                    let id = a.app_id;
                    slot(&mut groups, id).app = Some(a.into());
                }
                for e in events {
                    slot(&mut groups, e.app_id).events.push(e);
                }
                for l in ledger {
                    slot(&mut groups, l.app_id).ledger.push(l);
                }
                for (id, g) in groups {
                    sink.group(id, g)?;
                }
                if high == i64::MAX {
                    break;
                }
                low = high;
            }
            tx.rollback().await?;
            Ok(())
        })
    }
}
