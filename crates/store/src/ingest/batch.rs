//! A batch of events applied on PostgreSQL (000 §6, §9–11): one transaction in six round
//! trips whatever the batch holds — `BEGIN` with the calendar's lock (shared); the batch's
//! applications locked in ascending number; everything else it reads as one row (the
//! calendar's stamp, and as JSON arrays the active webhooks, the histories, the events whose
//! ids the batch brings, the applicants' contacts); every write but the ledger's leaves as
//! one statement (`batch_write.sql`), answering with the ledger's reservation; the leaves and
//! the new head; `COMMIT`. Amended applications' months, rare, add a statement or two.
//!
//! Why: a busy office's scans are written by one writer, a batch at a time (`scan_writer`),
//! so a batch's latency bounds their rate, and most of that latency was round trips — 11 to
//! 14 of them, 0.1–0.4 ms each, against 0.01–0.16 ms of work a statement (BENCHMARKS.md,
//! issue 19).
//!
//! Every statement has a fixed text (arrays bound, `= ANY` and `UNNEST`), prepared once per
//! connection and run with its generic plan. The locks keep the order of `contention.rs`:
//! calendar, applications, then (inside the writes' statement) the rollups' cells and last
//! the ledger's head, held until the commit.

use super::{
    decide, passport_keys, project_dirty, rollup_changes, signature_rows, AppState, BatchKeys,
    NewEventRow, References, StateRow, STATE_COLUMNS,
};
use crate::error::{Result, StoreError};
use crate::informing::batch as informing;
use crate::models::{EventResult, IncomingEvent, Scope};
use crate::passports::{published_passports, PassportCache};
use crate::projection::ProjectionRow;
use crate::rows::EventRow;
use jiff::Timestamp;
use sqlx::{PgConnection, QueryBuilder, Row};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Every write of a batch but the ledger's leaves (62 parameters).
const WRITE: &str = include_str!("batch_write.sql");

/// The ledger's leaves and its new head: `(position, app_id, number, seq, event_id,
/// chain_hash, head)` arrays, then the head.
const LEAVES: &str = "WITH leaves AS (INSERT INTO ledger (position, app_id, number, seq, \
     event_id, chain_hash, head) SELECT * FROM UNNEST($1::int8[], $2::int8[], $3::int8[], \
     $4::int8[], $5::text[], $6::text[], $7::text[])) \
     UPDATE ledger_head SET head = $8 WHERE id = 1";

/// A batch of events to apply on PostgreSQL, and what applying it needs.
pub(super) struct Batch<'a> {
    pub items: &'a [IncomingEvent],
    pub keys: &'a BatchKeys,
    pub scope: &'a Scope,
    pub actor: &'a str,
    pub now: Timestamp,
    pub nearing_fraction: f64,
}

