//! Queue tickets (001 §6): taken with the next number of the office's day, called by a counter
//! under the office's lock (the rule chooses, the store makes sure nobody else called it),
//! then served, finished, redirected or marked not shown — each step recorded (001 §21) with
//! the times 003 §7(2)(3) measures: ticket, call, start, finish.

use super::queue_action;
use crate::convert::{opt_ts, ts, us};
use crate::error::{Result, StoreError};
use crate::{with_db, Store};
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::front_office::{PriorityGroup, Purpose, TicketNumber};
use serde::Serialize;
use uuid::Uuid;

/// The journal's detail of a call the near-deadline raise decided (issue 18, point 7).
pub const RAISED_CALL: &str = "near_deadline";

/// Where a ticket is on its way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    Waiting,
    Called,
    Serving,
    Done,
    NoShow,
    Cancelled,
}

impl TicketState {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketState::Waiting => "waiting",
            TicketState::Called => "called",
            TicketState::Serving => "serving",
            TicketState::Done => "done",
            TicketState::NoShow => "no_show",
            TicketState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<TicketState> {
        [
            TicketState::Waiting,
            TicketState::Called,
            TicketState::Serving,
            TicketState::Done,
            TicketState::NoShow,
            TicketState::Cancelled,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// A ticket, with the codes and numbers it refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ticket {
    pub id: i64,
    /// The digital ticket's link (a random UUID).
    pub public_id: String,
    pub office_id: i64,
    pub office: String,
    pub day: Date,
    pub number: String,
    pub purpose: Purpose,
    pub service: Option<String>,
    pub priority: Option<PriorityGroup>,
    /// `kiosk`, `booking`, `digital`, `counter` or `live`.
    pub source: String,
    pub booking_id: Option<i64>,
    pub slot: Option<(Timestamp, Timestamp)>,
    /// The application behind the ticket (its number) and when it is due.
    pub application: Option<i64>,
    pub due: Option<Timestamp>,
    pub state: TicketState,
    pub arrived_at: Timestamp,
    pub called_at: Option<Timestamp>,
    pub call_count: i64,
    pub counter_id: Option<i64>,
    pub counter_number: Option<i64>,
    pub only_counter_id: Option<i64>,
    pub served_by: Option<i64>,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub outcome: Option<String>,
}

/// A ticket to take, checked by the caller.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub purpose: Purpose,
    pub service: Option<String>,
    pub priority: Option<PriorityGroup>,
    pub source: &'static str,
    pub booking_id: Option<i64>,
    pub slot: Option<(Timestamp, Timestamp)>,
    /// The number of the application behind it (issue of its result, completing documents).
    pub application: Option<i64>,
}

/// What a counter does with the ticket it called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TicketMove {
    /// Call it again (the call count grows).
    Recall,
    /// The visitor did not come after at least `calls` calls.
    NoShow { calls: i64 },
    /// The visitor came: service starts.
    Start { user_id: Option<i64> },
    /// Service ended: what it produced (an application number, "issued"…), and the
    /// application it concerns, if any.
    Finish {
        outcome: Option<String>,
        application: Option<i64>,
    },
    /// Back to the queue, for another purpose or service, or for one counter only; the
    /// ticket keeps its arrival, so it does not go to the back.
    Redirect {
        purpose: Purpose,
        service: Option<String>,
        only_counter: Option<i64>,
    },
}

impl TicketMove {
    fn action(&self) -> &'static str {
        match self {
            TicketMove::Recall => "ticket.recall",
            TicketMove::NoShow { .. } => "ticket.no_show",
            TicketMove::Start { .. } => "ticket.start",
            TicketMove::Finish { .. } => "ticket.finish",
            TicketMove::Redirect { .. } => "ticket.redirect",
        }
    }

    /// The states the counter's ticket must be in.
    fn from(&self) -> &'static [&'static str] {
        match self {
            TicketMove::Recall | TicketMove::NoShow { .. } | TicketMove::Start { .. } => {
                &["called"]
            }
            TicketMove::Finish { .. } => &["serving"],
            TicketMove::Redirect { .. } => &["called", "serving"],
        }
    }
}

/// One action of the front office's journal (001 §21).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueAction {
    pub action: String,
    pub actor: String,
    pub at: Timestamp,
    pub counter_id: Option<i64>,
    pub detail: String,
}

