//! The live-queue fallback's use cases (issue 18, point 5; 001 §6; FO-2): a supervisor
//! switches the office to the live queue and back, with the reason; kiosks and counters take
//! ranges of the day's numbers while the server answers; their journals come back and are
//! reconciled (the store's `live` module). Displays are told to take a fresh snapshot after
//! each reconciliation.

use super::offices::{find, is_open, require_office_staff, OfficeView};
use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::queue_feed::QueueEvent;
use crate::state::AppState;
use jiff::Timestamp;
use qyzmet_domain::front_office::{PriorityGroup, TicketNumber};
use qyzmet_store::front_office::{LiveEntry, Reconciled, TicketRange};
use qyzmet_store::UserRole;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The largest range one request takes.
pub const RANGE_MAX: i64 = 500;
/// The most entries one journal sends.
pub const JOURNAL_MAX: usize = 2000;

/// A switch of the queue's mode.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModeRequest {
    /// `live` (the server cannot serve the queue) or `electronic` (back).
    #[schema(example = "live")]
    pub mode: String,
    /// Why, in a few words (recorded, 001 §21).
    #[schema(max_length = 500)]
    pub reason: String,
}

/// Switches office `code`'s queue (the branch's supervisors, administrators). Recorded with
/// who, when and why; the displays are told.
pub async fn switch_mode(
    state: &AppState,
    caller: &Caller,
    code: &str,
    r: &ModeRequest,
    now: Timestamp,
) -> Result<OfficeView, AppError> {
    let office = find(state, code).await?;
    require_office_staff(caller, &office)?;
    if caller.role() == Some(UserRole::Operator) {
        return Err(AppError::forbidden("supervisor_required"));
    }
    let mode = match r.mode.trim() {
        m @ ("live" | "electronic") => m,
        _ => {
            return Err(AppError::invalid("mode", "enum_invalid").arg("allowed", "live, electronic"))
        }
    };
    let reason = v::text("reason", &r.reason, 500)?;
    state
        .store
        .switch_queue_mode(office.id, mode, &reason, &caller.actor(), now)
        .await?;
    resync(state, &office.code);
    let office = find(state, code).await?;
    Ok(OfficeView::of(&office, is_open(state, &office, now)))
}

fn resync(state: &AppState, office: &str) {
    state.feed.publish(QueueEvent {
        office: office.to_string(),
        ..QueueEvent::resync()
    });
}

/// A range to take.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RangeRequest {
    /// The kiosk or counter that will issue from it (its name on the office's journal).
    #[schema(max_length = 100, example = "kiosk-1")]
    pub device: String,
    /// How many numbers (1–500, default 50).
    #[schema(minimum = 1, maximum = 500)]
    pub size: Option<i64>,
}

/// A range handed out.
#[derive(Debug, Serialize, ToSchema)]
pub struct RangeView {
    pub id: i64,
    pub device: String,
    #[schema(format = Date)]
    pub day: String,
    /// The first and last number of the range (the letter is the purpose's).
    pub first: i64,
    pub last: i64,
}

impl From<TicketRange> for RangeView {
    fn from(r: TicketRange) -> Self {
        RangeView {
            id: r.id,
            device: r.device,
            day: r.day.to_string(),
            first: r.first,
            last: r.last,
        }
    }
}

fn device(s: &str) -> Result<String, AppError> {
    v::text("device", s, 100)
}

/// Hands today's next numbers of office `code` to a device (its staff).
pub async fn allocate(
    state: &AppState,
    caller: &Caller,
    code: &str,
    r: &RangeRequest,
    now: Timestamp,
) -> Result<RangeView, AppError> {
    let office = find(state, code).await?;
    require_office_staff(caller, &office)?;
    let device = device(&r.device)?;
    let size = r.size.unwrap_or(50);
    if !(1..=RANGE_MAX).contains(&size) {
        return Err(AppError::invalid("size", "out_of_range")
            .arg("min", 1)
            .arg("max", RANGE_MAX));
    }
    let day = qyzmet_domain::zone::local_date(now);
    Ok(state
        .store
        .allocate_range(office.id, &device, day, size, &caller.actor(), now)
        .await?
        .into())
}

