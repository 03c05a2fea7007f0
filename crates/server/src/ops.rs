//! Operations endpoints: liveness, readiness (the database answers), Prometheus metrics, and
//! the request metrics middleware.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

/// The process-wide metrics recorder (installed once; several test servers share it).
pub fn metrics_handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".into()),
                &[
                    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                ],
            )
            .expect("valid buckets")
            .build_recorder();
        let handle = recorder.handle();
        // Fails only when another recorder is installed; then ours simply stays empty.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Counts requests and their latency per route template (never per raw path: no numbers or
/// other personal data end up in metric labels).
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    resp
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz",
    responses((status = 200, description = "`ok`", body = String, content_type = "text/plain; charset=utf-8")),
    tag = "operations")]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the database answers within the database timeout (a probe must not wait for
/// the whole request deadline).
#[utoipa::path(get, path = "/readyz",
    responses((status = 200, description = "`ready`", body = String, content_type = "text/plain; charset=utf-8"),
        (status = 503, description = "`database unreachable`", body = String, content_type = "text/plain; charset=utf-8")),
    tag = "operations")]
pub async fn readyz(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(state.config.database_timeout(), state.store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
        Err(_) => {
            tracing::warn!("not ready: the database did not answer in time");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// Prometheus metrics (text exposition format 0.0.4).
#[utoipa::path(get, path = "/metrics",
    responses((status = 200, description = "The metrics", body = String, content_type = "text/plain; version=0.0.4")),
    tag = "operations")]
pub async fn metrics(State(state): State<AppState>) -> Response {
    if let Ok(n) = state.store.count_open_overdue().await {
        metrics::gauge!("qyzmet_open_overdue_applications").set(n as f64);
    }
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        metrics_handle().render(),
    )
        .into_response()
}
