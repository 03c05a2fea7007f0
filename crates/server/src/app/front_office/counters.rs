//! Counters of an office (001 §6): administrators and the branch's supervisors set them up,
//! with what each serves and the employee working at it; the employee opens, pauses and closes
//! it.

use super::offices::{find, require_office_staff};
use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::state::AppState;
use jiff::Timestamp;
use qyzmet_domain::front_office::Purpose;
use qyzmet_store::front_office::{Counter, CounterState, NewCounter};
use qyzmet_store::UserRole;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A counter to add to an office.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCounterRequest {
    /// The window's number in the hall (1–999), unique in the office (001 §6).
    #[schema(minimum = 1, maximum = 999)]
    pub window: i64,
    /// What it serves: `acceptance`, `issue`, `consultation`, `self_service` (at least one).
    #[schema(min_items = 1, max_items = 4)]
    pub purposes: Vec<String>,
    /// The services it serves (codes); none = every service.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub services: Vec<String>,
    /// Whether booked visitors are called here (default yes).
    pub takes_bookings: Option<bool>,
    /// The user name of the employee working at it: an operator or supervisor of the branch.
    #[schema(max_length = 64)]
    pub employee: Option<String>,
}

/// A counter as the API shows it (the employee's name and position are on its screen in the
/// hall, 001 §6).
#[derive(Debug, Serialize, ToSchema)]
pub struct CounterView {
    pub id: i64,
    pub office: String,
    /// The window's number in the hall.
    pub window: i64,
    pub purposes: Vec<Purpose>,
    pub services: Vec<String>,
    pub takes_bookings: bool,
    /// `closed`, `open` or `paused`.
    #[schema(example = "open")]
    pub state: String,
    pub employee_name: String,
    pub employee_position: String,
}

impl From<&Counter> for CounterView {
    fn from(c: &Counter) -> Self {
        CounterView {
            id: c.id,
            office: c.office.clone(),
            window: c.number,
            purposes: c.purposes.clone(),
            services: c.services.clone(),
            takes_bookings: c.takes_bookings,
            state: c.state.as_str().into(),
            employee_name: c.employee_name.clone(),
            employee_position: c.employee_position.clone(),
        }
    }
}

/// The purposes named, each known, none twice, at least one.
pub fn purposes(field: &str, names: &[String]) -> Result<Vec<Purpose>, AppError> {
    if names.is_empty() {
        return Err(AppError::invalid(field, "required"));
    }
    let mut out = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let p = Purpose::parse(n.trim()).ok_or_else(|| {
            AppError::invalid(format!("{field}[{i}]"), "enum_invalid")
                .arg("allowed", "acceptance, issue, consultation, self_service")
        })?;
        if out.contains(&p) {
            return Err(AppError::invalid(format!("{field}[{i}]"), "duplicate"));
        }
        out.push(p);
    }
    Ok(out)
}

/// Adds a counter (administrators, or supervisors of the office's branch; recorded).
pub async fn create(
    state: &AppState,
    caller: &Caller,
    office_code: &str,
    r: &NewCounterRequest,
    now: Timestamp,
) -> Result<CounterView, AppError> {
    let office = find(state, office_code).await?;
    require_office_staff(caller, &office)?;
    if caller.role() == Some(UserRole::Operator) {
        return Err(AppError::forbidden("supervisor_required"));
    }
    if !(1..=999).contains(&r.window) {
        return Err(AppError::invalid("window", "out_of_range")
            .arg("min", 1)
            .arg("max", 999));
    }
    let purposes = purposes("purposes", &r.purposes)?;
    if r.services.len() > 200 {
        return Err(AppError::invalid("services", "too_many").arg("max", 200));
    }
    let mut services = Vec::new();
    for (i, s) in r.services.iter().enumerate() {
        let field = format!("services[{i}]");
        let code = v::service_code(&field, s)?;
        if state.store.service(&code).await?.is_none() {
            return Err(AppError::invalid(field, "unknown_service"));
        }
        if !services.contains(&code.as_ref().to_string()) {
            services.push(code.as_ref().to_string());
        }
    }
    let user_id = match r
        .employee
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(name) => Some(employee(state, &office.organization_path, name).await?),
    };
    let counter = state
        .store
        .create_counter(
            office.id,
            &NewCounter {
                number: r.window,
                purposes,
                services,
                takes_bookings: r.takes_bookings.unwrap_or(true),
                user_id,
            },
            &caller.actor(),
            now,
        )
        .await?;
    Ok((&counter).into())
}

