//! Why an application is late, or is not (issue 16, B.4): where it stands against its
//! deadline (000 §10–11), which stage's planned moment counts (the completion, stage 4
//! "executed", rule 8), by how much it was missed or how much is left, counted as its term
//! counts, and what moved the deadline or explains a violation: suspensions (rule 9),
//! changes of the planned date, outages of the systems its service depends on (000 §12).
//! The registration is part of the answer, as the first entry of the history (000 §10).
//!
//! A query over an application already read through
//! [`read_application`](super::applications::read_application), which checked the caller's
//! scope and audited the read; the arithmetic is `qyzmet_domain::lateness`.

use crate::app::AppError;
use crate::state::AppState;
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::deadline::Derivation;
use qyzmet_domain::ids::OrgCode;
use qyzmet_domain::lateness::{bands, late_by, left, Band, Distance};
use qyzmet_domain::stage::{History, Outcome, Stage};
use qyzmet_domain::Term;
use qyzmet_store::{ApplicationDetail, Channel, DeadlineChange, InformationSystem, LocalizedName};
use serde::Serialize;

/// Where an application stands against its deadline, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Lateness {
    /// The moment the answer is of.
    pub at: Timestamp,
    pub standing: Standing,
    /// The stage whose planned moment the deadline is: the completion, stage 4 (rule 8).
    pub due_stage: Stage,
    pub planned_date: Date,
    pub deadline: Timestamp,
    /// The planned date computed at registration, before any change (rule 1).
    pub original_planned_date: Date,
    pub term: Term,
    /// The suspensions, in time order, each with what it added to the term (rule 9).
    pub bands: Vec<Band>,
    /// What the suspensions added to the term in all, as the derivation recorded it: days of
    /// the term's unit for day terms, minutes for hour and minute terms (rule 9).
    pub suspension_extension: i64,
    /// Changes of the planned date after registration (e.g. a change of the calendar), with
    /// their reason.
    pub changes: Vec<DeadlineChange>,
    /// Outages of systems the service depends on (or of every system) that overlapped the
    /// term, from the effective acceptance to the deadline. They do not move the deadline;
    /// a violation they overlapped has a technical cause (000 §12).
    pub outages: Vec<OutageOverlap>,
    /// A violation (completed late, or open and overdue) with an outage in `outages`: a
    /// technical-cause violation (000 §12).
    pub technical: bool,
    pub registration: Registration,
}

/// The standing of an application at the moment of the query.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "standing")]
pub enum Standing {
    /// Open, its clock running, the deadline ahead; `nearing` in the last part of its term.
    Running { left: Distance, nearing: bool },
    /// Open and suspended: the clock stands since `since` and the deadline moves when work
    /// resumes. `late` when the deadline had already passed at the suspension.
    Suspended {
        since: Timestamp,
        reason: String,
        late: Option<Distance>,
    },
    /// Open with its deadline passed: the completion (`due_stage`) was not reached in time.
    Overdue { late: Distance },
    /// Completed (stage 4 or later reached, `stage` the first of them) at `at`, on time when
    /// `late` is `None`; `closed` once closed, with its outcome.
    Completed {
        stage: Stage,
        at: Timestamp,
        late: Option<Distance>,
        closed: Option<(Timestamp, Outcome)>,
    },
}

/// The registration, the history's first entry (000 §7, §10).
#[derive(Debug, Clone, Serialize)]
pub struct Registration {
    /// When the application was received, and when that counts as accepted (rule 3).
    pub accepted_at: Timestamp,
    pub effective_acceptance: Timestamp,
    /// When it was recorded in the system.
    pub recorded_at: Timestamp,
    pub channel: Channel,
    pub paper: bool,
    pub acceptance_place: OrgCode,
    /// Its name, when the registry has it.
    pub acceptance_place_name: Option<LocalizedName>,
    /// Who registered it (`user:<id>` or `token:<id>`), when known.
    pub by: Option<String>,
    /// The planned date computed at registration (000 §10).
    pub planned_date: Date,
}

/// An outage that overlapped an application's term.
#[derive(Debug, Clone, Serialize)]
pub struct OutageOverlap {
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub all_systems: bool,
    /// The systems down that the service depends on (their code when the registry has no
    /// name for one).
    pub systems: Vec<InformationSystem>,
    pub description: String,
}

/// The most outages one application's answer lists.
const OUTAGES_SHOWN: i64 = 20;