impl Batch<'_> {
    /// One transaction applying the batch.
    pub(super) async fn apply(
        &self,
        pool: &sqlx::PgPool,
        calendars: &crate::calendar::CalendarCache,
        passports: &PassportCache,
        shared: String,
    ) -> Result<Vec<EventResult>> {
        let now = self.now;
        // The calendar's lock (shared) with `BEGIN`: one round trip. The statements bind
        // arrays, whose lengths the planner would weigh for each call (a custom plan, 0.3–0.9
        // ms a statement): the generic plan, made once per connection, is as good.
        let mut tx = pool
            .begin_with(format!(
                "BEGIN; SET LOCAL plan_cache_mode = force_generic_plan; {shared}"
            ))
            .await?;
        let read = Read::run(&mut tx, self.keys).await?;
        let calendar = crate::calendar::calendar_in_force!(stamped tx, calendars, read.stamp)?;
        let mut states = super::states_of(read.states, read.histories)?;
        let mut known = HashMap::new();
        for row in read.taken {
            let key = (row.id.clone(), row.number, row.content_hash.clone());
            known.insert(key.0, (key.1, key.2, row.into_model()?));
        }
        let mut refs = self.references(&mut tx, &states).await?;
        let wanted = passport_keys(self.items, &states);
        if !wanted.is_empty() {
            refs.passports = published_passports!(tx, passports, &wanted)?;
        }
        let (results, fresh) = decide(
            self.items,
            &mut states,
            &mut known,
            &refs,
            self.scope,
            self.actor,
            now,
        );
        if fresh.is_empty() {
            // Nothing new: leave no trace (idempotent retries, all-rejected batches).
            tx.rollback().await?;
            return Ok(results);
        }
        let projections = project_dirty(&states, &calendar, now, self.nearing_fraction);
        let pairs: Vec<(&AppState, &ProjectionRow)> =
            projections.iter().map(|(s, p)| (*s, p)).collect();
        let planned = informing::planned_dates(&projections);
        let changes = informing::changes_of(&fresh, &states, &planned);
        // Only the applicants whose application reached a stage are written to.
        let staged: HashSet<i64> = changes
            .iter()
            .filter(|c| c.stage.is_some())
            .map(|c| c.app_id)
            .collect();
        let mut contacts = read.contacts;
        contacts.retain(|id, _| staged.contains(id));
        let keys = informing::passport_keys(&contacts);
        let found = if keys.is_empty() {
            HashMap::new()
        } else {
            published_passports!(tx, passports, &keys)?
        };
        let outbox = informing::rows(&changes, &contacts, &found, &read.hooks);
        let rollups = rollup_changes(&pairs);
        // The amended applications' months (a suspension, a resumption, a change of
        // executor: rare) delete and insert rows of one table, which one statement cannot
        // order: written apart, before the rest.
        crate::rollup::write_amended!(tx, &rollups)?;
        let written = Written {
            fresh: &fresh,
            projections: &pairs,
            outbox: &outbox,
            rollups: &rollups,
            now,
        };
        let (position, head) = written.run(&mut tx).await?;
        let leaves: Vec<_> = fresh.iter().map(NewEventRow::leaf).collect();
        write_leaves(&mut tx, &leaves, position, head).await?;
        tx.commit().await?;
        Ok(results)
    }

    /// The organizations a change of executor names, and the providers of the applications
    /// (read only when an item names an executor).
    async fn references(
        &self,
        tx: &mut PgConnection,
        states: &HashMap<i64, AppState>,
    ) -> Result<References> {
        let mut refs = References::default();
        if self.keys.executor_codes.is_empty() {
            return Ok(refs);
        }
        let mut qb = QueryBuilder::new("SELECT id, code, path FROM organizations WHERE code IN (");
        let mut sep = qb.separated(", ");
        for c in &self.keys.executor_codes {
            sep.push_bind(c.clone());
        }
        qb.push(")");
        for row in qb.build().fetch_all(&mut *tx).await? {
            refs.named.insert(
                row.try_get("code")?,
                (row.try_get("id")?, row.try_get("path")?),
            );
        }
        if refs.named.is_empty() || states.is_empty() {
            return Ok(refs);
        }
        let mut qb = QueryBuilder::new(
            "SELECT s.id, o.path FROM services s \
             JOIN organizations o ON o.id = s.organization_id WHERE s.id IN (",
        );
        let mut sep = qb.separated(", ");
        for s in states.values() {
            sep.push_bind(s.standing.service_id);
        }
        qb.push(")");
        for row in qb.build().fetch_all(&mut *tx).await? {
            refs.providers
                .insert(row.try_get("id")?, row.try_get("path")?);
        }
        Ok(refs)
    }
}

/// The batch's applications, locked in ascending number (`contention.rs`): `$1` their
/// numbers.
static LOCK: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {STATE_COLUMNS} FROM applications WHERE number = ANY($1) \
         ORDER BY number FOR NO KEY UPDATE"
    )
});

