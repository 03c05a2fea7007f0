//! The electronic queue (001 §6, §12): tickets taken at the kiosk or as a digital ticket, the
//! position and estimated wait the visitor sees, and the counter's actions — call next (the
//! domain's rule decides who), call a number, recall, no-show, start, finish, redirect — each
//! recorded (001 §21).

use super::counters::workable;
use super::offices::{find, is_open};
use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::queue_feed::QueueEvent;
use crate::state::AppState;
use jiff::{SignedDuration, Timestamp};
use qyzmet_domain::front_office::ordering::{self, CounterScope, Policy, Waiting};
use qyzmet_domain::front_office::{PriorityGroup, Purpose, TicketNumber};
use qyzmet_store::front_office::{
    Counter, CounterState, NewTicket, Office, Queued, Ticket, TicketMove, TicketState,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A ticket to take.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicketRequest {
    /// `acceptance`, `issue`, `consultation` or `self_service`.
    #[schema(example = "acceptance")]
    pub purpose: String,
    /// The service the visit is for, if the visitor knows it.
    #[schema(max_length = 64)]
    pub service_code: Option<String>,
    /// A priority group: `disability`, `elderly`, `pregnant`, `returning_for_issue`.
    pub priority: Option<String>,
    /// `kiosk` (default) or `digital` (taken on the way, 001 §12).
    pub source: Option<String>,
    /// The number of the application the visit is about (the issue of its result, or
    /// completing its documents): the operator then sees its due moment (issue 18, point 7).
    #[schema(max_length = 20, example = "2603-0000-0001-7")]
    pub application: Option<String>,
}

/// A ticket as the visitor sees it: no personal data, nothing of the application.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketView {
    /// The ticket's link (`/ticket/{id}`).
    pub id: String,
    /// As printed and called: the purpose's letter and the number of the day (`A017`).
    #[schema(example = "A017")]
    pub number: String,
    pub office: String,
    pub purpose: Purpose,
    pub service_code: Option<String>,
    pub priority: Option<PriorityGroup>,
    /// `waiting`, `called`, `serving`, `done`, `no_show` or `cancelled`.
    #[schema(example = "waiting")]
    pub state: String,
    /// Tickets of the same purpose ahead (while waiting).
    pub position: Option<i64>,
    /// The estimated wait in seconds (while waiting).
    pub estimated_wait_secs: Option<i64>,
    /// The counter that called it (while called or served).
    pub counter: Option<i64>,
    #[schema(format = DateTime)]
    pub arrived_at: String,
    #[schema(format = DateTime)]
    pub called_at: Option<String>,
}

/// A ticket as the operator at the counter sees it: with the application behind it, its due
/// moment and the time left (issue 18, point 7).
#[derive(Debug, Serialize, ToSchema)]
pub struct CounterTicketView {
    #[serde(flatten)]
    pub ticket: TicketView,
    pub call_count: i64,
    /// The number of the application behind the ticket (issue of its result, completing its
    /// documents) or the one it produced.
    pub application: Option<String>,
    /// When that application is due (the end of its planned date).
    #[schema(format = DateTime)]
    pub due_at: Option<String>,
    /// Seconds left until then (negative: overdue).
    pub time_left_secs: Option<i64>,
    pub outcome: Option<String>,
}

/// What a call answers: the ticket called, or none when nobody the counter serves waits.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallView {
    pub ticket: Option<CounterTicketView>,
}

fn id_of(n: i64) -> Uuid {
    Uuid::from_u128(n as u128)
}

/// The domain's view of a waiting ticket.
fn waiting(t: &Queued) -> Waiting {
    Waiting {
        id: id_of(t.id),
        arrived: t.arrived_at,
        purpose: t.purpose,
        service: t.service.clone(),
        group: t.priority,
        slot: t.slot,
        due: t.due,
        only_counter: t.only_counter_id.map(id_of),
    }
}

