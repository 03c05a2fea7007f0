//! `/api/v1/applications/{number}/events` and `/api/v1/events/batch`: stage data from the
//! providers' systems (000 §4, §6–9). A retried id returns its first result and writes
//! nothing; the same id with other content is 409; in a batch every valid item is committed
//! together and every invalid one gets its own reason. Events may be signed (`signing.rs`);
//! under the organization's "required" policy an unsigned or failing one is refused.

use super::applications::EventView;
use super::now;
use super::validate as v;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{from_value, ApiJson, ApiPath};
use crate::i18n::Lang;
use crate::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::signing::{Opened, Submission};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use jiff::Timestamp;
use qyzmet_domain::ids::ApplicationNumber;
use qyzmet_domain::stage::{Event, EventKind, Outcome, Rejection, Stage};
use qyzmet_store::{EventFailure, EventResult, IncomingEvent, RecordedEvent, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An event of an application.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventRequest {
    /// Client-chosen UUID: the idempotency key, unique across all applications. Any version
    /// is accepted; time-ordered ones (version 7, RFC 9562) are recommended, as they keep the
    /// id index's writes together and ingest faster (ADR 0004).
    #[schema(format = Uuid)]
    pub id: String,
    #[serde(rename = "type")]
    #[schema(schema_with = crate::openapi::event_type)]
    pub kind: String,
    /// Required with type stage: the stage reached (the stage machine judges its order).
    #[schema(schema_with = crate::openapi::opt_stage)]
    pub stage: Option<String>,
    /// RFC 3339 with offset: when it happened; not in the future (5 minutes' tolerance).
    #[schema(schema_with = crate::openapi::instant)]
    pub occurred_at: String,
    /// With stage closed (and only then): issued or refused.
    #[schema(schema_with = crate::openapi::outcome)]
    pub outcome: Option<String>,
    /// Refusal reason (required), suspension's legal reason (required), or a note.
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
    /// Required with executor_changed: the new executing organization's code.
    #[schema(schema_with = crate::openapi::opt_code)]
    pub executor: Option<String>,
    /// With executor_changed: the executing official.
    #[schema(max_length = 200)]
    pub executor_person: Option<String>,
    /// The IIN of the employee who recorded it: when the event is signed, the signer's
    /// certificate must carry this IIN.
    #[schema(pattern = "^[0-9]{12}$")]
    pub employee_iin: Option<String>,
}

/// An event, plain or signed (docs/signatures.md). The API description's shape only: bodies
/// are read through [`Submission`], so no value of it is ever built.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum EventBody {
    Plain(EventRequest),
    Attached(crate::signing::AttachedSignature),
    Detached(crate::signing::DetachedSignature),
}

/// The six stages (000 §6) by their API names, in order.
pub const STAGES: [&str; 6] = [
    "accepted",
    "sent_for_execution",
    "taken_into_work",
    "executed",
    "ready_for_issue",
    "closed",
];

