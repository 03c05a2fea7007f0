//! Events of an application (000 §6): a stage, a suspension, a change of executor, plain or
//! signed, validated against the stage machine and recorded with the history's chain.

//! `/api/v1/applications/{number}/events` and `/api/v1/events/batch`: stage data from the
//! providers' systems (000 §4, §6–9). A retried id returns its first result and writes
//! nothing; the same id with other content is 409; in a batch every valid item is committed
//! together and every invalid one gets its own reason. Events may be signed (`signing.rs`);
//! under the organization's "required" policy an unsigned or failing one is refused.

use crate::app::validate as v;
use crate::app::AppError;
use crate::app::Caller;
use crate::signing::{Opened, Submission};
use crate::state::AppState;
use jiff::Timestamp;
use qyzmet_domain::ids::ApplicationNumber;
use qyzmet_domain::passport::is_code;
use qyzmet_domain::stage::{Event, EventKind, Outcome, Rejection, Stage};
use qyzmet_store::{EventFailure, EventResult, IncomingEvent, RecordedEvent, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
/// An event of an application.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventRequest {
    /// Client-chosen UUID: the idempotency key, unique across all applications. Any version
    /// is accepted; time-ordered ones (version 7, RFC 9562) are recommended, as they keep the
    /// id index's writes together and ingest faster (ADR 0004).
    #[schema(format = Uuid)]
    pub id: String,
    #[serde(rename = "type")]
    #[schema(schema_with = crate::app::schema::event_type)]
    pub kind: String,
    /// Required with type stage: the stage reached (the stage machine judges its order).
    #[schema(schema_with = crate::app::schema::opt_stage)]
    pub stage: Option<String>,
    /// RFC 3339 with offset: when it happened; not in the future (5 minutes' tolerance).
    #[schema(schema_with = crate::app::schema::instant)]
    pub occurred_at: String,
    /// With stage closed (and only then): issued or refused.
    #[schema(schema_with = crate::app::schema::outcome)]
    pub outcome: Option<String>,
    /// Refusal reason (required), suspension's legal reason (required), or a note.
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
    /// With a suspension or a refusal (type stage, stage closed, outcome refused) only: the
    /// code of the ground it rests on among the suspension or refusal grounds of the passport
    /// version the application was registered under (003 §17; `passport_version` of the
    /// application). Optional here even when the passport lists grounds (a provider's system
    /// may not know the codes); the workstation requires one then.
    #[schema(schema_with = crate::app::schema::opt_ground)]
    pub ground: Option<String>,
    /// Required with executor_changed: the new executing organization's code.
    #[schema(schema_with = crate::app::schema::opt_code)]
    pub executor: Option<String>,
    /// With executor_changed: the executing official.
    #[schema(max_length = 200)]
    pub executor_person: Option<String>,
    /// The IIN of the employee who recorded it: when the event is signed, the signer's
    /// certificate must carry this IIN.
    #[schema(pattern = "^[0-9]{12}$")]
    pub employee_iin: Option<String>,
}

pub use crate::app::schema::STAGES;

