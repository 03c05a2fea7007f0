//! Moves committed pages from the write-ahead log into the database file, off the write path.
//!
//! With automatic checkpoints a commit that crosses the WAL threshold copies (and syncs) the
//! whole log before it returns: measured on the benchmark database, a 1,000-event batch
//! committed in ~16 ms without and ~60 ms with it at SQLite's default threshold of 1,000
//! pages. The writers therefore checkpoint only past a much higher threshold, and this thread
//! runs a PASSIVE checkpoint every [`INTERVAL`]: it never blocks readers or the writer, and copies what no reader still
//! needs. SQLite restarts the log from its beginning once it is fully copied, and
//! `journal_size_limit` trims the file back afterwards.
//!
//! Under sustained writes a passive checkpoint alone never catches up with the writer and
//! the log only grows (seen: 22 GB during a 1M-application fill). The writers therefore keep
//! SQLite's own checkpoint with a high threshold ([`crate::native::WAL_AUTOCHECKPOINT_PAGES`]):
//! when the log passes it, the committing writer copies what this thread has not yet copied,
//! with no other writer running, so the log is fully copied and restarts from its beginning.

use super::Shared;
use rusqlite::{Connection, OpenFlags};
use std::sync::atomic::Ordering;
use std::sync::Weak;
use std::time::Duration;

/// How often committed pages are copied back.
const INTERVAL: Duration = Duration::from_millis(250);
/// The WAL file is truncated back to this size once checkpointed (bytes).
const JOURNAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;

/// Starts the checkpointer; it ends once the store is closed or dropped.
pub(super) fn start(shared: Weak<Shared>) {
    let spawned = std::thread::Builder::new()
        .name("qyzmet-checkpoint".into())
        .spawn(move || {
            let mut conn: Option<Connection> = None;
            loop {
                std::thread::sleep(INTERVAL);
                let Some(s) = shared.upgrade() else { return };
                if s.closed.load(Ordering::Acquire) {
                    return;
                }
                if conn.is_none() {
                    conn = open(&s.path).ok();
                }
                if let Some(c) = &conn {
                    if let Err(e) = checkpoint(c) {
                        tracing::warn!(error = %e, "WAL checkpoint failed");
                        conn = None;
                    }
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "could not start the WAL checkpointer");
    }
}

/// One passive checkpoint: copies what no reader still needs, blocking no one.
fn checkpoint(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
}

fn open(path: &std::path::Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    conn.busy_timeout(Duration::from_millis(100))?;
    conn.pragma_update(None, "journal_size_limit", JOURNAL_SIZE_LIMIT)?;
    Ok(conn)
}
