//! The ledger: one hash chain over every registration and event of every application, in
//! commit order (issue 3). Each application's own chain (`chain.rs`) proves its history
//! was not edited piecewise; the ledger proves no history was dropped, reordered or slipped
//! in, and its head is what the server signs in checkpoints.
//!
//! leaf(n) = H("qyzmet/ledger/1" | number | seq | event id | the application's chain hash),
//! head(n) = H(head(n-1) | leaf(n)), head(0) = 64 zeros. Writers take the head row's lock
//! as the last step of their transaction, so the order of positions is the commit order and
//! concurrent transactions wait only for each other's final statements.

use crate::convert::{ts, us};
use crate::error::Result;
use crate::models::Checkpoint;
use crate::{with_db, Store};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// The head of the empty ledger.
pub const GENESIS_HEAD: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry to append: an application's registration (seq 0) or event.
#[derive(Debug, Clone)]
pub(crate) struct NewLeaf {
    pub app_id: i64,
    pub number: i64,
    pub seq: i64,
    /// The event's id; none for a registration.
    pub event_id: Option<String>,
    /// The application's chain hash after this entry.
    pub chain_hash: String,
}

/// The leaf hash of an entry.
pub fn leaf(number: i64, seq: i64, event_id: Option<&str>, chain_hash: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(
        format!(
            "qyzmet/ledger/1|{number}|{seq}|{}|{chain_hash}",
            event_id.unwrap_or("")
        )
        .as_bytes(),
    );
    h.finalize().into()
}

/// The head after appending `leaf` to `prev`.
pub fn next_head(prev: &str, leaf: &[u8; 32]) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"|");
    h.update(hex::encode(leaf).as_bytes());
    hex::encode(h.finalize())
}

/// Positions and heads for `leaves` appended after `(position, head)`.
pub(crate) fn chain_from(
    mut position: i64,
    mut head: String,
    leaves: &[NewLeaf],
) -> Vec<(i64, String)> {
    leaves
        .iter()
        .map(|l| {
            position += 1;
            head = next_head(
                &head,
                &leaf(l.number, l.seq, l.event_id.as_deref(), &l.chain_hash),
            );
            (position, head.clone())
        })
        .collect()
}

/// Takes the head's lock and reserves `n` positions: returns the position before them and
/// the head at that position.
pub(crate) const RESERVE: &str = "UPDATE ledger_head SET position = position + $1 WHERE id = 1 \
     RETURNING position - $1 AS position, head";
pub(crate) const SET_HEAD: &str = "UPDATE ledger_head SET head = $1 WHERE id = 1";
pub(crate) const INSERT: &str =
    "INSERT INTO ledger (position, app_id, number, seq, event_id, chain_hash, head) ";
/// Applications per page of the one-time backfill.
const BACKFILL_PAGE: i64 = 10_000;
/// Rows per multi-row ledger insert (7 columns).
pub(crate) const CHUNK: usize = 1000;

