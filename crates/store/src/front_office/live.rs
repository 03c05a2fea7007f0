//! The live-queue fallback (issue 18, point 5; 001 §6). While the server is reachable, each
//! kiosk and counter takes a range of the day's numbers, cut from the same sequence as the
//! electronic tickets, so no number is ever issued twice. When the server cannot be reached
//! they go on from their range and keep a journal in the browser; when it returns, the
//! journals are sent here and reconciled in one transaction under the office's lock: `taken`
//! entries become tickets (source `live`) with their own numbers and times, `served` entries
//! move the ticket of their number (called, served, finished or not shown), an entry about a
//! number not yet known waits for it, and a resent journal changes nothing (the client's id of
//! each entry). Every step recorded (001 §21).

use super::queue_action;
use crate::convert::us;
use crate::error::{Result, StoreError};
use crate::{with_db, Store};
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::front_office::{PriorityGroup, Purpose};
use serde::{Deserialize, Serialize};

/// A range of numbers handed to a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketRange {
    pub id: i64,
    pub device: String,
    pub day: Date,
    pub first: i64,
    pub last: i64,
}

/// One journal entry, checked by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveEntry {
    /// The device issued number `n` of its range.
    Taken {
        id: String,
        purpose: Purpose,
        n: i64,
        service: Option<String>,
        priority: Option<PriorityGroup>,
        at: Timestamp,
    },
    /// A counter called the visitor of a number, and perhaps served or missed them.
    Served {
        id: String,
        purpose: Purpose,
        n: i64,
        window: i64,
        called_at: Timestamp,
        started_at: Option<Timestamp>,
        finished_at: Option<Timestamp>,
        outcome: Option<String>,
        no_show: bool,
    },
}

impl LiveEntry {
    fn id(&self) -> &str {
        match self {
            LiveEntry::Taken { id, .. } | LiveEntry::Served { id, .. } => id,
        }
    }

    fn number(&self) -> (Purpose, i64) {
        match self {
            LiveEntry::Taken { purpose, n, .. } | LiveEntry::Served { purpose, n, .. } => {
                (*purpose, *n)
            }
        }
    }
}

/// What a reconciliation did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reconciled {
    /// Entries new to the server (a resent one is not).
    pub received: usize,
    /// Entries applied now (including earlier ones that waited for these).
    pub applied: usize,
    /// Entries of the day still waiting for the number they refer to.
    pub pending: usize,
    /// Entries refused, with why: `number_outside_range`, `number_taken`,
    /// `number_other_purpose`, `ticket_state_wrong`.
    pub refused: Vec<(String, String)>,
}

#[derive(sqlx::FromRow)]
struct Pending {
    id: i64,
    client_id: String,
    device: String,
    body: String,
}

