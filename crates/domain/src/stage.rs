//! The six stages of an application (000 §6) as a state machine over its event history:
//! which events are admissible (stages only move forward, suspensions alternate, nothing after
//! closure), and the projection that the rest of the system reads (current stage, completion,
//! suspension, overdue and nearing under MISSION "Deadline rules" 8–9).
//!
//! Events are placed by `occurred_at`, not by arrival: late and out-of-order events are
//! admitted when they fit. Every constraint between stage events, and between stage events
//! and the rest, is pairwise, so any subset of a consistent history is consistent and those
//! events can arrive in any order. Only the alternation of `suspended`/`resumed` depends on
//! what came before: a `resumed` that arrives before its `suspended` is refused and succeeds
//! when re-sent after it.

use crate::deadline::{Deadline, Suspension};
use crate::front_office::package::{self, Scan};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A stage of 000 §6, in order 1–6. `Ord` follows the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 1. Accepted from the applicant (қабылданды / принято).
    Accepted,
    /// 2. Sent for execution (орындауға жіберілді / отправлено на исполнение).
    SentForExecution,
    /// 3. Taken into work (жұмысқа қабылданды / принято в работу).
    TakenIntoWork,
    /// 4. Executed: work on the application completed (орындалды / исполнено).
    Executed,
    /// 5. Ready for issue (беруге дайын / готово к выдаче).
    ReadyForIssue,
    /// 6. Closed: issued or refused (жабылды / закрыто).
    Closed,
}

impl Stage {
    /// All stages in order.
    pub const ALL: [Stage; 6] = [
        Stage::Accepted,
        Stage::SentForExecution,
        Stage::TakenIntoWork,
        Stage::Executed,
        Stage::ReadyForIssue,
        Stage::Closed,
    ];

    /// The snake_case name, as stored and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Accepted => "accepted",
            Stage::SentForExecution => "sent_for_execution",
            Stage::TakenIntoWork => "taken_into_work",
            Stage::Executed => "executed",
            Stage::ReadyForIssue => "ready_for_issue",
            Stage::Closed => "closed",
        }
    }

    /// The number of the stage in 000 §6, 1–6.
    pub fn number(self) -> u8 {
        self.index() as u8 + 1
    }

    /// The stage with number `n` (1–6).
    pub fn from_number(n: u8) -> Option<Stage> {
        Stage::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// Whether reaching this stage completes the application (rule 8: stage 4 or later).
    pub fn completes(self) -> bool {
        self >= Stage::Executed
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown stage or outcome name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {name:?}")]
pub struct UnknownName {
    /// "stage" or "outcome".
    pub what: &'static str,
    /// The name given.
    pub name: String,
}

impl FromStr for Stage {
    type Err = UnknownName;

    /// Accepts the snake_case names, the kebab-case spelling, and the numbers 1–6.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace('-', "_");
        Stage::ALL
            .into_iter()
            .find(|st| st.as_str() == norm || norm == st.number().to_string())
            .ok_or_else(|| UnknownName {
                what: "stage",
                name: s.to_owned(),
            })
    }
}

/// How a closed application ended (000 §6, stage 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The result was issued (берілді / выдано).
    Issued,
    /// The service was refused (бас тартылды / отказано); needs a reason.
    Refused,
}

impl Outcome {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Issued => "issued",
            Outcome::Refused => "refused",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Outcome {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "issued" => Ok(Outcome::Issued),
            "refused" => Ok(Outcome::Refused),
            _ => Err(UnknownName {
                what: "outcome",
                name: s.to_owned(),
            }),
        }
    }
}

/// What happened to an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// A stage was reached. `outcome` only (and always) on `closed`; `reason` is required for
    /// a refusal and is a free note otherwise; `ground`, the code of a refusal ground of the
    /// service's passport (003 §17), only on a refusal.
    Stage {
        stage: Stage,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outcome: Option<Outcome>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ground: Option<String>,
    },
    /// The clock stopped on a ground allowed by the service standard (003 §17, rule 9):
    /// `ground` is its code in the passport's suspension grounds, when given.
    Suspended {
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ground: Option<String>,
    },
    /// The clock restarted.
    Resumed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// A new executor took the application (000 §7).
    ExecutorChanged { executor: String },
    /// The application's paper package was scanned (001 §15.9, ADR 0021) at `office` (an
    /// organization's code): a handover, in the order of [`crate::front_office::package`].
    Scanned { scan: Scan, office: String },
}

