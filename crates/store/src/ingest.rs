//! Ingesting events (000 §6, §9–11): a batch is loaded, checked against each application's
//! stage machine, appended to the hash-chained history and projected — all in one
//! transaction, with a constant number of statements per batch whatever its size. On
//! PostgreSQL the batch's applications are locked before they are read, and a batch that
//! lost a race on an event id is run again (`contention.rs`); SQLite's single writer runs
//! batches one after another (`native::ingest`).

use crate::chain;
use crate::convert::{date, parse, ts, us};
use crate::error::Result;
use crate::models::*;
use crate::passports::PassportKey;
use crate::projection::{project, DeadlineFacts, ProjectionRow};
use crate::rollup::{RollupChanges, Standing};
use crate::rows::{term, EventRow};
use crate::Store;
use jiff::Timestamp;
use qyzmet_domain::passport::Passport;
use qyzmet_domain::stage::{Event, EventKind, GroundList, History};
use qyzmet_domain::ProductionCalendar;
use std::collections::HashMap;
use std::sync::Arc;

mod batch;

/// Rows per multi-row statement: stays under SQLite's 32,766 bound parameters.
pub(crate) const CHUNK: usize = 500;

/// The columns an application's state is rebuilt from.
pub(crate) const STATE_COLUMNS: &str = "id, number, accepted_at, term_amount, term_unit, \
    acceptance_day_counted, paper, channel, working_hours, accept_path, exec_org_id, exec_path, \
    executor_person, event_count, head_hash, planned_date, deadline, effective_acceptance, \
    nearing_at, suspended, overdue, nearing, pending, service_id, actual_completion, \
    passport_version";

crate::rows::row!(
    pub(crate) struct StateRow {
        pub(crate) id: i64,
        number: i64,
        accepted_at: i64,
        term_amount: i64,
        term_unit: String,
        acceptance_day_counted: bool,
        paper: bool,
        channel: String,
        working_hours: String,
        accept_path: String,
        exec_org_id: i64,
        exec_path: String,
        executor_person: Option<String>,
        event_count: i64,
        head_hash: String,
        planned_date: String,
        deadline: i64,
        effective_acceptance: i64,
        nearing_at: i64,
        suspended: bool,
        overdue: bool,
        nearing: bool,
        pending: bool,
        service_id: i64,
        actual_completion: Option<i64>,
        passport_version: Option<i64>,
    }
);

/// An application's state while a batch is applied to it.
pub(crate) struct AppState {
    /// The internal key (registration order).
    pub id: i64,
    pub number: i64,
    pub facts: DeadlineFacts,
    pub accept_path: String,
    pub exec_org_id: i64,
    pub exec_path: String,
    pub executor_person: Option<String>,
    pub history: History,
    pub event_count: i64,
    pub head_hash: String,
    pub old_planned_date: jiff::civil::Date,
    pub old_deadline: Timestamp,
    /// The passport version it was registered under (its grounds, 003 §17).
    pub passport_version: Option<i64>,
    /// The stored values of every other indexed column the projection writes.
    pub stored: StoredIndexed,
    /// Where it stood in the report's rollups when loaded.
    pub standing: Standing,
    pub dirty: bool,
    /// A suspension or resumption was added: the deadline's derivation changes.
    pub deadline_dirty: bool,
}

/// The stored values of the indexed columns a projection may change (besides the planned
/// date and deadline): the executor, and the flags the partial indexes select on.
pub(crate) struct StoredIndexed {
    pub exec_org_id: i64,
    pub effective_acceptance: i64,
    pub nearing_at: i64,
    /// suspended, overdue, nearing, pending
    pub flags: [bool; 4],
}

impl AppState {
    /// Whether the projection leaves every indexed column as stored: then it is written by
    /// [`PROJECTION_UPDATE_QUIET`], which names no indexed column, so the database maintains
    /// no index for it (SQLite rewrites every index that has a column in the `SET` list, or
    /// in its `WHERE`, whether or not the value changes). Most events (stages 2 and 3, and
    /// stage 5 and 6 after completion) are such.
    pub(crate) fn quiet(&self, p: &ProjectionRow) -> bool {
        let s = &self.stored;
        self.exec_org_id == s.exec_org_id
            && p.planned_date == self.old_planned_date
            && p.deadline == self.old_deadline
            && us(p.effective_acceptance) == s.effective_acceptance
            && us(p.nearing_at) == s.nearing_at
            && [p.suspended, p.overdue, p.nearing, p.pending()] == s.flags
    }
}