/// Validates the shape of an event; the stage machine judges it later.
fn to_event(req: &EventRequest, now: Timestamp) -> Result<(Event, Option<String>), AppError> {
    let (id, kind, occurred_at) = (req.id.as_str(), req.kind.as_str(), req.occurred_at.as_str());
    let (stage, outcome, reason) = (
        req.stage.as_deref(),
        req.outcome.as_deref(),
        req.reason.as_deref(),
    );
    let (executor, executor_person) = (req.executor.as_deref(), req.executor_person.as_deref());
    let id =
        uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::invalid("id", "uuid_invalid"))?;
    let occurred_at = v::past_instant("occurred_at", occurred_at, now)?;
    let reason = v::opt_long_text("reason", reason, 2000)?;
    let ground = match req.ground.as_deref().map(str::trim) {
        None | Some("") => None,
        // A code of another shape names no ground of any passport.
        Some(g) if !is_code(g) => return Err(AppError::invalid("ground", "unknown_ground")),
        Some(g) => Some(g.to_string()),
    };
    let mut person = None;
    let kind = match kind.trim() {
        "stage" => {
            let stage: Stage = v::one_of(
                "stage",
                stage.ok_or_else(|| AppError::invalid("stage", "required"))?,
                &STAGES,
            )?;
            let outcome = outcome
                .map(|o| v::one_of::<Outcome>("outcome", o, &["issued", "refused"]))
                .transpose()?;
            EventKind::Stage {
                stage,
                outcome,
                reason,
                ground,
            }
        }
        "suspended" => EventKind::Suspended {
            reason: reason.ok_or_else(|| AppError::invalid("reason", "required"))?,
            ground,
        },
        "resumed" | "executor_changed" if ground.is_some() => {
            return Err(AppError::invalid("ground", "ground_not_applicable"))
        }
        "resumed" => EventKind::Resumed { reason },
        "executor_changed" => {
            let code = v::org_code(
                "executor",
                executor.ok_or_else(|| AppError::invalid("executor", "required"))?,
            )?;
            person = v::opt_text("executor_person", executor_person, 200)?;
            EventKind::ExecutorChanged {
                executor: code.to_string(),
            }
        }
        _ => {
            return Err(AppError::invalid("type", "enum_invalid")
                .arg("allowed", "stage, suspended, resumed, executor_changed"))
        }
    };
    Ok((
        Event {
            id,
            occurred_at,
            kind,
        },
        person,
    ))
}

/// A stage-machine refusal as a 422 whose message carries the facts.
pub fn rejection_error(r: &Rejection) -> AppError {
    let mut err = AppError::invalid(rejection_field(r), r.code());
    if let Ok(serde_json::Value::Object(facts)) = serde_json::to_value(r) {
        for (k, val) in facts {
            if k == "code" {
                continue;
            }
            let text = match &val {
                serde_json::Value::String(s) => s
                    .parse::<Timestamp>()
                    .map(v::local)
                    .unwrap_or_else(|_| s.clone()),
                other => other.to_string(),
            };
            let name: &'static str = match k.as_str() {
                "stage" => "stage",
                "at" => "at",
                "accepted_at" => "accepted_at",
                "recorded_at" => "recorded_at",
                "closed_at" => "closed_at",
                "conflicting_stage" => "conflicting_stage",
                "conflicting_at" => "conflicting_at",
                "since" => "since",
                "completed_at" => "completed_at",
                "outcome" => "outcome",
                "subject" => "subject",
                "recorded" => "recorded",
                _ => continue,
            };
            err = err.arg(name, text);
        }
    }
    err
}

fn rejection_field(r: &Rejection) -> &'static str {
    match r {
        Rejection::OutcomeRequired | Rejection::OutcomeNotAllowed { .. } => "outcome",
        Rejection::ReasonRequired { .. } => "reason",
        Rejection::ExecutorRequired => "executor",
        Rejection::GroundNotApplicable => "ground",
        Rejection::AlreadyRecorded { .. } => "stage",
        Rejection::ScanAlready { .. } | Rejection::ScanOutOfOrder { .. } => "kind",
        _ => "occurred_at",
    }
}

fn failure_error(f: &EventFailure) -> AppError {
    match f {
        EventFailure::NotFound => AppError::not_found("application_not_found").with_field("number"),
        EventFailure::IdConflict => AppError::conflict("event_id_conflict").with_field("id"),
        EventFailure::Rejected(r) => rejection_error(r),
        EventFailure::Invalid { field, code } => AppError::invalid(*field, code),
    }
}

/// Whether a suspension or a refusal must name a ground of the application's passport when
/// the passport lists grounds of its kind (003 §17).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grounds {
    /// The API: a provider's system may not know the codes.
    Optional,
    /// The workstation: the operator picks one from the passport's list.
    Required,
}