/// One admitted event of an application's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The event's id (idempotency key of the storage layer).
    pub id: uuid::Uuid,
    /// When it happened (not when it arrived).
    pub occurred_at: Timestamp,
    /// What happened.
    pub kind: EventKind,
}

/// A non-stage event kind, named in a [`Rejection`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordedKind {
    /// A `suspended` event.
    Suspended,
    /// A `resumed` event.
    Resumed,
    /// An `executor_changed` event.
    ExecutorChanged,
}

impl EventKind {
    /// A plain stage (no outcome, reason or ground).
    pub fn stage(stage: Stage) -> EventKind {
        EventKind::Stage {
            stage,
            outcome: None,
            reason: None,
            ground: None,
        }
    }

    /// A suspension without a ground code.
    pub fn suspended(reason: impl Into<String>) -> EventKind {
        EventKind::Suspended {
            reason: reason.into(),
            ground: None,
        }
    }

    /// The ground code the event names (003 §17), if any.
    pub fn ground(&self) -> Option<&str> {
        match self {
            EventKind::Stage { ground, .. } | EventKind::Suspended { ground, .. } => {
                ground.as_deref()
            }
            _ => None,
        }
    }

    /// Which list of the passport's grounds this event's ground belongs to: the suspension
    /// grounds, the refusal grounds, or none (a ground is not applicable to it).
    pub fn ground_list(&self) -> Option<GroundList> {
        match self {
            EventKind::Suspended { .. } => Some(GroundList::Suspension),
            EventKind::Stage {
                stage: Stage::Closed,
                outcome: Some(Outcome::Refused),
                ..
            } => Some(GroundList::Refusal),
            _ => None,
        }
    }
}

/// The two lists of grounds of a passport (003 §17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroundList {
    /// Grounds for suspending the service.
    Suspension,
    /// Grounds for refusing it.
    Refusal,
}

impl RecordedKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordedKind::Suspended => "suspended",
            RecordedKind::Resumed => "resumed",
            RecordedKind::ExecutorChanged => "executor_changed",
        }
    }

    fn of(kind: &EventKind) -> Option<RecordedKind> {
        match kind {
            EventKind::Stage { .. } => None,
            EventKind::Suspended { .. } => Some(RecordedKind::Suspended),
            EventKind::Resumed { .. } => Some(RecordedKind::Resumed),
            EventKind::ExecutorChanged { .. } => Some(RecordedKind::ExecutorChanged),
            // A handover of paper may follow the closure (the result is issued, or returned
            // unclaimed, after the provider closed it).
            EventKind::Scanned { .. } => None,
        }
    }
}

impl fmt::Display for RecordedKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a missing reason was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonSubject {
    /// A `closed` stage with outcome `refused`.
    Refusal,
    /// A `suspended` event.
    Suspension,
}

impl fmt::Display for ReasonSubject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReasonSubject::Refusal => "refusal",
            ReasonSubject::Suspension => "suspension",
        })
    }
}

