//! SMTP connections with Nagle's algorithm off (`smtp://`, plain or STARTTLS), kept open and
//! reused. lettre 0.11.23's own pooled transport does not set `TCP_NODELAY`: it writes a
//! message's body and its final `.` in two writes, and the second waits for the server's
//! delayed acknowledgement of the first — about 40 ms a message on every connection, whatever
//! the server (fixed upstream in lettre#1159, not yet released; BENCHMARKS.md, issue 17). So
//! for `smtp://` this module opens the TCP connection itself, sets `TCP_NODELAY`, and hands it
//! to lettre's protocol ([`AsyncSmtpConnection::connect_with_transport`]): greeting, EHLO,
//! STARTTLS and authentication stay lettre's. `smtps://` (TLS from the first byte) keeps
//! lettre's transport, which owns the TLS handshake.

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::Error;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// How STARTTLS is used (`?tls=` of the URL, as lettre reads it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartTls {
    Never,
    Opportunistic,
    Required,
}

/// Why a message was not sent: the relay could not be reached, or it refused.
#[derive(Debug)]
pub enum SendError {
    Connect(std::io::Error),
    Smtp(Error),
}

impl From<Error> for SendError {
    fn from(e: Error) -> Self {
        SendError::Smtp(e)
    }
}

/// Connections to one relay, at most `max` at once.
pub struct Connections {
    host: String,
    port: u16,
    tls: StartTls,
    credentials: Option<Credentials>,
    hello: ClientId,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
    permits: Semaphore,
}

/// A connection idle longer than this is checked (NOOP) before it is used again.
const CHECK_AFTER: Duration = Duration::from_secs(30);
const TIMEOUT: Duration = Duration::from_secs(20);

impl Connections {
    /// From an `smtp://[user:pass@]host[:port][/hello-name][?tls=required|opportunistic]` URL
    /// (lettre's form); `None` for another scheme.
    pub fn from_url(url: &str, max: usize) -> Result<Option<Connections>, String> {
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("smtp_url: {e}"))?;
        if parsed.scheme() != "smtp" {
            return Ok(None);
        }
        let host = parsed
            .host_str()
            .ok_or("smtp_url: no host")?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let tls = match parsed
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned())
        {
            None => StartTls::Never,
            Some(v) if v == "required" => StartTls::Required,
            Some(v) if v == "opportunistic" => StartTls::Opportunistic,
            Some(v) => return Err(format!("smtp_url: tls={v} (required or opportunistic)")),
        };
        let port = parsed
            .port()
            .unwrap_or(if tls == StartTls::Never { 25 } else { 587 });
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|e| format!("smtp_url: {e}"))
        };
        let credentials = match parsed.password() {
            Some(p) => Some(Credentials::new(decode(parsed.username())?, decode(p)?)),
            None => None,
        };
        let hello = match parsed.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_string()),
        };
        Ok(Some(Connections {
            host,
            port,
            tls,
            credentials,
            hello,
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(max.max(1)),
        }))
    }

    /// Sends one message on an idle connection or a new one; a connection that failed is
    /// closed, never reused.
    pub async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), SendError> {
        let _permit = self.permits.acquire().await;
        let mut conn = match self.reuse().await {
            Some(c) => c,
            None => self.connect().await?,
        };
        match conn.send(envelope, message).await {
            Ok(_) => {
                self.idle
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push((conn, Instant::now()));
                Ok(())
            }
            Err(e) => {
                conn.abort().await;
                Err(e.into())
            }
        }
    }

    async fn reuse(&self) -> Option<AsyncSmtpConnection> {
        loop {
            let (mut conn, since) = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop()?;
            if conn.has_broken() {
                continue;
            }
            if since.elapsed() > CHECK_AFTER && !conn.test_connected().await {
                conn.abort().await;
                continue;
            }
            return Some(conn);
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let connect = tokio::net::TcpStream::connect((self.host.as_str(), self.port));
        let tcp = tokio::time::timeout(TIMEOUT, connect)
            .await
            .map_err(|_| {
                SendError::Connect(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "connection timed out",
                ))
            })?
            .map_err(SendError::Connect)?;
        tcp.set_nodelay(true).map_err(SendError::Connect)?;
        let mut conn =
            AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello).await?;
        let starttls = match self.tls {
            StartTls::Never => false,
            StartTls::Required => true,
            StartTls::Opportunistic => conn.can_starttls(),
        };
        if starttls {
            conn.starttls(TlsParameters::new(self.host.clone())?, &self.hello)
                .await?;
        }
        if let Some(c) = &self.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], c).await?;
        }
        Ok(conn)
    }
}
