//! The queue's live feed across nodes (issue 18, point 4): on PostgreSQL a queue event is a
//! `NOTIFY` on [`QUEUE_CHANNEL`] and every node `LISTEN`s, so a display served by one node
//! shows a call made on another; SQLite runs one node, and the server passes events in
//! process.

use crate::error::Result;
use crate::Store;

/// The PostgreSQL channel of queue events.
pub const QUEUE_CHANNEL: &str = "qyzmet_queue";

/// A node's subscription to the queue events of every node (PostgreSQL).
pub struct QueueListener(sqlx::postgres::PgListener);

impl QueueListener {
    /// The next event's payload; `None` when the connection was lost: events sent meanwhile
    /// are lost (the server's feed tells its streams to take a fresh snapshot), and the next
    /// call reconnects and listens again.
    pub async fn recv(&mut self) -> Result<Option<String>> {
        Ok(self.0.try_recv().await?.map(|n| n.payload().to_string()))
    }
}

impl Store {
    /// Sends queue events to every node in one statement (PostgreSQL: one round trip for a
    /// burst of events, in their order); `false` on SQLite. The statement's transaction does
    /// not wait for its commit to reach the disk (`synchronous_commit` off, for it alone): a
    /// notification is not data, and one lost in a crash is made good by the displays'
    /// `resync`; waiting would cost every queue operation a WAL flush of its own.
    pub async fn notify_queue_batch(&self, payloads: &[String]) -> Result<bool> {
        match self {
            Store::Sqlite(_) => Ok(false),
            Store::Postgres(db) => {
                sqlx::query(
                    "WITH quick AS (SELECT set_config('synchronous_commit', 'off', true)) \
                     SELECT pg_notify($1, e.p) FROM quick, UNNEST($2::text[]) WITH ORDINALITY \
                     AS e(p, i) ORDER BY e.i",
                )
                .bind(QUEUE_CHANNEL)
                .bind(payloads)
                .execute(&db.feed)
                .await?;
                Ok(true)
            }
        }
    }

    /// This node's listener of the queue events of every node, on PostgreSQL; `None` on SQLite.
    /// It holds a connection of the feed's own pool, never one the requests need.
    pub async fn queue_listener(&self) -> Result<Option<QueueListener>> {
        match self {
            Store::Sqlite(_) => Ok(None),
            Store::Postgres(db) => {
                let mut l = sqlx::postgres::PgListener::connect_with(&db.feed).await?;
                l.listen(QUEUE_CHANNEL).await?;
                Ok(Some(QueueListener(l)))
            }
        }
    }
}
