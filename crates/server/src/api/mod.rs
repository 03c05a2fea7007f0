//! The provider API, REST/JSON under `/api/v1` (000 §4): registry, applications and their
//! events, outages, the calendar, reports and quality. OpenAPI 3 at `/api/openapi.json`, docs
//! at `/api/docs`. An adapter: each handler extracts the typed command or query, calls its use
//! case in [`crate::app`] and renders the result as JSON or the [`error::ApiError`].

pub mod acceptances;
pub mod applications;
pub mod auth;
pub mod bookings;
pub mod calendar;
pub mod catalogue_io;
pub mod display;
pub mod error;
pub mod events;
pub mod extract;
pub mod front_office;
pub mod informing;
pub mod live_queue;
pub mod openapi;
pub mod outages;
pub mod packages;
pub mod passports;
pub mod public;
pub mod quality;
pub mod queue_figures;
pub mod ratings;
pub mod registry;
pub mod reports;
pub mod returns;

use crate::app::paging::{Page, PageRequest};

/// 201 for what a request made, 200 for a retry that found it made (idempotent writes).
pub fn made(created: bool) -> axum::http::StatusCode {
    if created {
        axum::http::StatusCode::CREATED
    } else {
        axum::http::StatusCode::OK
    }
}
use crate::app::AppError;
use crate::state::AppState;
use axum::routing::{get, post, put};
use axum::Router;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Page parameters of registry lists.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn page(&self) -> Result<PageRequest, AppError> {
        PageRequest::of(self.limit, self.cursor.as_deref())
    }
}