/// Records one event of the application `number`, plain or signed (the API's body, the
/// workstation's form); returns it as recorded and whether this call recorded it (false for
/// a retry).
pub async fn record_event(
    state: &AppState,
    caller: &Caller,
    number: &str,
    submission: Submission,
    grounds: Grounds,
    now: Timestamp,
) -> Result<(RecordedEvent, bool), AppError> {
    caller.require_writer()?;
    let number = ApplicationNumber::parse(number)
        .map_err(|_| AppError::not_found("application_not_found"))?;
    let opened = super::submissions::open_all(state, caller, vec![submission], now)
        .await?
        .pop()
        .ok_or_else(AppError::internal)??;
    let mut item = incoming(caller, opened, Some(number), now)?;
    item.ground_required = grounds == Grounds::Required;
    let items = [item];
    let mut results = state
        .store
        .apply_events(
            &items,
            caller.scope(),
            &caller.actor(),
            now,
            state.config.nearing_fraction,
        )
        .await?;
    match results.pop() {
        Some(Ok(rec)) => {
            let fresh = rec.recorded_at == now;
            if fresh {
                metrics::counter!("qyzmet_events_ingested_total").increment(1);
            }
            Ok((rec, fresh))
        }
        Some(Err(f)) => Err(failure_error(&f)),
        None => Err(AppError::internal()),
    }
}

/// An opened submission as an event. `path_number` is the application of the URL; a batch
/// item names its own in `number`, and a signed event may name it too (it must agree).
fn incoming(
    caller: &Caller,
    mut opened: Opened,
    path_number: Option<ApplicationNumber>,
    now: Timestamp,
) -> Result<IncomingEvent, AppError> {
    let mut value = std::mem::take(&mut opened.data);
    let named = match value.as_object_mut().and_then(|o| o.remove("number")) {
        Some(serde_json::Value::String(n)) => Some(
            ApplicationNumber::parse(&n)
                .map_err(|_| AppError::not_found("application_not_found").with_field("number"))?,
        ),
        Some(_) => {
            return Err(
                AppError::invalid("number", "invalid_value").arg("detail", "expected a string")
            )
        }
        None => None,
    };
    let number = match (path_number, named) {
        (Some(p), Some(n)) if p != n => return Err(AppError::invalid("number", "number_mismatch")),
        (Some(p), _) => p,
        (None, Some(n)) => n,
        (None, None) => return Err(AppError::invalid("number", "required")),
    };
    let req = crate::app::decode::from_value::<EventRequest>(value)?;
    opened.check_employee(req.employee_iin.as_deref())?;
    let (event, executor_person) = to_event(&req, now)?;
    if matches!(event.kind, EventKind::ExecutorChanged { .. }) {
        caller.require_reassign()?;
    }
    Ok(IncomingEvent {
        number,
        event,
        executor_person,
        signature: opened.evidence,
        ground_required: false,
    })
}

/// One item of a batch as it came out: recorded (`fresh` when by this call, not a retry nor
/// a repeat within the batch) or refused with its reason.
#[derive(Debug)]
pub enum BatchOutcome {
    Recorded { event: RecordedEvent, fresh: bool },
    Rejected(AppError),
}

/// A batch's outcome, item by item in the order submitted.
#[derive(Debug)]
pub struct BatchResult {
    pub recorded: usize,
    pub replayed: usize,
    pub items: Vec<BatchOutcome>,
}