fn scope(c: &Counter) -> CounterScope {
    CounterScope {
        id: id_of(c.id),
        purposes: c.purposes.clone(),
        services: c.services.clone(),
    }
}

/// The office's ordering policy.
pub fn policy(o: &Office) -> Policy {
    Policy {
        weights: o.weights,
        raise_near_deadline: o.raise_near_deadline,
        deadline_window: SignedDuration::from_hours(o.deadline_window_hours),
    }
}

/// Position and estimate of the waiting ticket `id` among the office's waiting tickets and
/// its open counters.
fn place(
    id: i64,
    queue: &[Queued],
    counters: &[Counter],
    office: &Office,
    now: Timestamp,
) -> Option<(i64, i64)> {
    let me = queue.iter().find(|q| q.id == id)?;
    let all: Vec<Waiting> = queue.iter().map(waiting).collect();
    let ahead = ordering::position(&waiting(me), &all, now, &policy(office));
    let serving = counters
        .iter()
        .filter(|c| c.state == CounterState::Open && c.purposes.contains(&me.purpose))
        .count();
    let wait = ordering::estimated_wait(
        ahead,
        SignedDuration::from_secs(office.average_service_secs),
        serving,
    );
    Some((ahead as i64, wait.as_secs()))
}

fn view(t: &Ticket, placed: Option<(i64, i64)>) -> TicketView {
    TicketView {
        id: t.public_id.clone(),
        number: t.number.clone(),
        office: t.office.clone(),
        purpose: t.purpose,
        service_code: t.service.clone(),
        priority: t.priority,
        state: t.state.as_str().into(),
        position: placed.map(|p| p.0),
        estimated_wait_secs: placed.map(|p| p.1),
        counter: t.counter_number,
        arrived_at: v::local(t.arrived_at),
        called_at: v::opt_local(t.called_at),
    }
}

fn counter_view(t: &Ticket, now: Timestamp) -> CounterTicketView {
    CounterTicketView {
        ticket: view(t, None),
        call_count: t.call_count,
        application: t
            .application
            .and_then(qyzmet_domain::ids::ApplicationNumber::from_i64)
            .map(|n| n.to_string()),
        due_at: v::opt_local(t.due),
        time_left_secs: t.due.map(|d| d.duration_since(now).as_secs()),
        outcome: t.outcome.clone(),
    }
}

/// Tells the office's hall displays and digital tickets of a change of `t` (issue 18, point
/// 4): `called` with its announcement for a call or recall, `moved` otherwise.
pub(super) fn announce(state: &AppState, t: &Ticket, called: bool) {
    let say = match (called, t.counter_number) {
        (true, Some(w)) => t
            .number
            .parse::<TicketNumber>()
            .ok()
            .map(|n| n.announcement(w)),
        _ => None,
    };
    let (say_kk, say_ru) = say.map_or((None, None), |(k, r)| (Some(k), Some(r)));
    state.feed.publish(QueueEvent {
        office: t.office.clone(),
        kind: if called { "called" } else { "moved" }.into(),
        number: t.number.clone(),
        state: t.state.as_str().into(),
        counter: t.counter_number,
        calls: t.call_count,
        say_kk,
        say_ru,
    });
}

/// An application's number as typed (`application`), if any.
fn application_number(s: Option<&str>) -> Result<Option<i64>, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(n) => Ok(Some(
            qyzmet_domain::ids::ApplicationNumber::parse(n)
                .map_err(|_| AppError::invalid("application", "application_number_invalid"))?
                .as_i64(),
        )),
        None => Ok(None),
    }
}

