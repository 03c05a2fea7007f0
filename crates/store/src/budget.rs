//! Statements with a time budget (issue 16 B.2: a list's total must not cost more than the
//! page it heads). PostgreSQL cancels a statement past `statement_timeout` (SQLSTATE 57014).
//! SQLite has no timeout of its own: a progress handler, called every [`STEPS`] steps of
//! the statement's virtual machine, interrupts it once the deadline has passed
//! (`SQLITE_INTERRUPT`). The deadline travels in the handler's data pointer as a number (the
//! microseconds since [`EPOCH`]), so nothing can dangle; a connection whose handler could not
//! be removed (the caller gave up mid-statement) is closed, never returned to the pool.

use crate::error::Result;
use sqlx::pool::PoolConnection;
use sqlx::{Sqlite, SqliteConnection, SqlitePool};
use std::os::raw::{c_int, c_void};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Virtual machine steps between two looks at the clock (some microseconds of work).
const STEPS: c_int = 1000;

/// The process's reference instant for deadlines.
static EPOCH: OnceLock<Instant> = OnceLock::new();

fn micros_since_epoch() -> u64 {
    EPOCH.get_or_init(Instant::now).elapsed().as_micros() as u64
}

/// SQLite's progress handler: non-zero (interrupt) once the deadline in `data` has passed.
extern "C" fn past_deadline(data: *mut c_void) -> c_int {
    c_int::from(micros_since_epoch() >= data as usize as u64)
}

/// A pooled SQLite connection whose statements are interrupted past a deadline until
/// [`Budgeted::finish`] removes the handler.
pub(crate) struct Budgeted {
    conn: Option<PoolConnection<Sqlite>>,
}

impl Budgeted {
    /// A connection of `pool` with the handler set to interrupt `budget` from now.
    pub(crate) async fn acquire(pool: &SqlitePool, budget: Duration) -> Result<Budgeted> {
        let mut conn = pool.acquire().await?;
        let deadline = micros_since_epoch() + budget.as_micros() as u64;
        set_handler(&mut conn, Some(deadline)).await?;
        Ok(Budgeted { conn: Some(conn) })
    }

    pub(crate) fn connection(&mut self) -> &mut SqliteConnection {
        self.conn.as_mut().expect("a connection until finished")
    }

    /// Removes the handler; the connection goes back to the pool.
    pub(crate) async fn finish(mut self) -> Result<()> {
        if let Some(mut conn) = self.conn.take() {
            if let Err(e) = set_handler(&mut conn, None).await {
                conn.close_on_drop();
                return Err(e);
            }
        }
        Ok(())
    }
}

impl Drop for Budgeted {
    fn drop(&mut self) {
        // Dropped before `finish`: the handler may still be set, so the connection must not
        // serve anyone else.
        if let Some(conn) = self.conn.as_mut() {
            conn.close_on_drop();
        }
    }
}

/// Sets (`Some(deadline)`) or removes (`None`) the progress handler of `conn`.
async fn set_handler(conn: &mut SqliteConnection, deadline: Option<u64>) -> Result<()> {
    let mut handle = conn.lock_handle().await?;
    let raw = handle.as_raw_handle().as_ptr();
    // SAFETY: the handle is locked out of the connection's worker, so no statement runs on it
    // while the handler changes; the data pointer is a number, never dereferenced.
    unsafe {
        match deadline {
            Some(d) => rusqlite::ffi::sqlite3_progress_handler(
                raw,
                STEPS,
                Some(past_deadline),
                d as usize as *mut c_void,
            ),
            None => rusqlite::ffi::sqlite3_progress_handler(raw, 0, None, std::ptr::null_mut()),
        }
    }
    Ok(())
}

/// Whether SQLite interrupted the statement (`SQLITE_INTERRUPT`, 9).
pub(crate) fn interrupted(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| c == "9")
}

/// Whether PostgreSQL cancelled the statement (`query_canceled`, 57014).
pub(crate) fn cancelled(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| c == "57014")
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    /// A statement that would run for seconds.
    const SLOW: &str = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) \
                        SELECT COUNT(*) AS n FROM (SELECT x FROM c LIMIT 200000000)";

    /// Runs `test` with a pool of one in-memory SQLite connection.
    fn with_one_connection<F: std::future::Future<Output = ()>>(
        test: impl FnOnce(SqlitePool) -> F,
    ) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .connect("sqlite::memory:")
                .await
                .unwrap();
            test(pool).await
        });
    }

    /// A statement of some milliseconds, run to its end on `pool`: no handler interrupts it.
    async fn runs_whole(pool: &SqlitePool) {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM (WITH RECURSIVE c(x) AS \
             (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c LIMIT 100000)",
        )
        .fetch_one(pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
        assert_eq!(n, 100_000);
    }

    #[test]
    fn a_statement_past_its_budget_is_interrupted_and_the_connection_serves_again() {
        with_one_connection(|pool| async move {
            let started = Instant::now();
            let mut conn = Budgeted::acquire(&pool, Duration::from_millis(20))
                .await
                .unwrap();
            let Err(err) = sqlx::query(SLOW).fetch_one(conn.connection()).await else {
                panic!("the slow statement ran to its end");
            };
            conn.finish().await.unwrap();
            assert!(interrupted(&err), "{err}");
            assert!(!cancelled(&err));
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "interrupted early"
            );
            // The handler is gone: the same (only) connection runs a statement to its end.
            runs_whole(&pool).await;
        });
    }

    #[test]
    fn a_connection_given_up_mid_statement_is_closed_not_pooled() {
        with_one_connection(|pool| async move {
            // Armed with a deadline already past, then dropped without `finish`.
            let conn = Budgeted::acquire(&pool, Duration::ZERO).await.unwrap();
            drop(conn);
            // A fresh connection (the armed one was closed) runs the statement whole.
            runs_whole(&pool).await;
        });
    }
}