/// Records a batch of events of any applications (each item names its application): all
/// valid items atomically, every invalid one refused alone with its reason (field paths
/// under `events[i]`). At most `batch_limit` items.
pub async fn record_batch(
    state: &AppState,
    caller: &Caller,
    submitted: Vec<Result<Submission, AppError>>,
    now: Timestamp,
) -> Result<BatchResult, AppError> {
    let limit = state.config.batch_limit;
    if submitted.len() > limit {
        return Err(AppError::too_large("batch_too_large")
            .with_field("events")
            .arg("limit", limit)
            .arg("count", submitted.len()));
    }
    if submitted.is_empty() {
        return Err(AppError::invalid("events", "empty"));
    }
    caller.require_writer()?;
    let n = submitted.len();
    let mut results: Vec<Option<BatchOutcome>> = Vec::with_capacity(n);
    let mut items: Vec<IncomingEvent> = Vec::with_capacity(n);
    let mut positions: Vec<usize> = Vec::with_capacity(n);
    let mut submissions = Vec::with_capacity(n);
    let mut indexes = Vec::with_capacity(n);
    let within = |index: usize, err: AppError| err.within(&format!("events[{index}]"));
    for (index, submission) in submitted.into_iter().enumerate() {
        match submission {
            Ok(s) => {
                submissions.push(s);
                indexes.push(index);
                results.push(None);
            }
            Err(err) => results.push(Some(BatchOutcome::Rejected(within(index, err)))),
        }
    }
    let opened = super::submissions::open_all(state, caller, submissions, now).await?;
    for (index, opened) in indexes.into_iter().zip(opened) {
        match opened.and_then(|o| incoming(caller, o, None, now)) {
            Ok(item) => {
                items.push(item);
                positions.push(index);
            }
            Err(err) => results[index] = Some(BatchOutcome::Rejected(within(index, err))),
        }
    }
    let actor = caller.actor();
    let outcomes: Vec<EventResult> = isolating(&items, |part| {
        state.store.apply_events(
            part,
            caller.scope(),
            &actor,
            now,
            state.config.nearing_fraction,
        )
    })
    .await?;
    let (mut recorded, mut replayed) = (0, 0);
    let mut fresh_ids = std::collections::HashSet::new();
    for (pos, outcome) in positions.into_iter().zip(outcomes) {
        results[pos] = Some(match outcome {
            Ok(rec) => {
                // New when recorded by this request and not already answered in it.
                let fresh = rec.recorded_at == now && fresh_ids.insert(rec.event.id);
                if fresh {
                    recorded += 1
                } else {
                    replayed += 1
                }
                BatchOutcome::Recorded { event: rec, fresh }
            }
            Err(f) => BatchOutcome::Rejected(within(pos, failure_error(&f))),
        });
    }
    metrics::counter!("qyzmet_events_ingested_total").increment(recorded as u64);
    Ok(BatchResult {
        recorded,
        replayed,
        items: results.into_iter().flatten().collect(),
    })
}

/// Applies a batch's items together; should the database refuse a value of one of them (a
/// data error the edge did not foresee: defence in depth), applies each alone, in order, so
/// that only the item at fault is refused and the valid ones are still recorded. The batch
/// is then not one transaction but one per item.
async fn isolating<'a, T, F, Fut>(items: &'a [T], apply: F) -> Result<Vec<EventResult>, StoreError>
where
    F: Fn(&'a [T]) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<EventResult>, StoreError>>,
{
    match apply(items).await {
        Err(e) if e.is_unstorable() && items.len() > 1 => {
            tracing::warn!(items = items.len(), "a batch is applied item by item");
            let mut outcomes = Vec::with_capacity(items.len());
            for one in items.chunks(1) {
                match apply(one).await {
                    Ok(r) => outcomes.extend(r),
                    Err(e) if e.is_unstorable() => outcomes.push(Err(EventFailure::Invalid {
                        field: "",
                        code: qyzmet_store::error::UNSTORABLE,
                    })),
                    Err(e) => return Err(e),
                }
            }
            Ok(outcomes)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A batch whose item 1 the database refuses: applied item by item, the others answered,
    /// item 1 refused as unstorable; a batch the database takes is applied once.
    #[tokio::test]
    async fn an_unstorable_item_is_isolated() {
        let calls = AtomicUsize::new(0);
        let apply = |part: &[u8]| {
            calls.fetch_add(1, Ordering::SeqCst);
            let bad = part.contains(&1);
            let n = part.len();
            async move {
                if bad {
                    Err(StoreError::Invalid {
                        code: qyzmet_store::error::UNSTORABLE,
                        field: "",
                    })
                } else {
                    Ok((0..n).map(|_| Err(EventFailure::NotFound)).collect())
                }
            }
        };
        let out = isolating(&[0u8, 1, 2], apply).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 4);
        assert!(matches!(out[0], Err(EventFailure::NotFound)));
        assert!(matches!(
            out[1],
            Err(EventFailure::Invalid { field: "", code }) if code == "value_not_storable"
        ));
        assert!(matches!(out[2], Err(EventFailure::NotFound)));
        let api = failure_error(&EventFailure::Invalid {
            field: "",
            code: "value_not_storable",
        })
        .within("events[1]");
        assert_eq!(api.field.as_deref(), Some("events[1]"));

        calls.store(0, Ordering::SeqCst);
        let out = isolating(&[0u8, 2], apply).await.unwrap();
        assert_eq!((calls.load(Ordering::SeqCst), out.len()), (1, 2));
        // One item alone: its refusal is the answer.
        assert!(isolating(&[1u8], apply).await.unwrap_err().is_unstorable());
    }
}
