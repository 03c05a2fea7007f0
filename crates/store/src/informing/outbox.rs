//! The outbox: what is due for delivery, each attempt's result, the administrators' view and
//! their retry of a failed or dead message.

use crate::convert::{opt_ts, ts, us};
use crate::error::{Result, StoreError};
use crate::{with_db, Store};
use jiff::Timestamp;
use qyzmet_domain::ids::ApplicationNumber;
use serde::Serialize;
use sqlx::Row;

/// A message as the outbox keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxMessage {
    pub id: i64,
    /// The idempotency key: the receiver's dedup key.
    pub key: String,
    /// `email`, `sms` or `webhook`.
    pub channel: String,
    pub number: Option<ApplicationNumber>,
    pub webhook_id: Option<i64>,
    /// The address, phone or (webhooks) the URL. Personal data for e-mail and SMS.
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// `pending`, `sent`, `delivered`, `failed` or `dead`.
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    /// The gateway's id of the message, when it gave one.
    pub provider_id: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

/// A message to send now, with its webhook's address and secret.
#[derive(Debug, Clone)]
pub struct DueMessage {
    pub id: i64,
    pub key: String,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<String>,
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub enum Attempt {
    /// Accepted by the server or gateway.
    Sent { provider_id: Option<String> },
    /// Not accepted: tried again at `retry_at`, or given up (dead) when `None`.
    Failed {
        error: String,
        retry_at: Option<Timestamp>,
    },
}

/// Filters of the administrators' list; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct OutboxFilter {
    pub state: Option<String>,
    pub channel: Option<String>,
    pub number: Option<ApplicationNumber>,
    /// Keyset: messages with a smaller id (the list runs newest first).
    pub before: Option<i64>,
    pub limit: i64,
}

/// Messages by state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sent: i64,
    pub delivered: i64,
    pub failed: i64,
    pub dead: i64,
}

const COLUMNS: &str = "o.id, o.key, o.channel, a.number, o.webhook_id, o.recipient, o.subject, \
    o.body, o.state, o.attempts, o.next_attempt_at, o.last_error, o.provider_id, o.created_at, \
    o.sent_at, o.updated_at FROM outbox o LEFT JOIN applications a ON a.id = o.app_id";

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    key: String,
    channel: String,
    number: Option<i64>,
    webhook_id: Option<i64>,
    recipient: String,
    subject: String,
    body: String,
    state: String,
    attempts: i64,
    next_attempt_at: i64,
    last_error: Option<String>,
    provider_id: Option<String>,
    created_at: i64,
    sent_at: Option<i64>,
    updated_at: i64,
}

impl MessageRow {
    fn into_model(self) -> Result<OutboxMessage> {
        Ok(OutboxMessage {
            id: self.id,
            key: self.key,
            channel: self.channel,
            number: self.number.and_then(ApplicationNumber::from_i64),
            webhook_id: self.webhook_id,
            recipient: self.recipient,
            subject: self.subject,
            body: self.body,
            state: self.state,
            attempts: self.attempts,
            next_attempt_at: ts("outbox.next_attempt_at", self.next_attempt_at)?,
            last_error: self.last_error,
            provider_id: self.provider_id,
            created_at: ts("outbox.created_at", self.created_at)?,
            sent_at: opt_ts("outbox.sent_at", self.sent_at)?,
            updated_at: ts("outbox.updated_at", self.updated_at)?,
        })
    }
}

