//! The request deadline (issue 15): no request outlives `request_timeout_secs`. A database
//! whose network path died in the middle of a query, or a stalled server, otherwise holds the
//! request until TCP gives up, minutes later; no connection or acquire timeout sees that.
//! Past the deadline the request is dropped (an open transaction with it: the server rolls it
//! back when the session's next message or its end arrives) and the answer is the database's
//! 503, as JSON for the API and as a page in the visitor's language for the workstation.

use crate::api::error::ApiError;
use crate::state::AppState;
use crate::web::session::visitor_lang;
use crate::web::{Ui, WebError};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Runs the request within the deadline.
pub async fn deadline(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let lang = visitor_lang(req.headers());
    match tokio::time::timeout(state.config.request_timeout(), next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => {
            tracing::warn!(
                after_secs = state.config.request_timeout_secs,
                "request deadline passed: answered 503"
            );
            if path.starts_with("/api/") {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "database_unavailable")
                    .into_response()
            } else if matches!(path.as_str(), "/healthz" | "/readyz" | "/metrics") {
                (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
            } else {
                WebError::Unavailable(Box::new(Ui::anonymous(lang))).into_response()
            }
        }
    }
}