/// Validates the shape of an event; the stage machine judges it later.
fn to_event(req: &EventRequest, now: Timestamp) -> Result<(Event, Option<String>), ApiError> {
    let (id, kind, occurred_at) = (req.id.as_str(), req.kind.as_str(), req.occurred_at.as_str());
    let (stage, outcome, reason) = (
        req.stage.as_deref(),
        req.outcome.as_deref(),
        req.reason.as_deref(),
    );
    let (executor, executor_person) = (req.executor.as_deref(), req.executor_person.as_deref());
    let id =
        uuid::Uuid::parse_str(id.trim()).map_err(|_| ApiError::invalid("id", "uuid_invalid"))?;
    let occurred_at = v::past_instant("occurred_at", occurred_at, now)?;
    let reason = v::opt_long_text("reason", reason, 2000)?;
    let mut person = None;
    let kind = match kind.trim() {
        "stage" => {
            let stage: Stage = v::one_of(
                "stage",
                stage.ok_or_else(|| ApiError::invalid("stage", "required"))?,
                &STAGES,
            )?;
            let outcome = outcome
                .map(|o| v::one_of::<Outcome>("outcome", o, &["issued", "refused"]))
                .transpose()?;
            EventKind::Stage {
                stage,
                outcome,
                reason,
            }
        }
        "suspended" => EventKind::Suspended {
            reason: reason.ok_or_else(|| ApiError::invalid("reason", "required"))?,
        },
        "resumed" => EventKind::Resumed { reason },
        "executor_changed" => {
            let code = v::org_code(
                "executor",
                executor.ok_or_else(|| ApiError::invalid("executor", "required"))?,
            )?;
            person = v::opt_text("executor_person", executor_person, 200)?;
            EventKind::ExecutorChanged {
                executor: code.to_string(),
            }
        }
        _ => {
            return Err(ApiError::invalid("type", "enum_invalid")
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
pub fn rejection_error(r: &Rejection) -> ApiError {
    let mut err = ApiError::invalid(rejection_field(r), r.code());
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
        Rejection::AlreadyRecorded { .. } => "stage",
        _ => "occurred_at",
    }
}

fn failure_error(f: &EventFailure) -> ApiError {
    match f {
        EventFailure::NotFound => ApiError::not_found("application_not_found").with_field("number"),
        EventFailure::IdConflict => {
            ApiError::new(StatusCode::CONFLICT, "event_id_conflict").with_field("id")
        }
        EventFailure::Rejected(r) => rejection_error(r),
        EventFailure::Invalid { field, code } => ApiError::invalid(*field, code),
    }
}

/// Records one event of an application: plain, `{"signed": …}` (attached CMS over the
/// event's JSON) or `{"event": {…}, "signature": …}` (detached CMS over its RFC 8785 bytes).
#[utoipa::path(post, path = "/api/v1/applications/{number}/events", request_body = EventBody,
    params(("number" = String, Path, description = "Application number, 13 digits (dashes allowed)")),
    responses((status = 201, description = "Recorded", body = EventView),
        (status = 200, description = "A retry: the first result", body = EventView),
        (status = 403, description = "A change of executor outside the token's sub-tree", body = ErrorBody),
        (status = 404, description = "No such application in the token's sub-tree (a malformed or mistyped number finds nothing)", body = ErrorBody),
        (status = 409, description = "The id names an event with other content", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "events")]
pub async fn post_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<EventView>), ApiError> {
    let (rec, fresh) = record_event(&state, &caller, &number, body, now()).await?;
    Ok((
        if fresh {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        Json((&rec).into()),
    ))
}

/// Records one event, for the API and the workstation alike: the body is a plain or signed
/// event; returns it as recorded and whether this call recorded it (false for a retry).
pub async fn record_event(
    state: &AppState,
    caller: &Caller,
    number: &str,
    body: serde_json::Value,
    now: Timestamp,
) -> Result<(RecordedEvent, bool), ApiError> {
    caller.require_writer()?;
    let number = ApplicationNumber::parse(number)
        .map_err(|_| ApiError::not_found("application_not_found"))?;
    let submission = Submission::of(body)?;
    let opened = open_all(state, caller, vec![submission], now)
        .await?
        .pop()
        .ok_or_else(ApiError::internal)??;
    let item = incoming(caller, opened, Some(number), now)?;
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
        None => Err(ApiError::internal()),
    }
}

/// Checks the signatures of submissions off the async threads (a verification costs tens of
/// microseconds, a new signer's chain milliseconds).
pub(super) async fn open_all(
    state: &AppState,
    caller: &Caller,
    submissions: Vec<Submission>,
    now: Timestamp,
) -> Result<Vec<Result<Opened, ApiError>>, ApiError> {
    let signer = caller.signer.clone();
    let signing = state.signing.clone();
    let any_signed = submissions
        .iter()
        .any(|s| !matches!(s, Submission::Plain(_)));
    let run = move || {
        submissions
            .into_iter()
            .map(|s| signing.open(s, signer.as_ref(), now))
            .collect::<Vec<_>>()
    };
    if any_signed {
        tokio::task::spawn_blocking(run)
            .await
            .map_err(|_| ApiError::internal())
    } else {
        Ok(run())
    }
}

/// An opened submission as an event. `path_number` is the application of the URL; a batch
/// item names its own in `number`, and a signed event may name it too (it must agree).
fn incoming(
    caller: &Caller,
    mut opened: Opened,
    path_number: Option<ApplicationNumber>,
    now: Timestamp,
) -> Result<IncomingEvent, ApiError> {
    let mut value = std::mem::take(&mut opened.data);
    let named = match value.as_object_mut().and_then(|o| o.remove("number")) {
        Some(serde_json::Value::String(n)) => Some(
            ApplicationNumber::parse(&n)
                .map_err(|_| ApiError::not_found("application_not_found").with_field("number"))?,
        ),
        Some(_) => {
            return Err(
                ApiError::invalid("number", "invalid_value").arg("detail", "expected a string")
            )
        }
        None => None,
    };
    let number = match (path_number, named) {
        (Some(p), Some(n)) if p != n => return Err(ApiError::invalid("number", "number_mismatch")),
        (Some(p), _) => p,
        (None, Some(n)) => n,
        (None, None) => return Err(ApiError::invalid("number", "required")),
    };
    let req = from_value::<EventRequest>(value)?;
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
    })
}