/// Why an event does not fit the history. Each variant carries the facts (the conflicting
/// stage and its time) so the API can explain in kk/ru/en; `code()` is the stable key, and
/// the serde form is `{"code": "...", ...facts}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Rejection {
    /// A `closed` stage without an outcome.
    #[error("closing an application needs an outcome: issued or refused")]
    OutcomeRequired,
    /// An outcome on a stage other than `closed`.
    #[error("an outcome ({outcome}) is only allowed on the closed stage, not on {stage}")]
    OutcomeNotAllowed { stage: Stage, outcome: Outcome },
    /// A refusal or a suspension without a (non-blank) reason.
    #[error("a {subject} needs a reason")]
    ReasonRequired { subject: ReasonSubject },
    /// A change of executor without a (non-blank) executor.
    #[error("a change of executor needs the executor")]
    ExecutorRequired,
    /// A ground (003 §17) on an event that is neither a suspension nor a refusal.
    #[error("a ground is only given with a suspension or a refusal")]
    GroundNotApplicable,
    /// Dated before the application was accepted.
    #[error("the event at {at} is dated before the acceptance at {accepted_at}")]
    BeforeAcceptance {
        at: Timestamp,
        accepted_at: Timestamp,
    },
    /// The stage is already recorded (`accepted` always is: registration records it).
    #[error("stage {stage} is already recorded, at {recorded_at}")]
    AlreadyRecorded {
        stage: Stage,
        recorded_at: Timestamp,
    },
    /// Dated after the application was closed.
    #[error("the event at {at} is dated after the closure at {closed_at}")]
    AfterClosure { at: Timestamp, closed_at: Timestamp },
    /// Stages never go back: the stage would be dated before an earlier stage or after a
    /// later one. `conflicting_stage` says which, `conflicting_at` when it was recorded.
    #[error(
        "stage {stage} at {at} conflicts with stage {conflicting_stage} recorded at \
         {conflicting_at}: stages never go back"
    )]
    OutOfOrder {
        stage: Stage,
        at: Timestamp,
        conflicting_stage: Stage,
        conflicting_at: Timestamp,
    },
    /// A suspension while already suspended at that time.
    #[error("the application is already suspended at {at}, since {since}")]
    AlreadySuspended { at: Timestamp, since: Timestamp },
    /// A resumption while not suspended at that time.
    #[error("the application is not suspended at {at}: nothing to resume")]
    NotSuspended { at: Timestamp },
    /// A suspension at or after the actual completion (stage 4 or later, rule 8).
    #[error("no suspension at {at}: the application was completed at {completed_at}")]
    AfterCompletion {
        at: Timestamp,
        completed_at: Timestamp,
    },
    /// A completing or closing stage dated before a recorded event that may not follow it
    /// (a suspension after completion, anything after closure).
    #[error(
        "stage {stage} at {at} would precede the recorded {recorded} event at {recorded_at}, \
         which cannot follow it"
    )]
    PrecedesRecorded {
        stage: Stage,
        at: Timestamp,
        recorded: RecordedKind,
        recorded_at: Timestamp,
    },
    /// The package was already scanned so (a second reader, a retry): nothing more recorded.
    #[error("the package was already scanned as {scan}")]
    ScanAlready { scan: Scan },
    /// Not the package's next handover: `expected` lists what may come now (empty: its way
    /// is over).
    #[error("the package cannot be scanned as {scan} now")]
    ScanOutOfOrder { scan: Scan, expected: Vec<Scan> },
}

impl Rejection {
    /// The stable machine code (the serde tag).
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::OutcomeRequired => "outcome_required",
            Rejection::OutcomeNotAllowed { .. } => "outcome_not_allowed",
            Rejection::ReasonRequired { .. } => "reason_required",
            Rejection::ExecutorRequired => "executor_required",
            Rejection::GroundNotApplicable => "ground_not_applicable",
            Rejection::BeforeAcceptance { .. } => "before_acceptance",
            Rejection::AlreadyRecorded { .. } => "already_recorded",
            Rejection::AfterClosure { .. } => "after_closure",
            Rejection::OutOfOrder { .. } => "out_of_order",
            Rejection::AlreadySuspended { .. } => "already_suspended",
            Rejection::NotSuspended { .. } => "not_suspended",
            Rejection::AfterCompletion { .. } => "after_completion",
            Rejection::PrecedesRecorded { .. } => "precedes_recorded",
            Rejection::ScanAlready { .. } => "scan_already",
            Rejection::ScanOutOfOrder { .. } => "scan_out_of_order",
        }
    }
}

/// What the rest of the system reads about an application: the fold of its history against
/// its deadline at a moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// The highest stage recorded.
    pub stage: Stage,
    /// Set once closed.
    pub outcome: Option<Outcome>,
    /// The reason of a refusal.
    pub refusal_reason: Option<String>,
    /// The latest `executor_changed`; `None` if never changed.
    pub executor: Option<String>,
    /// The first time the application reached `executed` or later (rule 8).
    pub actual_completion: Option<Timestamp>,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
    /// Suspended now (an open suspension): the clock is stopped.
    pub suspended: bool,
    /// Rule 8: completed after the deadline, or still open and past it. While suspended the
    /// clock stands at the suspension's start.
    pub overdue: bool,
    /// (Completion, suspension start or now) minus the deadline, in whole seconds rounded
    /// up, never below 0. Positive exactly when `overdue`.
    pub overdue_seconds: i64,
    /// Open, running, not overdue, and at least `nearing_fraction` of the term has elapsed.
    pub nearing: bool,
}

