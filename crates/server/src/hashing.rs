//! The password-hashing pool (issue 15, finding 5): argon2id costs tens of milliseconds of one
//! core and ~19 MiB by design, so it never runs on the request threads. A node checks at most
//! `workers` passwords at once, on tokio's blocking threads, and lets at most `queue` more
//! wait; a sign-in beyond that, or one that waited `max_wait`, is turned away at once with a
//! `Retry-After` instead of queueing without bound. The rest of the node (API lookups, pages)
//! keeps its threads and at least one core however hard sign-in is flooded
//! (BENCHMARKS.md, "Sign-in flood").

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A password check that could not start: the pool is saturated. `retry_after` is what the
/// answer's `Retry-After` says.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("too many sign-ins at once; retry after {} s", retry_after.as_secs())]
pub struct Busy {
    pub retry_after: Duration,
}

/// The bounded pool of one node.
#[derive(Clone)]
pub struct Hashing {
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    queue: usize,
    max_wait: Duration,
}

/// Hashers of a node with `cores` cores: all but one, at least one, so that one core always
/// serves everything else.
pub fn default_workers(cores: usize) -> usize {
    cores.saturating_sub(1).max(1)
}

impl Hashing {
    pub fn new(workers: usize, queue: usize, max_wait: Duration) -> Self {
        Hashing {
            permits: Arc::new(Semaphore::new(workers.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            queue,
            max_wait,
        }
    }

    /// A turn at the pool: at once when a worker is free, after a wait in the bounded queue,
    /// or `Busy`.
    pub async fn turn(&self) -> Result<Turn, Busy> {
        if let Ok(p) = self.permits.clone().try_acquire_owned() {
            return Ok(Turn { _permit: p });
        }
        let busy = Busy {
            retry_after: self.max_wait.max(Duration::from_secs(1)),
        };
        // Count ourselves in the queue; leave it on every path (the guard's drop).
        let before = self.waiting.fetch_add(1, Ordering::SeqCst);
        let _queued = Queued(&self.waiting);
        if before >= self.queue {
            return Err(busy);
        }
        match tokio::time::timeout(self.max_wait, self.permits.clone().acquire_owned()).await {
            Ok(Ok(p)) => Ok(Turn { _permit: p }),
            _ => Err(busy),
        }
    }

    /// Checks `password` against the PHC string `hash` in a turn of its own.
    pub async fn verify(&self, password: &str, hash: &str) -> Result<bool, Busy> {
        let turn = self.turn().await?;
        Ok(turn.verify(password, hash).await)
    }

    /// Hashes a new password (an account created or a password changed) in a turn of its own.
    pub async fn hash(&self, password: &str) -> Result<Result<String, String>, Busy> {
        let _turn = self.turn().await?;
        let password = password.to_string();
        Ok(tokio::task::spawn_blocking(move || {
            crate::app::accounts::hash_password(&password).map_err(|e| e.to_string())
        })
        .await
        .unwrap_or_else(|e| Err(e.to_string())))
    }
}

/// A worker of the pool, held while one password is checked.
pub struct Turn {
    _permit: OwnedSemaphorePermit,
}

impl Turn {
    /// The check itself, on a blocking thread; the turn ends with it.
    pub async fn verify(self, password: &str, hash: &str) -> bool {
        let (password, hash) = (password.to_string(), hash.to_string());
        let ok = tokio::task::spawn_blocking(move || {
            crate::app::accounts::verify_password(&password, &hash)
        })
        .await
        .unwrap_or(false);
        drop(self);
        ok
    }
}

struct Queued<'a>(&'a AtomicUsize);

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn beyond_workers_and_queue_the_pool_is_busy() {
        let pool = Hashing::new(1, 1, Duration::from_millis(200));
        let held = pool.turn().await.unwrap();
        // One may wait; it times out after max_wait while the worker stays held.
        let waiting = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.turn().await.map(|_| ()) })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        // The queue is full: the next one is busy at once.
        let busy = pool.turn().await.err().expect("busy");
        assert!(busy.retry_after >= Duration::from_secs(1));
        assert!(waiting.await.unwrap().is_err(), "timed out in the queue");
        drop(held);
        // A free worker again, and the queue emptied by the guards.
        let t = pool.turn().await.unwrap();
        drop(t);
        assert_eq!(pool.waiting.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_turn_checks_the_password() {
        let pool = Hashing::new(1, 4, Duration::from_secs(5));
        let h = pool.hash("correct horse battery").await.unwrap().unwrap();
        assert!(pool.verify("correct horse battery", &h).await.unwrap());
        assert!(!pool.verify("correct horse batterz", &h).await.unwrap());
    }
}
