//! The personal-data access audit: every read of an application's applicant data is recorded
//! (who, when, which application). Entries are queued and written in batches by a background
//! task, so reads stay fast; the queue is flushed on shutdown. Registrations and events are
//! audited in their own transactions by the store.

use qyzmet_store::{AuditEntry, Store};
use std::time::Duration;
use tokio::sync::mpsc;

#[derive(Clone)]
pub struct AuditQueue {
    tx: mpsc::Sender<AuditEntry>,
}

impl AuditQueue {
    /// Starts the writer; it ends once every sender is dropped and the queue is drained.
    pub fn start(store: Store) -> (AuditQueue, tokio::task::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(65_536);
        let handle = tokio::spawn(writer(store, rx));
        (AuditQueue { tx }, handle)
    }

    /// Queues an entry; waits when the queue is full rather than dropping it.
    pub async fn record(&self, entry: AuditEntry) {
        if self.tx.send(entry).await.is_err() {
            tracing::error!("audit queue closed; entry not recorded");
        }
    }
}

async fn writer(store: Store, mut rx: mpsc::Receiver<AuditEntry>) {
    let mut buf: Vec<AuditEntry> = Vec::with_capacity(1024);
    loop {
        let n = rx.recv_many(&mut buf, 1024).await;
        if n == 0 {
            break;
        }
        // Gather what arrives in the next moments into the same write.
        tokio::time::sleep(Duration::from_millis(50)).await;
        while buf.len() < 4096 {
            match rx.try_recv() {
                Ok(e) => buf.push(e),
                Err(_) => break,
            }
        }
        let mut attempt = 0;
        loop {
            match store.append_audit(&buf).await {
                Ok(()) => break,
                Err(e) if attempt < 5 => {
                    attempt += 1;
                    tracing::warn!(error = %e, attempt, "audit write failed; retrying");
                    tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
                }
                Err(e) => {
                    tracing::error!(error = %e, lost = buf.len(), "audit write failed");
                    break;
                }
            }
        }
        buf.clear();
    }
}
