//! Amended applications judged as of a report's moment (000 §12; issue 15, finding 8;
//! migration 0010; docs/reports.md "How the figures are computed").
//!
//! An application whose history has a suspension, a resumption or a change of executor
//! (`crate::rollup::amends`) is judged by its history as of the report's moment, never by its
//! current row: the events that occurred by then are replayed, its deadline recomputed from
//! the suspensions that had ended by then (rule 9), whether it was suspended then, whether it
//! was completed by then, and which organization executed it then. An application suspended
//! a moment after the report's moment was open, and perhaps overdue, at that moment.
//!
//! The report finds these applications two ways: the rollups list them per month
//! (`violation_amended`, kept in the writing transaction), and the reference computation
//! finds them from their histories alone ([`AMENDED_REFERENCE`]), so tests can hold the one
//! to the other.

use crate::convert::{parse, ts};
use crate::error::Result;
use crate::models::Channel;
use crate::projection::{project, DeadlineFacts};
use crate::rows::{term, EventRow};
use jiff::Timestamp;
use qyzmet_domain::stage::{EventKind, History};
use qyzmet_domain::violation::Case;
use qyzmet_domain::ProductionCalendar;
use std::collections::HashMap;

/// The applications that may fall in a month as of some moment and whose histories amend
/// them, found without the rollups: accepted before the month's end (`$2`) with a current
/// deadline at or after its start (`$1`) — a deadline as of an earlier moment lies between
/// the acceptance and the current deadline, suspensions only moving it later.
pub(crate) const AMENDED_REFERENCE: &str = "SELECT a.id FROM applications a \
    WHERE a.deadline >= $1 AND a.accepted_at < $2 \
    AND a.id IN (SELECT e.app_id FROM events e WHERE e.kind NOT IN ('stage', 'scanned')) ORDER BY a.id";

/// The applications the rollups list under a month as amended (`$1`: `YYYY-MM`).
pub(crate) const AMENDED_LISTED: &str =
    "SELECT app_id FROM violation_amended WHERE month = $1 ORDER BY app_id";

/// Whether an application of the month's deadline range has no amending event: the condition
/// that keeps amended applications out of the reference's plain reading (`a`: applications).
pub(crate) const NOT_AMENDED: &str =
    "NOT EXISTS (SELECT 1 FROM events e WHERE e.app_id = a.id AND e.kind NOT IN ('stage', 'scanned'))";

/// The columns an amended application is replayed from (`a`: applications).
pub(crate) const AMENDED_COLUMNS: &str = "a.number, a.accepted_at, a.term_amount, \
    a.term_unit, a.acceptance_day_counted, a.paper, a.channel, a.working_hours, \
    a.exec_org_id, a.registered_exec_org_id, a.service_id";

crate::rows::row!(
    pub(crate) struct AmendedRow {
        pub(crate) number: i64,
        accepted_at: i64,
        term_amount: i64,
        term_unit: String,
        acceptance_day_counted: bool,
        paper: bool,
        channel: String,
        working_hours: String,
        exec_org_id: i64,
        registered_exec_org_id: Option<i64>,
        pub(crate) service_id: i64,
    }
);

/// An amended application as it stood at a moment.
#[derive(Debug, Clone)]
pub(crate) struct AsOf {
    pub number: i64,
    /// The organization executing it at that moment.
    pub exec_org_id: i64,
    pub service_id: i64,
    /// What the report judges: its deadline, completion and suspension at that moment.
    pub case: Case,
}

/// Loads the replay rows and the histories of applications `$ids` (internal keys) inside a
/// transaction or on a pool (either backend): `(rows, events by number)`.
macro_rules! load_amended {
    ($conn:expr, $ids:expr) => {{
        let ids: &[i64] = $ids;
        let mut rows: Vec<$crate::amended::AmendedRow> = Vec::with_capacity(ids.len());
        let mut events: std::collections::HashMap<i64, Vec<$crate::rows::EventRow>> =
            std::collections::HashMap::new();
        let head = format!(
            "SELECT {} FROM applications a WHERE a.id IN (",
            $crate::amended::AMENDED_COLUMNS
        );
        for chunk in ids.chunks($crate::ingest::CHUNK) {
            rows.extend(
                $crate::convert::keys_query(&head, chunk, ")")
                    .build_query_as()
                    .fetch_all(&mut *$conn)
                    .await?,
            );
            let mut events_query = $crate::convert::keys_query(
                "SELECT * FROM events WHERE app_id IN (",
                chunk,
                ") ORDER BY app_id, seq",
            );
            for row in events_query
                .build_query_as::<$crate::rows::EventRow>()
                .fetch_all(&mut *$conn)
                .await?
            {
                events.entry(row.number).or_default().push(row);
            }
        }
        Ok::<_, $crate::StoreError>((rows, events))
    }};
}
pub(crate) use load_amended;

/// What replaying needs besides the applications: the calendar the deadlines are computed
/// with, each service's information systems, and the organizations' keys by code (executor
/// changes name the organization by its code).
pub(crate) struct Replay<'a> {
    pub calendar: &'a ProductionCalendar,
    pub depends: &'a HashMap<i64, Vec<String>>,
    pub org_ids: &'a HashMap<String, i64>,
}

impl Replay<'_> {
    /// Each application of `rows` (with its `events`) as it stood at `as_of`.
    pub(crate) fn as_of(
        &self,
        rows: Vec<AmendedRow>,
        mut events: HashMap<i64, Vec<EventRow>>,
        as_of: Timestamp,
    ) -> Result<Vec<AsOf>> {
        let none = vec![];
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let accepted_at = ts("accepted_at", row.accepted_at)?;
            let channel: Channel = parse("applications.channel", &row.channel)?;
            let facts = DeadlineFacts {
                accepted_at,
                term: term(row.term_amount, &row.term_unit)?,
                acceptance_day_counted: row.acceptance_day_counted,
                paper_via_state_corp: row.paper && channel == Channel::StateCorp,
                working_hours: parse("applications.working_hours", &row.working_hours)?,
            };
            // What had occurred by the moment, late records included.
            let mut known = vec![];
            for e in events.remove(&row.number).unwrap_or_default() {
                let event = e.event()?;
                if event.occurred_at <= as_of {
                    known.push(event);
                }
            }
            let history = History::from_events(accepted_at, known);
            let exec_org_id = history
                .events()
                .iter()
                .rev()
                .find_map(|e| match &e.kind {
                    EventKind::ExecutorChanged { executor } => Some(executor),
                    _ => None,
                })
                .and_then(|code| self.org_ids.get(code).copied())
                .unwrap_or(row.registered_exec_org_id.unwrap_or(row.exec_org_id));
            let p = project(self.calendar, &facts, &history, as_of, 0.8, false);
            out.push(AsOf {
                number: row.number,
                exec_org_id,
                service_id: row.service_id,
                case: Case {
                    planned_date: p.planned_date,
                    deadline: p.deadline,
                    effective_acceptance: p.effective_acceptance,
                    completed_at: p.actual_completion,
                    depends_on: self.depends.get(&row.service_id).unwrap_or(&none).clone(),
                    suspended: p.suspended,
                },
            });
        }
        Ok(out)
    }
}
