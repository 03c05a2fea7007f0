//! The operator's counter (001 §6): the window's number, the employee shown on its screen,
//! its state (open, paused, closed), the visitor called or served — with the application
//! behind the ticket, its due moment and the time left (issue 18, point 7) — and the
//! actions: call next (the office's rule decides), call a number, recall, not shown, start,
//! finish (with the application it produced or issued), redirect. Every action is the same
//! use case as the API's, recorded (001 §21); an operator reaches only their own counter.

use super::super::session::Staff;
use super::super::{render_status, Ui, WebError};
use crate::app::front_office::counters::{self, workable, CounterView};
use crate::app::front_office::tickets::{
    self, CounterTicketView, FinishRequest, RedirectRequest, Step,
};
use crate::app::{now, AppError};
use crate::i18n::message;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use qyzmet_domain::front_office::Purpose;
use qyzmet_store::UserRole;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "front_office/counter.html")]
struct CounterPage {
    ui: Ui,
    counter: Option<CounterView>,
    office_name: String,
    ticket: Option<CounterTicketView>,
    /// The time left to the application's due moment, in words (negative: overdue by).
    time_left: Option<(bool, String)>,
    /// Waiting tickets this counter serves, by purpose.
    waiting: Vec<(Purpose, usize)>,
    /// The office's other counters (redirect to one).
    others: Vec<CounterView>,
    purposes: Vec<Purpose>,
    /// Without a counter of their own: the counters in a supervisor's or an administrator's
    /// reach, by office, to work at.
    choices: Vec<(String, CounterView)>,
    /// The states the counter can be put in from the one it is in, with their buttons' words.
    transitions: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct CounterQuery {
    id: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct ActionForm {
    csrf: String,
    #[serde(default)]
    ticket: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    application: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    service_code: String,
    #[serde(default)]
    counter_id: String,
}

fn left_in_words(ui: &Ui, secs: i64) -> (bool, String) {
    let overdue = secs < 0;
    let m = secs.unsigned_abs() / 60;
    let words = message(
        ui.lang,
        "counter-duration",
        &[
            ("d", (m / 1440).to_string()),
            ("h", (m / 60 % 24).to_string()),
            ("m", (m % 60).to_string()),
        ],
    );
    (overdue, words)
}

async fn page_of(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    error: Option<String>,
) -> Result<CounterPage, AppError> {
    let caller = &staff.caller;
    let id = match id {
        Some(id) => Some(id),
        None => match caller.user_id() {
            Some(u) => state.store.counter_of_user(u).await?.map(|c| c.id),
            None => None,
        },
    };
    let mut page = CounterPage {
        ui: staff.ui.clone(),
        counter: None,
        office_name: String::new(),
        ticket: None,
        time_left: None,
        waiting: Vec::new(),
        others: Vec::new(),
        purposes: Purpose::ALL.to_vec(),
        transitions: Vec::new(),
        choices: Vec::new(),
        error,
    };
    let Some(id) = id else {
        if caller.role() != Some(UserRole::Operator) {
            for o in state.store.offices(caller.scope().path()).await? {
                for c in state.store.counters(o.id).await? {
                    page.choices.push((
                        o.name.get(page.ui.lang.code()).to_string(),
                        CounterView::from(&c),
                    ));
                }
            }
        }
        return Ok(page);
    };
    let (counter, office) = workable(state, caller, id).await?;
    let current = tickets::current(state, caller, id, now()).await?.ticket;
    let queue = state.store.waiting_tickets(office.id).await?;
    page.waiting = counter
        .purposes
        .iter()
        .map(|p| {
            let n = queue
                .iter()
                .filter(|t| {
                    t.purpose == *p
                        && (counter.services.is_empty()
                            || t.service
                                .as_ref()
                                .is_none_or(|s| counter.services.contains(s)))
                        && t.only_counter_id.is_none_or(|c| c == counter.id)
                })
                .count();
            (*p, n)
        })
        .collect();
    page.time_left = current
        .as_ref()
        .and_then(|t| t.time_left_secs)
        .map(|s| left_in_words(&page.ui, s));
    page.others = state
        .store
        .counters(office.id)
        .await?
        .iter()
        .filter(|c| c.id != counter.id)
        .map(CounterView::from)
        .collect();
    page.transitions = [
        ("open", "counter-open"),
        ("paused", "counter-pause"),
        ("closed", "counter-close"),
    ]
    .into_iter()
    .filter(|(to, _)| counter.state.as_str() != *to)
    .collect();
    page.office_name = office.name.get(page.ui.lang.code()).to_string();
    page.counter = Some(CounterView::from(&counter));
    page.ticket = current;
    Ok(page)
}

/// `/counter` (`?id=` for a supervisor or administrator): the counter's screen.
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<CounterQuery>,
) -> Response {
    if let Err(e) = staff.require(&[
        UserRole::Operator,
        UserRole::Supervisor,
        UserRole::Administrator,
    ]) {
        return e.into_response();
    }
    match page_of(&state, &staff, q.id, None).await {
        Ok(p) => render_status(StatusCode::OK, &p),
        Err(e) => WebError::from_app(&staff.ui, e).into_response(),
    }
}

/// One action at counter `id`; back to the counter's screen, or the screen with the refusal.
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<ActionForm>,
) -> Response {
    if let Err(e) = staff.check_csrf(&f.csrf) {
        return e.into_response();
    }
    let caller = &staff.caller;
    let at = now();
    let blank = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let done: Result<(), AppError> = match action.as_str() {
        "open" | "paused" | "closed" => counters::set_state(&state, caller, id, &action, at)
            .await
            .map(drop),
        "call-next" => tickets::call_next(&state, caller, id, at).await.map(drop),
        "call" => tickets::call_number(&state, caller, id, &f.ticket, at)
            .await
            .map(drop),
        "recall" => tickets::step(&state, caller, id, Step::Recall, at)
            .await
            .map(drop),
        "no-show" => tickets::step(&state, caller, id, Step::NoShow, at)
            .await
            .map(drop),
        "start" => tickets::step(&state, caller, id, Step::Start, at)
            .await
            .map(drop),
        "finish" => {
            let s = Step::Finish(FinishRequest {
                outcome: blank(&f.outcome),
                application: blank(&f.application),
            });
            tickets::step(&state, caller, id, s, at).await.map(drop)
        }
        "redirect" => {
            let counter_id = match blank(&f.counter_id).map(|c| c.parse::<i64>()) {
                Some(Ok(c)) => Some(c),
                Some(Err(_)) => {
                    return refused(
                        &state,
                        &staff,
                        id,
                        AppError::invalid("counter_id", "invalid"),
                    )
                    .await
                }
                None => None,
            };
            let s = Step::Redirect(RedirectRequest {
                purpose: blank(&f.purpose),
                service_code: blank(&f.service_code),
                counter_id,
            });
            tickets::step(&state, caller, id, s, at).await.map(drop)
        }
        _ => return WebError::NotFound(Box::new(staff.ui.clone())).into_response(),
    };
    match done {
        Ok(()) => Redirect::to(&format!("/counter?id={id}")).into_response(),
        Err(e) => refused(&state, &staff, id, e).await,
    }
}

/// The counter's screen with a refusal: its reason in the user's language, the status of
/// the refusal.
async fn refused(state: &AppState, staff: &Staff, id: i64, e: AppError) -> Response {
    let status = WebError::form_status(&e);
    if matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) {
        return WebError::from_app(&staff.ui, e).into_response();
    }
    let message = staff.ui.error_message(&e);
    match page_of(state, staff, Some(id), Some(message)).await {
        Ok(p) => render_status(status, &p),
        Err(e) => WebError::from_app(&staff.ui, e).into_response(),
    }
}
