//! Concurrent writes (issue 15; ADR 0013): the order in which every writer of applications
//! takes its locks on PostgreSQL, and the bounded retry of a transaction that lost a race.
//!
//! PostgreSQL runs at READ COMMITTED: each statement sees what was committed when it began.
//! A transaction that read an application and then rewrote its projection could write back
//! state another transaction had changed meanwhile (a lost update: a stale event count or
//! head hash, a rollup moved by a standing that no longer held). So every writer that
//! rewrites an application from what it read locks the application's row first (`SELECT
//! … FOR NO KEY UPDATE`), and reads its history and the event ids already used only then;
//! a second writer of the same application waits for the first to commit and then reads
//! its result.
//! The locks are always taken in one order, so no two writers wait for each other in a cycle:
//!
//! 1. the calendar ([`CALENDAR_LOCK`], an advisory lock): shared by every write that computes
//!    a deadline, exclusive for a calendar edit;
//! 2. applications, in ascending number;
//! 3. the report's rollup cells, in (month, organization, service) order (`rollup.rs`);
//! 4. the ledger's head, last, held only until the commit (`ledger.rs`).
//!
//! A row lock cannot cover a row that does not exist yet: two transactions may insert the
//! same event id for two applications, or register the same `external_id`. The unique index
//! lets the first commit and fails the second, which is then run again whole ([`retrying!`])
//! after a short jittered pause, and finds the first one's row: the answer the contract
//! gives a retry. Deadlocks (40P01) and serialization failures (40001) are run again the same
//! way. Only the unique indexes a caller names are taken for races; any other violation is a
//! real conflict or a defect and is answered as such.
//!
//! SQLite has one writer: the sqlx writer pool has one connection, and the rusqlite ingest
//! holds it while it writes (`native`), so transactions never interleave there. The same
//! code runs on it; the lock clauses are empty and the retry never triggers.

use crate::error::{Result, StoreError};
use crate::Store;
use rand::Rng;
use std::time::Duration;

/// Runs of a transaction before giving up, with at most 63 ms of pauses between them.
pub(crate) const ATTEMPTS: u32 = 7;

/// The advisory lock key of the calendar ("qyzmcal\0" as a big-endian integer): deadlines
/// are computed under it shared, and the calendar is edited under it exclusive.
pub(crate) const CALENDAR_LOCK: i64 = 0x7179_7a6d_6361_6c00;

impl Store {
    /// The clause that locks the rows a `SELECT` returns: on PostgreSQL `FOR NO KEY
    /// UPDATE`, the lock the `UPDATE` that follows takes anyway (it excludes other writers
    /// of the row, not the inserts of rows that reference it); nothing on SQLite, whose
    /// single writer already excludes every other.
    pub(crate) fn row_lock(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "",
            Store::Postgres(_) => " FOR NO KEY UPDATE",
        }
    }

    /// The clauses that keep a registration and a change of its service's provider apart on
    /// PostgreSQL (SQLite's single writer does it already): the registration reads its
    /// service (`s`) `FOR KEY SHARE`, the lock its application's foreign key takes anyway,
    /// and the change of provider locks the service `FOR UPDATE`, which excludes it. So a
    /// registration checked against the old provider commits before the change looks for
    /// applications (and the change is refused), or waits for the change and reads the new
    /// provider.
    pub(crate) fn service_locks(&self) -> (&'static str, &'static str) {
        match self {
            Store::Sqlite(_) => ("", ""),
            Store::Postgres(_) => (" FOR KEY SHARE OF s", " FOR UPDATE OF s"),
        }
    }
}

/// Runs `$attempt` (an expression giving the future of one whole transaction, evaluated
/// again for every run) until it does not lose a race, at most [`ATTEMPTS`] times. `$races`
/// names the unique indexes a concurrent insert can win. A transaction that keeps losing is
/// answered as unavailable (503): nothing was written, and the client's retry is safe.
///
/// A macro, not a function over a closure: the futures stay `Send` without boxing (rustc
/// cannot prove a closure's future `Send` for every lifetime of its borrows).
macro_rules! retrying {
    ($what:expr, $races:expr, $attempt:expr) => {{
        let mut tries: u32 = 1;
        loop {
            match $attempt.await {
                Err(e) if $crate::contention::lost_race(&e, $races) => {
                    match $crate::contention::after_loss($what, tries, e) {
                        Ok(pause) => {
                            tokio::time::sleep(pause).await;
                            tries += 1;
                        }
                        Err(e) => break Err(e),
                    }
                }
                other => break other,
            }
        }
    }};
}
pub(crate) use retrying;

/// After run `tries` lost a race with `e`: the pause before the next run, or the error to
/// answer when that was the last.
pub(crate) fn after_loss(what: &'static str, tries: u32, e: StoreError) -> Result<Duration> {
    if tries >= ATTEMPTS {
        tracing::warn!(what, tries, "a transaction kept losing races; gave up");
        return Err(StoreError::Unavailable(Box::new(e)));
    }
    tracing::debug!(what, tries, "a transaction lost a race; running it again");
    Ok(pause(tries))
}

/// The pause before run `tries + 1`: between half and all of 1, 2, 4, … 32 ms, at random,
/// so that transactions that collided once do not collide again in step.
fn pause(tries: u32) -> Duration {
    let ceiling = 1_000u64 << tries.clamp(1, 6).saturating_sub(1);
    Duration::from_micros(rand::rng().random_range(ceiling / 2..=ceiling))
}

/// The database error behind a store error, if it is one.
fn database_error(e: &StoreError) -> Option<&(dyn sqlx::error::DatabaseError + 'static)> {
    match e {
        StoreError::Database(cause) => match cause.downcast_ref::<sqlx::Error>() {
            Some(sqlx::Error::Database(db)) => Some(&**db),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `e` says the transaction lost a race to a concurrent one: a deadlock, a
/// serialization failure, or a unique violation of one of the indexes in `races`.
pub(crate) fn lost_race(e: &StoreError, races: &[&str]) -> bool {
    let Some(db) = database_error(e) else {
        return false;
    };
    match db.code().as_deref() {
        Some("40001" | "40P01") => true,
        Some("23505") => db.constraint().is_some_and(|c| races.contains(&c)),
        _ => false,
    }
}

/// A unique violation as a conflict with `code` and `field`, unless it is a race on one of
/// `races` (left as it is, for [`retrying!`]).
pub(crate) fn unique_as_conflict(
    e: StoreError,
    races: &[&str],
    code: &'static str,
    field: &'static str,
) -> StoreError {
    match database_error(&e) {
        Some(db)
            if db.is_unique_violation() && !db.constraint().is_some_and(|c| races.contains(&c)) =>
        {
            StoreError::Conflict {
                code,
                field: Some(field),
            }
        }
        _ => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_and_stay_bounded() {
        for tries in 1..=ATTEMPTS {
            let p = pause(tries);
            let ceiling = Duration::from_millis(1 << (tries.min(6) - 1));
            assert!(p >= ceiling / 2 && p <= ceiling, "{tries}: {p:?}");
        }
    }

    #[test]
    fn only_database_errors_are_races() {
        assert!(!lost_race(&StoreError::NotFound("x"), &["any"]));
        let conflict = StoreError::Conflict {
            code: "c",
            field: None,
        };
        assert!(!lost_race(&conflict, &["any"]));
        let io = StoreError::from(sqlx::Error::PoolTimedOut);
        assert!(!lost_race(&io, &["any"]));
    }
}