/// A waiting ticket as the call-next rule needs it: a slim read of the office's queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub id: i64,
    pub day: String,
    pub n: i64,
    pub purpose: Purpose,
    pub service: Option<String>,
    pub priority: Option<PriorityGroup>,
    pub arrived_at: Timestamp,
    pub slot: Option<(Timestamp, Timestamp)>,
    pub due: Option<Timestamp>,
    pub only_counter_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct QueuedRow {
    id: i64,
    day: String,
    n: i64,
    purpose: String,
    service: Option<String>,
    priority: Option<String>,
    arrived_at: i64,
    slot_start: Option<i64>,
    slot_end: Option<i64>,
    due: Option<i64>,
    only_counter_id: Option<i64>,
}

impl QueuedRow {
    fn into_model(self) -> Result<Queued> {
        let corrupt = |column: &'static str, v: &str| StoreError::Corrupt {
            column,
            detail: v.to_string(),
        };
        let slot = match (self.slot_start, self.slot_end) {
            (Some(a), Some(b)) => Some((ts("tickets.slot_start", a)?, ts("tickets.slot_end", b)?)),
            _ => None,
        };
        Ok(Queued {
            id: self.id,
            day: self.day,
            n: self.n,
            purpose: Purpose::parse(&self.purpose)
                .ok_or_else(|| corrupt("tickets.purpose", &self.purpose))?,
            service: self.service,
            priority: match &self.priority {
                Some(p) => {
                    Some(PriorityGroup::parse(p).ok_or_else(|| corrupt("tickets.priority", p))?)
                }
                None => None,
            },
            arrived_at: ts("tickets.arrived_at", self.arrived_at)?,
            slot,
            due: opt_ts("applications.deadline", self.due)?,
            only_counter_id: self.only_counter_id,
        })
    }
}

/// The office's waiting tickets (`$1`), slim, in arrival order.
const QUEUED: &str = "SELECT t.id, t.day, t.n, t.purpose, s.code AS service, t.priority, \
    t.arrived_at, t.slot_start, t.slot_end, a.deadline AS due, t.only_counter_id FROM tickets t \
    LEFT JOIN services s ON s.id = t.service_id LEFT JOIN applications a ON a.id = t.app_id \
    WHERE t.office_id = $1 AND t.state = 'waiting' ORDER BY t.arrived_at, t.id";

#[derive(sqlx::FromRow)]
pub(crate) struct TicketRow {
    id: i64,
    public_id: String,
    office_id: i64,
    office: String,
    day: String,
    n: i64,
    purpose: String,
    service: Option<String>,
    priority: Option<String>,
    source: String,
    booking_id: Option<i64>,
    slot_start: Option<i64>,
    slot_end: Option<i64>,
    application: Option<i64>,
    due: Option<i64>,
    state: String,
    arrived_at: i64,
    called_at: Option<i64>,
    call_count: i64,
    counter_id: Option<i64>,
    counter_number: Option<i64>,
    only_counter_id: Option<i64>,
    served_by: Option<i64>,
    started_at: Option<i64>,
    finished_at: Option<i64>,
    outcome: Option<String>,
}

impl TicketRow {
    pub(crate) fn into_model(self) -> Result<Ticket> {
        let corrupt = |column: &'static str, v: &str| StoreError::Corrupt {
            column,
            detail: v.to_string(),
        };
        let purpose = Purpose::parse(&self.purpose)
            .ok_or_else(|| corrupt("tickets.purpose", &self.purpose))?;
        let priority = match &self.priority {
            Some(p) => Some(PriorityGroup::parse(p).ok_or_else(|| corrupt("tickets.priority", p))?),
            None => None,
        };
        let slot = match (self.slot_start, self.slot_end) {
            (Some(a), Some(b)) => Some((ts("tickets.slot_start", a)?, ts("tickets.slot_end", b)?)),
            _ => None,
        };
        let n = u32::try_from(self.n).map_err(|_| corrupt("tickets.n", &self.n.to_string()))?;
        Ok(Ticket {
            id: self.id,
            public_id: self.public_id,
            office_id: self.office_id,
            office: self.office,
            day: crate::convert::date("tickets.day", &self.day)?,
            number: TicketNumber { purpose, n }.to_string(),
            purpose,
            service: self.service,
            priority,
            source: self.source,
            booking_id: self.booking_id,
            slot,
            application: self.application,
            due: opt_ts("applications.deadline", self.due)?,
            state: TicketState::parse(&self.state)
                .ok_or_else(|| corrupt("tickets.state", &self.state))?,
            arrived_at: ts("tickets.arrived_at", self.arrived_at)?,
            called_at: opt_ts("tickets.called_at", self.called_at)?,
            call_count: self.call_count,
            counter_id: self.counter_id,
            counter_number: self.counter_number,
            only_counter_id: self.only_counter_id,
            served_by: self.served_by,
            started_at: opt_ts("tickets.started_at", self.started_at)?,
            finished_at: opt_ts("tickets.finished_at", self.finished_at)?,
            outcome: self.outcome,
        })
    }
}

