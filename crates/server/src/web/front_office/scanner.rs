//! The scanner page (`/scan`; 001 §15.9): a keyboard-wedge reader types the label's code and
//! Enter into the focused field, and the form records the handover chosen above it — handed
//! to the provider, received back, passed to the issue desk, issued, returned unclaimed — at
//! the office chosen; the answer (recorded, out of order with what may come, not a package)
//! shows at once and the field is ready for the next package. The kind and the office stay
//! chosen between scans. The same use case as `POST /api/v1/packages/{barcode}/scans`; each
//! form carries its own key, so a form sent twice records one scan.

use super::super::session::Staff;
use super::super::{render_status, Ui, WebError};
use crate::app::front_office::packages::{self, ScanRequest, ScanResult};
use crate::app::{now, AppError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use qyzmet_store::UserRole;
use serde::Deserialize;

/// The handovers, in the package's order.
const KINDS: [&str; 5] = [
    "to_provider",
    "from_provider",
    "to_issue_desk",
    "issued",
    "returned",
];

#[derive(Template)]
#[template(path = "front_office/scan.html")]
struct ScanPage {
    ui: Ui,
    offices: Vec<(String, String)>,
    office: String,
    kind: String,
    kinds: [&'static str; 5],
    request_key: String,
    result: Option<ScanResult>,
    error: Option<String>,
    barcode: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct ScanQuery {
    office: Option<String>,
    kind: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ScanForm {
    csrf: String,
    #[serde(default)]
    office: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    barcode: String,
    #[serde(default)]
    request_key: String,
}

const ROLES: [UserRole; 3] = [
    UserRole::Operator,
    UserRole::Supervisor,
    UserRole::Administrator,
];

async fn page(
    state: &AppState,
    staff: &Staff,
    office: Option<String>,
    kind: Option<String>,
) -> Result<ScanPage, AppError> {
    let offices: Vec<(String, String)> = state
        .store
        .offices(staff.caller.scope().path())
        .await?
        .into_iter()
        .map(|o| (o.code.clone(), o.name.get(staff.ui.lang.code()).to_string()))
        .collect();
    // The office of the user's counter, when none is chosen.
    let own = match (&office, staff.caller.user_id()) {
        (None, Some(u)) => state.store.counter_of_user(u).await?.map(|c| c.office),
        _ => None,
    };
    let office = office
        .or(own)
        .or_else(|| offices.first().map(|o| o.0.clone()))
        .unwrap_or_default();
    let kind = kind
        .filter(|k| KINDS.contains(&k.as_str()))
        .unwrap_or_else(|| KINDS[0].to_string());
    Ok(ScanPage {
        ui: staff.ui.clone(),
        offices,
        office,
        kind,
        kinds: KINDS,
        request_key: uuid::Uuid::new_v4().to_string(),
        result: None,
        error: None,
        barcode: String::new(),
    })
}

/// `GET /scan`: the scanner's page.
pub async fn form(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ScanQuery>,
) -> Response {
    if let Err(e) = staff.require(&ROLES) {
        return e.into_response();
    }
    let blank = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    match page(&state, &staff, blank(q.office), blank(q.kind)).await {
        Ok(p) => render_status(StatusCode::OK, &p),
        Err(e) => WebError::from_app(&staff.ui, e).into_response(),
    }
}

/// `POST /scan`: records the scan; the page with its answer, ready for the next one.
pub async fn scan(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<ScanForm>,
) -> Response {
    if let Err(e) = staff.require(&ROLES) {
        return e.into_response();
    }
    if let Err(e) = staff.check_csrf(&f.csrf) {
        return e.into_response();
    }
    let office = Some(f.office.trim().to_string()).filter(|s| !s.is_empty());
    let mut p = match page(
        &state,
        &staff,
        office.clone(),
        Some(f.kind.trim().to_string()),
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return WebError::from_app(&staff.ui, e).into_response(),
    };
    let req = ScanRequest {
        kind: f.kind.clone(),
        office,
        request_key: Some(f.request_key.trim().to_string()).filter(|s| !s.is_empty()),
    };
    let barcode = f.barcode.trim().to_string();
    let status = match packages::scan(&state, &staff.caller, &barcode, &req, now()).await {
        Ok(r) => {
            p.result = Some(r);
            StatusCode::CREATED
        }
        Err(e) => {
            let status = WebError::form_status(&e);
            if status == StatusCode::FORBIDDEN {
                return WebError::from_app(&staff.ui, e).into_response();
            }
            p.error = Some(staff.ui.error_message(&e));
            p.barcode = barcode;
            status
        }
    };
    render_status(status, &p)
}