/// What writing these projections changes in the report's rollups: each application's
/// standing as loaded against the one written.
pub(crate) fn rollup_changes(rows: &[(&AppState, &ProjectionRow)]) -> RollupChanges {
    let mut changes = RollupChanges::default();
    for (s, p) in rows {
        let new = Standing::of(
            p.deadline,
            p.actual_completion,
            s.exec_org_id,
            s.standing.service_id,
        )
        .with_history(&s.history);
        changes.change(s.id, Some(&s.standing), &new);
    }
    changes
}

impl StateRow {
    pub(crate) fn into_state(self, events: Vec<EventRow>) -> Result<AppState> {
        let channel: Channel = parse("applications.channel", &self.channel)?;
        let accepted_at = ts("accepted_at", self.accepted_at)?;
        let events = events
            .iter()
            .map(EventRow::event)
            .collect::<Result<Vec<_>>>()?;
        let history = History::from_events(accepted_at, events);
        Ok(AppState {
            id: self.id,
            number: self.number,
            facts: DeadlineFacts {
                accepted_at,
                term: term(self.term_amount, &self.term_unit)?,
                acceptance_day_counted: self.acceptance_day_counted,
                paper_via_state_corp: self.paper && channel == Channel::StateCorp,
                working_hours: parse("applications.working_hours", &self.working_hours)?,
            },
            accept_path: self.accept_path,
            exec_org_id: self.exec_org_id,
            exec_path: self.exec_path,
            executor_person: self.executor_person,
            event_count: self.event_count,
            head_hash: self.head_hash,
            old_planned_date: date("planned_date", &self.planned_date)?,
            old_deadline: ts("deadline", self.deadline)?,
            passport_version: self.passport_version,
            standing: Standing::of(
                ts("deadline", self.deadline)?,
                self.actual_completion
                    .map(|c| ts("actual_completion", c))
                    .transpose()?,
                self.exec_org_id,
                self.service_id,
            )
            .with_history(&history),
            history,
            stored: StoredIndexed {
                exec_org_id: self.exec_org_id,
                effective_acceptance: self.effective_acceptance,
                nearing_at: self.nearing_at,
                flags: [self.suspended, self.overdue, self.nearing, self.pending],
            },
            dirty: false,
            deadline_dirty: false,
        })
    }
}

/// An event that passed every check, with what the history row needs.
pub(crate) struct NewEventRow {
    /// The application's internal key.
    pub app_id: i64,
    pub recorded: RecordedEvent,
    pub content_hash: String,
    pub signature: Option<SignatureEvidence>,
}

impl NewEventRow {
    /// The event's ledger entry.
    pub(crate) fn leaf(&self) -> crate::ledger::NewLeaf {
        crate::ledger::NewLeaf {
            app_id: self.app_id,
            number: self.recorded.number.as_i64(),
            seq: self.recorded.seq,
            event_id: Some(self.recorded.event.id.to_string()),
            chain_hash: self.recorded.chain_hash.clone(),
        }
    }
}

/// Head of the multi-row insert of signatures (`(app_id, seq, form, cms, report)` rows).
pub(crate) const SIGNATURE_INSERT: &str =
    "INSERT INTO event_signatures (app_id, seq, form, cms, report) ";

/// Keeps the signatures events arrived with (sqlx, either backend).
macro_rules! insert_signatures {
    ($tx:expr, $rows:expr) => {{
        let rows: &[(i64, i64, &$crate::models::SignatureEvidence)] = $rows;
        for chunk in rows.chunks($crate::ingest::CHUNK) {
            let mut qb = sqlx::QueryBuilder::new($crate::ingest::SIGNATURE_INSERT);
            qb.push_values(chunk, |mut b, (app_id, seq, s)| {
                b.push_bind(*app_id)
                    .push_bind(*seq)
                    .push_bind(s.form.clone())
                    .push_bind(s.cms.clone())
                    .push_bind(s.report.clone());
            });
            qb.build().execute(&mut *$tx).await?;
        }
        Ok::<_, $crate::StoreError>(())
    }};
}
pub(crate) use insert_signatures;

