//! The storage layer's one error type.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use thiserror::Error;

/// What went wrong in storage. The server maps these to HTTP: `NotFound` 404, `Conflict` 409,
/// `Invalid` 422, `Forbidden` 403, `Unavailable` 503, `Database` 500.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A uniqueness or state conflict; `code` is stable (e.g. "organization_code_taken").
    #[error("conflict: {code}")]
    Conflict {
        code: &'static str,
        field: Option<&'static str>,
    },
    /// A reference to something that does not exist or is not allowed (e.g. unknown parent),
    /// or a value the database cannot store ([`UNSTORABLE`], `field` empty: the database does
    /// not say which).
    #[error("invalid {field}: {code}")]
    Invalid {
        code: &'static str,
        field: &'static str,
    },
    /// The caller's token may not act on this (e.g. an acceptance place outside its sub-tree).
    #[error("forbidden: {field}")]
    Forbidden { field: &'static str },
    /// The database could not be reached: nothing was written.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] BoxError),
    #[error("database error: {0}")]
    Database(#[source] BoxError),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("corrupt stored value in {column}: {detail}")]
    Corrupt {
        column: &'static str,
        detail: String,
    },
}

/// The driver's error behind `Unavailable` and `Database` (sqlx or rusqlite).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        let unavailable = match &e {
            // The connection, the pool or the worker thread failed, or the stream came apart
            // (a session cut mid-message reads as a protocol error). An open transaction is
            // rolled back by the server when its session ends.
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_) => true,
            sqlx::Error::Database(db) => db.code().is_some_and(|c| is_unavailable_code(&c)),
            _ => false,
        };
        match e {
            sqlx::Error::RowNotFound => StoreError::NotFound("row"),
            e if unavailable => {
                connection_failed();
                StoreError::Unavailable(e.into())
            }
            sqlx::Error::Database(db) if is_unstorable_code(db.code().as_deref()) => {
                unstorable(db.code().as_deref().unwrap_or_default())
            }
            _ => StoreError::Database(e.into()),
        }
    }
}

/// The code of [`StoreError::Invalid`] for a value the database refused to store.
pub const UNSTORABLE: &str = "value_not_storable";

/// PostgreSQL data exceptions caused by a value sent to it, never by the server: 22021
/// (a character not in the encoding, e.g. NUL), 22P05 (untranslatable character), 22001
/// (string too long for its column). The edge refuses such values first (issue 15); should
/// one get through, it is the request's fault (422), not a server error (500).
fn is_unstorable_code(code: Option<&str>) -> bool {
    // "18": SQLITE_TOOBIG through sqlx, the counterpart of 22001.
    matches!(code, Some("22021" | "22P05" | "22001" | "18"))
}

/// The refusal of a value the database cannot store; the value itself is not logged (it may
/// be personal data), only the database's code.
fn unstorable(sqlstate: &str) -> StoreError {
    tracing::warn!(sqlstate, "the database refused a value of a request");
    StoreError::Invalid {
        code: UNSTORABLE,
        field: "",
    }
}

impl StoreError {
    /// Whether this is the refusal of a value the database cannot store.
    pub fn is_unstorable(&self) -> bool {
        matches!(self, StoreError::Invalid { code, .. } if *code == UNSTORABLE)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error() {
            Some(f) if is_unavailable_sqlite(f.extended_code & 0xff) => {
                StoreError::Unavailable(e.into())
            }
            // SQLite's counterpart of PostgreSQL's 22001: a value over its length limit.
            Some(f) if f.code == rusqlite::ErrorCode::TooBig => unstorable("SQLITE_TOOBIG"),
            _ => StoreError::Database(e.into()),
        }
    }
}

/// Whether a database error's code says the database could not be reached or cannot take
/// work now, rather than that the statement was wrong. PostgreSQL's codes are five
/// characters (SQLSTATE); SQLite's are numbers, whose low byte is the primary code.
fn is_unavailable_code(code: &str) -> bool {
    if code.len() == 5 {
        return code.starts_with("08") // connection exception
            || code.starts_with("57P") // admin or crash shutdown, cannot connect now, database dropped
            || code.starts_with("53") // insufficient resources: disk full, out of memory, too many connections
            || code == "25006"; // read-only transaction: a standby after a failover
    }
    code.parse::<i32>()
        .is_ok_and(|c| is_unavailable_sqlite(c & 0xff))
}

/// SQLite's primary result codes of a database that is locked past the busy timeout, cannot
/// be opened, read or written (I/O error, disk full, read-only file system).
fn is_unavailable_sqlite(primary: i32) -> bool {
    const BUSY: i32 = 5;
    const LOCKED: i32 = 6;
    const READONLY: i32 = 8;
    const IOERR: i32 = 10;
    const FULL: i32 = 13;
    const CANTOPEN: i32 = 14;
    matches!(primary, BUSY | LOCKED | READONLY | IOERR | FULL | CANTOPEN)
}

/// When a connection last failed (milliseconds since [`epoch`]; 0: never). Pooled
/// PostgreSQL connections released before then are checked before they are used again
/// (`lib::ping_if_idle`): after an outage the pool's idle connections are all dead, and
/// without the check each would fail one request after the database is back.
static LAST_CONNECTION_FAILURE_MS: AtomicU64 = AtomicU64::new(0);

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn connection_failed() {
    let ms = u64::try_from(epoch().elapsed().as_millis()).unwrap_or(u64::MAX);
    LAST_CONNECTION_FAILURE_MS.fetch_max(ms.max(1), Ordering::Relaxed);
}

/// Whether a connection released `idle_for` ago was released before the last connection
/// failure of this process (so it may be dead too).
pub(crate) fn released_before_a_failure(idle_for: Duration) -> bool {
    let failed = LAST_CONNECTION_FAILURE_MS.load(Ordering::Relaxed);
    if failed == 0 {
        return false;
    }
    let now = epoch().elapsed();
    let released = now.saturating_sub(idle_for);
    u128::from(failed) >= released.as_millis()
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_and_resource_codes_are_unavailable() {
        for code in [
            "08006", "08001", "57P01", "57P02", "57P03", "53300", "53100", "25006",
        ] {
            assert!(is_unavailable_code(code), "{code}");
        }
        for code in ["23505", "40001", "42P01", "22P02"] {
            assert!(!is_unavailable_code(code), "{code}");
        }
        // SQLite: busy (5) and its extended codes (busy_snapshot 517, busy_timeout 773),
        // locked, I/O errors, disk full, cannot open; not constraints (19, 2067).
        for code in ["5", "517", "773", "6", "262", "10", "266", "13", "14", "8"] {
            assert!(is_unavailable_code(code), "{code}");
        }
        for code in ["19", "2067", "1", "11"] {
            assert!(!is_unavailable_code(code), "{code}");
        }
    }

    #[test]
    fn a_lost_connection_is_unavailable_and_marks_idle_connections_suspect() {
        assert!(matches!(
            StoreError::from(sqlx::Error::Protocol("connection closed".into())),
            StoreError::Unavailable(_)
        ));
        assert!(matches!(
            StoreError::from(sqlx::Error::Io(std::io::Error::from(
                std::io::ErrorKind::UnexpectedEof
            ))),
            StoreError::Unavailable(_)
        ));
        // Released an hour ago: before the failure just recorded. Released just now: after.
        assert!(released_before_a_failure(Duration::from_secs(3600)));
        std::thread::sleep(Duration::from_millis(5));
        assert!(!released_before_a_failure(Duration::ZERO));
        assert!(matches!(
            StoreError::from(sqlx::Error::RowNotFound),
            StoreError::NotFound(_)
        ));
    }
}
