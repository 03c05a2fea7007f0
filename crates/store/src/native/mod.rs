//! SQLite's hot paths through rusqlite: in-process, synchronous, no hand-off per row.
//!
//! sqlx runs each SQLite connection on a thread of its own and hands every row across a
//! channel. Measured on the benchmark machine, an application lookup (two indexed queries)
//! cost ~280 µs of CPU that way against ~55 µs through rusqlite on the calling thread, and
//! loading the state of a 1,000-event batch paid one hand-off per stored event. The two paths
//! the benchmarks name — the application lookup and the batch ingest — therefore use this
//! module on SQLite; every other query stays on sqlx (ADR 0003). Both open the same file in
//! WAL mode, and rows decode through the same structs ([`crate::rows::row!`]).
//!
//! - Readers run on the calling (runtime) thread: a lookup is tens of microseconds of CPU
//!   over pages the OS already caches, cheaper than any hand-off to another thread.
//! - The writer runs on the blocking pool, and holds the sqlx writer connection meanwhile,
//!   so the two drivers never write at once (SQLite has one writer anyway).
//! - Checkpoints mostly run on a thread of their own, so few commits wait for one (see
//!   [`checkpointer`]).

mod checkpointer;
pub(crate) mod ingest;
pub(crate) mod lookup;
pub(crate) mod outbox;

use crate::error::{Result, StoreError};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Decodes a row by column name; implemented by [`crate::rows::row!`]. The names are
/// resolved to positions once per statement ([`fetch_all`]): rusqlite's lookup by name is a
/// linear search over the columns for every value, which cost ~8% of the ingest writer.
pub(crate) trait FromNative: Sized {
    /// The columns read, in the order `from_native` expects their positions.
    const COLUMNS: &'static [&'static str];
    /// Decodes `row`, whose column `COLUMNS[i]` is at position `at[i]`.
    fn from_native(row: &rusqlite::Row<'_>, at: &[usize]) -> rusqlite::Result<Self>;
}

/// Idle reader connections kept open; more are opened when needed and closed after use.
const IDLE_READERS: usize = 4;
/// Page cache per connection, in KiB (SQLite's negative `cache_size`). The OS page cache holds
/// the rest of the file; this bounds the process's own memory.
const READER_CACHE_KIB: i64 = 16_000;
const WRITER_CACHE_KIB: i64 = 32_000;
/// Write-ahead log size (pages) past which the committing writer checkpoints it itself
/// (SQLite's default is 1,000); below it, the [`checkpointer`] thread copies pages back.
pub(crate) const WAL_AUTOCHECKPOINT_PAGES: i64 = 16_384;

/// The rusqlite side of a SQLite store. Cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct NativeDb {
    shared: Arc<Shared>,
}

struct Shared {
    path: PathBuf,
    busy_timeout: Duration,
    readers: Mutex<Vec<Connection>>,
    writer: Mutex<Option<Connection>>,
    closed: AtomicBool,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeDb")
            .field("path", &self.path)
            .finish()
    }
}

impl NativeDb {
    /// Opens the rusqlite side of the database at `path` (already created and in WAL mode by
    /// sqlx) and starts its checkpointer.
    pub(crate) fn open(path: &Path, busy_timeout: Duration) -> NativeDb {
        let shared = Arc::new(Shared {
            path: path.to_path_buf(),
            busy_timeout,
            readers: Mutex::new(Vec::new()),
            writer: Mutex::new(None),
            closed: AtomicBool::new(false),
        });
        checkpointer::start(Arc::downgrade(&shared));
        NativeDb { shared }
    }

