//! The access audit's writer (ADR 0011): every read of applicant data, and every action the
//! store does not audit in its own transaction, is recorded (who, when, what) and durable
//! before the request answers. Registrations and events are audited in their own
//! transactions by the store.
//!
//! Group commit: each request hands its entry to the writer and waits for the commit of the
//! batch that holds it. The writer takes whatever is waiting, commits it in one statement,
//! acknowledges every entry of the batch, and takes what arrived meanwhile; no sleep on the
//! way, so an idle server commits an entry at once and a busy one commits many per round
//! trip. On PostgreSQL two batches may be in flight (two writer tasks sharing the queue). A batch that fails is reported to each of its requests: a read then
//! answers 503 and shows nothing.

use qyzmet_store::{AuditEntry, Store, StoreError};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Mutex};

/// Entries in one commit, at most.
const MAX_BATCH: usize = 1024;
/// Entries handed over but not yet taken by the writer; past it requests wait to hand over.
const QUEUE: usize = 16_384;

/// Why an entry was not written.
#[derive(Debug, Clone, Copy)]
enum Failure {
    /// The database could not be reached.
    Unavailable,
    /// Anything else (logged by the writer).
    Failed,
}

type Ack = oneshot::Sender<Result<(), Failure>>;

#[derive(Clone)]
pub struct AuditQueue {
    tx: mpsc::Sender<(AuditEntry, Ack)>,
}

impl AuditQueue {
    /// Starts the writer; it ends once every sender is dropped and what was handed over is
    /// written.
    pub fn start(store: Store) -> (AuditQueue, tokio::task::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(QUEUE);
        // PostgreSQL merges the WAL flushes of concurrent commits: with two batches in
        // flight a batch need not wait for the previous one's fsync. SQLite has one writer.
        // Each batch in flight has a connection of the audit's own pool.
        let in_flight = match store {
            Store::Postgres(_) => qyzmet_store::AUDIT_CONNECTIONS as usize,
            Store::Sqlite(_) => 1,
        };
        let rx = Arc::new(Mutex::new(rx));
        let handle = tokio::spawn(async move {
            let writers: Vec<_> = (0..in_flight)
                .map(|_| tokio::spawn(writer(store.clone(), rx.clone())))
                .collect();
            for w in writers {
                let _ = w.await;
            }
        });
        (AuditQueue { tx }, handle)
    }

    /// Records `entry` and returns once it is committed. A read of personal data calls this
    /// before it answers, and answers the error instead when the entry was not written.
    pub async fn record(&self, entry: AuditEntry) -> Result<(), StoreError> {
        let (ack, done) = oneshot::channel();
        if self.tx.send((entry, ack)).await.is_err() {
            return Err(StoreError::Unavailable(
                "the audit writer has stopped".into(),
            ));
        }
        match done.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(Failure::Unavailable)) => Err(StoreError::Unavailable(
                "the audit entry was not written".into(),
            )),
            Ok(Err(Failure::Failed)) | Err(_) => Err(StoreError::Database(
                "the audit entry was not written".into(),
            )),
        }
    }

    /// Records the audit entry of an action that is already done (and committed): waits for
    /// it like [`record`](Self::record), but a failure cannot undo the action, so it is
    /// logged and the action's answer stands.
    pub async fn record_action(&self, entry: AuditEntry) {
        let action = entry.action.clone();
        if let Err(e) = self.record(entry).await {
            tracing::error!(error = %e, %action, "the audit entry of a completed action was not written");
        }
    }
}

async fn writer(store: Store, rx: Arc<Mutex<mpsc::Receiver<(AuditEntry, Ack)>>>) {
    let mut taken: Vec<(AuditEntry, Ack)> = Vec::with_capacity(MAX_BATCH);
    let mut entries: Vec<AuditEntry> = Vec::with_capacity(MAX_BATCH);
    loop {
        // Whatever is waiting, at once; the next batch gathers while this one commits.
        let n = rx.lock().await.recv_many(&mut taken, MAX_BATCH).await;
        if n == 0 {
            break;
        }
        let acks: Vec<Ack> = taken
            .drain(..)
            .map(|(entry, ack)| {
                entries.push(entry);
                ack
            })
            .collect();
        let result = store.append_audit(&entries).await.map_err(|e| match e {
            StoreError::Unavailable(cause) => {
                tracing::warn!(error = %cause, entries = entries.len(), "audit batch not written: database unavailable");
                Failure::Unavailable
            }
            other => {
                tracing::error!(error = %other, entries = entries.len(), "audit batch not written");
                Failure::Failed
            }
        });
        metrics::histogram!("qyzmet_audit_batch_entries").record(entries.len() as f64);
        entries.clear();
        for ack in acks {
            // A request that gave up (its deadline passed) no longer listens.
            let _ = ack.send(result);
        }
    }
}
