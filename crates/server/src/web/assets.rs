//! The workstation's static files, compiled into the binary: the style sheet, htmx
//! (vendored, 0BSD), the confirmation of irreversible forms and the passport editor's rows
//! added at once (ours), the front office's hall display, digital ticket, kiosk and counter (ours) and
//! the icon. Cached for a day; the names change with their
//! content's version.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const CSS: &str = include_str!("../../assets/app.css");
const HTMX: &str = include_str!("../../assets/htmx-2.0.11.min.js");
const CONFIRM: &str = include_str!("../../assets/confirm.js");
const PASSPORT_EDIT: &str = include_str!("../../assets/passport-edit.js");
const DISPLAY: &str = include_str!("../../assets/display.js");
const TICKET: &str = include_str!("../../assets/ticket.js");
const KIOSK: &str = include_str!("../../assets/kiosk.js");
const COUNTER: &str = include_str!("../../assets/counter.js");
const ICON: &str = include_str!("../../assets/favicon.svg");
const SVG: &str = "image/svg+xml";

pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "htmx-2.0.11.min.js" => (HTMX, "text/javascript; charset=utf-8"),
        "confirm.js" => (CONFIRM, "text/javascript; charset=utf-8"),
        "favicon.svg" => (ICON, SVG),
        "passport-edit.js" => (PASSPORT_EDIT, "text/javascript; charset=utf-8"),
        "display.js" => (DISPLAY, "text/javascript; charset=utf-8"),
        "ticket.js" => (TICKET, "text/javascript; charset=utf-8"),
        "kiosk.js" => (KIOSK, "text/javascript; charset=utf-8"),
        "counter.js" => (COUNTER, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    cached(body, kind)
}

/// `/favicon.ico`, which browsers and tools ask for without reading the page's `<link>`: the
/// same SVG icon (every browser the workstation supports takes an SVG there).
pub async fn favicon() -> Response {
    cached(ICON, SVG)
}

fn cached(body: &'static str, kind: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}