/// The signatures of fresh events, as rows.
pub(crate) fn signature_rows(fresh: &[NewEventRow]) -> Vec<(i64, i64, &SignatureEvidence)> {
    fresh
        .iter()
        .filter_map(|r| r.signature.as_ref().map(|s| (r.app_id, r.recorded.seq, s)))
        .collect()
}

/// Head of the multi-row projection update; the rows follow as `VALUES` (21 columns, in the
/// order of [`write_projections!`]), then [`PROJECTION_UPDATE_TAIL`].
pub(crate) const PROJECTION_UPDATE: &str = "UPDATE applications SET exec_org_id = v.column2, \
    registered_exec_org_id = COALESCE(registered_exec_org_id, \
    CASE WHEN exec_org_id <> v.column2 THEN exec_org_id END), exec_path = v.column3, executor_person = v.column4, effective_acceptance = v.column5, \
    planned_date = v.column6, deadline = v.column7, nearing_at = v.column8, \
    stage = v.column9, stage_no = v.column10, outcome = v.column11, \
    actual_completion = v.column12, closed_at = v.column13, suspended = v.column14, \
    overdue = v.column15, overdue_seconds = v.column16, nearing = v.column17, \
    pending = v.column18, event_count = v.column19, head_hash = v.column20, \
    updated_at = v.column21 FROM (";
pub(crate) const PROJECTION_UPDATE_TAIL: &str = ") AS v WHERE applications.id = v.column1";
/// The projection update of the rows whose indexed columns stay as stored
/// ([`AppState::quiet`]): 11 columns, in the order of [`write_projections!`]'s quiet rows.
pub(crate) const PROJECTION_UPDATE_QUIET: &str = "UPDATE applications SET \
    executor_person = v.column2, stage = v.column3, stage_no = v.column4, \
    outcome = v.column5, actual_completion = v.column6, closed_at = v.column7, \
    overdue_seconds = v.column8, event_count = v.column9, head_hash = v.column10, \
    updated_at = v.column11 FROM (";
/// Replaces derivations (rows of `(application key, derivation)`), which live apart from
/// the application row: they are long, read only with one application, and rewritten only
/// when the deadline's derivation changes (ADR 0004).
pub(crate) const DERIVATION_UPDATE: &str = "UPDATE application_derivations \
    SET derivation = v.column2 FROM (";
pub(crate) const DERIVATION_UPDATE_TAIL: &str =
    ") AS v WHERE application_derivations.app_id = v.column1";
/// Head of the multi-row history insert; the rows follow as `VALUES` ([`EVENT_COLUMNS`]).
pub(crate) const EVENT_INSERT: &str =
    "INSERT INTO events (app_id, id, number, seq, kind, stage, outcome, \
    reason, executor, executor_person, occurred_at, recorded_at, actor, content_hash, chain_hash, \
    ground, scan, office) ";
/// The columns of a row of [`EVENT_INSERT`].
pub(crate) const EVENT_COLUMNS: usize = 18;

/// The keys a batch touches, sorted and without duplicates.
pub(crate) struct BatchKeys {
    pub numbers: Vec<i64>,
    pub ids: Vec<String>,
    pub executor_codes: Vec<String>,
}

impl BatchKeys {
    pub(crate) fn of(items: &[IncomingEvent]) -> BatchKeys {
        let mut numbers: Vec<i64> = items.iter().map(|i| i.number.as_i64()).collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut ids: Vec<String> = items.iter().map(|i| i.event.id.to_string()).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut executor_codes: Vec<String> = items
            .iter()
            .filter_map(|i| match &i.event.kind {
                EventKind::ExecutorChanged { executor } => Some(executor.clone()),
                _ => None,
            })
            .collect();
        executor_codes.sort_unstable();
        executor_codes.dedup();
        BatchKeys {
            numbers,
            ids,
            executor_codes,
        }
    }
}

/// The states of applications read as `rows`, each with its events among `events` (read in
/// order of position).
pub(crate) fn states_of(
    rows: impl IntoIterator<Item = StateRow>,
    events: impl IntoIterator<Item = EventRow>,
) -> Result<HashMap<i64, AppState>> {
    let mut histories: HashMap<i64, Vec<EventRow>> = HashMap::new();
    for e in events {
        histories.entry(e.number).or_default().push(e);
    }
    rows.into_iter()
        .map(|row| {
            let n = row.number_key();
            Ok((n, row.into_state(histories.remove(&n).unwrap_or_default())?))
        })
        .collect()
}

