//! The queue's figures and the supervisor's live board (issue 18, point 6; 003 §7(2)(3), Q10).
//!
//! Figures: an office's visits over a period (at most a year), grouped by day, counter,
//! employee or service — visits, served, not shown, the waiting time (ticket to first call)
//! and the service time (start to finish) as average, p90 and maximum — and the services
//! whose passport's maximum waiting or service time was exceeded, with how often. Each visit
//! is measured against the passport in force on its day. For the branch's staff, analysts and
//! administrators.
//!
//! The board: who waits now and since when, and what each counter does (idle when open with
//! nobody called or served).

use super::offices::{find, is_open, require_office_reader};
use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::i18n::{message, Lang};
use crate::state::AppState;
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::front_office::figures::{self, By, Figures, Visit};
use qyzmet_domain::front_office::{PriorityGroup, Purpose};
use qyzmet_store::front_office::{CounterState, TicketState};
use qyzmet_store::PassportWhich;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// The longest period the figures cover, in days.
pub const PERIOD_MAX_DAYS: i32 = 366;

/// One group's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureRow {
    /// The group: a date, a counter's id, an employee's id, a service's code.
    pub key: String,
    /// The group in words: the date, "window 3", the employee's name, the service's name.
    pub label: String,
    #[schema(value_type = Object)]
    pub figures: Figures,
}

/// A service whose passport's limits were exceeded in the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct Exceeded {
    pub service_code: String,
    pub service: String,
    pub max_wait_minutes: Option<u32>,
    pub max_service_minutes: Option<u32>,
    pub visits: usize,
    pub wait_exceeded: usize,
    pub service_exceeded: usize,
}

/// The figures of an office over a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueFiguresView {
    pub office: String,
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    /// `day`, `counter`, `employee` or `service`.
    pub by: String,
    pub rows: Vec<FigureRow>,
    #[schema(value_type = Object)]
    pub total: Figures,
    pub exceeded: Vec<Exceeded>,
    /// Whether the office raises tickets whose application is about to be overdue now. The
    /// raise's effect: `raised` (calls it decided) and `raised_finished_before_due` of the
    /// figures; and `with_application`/`finished_before_due` of periods with it on and off.
    pub raise_near_deadline: bool,
}

/// The period `from..=to`, checked: in order, at most a year.
pub fn period(from: &str, to: &str) -> Result<(Date, Date), AppError> {
    let (f, t) = (v::date("from", from)?, v::date("to", to)?);
    if t < f {
        return Err(AppError::invalid("to", "period_reversed"));
    }
    if (t - f).get_days() >= PERIOD_MAX_DAYS {
        return Err(AppError::invalid("to", "period_too_long").arg("days", PERIOD_MAX_DAYS));
    }
    Ok((f, t))
}

/// The figures of office `code` over `from..=to`, grouped `by`, named in `lang`.
pub async fn figures(
    state: &AppState,
    caller: &Caller,
    code: &str,
    (from, to): (Date, Date),
    by: &str,
    lang: Lang,
) -> Result<QueueFiguresView, AppError> {
    let by = By::parse(by.trim()).ok_or_else(|| {
        AppError::invalid("by", "enum_invalid").arg("allowed", "day, counter, employee, service")
    })?;
    let office = find(state, code).await?;
    require_office_reader(caller, &office)?;
    let records = state.store.visits(office.id, from, to).await?;
    // The passport in force on each day, once per service and day.
    let mut limits: HashMap<(String, Date), (Option<u32>, Option<u32>)> = HashMap::new();
    let mut names: HashMap<String, String> = HashMap::new();
    let mut visits = Vec::with_capacity(records.len());
    for r in &records {
        let (max_wait, max_service) = match &r.service {
            Some(s) => {
                let key = (s.clone(), r.day);
                match limits.get(&key) {
                    Some(l) => *l,
                    None => {
                        let l = passport_limits(state, s, r.day).await?;
                        limits.insert(key, l);
                        l
                    }
                }
            }
            None => (None, None),
        };
        visits.push(Visit {
            day: r.day,
            counter: r.counter_id,
            employee: r.employee_id,
            service: r.service.clone(),
            arrived: r.arrived_at,
            first_call: r.first_call_at,
            started: r.started_at,
            finished: r.finished_at,
            no_show: r.state == TicketState::NoShow.as_str(),
            max_wait_minutes: max_wait,
            max_service_minutes: max_service,
            due: r.due,
            raised: r.raised,
        });
    }
    for s in records.iter().filter_map(|r| r.service.as_ref()) {
        if !names.contains_key(s) {
            names.insert(s.clone(), service_name(state, s, lang).await?);
        }
    }
    let (groups, total) = figures::grouped(&visits, by);
    let label = |key: &str| -> String {
        if key.is_empty() {
            return message(lang, "queue-figures-none", &[]);
        }
        match by {
            By::Day => key.to_string(),
            By::Counter => records
                .iter()
                .find(|r| r.counter_id.map(|c| c.to_string()).as_deref() == Some(key))
                .and_then(|r| r.window)
                .map_or_else(
                    || key.to_string(),
                    |w| message(lang, "queue-figures-window", &[("n", w.to_string())]),
                ),
            By::Employee => records
                .iter()
                .find(|r| r.employee_id.map(|c| c.to_string()).as_deref() == Some(key))
                .and_then(|r| r.employee_name.clone())
                .unwrap_or_else(|| key.to_string()),
            By::Service => names.get(key).cloned().unwrap_or_else(|| key.to_string()),
        }
    };
    let rows = groups
        .into_iter()
        .map(|(key, figures)| FigureRow {
            label: label(&key),
            key,
            figures,
        })
        .collect();
    let mut exceeded: Vec<Exceeded> = figures::grouped(&visits, By::Service)
        .0
        .into_iter()
        .filter(|(k, f)| !k.is_empty() && (f.wait_exceeded > 0 || f.service_exceeded > 0))
        .map(|(code, f)| {
            let (w, s) = visits
                .iter()
                .rev()
                .find(|v| v.service.as_deref() == Some(code.as_str()))
                .map_or((None, None), |v| {
                    (v.max_wait_minutes, v.max_service_minutes)
                });
            Exceeded {
                service: names.get(&code).cloned().unwrap_or_default(),
                service_code: code,
                max_wait_minutes: w,
                max_service_minutes: s,
                visits: f.visits,
                wait_exceeded: f.wait_exceeded,
                service_exceeded: f.service_exceeded,
            }
        })
        .collect();
    exceeded.sort_by(|a, b| {
        (b.wait_exceeded + b.service_exceeded).cmp(&(a.wait_exceeded + a.service_exceeded))
    });
    Ok(QueueFiguresView {
        raise_near_deadline: office.raise_near_deadline,
        office: office.code,
        from: from.to_string(),
        to: to.to_string(),
        by: by.as_str().into(),
        rows,
        total,
        exceeded,
    })
}

