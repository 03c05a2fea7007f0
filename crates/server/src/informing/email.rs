//! E-mail to applicants over SMTP (lettre's protocol; TLS by rustls): `smtp://` on this
//! crate's connections with Nagle's algorithm off ([`super::smtp`]), `smtps://` on lettre's
//! pooled transport. Each message carries a Message-ID made of its outbox key, so a receiver
//! (and the tests) can tell a resent message from a new one.

use super::smtp::{Connections, SendError};
use super::{Failure, Sent};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

enum Transport {
    /// `smtp://`: connections with `TCP_NODELAY`.
    Direct(Connections),
    /// `smtps://`: lettre's pooled transport.
    Pooled(AsyncSmtpTransport<Tokio1Executor>),
}

/// An SMTP relay and the sender it writes as.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    domain: String,
}

impl Mailer {
    /// `url`: `smtp://[user:pass@]host:port` or `smtps://…` (lettre's URL form); `from`: a
    /// mailbox (`Name <address>`); up to `connections` connections kept open.
    pub fn new(url: &str, from: &str, connections: usize) -> Result<Mailer, String> {
        let transport = match Connections::from_url(url, connections)? {
            Some(direct) => Transport::Direct(direct),
            None => Transport::Pooled(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("smtp_url: {e}"))?
                    .pool_config(PoolConfig::new().max_size(connections.max(1) as u32))
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ),
        };
        let from: Mailbox = from.parse().map_err(|e| format!("smtp_from: {e}"))?;
        let domain = from.email.domain().to_string();
        Ok(Mailer {
            transport,
            from,
            domain,
        })
    }

    /// The Message-ID of the message of outbox key `key`.
    pub fn message_id(&self, key: &str) -> String {
        let left: String = key
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '.' })
            .collect();
        format!("<{left}@{}>", self.domain)
    }

    pub async fn send(&self, key: &str, to: &str, subject: &str, body: &str) -> Sent {
        let to: Mailbox = to
            .parse()
            .map_err(|e| Failure::permanent(format!("recipient: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(self.message_id(key)))
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| Failure::permanent(format!("message: {e}")))?;
        let sent = match &self.transport {
            Transport::Direct(c) => c.send(message.envelope(), &message.formatted()).await,
            Transport::Pooled(t) => t.send(message).await.map(|_| ()).map_err(SendError::Smtp),
        };
        match sent {
            Ok(()) => Ok(None),
            Err(SendError::Smtp(e)) if e.is_permanent() => {
                Err(Failure::permanent(format!("smtp: {e}")))
            }
            Err(SendError::Smtp(e)) => Err(Failure::transient(format!("smtp: {e}"))),
            Err(SendError::Connect(e)) => Err(Failure::transient(format!("smtp: connection: {e}"))),
        }
    }
}
