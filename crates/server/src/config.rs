//! Server configuration: defaults, a TOML file, then `QYZMET_*` environment variables, then
//! command-line flags (applied by the CLI), each overriding the one before.

use qyzmet_signature::{ExpiredSince, StaleCrl};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// `sqlite://path` (default, a file under ./data) or `postgres://…`.
    pub database_url: String,
    /// Database pool size. Defaults to [`default_pool_size`].
    pub max_connections: u32,
    /// Seconds a request waits for the database before it answers 503: for a pooled
    /// connection or a new one (connecting included), and on SQLite for a lock another
    /// process holds (its busy timeout).
    pub database_timeout_secs: u64,
    /// Seconds a request may take in all before it answers 503: bounds a request whose
    /// database stopped answering in the middle of a query (a dead network path, a stalled
    /// server), which no connection timeout sees.
    pub request_timeout_secs: u64,
    /// Fraction of the term elapsed at which an application is "nearing" (0.8 = last 20%).
    pub nearing_fraction: f64,
    /// Seconds between overdue sweeps.
    pub sweep_interval_secs: u64,
    /// Seconds between checks for calendar edits made on other nodes.
    pub calendar_poll_secs: u64,
    /// Largest accepted request body, bytes. A batch of 1,000 signed events, each CMS
    /// carrying the signer's and the CA's certificates, is about 3 MB.
    pub body_limit_bytes: usize,
    /// Largest number of events in one batch.
    pub batch_limit: usize,
    /// Log format: "text" or "json".
    pub log_format: String,
    /// Trust anchors and intermediates of signatures: a directory of PEM/DER certificates.
    /// Without it no signature can be trusted (signed data is refused as untrusted).
    pub trust_dir: Option<PathBuf>,
    /// Revocation lists (PEM/DER CRL files) of the trusted issuers.
    pub crl_dir: Option<PathBuf>,
    /// Fetch revocation lists from the certificates' distribution points.
    pub crl_fetch: bool,
    /// Where fetched revocation lists are kept across restarts.
    pub crl_cache_dir: PathBuf,
    /// Seconds between revocation-list refreshes (files and distribution points).
    pub crl_refresh_secs: u64,
    /// A certificate valid at the signing time but expired at receipt: accept or reject.
    pub signature_expired_since: ExpiredSince,
    /// An issuer's revocation list missing or past its next update: fail_closed or fail_open.
    pub crl_stale: StaleCrl,
    /// Role OIDs (extended key usage) every signer's certificate must carry, e.g.
    /// 1.2.398.3.3.4.1.2.2 ("may sign").
    pub signature_required_roles: Vec<String>,
    /// An NCANode v3 server for GOST signatures (off when absent).
    pub ncanode_url: Option<String>,
    /// Seconds to wait for NCANode.
    pub ncanode_timeout_secs: u64,
    /// The server's own key that signs ledger checkpoints (PEM, Ed25519; created if missing).
    pub ledger_key_file: PathBuf,
    /// Seconds between signed checkpoints of the ledger.
    pub checkpoint_interval_secs: u64,
    /// Seconds between the report job's checks (the previous month's report is generated at
    /// the first check of a month; one node runs the job).
    pub report_check_secs: u64,
    /// Seconds between revisions of the stored reports (late data makes new versions).
    pub report_revision_secs: u64,
    /// Mark the workstation's cookies `Secure` (sent over HTTPS only; browsers also send them
    /// to http://localhost and 127.0.0.1). Turn off only behind a TLS-terminating proxy that
    /// speaks plain HTTP to browsers, which you should not have.
    pub cookie_secure: bool,
    /// Sign-in attempts a minute on one username (known or not), a burst of as many; more are
    /// answered 429 with `Retry-After` (issue 15, finding 5).
    pub sign_in_per_account_per_minute: u32,
    /// Sign-in attempts a minute from one client address (the TCP peer). Behind a reverse
    /// proxy every client has the proxy's address: raise it there.
    pub sign_in_per_client_per_minute: u32,
    /// Public status lookups (`/status`, `GET /api/v1/public/status`) a minute from one client
    /// address, a burst of as many; more are answered 429 with `Retry-After`. 0 lifts the
    /// limit (benchmarks only).
    pub status_lookups_per_client_per_minute: u32,
    /// Digital tickets taken without signing in (`POST /api/v1/offices/{code}/tickets`) a
    /// minute from one client address; a kiosk signs in and is not limited. 0 lifts the limit.
    pub tickets_per_client_per_minute: u32,
    /// Passwords checked at once (argon2id, on blocking threads). 0: all cores but one.
    pub hashing_workers: usize,
    /// Sign-ins that may wait for a hashing worker; more are answered 429 at once.
    pub hashing_queue: usize,
    /// Milliseconds a sign-in waits in that queue before it is answered 429.
    pub hashing_max_wait_ms: u64,
    /// The address applicants reach this server at (links in their messages point to
    /// `<public_url>/status`); `http://<listen>` when absent.
    pub public_url: Option<String>,
    /// The SMTP server that carries e-mail to applicants: `smtp://[user:pass@]host:port`
    /// (STARTTLS when the server offers it; `?tls=required` to insist) or `smtps://…` (TLS
    /// from the start). No e-mail is sent without it (messages wait in the outbox).
    pub smtp_url: Option<String>,
    /// The From of e-mail to applicants, e.g. `qyzmet <noreply@qyzmet.gov.kz>`.
    pub smtp_from: String,
    /// The SMS gateway: `mobizon` (docs/informing.md). No SMS is sent without it.
    pub sms_provider: Option<String>,
    /// The gateway's API address (Mobizon's regional one, e.g. https://api.mobizon.kz).
    pub sms_url: String,
    /// The gateway's API key.
    pub sms_api_key: Option<String>,
    /// The sender name registered with the gateway (none: the gateway's default).
    pub sms_from: Option<String>,
    /// Let webhooks post to loopback and private addresses (tests and closed networks only).
    pub webhook_allow_private: bool,
    /// Milliseconds between the delivery job's looks at the outbox when it found nothing due.
    pub informing_interval_ms: u64,
    /// Attempts before a message is given up (dead).
    pub informing_max_attempts: u32,
    /// Messages sent at once by the delivery job.
    pub informing_concurrency: usize,
    /// Milliseconds before a failed message is tried again the first time; doubled at each
    /// failure, at most an hour.
    pub informing_backoff_ms: u64,
}