/// Projects every application the batch changed.
pub(crate) fn project_dirty<'a>(
    states: &'a HashMap<i64, AppState>,
    calendar: &ProductionCalendar,
    now: Timestamp,
    nearing_fraction: f64,
) -> Vec<(&'a AppState, ProjectionRow)> {
    states
        .values()
        .filter(|s| s.dirty)
        .map(|s| {
            (
                s,
                project(
                    calendar,
                    &s.facts,
                    &s.history,
                    now,
                    nearing_fraction,
                    s.deadline_dirty,
                ),
            )
        })
        .collect()
}

/// Loads the states of the given applications (`numbers` ascending) with their histories
/// inside a transaction. `$lock` ([`Store::row_lock`]) locks their rows first, in ascending
/// number (the order of `contention.rs`), and the histories are read after the lock, so they
/// include every event committed before it. The events of any application whose ids are in
/// `$used` (a batch's new ids: is one taken already?) come back too, second, read by the same
/// statement as the first chunk's histories — one round trip less for a writer's batch.
macro_rules! load_states {
    ($tx:expr, $numbers:expr, $lock:expr, $used:expr) => {{
        let numbers: &[i64] = $numbers;
        let used: &[String] = $used;
        let wanted: std::collections::HashSet<&str> = used.iter().map(String::as_str).collect();
        let mut taken: Vec<$crate::rows::EventRow> = Vec::new();
        // Asked with the first chunk's histories, or alone when there is no history to read.
        let mut ask_used = !used.is_empty();
        debug_assert!(numbers.windows(2).all(|w| w[0] < w[1]));
        let mut states: std::collections::HashMap<i64, $crate::ingest::StateRow> =
            std::collections::HashMap::new();
        let mut events: Vec<$crate::rows::EventRow> = Vec::new();
        for chunk in numbers.chunks($crate::ingest::CHUNK) {
            let mut qb = sqlx::QueryBuilder::new(format!(
                "SELECT {} FROM applications WHERE number IN (",
                $crate::ingest::STATE_COLUMNS
            ));
            let mut sep = qb.separated(", ");
            for n in chunk {
                sep.push_bind(*n);
            }
            qb.push(") ORDER BY number");
            qb.push($lock);
            let mut ids: Vec<i64> = Vec::with_capacity(chunk.len());
            for row in qb
                .build_query_as::<$crate::ingest::StateRow>()
                .fetch_all(&mut *$tx)
                .await?
            {
                ids.push(row.id);
                states.insert(row.number_key(), row);
            }
            if ids.is_empty() {
                continue;
            }
            ids.sort_unstable();
            let mut qb = sqlx::QueryBuilder::new("SELECT * FROM events WHERE app_id IN (");
            let mut sep = qb.separated(", ");
            for id in &ids {
                sep.push_bind(*id);
            }
            qb.push(")");
            let with_used = ask_used && used.len() <= $crate::ingest::CHUNK;
            if with_used {
                qb.push(" OR id IN (");
                let mut sep = qb.separated(", ");
                for id in used {
                    sep.push_bind(id.clone());
                }
                qb.push(")");
                ask_used = false;
            }
            qb.push(" ORDER BY app_id, seq");
            // Only this chunk's histories: another application's event (an id taken) is not.
            let loaded: std::collections::HashSet<i64> = chunk.iter().copied().collect();
            for row in qb
                .build_query_as::<$crate::rows::EventRow>()
                .fetch_all(&mut *$tx)
                .await?
            {
                if with_used && wanted.contains(row.id.as_str()) {
                    taken.push(row.clone());
                }
                if loaded.contains(&row.number) {
                    events.push(row);
                }
            }
        }
        if ask_used {
            for chunk in used.chunks($crate::ingest::CHUNK) {
                let mut qb = sqlx::QueryBuilder::new("SELECT * FROM events WHERE id IN (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(id.clone());
                }
                qb.push(")");
                taken.extend(
                    qb.build_query_as::<$crate::rows::EventRow>()
                        .fetch_all(&mut *$tx)
                        .await?,
                );
            }
        }
        Ok::<_, $crate::StoreError>((
            $crate::ingest::states_of(states.into_values(), events)?,
            taken,
        ))
    }};
}
pub(crate) use load_states;

