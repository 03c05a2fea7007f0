//! The hall display's live feed (issue 18, point 4): `GET /api/v1/offices/{code}/display/stream`
//! is a server-sent event stream, for anyone (ticket numbers and windows only). It opens with
//! a `snapshot` (the office, the tickets called or served), then sends a `called` event for
//! every call and recall (with its announcement in kk and ru) and a `moved` event for every
//! other change of the office's queue (digital tickets refresh their position on it). A
//! `resync` asks the client to reconnect for a fresh snapshot (events may have been missed).
//! The same feed serves every node: on PostgreSQL a call made on one node reaches the streams
//! of all.

use super::error::{ApiError, ErrorBody};
use super::extract::ApiPath;
use super::openapi::ParamErrors;
use crate::app::front_office::display;
use crate::app::now;
use crate::queue_feed::QueueEvent;
use crate::state::AppState;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// One server-sent event of the feed as the wire carries it (`event:` and `data:` lines).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FeedEvent {
    /// `snapshot`, `called`, `moved` or `resync`.
    #[schema(pattern = "^(snapshot|called|moved|resync)$", example = "called")]
    pub event: String,
    /// JSON: a `DisplaySnapshot` for `snapshot`, a `QueueEvent` for the others.
    #[schema(content_media_type = "application/json")]
    pub data: String,
}

/// How often an idle stream sends a comment, so proxies keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

fn event(kind: &str, data: &impl serde::Serialize) -> Event {
    Event::default()
        .event(kind)
        .json_data(data)
        .unwrap_or_else(|_| Event::default().event("resync").data("{}"))
}

/// The live feed of an office's queue for its hall display and digital tickets.
#[utoipa::path(get, path = "/api/v1/offices/{code}/display/stream",
    params(("code" = String, Path, description = "The office's code")),
    responses((status = 200, description = "`text/event-stream`: a `snapshot` event (its data a \
        DisplaySnapshot: the office and the tickets called or served), then `called` and `moved` \
        events (a QueueEvent each), and `resync` when the client should reconnect",
        content_type = "text/event-stream", body = FeedEvent),
        (status = 404, description = "No such office", body = ErrorBody),
        ParamErrors),
    tag = "front_office")]
pub async fn stream(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    // Subscribed before the snapshot is read: a call between the two arrives as an event.
    let rx = state.feed.subscribe();
    let snapshot = display::snapshot(&state, &code, now()).await?;
    let office = snapshot.office.clone();
    let closing = state.feed.closing();
    let first = stream::once(async move { Ok(event("snapshot", &snapshot)) });
    let rest = stream::unfold(
        (rx, closing, office),
        |(mut rx, mut closing, office)| async move {
            loop {
                let got = tokio::select! {
                    _ = closing.wait_for(|c| *c) => return None,
                    r = rx.recv() => r,
                };
                let ev = match got {
                    Ok(ev) if ev.office == office => event(&ev.kind, &*ev),
                    Ok(ev) if ev.kind == "resync" => event("resync", &*ev),
                    Ok(_) => continue,
                    Err(RecvError::Lagged(_)) => event("resync", &QueueEvent::resync()),
                    Err(RecvError::Closed) => return None,
                };
                return Some((Ok(ev), (rx, closing, office)));
            }
        },
    );
    Ok(Sse::new(first.chain(rest)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}