/// A page of items and the cursor of the next page (absent on the last).
#[derive(Debug, Serialize, ToSchema)]
pub struct PageView<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> PageView<T> {
    pub fn of<R>(page: Page<R>, view: impl Fn(&R) -> T) -> Self {
        PageView {
            items: page.items.iter().map(view).collect(),
            next: page.next,
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/organizations",
            post(registry::create_organization).get(registry::list_organizations),
        )
        .route(
            "/api/v1/organizations/{code}",
            put(registry::update_organization)
                .patch(registry::edit_organization)
                .get(registry::show_organization),
        )
        .route(
            "/api/v1/services",
            post(registry::create_service).get(registry::list_services),
        )
        .route(
            "/api/v1/services/{code}",
            axum::routing::patch(registry::edit_service),
        )
        .route(
            "/api/v1/services/{code}/terms",
            put(registry::change_terms).get(registry::terms_history),
        )
        .route("/api/v1/acceptances", post(acceptances::accept))
        .route(
            "/api/v1/applications/{number}/copies",
            // A 10 MB file in base64 is 13.4 MB of JSON.
            post(acceptances::certify_copy)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::app::front_office::copies::MAX_BYTES / 3 * 4 + 64 * 1024,
                ))
                .get(acceptances::list_copies),
        )
        .route("/api/v1/copies/{id}", get(acceptances::copy_file))
        .route(
            "/api/v1/acceptances/{id}/identification",
            get(acceptances::identification),
        )
        .route("/api/v1/receipts/{id}", get(acceptances::receipt))
        .route(
            "/api/v1/applications/{number}/receipt",
            get(acceptances::application_receipt),
        )
        .route(
            "/api/v1/applications/{number}/checklist",
            get(acceptances::application_checklist),
        )
        .route(
            "/api/v1/applications/{number}/consents",
            post(acceptances::add_consents).get(acceptances::consents),
        )
        .route(
            "/api/v1/services/{code}/checklist",
            get(acceptances::service_checklist),
        )
        .route(
            "/api/v1/services/{code}/storage",
            get(acceptances::storage_term).put(acceptances::set_storage_term),
        )
        .route("/api/v1/offices/{code}/storage", get(acceptances::shelf))
        .route("/api/v1/packages/{barcode}", get(packages::show))
        .route("/api/v1/packages/{barcode}/scans", post(packages::scan))
        .route("/api/v1/packages/{barcode}/label", get(packages::label))
        .route("/api/v1/issues", post(packages::issue))
        .route("/api/v1/offices/{code}/ratings", get(ratings::of_office))
        .route("/api/v1/offices/{code}/returns", post(returns::make))
        .route("/api/v1/returns/{id}", get(returns::show))
        .route(
            "/api/v1/public/ratings/{token}",
            get(ratings::visit).post(ratings::rate),
        )
        .route("/api/v1/public/status", get(public::status_lookup))
        .route("/api/v1/public/receipts/key", get(public::receipt_key))
        .route("/api/v1/public/receipts/check", post(public::receipt_check))
        .route(
            "/api/v1/services/{code}/passport",
            get(passports::show).put(passports::save_draft),
        )
        .route(
            "/api/v1/services/{code}/passport/draft",
            axum::routing::delete(passports::discard),
        )
        .route(
            "/api/v1/services/{code}/passport/publish",
            post(passports::publish),
        )
        .route(
            "/api/v1/services/{code}/passport/versions",
            get(passports::versions),
        )
        .route(
            "/api/v1/services/{code}/passport/diff",
            get(passports::diff),
        )
        .route(
            "/api/v1/services/{code}/quality",
            get(quality::show).put(quality::set_target),
        )
        .route(
            "/api/v1/applications/{number}/feedback",
            post(quality::post_feedback),
        )
        .route(
            "/api/v1/applications",
            post(applications::register).get(applications::list),
        )
        .route("/api/v1/applications/{number}", get(applications::show))
        .route(
            "/api/v1/applications/{number}/events",
            post(events::post_one),
        )
        .route("/api/v1/events/batch", post(events::post_batch))
        .route(
            "/api/v1/webhooks",
            post(informing::create_webhook).get(informing::list_webhooks),
        )
        .route(
            "/api/v1/webhooks/{id}",
            axum::routing::delete(informing::delete_webhook),
        )
        .route("/api/v1/outbox", get(informing::list_outbox))
        .route("/api/v1/outbox/{id}/retry", post(informing::retry_message))
        .route(
            "/api/v1/offices",
            post(front_office::create_office).get(front_office::list_offices),
        )
        .route(
            "/api/v1/offices/{code}/counters",
            post(front_office::create_counter).get(front_office::list_counters),
        )
        .route(
            "/api/v1/offices/{code}/tickets",
            post(front_office::take_ticket),
        )
        .route("/api/v1/tickets/{id}", get(front_office::show_ticket))
        .route("/api/v1/offices/{code}/slots", get(bookings::slots))
        .route(
            "/api/v1/offices/{code}/figures",
            get(queue_figures::figures),
        )
        .route("/api/v1/offices/{code}/board", get(queue_figures::board))
        .route("/api/v1/offices/{code}/mode", post(live_queue::mode))
        .route("/api/v1/offices/{code}/ranges", post(live_queue::range))
        .route("/api/v1/offices/{code}/journal", post(live_queue::journal))
        .route(
            "/api/v1/offices/{code}/display/stream",
            get(display::stream),
        )
        .route(
            "/api/v1/offices/{code}/bookings",
            post(bookings::create).get(bookings::list),
        )
        .route(
            "/api/v1/offices/{code}/check-in",
            post(bookings::check_in_by_code),
        )
        .route("/api/v1/bookings/{id}", get(bookings::show))
        .route("/api/v1/bookings/{id}/cancel", post(bookings::cancel))
        .route(
            "/api/v1/bookings/{id}/reschedule",
            post(bookings::reschedule),
        )
        .route("/api/v1/bookings/{id}/check-in", post(bookings::check_in))
        .route(
            "/api/v1/counters/{id}/state",
            post(front_office::counter_state),
        )
        .route(
            "/api/v1/counters/{id}/employee",
            post(front_office::counter_employee),
        )
        .route(
            "/api/v1/counters/{id}/ticket",
            get(front_office::counter_ticket),
        )
        .route(
            "/api/v1/counters/{id}/call-next",
            post(front_office::call_next),
        )
        .route(
            "/api/v1/counters/{id}/call",
            post(front_office::call_number),
        )
        .route("/api/v1/counters/{id}/recall", post(front_office::recall))
        .route("/api/v1/counters/{id}/no-show", post(front_office::no_show))
        .route("/api/v1/counters/{id}/start", post(front_office::start))
        .route("/api/v1/counters/{id}/finish", post(front_office::finish))
        .route(
            "/api/v1/counters/{id}/redirect",
            post(front_office::redirect),
        )
        .route("/api/v1/outages", post(outages::create).get(outages::list))
        .route("/api/v1/outages/{id}", put(outages::update))
        .route("/api/v1/reports/violations", get(reports::violations))
        .route(
            "/api/v1/reports/violations/versions",
            get(reports::versions),
        )
        .route("/api/v1/reports/violations/compare", get(reports::compare))
        .route(
            "/api/v1/reports/violations/applications",
            get(reports::applications),
        )
        .route(
            "/api/v1/reports/violations/generate",
            post(reports::generate),
        )
        .route("/api/v1/calendar", get(calendar::entries))
        .route("/api/v1/calendar/deadline", get(calendar::deadline))
        .route(
            "/api/v1/calendar/{date}",
            put(calendar::put_entry).delete(calendar::delete_entry),
        )
        .route("/api/v1/catalogue/export", get(catalogue_io::export))
        .route(
            "/api/v1/catalogue/import",
            post(catalogue_io::import).layer(axum::extract::DefaultBodyLimit::max(
                crate::app::registry::catalogue_io::MAX_BYTES,
            )),
        )
}