/// A batch of events.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    /// 1 to `batch_limit` (1,000 by default) items: each an event (as in `EventRequest`) with
    /// the application's `number`, plain or in either signed form (`{"signed"}`,
    /// `{"event", "signature"}`). An invalid item is rejected alone, with its reason.
    #[schema(schema_with = crate::openapi::batch_items)]
    pub events: Vec<serde_json::Value>,
}

/// The outcome of one batch item.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchItemResult {
    /// Position in the request.
    pub index: usize,
    /// recorded (new or a retry of a recorded id) or rejected
    #[schema(schema_with = crate::openapi::item_status)]
    pub status: String,
    /// HTTP status this item would have had alone.
    pub http_status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<EventView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::error::ErrorDetail>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResponse {
    /// Items newly recorded by this request.
    pub recorded: usize,
    /// Items that were retries of recorded ids (nothing written).
    pub replayed: usize,
    pub rejected: usize,
    pub results: Vec<BatchItemResult>,
}

/// Records up to 1,000 events of any applications: all valid items atomically.
#[utoipa::path(post, path = "/api/v1/events/batch", request_body = BatchRequest,
    responses((status = 200, description = "Every item's result", body = BatchResponse),
        (status = 413, description = "More items than `batch_limit` (`batch_too_large`), or a body over the size limit", body = ErrorBody),
        BodyErrors, TokenErrors),
    security(("bearer" = [])), tag = "events")]
pub async fn post_batch(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(req): ApiJson<BatchRequest>,
) -> Result<Json<BatchResponse>, ApiError> {
    let limit = state.config.batch_limit;
    if req.events.len() > limit {
        return Err(
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "batch_too_large")
                .with_field("events")
                .arg("limit", limit)
                .arg("count", req.events.len()),
        );
    }
    if req.events.is_empty() {
        return Err(ApiError::invalid("events", "empty"));
    }
    caller.require_writer()?;
    let lang = Lang::from_headers(&headers);
    let now = now();
    let n = req.events.len();
    let mut results: Vec<Option<BatchItemResult>> = Vec::with_capacity(n);
    let mut items: Vec<IncomingEvent> = Vec::with_capacity(n);
    let mut positions: Vec<usize> = Vec::with_capacity(n);
    // Each item is `{number, ...event}`, or a signed form whose event names its number.
    let mut submissions = Vec::with_capacity(n);
    let mut submitted = Vec::with_capacity(n);
    for (index, value) in req.events.into_iter().enumerate() {
        match Submission::of(value) {
            Ok(s) => {
                submissions.push(s);
                submitted.push(index);
                results.push(None);
            }
            Err(err) => results.push(Some(rejected(
                index,
                &err.within(&format!("events[{index}]")),
                lang,
            ))),
        }
    }
    let opened = open_all(&state, &caller, submissions, now).await?;
    for (index, opened) in submitted.into_iter().zip(opened) {
        match opened.and_then(|o| incoming(&caller, o, None, now)) {
            Ok(item) => {
                items.push(item);
                positions.push(index);
            }
            Err(err) => {
                results[index] = Some(rejected(
                    index,
                    &err.within(&format!("events[{index}]")),
                    lang,
                ))
            }
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
                BatchItemResult {
                    index: pos,
                    status: "recorded".into(),
                    http_status: if fresh { 201 } else { 200 },
                    event: Some((&rec).into()),
                    error: None,
                }
            }
            Err(f) => rejected(
                pos,
                &failure_error(&f).within(&format!("events[{pos}]")),
                lang,
            ),
        });
    }
    metrics::counter!("qyzmet_events_ingested_total").increment(recorded as u64);
    let results: Vec<BatchItemResult> = results.into_iter().flatten().collect();
    let rejected_n = results.iter().filter(|r| r.error.is_some()).count();
    Ok(Json(BatchResponse {
        recorded,
        replayed,
        rejected: rejected_n,
        results,
    }))
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

fn rejected(index: usize, err: &ApiError, lang: Lang) -> BatchItemResult {
    BatchItemResult {
        index,
        status: "rejected".into(),
        http_status: err.status.as_u16(),
        event: None,
        error: Some(err.detail(lang)),
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