/// Writes recomputed projections of applications (one statement per chunk), and the report's
/// rollups they move.
macro_rules! write_projections {
    ($tx:expr, $rows:expr, $now:expr) => {{
        let rows: &[(
            &$crate::ingest::AppState,
            &$crate::projection::ProjectionRow,
        )] = $rows;
        $crate::ingest::write_projection_rows!($tx, rows, $now)?;
        $crate::rollup::write_rollups!($tx, &$crate::ingest::rollup_changes(rows))?;
        Ok::<_, $crate::StoreError>(())
    }};
}
pub(crate) use write_projections;

/// Writes recomputed projections of applications (one statement per chunk), not the rollups:
/// a writer that takes the rollups' locks later (shorter) writes them itself.
macro_rules! write_projection_rows {
    ($tx:expr, $rows:expr, $now:expr) => {{
        let rows: &[(
            &$crate::ingest::AppState,
            &$crate::projection::ProjectionRow,
        )] = $rows;
        let now_us: i64 = $crate::convert::us($now);
        let (quiet, moved): (Vec<_>, Vec<_>) = rows.iter().partition(|(s, p)| s.quiet(p));
        for chunk in quiet.chunks($crate::ingest::CHUNK) {
            let mut qb = sqlx::QueryBuilder::new($crate::ingest::PROJECTION_UPDATE_QUIET);
            qb.push_values(chunk.iter(), |mut b, (s, p)| {
                b.push_bind(s.id)
                    .push_bind(s.executor_person.clone())
                    .push_bind(p.stage.as_str())
                    .push_bind(i64::from(p.stage.number()))
                    .push_bind(p.outcome.map(|o| o.as_str()))
                    .push_bind(p.actual_completion.map($crate::convert::us))
                    .push_bind(p.closed_at.map($crate::convert::us))
                    .push_bind(p.overdue_seconds)
                    .push_bind(s.event_count)
                    .push_bind(s.head_hash.clone())
                    .push_bind(now_us);
            });
            qb.push($crate::ingest::PROJECTION_UPDATE_TAIL);
            qb.build().execute(&mut *$tx).await?;
        }
        for chunk in moved.chunks($crate::ingest::CHUNK) {
            let mut qb = sqlx::QueryBuilder::new($crate::ingest::PROJECTION_UPDATE);
            qb.push_values(chunk.iter(), |mut b, (s, p)| {
                b.push_bind(s.id)
                    .push_bind(s.exec_org_id)
                    .push_bind(s.exec_path.clone())
                    .push_bind(s.executor_person.clone())
                    .push_bind($crate::convert::us(p.effective_acceptance))
                    .push_bind(p.planned_date.to_string())
                    .push_bind($crate::convert::us(p.deadline))
                    .push_bind($crate::convert::us(p.nearing_at))
                    .push_bind(p.stage.as_str())
                    .push_bind(i64::from(p.stage.number()))
                    .push_bind(p.outcome.map(|o| o.as_str()))
                    .push_bind(p.actual_completion.map($crate::convert::us))
                    .push_bind(p.closed_at.map($crate::convert::us))
                    .push_bind(p.suspended)
                    .push_bind(p.overdue)
                    .push_bind(p.overdue_seconds)
                    .push_bind(p.nearing)
                    .push_bind(p.pending())
                    .push_bind(s.event_count)
                    .push_bind(s.head_hash.clone())
                    .push_bind(now_us);
            });
            qb.push($crate::ingest::PROJECTION_UPDATE_TAIL);
            qb.build().execute(&mut *$tx).await?;
        }
        let derived: Vec<(i64, &str)> = rows
            .iter()
            .filter_map(|(s, p)| p.derivation.as_deref().map(|d| (s.id, d)))
            .collect();
        for chunk in derived.chunks($crate::ingest::CHUNK) {
            let mut qb = sqlx::QueryBuilder::new($crate::ingest::DERIVATION_UPDATE);
            qb.push_values(chunk.iter(), |mut b, (id, d)| {
                b.push_bind(*id).push_bind(d.to_string());
            });
            qb.push($crate::ingest::DERIVATION_UPDATE_TAIL);
            qb.build().execute(&mut *$tx).await?;
        }
        Ok::<_, $crate::StoreError>(())
    }};
}
pub(crate) use write_projection_rows;