/// Everything else a batch reads, after the locks, as one row: the calendar's stamp, and as
/// JSON arrays the active webhooks, the histories of the applications whose keys are `$1`,
/// the events whose ids are `$2` (a retry's, or a collision), and the applicants' contacts.
static READ: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT s.n, s.at, \
         (SELECT json_agg(h ORDER BY h.id)::text FROM ({hooks}) h) AS hooks, \
         (SELECT json_agg(e ORDER BY e.app_id, e.seq)::text FROM events e \
          WHERE e.app_id = ANY($1)) AS histories, \
         (SELECT json_agg(e)::text FROM events e WHERE e.id = ANY($2)) AS taken, \
         (SELECT json_agg(c)::text FROM ({contacts}SELECT unnest($1::int8[]))) c) AS contacts \
         FROM ({stamp}) s",
        hooks = informing::HOOKS_SELECT,
        contacts = informing::CONTACTS_SELECT,
        stamp = crate::calendar::STAMP,
    )
});

/// The answer of [`READ`].
#[derive(sqlx::FromRow)]
struct ReadRow {
    n: i64,
    at: i64,
    hooks: Option<String>,
    histories: Option<String>,
    taken: Option<String>,
    contacts: Option<String>,
}

/// What a batch reads before it decides: two statements after the calendar's lock, which
/// `BEGIN` takes. The applications are locked by the first, so what the second reads
/// includes every event committed before the locks were granted.
struct Read {
    stamp: (i64, i64),
    hooks: Vec<informing::Hook>,
    states: Vec<StateRow>,
    /// The applications' events, by application and position.
    histories: Vec<EventRow>,
    /// The events whose ids the batch brings.
    taken: Vec<EventRow>,
    contacts: HashMap<i64, informing::Addressee>,
}

impl Read {
    async fn run(tx: &mut PgConnection, keys: &BatchKeys) -> Result<Read> {
        let states: Vec<StateRow> = sqlx::query_as(LOCK.as_str())
            .bind(&keys.numbers)
            .fetch_all(&mut *tx)
            .await?;
        let ids: Vec<i64> = states.iter().map(|s| s.id).collect();
        let row: ReadRow = sqlx::query_as(READ.as_str())
            .bind(&ids)
            .bind(&keys.ids)
            .fetch_one(&mut *tx)
            .await?;
        Ok(Read {
            stamp: (row.n, row.at),
            hooks: json_rows("hooks", row.hooks)?,
            states,
            histories: json_rows("histories", row.histories)?,
            taken: json_rows("taken", row.taken)?,
            contacts: json_rows::<informing::ContactRow>("contacts", row.contacts)?
                .into_iter()
                .map(|c| (c.app_id, c.into()))
                .collect(),
        })
    }
}

/// The rows of a JSON array a read aggregated (none when it found nothing).
fn json_rows<T: serde::de::DeserializeOwned>(
    column: &'static str,
    json: Option<String>,
) -> Result<Vec<T>> {
    json.map_or(Ok(vec![]), |j| {
        serde_json::from_str(&j).map_err(|e| StoreError::Corrupt {
            column,
            detail: e.to_string(),
        })
    })
}

/// What [`WRITE`] writes.
struct Written<'a> {
    fresh: &'a [NewEventRow],
    projections: &'a [(&'a AppState, &'a ProjectionRow)],
    outbox: &'a [informing::OutboxRow],
    rollups: &'a crate::rollup::RollupChanges,
    now: Timestamp,
}