async fn passport_limits(
    state: &AppState,
    service: &str,
    day: Date,
) -> Result<(Option<u32>, Option<u32>), AppError> {
    let Ok(code) = v::service_code("service", service) else {
        return Ok((None, None));
    };
    Ok(state
        .store
        .passport(&code, PassportWhich::InForce(day))
        .await?
        .map_or((None, None), |p| {
            (
                p.passport.terms.max_wait_minutes,
                p.passport.terms.max_service_minutes,
            )
        }))
}

async fn service_name(state: &AppState, code: &str, lang: Lang) -> Result<String, AppError> {
    let Ok(c) = v::service_code("service", code) else {
        return Ok(code.to_string());
    };
    Ok(state
        .store
        .service(&c)
        .await?
        .map_or_else(|| code.to_string(), |s| s.name.get(lang.code()).to_string()))
}

/// A waiting ticket on the board.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardTicket {
    pub number: String,
    pub purpose: Purpose,
    pub service_code: Option<String>,
    pub priority: Option<PriorityGroup>,
    /// Seconds since the ticket was taken.
    pub waited_secs: i64,
}

/// A counter on the board.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardCounter {
    pub id: i64,
    pub window: i64,
    /// `open`, `paused` or `closed`.
    pub state: String,
    pub employee_name: String,
    /// The ticket called or served, and since when (seconds).
    pub ticket: Option<String>,
    pub ticket_state: Option<String>,
    pub since_secs: Option<i64>,
    /// Open with nobody called or served.
    pub idle: bool,
}

/// The office now.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardView {
    pub office: String,
    pub open_now: bool,
    /// `electronic` or `live`.
    pub mode: String,
    /// Waiting, the longest-waiting first.
    pub waiting: Vec<BoardTicket>,
    pub counters: Vec<BoardCounter>,
}

/// The live board of office `code` (its staff, analysts, administrators).
pub async fn board(
    state: &AppState,
    caller: &Caller,
    code: &str,
    now: Timestamp,
) -> Result<BoardView, AppError> {
    let office = find(state, code).await?;
    require_office_reader(caller, &office)?;
    let queue = state.store.waiting_tickets(office.id).await?;
    let counters = state.store.counters(office.id).await?;
    let called = state.store.called_tickets(office.id, 1000).await?;
    let waiting = queue
        .iter()
        .map(|t| BoardTicket {
            number: format!("{}{:03}", t.purpose.letter(), t.n),
            purpose: t.purpose,
            service_code: t.service.clone(),
            priority: t.priority,
            waited_secs: now.duration_since(t.arrived_at).as_secs().max(0),
        })
        .collect();
    let counters = counters
        .iter()
        .map(|c| {
            let current = called.iter().find(|t| t.counter_id == Some(c.id));
            let since = current.and_then(|t| t.started_at.or(t.called_at));
            BoardCounter {
                id: c.id,
                window: c.number,
                state: c.state.as_str().into(),
                employee_name: c.employee_name.clone(),
                ticket: current.map(|t| t.number.clone()),
                ticket_state: current.map(|t| t.state.as_str().to_string()),
                since_secs: since.map(|s| now.duration_since(s).as_secs().max(0)),
                idle: c.state == CounterState::Open && current.is_none(),
            }
        })
        .collect();
    Ok(BoardView {
        open_now: is_open(state, &office, now),
        mode: office.mode.clone(),
        office: office.code,
        waiting,
        counters,
    })
}
