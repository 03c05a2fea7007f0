//! Offices of the State Corporation (001 §3): administrators create them under a branch (an
//! organization of kind `state_corp_branch`) with a week that defaults to what 001 §3 sets for the
//! kind, and a queue policy that defaults to the domain's; everyone in the branch's sub-tree
//! reads them.

use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::state::AppState;
use jiff::Timestamp;
use qyzmet_domain::front_office::{OfficeKind, OfficeSchedule, Weights};
use qyzmet_domain::passport::Texts;
use qyzmet_store::front_office::{NewOffice, Office};
use qyzmet_store::LocalizedName;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The longest name or address line.
const LINE_MAX: usize = 300;

/// An office to create.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOfficeRequest {
    /// The office's code: letters, digits, `-` and `_`, unique.
    #[schema(max_length = 64, example = "ALM-01")]
    pub code: String,
    /// The State Corporation branch (an organization of kind `state_corp_branch`) it belongs to.
    #[schema(max_length = 64)]
    pub organization: String,
    /// `regular` (Mon–Fri 09:00–18:00) or `duty` (Mon–Fri 09:00–20:00, Sat 09:00–13:00), 001 §3.
    #[schema(example = "regular")]
    pub kind: String,
    /// Kazakh and Russian required, English for staff.
    pub name: Texts,
    pub address: Texts,
    /// The week; by default the one 001 §3 sets for the kind.
    pub schedule: Option<OfficeSchedule>,
    /// The legal source of the week; by default 001 §3.
    pub schedule_source: Option<Texts>,
    /// Head starts of the priority groups, in minutes; by default the domain's.
    pub weights: Option<Weights>,
    /// Raise tickets whose application is about to be overdue (off by default).
    pub raise_near_deadline: Option<bool>,
    /// How close to its due moment an application is "about to be overdue", in hours (1–720).
    #[schema(minimum = 1, maximum = 720)]
    pub deadline_window_hours: Option<i64>,
    /// Calls before a visitor may be marked as not shown (1–10, default 3).
    #[schema(minimum = 1, maximum = 10)]
    pub calls_before_no_show: Option<i64>,
    /// The service time the wait estimate starts from, in minutes (1–240, default 15).
    #[schema(minimum = 1, maximum = 240)]
    pub average_service_minutes: Option<i64>,
}

/// An office as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfficeView {
    pub code: String,
    pub organization: String,
    #[schema(example = "regular")]
    pub kind: String,
    pub name: Texts,
    pub address: Texts,
    pub schedule: OfficeSchedule,
    pub schedule_source: Texts,
    pub weights: Weights,
    pub raise_near_deadline: bool,
    pub deadline_window_hours: i64,
    pub calls_before_no_show: i64,
    pub average_service_minutes: i64,
    /// `electronic`, or `live` during a failure (001 §6).
    pub mode: String,
    /// Whether the office receives visitors now (its week and the production calendar).
    pub open_now: bool,
    #[schema(format = DateTime)]
    pub created_at: String,
}

fn texts(n: &LocalizedName) -> Texts {
    Texts::new(&n.kk, &n.ru, &n.en)
}

impl OfficeView {
    pub fn of(o: &Office, open_now: bool) -> OfficeView {
        OfficeView {
            code: o.code.clone(),
            organization: o.organization.clone(),
            kind: o.kind.as_str().into(),
            name: texts(&o.name),
            address: texts(&o.address),
            schedule: o.schedule.clone(),
            schedule_source: texts(&o.schedule_source),
            weights: o.weights,
            raise_near_deadline: o.raise_near_deadline,
            deadline_window_hours: o.deadline_window_hours,
            calls_before_no_show: o.calls_before_no_show,
            average_service_minutes: o.average_service_secs / 60,
            mode: o.mode.clone(),
            open_now,
            created_at: v::local(o.created_at),
        }
    }
}

/// Kazakh and Russian required (English optional), each a valid line.
fn bilingual(field: &str, t: &Texts) -> Result<LocalizedName, AppError> {
    let kk = v::text(&format!("{field}.kk"), &t.kk, LINE_MAX)?;
    let ru = v::text(&format!("{field}.ru"), &t.ru, LINE_MAX)?;
    let en = if t.en.trim().is_empty() {
        String::new()
    } else {
        v::text(&format!("{field}.en"), &t.en, LINE_MAX)?
    };
    Ok(LocalizedName { kk, ru, en })
}

fn within(
    field: &str,
    value: Option<i64>,
    range: std::ops::RangeInclusive<i64>,
    default: i64,
) -> Result<i64, AppError> {
    let v = value.unwrap_or(default);
    if range.contains(&v) {
        Ok(v)
    } else {
        Err(AppError::invalid(field, "out_of_range")
            .arg("min", range.start())
            .arg("max", range.end()))
    }
}

/// 001 §3, as the default legal source of a week.
fn statutory_source() -> LocalizedName {
    LocalizedName {
        kk: "«Азаматтарға арналған үкімет» мемлекеттік корпорациясының қызмет қағидалары, 3-тармақ"
            .into(),
        ru: "Правила деятельности Государственной корпорации «Правительство для граждан», пункт 3"
            .into(),
        en: "Rules of activity of the State Corporation \"Government for Citizens\", clause 3"
            .into(),
    }
}

