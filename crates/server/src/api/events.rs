//! `/api/v1/applications/{number}/events` and `/api/v1/events/batch`: stage data from the
//! providers' systems (000 §4, §6–9). A retried id returns its first result and writes
//! nothing; the same id with other content is 409; in a batch every valid item is committed
//! together and every invalid one gets its own reason. Events may be signed (`signing.rs`);
//! under the organization's "required" policy an unsigned or failing one is refused.

use super::applications::EventView;
use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::monitoring::events::*;
use crate::app::now;
use crate::app::Caller;
use crate::i18n::Lang;
use crate::signing::Submission;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
    let (rec, fresh) = record_event(
        &state,
        &caller,
        &number,
        Submission::of(body)?,
        Grounds::Optional,
        now(),
    )
    .await?;
    Ok((super::made(fresh), Json((&rec).into())))
}

/// A batch of events.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    /// 1 to `batch_limit` (1,000 by default) items: each an event (as in `EventRequest`) with
    /// the application's `number`, plain or in either signed form (`{"signed"}`,
    /// `{"event", "signature"}`). An invalid item is rejected alone, with its reason.
    #[schema(schema_with = crate::app::schema::batch_items)]
    pub events: Vec<serde_json::Value>,
}

/// The outcome of one batch item.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchItemResult {
    /// Position in the request.
    pub index: usize,
    /// recorded (new or a retry of a recorded id) or rejected
    #[schema(schema_with = crate::app::schema::item_status)]
    pub status: String,
    /// HTTP status this item would have had alone.
    pub http_status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<EventView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<super::error::ErrorDetail>,
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
    let lang = Lang::from_headers(&headers);
    let submitted = req
        .events
        .into_iter()
        .map(Submission::of)
        .collect::<Vec<_>>();
    let batch = record_batch(&state, &caller, submitted, now()).await?;
    let results: Vec<BatchItemResult> = batch
        .items
        .into_iter()
        .enumerate()
        .map(|(index, item)| match item {
            BatchOutcome::Recorded { event, fresh } => BatchItemResult {
                index,
                status: "recorded".into(),
                http_status: if fresh { 201 } else { 200 },
                event: Some((&event).into()),
                error: None,
            },
            BatchOutcome::Rejected(err) => rejected(index, &err.into(), lang),
        })
        .collect();
    let rejected_n = results.iter().filter(|r| r.error.is_some()).count();
    Ok(Json(BatchResponse {
        recorded: batch.recorded,
        replayed: batch.replayed,
        rejected: rejected_n,
        results,
    }))
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
