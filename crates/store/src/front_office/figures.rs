//! What the queue's figures are computed from (003 §7(2)(3), Q10): the visits of an office's
//! days — the ticket, its first call (from the journal: a recall moves the ticket's call time,
//! not the first), the start and the finish, the counter, the employee and the service — and,
//! for the live board, who waits and what each counter does now.

use crate::convert::{opt_ts, ts};
use crate::error::Result;
use crate::{with_db, Store};
use jiff::civil::Date;
use jiff::Timestamp;

/// One visit, as read for the figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRecord {
    pub day: Date,
    pub number: String,
    pub counter_id: Option<i64>,
    pub window: Option<i64>,
    pub employee_id: Option<i64>,
    pub employee_name: Option<String>,
    pub service: Option<String>,
    pub state: String,
    pub arrived_at: Timestamp,
    pub first_call_at: Option<Timestamp>,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    /// When the application behind the ticket is due.
    pub due: Option<Timestamp>,
    /// Its call was decided by the near-deadline raise (issue 18, point 7).
    pub raised: bool,
}

#[derive(sqlx::FromRow)]
struct VisitRow {
    day: String,
    purpose: String,
    n: i64,
    counter_id: Option<i64>,
    window: Option<i64>,
    employee_id: Option<i64>,
    employee_name: Option<String>,
    service: Option<String>,
    state: String,
    arrived_at: i64,
    first_call_at: Option<i64>,
    started_at: Option<i64>,
    finished_at: Option<i64>,
    due: Option<i64>,
    raised: bool,
}

impl Store {
    /// The visits of office `office_id` on its local days `from..=to`, by day and number.
    pub async fn visits(&self, office_id: i64, from: Date, to: Date) -> Result<Vec<VisitRecord>> {
        with_db!(self, |read, _write| {
            let rows = sqlx::query_as::<_, VisitRow>(
                "SELECT t.day, t.purpose, t.n, t.counter_id, c.number AS window, \
                 t.served_by AS employee_id, u.full_name AS employee_name, s.code AS service, \
                 t.state, t.arrived_at, (SELECT MIN(q.at) FROM queue_actions q \
                 WHERE q.ticket_id = t.id AND q.action = 'ticket.call') AS first_call_at, \
                 t.started_at, t.finished_at, a.deadline AS due, EXISTS (SELECT 1 FROM queue_actions q \
                 WHERE q.ticket_id = t.id AND q.action = 'ticket.call' AND q.detail = $4) AS raised \
                 FROM tickets t \
                 LEFT JOIN counters c ON c.id = t.counter_id LEFT JOIN users u ON u.id = t.served_by \
                 LEFT JOIN applications a ON a.id = t.app_id \
                 LEFT JOIN services s ON s.id = t.service_id \
                 WHERE t.office_id = $1 AND t.day >= $2 AND t.day <= $3 ORDER BY t.day, t.n",
            )
            .bind(office_id)
            .bind(from.to_string())
            .bind(to.to_string())
            .bind(super::tickets::RAISED_CALL)
            .fetch_all(read)
            .await?;
            rows.into_iter()
                .map(|r| {
                    let letter = qyzmet_domain::front_office::Purpose::parse(&r.purpose)
                        .map_or('?', |p| p.letter());
                    Ok(VisitRecord {
                        day: crate::convert::date("tickets.day", &r.day)?,
                        number: format!("{letter}{:03}", r.n),
                        counter_id: r.counter_id,
                        window: r.window,
                        employee_id: r.employee_id,
                        employee_name: r.employee_name,
                        service: r.service,
                        state: r.state,
                        arrived_at: ts("tickets.arrived_at", r.arrived_at)?,
                        first_call_at: opt_ts("queue_actions.at", r.first_call_at)?,
                        started_at: opt_ts("tickets.started_at", r.started_at)?,
                        finished_at: opt_ts("tickets.finished_at", r.finished_at)?,
                        due: opt_ts("applications.deadline", r.due)?,
                        raised: r.raised,
                    })
                })
                .collect()
        })
    }
}