/// The events of one application, ordered by `occurred_at` (ties: insertion order), with the
/// registration (stage `accepted` at `accepted_at`) held apart.
///
/// Ties only matter for a `suspended` and a `resumed` at the same instant and for two
/// executor changes at the same instant; everything else is independent of arrival order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    accepted_at: Timestamp,
    events: Vec<Event>,
    /// When each stage was reached, by stage index; index 0 is the registration.
    stages: [Option<Timestamp>; 6],
}

impl History {
    /// A new application, registered (stage `accepted`) at `accepted_at`.
    pub fn new(accepted_at: Timestamp) -> Self {
        let mut stages = [None; 6];
        stages[0] = Some(accepted_at);
        History {
            accepted_at,
            events: Vec::new(),
            stages,
        }
    }

    /// Loads trusted, already-admitted events (from storage, in any order) without checking
    /// them. A stage recorded twice keeps its earliest time.
    pub fn from_events(accepted_at: Timestamp, mut events: Vec<Event>) -> Self {
        // Stable: ties keep the order given, which storage supplies as insertion order.
        events.sort_by_key(|e| e.occurred_at);
        let mut h = History::new(accepted_at);
        for e in &events {
            if let EventKind::Stage { stage, .. } = e.kind {
                let slot = &mut h.stages[stage.index()];
                if slot.is_none() {
                    *slot = Some(e.occurred_at);
                }
            }
        }
        h.events = events;
        h
    }

    /// When the application was registered.
    pub fn accepted_at(&self) -> Timestamp {
        self.accepted_at
    }

    /// The events in time order (registration excluded).
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// When each stage was reached, in stage order (`None`: not recorded, or skipped).
    /// `[0]` is the acceptance.
    pub fn stage_times(&self) -> [Option<Timestamp>; 6] {
        self.stages
    }

    /// The highest stage recorded.
    pub fn stage(&self) -> Stage {
        Stage::ALL
            .into_iter()
            .rev()
            .find(|s| self.stages[s.index()].is_some())
            .unwrap_or(Stage::Accepted)
    }

    /// The actual completion (rule 8): the first time stage 4 or later was reached. Stage
    /// times rise with the stage, so it is the time of the lowest such stage recorded.
    pub fn completion(&self) -> Option<Timestamp> {
        self.stages[Stage::Executed.index()..]
            .iter()
            .find_map(|t| *t)
    }

    /// When the application was closed.
    pub fn closed_at(&self) -> Option<Timestamp> {
        self.stages[Stage::Closed.index()]
    }

    /// Whether `ev` would be consistent with the history. Does not change it.
    pub fn admit(&self, ev: &Event) -> Result<(), Rejection> {
        let at = ev.occurred_at;
        if ev.kind.ground().is_some() && ev.kind.ground_list().is_none() {
            return Err(Rejection::GroundNotApplicable);
        }
        match &ev.kind {
            EventKind::Stage {
                stage,
                outcome,
                reason,
                ..
            } => self.admit_stage(*stage, *outcome, reason.as_deref(), at),
            EventKind::Suspended { reason, .. } => {
                if reason.trim().is_empty() {
                    return Err(Rejection::ReasonRequired {
                        subject: ReasonSubject::Suspension,
                    });
                }
                self.check_open_at(at)?;
                if let Some(completed_at) = self.completion() {
                    if at >= completed_at {
                        return Err(Rejection::AfterCompletion { at, completed_at });
                    }
                }
                match self.suspended_since(at) {
                    Some(since) => Err(Rejection::AlreadySuspended { at, since }),
                    None => Ok(()),
                }
            }
            EventKind::Resumed { .. } => {
                self.check_open_at(at)?;
                // A resumption after completion is allowed (it only records the fact): the
                // completion already ended the suspension for the clock.
                match self.suspended_since(at) {
                    Some(_) => Ok(()),
                    None => Err(Rejection::NotSuspended { at }),
                }
            }
            EventKind::ExecutorChanged { executor } => {
                if executor.trim().is_empty() {
                    return Err(Rejection::ExecutorRequired);
                }
                self.check_open_at(at)
            }
            EventKind::Scanned { scan, .. } => {
                if at < self.accepted_at {
                    return Err(Rejection::BeforeAcceptance {
                        at,
                        accepted_at: self.accepted_at,
                    });
                }
                let done = self.scans();
                let whereabouts = package::replay(&done).unwrap_or(package::Whereabouts::AtOffice);
                package::after(whereabouts, &done, *scan)
                    .map(|_| ())
                    .map_err(|refused| match refused {
                        package::ScanRefused::Already => Rejection::ScanAlready { scan: *scan },
                        package::ScanRefused::OutOfOrder { expected } => {
                            Rejection::ScanOutOfOrder {
                                scan: *scan,
                                expected,
                            }
                        }
                    })
            }
        }
    }