/// Takes a ticket at an office: open now (its week, the calendar), running the electronic
/// queue; the service, if named, must exist. Recorded (001 §21).
pub async fn take(
    state: &AppState,
    actor: &str,
    office_code: &str,
    r: &NewTicketRequest,
    key: Option<&str>,
    now: Timestamp,
) -> Result<TicketView, AppError> {
    let office = find(state, office_code).await?;
    let purpose = Purpose::parse(r.purpose.trim()).ok_or_else(|| {
        AppError::invalid("purpose", "enum_invalid")
            .arg("allowed", "acceptance, issue, consultation, self_service")
    })?;
    let priority = match r
        .priority
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        // A booked visitor's ticket comes from the booking, not from the kiosk.
        Some(p) => match PriorityGroup::parse(p) {
            Some(g) if g != PriorityGroup::Booked => Some(g),
            _ => {
                return Err(AppError::invalid("priority", "enum_invalid").arg(
                    "allowed",
                    "disability, elderly, pregnant, returning_for_issue",
                ))
            }
        },
    };
    let source = match r.source.as_deref().map(str::trim) {
        None | Some("kiosk") => "kiosk",
        Some("digital") => "digital",
        Some(_) => {
            return Err(AppError::invalid("source", "enum_invalid").arg("allowed", "kiosk, digital"))
        }
    };
    let service = match r
        .service_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => Some(v::service_code("service_code", s)?.as_ref().to_string()),
        None => None,
    };
    let application = application_number(r.application.as_deref())?;
    if office.mode != "electronic" {
        return Err(AppError::conflict("queue_live"));
    }
    if !is_open(state, &office, now) {
        return Err(AppError::conflict("office_closed"));
    }
    let day = qyzmet_domain::zone::local_date(now);
    let ticket = state
        .store
        .take_ticket(
            office.id,
            &NewTicket {
                purpose,
                service,
                priority,
                source,
                booking_id: None,
                slot: None,
                application,
            },
            day,
            key,
            actor,
            now,
        )
        .await?;
    announce(state, &ticket, false);
    ticket_view(state, &office, &ticket, now).await
}

/// The view of a ticket with its position and estimate while it waits.
pub(super) async fn ticket_view(
    state: &AppState,
    office: &Office,
    t: &Ticket,
    now: Timestamp,
) -> Result<TicketView, AppError> {
    if t.state != TicketState::Waiting {
        return Ok(view(t, None));
    }
    let queue = state.store.waiting_tickets(office.id).await?;
    let counters = state.store.counters(office.id).await?;
    Ok(view(t, place(t.id, &queue, &counters, office, now)))
}

/// A ticket by its link, for anyone who has the link (the digital ticket, 001 §12).
pub async fn show(
    state: &AppState,
    public_id: &str,
    now: Timestamp,
) -> Result<TicketView, AppError> {
    let id =
        Uuid::parse_str(public_id.trim()).map_err(|_| AppError::not_found("ticket_not_found"))?;
    let t = state
        .store
        .ticket(&id.to_string())
        .await?
        .ok_or_else(|| AppError::not_found("ticket_not_found"))?;
    let office = find(state, &t.office).await?;
    ticket_view(state, &office, &t, now).await
}

/// The counter calls the next ticket the rule gives it (001 §6): under the office's lock, so
/// no ticket is called twice.
pub async fn call_next(
    state: &AppState,
    caller: &Caller,
    counter_id: i64,
    now: Timestamp,
) -> Result<CallView, AppError> {
    let (counter, office) = workable(state, caller, counter_id).await?;
    let policy = policy(&office);
    let scope = scope(&counter);
    let called = state
        .store
        .call_ticket(
            counter_id,
            |queue: &[Queued]| {
                let waiting: Vec<Waiting> = queue.iter().map(waiting).collect();
                let call = ordering::decide(&waiting, &scope, now, &policy)?;
                queue
                    .iter()
                    .find(|t| id_of(t.id) == call.ticket.id)
                    .map(|t| (t.id, call.raised))
            },
            &caller.actor(),
            now,
        )
        .await?;
    if let Some(t) = &called {
        announce(state, t, true);
    }
    Ok(CallView {
        ticket: called.map(|t| counter_view(&t, now)),
    })
}