impl Store {
    /// Up to `limit` messages of `channels` due at `now`, oldest first.
    pub async fn due_messages(
        &self,
        channels: &[&str],
        now: Timestamp,
        limit: i64,
    ) -> Result<Vec<DueMessage>> {
        if channels.is_empty() {
            return Ok(vec![]);
        }
        with_db!(self, |read, _write| {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT o.id, o.key, o.channel, o.recipient, o.subject, o.body, o.attempts, \
                 w.url AS webhook_url, w.secret AS webhook_secret FROM outbox o \
                 LEFT JOIN webhooks w ON w.id = o.webhook_id \
                 WHERE o.state IN ('pending', 'failed') AND o.next_attempt_at <= ",
            );
            qb.push_bind(us(now)).push(" AND o.channel IN (");
            let mut sep = qb.separated(", ");
            for c in channels {
                sep.push_bind(c.to_string());
            }
            qb.push(") ORDER BY o.next_attempt_at, o.id LIMIT ")
                .push_bind(limit);
            let rows = qb.build().fetch_all(read).await?;
            rows.iter()
                .map(|r| {
                    Ok(DueMessage {
                        id: r.try_get("id")?,
                        key: r.try_get("key")?,
                        channel: r.try_get("channel")?,
                        recipient: r.try_get("recipient")?,
                        subject: r.try_get("subject")?,
                        body: r.try_get("body")?,
                        attempts: r.try_get("attempts")?,
                        webhook_url: r.try_get("webhook_url")?,
                        webhook_secret: r.try_get("webhook_secret")?,
                    })
                })
                .collect()
        })
    }

    /// Records the results of attempts, in one transaction. A message an administrator
    /// changed meanwhile (no longer pending or failed) keeps that change.
    pub async fn record_attempts(&self, results: &[(i64, Attempt)], now: Timestamp) -> Result<()> {
        if results.is_empty() {
            return Ok(());
        }
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            for (id, attempt) in results {
                let q = match attempt {
                    Attempt::Sent { provider_id } => sqlx::query(
                        "UPDATE outbox SET state = 'sent', attempts = attempts + 1, \
                         sent_at = $2, updated_at = $2, last_error = NULL, provider_id = $3 \
                         WHERE id = $1 AND state IN ('pending', 'failed')",
                    )
                    .bind(*id)
                    .bind(us(now))
                    .bind(provider_id.clone()),
                    Attempt::Failed { error, retry_at } => sqlx::query(
                        "UPDATE outbox SET state = $3, attempts = attempts + 1, \
                         next_attempt_at = $4, updated_at = $2, last_error = $5 \
                         WHERE id = $1 AND state IN ('pending', 'failed')",
                    )
                    .bind(*id)
                    .bind(us(now))
                    .bind(if retry_at.is_some() { "failed" } else { "dead" })
                    .bind(us(retry_at.unwrap_or(now)))
                    .bind(error.chars().take(500).collect::<String>()),
                };
                q.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// The outbox, newest first, filtered.
    pub async fn outbox(&self, f: &OutboxFilter) -> Result<Vec<OutboxMessage>> {
        with_db!(self, |read, _write| {
            let mut qb = sqlx::QueryBuilder::new(format!("SELECT {COLUMNS} WHERE 1 = 1"));
            if let Some(s) = &f.state {
                qb.push(" AND o.state = ").push_bind(s.clone());
            }
            if let Some(c) = &f.channel {
                qb.push(" AND o.channel = ").push_bind(c.clone());
            }
            if let Some(n) = f.number {
                qb.push(" AND a.number = ").push_bind(n.as_i64());
            }
            if let Some(b) = f.before {
                qb.push(" AND o.id < ").push_bind(b);
            }
            qb.push(" ORDER BY o.id DESC LIMIT ").push_bind(f.limit);
            let rows = qb.build_query_as::<MessageRow>().fetch_all(read).await?;
            rows.into_iter().map(MessageRow::into_model).collect()
        })
    }

    /// How many messages are in each state.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts> {
        with_db!(self, |read, _write| {
            let rows = sqlx::query("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state")
                .fetch_all(read)
                .await?;
            let mut c = OutboxCounts::default();
            for r in rows {
                let n: i64 = r.try_get("n")?;
                match r.try_get::<String, _>("state")?.as_str() {
                    "pending" => c.pending = n,
                    "sent" => c.sent = n,
                    "delivered" => c.delivered = n,
                    "failed" => c.failed = n,
                    "dead" => c.dead = n,
                    _ => {}
                }
            }
            Ok(c)
        })
    }

    /// Puts a failed or dead message back in line to be sent now (audited). A message that
    /// is pending, sent or delivered is a conflict: sending it again could send it twice.
    pub async fn retry_message(
        &self,
        id: i64,
        actor: &str,
        now: Timestamp,
    ) -> Result<OutboxMessage> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let state: Option<String> =
                sqlx::query_scalar("SELECT state FROM outbox WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            match state.as_deref() {
                None => return Err(StoreError::NotFound("message")),
                Some("failed" | "dead") => {}
                Some(_) => {
                    return Err(StoreError::Conflict {
                        code: "message_not_retryable",
                        field: Some("state"),
                    })
                }
            }
            sqlx::query(
                "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $2, \
                 updated_at = $2 WHERE id = $1",
            )
            .bind(id)
            .bind(us(now))
            .execute(&mut *tx)
            .await?;
            crate::audit_in!(
                tx,
                now,
                actor,
                "outbox.retry",
                id.to_string(),
                String::new()
            );
            let m = sqlx::query_as::<_, MessageRow>(&format!("SELECT {COLUMNS} WHERE o.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?
                .into_model()?;
            tx.commit().await?;
            Ok(m)
        })
    }
}