pub(crate) const SELECT: &str =
    "SELECT t.id, t.public_id, t.office_id, f.code AS office, t.day, t.n, \
    t.purpose, s.code AS service, t.priority, t.source, t.booking_id, t.slot_start, t.slot_end, \
    a.number AS application, a.deadline AS due, t.state, t.arrived_at, t.called_at, \
    t.call_count, t.counter_id, c.number AS counter_number, t.only_counter_id, t.served_by, \
    t.started_at, t.finished_at, t.outcome FROM tickets t JOIN offices f ON f.id = t.office_id \
    LEFT JOIN services s ON s.id = t.service_id LEFT JOIN applications a ON a.id = t.app_id \
    LEFT JOIN counters c ON c.id = t.counter_id";

/// Looks up a service's id by code in `$tx`: `Invalid(unknown_service)` when there is none.
macro_rules! service_id {
    ($tx:expr, $code:expr, $field:expr) => {
        match $code {
            Some(code) => Some(
                sqlx::query_scalar::<_, i64>("SELECT id FROM services WHERE code = $1")
                    .bind(code)
                    .fetch_optional(&mut *$tx)
                    .await?
                    .ok_or(StoreError::Invalid {
                        code: "unknown_service",
                        field: $field,
                    })?,
            ),
            None => None,
        }
    };
}
pub(crate) use service_id;

/// Looks up an application's id by number in `$tx`: `Invalid(unknown_application)`.
macro_rules! application_id {
    ($tx:expr, $number:expr, $field:expr) => {
        match $number {
            Some(number) => Some(
                sqlx::query_scalar::<_, i64>("SELECT id FROM applications WHERE number = $1")
                    .bind(number)
                    .fetch_optional(&mut *$tx)
                    .await?
                    .ok_or(StoreError::Invalid {
                        code: "unknown_application",
                        field: $field,
                    })?,
            ),
            None => None,
        }
    };
}
pub(crate) use application_id;

/// Inserts a ticket into `$tx` with the next number of the office's local `$day`, recorded
/// (001 §21); evaluates to its row id. `$key` is the client's key (a retry's or a journal
/// entry's), if any.
macro_rules! insert_ticket {
    ($tx:expr, $office_id:expr, $t:expr, $day:expr, $key:expr, $actor:expr, $now:expr) => {{
        let t: &NewTicket = $t;
        let service_id = service_id!($tx, t.service.as_deref(), "service_code");
        let app_id = application_id!($tx, t.application, "application");
        let n: i64 = sqlx::query_scalar(
            "INSERT INTO ticket_sequences (office_id, day, last_n) VALUES ($1, $2, 1) \
             ON CONFLICT (office_id, day) DO UPDATE SET last_n = ticket_sequences.last_n + 1 \
             RETURNING last_n",
        )
        .bind($office_id)
        .bind($day.to_string())
        .fetch_one(&mut *$tx)
        .await?;
        if n > i64::from(qyzmet_domain::front_office::ticket::NUMBER_MAX) {
            return Err(StoreError::Conflict {
                code: "ticket_numbers_exhausted",
                field: None,
            });
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tickets (public_id, office_id, day, n, purpose, service_id, priority, \
             source, booking_id, slot_start, slot_end, app_id, state, arrived_at, client_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'waiting', $13, $14) \
             RETURNING id",
        )
        .bind(Uuid::new_v4().to_string())
        .bind($office_id)
        .bind($day.to_string())
        .bind(n)
        .bind(t.purpose.as_str())
        .bind(service_id)
        .bind(t.priority.map(|p| p.as_str()))
        .bind(t.source)
        .bind(t.booking_id)
        .bind(t.slot.map(|s| us(s.0)))
        .bind(t.slot.map(|s| us(s.1)))
        .bind(app_id)
        .bind(us($now))
        .bind($key)
        .fetch_one(&mut *$tx)
        .await?;
        queue_action!(
            $tx,
            $office_id,
            Some(id),
            None::<i64>,
            "ticket.take",
            $actor,
            $now,
            t.source
        );
        id
    }};
}
pub(crate) use insert_ticket;