/// Appends recorded events (with their content hashes) to `events`, in multi-row statements.
macro_rules! insert_events {
    ($tx:expr, $rows:expr) => {{
        let rows: &[(i64, &$crate::models::RecordedEvent, &str)] = $rows;
        for chunk in rows.chunks($crate::ingest::CHUNK) {
            let mut qb = sqlx::QueryBuilder::new($crate::ingest::EVENT_INSERT);
            qb.push_values(chunk, |mut b, (app_id, e, hash)| {
                let (kind, stage, outcome, reason, executor) = $crate::ingest::event_columns(e);
                b.push_bind(*app_id)
                    .push_bind(e.event.id.to_string())
                    .push_bind(e.number.as_i64())
                    .push_bind(e.seq)
                    .push_bind(kind)
                    .push_bind(stage.map(str::to_string))
                    .push_bind(outcome.map(str::to_string))
                    .push_bind(reason.map(str::to_string))
                    .push_bind(executor.map(str::to_string))
                    .push_bind(e.executor_person.clone())
                    .push_bind($crate::convert::us(e.event.occurred_at))
                    .push_bind($crate::convert::us(e.recorded_at))
                    .push_bind(e.actor.clone())
                    .push_bind(hash.to_string())
                    .push_bind(e.chain_hash.clone())
                    .push_bind(e.event.kind.ground().map(str::to_string));
                let (scan, office) = $crate::ingest::scan_columns(e);
                b.push_bind(scan).push_bind(office.map(str::to_string));
            });
            // A used id is found before this (`decide`); a unique violation here is a race
            // with a concurrent transaction ([`crate::contention`]).
            qb.build().execute(&mut *$tx).await?;
        }
        Ok::<_, $crate::StoreError>(())
    }};
}
pub(crate) use insert_events;

impl StateRow {
    pub(crate) fn number_key(&self) -> i64 {
        self.number
    }
}

/// What a batch's items refer to and are checked against: the organizations its
/// reassignments name and who delivers each service of its applications (issue 16 B.5), and
/// the passports whose grounds its suspensions and refusals name (003 §17).
#[derive(Default)]
pub(crate) struct References {
    /// By code: the organization's id and path.
    pub named: HashMap<String, (i64, String)>,
    /// By service id: the path of the service's responsible organization.
    pub providers: HashMap<i64, String>,
    /// By (service id, version): the published passports of the applications whose items
    /// name a ground or must.
    pub passports: HashMap<PassportKey, Arc<Passport>>,
}

