//! The queue's live feed (issue 18, point 4; 001 §6, §12): every call, recall and move of a
//! ticket goes to the hall displays and the digital tickets of its office as a server-sent
//! event. On PostgreSQL an event is a `NOTIFY` that every node's listener receives, so a
//! display served by one node shows a call made on another; on SQLite (one node) events pass
//! in process. A stream that falls behind is told to take a fresh snapshot (`resync`); all
//! streams end when the node shuts down.

use qyzmet_store::Store;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};
use utoipa::ToSchema;

/// Events a node keeps for streams that have not read them yet.
const BACKLOG: usize = 4096;
/// Events waiting to be sent to the other nodes; beyond, an event is dropped (and logged): the
/// database is then too slow for the queue, and displays resynchronise on their next event.
const OUTBOUND: usize = 8192;
/// The most events one `NOTIFY` statement carries.
const BATCH: usize = 256;
/// The least time between two `NOTIFY` statements of a node: events that come sooner wait for
/// the rest of their burst and go in one statement (a lone event goes at once): at a thousand
/// queue operations a second, a hundred statements rather than a thousand (BENCHMARKS.md). The
/// pause is far below what a display may take (300 ms).
const LINGER: Duration = Duration::from_millis(10);

/// One change of an office's queue, as the displays and digital tickets receive it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QueueEvent {
    pub office: String,
    /// `called` (a call or a recall: shown and announced) or `moved` (taken, served,
    /// finished, not shown, redirected: positions change).
    #[schema(example = "called")]
    pub kind: String,
    #[schema(example = "A017")]
    pub number: String,
    /// The ticket's state after the change.
    #[schema(example = "called")]
    pub state: String,
    /// The counter (window) number, while called or served.
    pub counter: Option<i64>,
    /// How often it has been called.
    pub calls: i64,
    /// The announcement in Kazakh and Russian (for a call).
    pub say_kk: Option<String>,
    pub say_ru: Option<String>,
}

/// A node's feed: publishes to every node, and fans out to this node's streams.
#[derive(Clone)]
pub struct QueueFeed {
    tx: broadcast::Sender<Arc<QueueEvent>>,
    /// On PostgreSQL, the events this node sends to every node (the sender task batches them).
    outbound: Option<tokio::sync::mpsc::Sender<String>>,
    closing: watch::Sender<bool>,
    store: Store,
}

impl QueueFeed {
    /// The feed of a node over `store`; on PostgreSQL it starts the task that sends this
    /// node's events to every node, a burst in one statement.
    pub fn new(store: Store) -> Self {
        let (tx, _) = broadcast::channel(BACKLOG);
        let (closing, _) = watch::channel(false);
        let outbound = match &store {
            Store::Postgres(_) => {
                let (out, rx) = tokio::sync::mpsc::channel(OUTBOUND);
                tokio::spawn(send_loop(store.clone(), rx));
                Some(out)
            }
            Store::Sqlite(_) => None,
        };
        QueueFeed {
            tx,
            outbound,
            closing,
            store,
        }
    }

    /// Sends `ev` to every node's streams, without waiting: the change it tells of is
    /// already committed, and a failure to send is logged, never the request's failure
    /// (displays resynchronise). On SQLite (one node) the event goes to this node's streams at
    /// once; on PostgreSQL it is queued for the sender task.
    pub fn publish(&self, ev: QueueEvent) {
        let Some(out) = &self.outbound else {
            let _ = self.tx.send(Arc::new(ev));
            return;
        };
        match serde_json::to_string(&ev) {
            Ok(p) => {
                if out.try_send(p).is_err() {
                    tracing::warn!("queue event dropped: the sender is behind");
                }
            }
            Err(e) => tracing::error!(error = %e, "queue event not serialisable"),
        }
    }

    /// A new stream's receiver: the events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<QueueEvent>> {
        self.tx.subscribe()
    }

    /// Resolves when the node shuts down.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Ends every stream (the node is shutting down: the server waits for open connections).
    pub fn close(&self) {
        let _ = self.closing.send(true);
    }

    /// How many streams this node serves.
    pub fn streams(&self) -> usize {
        self.tx.receiver_count()
    }

    /// On PostgreSQL, passes every node's events to this node's streams until `stop`; a
    /// lost connection is listened again after a pause, and the streams are told to
    /// resynchronise (events may have been missed meanwhile).
    pub async fn listen(self, mut stop: watch::Receiver<bool>) {
        let mut pause = Duration::from_millis(200);
        loop {
            let listener = tokio::select! {
                l = self.store.queue_listener() => l,
                _ = stop.changed() => return,
            };
            let mut listener = match listener {
                Ok(Some(l)) => l,
                Ok(None) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "queue feed: cannot listen; trying again");
                    tokio::select! {
                        _ = tokio::time::sleep(pause) => {}
                        _ = stop.changed() => return,
                    }
                    pause = (pause * 2).min(Duration::from_secs(10));
                    continue;
                }
            };
            pause = Duration::from_millis(200);
            loop {
                let got = tokio::select! {
                    r = listener.recv() => r,
                    _ = stop.changed() => return,
                };
                match got {
                    Ok(Some(payload)) => match serde_json::from_str::<QueueEvent>(&payload) {
                        Ok(ev) => {
                            let _ = self.tx.send(Arc::new(ev));
                        }
                        Err(e) => tracing::warn!(error = %e, "queue feed: unreadable event"),
                    },
                    Ok(None) => {
                        tracing::warn!("queue feed: connection lost; listening again");
                        let _ = self.tx.send(Arc::new(QueueEvent::resync()));
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "queue feed: connection lost");
                        let _ = self.tx.send(Arc::new(QueueEvent::resync()));
                        break;
                    }
                }
            }
        }
    }
}

/// Sends the queued events to every node (PostgreSQL), as many as are waiting in one
/// statement and at most one statement each [`LINGER`], until the feed is dropped.
async fn send_loop(store: Store, mut rx: tokio::sync::mpsc::Receiver<String>) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut last: Option<tokio::time::Instant> = None;
    while rx.recv_many(&mut batch, BATCH).await > 0 {
        if let Some(next) = last.map(|l| l + LINGER) {
            if next > tokio::time::Instant::now() && batch.len() < BATCH {
                tokio::time::sleep_until(next).await;
                while batch.len() < BATCH {
                    match rx.try_recv() {
                        Ok(p) => batch.push(p),
                        Err(_) => break,
                    }
                }
            }
        }
        if let Err(e) = store.notify_queue_batch(&batch).await {
            tracing::warn!(error = %e, events = batch.len(), "queue events not sent to other nodes");
        }
        last = Some(tokio::time::Instant::now());
        batch.clear();
    }
}

impl QueueEvent {
    /// Tells every stream of every office to take a fresh snapshot.
    pub fn resync() -> QueueEvent {
        QueueEvent {
            office: String::new(),
            kind: "resync".into(),
            number: String::new(),
            state: String::new(),
            counter: None,
            calls: 0,
            say_kk: None,
            say_ru: None,
        }
    }
}