/// The ticket of row id `$id`, read in `$tx` — or, `pool`, from a pool: after the commit of a
/// change made under a queue's lock, so that the lock is not held for the read.
macro_rules! ticket_by_id {
    (pool $pool:expr, $id:expr) => {
        sqlx::query_as::<_, TicketRow>(&format!("{SELECT} WHERE t.id = $1"))
            .bind($id)
            .fetch_one($pool)
            .await?
            .into_model()?
    };
    ($tx:expr, $id:expr) => {
        sqlx::query_as::<_, TicketRow>(&format!("{SELECT} WHERE t.id = $1"))
            .bind($id)
            .fetch_one(&mut *$tx)
            .await?
            .into_model()?
    };
}
pub(crate) use ticket_by_id;

impl Store {
    /// Takes a ticket at an office on its local `day`: the next number of the day's sequence,
    /// recorded (001 §21). With a client's `key` (`Idempotency-Key`), a retry answers the
    /// ticket the first attempt took — also when both run at once.
    pub async fn take_ticket(
        &self,
        office_id: i64,
        t: &NewTicket,
        day: Date,
        key: Option<&str>,
        actor: &str,
        now: Timestamp,
    ) -> Result<Ticket> {
        crate::contention::retrying!(
            "take_ticket",
            &["tickets_client_key"],
            self.take_ticket_once(office_id, t, day, key, actor, now)
        )
    }

