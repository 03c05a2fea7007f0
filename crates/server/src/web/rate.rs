//! The public rating page (`/rate/{token}`; 001 §18, decision Q9): after an acceptance or an
//! issue, the applicant — at the counter's tablet (`?source=tablet`) or by the link on the
//! receipt — rates the service 1–5 and answers whether the information on the procedure, the
//! complaint procedure and the staff's courtesy satisfied them. The link's sealed token names
//! the visit; no sign-in. One rating per visit: a second is told it was given. Kazakh first,
//! Russian, English.

use super::public::{context, remember};
use super::{render, render_status, Ui};
use crate::app::front_office::ratings::{self, RatingRequest, VisitView};
use crate::app::now;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/rate/{token}", get(form).post(rate))
}

#[derive(Debug, Deserialize, Default)]
pub struct RateQuery {
    lang: Option<String>,
    source: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct RateForm {
    #[serde(default)]
    score: String,
    #[serde(default)]
    information: String,
    #[serde(default)]
    complaint: String,
    #[serde(default)]
    courtesy: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    source: String,
}

#[derive(Template)]
#[template(path = "public/rate.html")]
struct RatePage {
    ui: Ui,
    token: String,
    source: String,
    visit: Option<VisitView>,
    /// Just rated by this form.
    thanked: bool,
    error: Option<String>,
    questions: [&'static str; 3],
    answers: [&'static str; 3],
}

impl RatePage {
    /// When the visit was, to the minute.
    fn when(&self) -> String {
        self.visit
            .as_ref()
            .map(|v| v.at.get(..16).unwrap_or(&v.at).replace('T', " "))
            .unwrap_or_default()
    }
}

fn page(ui: Ui, token: &str, source: &str) -> RatePage {
    RatePage {
        ui,
        token: token.to_string(),
        source: if source == "tablet" { "tablet" } else { "link" }.to_string(),
        visit: None,
        thanked: false,
        error: None,
        questions: ["information", "complaint", "courtesy"],
        answers: ["satisfied", "partly", "not_satisfied"],
    }
}

/// `GET /rate/{token}`: the visit and the questions.
pub async fn form(
    State(state): State<AppState>,
    mut parts: Parts,
    Path(token): Path<String>,
    Query(q): Query<RateQuery>,
) -> Response {
    let path = format!("/rate/{token}");
    let (ui, chosen) = context(&state, &mut parts, q.lang.as_deref(), &path).await;
    let mut p = page(ui, &token, q.source.as_deref().unwrap_or(""));
    let status = match ratings::visit(&state, &token).await {
        Ok(v) => {
            p.visit = Some(v);
            StatusCode::OK
        }
        Err(e) => {
            p.error = Some(e.message(p.ui.lang));
            StatusCode::NOT_FOUND
        }
    };
    let mut resp = render_status(status, &p);
    remember(&mut resp, &state, chosen);
    resp
}

/// `POST /rate/{token}`: records the rating; the thanks, or the form with the reason.
pub async fn rate(
    State(state): State<AppState>,
    mut parts: Parts,
    Path(token): Path<String>,
    axum::Form(f): axum::Form<RateForm>,
) -> Response {
    let path = format!("/rate/{token}");
    let (ui, _) = context(&state, &mut parts, None, &path).await;
    let mut p = page(ui, &token, &f.source);
    let blank = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let req = RatingRequest {
        score: f.score.trim().parse().unwrap_or(0),
        information: blank(&f.information),
        complaint: blank(&f.complaint),
        courtesy: blank(&f.courtesy),
        comment: blank(&f.comment),
        source: Some(p.source.clone()),
    };
    match ratings::rate(&state, &token, &req, now()).await {
        Ok(v) => {
            p.visit = Some(v);
            p.thanked = true;
            render_status(StatusCode::CREATED, &p)
        }
        Err(e) => {
            let status = crate::web::WebError::form_status(&e);
            p.error = Some(e.message(p.ui.lang));
            p.visit = ratings::visit(&state, &token).await.ok();
            if p.visit.is_none() {
                return render(&p);
            }
            render_status(status, &p)
        }
    }
}
