//! Background jobs of a node: the overdue sweep (000 §11) and the monthly violations report
//! (000 §12), each run by exactly one node at a time through a lease in the database, and the
//! calendar reload that every node does.

use crate::state::AppState;
use jiff::{SignedDuration, Timestamp};
use qyzmet_domain::violation::Month;
use qyzmet_store::Store;
use std::time::Duration;
use tokio::sync::watch;

pub const SWEEP_JOB: &str = "sweep";
pub const REPORT_JOB: &str = "violations-report";
pub const STORAGE_JOB: &str = "storage";

/// How often the storage job looks at the shelves: its reminders are written once each (the
/// outbox's key), so it may run often; hourly keeps a reminder within the hour of its day.
const STORAGE_EVERY: Duration = Duration::from_secs(3600);

/// Runs the storage job (001 §20) at start and every hour while this node holds the lease,
/// until `shutdown`.
pub async fn storage_loop(state: AppState, node: String, mut shutdown: watch::Receiver<bool>) {
    let ttl = SignedDuration::try_from(STORAGE_EVERY * 3).unwrap_or(SignedDuration::from_hours(3));
    loop {
        match run_storage_once(&state, &node, ttl, Timestamp::now()).await {
            Ok(Some(run)) if run.reminded + run.due as u64 > 0 => tracing::info!(
                kept = run.kept,
                due = run.due,
                reminded = run.reminded,
                "storage job"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "storage job failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(STORAGE_EVERY) => {}
            _ = shutdown.changed() => break,
        }
    }
    let _ = state.store.release_lease(STORAGE_JOB, &node).await;
}

/// One run of the storage job at `now` if this node holds (or takes) the lease for `ttl`;
/// `None` when another node holds it.
pub async fn run_storage_once(
    state: &AppState,
    node: &str,
    ttl: SignedDuration,
    now: Timestamp,
) -> Result<Option<crate::app::front_office::storage::StorageRun>, crate::app::AppError> {
    if !state
        .store
        .acquire_lease(STORAGE_JOB, node, now, ttl)
        .await?
    {
        return Ok(None);
    }
    crate::app::front_office::storage::run(state, now)
        .await
        .map(Some)
}

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

/// Reloads the calendar when another node edited it. The same tick forgets the sign-in
/// throttles' spent keys (the node's memory, not the database).
pub async fn calendar_loop(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let every = Duration::from_secs(state.config.calendar_poll_secs.max(1));
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => break,
        }
        state.sign_in_throttle.shrink();
        state.status_throttle.shrink();
        state.ticket_throttle.shrink();
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

/// What one run of the report job did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ReportRun {
    /// The month whose first version this run generated (on the 1st, or the first run after).
    pub scheduled: Option<Month>,
    /// The months this run revised into a new version.
    pub revised: Vec<Month>,
}

/// Every `report_check_secs` while this node holds the lease, the first time one interval
/// after the start: the previous month's report when it has none yet, and every
/// `report_revision_secs` a revision of the last 12 stored months (late events and outages
/// make new versions).
pub async fn report_loop(state: AppState, node: String, mut shutdown: watch::Receiver<bool>) {
    let every = Duration::from_secs(state.config.report_check_secs);
    let ttl = SignedDuration::from_secs(state.config.report_check_secs as i64 * 3);
    let revise_every = SignedDuration::from_secs(state.config.report_revision_secs as i64);
    let mut last_revision: Option<Timestamp> = None;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => break,
        }
        let now = Timestamp::now();
        let revise = last_revision.is_none_or(|t| now.duration_since(t) >= revise_every);
        match run_report_job_once(&state.store, &node, now, ttl, revise).await {
            Ok(Some(run)) => {
                if revise {
                    last_revision = Some(now);
                }
                if let Some(m) = run.scheduled {
                    tracing::info!(month = %m, "violations report generated");
                }
                for m in run.revised {
                    tracing::info!(month = %m, "violations report revised");
                }
            }
            Ok(None) => last_revision = None,
            Err(e) => tracing::warn!(error = %e, "violations report job failed"),
        }
    }
    let _ = state.store.release_lease(REPORT_JOB, &node).await;
}

/// The first version of each of `months` that has none stored yet, generated as of `now`
/// with the job's cause (`schedule`) by `by`; returns the months stored. The job of the 1st
/// calls it for the previous month; `serve --demo` for the completed months its data covers.
pub async fn store_missing_reports(
    store: &Store,
    months: &[Month],
    now: Timestamp,
    by: &str,
) -> Result<Vec<Month>, qyzmet_store::StoreError> {
    let mut stored = Vec::new();
    for &month in months {
        if store.violation_report_versions(month).await?.is_empty() {
            let (_, created) = store
                .generate_violations_report(month, now, "schedule", by)
                .await?;
            if created {
                stored.push(month);
            }
        }
    }
    Ok(stored)
}

/// One run of the report job at `now` if this node holds (or takes) the lease for `ttl`;
/// `None` when another node holds it.
pub async fn run_report_job_once(
    store: &Store,
    node: &str,
    now: Timestamp,
    ttl: SignedDuration,
    revise: bool,
) -> Result<Option<ReportRun>, qyzmet_store::StoreError> {
    if !store.acquire_lease(REPORT_JOB, node, now, ttl).await? {
        return Ok(None);
    }
    let by = format!("node:{node}");
    let mut run = ReportRun::default();
    let previous = Month::of(qyzmet_domain::zone::local_date(now)).previous();
    run.scheduled = store_missing_reports(store, &[previous], now, &by)
        .await?
        .first()
        .copied();
    if revise {
        for month in store.reported_months(12).await? {
            if run.scheduled == Some(month) {
                continue;
            }
            let (_, created) = store
                .generate_violations_report(month, now, "revision", &by)
                .await?;
            if created {
                run.revised.push(month);
            }
        }
    }
    metrics::counter!("qyzmet_report_job_runs_total").increment(1);
    Ok(Some(run))
}
