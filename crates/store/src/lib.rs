//! Storage of qyzmet: one behaviour over two backends, SQLite (the embedded default, a file)
//! and PostgreSQL (production, many nodes). The backend is chosen once from the URL scheme.
//!
//! Every method is written once: [`with_db!`] expands its body for each backend, with the
//! sqlx types inferred from the pool, so the two backends cannot drift apart in behaviour.
//! Migrations live per backend in `migrations/{sqlite,postgres}`, kept in step by name.

mod amended;
mod applications;
pub mod audit_trail;
mod budget;
mod calendar;
mod catalogue;
pub mod catalogue_io;
mod catalogue_load;
mod chain;
mod contention;
mod convert;
mod dashboard;
pub mod error;
pub mod front_office;
mod import;
pub mod informing;
mod ingest;
pub mod ledger;
mod listing;
pub mod models;
mod native;
mod ops;
mod passports;
pub mod projection;
mod quality;
mod registry;
mod registry_edit;
mod rollup;
mod rows;
mod search;
mod status;
mod user_admin;
mod users;
mod violations;

pub use calendar::SHIPPED_CALENDAR_ACTOR;
pub use catalogue::{CatalogueService, CatalogueStamp};
pub use catalogue_io::{
    CatalogueLoad, LoadOrganization, LoadOutcome, LoadPassport, LoadProblem, LoadReport,
    LoadService, LoadSystem, LoadTerms, Tally,
};
pub use dashboard::{Alerts, Completions, DayCounts};
pub use error::{Result, StoreError};
pub use import::ImportedApplication;
pub use informing::{
    Attempt, AwaitingReport, DueMessage, OutboxCounts, OutboxFilter, OutboxMessage, Report,
    Webhook, SITE_URL, STATUS_URL,
};
pub use models::*;
pub use passports::{PassportState, PassportVersion, PassportWhich, Publication};
pub use quality::{FeedbackRecord, NewFeedback, QualityTarget};
pub use registry::TokenRecord;
pub use status::PublicStatus;
pub use user_admin::UserChange;
pub use users::{Credentials, NewSession, Session, SignInAttempt};
pub use violations::{
    JudgedApplication, OrganizationFigures, ReportCell, ServiceFigures, StoredVersion,
    ViolationsReport,
};

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// Runs `$body` against the store's backend with `$read` and `$write` bound to its pools.
/// The body is expanded once per backend; sqlx infers the database type from the pool.
macro_rules! with_db {
    ($store:expr, |$read:ident, $write:ident| $body:expr) => {
        match $store {
            $crate::Store::Sqlite(db) => {
                let $read = &db.read;
                let $write = &db.write;
                $body
            }
            $crate::Store::Postgres(db) => {
                let $read = &db.pool;
                let $write = &db.pool;
                $body
            }
        }
    };
}
pub(crate) use with_db;

/// Begins a read-only transaction on `$read` that sees one snapshot throughout: SQLite's
/// read transactions do; PostgreSQL's READ COMMITTED would see each statement's own, so it is
/// raised to REPEATABLE READ.
macro_rules! read_snapshot {
    ($read:expr, $postgres:expr) => {{
        let mut tx = $read.begin().await?;
        if $postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
        }
        tx
    }};
}
pub(crate) use read_snapshot;

/// Records an audit entry inside the transaction `$tx` (either backend), so the entry
/// commits or rolls back with the change it describes.
macro_rules! audit_in {
    ($tx:expr, $at:expr, $actor:expr, $action:expr, $subject:expr, $detail:expr) => {
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($crate::convert::us($at))
        .bind($actor)
        .bind($action)
        .bind($subject)
        .bind($detail)
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use audit_in;

/// The id of a user's organization (`Option<&OrgCode>`) within transaction `$tx`: `None`
/// for none, `Invalid(unknown_organization)` for a code the registry does not have.
macro_rules! organization_id {
    ($tx:expr, $code:expr) => {
        match $code {
            Some(code) => Some(
                sqlx::query_scalar::<_, i64>("SELECT id FROM organizations WHERE code = $1")
                    .bind(code.as_ref())
                    .fetch_optional(&mut *$tx)
                    .await?
                    .ok_or($crate::error::StoreError::Invalid {
                        code: "unknown_organization",
                        field: "organization",
                    })?,
            ),
            None => None,
        }
    };
}

pub(crate) use organization_id;

/// SQLite: one writer connection (SQLite has one writer anyway; queuing in the pool beats
/// busy-waiting), and a pool of readers that WAL lets run beside it.
#[derive(Clone, Debug)]
pub struct SqliteDb {
    read: SqlitePool,
    write: SqlitePool,
    /// The lookup and ingest paths, through rusqlite (ADR 0003).
    native: native::NativeDb,
    calendars: calendar::CalendarCache,
    passports: passports::PassportCache,
}

#[derive(Clone, Debug)]
pub struct PgDb {
    pool: PgPool,
    /// The audit's group commit only (ADR 0011): its commits wait for the WAL flush, and
    /// on the main pool they would hold connections the reads they acknowledge need.
    audit: PgPool,
    /// The queue's live feed only (issue 18, point 4): the node's listener holds one
    /// connection for as long as it listens, its sender another. On the main pool the
    /// listener took a connection from the requests for good (a quarter of the default
    /// four, and of the queue's throughput: BENCHMARKS.md).
    feed: PgPool,
    calendars: calendar::CalendarCache,
    passports: passports::PassportCache,
}

/// Connections of the queue feed's own pool on PostgreSQL: the listener's and the sender's.
const FEED_CONNECTIONS: u32 = 2;

/// Connections of the audit's own pool on PostgreSQL: one per batch in flight (the server's
/// audit writer keeps this many batches committing at once).
pub const AUDIT_CONNECTIONS: u32 = 2;

/// The store. Cheap to clone (pools are shared).
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqliteDb),
    Postgres(PgDb),
}

