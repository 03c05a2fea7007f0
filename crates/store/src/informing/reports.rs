//! Delivery reports of SMS (000 §2: "delivered if the channel reports it"): the messages the
//! gateway took whose report is due, and what the reports said. A message is asked about
//! while it is `sent` and at most three days after it was sent; `next_attempt_at`, unused once
//! a message is sent, says when to ask again.

use crate::convert::us;
use crate::error::Result;
use crate::{with_db, Store};
use jiff::Timestamp;

/// An SMS the gateway took, whose delivery report is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwaitingReport {
    pub id: i64,
    /// The gateway's id of the message.
    pub provider_id: String,
}

/// What a gateway reported of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// It reached the phone.
    Delivered,
    /// It never will (the gateway's status, e.g. `UNDELIV`, `EXPIRED`): given up.
    Undelivered(String),
    /// Not known yet: asked again at the time given to [`Store::record_reports`].
    Pending,
}

impl Store {
    /// Up to `limit` SMS sent since `since` whose report is due at `now`, the longest due first.
    pub async fn sms_awaiting_report(
        &self,
        now: Timestamp,
        since: Timestamp,
        limit: i64,
    ) -> Result<Vec<AwaitingReport>> {
        with_db!(self, |read, _write| {
            let rows: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, provider_id FROM outbox WHERE channel = 'sms' AND state = 'sent' \
                 AND provider_id IS NOT NULL AND next_attempt_at <= $1 AND sent_at >= $2 \
                 ORDER BY next_attempt_at, id LIMIT $3",
            )
            .bind(us(now))
            .bind(us(since))
            .bind(limit)
            .fetch_all(read)
            .await?;
            Ok(rows
                .into_iter()
                .map(|(id, provider_id)| AwaitingReport { id, provider_id })
                .collect())
        })
    }

    /// Records what the gateway reported, in one transaction: delivered, given up with the
    /// gateway's status, or asked again at `again`. A message changed meanwhile (no longer
    /// `sent`) keeps that change.
    pub async fn record_reports(
        &self,
        reports: &[(i64, Report)],
        now: Timestamp,
        again: Timestamp,
    ) -> Result<()> {
        if reports.is_empty() {
            return Ok(());
        }
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            for (id, report) in reports {
                let q = match report {
                    Report::Delivered => sqlx::query(
                        "UPDATE outbox SET state = 'delivered', updated_at = $2 \
                         WHERE id = $1 AND state = 'sent'",
                    )
                    .bind(*id)
                    .bind(us(now)),
                    Report::Undelivered(status) => sqlx::query(
                        "UPDATE outbox SET state = 'dead', updated_at = $2, last_error = $3 \
                         WHERE id = $1 AND state = 'sent'",
                    )
                    .bind(*id)
                    .bind(us(now))
                    .bind(format!(
                        "not delivered: {}",
                        status.chars().take(100).collect::<String>()
                    )),
                    Report::Pending => sqlx::query(
                        "UPDATE outbox SET next_attempt_at = $2 WHERE id = $1 AND state = 'sent'",
                    )
                    .bind(*id)
                    .bind(us(again)),
                };
                q.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
