//! The delivery job: while this node holds the lease, it takes the due messages of the
//! configured channels, sends up to `informing_concurrency` at once, and records results as
//! they come in (in small groups, so a node that dies mid-way has recorded all but the last
//! few). A message accepted by the server but not yet recorded when the node dies is sent
//! again by the next holder — the receiver tells it by its key (Message-ID, Idempotency-Key).

use super::email::Mailer;
use super::sms::Mobizon;
use super::webhook::Poster;
use super::{Failure, Sent};
use crate::config::Config;
use crate::state::AppState;
use futures::StreamExt;
use jiff::{SignedDuration, Timestamp};
use qyzmet_store::{Attempt, DueMessage, Report, StoreError, SITE_URL, STATUS_URL};
use std::time::Duration;
use tokio::sync::watch;

pub const DELIVERY_JOB: &str = "informing";

/// The longest wait before a failed message is tried again.
const MAX_BACKOFF: SignedDuration = SignedDuration::from_secs(3600);

/// Results recorded together.
const RECORD_GROUP: usize = 32;

/// The channels this node can send through.
pub struct Channels {
    email: Option<Mailer>,
    sms: Option<Mobizon>,
    webhooks: Poster,
    status_url: String,
    site_url: String,
    concurrency: usize,
    max_attempts: u32,
    first_backoff: SignedDuration,
}

impl Channels {
    /// The channels `config` sets up (webhooks always; e-mail and SMS when configured).
    pub fn from_config(config: &Config) -> Result<Channels, String> {
        let email = config
            .smtp_url
            .as_deref()
            .map(|url| Mailer::new(url, &config.smtp_from, config.informing_concurrency))
            .transpose()?;
        let sms = match (&config.sms_provider, &config.sms_api_key) {
            (Some(_), Some(key)) => Some(Mobizon::new(
                &config.sms_url,
                key,
                config.sms_from.as_deref(),
            )?),
            _ => None,
        };
        Ok(Channels {
            email,
            sms,
            webhooks: Poster::new(config.webhook_allow_private),
            status_url: config.status_url(),
            site_url: config.site_url(),
            concurrency: config.informing_concurrency.max(1),
            max_attempts: config.informing_max_attempts.max(1),
            first_backoff: SignedDuration::from_millis(
                i64::try_from(config.informing_backoff_ms).unwrap_or(i64::MAX),
            ),
        })
    }

    /// The channels messages are taken for: a channel not configured keeps its messages
    /// waiting (pending) until it is.
    pub fn names(&self) -> Vec<&'static str> {
        let mut v = vec!["webhook"];
        if self.email.is_some() {
            v.push("email");
        }
        if self.sms.is_some() {
            v.push("sms");
        }
        v
    }

    async fn send(&self, m: &DueMessage) -> Sent {
        let fill = |s: &str| {
            s.replace(STATUS_URL, &self.status_url)
                .replace(SITE_URL, &self.site_url)
        };
        match m.channel.as_str() {
            "email" => match &self.email {
                Some(mailer) => {
                    mailer
                        .send(&m.key, &m.recipient, &fill(&m.subject), &fill(&m.body))
                        .await
                }
                None => Err(Failure::transient("e-mail is not configured")),
            },
            "sms" => match &self.sms {
                Some(gateway) => gateway.send(&m.recipient, &fill(&m.body)).await,
                None => Err(Failure::transient("SMS is not configured")),
            },
            "webhook" => match (&m.webhook_url, &m.webhook_secret) {
                (Some(url), Some(secret)) => self.webhooks.send(&m.key, url, secret, &m.body).await,
                _ => Err(Failure::permanent("webhook removed")),
            },
            other => Err(Failure::permanent(format!("unknown channel {other}"))),
        }
    }

    /// What recording `sent` for a message tried `attempts` times before means.
    fn attempt(&self, attempts: i64, sent: Sent, now: Timestamp) -> Attempt {
        match sent {
            Ok(provider_id) => Attempt::Sent { provider_id },
            Err(f) => {
                let tries = attempts + 1;
                let retry_at = (!f.permanent && tries < i64::from(self.max_attempts)).then(|| {
                    now.checked_add(backoff(self.first_backoff, tries))
                        .unwrap_or(now)
                });
                Attempt::Failed {
                    error: f.reason,
                    retry_at,
                }
            }
        }
    }
}

/// The wait after the `tries`-th failure: `first`, twice that, four times… at most an hour.
pub fn backoff(first: SignedDuration, tries: i64) -> SignedDuration {
    let factor = 1_i64 << tries.clamp(1, 20).saturating_sub(1);
    first
        .checked_mul(i32::try_from(factor).unwrap_or(i32::MAX))
        .map_or(MAX_BACKOFF, |d| d.min(MAX_BACKOFF))
}

