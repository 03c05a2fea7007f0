//! The public page that checks a receipt's seal (`/verify`; 001 §15.5–6, ADR 0021): anyone
//! holding a paper receipt pastes the text its QR code carries (a phone's camera reads it) and
//! sees whether qyzmet sealed exactly these fields — the application, when it was applied for,
//! the issue date, the office, the documents — or that they were changed. No sign-in.

use super::public::{context, remember};
use super::{render, Ui};
use crate::app::front_office::receipts::{self, SealedReceipt};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/verify", get(form).post(check))
}

#[derive(Debug, Deserialize, Default)]
pub struct VerifyQuery {
    lang: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct VerifyForm {
    #[serde(default)]
    token: String,
}

#[derive(Template)]
#[template(path = "public/verify.html")]
struct VerifyPage {
    ui: Ui,
    token: String,
    /// The verdict: genuine with its fields, or the reason it is not.
    genuine: Option<SealedReceipt>,
    refused: Option<String>,
}

/// `GET /verify`: the form.
pub async fn form(
    State(state): State<AppState>,
    mut parts: Parts,
    Query(q): Query<VerifyQuery>,
) -> Response {
    let (ui, chosen) = context(&state, &mut parts, q.lang.as_deref(), "/verify").await;
    let mut resp = render(&VerifyPage {
        ui,
        token: String::new(),
        genuine: None,
        refused: None,
    });
    remember(&mut resp, &state, chosen);
    resp
}

/// `POST /verify`: the verdict under the form.
pub async fn check(
    State(state): State<AppState>,
    mut parts: Parts,
    axum::Form(f): axum::Form<VerifyForm>,
) -> Response {
    let (ui, _) = context(&state, &mut parts, None, "/verify").await;
    // A QR code's text is a few hundred characters; more is not a receipt.
    let token: String = f.token.trim().chars().take(2_000).collect();
    let mut page = VerifyPage {
        ui,
        token: token.clone(),
        genuine: None,
        refused: None,
    };
    match receipts::check(&state, &token).await {
        Ok(c) if c.genuine => page.genuine = c.receipt,
        Ok(c) => {
            let reason = c.reason.unwrap_or_else(|| "not_a_receipt".into());
            page.refused = Some(page.ui.t(&format!("verify-{}", reason.replace('_', "-"))));
        }
        Err(e) => page.refused = Some(e.message(page.ui.lang)),
    }
    render(&page)
}