    /// Runs `f` in a read transaction (one snapshot) on a pooled reader, on this thread.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let shared = &self.shared;
        shared.check_open()?;
        let pooled = shared.readers.lock().map_err(poisoned)?.pop();
        let conn = match pooled {
            Some(c) => c,
            None => shared.open_reader()?,
        };
        let out = (|| {
            let tx = conn.unchecked_transaction()?;
            let out = f(&tx)?;
            tx.finish()?;
            Ok(out)
        })();
        let mut idle = shared.readers.lock().map_err(poisoned)?;
        if idle.len() < IDLE_READERS && !shared.closed.load(Ordering::Acquire) {
            idle.push(conn);
        }
        out
    }

    /// Runs `f` in an immediate write transaction on the blocking pool, holding `lock` (the
    /// sqlx writer) throughout. `f`'s error rolls everything back, and so does the caller
    /// giving up: a blocking task cannot be cancelled, and a request answered 503 at its
    /// deadline (waiting on a lock, say) must not have its write committed afterwards.
    pub(crate) async fn write<T, F>(&self, lock: &sqlx::SqlitePool, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> Result<T> + Send + 'static,
    {
        self.shared.check_open()?;
        let guard = lock.acquire().await?;
        let shared = self.shared.clone();
        let waiting = Waiting::new();
        let gave_up = waiting.flag();
        let out = tokio::task::spawn_blocking(move || {
            let _guard = guard;
            shared.check_open()?;
            let given_up = || {
                if gave_up.load(Ordering::Acquire) {
                    Err(StoreError::Unavailable(
                        "the caller stopped waiting: rolled back".into(),
                    ))
                } else {
                    Ok(())
                }
            };
            given_up()?;
            let mut slot = shared.writer.lock().map_err(poisoned)?;
            if slot.is_none() {
                *slot = Some(shared.open_writer()?);
            }
            let conn = slot.as_mut().expect("writer opened above");
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            given_up()?;
            tx.commit()?;
            Ok(out)
        })
        .await
        .map_err(|e| StoreError::Database(Box::new(e)))?;
        waiting.done();
        out
    }

    /// Closes every connection; later calls answer `Unavailable`.
    pub(crate) fn close(&self) {
        self.shared.closed.store(true, Ordering::Release);
        if let Ok(mut r) = self.shared.readers.lock() {
            r.clear();
        }
        if let Ok(mut w) = self.shared.writer.lock() {
            w.take();
        }
    }
}

/// Whether the caller of [`NativeDb::write`] still waits: its flag is raised when the
/// caller's future is dropped before the write finished.
struct Waiting {
    gave_up: Arc<AtomicBool>,
    finished: bool,
}

impl Waiting {
    fn new() -> Waiting {
        Waiting {
            gave_up: Arc::new(AtomicBool::new(false)),
            finished: false,
        }
    }

    fn flag(&self) -> Arc<AtomicBool> {
        self.gave_up.clone()
    }

    fn done(mut self) {
        self.finished = true;
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        if !self.finished {
            self.gave_up.store(true, Ordering::Release);
        }
    }
}

impl Shared {
    fn check_open(&self) -> Result<()> {
        if self.closed.load(Ordering::Acquire) {
            return Err(StoreError::Unavailable("the database is closed".into()));
        }
        Ok(())
    }

    fn open(&self, flags: OpenFlags, cache_kib: i64) -> Result<Connection> {
        let conn =
            Connection::open_with_flags(&self.path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        conn.busy_timeout(self.busy_timeout)?;
        conn.pragma_update(None, "cache_size", -cache_kib)?;
        conn.pragma_update(None, "temp_store", "memory")?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(conn)
    }

    fn open_reader(&self) -> Result<Connection> {
        self.open(OpenFlags::SQLITE_OPEN_READ_ONLY, READER_CACHE_KIB)
    }

    fn open_writer(&self) -> Result<Connection> {
        let conn = self.open(OpenFlags::SQLITE_OPEN_READ_WRITE, WRITER_CACHE_KIB)?;
        conn.pragma_update(None, "synchronous", "normal")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
        conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
        Ok(conn)
    }
}

fn poisoned<T>(_: std::sync::PoisonError<T>) -> StoreError {
    StoreError::Unavailable("a connection pool lock was poisoned".into())
}

/// `?1, ?2, …` groups for a multi-row statement: `rows` groups of `width` placeholders.
pub(crate) fn value_groups(rows: usize, width: usize) -> String {
    let mut s = String::with_capacity(rows * (width * 4 + 4));
    let mut n = 0;
    for r in 0..rows {
        s.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..width {
            n += 1;
            if c > 0 {
                s.push_str(", ");
            }
            s.push('?');
            s.push_str(&n.to_string());
        }
        s.push(')');
    }
    s
}

/// `?1, ?2, …, ?n` for an `IN (…)` list.
pub(crate) fn in_list(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Queries `sql` with `params` and decodes every row.
pub(crate) fn fetch_all<T: FromNative>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let at = T::COLUMNS
        .iter()
        .map(|c| stmt.column_index(c))
        .collect::<rusqlite::Result<Vec<usize>>>()?;
    let rows = stmt.query_map(params, |r| T::from_native(r, &at))?;
    Ok(rows.collect::<rusqlite::Result<Vec<T>>>()?)
}