impl Store {
    /// Hands `size` numbers of office `office_id`'s `day` to `device`: the next ones of the
    /// day's sequence, so that no ticket, electronic or live, gets one of them. Recorded.
    pub async fn allocate_range(
        &self,
        office_id: i64,
        device: &str,
        day: Date,
        size: i64,
        actor: &str,
        now: Timestamp,
    ) -> Result<TicketRange> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let last: i64 = sqlx::query_scalar(
                "INSERT INTO ticket_sequences (office_id, day, last_n) VALUES ($1, $2, $3) \
                 ON CONFLICT (office_id, day) DO UPDATE SET last_n = ticket_sequences.last_n + $3 \
                 RETURNING last_n",
            )
            .bind(office_id)
            .bind(day.to_string())
            .bind(size)
            .fetch_one(&mut *tx)
            .await?;
            if last > i64::from(qyzmet_domain::front_office::ticket::NUMBER_MAX) {
                return Err(StoreError::Conflict {
                    code: "ticket_numbers_exhausted",
                    field: None,
                });
            }
            let first = last - size + 1;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO ticket_ranges (office_id, day, device, first_n, last_n, issued_by, \
                 issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(office_id)
            .bind(day.to_string())
            .bind(device)
            .bind(first)
            .bind(last)
            .bind(actor)
            .bind(us(now))
            .fetch_one(&mut *tx)
            .await?;
            queue_action!(
                tx,
                office_id,
                None::<i64>,
                None::<i64>,
                "range.allocate",
                actor,
                now,
                format!("{device} {first}-{last}")
            );
            tx.commit().await?;
            Ok(TicketRange {
                id,
                device: device.to_string(),
                day,
                first,
                last,
            })
        })
    }

    /// Reconciles a device's journal of office `office_id`'s `day` (see the module's notes),
    /// in one transaction under the office's lock.
    pub async fn reconcile_journal(
        &self,
        office_id: i64,
        day: Date,
        device: &str,
        entries: &[LiveEntry],
        actor: &str,
        now: Timestamp,
    ) -> Result<Reconciled> {
        let lock = self.row_lock();
        let day_s = day.to_string();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            sqlx::query(&format!("SELECT id FROM offices WHERE id = $1{lock}"))
                .bind(office_id)
                .execute(&mut *tx)
                .await?;
            let mut done = Reconciled::default();
            for e in entries {
                let (purpose, n) = e.number();
                let kind = match e {
                    LiveEntry::Taken { .. } => "taken",
                    LiveEntry::Served { .. } => "served",
                };
                let body =
                    serde_json::to_string(e).map_err(|err| StoreError::Database(Box::new(err)))?;
                done.received += sqlx::query(
                    "INSERT INTO live_entries (office_id, day, client_id, device, kind, purpose, n, \
                     body, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     ON CONFLICT (office_id, client_id) DO NOTHING",
                )
                .bind(office_id)
                .bind(&day_s)
                .bind(e.id())
                .bind(device)
                .bind(kind)
                .bind(purpose.as_str())
                .bind(n)
                .bind(body)
                .bind(us(now))
                .execute(&mut *tx)
                .await?
                .rows_affected() as usize;
            }
            // Taken first, then served: a visit and its service sent in two journals apply in
            // whichever order the journals come.
            for kind in ["taken", "served"] {
                let pending = sqlx::query_as::<_, Pending>(
                    "SELECT id, client_id, device, body FROM live_entries WHERE office_id = $1 \
                     AND day = $2 AND kind = $3 AND applied_at IS NULL AND refused IS NULL \
                     ORDER BY id",
                )
                .bind(office_id)
                .bind(&day_s)
                .bind(kind)
                .fetch_all(&mut *tx)
                .await?;
                for p in pending {
                    let entry: LiveEntry =
                        serde_json::from_str(&p.body).map_err(|err| StoreError::Corrupt {
                            column: "live_entries.body",
                            detail: err.to_string(),
                        })?;
                    let (purpose, n) = entry.number();
                    let existing: Option<(i64, String, String, Option<String>)> = sqlx::query_as(
                        "SELECT id, purpose, state, client_key FROM tickets \
                         WHERE office_id = $1 AND day = $2 AND n = $3",
                    )
                    .bind(office_id)
                    .bind(&day_s)
                    .bind(n)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let outcome: std::result::Result<Option<i64>, &'static str> = match &entry {
                        LiveEntry::Taken {
                            id,
                            service,
                            priority,
                            at,
                            ..
                        } => match existing {
                            Some((t, _, _, key)) if key.as_deref() == Some(id.as_str()) => {
                                Ok(Some(t))
                            }
                            Some(_) => Err("number_taken"),
                            None => {
                                let in_range: Option<i64> = sqlx::query_scalar(
                                    "SELECT id FROM ticket_ranges WHERE office_id = $1 AND day = $2 \
                                     AND device = $3 AND first_n <= $4 AND last_n >= $4",
                                )
                                .bind(office_id)
                                .bind(&day_s)
                                .bind(&p.device)
                                .bind(n)
                                .fetch_optional(&mut *tx)
                                .await?;
                                if in_range.is_none() {
                                    Err("number_outside_range")
                                } else {
                                    let service_id: Option<i64> = match service {
                                        Some(code) => {
                                            sqlx::query_scalar(
                                                "SELECT id FROM services WHERE code = $1",
                                            )
                                            .bind(code)
                                            .fetch_optional(&mut *tx)
                                            .await?
                                        }
                                        None => None,
                                    };
                                    let t: i64 = sqlx::query_scalar(
                                        "INSERT INTO tickets (public_id, office_id, day, n, purpose, \
                                         service_id, priority, source, state, arrived_at, client_key) \
                                         VALUES ($1, $2, $3, $4, $5, $6, $7, 'live', 'waiting', $8, $9) \
                                         RETURNING id",
                                    )
                                    .bind(uuid::Uuid::new_v4().to_string())
                                    .bind(office_id)
                                    .bind(&day_s)
                                    .bind(n)
                                    .bind(purpose.as_str())
                                    .bind(service_id)
                                    .bind(priority.map(|g| g.as_str()))
                                    .bind(us(*at))
                                    .bind(&p.client_id)
                                    .fetch_one(&mut *tx)
                                    .await?;
                                    queue_action!(
                                        tx,
                                        office_id,
                                        Some(t),
                                        None::<i64>,
                                        "ticket.take",
                                        actor,
                                        *at,
                                        format!("live {}", p.device)
                                    );
                                    Ok(Some(t))
                                }
                            }
                        },
                        LiveEntry::Served {
                            window,
                            called_at,
                            started_at,
                            finished_at,
                            outcome,
                            no_show,
                            ..
                        } => match existing {
                            None => Ok(None),
                            // The number is another purpose's ticket: a typo at the counter.
                            Some((_, p2, _, _)) if p2 != purpose.as_str() => {
                                Err("number_other_purpose")
                            }
                            Some((_, _, state, _))
                                if !["waiting", "called"].contains(&state.as_str()) =>
                            {
                                Err("ticket_state_wrong")
                            }
                            Some((t, _, _, _)) => {
                                let counter: Option<i64> = sqlx::query_scalar(
                                    "SELECT id FROM counters WHERE office_id = $1 AND number = $2",
                                )
                                .bind(office_id)
                                .bind(*window)
                                .fetch_optional(&mut *tx)
                                .await?;
                                let state = if *no_show {
                                    "no_show"
                                } else if finished_at.is_some() {
                                    "done"
                                } else if started_at.is_some() {
                                    "serving"
                                } else {
                                    "called"
                                };
                                sqlx::query(
                                    "UPDATE tickets SET state = $2, counter_id = $3, called_at = $4, \
                                     call_count = CASE WHEN call_count < 1 THEN 1 ELSE call_count END, \
                                     started_at = $5, finished_at = $6, outcome = $7, \
                                     only_counter_id = NULL WHERE id = $1",
                                )
                                .bind(t)
                                .bind(state)
                                .bind(counter)
                                .bind(us(*called_at))
                                .bind(started_at.map(us))
                                .bind(finished_at.map(us).or(no_show.then(|| us(*called_at))))
                                .bind(outcome.as_deref())
                                .execute(&mut *tx)
                                .await?;
                                for (action, at) in [
                                    ("ticket.call", Some(*called_at)),
                                    ("ticket.start", *started_at),
                                    ("ticket.finish", *finished_at),
                                ] {
                                    if let Some(at) = at {
                                        queue_action!(
                                            tx,
                                            office_id,
                                            Some(t),
                                            counter,
                                            action,
                                            actor,
                                            at,
                                            format!("live {}", p.device)
                                        );
                                    }
                                }
                                if *no_show {
                                    queue_action!(
                                        tx,
                                        office_id,
                                        Some(t),
                                        counter,
                                        "ticket.no_show",
                                        actor,
                                        *called_at,
                                        format!("live {}", p.device)
                                    );
                                }
                                Ok(Some(t))
                            }
                        },
                    };
                    match outcome {
                        Ok(Some(t)) => {
                            sqlx::query(
                                "UPDATE live_entries SET ticket_id = $2, applied_at = $3 WHERE id = $1",
                            )
                            .bind(p.id)
                            .bind(t)
                            .bind(us(now))
                            .execute(&mut *tx)
                            .await?;
                            done.applied += 1;
                        }
                        Ok(None) => {}
                        Err(code) => {
                            sqlx::query("UPDATE live_entries SET refused = $2 WHERE id = $1")
                                .bind(p.id)
                                .bind(code)
                                .execute(&mut *tx)
                                .await?;
                            done.refused.push((p.client_id.clone(), code.to_string()));
                        }
                    }
                }
            }
            done.pending = sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM live_entries WHERE office_id = $1 AND day = $2 \
                 AND applied_at IS NULL AND refused IS NULL",
            )
            .bind(office_id)
            .bind(&day_s)
            .fetch_one(&mut *tx)
            .await? as usize;
            queue_action!(
                tx,
                office_id,
                None::<i64>,
                None::<i64>,
                "journal.reconcile",
                actor,
                now,
                format!(
                    "{device}: {} received, {} applied, {} pending, {} refused",
                    done.received,
                    done.applied,
                    done.pending,
                    done.refused.len()
                )
            );
            sqlx::query(
                "UPDATE ticket_ranges SET reconciled_at = $3 WHERE office_id = $1 AND device = $2 \
                 AND reconciled_at IS NULL",
            )
            .bind(office_id)
            .bind(device)
            .bind(us(now))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(done)
        })
    }
}
