//! Recomputing an application's projection from its facts and history: the deadline (rules
//! 3–9, with suspensions), the current stage, completion, overdue and nearing (000 §10–11).
//! Pure: the backends call it inside the transaction that records the change.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use qyzmet_domain::deadline::{self, Deadline, DeadlineRules};
use qyzmet_domain::stage::{History, Outcome, Projection, Stage};
use qyzmet_domain::{ProductionCalendar, Term, WorkingHours};

/// The facts of an application that the deadline depends on.
#[derive(Debug, Clone)]
pub struct DeadlineFacts {
    pub accepted_at: Timestamp,
    pub term: Term,
    pub acceptance_day_counted: bool,
    pub paper_via_state_corp: bool,
    pub working_hours: WorkingHours,
}

impl DeadlineFacts {
    pub fn rules(&self) -> DeadlineRules {
        DeadlineRules {
            acceptance_day_counted: self.acceptance_day_counted,
            paper_via_state_corp: self.paper_via_state_corp,
            working_hours: self.working_hours,
        }
    }
}

/// The stored projection columns of an application.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionRow {
    pub effective_acceptance: Timestamp,
    pub planned_date: Date,
    pub deadline: Timestamp,
    /// The derivation as JSON, when asked for: only a suspension or a calendar change can
    /// change it, so stage events leave the stored one as it is.
    pub derivation: Option<String>,
    /// When the application becomes "nearing" if still pending then.
    pub nearing_at: Timestamp,
    pub stage: Stage,
    pub outcome: Option<Outcome>,
    pub actual_completion: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub suspended: bool,
    pub overdue: bool,
    pub overdue_seconds: i64,
    pub nearing: bool,
}

impl ProjectionRow {
    pub fn pending(&self) -> bool {
        self.actual_completion.is_none()
    }
}

/// Computes the deadline and projection of an application from scratch.
pub fn project(
    calendar: &ProductionCalendar,
    facts: &DeadlineFacts,
    history: &History,
    now: Timestamp,
    nearing_fraction: f64,
    with_derivation: bool,
) -> ProjectionRow {
    let deadline: Deadline = deadline::compute(
        calendar,
        facts.accepted_at,
        facts.term,
        &facts.rules(),
        &history.suspensions(),
    );
    let p: Projection = history.project(&deadline, now, nearing_fraction);
    let derivation = with_derivation.then(|| {
        serde_json::to_string(&deadline.derivation).unwrap_or_else(|_| String::from("{}"))
    });
    ProjectionRow {
        effective_acceptance: deadline.effective_acceptance,
        planned_date: deadline.planned_date,
        deadline: deadline.deadline,
        derivation,
        nearing_at: nearing_at(
            deadline.effective_acceptance,
            deadline.deadline,
            nearing_fraction,
        ),
        stage: p.stage,
        outcome: p.outcome,
        actual_completion: p.actual_completion,
        closed_at: p.closed_at,
        suspended: p.suspended,
        overdue: p.overdue,
        overdue_seconds: p.overdue_seconds,
        nearing: p.nearing,
    }
}

/// The moment `fraction` of the window [effective acceptance, deadline] has elapsed.
pub fn nearing_at(start: Timestamp, deadline: Timestamp, fraction: f64) -> Timestamp {
    let window = deadline.duration_since(start);
    let elapsed = SignedDuration::from_secs_f64(window.as_secs_f64() * fraction.clamp(0.0, 1.0));
    start.checked_add(elapsed).unwrap_or(deadline)
}