/// Appends `leaves` to the ledger inside the transaction `$tx` (sqlx, either backend).
/// `append!(postgres tx, leaves)`: on PostgreSQL, the leaves and the new head are written by
/// one statement (a data-modifying `WITH`, which SQLite lacks) — one round trip less while
/// the head is locked.
macro_rules! append {
    (postgres $tx:expr, $leaves:expr) => {
        $crate::ledger::append!(@ true, $tx, $leaves)
    };
    ($tx:expr, $leaves:expr) => {
        $crate::ledger::append!(@ false, $tx, $leaves)
    };
    (@ $with_head:expr, $tx:expr, $leaves:expr) => {{
        let leaves: &[$crate::ledger::NewLeaf] = $leaves;
        let with_head: bool = $with_head;
        if !leaves.is_empty() {
            let row = sqlx::query($crate::ledger::RESERVE)
                .bind(leaves.len() as i64)
                .fetch_one(&mut *$tx)
                .await?;
            let position: i64 = sqlx::Row::try_get(&row, "position")?;
            let head: String = sqlx::Row::try_get(&row, "head")?;
            let chained = $crate::ledger::chain_from(position, head, leaves);
            let last = chained.last().map(|(_, h)| h.clone());
            let pairs: Vec<(&$crate::ledger::NewLeaf, &(i64, String))> =
                leaves.iter().zip(chained.iter()).collect();
            // The head written by the leaves' statement when they fit in one.
            let one = with_head && pairs.len() <= $crate::ledger::CHUNK;
            for chunk in pairs.chunks($crate::ledger::CHUNK) {
                let mut qb = sqlx::QueryBuilder::new(if one { "WITH leaves AS (" } else { "" });
                qb.push($crate::ledger::INSERT);
                qb.push_values(chunk, |mut b, (l, (pos, head))| {
                    b.push_bind(*pos)
                        .push_bind(l.app_id)
                        .push_bind(l.number)
                        .push_bind(l.seq)
                        .push_bind(l.event_id.clone())
                        .push_bind(l.chain_hash.clone())
                        .push_bind(head.clone());
                });
                if one {
                    qb.push(") UPDATE ledger_head SET head = ");
                    qb.push_bind(last.clone());
                    qb.push(" WHERE id = 1");
                }
                qb.build().execute(&mut *$tx).await?;
            }
            if let (false, Some(last)) = (one, last) {
                sqlx::query($crate::ledger::SET_HEAD)
                    .bind(last)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
        Ok::<_, $crate::StoreError>(())
    }};
}
pub(crate) use append;

/// Appends `leaves` inside `conn`'s open transaction (SQLite's native writer).
pub(crate) fn append_native(conn: &rusqlite::Connection, leaves: &[NewLeaf]) -> Result<()> {
    use rusqlite::types::Value;
    if leaves.is_empty() {
        return Ok(());
    }
    let (position, head): (i64, String) = conn
        .prepare_cached(&RESERVE.replace("$1", "?1"))?
        .query_row([leaves.len() as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let chained = chain_from(position, head, leaves);
    let pairs: Vec<(&NewLeaf, &(i64, String))> = leaves.iter().zip(chained.iter()).collect();
    for chunk in pairs.chunks(CHUNK) {
        let mut values = Vec::with_capacity(chunk.len() * 7);
        for (l, (pos, head)) in chunk {
            values.extend([
                Value::Integer(*pos),
                Value::Integer(l.app_id),
                Value::Integer(l.number),
                Value::Integer(l.seq),
                l.event_id.clone().map_or(Value::Null, Value::Text),
                Value::Text(l.chain_hash.clone()),
                Value::Text(head.clone()),
            ]);
        }
        let sql = format!(
            "{INSERT}VALUES {}",
            crate::native::value_groups(chunk.len(), 7)
        );
        conn.prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values))?;
    }
    if let Some((_, last)) = chained.last() {
        conn.prepare_cached(&SET_HEAD.replace("$1", "?1"))?
            .execute([last])?;
    }
    Ok(())
}

impl Store {
    /// Enters the history recorded before the ledger existed, once: the first start after
    /// the migration that created it (the migration sets the flag when it found
    /// applications). Application by application, each registration then its events.
    pub(crate) async fn ledger_backfill(&self) -> Result<u64> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let pending: bool = sqlx::query_scalar("SELECT backfill FROM ledger_head WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
            if !pending {
                return Ok(0);
            }
            // In pages of applications, so a large history is never all in memory.
            let mut after: i64 = 0;
            let mut n: u64 = 0;
            loop {
                let apps = sqlx::query(
                    "SELECT a.id, a.number, s.code AS service, a.accepted_at, a.applicant_id \
                     FROM applications a JOIN services s ON s.id = a.service_id \
                     WHERE a.id > $1 ORDER BY a.id LIMIT $2",
                )
                .bind(after)
                .bind(BACKFILL_PAGE)
                .fetch_all(&mut *tx)
                .await?;
                let Some(last) = apps.last() else { break };
                let last: i64 = last.try_get("id")?;
                let events = sqlx::query(
                    "SELECT app_id, number, seq, id, chain_hash FROM events \
                     WHERE app_id > $1 AND app_id <= $2 ORDER BY app_id, seq",
                )
                .bind(after)
                .bind(last)
                .fetch_all(&mut *tx)
                .await?;
                let mut leaves: Vec<NewLeaf> = Vec::with_capacity(apps.len() + events.len());
                let mut events = events.into_iter().peekable();
                for r in apps {
                    let app_id: i64 = r.try_get("id")?;
                    let number: i64 = r.try_get("number")?;
                    leaves.push(NewLeaf {
                        app_id,
                        number,
                        seq: 0,
                        event_id: None,
                        chain_hash: crate::chain::genesis(
                            number,
                            &r.try_get::<String, _>("service")?,
                            ts("accepted_at", r.try_get("accepted_at")?)?,
                            &r.try_get::<String, _>("applicant_id")?,
                        ),
                    });
                    while let Some(e) = events
                        .next_if(|e| e.try_get::<i64, _>("app_id").is_ok_and(|id| id == app_id))
                    {
                        leaves.push(NewLeaf {
                            app_id,
                            number,
                            seq: e.try_get("seq")?,
                            event_id: Some(e.try_get("id")?),
                            chain_hash: e.try_get("chain_hash")?,
                        });
                    }
                }
                n += leaves.len() as u64;
                append!(tx, &leaves)?;
                after = last;
            }
            sqlx::query("UPDATE ledger_head SET backfill = FALSE WHERE id = 1")
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(
                entries = n,
                "ledger: entered the history recorded before it"
            );
            Ok(n)
        })
    }

    /// The ledger's position and head.
    pub async fn ledger_head(&self) -> Result<(i64, String)> {
        with_db!(self, |read, _write| {
            let r = sqlx::query("SELECT position, head FROM ledger_head WHERE id = 1")
                .fetch_one(read)
                .await?;
            Ok((r.try_get("position")?, r.try_get("head")?))
        })
    }

    /// Keeps a signed checkpoint; one per position (a second for the same position is
    /// ignored, so two nodes racing write one).
    pub async fn record_checkpoint(&self, c: &Checkpoint) -> Result<bool> {
        with_db!(self, |_read, write| {
            let done = sqlx::query(
                "INSERT INTO ledger_checkpoints (position, head, signed_at, key_id, signature) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (position) DO NOTHING",
            )
            .bind(c.position)
            .bind(&c.head)
            .bind(us(c.signed_at))
            .bind(&c.key_id)
            .bind(&c.signature)
            .execute(write)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Every checkpoint, oldest first.
    pub async fn checkpoints(&self) -> Result<Vec<Checkpoint>> {
        with_db!(self, |read, _write| {
            sqlx::query(
                "SELECT position, head, signed_at, key_id, signature FROM ledger_checkpoints \
                 ORDER BY position",
            )
            .fetch_all(read)
            .await?
            .into_iter()
            .map(|r| {
                Ok(Checkpoint {
                    position: r.try_get("position")?,
                    head: r.try_get("head")?,
                    signed_at: ts("signed_at", r.try_get("signed_at")?)?,
                    key_id: r.try_get("key_id")?,
                    signature: r.try_get("signature")?,
                })
            })
            .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(number: i64, seq: i64) -> NewLeaf {
        NewLeaf {
            app_id: number,
            number,
            seq,
            event_id: (seq > 0).then(|| format!("e{seq}")),
            chain_hash: format!("c{number}.{seq}"),
        }
    }

    #[test]
    fn heads_chain_and_depend_on_order() {
        let a = chain_from(0, GENESIS_HEAD.into(), &[l(1, 0), l(1, 1)]);
        let b = chain_from(0, GENESIS_HEAD.into(), &[l(1, 1), l(1, 0)]);
        assert_eq!(a.iter().map(|x| x.0).collect::<Vec<_>>(), vec![1, 2]);
        assert_ne!(a[1].1, b[1].1);
        // Appending later continues the same chain.
        let c = chain_from(1, a[0].1.clone(), &[l(1, 1)]);
        assert_eq!(c[0], a[1]);
    }

    #[test]
    fn leaf_binds_every_field() {
        let base = leaf(1, 1, Some("e"), "c");
        assert_ne!(base, leaf(2, 1, Some("e"), "c"));
        assert_ne!(base, leaf(1, 2, Some("e"), "c"));
        assert_ne!(base, leaf(1, 1, Some("f"), "c"));
        assert_ne!(base, leaf(1, 1, None, "c"));
        assert_ne!(base, leaf(1, 1, Some("e"), "d"));
    }
}