/// The counter calls a waiting ticket of today by its number (`A017`), whatever the rule.
pub async fn call_number(
    state: &AppState,
    caller: &Caller,
    counter_id: i64,
    number: &str,
    now: Timestamp,
) -> Result<CounterTicketView, AppError> {
    let wanted: TicketNumber = number
        .parse()
        .map_err(|_| AppError::invalid("ticket", "ticket_number_invalid"))?;
    let (counter, _) = workable(state, caller, counter_id).await?;
    let today = qyzmet_domain::zone::local_date(now).to_string();
    let called = state
        .store
        .call_ticket(
            counter.id,
            |queue: &[Queued]| {
                queue
                    .iter()
                    .find(|t| {
                        t.purpose == wanted.purpose && t.n == i64::from(wanted.n) && t.day == today
                    })
                    .map(|t| (t.id, false))
            },
            &caller.actor(),
            now,
        )
        .await?
        .ok_or_else(|| AppError::not_found("ticket_not_waiting"))?;
    announce(state, &called, true);
    Ok(counter_view(&called, now))
}

/// Where a redirected ticket goes.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedirectRequest {
    /// The purpose it waits for now (default: the same).
    pub purpose: Option<String>,
    /// The service it waits for now (none: any).
    #[schema(max_length = 64)]
    pub service_code: Option<String>,
    /// One counter of the office that alone may call it.
    pub counter_id: Option<i64>,
}

/// How a service ended.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinishRequest {
    /// What it produced, in a few words (`accepted`, `issued`, `consulted`…).
    #[schema(max_length = 200)]
    pub outcome: Option<String>,
    /// The application it registered or whose result it issued (its number).
    #[schema(max_length = 20)]
    pub application: Option<String>,
}

/// A move of the counter's current ticket, checked.
pub enum Step {
    Recall,
    NoShow,
    Start,
    Finish(FinishRequest),
    Redirect(RedirectRequest),
}

/// Recall, no-show, start, finish or redirect the counter's current ticket (recorded).
pub async fn step(
    state: &AppState,
    caller: &Caller,
    counter_id: i64,
    s: Step,
    now: Timestamp,
) -> Result<CounterTicketView, AppError> {
    let (counter, office) = workable(state, caller, counter_id).await?;
    let m = match s {
        Step::Recall => TicketMove::Recall,
        Step::NoShow => TicketMove::NoShow {
            calls: office.calls_before_no_show,
        },
        Step::Start => TicketMove::Start {
            user_id: caller.user_id().or(counter.user_id),
        },
        Step::Finish(f) => TicketMove::Finish {
            outcome: v::opt_text("outcome", f.outcome.as_deref(), 200)?,
            application: application_number(f.application.as_deref())?,
        },
        Step::Redirect(r) => {
            let current = state
                .store
                .counter_ticket(counter.id)
                .await?
                .ok_or_else(|| AppError::conflict("counter_has_no_ticket"))?;
            let purpose = match r
                .purpose
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                Some(p) => Purpose::parse(p).ok_or_else(|| {
                    AppError::invalid("purpose", "enum_invalid")
                        .arg("allowed", "acceptance, issue, consultation, self_service")
                })?,
                None => current.purpose,
            };
            let service = match r
                .service_code
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                Some(s) => Some(v::service_code("service_code", s)?.as_ref().to_string()),
                None => None,
            };
            TicketMove::Redirect {
                purpose,
                service,
                only_counter: r.counter_id,
            }
        }
    };
    let recall = m == TicketMove::Recall;
    let t = state
        .store
        .move_ticket(counter.id, &m, &caller.actor(), now)
        .await?;
    announce(state, &t, recall);
    Ok(counter_view(&t, now))
}

/// The ticket a counter has called or is serving.
pub async fn current(
    state: &AppState,
    caller: &Caller,
    counter_id: i64,
    now: Timestamp,
) -> Result<CallView, AppError> {
    let (counter, _) = workable(state, caller, counter_id).await?;
    let t = state.store.counter_ticket(counter.id).await?;
    Ok(CallView {
        ticket: t.map(|t| counter_view(&t, now)),
    })
}