/// The passport versions a batch's grounds are checked against: those of the applications
/// with an item that names a ground or must name one.
pub(crate) fn passport_keys(
    items: &[IncomingEvent],
    states: &HashMap<i64, AppState>,
) -> Vec<PassportKey> {
    let mut keys: Vec<PassportKey> = items
        .iter()
        .filter(|i| i.event.kind.ground().is_some() || i.ground_required)
        .filter_map(|i| states.get(&i.number.as_i64()))
        .filter_map(|s| s.passport_version.map(|v| (s.standing.service_id, v)))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Whether `kind`'s ground (003 §17) fits the application's passport: a ground it names is
/// among the passport's grounds of its list (an application without a passport knows none);
/// none is named only where none is required or the passport lists none of that list.
fn check_ground(item: &IncomingEvent, passport: Option<&Passport>) -> Result<(), EventFailure> {
    let kind = &item.event.kind;
    let Some(list) = kind.ground_list() else {
        // A ground where none applies is the stage machine's refusal.
        return Ok(());
    };
    let suspension = list == GroundList::Suspension;
    match kind.ground() {
        Some(code) if passport.and_then(|p| p.ground(suspension, code)).is_none() => {
            Err(EventFailure::Invalid {
                field: "ground",
                code: "unknown_ground",
            })
        }
        None if item.ground_required
            && passport.is_some_and(|p| !p.grounds(suspension).is_empty()) =>
        {
            Err(EventFailure::Invalid {
                field: "ground",
                code: "required",
            })
        }
        _ => Ok(()),
    }
}

/// Decides every item of a batch against the loaded states. Pure: no I/O.
pub(crate) fn decide(
    items: &[IncomingEvent],
    states: &mut HashMap<i64, AppState>,
    known: &mut HashMap<String, (i64, String, RecordedEvent)>,
    refs: &References,
    scope: &Scope,
    actor: &str,
    now: Timestamp,
) -> (Vec<EventResult>, Vec<NewEventRow>) {
    let mut results = Vec::with_capacity(items.len());
    let mut fresh = Vec::new();
    for item in items {
        let number = item.number.as_i64();
        let content = chain::content_hash(number, &item.event, item.executor_person.as_deref());
        let id = item.event.id.to_string();
        if let Some((n, hash, recorded)) = known.get(&id) {
            results.push(if *n == number && *hash == content {
                Ok(recorded.clone())
            } else {
                Err(EventFailure::IdConflict)
            });
            continue;
        }
        let Some(state) = states
            .get_mut(&number)
            .filter(|s| scope.sees(&s.accept_path, &s.exec_path))
        else {
            results.push(Err(EventFailure::NotFound));
            continue;
        };
        let new_executor = match &item.event.kind {
            EventKind::ExecutorChanged { executor } => match refs.named.get(executor) {
                // The new executor delivers the service too (issue 16 B.5).
                Some((_, path))
                    if refs
                        .providers
                        .get(&state.standing.service_id)
                        .is_some_and(|provider| !path.starts_with(provider.as_str())) =>
                {
                    results.push(Err(EventFailure::Invalid {
                        field: "executor",
                        code: "executor_not_provider",
                    }));
                    continue;
                }
                Some(e) => Some(e.clone()),
                None => {
                    results.push(Err(EventFailure::Invalid {
                        field: "executor",
                        code: "unknown_organization",
                    }));
                    continue;
                }
            },
            // Only an application accepted at the State Corporation with its documents on paper
            // has a package (001 §15.9, §25). (The office is the caller's to check.)
            EventKind::Scanned { .. } if !state.facts.paper_via_state_corp => {
                results.push(Err(EventFailure::Invalid {
                    field: "barcode",
                    code: "no_package",
                }));
                continue;
            }
            _ => None,
        };
        let passport = state
            .passport_version
            .and_then(|v| refs.passports.get(&(state.standing.service_id, v)));
        if let Err(f) = check_ground(item, passport.map(|p| p.as_ref())) {
            results.push(Err(f));
            continue;
        }
        if let Err(r) = state.history.push(item.event.clone()) {
            results.push(Err(EventFailure::Rejected(r)));
            continue;
        }
        if let Some((org_id, path)) = new_executor {
            state.exec_org_id = org_id;
            state.exec_path = path;
            state.executor_person = item.executor_person.clone();
        }
        let recorded = append(state, item, content, actor, now, known, &mut fresh);
        // A scan that stands for a stage records it too, when the history has not reached
        // it (001 §15.9: no second entry). Its id is derived from the scan's, so a retried
        // scan finds both.
        if let Some(stage) = stage_of_scan(&state.history, &item.event) {
            let companion = IncomingEvent {
                number: item.number,
                event: stage,
                executor_person: None,
                signature: None,
                ground_required: false,
            };
            if state.history.push(companion.event.clone()).is_ok() {
                let content = chain::content_hash(
                    number,
                    &companion.event,
                    companion.executor_person.as_deref(),
                );
                append(state, &companion, content, actor, now, known, &mut fresh);
            }
        }
        results.push(Ok(recorded));
    }
    (results, fresh)
}

/// Appends an admitted event (already pushed on the history) to the application's chain.
fn append(
    state: &mut AppState,
    item: &IncomingEvent,
    content: String,
    actor: &str,
    now: Timestamp,
    known: &mut HashMap<String, (i64, String, RecordedEvent)>,
    fresh: &mut Vec<NewEventRow>,
) -> RecordedEvent {
    state.event_count += 1;
    state.head_hash = chain::link(&state.head_hash, &content, now);
    state.dirty = true;
    state.deadline_dirty |= matches!(
        item.event.kind,
        EventKind::Suspended { .. } | EventKind::Resumed { .. }
    );
    let recorded = RecordedEvent {
        number: item.number,
        seq: state.event_count,
        event: item.event.clone(),
        executor_person: item.executor_person.clone(),
        recorded_at: now,
        actor: actor.to_string(),
        chain_hash: state.head_hash.clone(),
    };
    known.insert(
        item.event.id.to_string(),
        (item.number.as_i64(), content.clone(), recorded.clone()),
    );
    fresh.push(NewEventRow {
        app_id: state.id,
        recorded: recorded.clone(),
        content_hash: content,
        signature: item.signature.clone(),
    });
    recorded
}

/// The stage event a just-recorded scan stands for, if the history has not reached that
/// stage: handed to the provider ⇒ sent for execution, issued ⇒ closed as issued (001 §15.9).
fn stage_of_scan(history: &History, scan: &Event) -> Option<Event> {
    let EventKind::Scanned { scan: kind, .. } = scan.kind else {
        return None;
    };
    let (stage, outcome) = qyzmet_domain::front_office::package::stage_of(kind)?;
    if history.stage() >= stage || history.closed_at().is_some() {
        return None;
    }
    Some(Event {
        id: companion_id(scan.id),
        occurred_at: scan.occurred_at,
        kind: EventKind::Stage {
            stage,
            outcome,
            reason: None,
            ground: None,
        },
    })
}

/// The id of the stage event a scan stands for: derived from the scan's id (SHA-256, as a
/// version-8 UUID), so it is the same on every replay and never a client's id.
fn companion_id(scan: uuid::Uuid) -> uuid::Uuid {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest([b"qyzmet-scan-stage:".as_slice(), scan.as_bytes()].concat());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// The package scan's columns (001 §15.9): its kind and the office, on a `scanned` event.
pub(crate) fn scan_columns(e: &RecordedEvent) -> (Option<&'static str>, Option<&str>) {
    match &e.event.kind {
        EventKind::Scanned { scan, office } => (Some(scan.as_str()), Some(office.as_str())),
        _ => (None, None),
    }
}

pub(crate) fn event_columns(
    e: &RecordedEvent,
) -> (
    &'static str,
    Option<&str>,
    Option<&str>,
    Option<&str>,
    Option<&str>,
) {
    match &e.event.kind {
        EventKind::Stage {
            stage,
            outcome,
            reason,
            ..
        } => (
            "stage",
            Some(stage.as_str()),
            outcome.map(|o| o.as_str()),
            reason.as_deref(),
            None,
        ),
        EventKind::Suspended { reason, .. } => {
            ("suspended", None, None, Some(reason.as_str()), None)
        }
        EventKind::Resumed { reason } => ("resumed", None, None, reason.as_deref(), None),
        EventKind::ExecutorChanged { executor } => (
            "executor_changed",
            None,
            None,
            None,
            Some(executor.as_str()),
        ),
        EventKind::Scanned { .. } => ("scanned", None, None, None, None),
    }
}

/// The unique index a concurrent batch can win: the same event id for another application.
const EVENT_RACES: &[&str] = &["events_id_key"];

impl Store {
    /// Applies a batch of events atomically: every valid item is recorded, every invalid one
    /// gets its reason, and a retried id returns its first result without writing — under
    /// any interleaving with other writers (`contention.rs`). Deadlines are computed with
    /// the calendar stored when the batch is applied (`calendar.rs`).
    #[tracing::instrument(skip_all, fields(items = items.len()))]
    pub async fn apply_events(
        &self,
        items: &[IncomingEvent],
        scope: &Scope,
        actor: &str,
        now: Timestamp,
        nearing_fraction: f64,
    ) -> Result<Vec<EventResult>> {
        if items.is_empty() {
            return Ok(vec![]);
        }
        let keys = BatchKeys::of(items);
        let db = match self {
            Store::Sqlite(db) => {
                let (items, scope, actor, calendars, passports) = (
                    items.to_vec(),
                    scope.clone(),
                    actor.to_string(),
                    db.calendars.clone(),
                    db.passports.clone(),
                );
                return db
                    .native
                    .write(&db.write, move |tx| {
                        crate::native::ingest::apply(
                            tx,
                            &items,
                            &keys,
                            &scope,
                            &actor,
                            &calendars,
                            &passports,
                            now,
                            nearing_fraction,
                        )
                    })
                    .await;
            }
            Store::Postgres(db) => db,
        };
        let batch = batch::Batch {
            items,
            keys: &keys,
            scope,
            actor,
            now,
            nearing_fraction,
        };
        crate::contention::retrying!(
            "apply_events",
            EVENT_RACES,
            batch.apply(
                &db.pool,
                &db.calendars,
                &db.passports,
                self.calendar_shared()
            )
        )
    }
}
