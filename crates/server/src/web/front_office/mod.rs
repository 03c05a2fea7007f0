//! The front office's pages (issue 18; 001 §6, §12): the hall display (`/display/{office}`)
//! the digital ticket (`/ticket/{id}`) and a booking's page (`/booking/{id}`) for everyone, the kiosk (`/kiosk/{office}`, a
//! device signed in by the branch's staff), the operator's counter (`/counter`) with its desk
//! (`/counter/accept`, `/counter/issue`), the scanner (`/scan`), the storage shelf
//! (`/office/{code}/storage`), the
//! supervisor's board (`/office/{code}/board`) and the analyst's figures (`/analytics/queue`). The live
//! parts read the queue's feed (`/api/v1/offices/{code}/display/stream`); every action calls
//! the same use cases as the API.

mod counter;
mod desk;
mod figures;
mod hall;
mod kiosk;
mod live;
mod scanner;
mod shelf;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/display/{office}", get(hall::display))
        .route("/ticket/{id}", get(hall::ticket))
        .route("/booking/{id}", get(hall::booking))
        .route("/booking/{id}/cancel", post(hall::cancel_booking))
        .route("/kiosk/{office}", get(kiosk::page))
        .route("/kiosk/{office}/tickets", post(kiosk::take))
        .route("/kiosk/{office}/check-in", post(kiosk::check_in))
        .route("/counter", get(counter::page))
        .route(
            "/counter/accept",
            get(desk::accept_form).post(desk::accept_submit),
        )
        .route(
            "/counter/issue",
            get(desk::issue_form).post(desk::issue_submit),
        )
        .route("/counter/receipts/{id}", get(desk::receipt_pdf))
        .route("/counter/packages/{barcode}/label", get(desk::label_pdf))
        .route("/scan", get(scanner::form).post(scanner::scan))
        .route("/office/{code}/storage", get(shelf::page))
        .route("/office/{code}/storage/returns", post(shelf::make_return))
        .route("/office/returns/{id}", get(shelf::register_pdf))
        .route("/office/{code}/range", post(live::range))
        .route("/office/{code}/journal", post(live::journal))
        .route("/office/{code}/board", get(figures::board))
        .route("/analytics/queue", get(figures::page))
        .route("/counter/{id}/{action}", post(counter::act))
}

/// The QR code of `text` as an inline SVG (dark modules on white), `size` pixels wide.
pub fn qr_svg(text: &str, size: u32) -> String {
    qyzmet_print::QrMatrix::encode(text)
        .map(|code| code.svg(size))
        .unwrap_or_default()
}