/// One entry of a journal as a device sends it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JournalEntry {
    /// The device's own id of the entry (a UUID): a resent entry is recognised by it.
    #[schema(max_length = 100)]
    pub id: String,
    /// `taken` (the device issued the number) or `served` (a counter called the number's
    /// visitor, and perhaps served or missed them).
    #[schema(example = "taken")]
    pub kind: String,
    /// The ticket's number, `A017`.
    #[schema(max_length = 10, example = "A051")]
    pub number: String,
    /// `taken`: when it was issued.
    #[schema(format = DateTime)]
    pub at: Option<String>,
    /// `taken`: the service and the priority group, if chosen.
    #[schema(max_length = 64)]
    pub service_code: Option<String>,
    pub priority: Option<String>,
    /// `served`: the window, and when the visitor was called, came and left.
    pub window: Option<i64>,
    #[schema(format = DateTime)]
    pub called_at: Option<String>,
    #[schema(format = DateTime)]
    pub started_at: Option<String>,
    #[schema(format = DateTime)]
    pub finished_at: Option<String>,
    #[schema(max_length = 200)]
    pub outcome: Option<String>,
    /// `served`: the visitor did not come.
    pub no_show: Option<bool>,
}

/// A device's journal.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JournalRequest {
    #[schema(max_length = 100, example = "kiosk-1")]
    pub device: String,
    /// The office's local day the journal is of (default today).
    #[schema(format = Date)]
    pub day: Option<String>,
    pub entries: Vec<JournalEntry>,
}

/// A refused entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefusedEntry {
    pub id: String,
    /// `number_outside_range`, `number_taken`, `number_other_purpose` or `ticket_state_wrong`.
    pub code: String,
}

/// What a reconciliation did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReconciledView {
    pub received: usize,
    pub applied: usize,
    /// Entries of the day still waiting for the number they refer to (another device's
    /// journal has not come yet).
    pub pending: usize,
    pub refused: Vec<RefusedEntry>,
}

impl From<Reconciled> for ReconciledView {
    fn from(r: Reconciled) -> Self {
        ReconciledView {
            received: r.received,
            applied: r.applied,
            pending: r.pending,
            refused: r
                .refused
                .into_iter()
                .map(|(id, code)| RefusedEntry { id, code })
                .collect(),
        }
    }
}

fn entry(i: usize, e: &JournalEntry) -> Result<LiveEntry, AppError> {
    let f = |name: &str| format!("entries[{i}].{name}");
    let id = v::text(&f("id"), &e.id, 100)?;
    let number: TicketNumber = e
        .number
        .parse()
        .map_err(|_| AppError::invalid(f("number"), "ticket_number_invalid"))?;
    let moment = |name: &str, s: &Option<String>| -> Result<Option<Timestamp>, AppError> {
        s.as_deref().map(|s| v::instant(&f(name), s)).transpose()
    };
    let required =
        |name: &str, t: Option<Timestamp>| t.ok_or_else(|| AppError::invalid(f(name), "required"));
    match e.kind.trim() {
        "taken" => Ok(LiveEntry::Taken {
            id,
            purpose: number.purpose,
            n: i64::from(number.n),
            service: match e
                .service_code
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                Some(s) => Some(v::service_code(&f("service_code"), s)?.as_ref().to_string()),
                None => None,
            },
            priority: match e
                .priority
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                Some(p) => Some(PriorityGroup::parse(p).ok_or_else(|| {
                    AppError::invalid(f("priority"), "enum_invalid").arg(
                        "allowed",
                        "disability, elderly, pregnant, booked, returning_for_issue",
                    )
                })?),
                None => None,
            },
            at: required("at", moment("at", &e.at)?)?,
        }),
        "served" => Ok(LiveEntry::Served {
            id,
            purpose: number.purpose,
            n: i64::from(number.n),
            window: e
                .window
                .ok_or_else(|| AppError::invalid(f("window"), "required"))?,
            called_at: required("called_at", moment("called_at", &e.called_at)?)?,
            started_at: moment("started_at", &e.started_at)?,
            finished_at: moment("finished_at", &e.finished_at)?,
            outcome: v::opt_text(&f("outcome"), e.outcome.as_deref(), 200)?,
            no_show: e.no_show.unwrap_or(false),
        }),
        _ => Err(AppError::invalid(f("kind"), "enum_invalid").arg("allowed", "taken, served")),
    }
}

/// Reconciles a device's journal with office `code`'s queue (its staff).
pub async fn reconcile(
    state: &AppState,
    caller: &Caller,
    code: &str,
    r: &JournalRequest,
    now: Timestamp,
) -> Result<ReconciledView, AppError> {
    let office = find(state, code).await?;
    require_office_staff(caller, &office)?;
    let device = device(&r.device)?;
    if r.entries.len() > JOURNAL_MAX {
        return Err(AppError::invalid("entries", "too_many").arg("max", JOURNAL_MAX));
    }
    let day = match r.day.as_deref() {
        Some(d) => v::date("day", d)?,
        None => qyzmet_domain::zone::local_date(now),
    };
    let entries = r
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| entry(i, e))
        .collect::<Result<Vec<_>, _>>()?;
    let done = state
        .store
        .reconcile_journal(office.id, day, &device, &entries, &caller.actor(), now)
        .await?;
    resync(state, &office.code);
    Ok(done.into())
}