    async fn take_ticket_once(
        &self,
        office_id: i64,
        t: &NewTicket,
        day: Date,
        key: Option<&str>,
        actor: &str,
        now: Timestamp,
    ) -> Result<Ticket> {
        with_db!(self, |read, write| {
            let mut tx = write.begin().await?;
            if let Some(k) = key {
                let taken: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM tickets WHERE office_id = $1 AND client_key = $2",
                )
                .bind(office_id)
                .bind(k)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(id) = taken {
                    let ticket = ticket_by_id!(tx, id);
                    tx.commit().await?;
                    return Ok(ticket);
                }
            }
            // The day's sequence row is locked until the commit: the ticket is read after it.
            let id = insert_ticket!(tx, office_id, t, day, key, actor, now);
            tx.commit().await?;
            Ok(ticket_by_id!(pool read, id))
        })
    }

    /// A ticket by its public id (the digital ticket's link).
    pub async fn ticket(&self, public_id: &str) -> Result<Option<Ticket>> {
        with_db!(self, |read, _write| {
            sqlx::query_as::<_, TicketRow>(&format!("{SELECT} WHERE t.public_id = $1"))
                .bind(public_id)
                .fetch_optional(read)
                .await?
                .map(TicketRow::into_model)
                .transpose()
        })
    }

    /// The office's tickets called or being served, the latest call first, at most `limit`
    /// (the hall display).
    pub async fn called_tickets(&self, office_id: i64, limit: i64) -> Result<Vec<Ticket>> {
        with_db!(self, |read, _write| {
            let rows = sqlx::query_as::<_, TicketRow>(&format!(
                "{SELECT} WHERE t.office_id = $1 AND t.state IN ('called', 'serving') \
                 ORDER BY t.called_at DESC, t.id DESC LIMIT $2"
            ))
            .bind(office_id)
            .bind(limit)
            .fetch_all(read)
            .await?;
            rows.into_iter().map(TicketRow::into_model).collect()
        })
    }

    /// The waiting tickets of an office, slim, in arrival order (positions and estimates).
    pub async fn waiting_tickets(&self, office_id: i64) -> Result<Vec<Queued>> {
        with_db!(self, |read, _write| {
            let rows = sqlx::query_as::<_, QueuedRow>(QUEUED)
                .bind(office_id)
                .fetch_all(read)
                .await?;
            rows.into_iter().map(QueuedRow::into_model).collect()
        })
    }

    /// The ticket a counter has called or is serving.
    pub async fn counter_ticket(&self, counter_id: i64) -> Result<Option<Ticket>> {
        with_db!(self, |read, _write| {
            sqlx::query_as::<_, TicketRow>(&format!(
                "{SELECT} WHERE t.counter_id = $1 AND t.state IN ('called', 'serving')"
            ))
            .bind(counter_id)
            .fetch_optional(read)
            .await?
            .map(TicketRow::into_model)
            .transpose()
        })
    }

    /// The journal of a ticket (001 §21), oldest first.
    pub async fn ticket_actions(&self, ticket_id: i64) -> Result<Vec<QueueAction>> {
        self.queue_actions("ticket_id", ticket_id).await
    }

    /// The journal of a counter (001 §21): its own changes and the moves of the tickets it
    /// called, oldest first.
    pub async fn counter_actions(&self, counter_id: i64) -> Result<Vec<QueueAction>> {
        self.queue_actions("counter_id", counter_id).await
    }

    async fn queue_actions(&self, column: &'static str, id: i64) -> Result<Vec<QueueAction>> {
        with_db!(self, |read, _write| {
            let rows: Vec<(String, String, i64, Option<i64>, String)> = sqlx::query_as(&format!(
                "SELECT action, actor, at, counter_id, detail FROM queue_actions \
                 WHERE {column} = $1 ORDER BY id"
            ))
            .bind(id)
            .fetch_all(read)
            .await?;
            rows.into_iter()
                .map(|(action, actor, at, counter_id, detail)| {
                    Ok(QueueAction {
                        action,
                        actor,
                        at: ts("queue_actions.at", at)?,
                        counter_id,
                        detail,
                    })
                })
                .collect()
        })
    }

    /// Calls a ticket to an open counter that has nobody called or in service, under the
    /// office's lock: `choose` picks from the office's waiting tickets (the call-next rule, or
    /// a number the operator typed) and the store marks it called. `None` when `choose` picks
    /// none. Two counters calling at once never get the same ticket. A pick the near-deadline
    /// raise decided (`(id, true)`) is recorded as such ([`RAISED_CALL`]) for the figures.
    pub async fn call_ticket<F>(
        &self,
        counter_id: i64,
        choose: F,
        actor: &str,
        now: Timestamp,
    ) -> Result<Option<Ticket>>
    where
        F: Fn(&[Queued]) -> Option<(i64, bool)> + Send + Sync,
    {
        let lock = self.row_lock();
        with_db!(self, |read, write| {
            let mut tx = write.begin().await?;
            let office_id = super::counters::office_of_counter!(tx, counter_id);
            // The office's row is the queue's lock: callers of one office take turns, and
            // what follows is read under it.
            sqlx::query(&format!("SELECT id FROM offices WHERE id = $1{lock}"))
                .bind(office_id)
                .execute(&mut *tx)
                .await?;
            let (state, busy): (String, bool) = sqlx::query_as(
                "SELECT c.state, EXISTS (SELECT 1 FROM tickets t WHERE t.counter_id = c.id \
                 AND t.state IN ('called', 'serving')) FROM counters c WHERE c.id = $1",
            )
            .bind(counter_id)
            .fetch_one(&mut *tx)
            .await?;
            if state != "open" {
                return Err(StoreError::Conflict {
                    code: "counter_not_open",
                    field: None,
                });
            }
            if busy {
                return Err(StoreError::Conflict {
                    code: "counter_busy",
                    field: None,
                });
            }
            let waiting = sqlx::query_as::<_, QueuedRow>(QUEUED)
                .bind(office_id)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .map(QueuedRow::into_model)
                .collect::<Result<Vec<_>>>()?;
            let Some((id, raised)) = choose(&waiting) else {
                return Ok(None);
            };
            let called = sqlx::query(
                "UPDATE tickets SET state = 'called', counter_id = $2, called_at = $3, \
                 call_count = 1, only_counter_id = NULL WHERE id = $1 AND state = 'waiting'",
            )
            .bind(id)
            .bind(counter_id)
            .bind(us(now))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if called != 1 {
                return Err(StoreError::NotFound("ticket"));
            }
            queue_action!(
                tx,
                office_id,
                Some(id),
                Some(counter_id),
                "ticket.call",
                actor,
                now,
                if raised { RAISED_CALL } else { "" }
            );
            // The office's lock ends with the commit: the ticket is read after it.
            tx.commit().await?;
            Ok(Some(ticket_by_id!(pool read, id)))
        })
    }

    /// Moves the ticket a counter has called or is serving (recall, no-show, start, finish,
    /// redirect), recorded (001 §21). A counter with no ticket in the state the move needs is
    /// a conflict; a no-show before enough calls is one too.
    pub async fn move_ticket(
        &self,
        counter_id: i64,
        step: &TicketMove,
        actor: &str,
        now: Timestamp,
    ) -> Result<Ticket> {
        let from = step.from();
        let lock = self.row_lock();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            // Locked: a second move of the same ticket at the same moment (a double click)
            // waits, then finds it moved and is refused.
            let current: Option<(i64, i64, String, i64)> = sqlx::query_as(&format!(
                "SELECT id, office_id, state, call_count FROM tickets \
                 WHERE counter_id = $1 AND state IN ('called', 'serving'){lock}"
            ))
            .bind(counter_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((id, office_id, state, calls)) = current else {
                return Err(StoreError::Conflict {
                    code: "counter_has_no_ticket",
                    field: None,
                });
            };
            if !from.contains(&state.as_str()) {
                return Err(StoreError::Conflict {
                    code: "ticket_state_wrong",
                    field: None,
                });
            }
            let n = us(now);
            let mut detail = String::new();
            match step {
                TicketMove::Recall => {
                    sqlx::query("UPDATE tickets SET call_count = call_count + 1, called_at = $2 WHERE id = $1")
                        .bind(id)
                        .bind(n)
                        .execute(&mut *tx)
                        .await?;
                    detail = format!("call {}", calls + 1);
                }
                TicketMove::NoShow { calls: needed } => {
                    if calls < *needed {
                        return Err(StoreError::Conflict {
                            code: "not_called_enough",
                            field: None,
                        });
                    }
                    sqlx::query(
                        "UPDATE tickets SET state = 'no_show', finished_at = $2 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(n)
                    .execute(&mut *tx)
                    .await?;
                }
                TicketMove::Start { user_id } => {
                    sqlx::query(
                        "UPDATE tickets SET state = 'serving', started_at = $2, served_by = $3 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(n)
                    .bind(*user_id)
                    .execute(&mut *tx)
                    .await?;
                }
                TicketMove::Finish {
                    outcome,
                    application,
                } => {
                    let app_id = application_id!(tx, *application, "application");
                    sqlx::query(
                        "UPDATE tickets SET state = 'done', finished_at = $2, outcome = $3, \
                         app_id = COALESCE($4, app_id) WHERE id = $1",
                    )
                    .bind(id)
                    .bind(n)
                    .bind(outcome.as_deref())
                    .bind(app_id)
                    .execute(&mut *tx)
                    .await?;
                    detail = outcome.clone().unwrap_or_default();
                }
                TicketMove::Redirect {
                    purpose,
                    service,
                    only_counter,
                } => {
                    let service_id = service_id!(tx, service.as_deref(), "service_code");
                    if let Some(to) = only_counter {
                        let same_office: Option<i64> = sqlx::query_scalar(
                            "SELECT id FROM counters WHERE id = $1 AND office_id = $2",
                        )
                        .bind(*to)
                        .bind(office_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if same_office.is_none() || *to == counter_id {
                            return Err(StoreError::Invalid {
                                code: "unknown_counter",
                                field: "counter_id",
                            });
                        }
                    }
                    sqlx::query(
                        "UPDATE tickets SET state = 'waiting', purpose = $2, service_id = $3, \
                         only_counter_id = $4, counter_id = NULL, called_at = NULL, \
                         call_count = 0, started_at = NULL WHERE id = $1",
                    )
                    .bind(id)
                    .bind(purpose.as_str())
                    .bind(service_id)
                    .bind(*only_counter)
                    .execute(&mut *tx)
                    .await?;
                    detail = match only_counter {
                        Some(c) => format!("{} counter {c}", purpose.as_str()),
                        None => purpose.as_str().to_string(),
                    };
                }
            }
            queue_action!(
                tx,
                office_id,
                Some(id),
                Some(counter_id),
                step.action(),
                actor,
                now,
                detail
            );
            let ticket = ticket_by_id!(tx, id);
            tx.commit().await?;
            Ok(ticket)
        })
    }
}
