//! The qyzmet server: the provider API, operations endpoints and background jobs over a
//! [`Store`]. Start-up is testable: [`build`] returns the router and state for a config, and
//! [`serve`] runs it until a shutdown signal, finishing requests in flight.

pub mod api;
pub mod app;
pub mod audit;
pub mod checkpoints;
pub mod config;
pub mod deadline;
pub mod files;
pub mod hashing;
pub mod i18n;
pub mod informing;
pub mod jobs;
pub mod ops;
pub mod queue_feed;
pub mod signing;
pub mod state;
pub mod throttle;
pub mod web;

use crate::audit::AuditQueue;
use crate::config::Config;
use crate::signing::Signing;
use crate::state::{AppState, CalendarCell, TokenCache};
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use qyzmet_domain::ProductionCalendar;
use qyzmet_store::{ConnectOptions, Store};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::trace::TraceLayer;

/// Connects, migrates, seeds the calendar when empty, and brings a calendar seeded by an
/// earlier release up to the shipped one (the days an administrator edited are kept).
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let store = Store::connect(
        &config.database_url,
        &ConnectOptions {
            max_connections: config.max_connections,
            acquire_timeout: config.database_timeout(),
            busy_timeout: config.database_timeout(),
        },
    )
    .await?;
    store.migrate().await?;
    let shipped = ProductionCalendar::default_entries();
    let now = jiff::Timestamp::now();
    let seeded = store.seed_calendar(&shipped, now).await?;
    if seeded > 0 {
        tracing::info!(entries = seeded, "production calendar seeded");
    }
    let sync = store
        .sync_shipped_calendar(&shipped, now, config.nearing_fraction)
        .await?;
    if sync.updated > 0 || !sync.recomputed.is_empty() {
        tracing::info!(
            updated = sync.updated,
            working_status_changed = sync.recomputed.len(),
            deadlines_changed = sync.recomputed.iter().map(|r| r.changed).sum::<u64>(),
            "production calendar brought up to the shipped one"
        );
    }
    if !sync.kept.is_empty() {
        tracing::info!(
            days = sync.kept.len(),
            "calendar days edited by an administrator differ from the shipped calendar; kept"
        );
    }
    Ok(store)
}

/// The password-hashing pool `config` asks for (all cores but one by default).
pub fn hashing_pool(config: &Config) -> hashing::Hashing {
    let workers = match config.hashing_workers {
        0 => hashing::default_workers(std::thread::available_parallelism().map_or(2, |n| n.get())),
        n => n,
    };
    hashing::Hashing::new(
        workers,
        config.hashing_queue,
        Duration::from_millis(config.hashing_max_wait_ms),
    )
}

/// The state and router of a node; the audit writer task is returned to be awaited after
/// the router is dropped (it drains the queue).
pub async fn build(
    config: Config,
    store: Store,
) -> anyhow::Result<(Router, AppState, tokio::task::JoinHandle<()>)> {
    let entries = store.calendar_entries().await?;
    let stamp = store.calendar_stamp().await?;
    let signing = Signing::from_config(&config)?;
    let (audit, audit_task) = AuditQueue::start(store.clone());
    let hashing = hashing_pool(&config);
    let sign_in_throttle = throttle::SignInThrottle::new(
        config.sign_in_per_account_per_minute,
        config.sign_in_per_client_per_minute,
    );
    let status_throttle =
        throttle::ClientThrottle::new(config.status_lookups_per_client_per_minute);
    let ticket_throttle = throttle::ClientThrottle::new(config.tickets_per_client_per_minute);
    let feed = queue_feed::QueueFeed::new(store.clone());
    // Until the node closes the feed (shutdown): every node's queue events to this node's
    // streams (PostgreSQL; returns at once on SQLite).
    tokio::spawn(feed.clone().listen(feed.closing()));
    let scans =
        app::front_office::scan_writer::ScanWriter::start(store.clone(), config.nearing_fraction);
    let state = AppState {
        feed,
        scans,
        store,
        config: Arc::new(config),
        calendar: Arc::new(CalendarCell::new(ProductionCalendar::new(entries), stamp)),
        tokens: Arc::new(TokenCache::new(Duration::from_secs(30))),
        audit,
        signing: Arc::new(signing),
        hashing,
        sign_in_throttle,
        status_throttle,
        ticket_throttle,
        catalogue: Default::default(),
        seal: Default::default(),
    };
    ops::metrics_handle();
    Ok((router(state.clone()), state, audit_task))
}

/// Every route of a node, before its layers and state: the provider API, the workstation,
/// the API's description and the operations endpoints (`tests/api/docs.rs` walks these
/// against the OpenAPI document).
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(api::router())
        .merge(web::router())
        .route("/api/openapi.json", get(api::openapi::openapi_json))
        .route("/api/docs", get(api::openapi::docs_page))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
}

pub fn router(state: AppState) -> Router {
    let body_limit = state.config.body_limit_bytes;
    routes()
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            deadline::deadline,
        ))
        .layer(axum::middleware::from_fn(api::error::localize))
        .layer(axum::middleware::from_fn(ops::track))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                // The route template only: raw paths carry application numbers.
                let route = req
                    .extensions()
                    .get::<axum::extract::MatchedPath>()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default();
                tracing::info_span!("request", method = %req.method(), route = %route)
            }),
        )
        .with_state(state)
}

/// Serves on `listener` until `shutdown` resolves; then stops accepting, finishes requests
/// in flight, stops the jobs and drains the audit queue.
pub async fn serve(
    listener: TcpListener,
    config: Config,
    store: Store,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (app, state, audit_task) = build(config, store.clone()).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let node = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4());
    let channels = informing::Channels::from_config(&state.config).map_err(anyhow::Error::msg)?;
    let delivery = tokio::spawn(informing::delivery_loop(
        state.clone(),
        channels,
        node.clone(),
        stop_rx.clone(),
    ));
    let sweep = tokio::spawn(jobs::sweep_loop(
        state.clone(),
        node.clone(),
        stop_rx.clone(),
    ));
    let report = tokio::spawn(jobs::report_loop(
        state.clone(),
        node.clone(),
        stop_rx.clone(),
    ));
    let storage = tokio::spawn(jobs::storage_loop(
        state.clone(),
        node.clone(),
        stop_rx.clone(),
    ));
    let checkpoint = tokio::spawn(checkpoints::checkpoint_loop(
        state.clone(),
        node,
        stop_rx.clone(),
    ));
    let crls = tokio::spawn(signing::crl_loop(
        state.signing.clone(),
        Duration::from_secs(state.config.crl_refresh_secs),
        stop_rx.clone(),
    ));
    let calendar = tokio::spawn(jobs::calendar_loop(state.clone(), stop_rx));
    let feed = state.feed.clone();
    drop(state);
    // Live streams never end by themselves: on shutdown the feed ends them, so the server's
    // wait for open connections ends too.
    let shutdown = async move {
        shutdown.await;
        feed.close();
    };
    tracing::info!(addr = %listener.local_addr()?, backend = store.backend_name(), "serving");
    // The peer's address reaches the handlers (the workstation audits where actions come from).
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    let _ = stop_tx.send(true);
    let _ = sweep.await;
    let _ = delivery.await;
    let _ = report.await;
    let _ = storage.await;
    let _ = checkpoint.await;
    let _ = calendar.await;
    let _ = crls.await;
    let _ = audit_task.await;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}
