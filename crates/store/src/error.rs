//! The storage layer's one error type.

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
        match &e {
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Tls(_) => StoreError::Unavailable(e.into()),
            sqlx::Error::RowNotFound => StoreError::NotFound("row"),
            sqlx::Error::Database(db) if is_unavailable_code(db.code().as_deref()) => {
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
        use rusqlite::ErrorCode::*;
        match e.sqlite_error_code() {
            Some(DatabaseBusy | DatabaseLocked | CannotOpen | SystemIoFailure | DiskFull) => {
                StoreError::Unavailable(e.into())
            }
            // SQLite's counterpart of PostgreSQL's 22001: a value over its length limit.
            Some(TooBig) => unstorable("SQLITE_TOOBIG"),
            _ => StoreError::Database(e.into()),
        }
    }
}

/// PostgreSQL connection-class and shutdown errors, SQLite busy/locked/cannot-open.
fn is_unavailable_code(code: Option<&str>) -> bool {
    match code {
        Some(c) => {
            c.starts_with("08") // connection exception
                || c.starts_with("57P") // admin shutdown, crash shutdown, cannot connect now
                || c == "53300" // too many connections
                || c == "5" || c == "6" || c == "14" // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN
        }
        None => false,
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
