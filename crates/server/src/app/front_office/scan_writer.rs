//! The node's writer of package scans: scans arriving together are written in one batch —
//! one transaction, one turn of the global ledger's lock (group commit). A courier's reader
//! scans package after package, and every scan of every reader takes that lock; one by one,
//! the commits would queue behind it. Each scan still gets its own answer: the ingest decides
//! every item of a batch apart (the second of two scans of one package is told it was already
//! made). Scans of different callers are batched apart (a batch has one scope and one actor).

use crate::app::AppError;
use qyzmet_store::{EventResult, IncomingEvent, Scope, Store};
use tokio::sync::{mpsc, oneshot};

/// Scans one batch holds at most.
const BATCH: usize = 256;

struct Job {
    item: IncomingEvent,
    scope: Scope,
    actor: String,
    reply: oneshot::Sender<Result<EventResult, AppError>>,
}

/// The handle requests write scans through.
#[derive(Clone)]
pub struct ScanWriter {
    jobs: mpsc::Sender<Job>,
}

impl ScanWriter {
    /// Starts the node's writer task; it ends when the last handle is dropped.
    pub fn start(store: Store, nearing_fraction: f64) -> ScanWriter {
        let (jobs, mut queue) = mpsc::channel::<Job>(4 * BATCH);
        tokio::spawn(async move {
            while let Some(first) = queue.recv().await {
                let mut batch = vec![first];
                while batch.len() < BATCH {
                    match queue.try_recv() {
                        Ok(j) => batch.push(j),
                        Err(_) => break,
                    }
                }
                write(&store, batch, nearing_fraction).await;
            }
        });
        ScanWriter { jobs }
    }

    /// Writes one scan (with the stage it stands for) and answers its result.
    pub async fn write(
        &self,
        item: IncomingEvent,
        scope: &Scope,
        actor: &str,
    ) -> Result<EventResult, AppError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job {
                item,
                scope: scope.clone(),
                actor: actor.to_string(),
                reply,
            })
            .await
            .map_err(|_| AppError::unavailable())?;
        answer.await.map_err(|_| AppError::unavailable())?
    }
}

/// Writes a drained batch: one `apply_events` per caller (scope and actor) in it.
async fn write(store: &Store, mut batch: Vec<Job>, nearing_fraction: f64) {
    while !batch.is_empty() {
        let (scope, actor) = (batch[0].scope.clone(), batch[0].actor.clone());
        let (mine, rest): (Vec<Job>, Vec<Job>) = batch
            .into_iter()
            .partition(|j| j.scope == scope && j.actor == actor);
        batch = rest;
        let items: Vec<IncomingEvent> = mine.iter().map(|j| j.item.clone()).collect();
        let now = jiff::Timestamp::now();
        match store
            .apply_events(&items, &scope, &actor, now, nearing_fraction)
            .await
        {
            Ok(results) => {
                for (job, result) in mine.into_iter().zip(results) {
                    let _ = job.reply.send(Ok(result));
                }
            }
            Err(e) => {
                let err = AppError::from(e);
                for job in mine {
                    let _ = job.reply.send(Err(err.clone()));
                }
            }
        }
    }
}