/// The user working at a counter: an operator or supervisor whose organization's sub-tree
/// holds the office's branch (or its branch is under theirs).
async fn employee(state: &AppState, office_path: &str, username: &str) -> Result<i64, AppError> {
    let unknown = || AppError::invalid("employee", "unknown_employee");
    let id = state
        .store
        .user_id(&username.to_lowercase())
        .await?
        .ok_or_else(unknown)?;
    let record = state.store.user_record(id).await?.ok_or_else(unknown)?;
    if !record.user.role.needs_organization() || record.block.is_some() {
        return Err(unknown());
    }
    let org = match &record.user.organization {
        Some(code) => state.store.organization(code).await?.ok_or_else(unknown)?,
        None => return Err(unknown()),
    };
    if !office_path.starts_with(&org.path) && !org.path.starts_with(office_path) {
        return Err(AppError::invalid("employee", "employee_outside_office"));
    }
    Ok(id)
}

/// The counters of an office (its staff, administrators and analysts).
pub async fn list(
    state: &AppState,
    caller: &Caller,
    office_code: &str,
) -> Result<Vec<CounterView>, AppError> {
    let office = find(state, office_code).await?;
    super::offices::require_office_reader(caller, &office)?;
    let counters = state.store.counters(office.id).await?;
    Ok(counters.iter().map(CounterView::from).collect())
}

/// The counter `id`, if the caller may work it: its own employee, a supervisor of the office's
/// branch, or an administrator.
pub async fn workable(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<(Counter, qyzmet_store::front_office::Office), AppError> {
    let counter = state
        .store
        .counter(id)
        .await?
        .ok_or_else(|| AppError::not_found("counter_not_found"))?;
    let office = find(state, &counter.office).await?;
    require_office_staff(caller, &office).map_err(|e| match e.code.as_str() {
        "outside_scope" => AppError::not_found("counter_not_found"),
        _ => e,
    })?;
    if caller.role() == Some(UserRole::Operator) && counter.user_id != caller.user_id() {
        return Err(AppError::forbidden("not_your_counter"));
    }
    Ok((counter, office))
}

/// Opens, pauses or closes a counter (recorded, 001 §21).
pub async fn set_state(
    state: &AppState,
    caller: &Caller,
    id: i64,
    to: &str,
    now: Timestamp,
) -> Result<CounterView, AppError> {
    let to = CounterState::parse(to.trim()).ok_or_else(|| {
        AppError::invalid("state", "enum_invalid").arg("allowed", "open, paused, closed")
    })?;
    workable(state, caller, id).await?;
    let counter = state
        .store
        .set_counter_state(id, to, &caller.actor(), now)
        .await?;
    Ok((&counter).into())
}

/// Puts an employee at a counter, or nobody (`None`): administrators and supervisors of the
/// office's branch, as at the counter's creation (recorded, 001 §21). Shifts change; the
/// counter's screen shows who works there now (001 §6).
pub async fn set_employee(
    state: &AppState,
    caller: &Caller,
    id: i64,
    employee_name: Option<&str>,
    now: Timestamp,
) -> Result<CounterView, AppError> {
    let (counter, office) = workable(state, caller, id).await?;
    if caller.role() == Some(UserRole::Operator) {
        return Err(AppError::forbidden("supervisor_required"));
    }
    let user_id = match employee_name.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(name) => Some(employee(state, &office.organization_path, name).await?),
    };
    let counter = state
        .store
        .set_counter_employee(counter.id, user_id, &caller.actor(), now)
        .await?;
    Ok((&counter).into())
}