/// Pool sizing and time-outs.
#[derive(Clone, Debug)]
pub struct ConnectOptions {
    pub max_connections: u32,
    /// How long to wait for a connection, pooled or new (connecting included): past it the
    /// caller gets `Unavailable`.
    pub acquire_timeout: Duration,
    /// SQLite: how long to wait for a lock another connection (or process) holds.
    pub busy_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            max_connections: 8,
            acquire_timeout: Duration::from_secs(5),
            busy_timeout: Duration::from_secs(10),
        }
    }
}

/// A pooled connection idle for longer than this is pinged before it is handed out.
const IDLE_PING_AFTER: Duration = Duration::from_secs(30);

/// sqlx pings every connection on every acquire by default: a round trip per query. A
/// PostgreSQL connection that sat idle may have been cut by the server or the network, so it
/// is checked then, and so is every connection released before a connection last failed (an
/// outage cuts them all; unchecked, each would fail one request after the database is back).
/// A busy one is not (an error on it surfaces as 503 and it is discarded). A failed check
/// discards the connection and the pool opens another, within the acquire timeout. SQLite
/// connections are in-process files and are never pinged.
async fn ping_if_idle(
    conn: &mut sqlx::PgConnection,
    meta: sqlx::pool::PoolConnectionMetadata,
) -> std::result::Result<bool, sqlx::Error> {
    use sqlx::Connection;
    if meta.idle_for >= IDLE_PING_AFTER || error::released_before_a_failure(meta.idle_for) {
        conn.ping().await?;
    }
    Ok(true)
}

impl Store {
    /// Connects to `sqlite://path` (created if missing, WAL) or `postgres://…`.
    pub async fn connect(url: &str, opts: &ConnectOptions) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = |max: u32| {
                PgPoolOptions::new()
                    .max_connections(max)
                    .acquire_timeout(opts.acquire_timeout)
                    .test_before_acquire(false)
                    .before_acquire(|conn, meta| Box::pin(ping_if_idle(conn, meta)))
            };
            let pool = options(opts.max_connections).connect(url).await?;
            // Connected on first use: the main pool has just shown the server answers.
            let audit = options(AUDIT_CONNECTIONS).connect_lazy(url)?;
            let feed = options(FEED_CONNECTIONS).connect_lazy(url)?;
            return Ok(Store::Postgres(PgDb {
                pool,
                audit,
                feed,
                calendars: Default::default(),
                passports: Default::default(),
            }));
        }
        if !url.starts_with("sqlite:") {
            return Err(StoreError::Invalid {
                code: "unsupported_database_url",
                field: "database_url",
            });
        }
        let base = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(opts.busy_timeout)
            .foreign_keys(true)
            .pragma("cache_size", "-8000")
            .pragma("temp_store", "memory")
            // Mostly checkpointed by a thread of its own (native::checkpointer).
            .pragma(
                "wal_autocheckpoint",
                native::WAL_AUTOCHECKPOINT_PAGES.to_string(),
            )
            .pragma("journal_size_limit", "67108864");
        if let Some(parent) = std::path::Path::new(base.get_filename()).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| StoreError::Unavailable(e.into()))?;
            }
        }
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .acquire_timeout(opts.acquire_timeout.max(Duration::from_secs(30)))
            .connect_with(base.clone())
            .await?;
        // Each SQLite connection is a thread that results are handed across; more readers
        // than cores only add context switches.
        let readers = std::thread::available_parallelism()
            .map(|n| n.get() as u32)
            .unwrap_or(2)
            .clamp(2, opts.max_connections.max(2));
        let native =
            native::NativeDb::open(std::path::Path::new(base.get_filename()), opts.busy_timeout);
        let read = SqlitePoolOptions::new()
            .max_connections(readers)
            .test_before_acquire(false)
            .acquire_timeout(opts.acquire_timeout)
            .connect_with(base.read_only(true))
            .await?;
        Ok(Store::Sqlite(SqliteDb {
            read,
            write,
            native,
            calendars: Default::default(),
            passports: Default::default(),
        }))
    }

    /// Applies pending migrations of the backend.
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Store::Sqlite(db) => sqlx::migrate!("./migrations/sqlite").run(&db.write).await?,
            Store::Postgres(db) => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&db.pool)
                    .await?
            }
        }
        self.ledger_backfill().await?;
        self.rollup_backfill().await?;
        self.search_backfill().await?;
        Ok(())
    }

    /// "sqlite" or "postgres".
    pub fn backend_name(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// Closes the pools, waiting for connections in use to be returned.
    pub async fn close(&self) {
        match self {
            Store::Sqlite(db) => {
                db.native.close();
                db.read.close().await;
                db.write.close().await;
            }
            Store::Postgres(db) => {
                db.audit.close().await;
                db.pool.close().await;
            }
        }
    }
}
