//! Informing (000 §2): `/api/v1/webhooks` (an organization's system registers where the events
//! of its applications are posted) and `/api/v1/outbox` (administrators watch delivery and
//! retry what failed). docs/informing.md.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::informing::outbox::{self, OutboxQuery};
use crate::app::informing::webhooks::{self, NewWebhook};
use crate::app::validate as v;
use crate::app::{now, Caller};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qyzmet_store::{OutboxCounts, OutboxMessage, Webhook};
use serde::Serialize;
use utoipa::ToSchema;

/// A registered webhook (its secret is never shown).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    pub id: i64,
    pub organization: String,
    pub url: String,
    /// False once removed: nothing more is posted to it.
    pub active: bool,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<&Webhook> for WebhookView {
    fn from(w: &Webhook) -> Self {
        WebhookView {
            id: w.id,
            organization: w.organization.clone(),
            url: w.url.clone(),
            active: w.active,
            created_at: v::local(w.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub items: Vec<WebhookView>,
}

/// Registers a webhook for the caller's organization (an organization's token) or for any
/// organization (an administrator, naming it). Every event of the organization's
/// applications (accepted or executed in its sub-tree) is then posted to it, signed.
#[utoipa::path(post, path = "/api/v1/webhooks", request_body = NewWebhook,
    responses((status = 201, description = "Registered", body = WebhookView),
        (status = 403, description = "Not the caller's organization", body = ErrorBody),
        (status = 409, description = "The organization already has this URL", body = ErrorBody),
        BodyErrors, TokenErrors),
    security(("bearer" = [])), tag = "informing")]
pub async fn create_webhook(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<NewWebhook>,
) -> Result<(StatusCode, Json<WebhookView>), ApiError> {
    let hook = webhooks::create(&state, &caller, &req, now()).await?;
    Ok((StatusCode::CREATED, Json((&hook).into())))
}

/// The webhooks of the caller's organization and those under it (all for administrators).
#[utoipa::path(get, path = "/api/v1/webhooks",
    responses((status = 200, description = "Newest first", body = WebhookList),
        (status = 403, description = "A workstation user who is not an administrator", body = ErrorBody),
        TokenErrors),
    security(("bearer" = [])), tag = "informing")]
pub async fn list_webhooks(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<WebhookList>, ApiError> {
    let hooks = webhooks::list(&state, &caller).await?;
    Ok(Json(WebhookList {
        items: hooks.iter().map(WebhookView::from).collect(),
    }))
}

/// Removes a webhook: nothing more is posted to it, and what waited for it is given up.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}",
    params(("id" = i64, Path, description = "The webhook's id")),
    responses((status = 200, description = "Removed", body = WebhookView),
        (status = 404, description = "No such webhook in the caller's reach", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "informing")]
pub async fn delete_webhook(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<WebhookView>, ApiError> {
    let hook = webhooks::deactivate(&state, &caller, id, now()).await?;
    Ok(Json((&hook).into()))
}

/// A message of the outbox. Recipients of e-mail and SMS are masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxMessageView {
    pub id: i64,
    /// The idempotency key (the e-mail's Message-ID, the webhook's Idempotency-Key).
    pub key: String,
    #[schema(schema_with = channel)]
    pub channel: String,
    /// The application it tells of.
    pub number: Option<String>,
    pub webhook_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    #[schema(schema_with = state_schema)]
    pub state: String,
    pub attempts: i64,
    #[schema(format = DateTime)]
    pub next_attempt_at: String,
    pub last_error: Option<String>,
    pub provider_id: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub sent_at: Option<String>,
}

fn channel() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["email", "sms", "webhook"]))
        .build()
}

fn state_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["pending", "sent", "delivered", "failed", "dead"]))
        .build()
}

impl From<&OutboxMessage> for OutboxMessageView {
    fn from(m: &OutboxMessage) -> Self {
        OutboxMessageView {
            id: m.id,
            key: m.key.clone(),
            channel: m.channel.clone(),
            number: m.number.map(|n| n.to_string()),
            webhook_id: m.webhook_id,
            recipient: m.recipient.clone(),
            subject: m.subject.clone(),
            state: m.state.clone(),
            attempts: m.attempts,
            next_attempt_at: v::local(m.next_attempt_at),
            last_error: m.last_error.clone(),
            provider_id: m.provider_id.clone(),
            created_at: v::local(m.created_at),
            sent_at: v::opt_local(m.sent_at),
        }
    }
}

/// Messages by state.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxCountsView {
    pub pending: i64,
    pub sent: i64,
    pub delivered: i64,
    pub failed: i64,
    pub dead: i64,
}

impl From<&OutboxCounts> for OutboxCountsView {
    fn from(c: &OutboxCounts) -> Self {
        OutboxCountsView {
            pending: c.pending,
            sent: c.sent,
            delivered: c.delivered,
            failed: c.failed,
            dead: c.dead,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxPageView {
    pub items: Vec<OutboxMessageView>,
    pub next: Option<String>,
    /// The whole outbox by state.
    pub counts: OutboxCountsView,
}

/// The outbox, newest first (administrators).
#[utoipa::path(get, path = "/api/v1/outbox", params(OutboxQuery),
    responses((status = 200, description = "A page, newest first", body = OutboxPageView),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "informing")]
pub async fn list_outbox(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> Result<Json<OutboxPageView>, ApiError> {
    let page = outbox::list(&state, &caller, &q).await?;
    Ok(Json(OutboxPageView {
        items: page.items.iter().map(OutboxMessageView::from).collect(),
        next: page.next,
        counts: (&page.counts).into(),
    }))
}

/// Puts a failed or dead message back in line to be sent now (administrators; audited).
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry",
    params(("id" = i64, Path, description = "The message's id")),
    responses((status = 200, description = "Waiting to be sent", body = OutboxMessageView),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "No such message", body = ErrorBody),
        (status = 409, description = "Pending, sent or delivered: not retried", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "informing")]
pub async fn retry_message(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<OutboxMessageView>, ApiError> {
    let m = outbox::retry(&state, &caller, id, now()).await?;
    Ok(Json((&m).into()))
}