impl Written<'_> {
    /// Runs [`WRITE`]: the first position the leaves take and the head before them.
    async fn run(&self, tx: &mut PgConnection) -> Result<(i64, String)> {
        use crate::convert::us;
        let mut q = sqlx::query(WRITE);
        // $1–$18: the events.
        let f = self.fresh;
        let cols: Vec<_> = f
            .iter()
            .map(|r| super::event_columns(&r.recorded))
            .collect();
        let scans: Vec<_> = f.iter().map(|r| super::scan_columns(&r.recorded)).collect();
        q = q
            .bind(f.iter().map(|r| r.app_id).collect::<Vec<_>>())
            .bind(
                f.iter()
                    .map(|r| r.recorded.event.id.to_string())
                    .collect::<Vec<_>>(),
            )
            .bind(
                f.iter()
                    .map(|r| r.recorded.number.as_i64())
                    .collect::<Vec<_>>(),
            )
            .bind(f.iter().map(|r| r.recorded.seq).collect::<Vec<_>>())
            .bind(cols.iter().map(|c| c.0).collect::<Vec<_>>())
            .bind(cols.iter().map(|c| c.1).collect::<Vec<_>>())
            .bind(cols.iter().map(|c| c.2).collect::<Vec<_>>())
            .bind(cols.iter().map(|c| c.3).collect::<Vec<_>>())
            .bind(cols.iter().map(|c| c.4).collect::<Vec<_>>())
            .bind(
                f.iter()
                    .map(|r| r.recorded.executor_person.as_deref())
                    .collect::<Vec<_>>(),
            )
            .bind(
                f.iter()
                    .map(|r| us(r.recorded.event.occurred_at))
                    .collect::<Vec<_>>(),
            )
            .bind(
                f.iter()
                    .map(|r| us(r.recorded.recorded_at))
                    .collect::<Vec<_>>(),
            )
            .bind(
                f.iter()
                    .map(|r| r.recorded.actor.as_str())
                    .collect::<Vec<_>>(),
            )
            .bind(
                f.iter()
                    .map(|r| r.content_hash.as_str())
                    .collect::<Vec<_>>(),
            )
            .bind(
                f.iter()
                    .map(|r| r.recorded.chain_hash.as_str())
                    .collect::<Vec<_>>(),
            )
            .bind(
                f.iter()
                    .map(|r| r.recorded.event.kind.ground())
                    .collect::<Vec<_>>(),
            )
            .bind(scans.iter().map(|s| s.0).collect::<Vec<_>>())
            .bind(scans.iter().map(|s| s.1).collect::<Vec<_>>())
            .bind(us(self.now));
        // $20–$39: the projections.
        let rows = self.projections;
        q = q
            .bind(rows.iter().map(|(s, _)| s.id).collect::<Vec<_>>())
            .bind(rows.iter().map(|(s, _)| s.exec_org_id).collect::<Vec<_>>())
            .bind(
                rows.iter()
                    .map(|(s, _)| s.exec_path.as_str())
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(s, _)| s.executor_person.as_deref())
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(_, p)| us(p.effective_acceptance))
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(_, p)| p.planned_date.to_string())
                    .collect::<Vec<_>>(),
            )
            .bind(rows.iter().map(|(_, p)| us(p.deadline)).collect::<Vec<_>>())
            .bind(
                rows.iter()
                    .map(|(_, p)| us(p.nearing_at))
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(_, p)| p.stage.as_str())
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(_, p)| i64::from(p.stage.number()))
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(_, p)| p.outcome.map(|o| o.as_str()))
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(_, p)| p.actual_completion.map(us))
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(_, p)| p.closed_at.map(us))
                    .collect::<Vec<_>>(),
            )
            .bind(rows.iter().map(|(_, p)| p.suspended).collect::<Vec<_>>())
            .bind(rows.iter().map(|(_, p)| p.overdue).collect::<Vec<_>>())
            .bind(
                rows.iter()
                    .map(|(_, p)| p.overdue_seconds)
                    .collect::<Vec<_>>(),
            )
            .bind(rows.iter().map(|(_, p)| p.nearing).collect::<Vec<_>>())
            .bind(rows.iter().map(|(_, p)| p.pending()).collect::<Vec<_>>())
            .bind(rows.iter().map(|(s, _)| s.event_count).collect::<Vec<_>>())
            .bind(
                rows.iter()
                    .map(|(s, _)| s.head_hash.as_str())
                    .collect::<Vec<_>>(),
            );
        // $40–$41: the derivations rewritten.
        let derived: Vec<(i64, &str)> = self
            .projections
            .iter()
            .filter_map(|(s, p)| p.derivation.as_deref().map(|d| (s.id, d)))
            .collect();
        q = q
            .bind(derived.iter().map(|d| d.0).collect::<Vec<_>>())
            .bind(derived.iter().map(|d| d.1).collect::<Vec<_>>());
        // $42–$46: the signatures events arrived with.
        let signed = signature_rows(self.fresh);
        q = q
            .bind(signed.iter().map(|s| s.0).collect::<Vec<_>>())
            .bind(signed.iter().map(|s| s.1).collect::<Vec<_>>())
            .bind(signed.iter().map(|s| s.2.form.as_str()).collect::<Vec<_>>())
            .bind(
                signed
                    .iter()
                    .map(|s| s.2.cms.as_slice())
                    .collect::<Vec<_>>(),
            )
            .bind(
                signed
                    .iter()
                    .map(|s| s.2.report.as_str())
                    .collect::<Vec<_>>(),
            );
        // $47–$53: the informing outbox.
        let o = self.outbox;
        q = q
            .bind(o.iter().map(|r| r.key.as_str()).collect::<Vec<_>>())
            .bind(o.iter().map(|r| r.channel).collect::<Vec<_>>())
            .bind(o.iter().map(|r| r.app_id).collect::<Vec<_>>())
            .bind(o.iter().map(|r| r.webhook_id).collect::<Vec<_>>())
            .bind(o.iter().map(|r| r.recipient.as_str()).collect::<Vec<_>>())
            .bind(o.iter().map(|r| r.subject.as_str()).collect::<Vec<_>>())
            .bind(o.iter().map(|r| r.body.as_str()).collect::<Vec<_>>());
        // $54–$61: the rollups' cases and cells; $62: the leaves to reserve.
        let r = self.rollups;
        let cells = r.cells();
        q = q
            .bind(r.put().iter().map(|c| c.0).collect::<Vec<_>>())
            .bind(r.put().iter().map(|c| c.1.as_str()).collect::<Vec<_>>())
            .bind(r.dropped().to_vec())
            .bind(cells.iter().map(|c| c.0).collect::<Vec<_>>())
            .bind(cells.iter().map(|c| c.1).collect::<Vec<_>>())
            .bind(cells.iter().map(|c| c.2).collect::<Vec<_>>())
            .bind(cells.iter().map(|c| c.3).collect::<Vec<_>>())
            .bind(cells.iter().map(|c| c.4).collect::<Vec<_>>())
            .bind(self.fresh.len() as i64);
        let row = q.fetch_one(&mut *tx).await?;
        Ok((row.try_get("position")?, row.try_get("head")?))
    }
}

/// Writes the ledger's leaves after the reservation [`WRITE`] made (`position`, `head`), and
/// its new head.
async fn write_leaves(
    tx: &mut PgConnection,
    leaves: &[crate::ledger::NewLeaf],
    position: i64,
    head: String,
) -> Result<()> {
    let chained = crate::ledger::chain_from(position, head, leaves);
    let last = chained.last().map(|(_, h)| h.clone());
    sqlx::query(LEAVES)
        .bind(chained.iter().map(|c| c.0).collect::<Vec<_>>())
        .bind(leaves.iter().map(|l| l.app_id).collect::<Vec<_>>())
        .bind(leaves.iter().map(|l| l.number).collect::<Vec<_>>())
        .bind(leaves.iter().map(|l| l.seq).collect::<Vec<_>>())
        .bind(
            leaves
                .iter()
                .map(|l| l.event_id.clone())
                .collect::<Vec<_>>(),
        )
        .bind(
            leaves
                .iter()
                .map(|l| l.chain_hash.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(chained.iter().map(|c| c.1.as_str()).collect::<Vec<_>>())
        .bind(last)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