/// Delivers while this node holds the lease, until `shutdown`.
pub async fn delivery_loop(
    state: AppState,
    channels: Channels,
    node: String,
    mut shutdown: watch::Receiver<bool>,
) {
    let idle = Duration::from_millis(state.config.informing_interval_ms);
    let ttl = SignedDuration::from_secs(60);
    loop {
        let sent = match deliver_once(&state, &channels, &node, ttl).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "delivery failed");
                0
            }
        };
        if *shutdown.borrow() {
            break;
        }
        if sent > 0 {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(idle) => {}
            _ = shutdown.changed() => break,
        }
    }
    let _ = state.store.release_lease(DELIVERY_JOB, &node).await;
}

/// One round if this node holds (or takes) the lease: the messages due now, sent and
/// recorded. Returns how many were tried (0 when another node holds the lease).
pub async fn deliver_once(
    state: &AppState,
    channels: &Channels,
    node: &str,
    ttl: SignedDuration,
) -> Result<usize, StoreError> {
    let now = Timestamp::now();
    if !state
        .store
        .acquire_lease(DELIVERY_JOB, node, now, ttl)
        .await?
    {
        return Ok(0);
    }
    let reported = check_reports(state, channels, now).await?;
    let names = channels.names();
    let limit = i64::try_from(channels.concurrency * 16).unwrap_or(256);
    let due = state.store.due_messages(&names, now, limit).await?;
    let tried = due.len();
    let mut results = futures::stream::iter(due)
        .map(|m| async move {
            let sent = channels.send(&m).await;
            if let Err(f) = &sent {
                // The message's id and channel only: recipients are personal data.
                tracing::info!(id = m.id, channel = %m.channel, reason = %f.reason, "not delivered");
            }
            (m, sent)
        })
        .buffer_unordered(channels.concurrency)
        .ready_chunks(RECORD_GROUP);
    while let Some(group) = results.next().await {
        let at = Timestamp::now();
        let attempts: Vec<(i64, Attempt)> = group
            .into_iter()
            .map(|(m, sent)| {
                let a = channels.attempt(m.attempts, sent, at);
                let outcome = match &a {
                    Attempt::Sent { .. } => "sent",
                    Attempt::Failed { retry_at: Some(_), .. } => "failed",
                    Attempt::Failed { retry_at: None, .. } => "dead",
                };
                metrics::counter!("qyzmet_outbox_attempts_total", "channel" => m.channel.clone(), "outcome" => outcome)
                    .increment(1);
                (m.id, a)
            })
            .collect();
        state.store.record_attempts(&attempts, at).await?;
        // A round of slow peers may outlast the lease: renew it with each group, and stop
        // once another node holds it (sends under way are dropped unrecorded, as in a crash:
        // the holder sends them again with the same key).
        if !state
            .store
            .acquire_lease(DELIVERY_JOB, node, at, ttl)
            .await?
        {
            break;
        }
    }
    Ok(tried + reported)
}

/// How long after sending an SMS its delivery report is asked for.
const REPORTS_FOR: SignedDuration = SignedDuration::from_hours(72);
/// When a report not known yet is asked for again.
const REPORT_AGAIN: SignedDuration = SignedDuration::from_secs(60);

/// Reads the gateway's delivery reports of up to 100 SMS whose report is due, and records
/// them (delivered, or given up with the gateway's status). Returns how many became final.
async fn check_reports(
    state: &AppState,
    channels: &Channels,
    now: Timestamp,
) -> Result<usize, StoreError> {
    let Some(gateway) = &channels.sms else {
        return Ok(0);
    };
    let since = now.checked_sub(REPORTS_FOR).unwrap_or(now);
    let due = state.store.sms_awaiting_report(now, since, 100).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let ids: Vec<String> = due.iter().map(|d| d.provider_id.clone()).collect();
    let known = match gateway.reports(&ids).await {
        Ok(k) => k,
        Err(f) => {
            tracing::info!(reason = %f.reason, "sms delivery reports not read");
            std::collections::HashMap::new()
        }
    };
    let reports: Vec<(i64, Report)> = due
        .iter()
        .map(|d| {
            (
                d.id,
                known
                    .get(&d.provider_id)
                    .cloned()
                    .unwrap_or(Report::Pending),
            )
        })
        .collect();
    let finals = reports
        .iter()
        .filter(|(_, r)| *r != Report::Pending)
        .count();
    let again = now.checked_add(REPORT_AGAIN).unwrap_or(now);
    state.store.record_reports(&reports, now, again).await?;
    Ok(finals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let first = SignedDuration::from_secs(30);
        assert_eq!(backoff(first, 1), SignedDuration::from_secs(30));
        assert_eq!(backoff(first, 2), SignedDuration::from_secs(60));
        assert_eq!(backoff(first, 5), SignedDuration::from_secs(480));
        assert_eq!(backoff(first, 8), SignedDuration::from_secs(3600));
        assert_eq!(backoff(first, 1000), SignedDuration::from_secs(3600));
    }
}
