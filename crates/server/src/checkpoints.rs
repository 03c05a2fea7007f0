//! The checkpoint job: every `checkpoint_interval_secs`, the node holding the lease signs the
//! ledger's head (position, head, time) with the server's own key when the ledger moved
//! since the last checkpoint (ADR 0006). A history rewritten before a checkpoint can then be
//! told from the original without trusting the database.

use crate::state::AppState;
use jiff::{SignedDuration, Timestamp};
use qyzmet_signature::{LoadError, SealKey};
use qyzmet_store::{Checkpoint, Store, StoreError};
use std::time::Duration;
use tokio::sync::watch;

pub const CHECKPOINT_JOB: &str = "ledger_checkpoint";

/// Why a checkpoint was not written.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("signing the checkpoint: {0}")]
    Sign(#[from] LoadError),
}

/// Signs checkpoints every interval while this node holds the lease, until `shutdown`. The
/// key is loaded (or created) once; without it the job logs an error and stops, and the
/// ledger keeps growing unsigned.
pub async fn checkpoint_loop(state: AppState, node: String, mut shutdown: watch::Receiver<bool>) {
    let path = state.config.ledger_key_file.clone();
    let key = match tokio::task::spawn_blocking(move || SealKey::load_or_create(&path)).await {
        Ok(Ok(key)) => key,
        Ok(Err(e)) => {
            tracing::error!(
                error = %e,
                path = %state.config.ledger_key_file.display(),
                "ledger checkpoints disabled: the server key cannot be loaded or created"
            );
            return;
        }
        Err(e) => {
            tracing::error!(error = %e, "ledger checkpoints disabled: loading the key failed");
            return;
        }
    };
    tracing::info!(
        key_id = key.key_id(),
        "ledger checkpoints signed with the server key"
    );
    let interval = Duration::from_secs(state.config.checkpoint_interval_secs.max(1));
    loop {
        match checkpoint_once(&state, &key, &node).await {
            Ok(Some(c)) => tracing::debug!(position = c.position, "ledger checkpoint signed"),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "ledger checkpoint failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.changed() => break,
        }
    }
    let _ = state.store.release_lease(CHECKPOINT_JOB, &node).await;
}

/// One round if this node holds (or takes) the lease: the checkpoint written, or `None`
/// (another node holds the lease, or the ledger did not move).
pub async fn checkpoint_once(
    state: &AppState,
    key: &SealKey,
    node: &str,
) -> Result<Option<Checkpoint>, CheckpointError> {
    let now = Timestamp::now();
    let ttl = SignedDuration::from_secs(
        i64::try_from(state.config.checkpoint_interval_secs.saturating_mul(3)).unwrap_or(180),
    );
    if !state
        .store
        .acquire_lease(CHECKPOINT_JOB, node, now, ttl)
        .await?
    {
        return Ok(None);
    }
    write_checkpoint(&state.store, key, now).await
}

/// Signs the ledger's head at `now` when it moved past the newest checkpoint.
pub async fn write_checkpoint(
    store: &Store,
    key: &SealKey,
    now: Timestamp,
) -> Result<Option<Checkpoint>, CheckpointError> {
    let (position, head) = store.ledger_head().await?;
    let last = store.latest_checkpoint().await?.map_or(0, |c| c.position);
    if position <= last {
        return Ok(None);
    }
    // Stored and signed in microseconds: the signed message must be the stored one.
    let signed_at = Timestamp::from_microsecond(now.as_microsecond()).unwrap_or(now);
    let signature = key.sign(&Checkpoint::message(position, &head, signed_at))?;
    let checkpoint = Checkpoint {
        position,
        head,
        signed_at,
        key_id: key.key_id().to_string(),
        signature,
    };
    if !store.record_checkpoint(&checkpoint).await? {
        return Ok(None);
    }
    metrics::counter!("qyzmet_ledger_checkpoints_total").increment(1);
    metrics::gauge!("qyzmet_ledger_checkpoint_position").set(position as f64);
    Ok(Some(checkpoint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn signs_the_head_once_it_moved() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("q.db").display());
        let store = Store::connect(&url, &Default::default()).await.unwrap();
        store.migrate().await.unwrap();
        let key = SealKey::load_or_create(&dir.path().join("k/ledger.pem")).unwrap();
        let now = Timestamp::now();
        assert!(write_checkpoint(&store, &key, now).await.unwrap().is_none());
        store
            .execute_raw("UPDATE ledger_head SET position = 3, head = 'abc' WHERE id = 1")
            .await
            .unwrap();
        let c = write_checkpoint(&store, &key, now).await.unwrap().unwrap();
        assert_eq!((c.position, c.head.as_str()), (3, "abc"));
        assert_eq!(c.key_id, key.key_id());
        let stored = store.latest_checkpoint().await.unwrap().unwrap();
        assert_eq!(stored, c);
        let public = key.public_key().unwrap();
        let message = Checkpoint::message(stored.position, &stored.head, stored.signed_at);
        assert!(public.verify(&message, &stored.signature));
        assert!(write_checkpoint(&store, &key, now).await.unwrap().is_none());
        store.close().await;
    }
}