    /// The package's scans so far, in time order (001 §15.9).
    pub fn scans(&self) -> Vec<Scan> {
        self.events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Scanned { scan, .. } => Some(scan),
                _ => None,
            })
            .collect()
    }

    /// Where the package is after its scans (001 §15.9).
    pub fn whereabouts(&self) -> package::Whereabouts {
        package::replay(&self.scans()).unwrap_or(package::Whereabouts::AtOffice)
    }

    /// Admits `ev` and inserts it in time order (after any events at the same time).
    pub fn push(&mut self, ev: Event) -> Result<(), Rejection> {
        self.admit(&ev)?;
        if let EventKind::Stage { stage, .. } = ev.kind {
            self.stages[stage.index()] = Some(ev.occurred_at);
        }
        let pos = self
            .events
            .partition_point(|e| e.occurred_at <= ev.occurred_at);
        self.events.insert(pos, ev);
        Ok(())
    }

    /// The suspensions that ended, in time order: each runs from `suspended` to `resumed`,
    /// or to the actual completion when that came first (the clock stops for good then).
    /// These are what the deadline is extended by (rule 9).
    pub fn suspensions(&self) -> Vec<Suspension> {
        let mut out = Vec::new();
        let open = self.walk_suspensions(|s| out.push(s));
        if let (Some(from), Some(until)) = (open, self.completion()) {
            out.push(Suspension { from, until });
        }
        out
    }

    /// The start of the suspension in force now, if any (never once completed).
    pub fn open_suspension(&self) -> Option<Timestamp> {
        let open = self.walk_suspensions(|_| {});
        open.filter(|_| self.completion().is_none())
    }

    /// Folds the history against `deadline` at `now`. `nearing_fraction` is the fraction of
    /// the term (effective acceptance to deadline) elapsed at which `nearing` starts; callers
    /// use 0.8, "the last 20%".
    pub fn project(
        &self,
        deadline: &Deadline,
        now: Timestamp,
        nearing_fraction: f64,
    ) -> Projection {
        let mut outcome = None;
        let mut refusal_reason = None;
        let mut executor = None;
        for e in &self.events {
            match &e.kind {
                EventKind::Stage {
                    stage: Stage::Closed,
                    outcome: o,
                    reason,
                    ..
                } if outcome.is_none() => {
                    outcome = *o;
                    if *o == Some(Outcome::Refused) {
                        refusal_reason = reason.clone();
                    }
                }
                EventKind::ExecutorChanged { executor: x } => executor = Some(x),
                _ => {}
            }
        }
        let actual_completion = self.completion();
        let open = self.open_suspension();
        // The clock stands at completion, or at the start of the suspension in force.
        let measured = actual_completion.or(open).unwrap_or(now);
        let overdue_seconds = ceil_seconds(measured, deadline.deadline).max(0);
        let overdue = overdue_seconds > 0;
        let nearing = actual_completion.is_none() && open.is_none() && !overdue && {
            let span = deadline
                .deadline
                .duration_since(deadline.effective_acceptance)
                .as_secs_f64();
            let elapsed = now
                .duration_since(deadline.effective_acceptance)
                .as_secs_f64();
            elapsed >= nearing_fraction * span
        };
        Projection {
            stage: self.stage(),
            outcome,
            refusal_reason,
            executor: executor.cloned(),
            actual_completion,
            closed_at: self.closed_at(),
            suspended: open.is_some(),
            overdue,
            overdue_seconds,
            nearing,
        }
    }

    fn admit_stage(
        &self,
        stage: Stage,
        outcome: Option<Outcome>,
        reason: Option<&str>,
        at: Timestamp,
    ) -> Result<(), Rejection> {
        match (stage, outcome) {
            (Stage::Closed, None) => return Err(Rejection::OutcomeRequired),
            (Stage::Closed, Some(Outcome::Refused))
                if reason.is_none_or(|r| r.trim().is_empty()) =>
            {
                return Err(Rejection::ReasonRequired {
                    subject: ReasonSubject::Refusal,
                })
            }
            (Stage::Closed, Some(_)) => {}
            (_, Some(outcome)) => return Err(Rejection::OutcomeNotAllowed { stage, outcome }),
            (_, None) => {}
        }
        if at < self.accepted_at {
            return Err(Rejection::BeforeAcceptance {
                at,
                accepted_at: self.accepted_at,
            });
        }
        if let Some(recorded_at) = self.stages[stage.index()] {
            return Err(Rejection::AlreadyRecorded { stage, recorded_at });
        }
        if let Some(closed_at) = self.closed_at() {
            if at > closed_at {
                return Err(Rejection::AfterClosure { at, closed_at });
            }
        }
        // Stage times rise with the stage, so the nearest recorded stage on each side is the
        // binding one.
        let i = stage.index();
        let earlier = (0..i).rev().find_map(|j| self.stages[j].map(|t| (j, t)));
        let later = (i + 1..6).find_map(|j| self.stages[j].map(|t| (j, t)));
        // Both cannot conflict at once: the earlier stage's time is at most the later one's.
        let conflict = earlier
            .filter(|&(_, t)| at < t)
            .or(later.filter(|&(_, t)| at > t));
        if let Some((j, t)) = conflict {
            return Err(Rejection::OutOfOrder {
                stage,
                at,
                conflicting_stage: Stage::ALL[j],
                conflicting_at: t,
            });
        }
        // A new, earlier completion: no suspension may start at or after it.
        if stage.completes() && self.completion().is_none_or(|c| at < c) {
            if let Some(e) = self
                .events
                .iter()
                .find(|e| matches!(e.kind, EventKind::Suspended { .. }) && e.occurred_at >= at)
            {
                return Err(Rejection::PrecedesRecorded {
                    stage,
                    at,
                    recorded: RecordedKind::Suspended,
                    recorded_at: e.occurred_at,
                });
            }
        }
        // A closure: nothing may follow it.
        if stage == Stage::Closed {
            if let Some((kind, e)) = self
                .events
                .iter()
                .rev()
                .take_while(|e| e.occurred_at > at)
                .find_map(|e| RecordedKind::of(&e.kind).map(|k| (k, e)))
            {
                return Err(Rejection::PrecedesRecorded {
                    stage,
                    at,
                    recorded: kind,
                    recorded_at: e.occurred_at,
                });
            }
        }
        Ok(())
    }

    /// Non-stage events: not before acceptance, not after closure.
    fn check_open_at(&self, at: Timestamp) -> Result<(), Rejection> {
        if at < self.accepted_at {
            return Err(Rejection::BeforeAcceptance {
                at,
                accepted_at: self.accepted_at,
            });
        }
        match self.closed_at() {
            Some(closed_at) if at > closed_at => Err(Rejection::AfterClosure { at, closed_at }),
            _ => Ok(()),
        }
    }

    /// Whether the recorded suspensions leave the application suspended at `at` (counting
    /// events at `at` itself, since a new event goes after them), and since when.
    fn suspended_since(&self, at: Timestamp) -> Option<Timestamp> {
        let mut since = None;
        for e in self.events.iter().take_while(|e| e.occurred_at <= at) {
            match e.kind {
                EventKind::Suspended { .. } => since = since.or(Some(e.occurred_at)),
                EventKind::Resumed { .. } => since = None,
                _ => {}
            }
        }
        since
    }

    /// Walks suspensions in time order up to the completion, reporting each one closed by a
    /// resumption; returns the start of one still open at the end of the walk. A repeated
    /// `suspended` or an unmatched `resumed` (possible only while a late event is still on
    /// its way) changes nothing.
    fn walk_suspensions(&self, mut closed: impl FnMut(Suspension)) -> Option<Timestamp> {
        let completion = self.completion();
        let mut since = None;
        for e in &self.events {
            if completion.is_some_and(|c| e.occurred_at > c) {
                break;
            }
            match e.kind {
                EventKind::Suspended { .. } => since = since.or(Some(e.occurred_at)),
                EventKind::Resumed { .. } => {
                    if let Some(from) = since.take() {
                        closed(Suspension {
                            from,
                            until: e.occurred_at,
                        });
                    }
                }
                _ => {}
            }
        }
        since
    }
}

/// `a - b` in whole seconds, rounded up (so any positive excess counts as a second).
fn ceil_seconds(a: Timestamp, b: Timestamp) -> i64 {
    let d = a.duration_since(b);
    let secs = d.as_secs();
    if d.subsec_nanos() > 0 {
        secs + 1
    } else {
        secs
    }
}
