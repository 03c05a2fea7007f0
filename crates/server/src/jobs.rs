//! Background jobs of a node: the overdue sweep (000 §11), run by exactly one node at a time
//! through a lease in the database, and the calendar reload that every node does.

use crate::state::AppState;
use jiff::{SignedDuration, Timestamp};
use std::time::Duration;
use tokio::sync::watch;

pub const SWEEP_JOB: &str = "sweep";

/// Runs the sweep every `interval` while this node holds the lease, until `shutdown`.
pub async fn sweep_loop(state: AppState, node: String, mut shutdown: watch::Receiver<bool>) {
    let interval = state.config.sweep_interval();
    let ttl = SignedDuration::try_from(interval * 3).unwrap_or(SignedDuration::from_secs(90));
    loop {
        match run_sweep_once(&state, &node, ttl).await {
            Ok(Some(c)) if c.became_overdue + c.became_nearing > 0 => {
                tracing::info!(
                    overdue = c.became_overdue,
                    nearing = c.became_nearing,
                    "sweep moved applications"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "sweep failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.changed() => break,
        }
    }
    let _ = state.store.release_lease(SWEEP_JOB, &node).await;
}

/// One sweep if this node holds (or takes) the lease; `None` when another node holds it.
pub async fn run_sweep_once(
    state: &AppState,
    node: &str,
    ttl: SignedDuration,
) -> Result<Option<qyzmet_store::SweepCounts>, qyzmet_store::StoreError> {
    let now = Timestamp::now();
    if !state.store.acquire_lease(SWEEP_JOB, node, now, ttl).await? {
        return Ok(None);
    }
    let counts = state.store.sweep(now).await?;
    metrics::counter!("qyzmet_sweep_runs_total").increment(1);
    metrics::counter!("qyzmet_became_overdue_total").increment(counts.became_overdue);
    Ok(Some(counts))
}

/// Reloads the calendar when another node edited it.
pub async fn calendar_loop(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let every = Duration::from_secs(state.config.calendar_poll_secs.max(1));
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => break,
        }
        match state.calendar.refresh(&state.store).await {
            Ok(true) => tracing::info!(
                version = state.calendar.get().version(),
                "calendar reloaded"
            ),
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "calendar reload failed"),
        }
    }
}