/// Twice the cores, at least 4: PostgreSQL's rule of thumb for an active pool (more
/// connections than that only queue on the CPUs). Measured on the 2-core benchmark machine,
/// with the database on the same cores: 4 connections answered 6,172 lookups/s with p99
/// 8.9 ms, 8 connections 5,754/s with p99 10.9 ms (BENCHMARKS.md).
pub fn default_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    u32::try_from(cores.saturating_mul(2))
        .unwrap_or(u32::MAX)
        .max(4)
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://data/qyzmet.db".into(),
            max_connections: default_pool_size(),
            database_timeout_secs: 2,
            request_timeout_secs: 15,
            nearing_fraction: 0.8,
            sweep_interval_secs: 30,
            calendar_poll_secs: 30,
            body_limit_bytes: 8 * 1024 * 1024,
            batch_limit: 1000,
            log_format: "text".into(),
            trust_dir: None,
            crl_dir: None,
            crl_fetch: true,
            crl_cache_dir: PathBuf::from("data/crl-cache"),
            crl_refresh_secs: 3600,
            signature_expired_since: ExpiredSince::Accept,
            crl_stale: StaleCrl::FailClosed,
            signature_required_roles: vec![],
            ncanode_url: None,
            ncanode_timeout_secs: 10,
            ledger_key_file: PathBuf::from("data/ledger-key.pem"),
            checkpoint_interval_secs: 60,
            report_check_secs: 600,
            report_revision_secs: 3600,
            cookie_secure: true,
            sign_in_per_account_per_minute: 10,
            sign_in_per_client_per_minute: 60,
            status_lookups_per_client_per_minute: 20,
            tickets_per_client_per_minute: 10,
            hashing_workers: 0,
            hashing_queue: 32,
            hashing_max_wait_ms: 2000,
            public_url: None,
            smtp_url: None,
            smtp_from: "qyzmet <noreply@qyzmet.localhost>".into(),
            sms_provider: None,
            sms_url: "https://api.mobizon.kz".into(),
            sms_api_key: None,
            sms_from: None,
            webhook_allow_private: false,
            informing_interval_ms: 1000,
            informing_max_attempts: 8,
            informing_concurrency: 16,
            informing_backoff_ms: 30_000,
        }
    }
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid configuration file {path}: {source}")]
    Parse {
        path: String,
        source: toml::de::Error,
    },
    #[error("invalid value of {name}: {value:?} ({reason})")]
    Env {
        name: &'static str,
        value: String,
        reason: String,
    },
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Config {
    /// Defaults, overridden by the file (if given), then by the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut cfg = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.display().to_string(),
                    source,
                })?;
                toml::from_str(&text).map_err(|source| ConfigError::Parse {
                    path: path.display().to_string(),
                    source,
                })?
            }
            None => Config::default(),
        };
        cfg.apply_env(|k| std::env::var(k).ok())?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Applies `QYZMET_*` variables read through `get`.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn parse<T: std::str::FromStr>(name: &'static str, v: String) -> Result<T, ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            v.parse().map_err(|e: T::Err| ConfigError::Env {
                name,
                value: v.clone(),
                reason: e.to_string(),
            })
        }
        if let Some(v) = get("QYZMET_LISTEN") {
            self.listen = parse("QYZMET_LISTEN", v)?;
        }
        if let Some(v) = get("QYZMET_DATABASE_URL") {
            self.database_url = v;
        }
        if let Some(v) = get("QYZMET_MAX_CONNECTIONS") {
            self.max_connections = parse("QYZMET_MAX_CONNECTIONS", v)?;
        }
        if let Some(v) = get("QYZMET_DATABASE_TIMEOUT_SECS") {
            self.database_timeout_secs = parse("QYZMET_DATABASE_TIMEOUT_SECS", v)?;
        }
        if let Some(v) = get("QYZMET_REQUEST_TIMEOUT_SECS") {
            self.request_timeout_secs = parse("QYZMET_REQUEST_TIMEOUT_SECS", v)?;
        }
        if let Some(v) = get("QYZMET_NEARING_FRACTION") {
            self.nearing_fraction = parse("QYZMET_NEARING_FRACTION", v)?;
        }
        if let Some(v) = get("QYZMET_SWEEP_INTERVAL_SECS") {
            self.sweep_interval_secs = parse("QYZMET_SWEEP_INTERVAL_SECS", v)?;
        }
        if let Some(v) = get("QYZMET_LOG_FORMAT") {
            self.log_format = v;
        }
        if let Some(v) = get("QYZMET_TRUST_DIR") {
            self.trust_dir = Some(PathBuf::from(v));
        }
        if let Some(v) = get("QYZMET_CRL_DIR") {
            self.crl_dir = Some(PathBuf::from(v));
        }
        if let Some(v) = get("QYZMET_CRL_FETCH") {
            self.crl_fetch = parse("QYZMET_CRL_FETCH", v)?;
        }
        if let Some(v) = get("QYZMET_CRL_CACHE_DIR") {
            self.crl_cache_dir = PathBuf::from(v);
        }
        if let Some(v) = get("QYZMET_CRL_REFRESH_SECS") {
            self.crl_refresh_secs = parse("QYZMET_CRL_REFRESH_SECS", v)?;
        }
        if let Some(v) = get("QYZMET_SIGNATURE_EXPIRED_SINCE") {
            self.signature_expired_since = match v.as_str() {
                "accept" => ExpiredSince::Accept,
                "reject" => ExpiredSince::Reject,
                _ => {
                    return Err(ConfigError::Env {
                        name: "QYZMET_SIGNATURE_EXPIRED_SINCE",
                        value: v,
                        reason: "expected accept or reject".into(),
                    })
                }
            };
        }
        if let Some(v) = get("QYZMET_CRL_STALE") {
            self.crl_stale = match v.as_str() {
                "fail_closed" => StaleCrl::FailClosed,
                "fail_open" => StaleCrl::FailOpen,
                _ => {
                    return Err(ConfigError::Env {
                        name: "QYZMET_CRL_STALE",
                        value: v,
                        reason: "expected fail_closed or fail_open".into(),
                    })
                }
            };
        }
        if let Some(v) = get("QYZMET_SIGNATURE_REQUIRED_ROLES") {
            self.signature_required_roles = v
                .split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .collect();
        }
        if let Some(v) = get("QYZMET_NCANODE_URL") {
            self.ncanode_url = Some(v).filter(|u| !u.is_empty());
        }
        if let Some(v) = get("QYZMET_LEDGER_KEY_FILE") {
            self.ledger_key_file = PathBuf::from(v);
        }
        if let Some(v) = get("QYZMET_CHECKPOINT_INTERVAL_SECS") {
            self.checkpoint_interval_secs = parse("QYZMET_CHECKPOINT_INTERVAL_SECS", v)?;
        }
        if let Some(v) = get("QYZMET_REPORT_CHECK_SECS") {
            self.report_check_secs = parse("QYZMET_REPORT_CHECK_SECS", v)?;
        }
        if let Some(v) = get("QYZMET_REPORT_REVISION_SECS") {
            self.report_revision_secs = parse("QYZMET_REPORT_REVISION_SECS", v)?;
        }
        if let Some(v) = get("QYZMET_COOKIE_SECURE") {
            self.cookie_secure = parse("QYZMET_COOKIE_SECURE", v)?;
        }
        if let Some(v) = get("QYZMET_SIGN_IN_PER_ACCOUNT_PER_MINUTE") {
            self.sign_in_per_account_per_minute =
                parse("QYZMET_SIGN_IN_PER_ACCOUNT_PER_MINUTE", v)?;
        }
        if let Some(v) = get("QYZMET_SIGN_IN_PER_CLIENT_PER_MINUTE") {
            self.sign_in_per_client_per_minute = parse("QYZMET_SIGN_IN_PER_CLIENT_PER_MINUTE", v)?;
        }
        if let Some(v) = get("QYZMET_STATUS_LOOKUPS_PER_CLIENT_PER_MINUTE") {
            self.status_lookups_per_client_per_minute =
                parse("QYZMET_STATUS_LOOKUPS_PER_CLIENT_PER_MINUTE", v)?;
        }
        if let Some(v) = get("QYZMET_TICKETS_PER_CLIENT_PER_MINUTE") {
            self.tickets_per_client_per_minute = parse("QYZMET_TICKETS_PER_CLIENT_PER_MINUTE", v)?;
        }
        if let Some(v) = get("QYZMET_HASHING_WORKERS") {
            self.hashing_workers = parse("QYZMET_HASHING_WORKERS", v)?;
        }
        if let Some(v) = get("QYZMET_HASHING_QUEUE") {
            self.hashing_queue = parse("QYZMET_HASHING_QUEUE", v)?;
        }
        if let Some(v) = get("QYZMET_HASHING_MAX_WAIT_MS") {
            self.hashing_max_wait_ms = parse("QYZMET_HASHING_MAX_WAIT_MS", v)?;
        }
        let some = |v: String| Some(v).filter(|v| !v.trim().is_empty());
        if let Some(v) = get("QYZMET_PUBLIC_URL") {
            self.public_url = some(v);
        }
        if let Some(v) = get("QYZMET_SMTP_URL") {
            self.smtp_url = some(v);
        }
        if let Some(v) = get("QYZMET_SMTP_FROM") {
            self.smtp_from = v;
        }
        if let Some(v) = get("QYZMET_SMS_PROVIDER") {
            self.sms_provider = some(v);
        }
        if let Some(v) = get("QYZMET_SMS_URL") {
            self.sms_url = v;
        }
        if let Some(v) = get("QYZMET_SMS_API_KEY") {
            self.sms_api_key = some(v);
        }
        if let Some(v) = get("QYZMET_SMS_FROM") {
            self.sms_from = some(v);
        }
        if let Some(v) = get("QYZMET_WEBHOOK_ALLOW_PRIVATE") {
            self.webhook_allow_private = parse("QYZMET_WEBHOOK_ALLOW_PRIVATE", v)?;
        }
        if let Some(v) = get("QYZMET_INFORMING_INTERVAL_MS") {
            self.informing_interval_ms = parse("QYZMET_INFORMING_INTERVAL_MS", v)?;
        }
        if let Some(v) = get("QYZMET_INFORMING_MAX_ATTEMPTS") {
            self.informing_max_attempts = parse("QYZMET_INFORMING_MAX_ATTEMPTS", v)?;
        }
        if let Some(v) = get("QYZMET_INFORMING_BACKOFF_MS") {
            self.informing_backoff_ms = parse("QYZMET_INFORMING_BACKOFF_MS", v)?;
        }
        if let Some(v) = get("QYZMET_INFORMING_CONCURRENCY") {
            self.informing_concurrency = parse("QYZMET_INFORMING_CONCURRENCY", v)?;
        }
        Ok(())
    }

    /// The address applicants reach the status page at.
    pub fn status_url(&self) -> String {
        format!("{}/status", self.site_url())
    }

    /// The public site's address, without a trailing slash.
    pub fn site_url(&self) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.listen),
        }
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(0.0..=1.0).contains(&self.nearing_fraction) {
            return Err(ConfigError::Invalid(format!(
                "nearing_fraction must be within 0..1, got {}",
                self.nearing_fraction
            )));
        }
        if self.sweep_interval_secs == 0 || self.batch_limit == 0 || self.max_connections == 0 {
            return Err(ConfigError::Invalid(
                "sweep_interval_secs, batch_limit and max_connections must be positive".into(),
            ));
        }
        if self.database_timeout_secs == 0 || self.request_timeout_secs < self.database_timeout_secs
        {
            return Err(ConfigError::Invalid(
                "database_timeout_secs must be positive and request_timeout_secs at least as long"
                    .into(),
            ));
        }
        if self.sign_in_per_account_per_minute == 0 || self.sign_in_per_client_per_minute == 0 {
            return Err(ConfigError::Invalid(
                "sign_in_per_account_per_minute and sign_in_per_client_per_minute must be positive"
                    .into(),
            ));
        }
        if self.informing_interval_ms == 0
            || self.informing_max_attempts == 0
            || self.informing_concurrency == 0
        {
            return Err(ConfigError::Invalid(
                "informing_interval_ms, informing_max_attempts and informing_concurrency must be \
                 positive"
                    .into(),
            ));
        }
        if let Some(p) = &self.sms_provider {
            if p != "mobizon" {
                return Err(ConfigError::Invalid(format!(
                    "sms_provider must be mobizon, got {p:?}"
                )));
            }
            if self.sms_api_key.is_none() {
                return Err(ConfigError::Invalid(
                    "sms_provider is set but sms_api_key is not".into(),
                ));
            }
        }
        if self.crl_refresh_secs == 0
            || self.checkpoint_interval_secs == 0
            || self.report_check_secs == 0
            || self.report_revision_secs == 0
        {
            return Err(ConfigError::Invalid(
                "crl_refresh_secs, checkpoint_interval_secs, report_check_secs and \
                 report_revision_secs must be positive"
                    .into(),
            ));
        }
        for role in &self.signature_required_roles {
            let ok = !role.is_empty()
                && role
                    .split('.')
                    .all(|arc| !arc.is_empty() && arc.bytes().all(|b| b.is_ascii_digit()));
            if !ok {
                return Err(ConfigError::Invalid(format!(
                    "signature_required_roles: {role:?} is not an OID (dotted digits)"
                )));
            }
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(ConfigError::Invalid(format!(
                "log_format must be text or json, got {:?}",
                self.log_format
            )));
        }
        Ok(())
    }

    pub fn sweep_interval(&self) -> Duration {
        Duration::from_secs(self.sweep_interval_secs)
    }

    pub fn database_timeout(&self) -> Duration {
        Duration::from_secs(self.database_timeout_secs)
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_defaults() {
        let mut c = Config::default();
        c.apply_env(|k| match k {
            "QYZMET_LISTEN" => Some("0.0.0.0:9000".into()),
            "QYZMET_DATABASE_URL" => Some("postgres://x/y".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.listen.port(), 9000);
        assert_eq!(c.database_url, "postgres://x/y");
    }

    #[test]
    fn bad_env_value_names_the_variable() {
        let mut c = Config::default();
        let err = c
            .apply_env(|k| (k == "QYZMET_LISTEN").then(|| "nowhere".into()))
            .unwrap_err();
        assert!(err.to_string().contains("QYZMET_LISTEN"), "{err}");
    }

    #[test]
    fn signature_settings_from_env_and_file() {
        let mut c = Config::default();
        c.apply_env(|k| match k {
            "QYZMET_TRUST_DIR" => Some("/etc/qyzmet/trust".into()),
            "QYZMET_CRL_DIR" => Some("/etc/qyzmet/crl".into()),
            "QYZMET_CRL_STALE" => Some("fail_open".into()),
            "QYZMET_SIGNATURE_EXPIRED_SINCE" => Some("reject".into()),
            "QYZMET_SIGNATURE_REQUIRED_ROLES" => {
                Some("1.2.398.3.3.4.1.2.2, 1.2.398.3.3.4.1.2".into())
            }
            _ => None,
        })
        .unwrap();
        assert_eq!(c.trust_dir.as_deref(), Some(Path::new("/etc/qyzmet/trust")));
        assert_eq!(c.crl_dir.as_deref(), Some(Path::new("/etc/qyzmet/crl")));
        assert_eq!(c.crl_stale, StaleCrl::FailOpen);
        assert_eq!(c.signature_expired_since, ExpiredSince::Reject);
        assert_eq!(c.signature_required_roles.len(), 2);
        c.validate().unwrap();
        let err = c
            .apply_env(|k| (k == "QYZMET_CRL_STALE").then(|| "sometimes".into()))
            .unwrap_err();
        assert!(err.to_string().contains("QYZMET_CRL_STALE"), "{err}");
        c.signature_required_roles = vec!["may sign".into()];
        assert!(c.validate().is_err());
        let f: Config = toml::from_str(
            "trust_dir = \"/t\"\ncrl_stale = \"fail_open\"\nsignature_required_roles = [\"1.2.3\"]",
        )
        .unwrap();
        assert_eq!(f.trust_dir.as_deref(), Some(Path::new("/t")));
        assert_eq!(f.crl_stale, StaleCrl::FailOpen);
    }

    #[test]
    fn file_rejects_unknown_keys() {
        assert!(toml::from_str::<Config>("listne = \"1.2.3.4:1\"").is_err());
        let c: Config = toml::from_str("nearing_fraction = 0.5").unwrap();
        assert_eq!(c.nearing_fraction, 0.5);
    }
}