/// The office checked: every field named where it fails.
pub fn check(r: &NewOfficeRequest) -> Result<NewOffice, AppError> {
    let code = v::org_code("code", &r.code)?.as_ref().to_string();
    let organization = v::org_code("organization", &r.organization)?;
    let kind = OfficeKind::parse(r.kind.trim())
        .ok_or_else(|| AppError::invalid("kind", "enum_invalid").arg("allowed", "regular, duty"))?;
    let schedule = r
        .schedule
        .clone()
        .unwrap_or_else(|| kind.statutory_schedule());
    schedule
        .check()
        .map_err(|e| AppError::invalid(e.field(), e.code()))?;
    let schedule_source = match &r.schedule_source {
        Some(t) => bilingual("schedule_source", t)?,
        None => statutory_source(),
    };
    let weights = r.weights.unwrap_or_default();
    if let Some(f) = weights.out_of_range() {
        return Err(AppError::invalid(format!("weights.{f}"), "out_of_range")
            .arg("min", 0)
            .arg("max", qyzmet_domain::front_office::ticket::WEIGHT_MAX));
    }
    Ok(NewOffice {
        code,
        organization,
        kind,
        name: bilingual("name", &r.name)?,
        address: bilingual("address", &r.address)?,
        schedule,
        schedule_source,
        weights,
        raise_near_deadline: r.raise_near_deadline.unwrap_or(false),
        deadline_window_hours: within(
            "deadline_window_hours",
            r.deadline_window_hours,
            1..=720,
            24,
        )?,
        calls_before_no_show: within("calls_before_no_show", r.calls_before_no_show, 1..=10, 3)?,
        average_service_secs: within(
            "average_service_minutes",
            r.average_service_minutes,
            1..=240,
            15,
        )? * 60,
    })
}

/// Creates an office (administrators only; audited).
pub async fn create(
    state: &AppState,
    caller: &Caller,
    r: &NewOfficeRequest,
    now: Timestamp,
) -> Result<OfficeView, AppError> {
    caller.require_admin()?;
    let office = check(r)?;
    let stored = state
        .store
        .create_office(&office, &caller.actor(), now)
        .await?;
    Ok(OfficeView::of(&stored, is_open(state, &stored, now)))
}

/// The offices the caller reaches: its sub-tree's, or all for administrators and analysts.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    now: Timestamp,
) -> Result<Vec<OfficeView>, AppError> {
    let offices = state.store.offices(caller.scope().path()).await?;
    Ok(offices
        .iter()
        .map(|o| OfficeView::of(o, is_open(state, o, now)))
        .collect())
}

/// One office, for anyone (its name, address and week are public: the kiosk and the hall
/// display show them).
pub async fn find(state: &AppState, code: &str) -> Result<Office, AppError> {
    state
        .store
        .office(code.trim())
        .await?
        .ok_or_else(|| AppError::not_found("office_not_found"))
}

/// The counter and the ticket an action at `office` names (their row ids), each checked to
/// be the office's: `counter_not_of_office`, `ticket_not_of_office` otherwise.
pub async fn desk_refs(
    state: &AppState,
    office: &Office,
    counter: Option<i64>,
    ticket: Option<&str>,
) -> Result<(Option<i64>, Option<i64>), AppError> {
    let counter_id = match counter {
        None => None,
        Some(id) => match state.store.counter(id).await? {
            Some(c) if c.office_id == office.id => Some(c.id),
            _ => return Err(AppError::invalid("counter", "counter_not_of_office")),
        },
    };
    let ticket_id = match ticket {
        None => None,
        Some(t) => match state.store.ticket(t.trim()).await? {
            Some(t) if t.office_id == office.id => Some(t.id),
            _ => return Err(AppError::invalid("ticket", "ticket_not_of_office")),
        },
    };
    Ok((counter_id, ticket_id))
}

/// Whether `office` receives visitors at `now` (its week in Almaty time, the calendar).
pub fn is_open(state: &AppState, office: &Office, now: Timestamp) -> bool {
    let local = now.to_zoned(qyzmet_domain::zone::almaty().clone());
    office
        .schedule
        .is_open(local.date(), local.time(), &state.calendar.get())
}

/// Whether the caller may run `office`'s counters and see its queue: administrators, and staff
/// whose organization's sub-tree holds the office's branch.
pub fn require_office_staff(caller: &Caller, office: &Office) -> Result<(), AppError> {
    match caller.scope().path() {
        None => caller.require_admin().map_err(|_| match caller.role() {
            Some(qyzmet_store::UserRole::Analyst) => AppError::forbidden("read_only"),
            _ => AppError::forbidden("admin_required"),
        }),
        Some(path) if office.organization_path.starts_with(path) => caller.require_writer(),
        Some(_) => Err(AppError::forbidden("outside_scope")),
    }
}

/// Whether the caller may read `office`'s queue, bookings and figures: its staff (as
/// [`require_office_staff`]) and analysts within their reach.
pub fn require_office_reader(caller: &Caller, office: &Office) -> Result<(), AppError> {
    if caller.role() == Some(qyzmet_store::UserRole::Analyst) {
        return match caller.scope().path() {
            Some(path) if !office.organization_path.starts_with(path) => {
                Err(AppError::forbidden("outside_scope"))
            }
            _ => Ok(()),
        };
    }
    require_office_staff(caller, office)
}