/// Where the application of `detail` stands at `now`, and why.
pub async fn explain(
    state: &AppState,
    detail: &ApplicationDetail,
    now: Timestamp,
) -> Result<Lateness, AppError> {
    let a = &detail.application;
    let calendar = state.calendar.get();
    let history = History::from_events(
        a.accepted_at,
        detail.events.iter().map(|e| e.event.clone()).collect(),
    );
    let unit = a.term.unit;
    let late_at = |at: Timestamp| late_by(&calendar, unit, a.planned_date, a.deadline, at);
    let stage_times = history.stage_times();
    let standing = match (history.completion(), history.open_suspension()) {
        (Some(at), _) => Standing::Completed {
            stage: [Stage::Executed, Stage::ReadyForIssue, Stage::Closed]
                .into_iter()
                .find(|s| stage_times[usize::from(s.number()) - 1] == Some(at))
                .unwrap_or(Stage::Executed),
            at,
            late: late_at(at),
            closed: a.closed_at.zip(a.outcome),
        },
        (None, Some(since)) => Standing::Suspended {
            since,
            reason: history
                .events()
                .iter()
                .rev()
                .find_map(|e| match &e.kind {
                    qyzmet_domain::stage::EventKind::Suspended { reason, .. }
                        if e.occurred_at <= since =>
                    {
                        Some(reason.clone())
                    }
                    _ => None,
                })
                .unwrap_or_default(),
            late: late_at(since),
        },
        (None, None) => match left(&calendar, unit, a.planned_date, a.deadline, now) {
            Some(left) => Standing::Running {
                left,
                nearing: a.nearing,
            },
            None => Standing::Overdue {
                late: late_at(now).unwrap_or(Distance {
                    unit,
                    working_days: 0,
                    calendar_days: 0,
                    minutes: 0,
                }),
            },
        },
    };
    // A violation as the monthly report counts one (`violation::verdict`): completed late,
    // or open past the deadline with the clock running; an open suspended one is not (yet).
    let is_late = match &standing {
        Standing::Running { .. } | Standing::Suspended { .. } => false,
        Standing::Completed { late, .. } => late.is_some(),
        Standing::Overdue { .. } => true,
    };
    let depends_on = state
        .store
        .service(&a.service_code)
        .await?
        .map(|s| s.depends_on)
        .unwrap_or_default();
    let known = state.store.information_systems().await?;
    let system = |code: String| {
        known
            .iter()
            .find(|s| s.code == code)
            .cloned()
            .unwrap_or(InformationSystem {
                name: LocalizedName {
                    kk: code.clone(),
                    ru: code.clone(),
                    en: code.clone(),
                },
                operator: String::new(),
                code,
            })
    };
    let outages: Vec<OutageOverlap> = state
        .store
        .outages(
            Some(a.effective_acceptance),
            Some(a.deadline),
            None,
            OUTAGES_SHOWN,
        )
        .await?
        .into_iter()
        .filter_map(|o| {
            let domain = qyzmet_domain::violation::Outage {
                start: o.started_at,
                end: o.ended_at,
                all_systems: o.all_systems,
                systems: o.systems.clone(),
            };
            domain
                .affects(&depends_on, a.effective_acceptance, a.deadline)
                .then(|| OutageOverlap {
                    started_at: o.started_at,
                    ended_at: o.ended_at,
                    all_systems: o.all_systems,
                    systems: o
                        .systems
                        .into_iter()
                        .filter(|s| depends_on.contains(s))
                        .map(&system)
                        .collect(),
                    description: o.description,
                })
        })
        .rev()
        .collect();
    let suspension_extension = serde_json::from_value::<Derivation>(a.derivation.clone())
        .map(|d| d.suspension_extension)
        .unwrap_or(0);
    let by = state
        .store
        .registered_by(&a.number.to_string(), a.recorded_at)
        .await?;
    let acceptance_place_name = state
        .store
        .organization(&a.acceptance_place)
        .await?
        .map(|o| o.name);
    Ok(Lateness {
        at: now,
        technical: is_late && !outages.is_empty(),
        standing,
        due_stage: Stage::Executed,
        planned_date: a.planned_date,
        deadline: a.deadline,
        original_planned_date: a.original_planned_date,
        term: a.term,
        bands: bands(&history, &calendar, unit),
        suspension_extension,
        changes: detail.deadline_changes.clone(),
        outages,
        registration: Registration {
            accepted_at: a.accepted_at,
            effective_acceptance: a.effective_acceptance,
            recorded_at: a.recorded_at,
            channel: a.channel,
            paper: a.paper,
            acceptance_place: a.acceptance_place.clone(),
            acceptance_place_name,
            by,
            planned_date: a.original_planned_date,
        },
    })
}
