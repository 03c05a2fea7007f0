//! Server configuration: defaults, a TOML file, then `QYZMET_*` environment variables, then
//! command-line flags (applied by the CLI), each overriding the one before.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::Path;
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
    /// Fraction of the term elapsed at which an application is "nearing" (0.8 = last 20%).
    pub nearing_fraction: f64,
    /// Seconds between overdue sweeps.
    pub sweep_interval_secs: u64,
    /// Seconds between checks for calendar edits made on other nodes.
    pub calendar_poll_secs: u64,
    /// Largest accepted request body, bytes.
    pub body_limit_bytes: usize,
    /// Largest number of events in one batch.
    pub batch_limit: usize,
    /// Log format: "text" or "json".
    pub log_format: String,
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
            nearing_fraction: 0.8,
            sweep_interval_secs: 30,
            calendar_poll_secs: 30,
            body_limit_bytes: 2 * 1024 * 1024,
            batch_limit: 1000,
            log_format: "text".into(),
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
        if let Some(v) = get("QYZMET_NEARING_FRACTION") {
            self.nearing_fraction = parse("QYZMET_NEARING_FRACTION", v)?;
        }
        if let Some(v) = get("QYZMET_SWEEP_INTERVAL_SECS") {
            self.sweep_interval_secs = parse("QYZMET_SWEEP_INTERVAL_SECS", v)?;
        }
        if let Some(v) = get("QYZMET_LOG_FORMAT") {
            self.log_format = v;
        }
        Ok(())
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
    fn file_rejects_unknown_keys() {
        assert!(toml::from_str::<Config>("listne = \"1.2.3.4:1\"").is_err());
        let c: Config = toml::from_str("nearing_fraction = 0.5").unwrap();
        assert_eq!(c.nearing_fraction, 0.5);
    }
}
