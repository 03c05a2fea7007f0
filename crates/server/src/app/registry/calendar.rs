//! The production calendar: the dated exceptions to the Saturday–Sunday weekend, edits that
//! recompute the pending deadlines (000 §10), and the deadline calculator.

//! `/api/v1/calendar`: the production calendar in force, its edits (administrators; an edit
//! recomputes the planned dates that depend on it), and the deadline calculator (rules 1–10).

use crate::app::now;
use crate::app::validate as v;
use crate::app::AppError;
use crate::app::Caller;
use crate::state::AppState;
use jiff::Timestamp;
use qyzmet_domain::calendar::{CalendarEntry, DayKind};
use qyzmet_domain::deadline::{self, DeadlineRules};
use qyzmet_domain::{ProductionCalendar, Term, WorkingHours};
use qyzmet_store::AuditEntry;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
/// Parameters of the deadline calculator (the CLI's `calendar deadline` takes the same).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeadlineQuery {
    /// RFC 3339 with offset. (`schema_with` would drop `required`: the pattern is
    /// `openapi::INSTANT_PATTERN`, written out.)
    #[param(format = DateTime, pattern = r"^2[0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?([Zz]|\+((0[0-9]|1[0-3]):[0-5][0-9]|14:00)|-((0[0-9]|1[01]):[0-5][0-9]|12:00))$")]
    pub accepted_at: String,
    /// Amount of the term: at most a year in the unit (366 days, 8,760 hours, 525,600
    /// minutes).
    #[param(minimum = 1, maximum = 525600)]
    pub term: i64,
    /// The unit of the term (the CLI's kebab-case spelling is accepted too).
    #[param(pattern = "^(minutes|hours|working_days|calendar_days|working-days|calendar-days)$")]
    pub unit: String,
    #[serde(default)]
    pub acceptance_day_counted: bool,
    #[serde(default)]
    pub paper_via_state_corp: bool,
    /// e.g. 09:00-18:30 (default 09:00-18:00), the start before the end.
    #[param(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub working_hours: Option<String>,
}

/// The computed deadline.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineView {
    /// YYYY-MM-DD in Asia/Almaty.
    #[schema(format = Date)]
    pub planned_date: String,
    /// RFC 3339 (Asia/Almaty offset).
    #[schema(format = DateTime)]
    pub deadline: String,
    /// The acceptance after rule 3.
    #[schema(format = DateTime)]
    pub effective_acceptance: String,
    #[schema(format = Date)]
    pub counting_starts: Option<String>,
    #[schema(value_type = Object)]
    pub derivation: serde_json::Value,
}

impl DeadlineView {
    /// Validates the parameters and computes with `calendar`.
    pub fn compute(
        q: &DeadlineQuery,
        calendar: &ProductionCalendar,
    ) -> Result<DeadlineView, AppError> {
        let accepted_at: Timestamp = v::calendar_instant("accepted_at", &q.accepted_at)?;
        let t: Term = v::term("term", q.term, &q.unit).map_err(|e| {
            // The calculator's fields are flat: `term` and `unit`.
            let field = if e.field.as_deref() == Some("term.unit") {
                "unit"
            } else {
                "term"
            };
            AppError {
                field: Some(field.into()),
                args: vec![("field", field.into())],
                ..e
            }
        })?;
        let working_hours: WorkingHours = match &q.working_hours {
            Some(w) => v::working_hours("working_hours", w)?,
            None => WorkingHours::default(),
        };
        let rules = DeadlineRules {
            acceptance_day_counted: q.acceptance_day_counted,
            paper_via_state_corp: q.paper_via_state_corp,
            working_hours,
        };
        let d = deadline::compute(calendar, accepted_at, t, &rules, &[]);
        Ok(DeadlineView {
            planned_date: d.planned_date.to_string(),
            deadline: v::local(d.deadline),
            effective_acceptance: v::local(d.effective_acceptance),
            counting_starts: d.derivation.counting_starts.map(|c| c.to_string()),
            derivation: serde_json::to_value(&d.derivation).unwrap_or_default(),
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EntriesQuery {
    /// Only this year's entries.
    #[param(minimum = -32768, maximum = 32767)]
    pub year: Option<i16>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CalendarEntryView {
    #[schema(format = Date)]
    pub date: String,
    #[schema(schema_with = crate::app::schema::day_kind)]
    pub kind: String,
    /// The name in English (the field every reader has had); `name_kk` and `name_ru` give it
    /// in Kazakh and Russian.
    pub name: String,
    /// The legal basis, in English; `source_kk` and `source_ru` in Kazakh and Russian.
    pub source: String,
    /// Empty only for a day an administrator entered without it.
    #[serde(default)]
    pub name_kk: String,
    #[serde(default)]
    pub name_ru: String,
    #[serde(default)]
    pub source_kk: String,
    #[serde(default)]
    pub source_ru: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarView {
    /// Content hash of the calendar in force.
    pub version: String,
    pub entries: Vec<CalendarEntryView>,
}

pub fn kind_name(k: DayKind) -> &'static str {
    match k {
        DayKind::DayOff => "day_off",
        DayKind::WorkingDay => "working_day",
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarEntryRequest {
    #[schema(schema_with = crate::app::schema::day_kind)]
    pub kind: String,
    /// The name (in English; shown to readers of a language whose name is not given).
    #[schema(schema_with = crate::app::schema::line_300)]
    pub name: String,
    /// The legal basis (decree, law), in English.
    #[schema(schema_with = crate::app::schema::line_500)]
    pub source: String,
    /// The name in Kazakh (optional; up to 300 characters).
    #[serde(default)]
    pub name_kk: Option<String>,
    /// The name in Russian (optional; up to 300 characters).
    #[serde(default)]
    pub name_ru: Option<String>,
    /// The legal basis in Kazakh (optional; up to 1000 characters).
    #[serde(default)]
    pub source_kk: Option<String>,
    /// The legal basis in Russian (optional; up to 1000 characters).
    #[serde(default)]
    pub source_ru: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarEditView {
    #[schema(format = Date)]
    pub date: String,
    /// Pending applications whose deadline was recomputed.
    pub recomputed: u64,
    /// Of those, how many got another planned date (the old one is kept with the reason).
    pub changed: u64,
    pub version: String,
}

/// Sets (`Some`) or removes (`None`) the entry of `date`, for the API and the workstation
/// alike: the store recomputes the pending applications whose planned date depends on that
/// day (keeping the old date and the reason), this node's calendar is reloaded, and the edit
/// is audited.
async fn apply_edit(
    state: &AppState,
    caller: &Caller,
    date: &str,
    entry: Option<CalendarEntry>,
) -> Result<CalendarEditView, AppError> {
    caller.require_admin()?;
    let day = v::date("date", date)?;
    let at = now();
    let result = state
        .store
        .edit_calendar(
            day,
            entry.as_ref(),
            &caller.actor(),
            at,
            state.config.nearing_fraction,
        )
        .await?;
    state.calendar.refresh(&state.store).await?;
    state
        .audit
        .record_action(AuditEntry {
            at,
            actor: caller.actor(),
            action: if entry.is_some() {
                "calendar.set"
            } else {
                "calendar.remove"
            }
            .into(),
            subject: format!("calendar:{day}"),
            detail: match &entry {
                Some(e) => format!(
                    "{}; {}; changed {} of {}",
                    kind_name(e.kind),
                    e.source,
                    result.changed,
                    result.recomputed
                ),
                None => format!("changed {} of {}", result.changed, result.recomputed),
            },
        })
        .await;
    Ok(CalendarEditView {
        date: day.to_string(),
        recomputed: result.recomputed,
        changed: result.changed,
        version: state.calendar.get().version().to_string(),
    })
}

/// Sets a day off or a working day with its name and legal source: the core of
/// `PUT /api/v1/calendar/{date}` and of the workstation's calendar form.
pub async fn set_calendar_day(
    state: &AppState,
    caller: &Caller,
    date: &str,
    req: &CalendarEntryRequest,
) -> Result<CalendarEditView, AppError> {
    caller.require_admin()?;
    let entry = entry(date, req)?;
    apply_edit(state, caller, date, Some(entry)).await
}

/// A day's entry checked field by field, for the API, the workstation and the command line.
pub fn entry(date: &str, req: &CalendarEntryRequest) -> Result<CalendarEntry, AppError> {
    let kind = match req.kind.trim() {
        "day_off" => DayKind::DayOff,
        "working_day" => DayKind::WorkingDay,
        _ => {
            return Err(
                AppError::invalid("kind", "enum_invalid").arg("allowed", "day_off, working_day")
            )
        }
    };
    // A translation is optional: absent or blank, readers fall back to another language.
    let translation = |field: &str, value: &Option<String>, max: usize| match value {
        Some(t) if !t.trim().is_empty() => v::text(field, t, max),
        _ => Ok(String::new()),
    };
    Ok(CalendarEntry {
        date: v::date("date", date)?,
        kind,
        name: v::text("name", &req.name, 300)?,
        source: v::text("source", &req.source, 500)?,
        name_kk: translation("name_kk", &req.name_kk, 300)?,
        name_ru: translation("name_ru", &req.name_ru, 300)?,
        source_kk: translation("source_kk", &req.source_kk, 1000)?,
        source_ru: translation("source_ru", &req.source_ru, 1000)?,
    })
}

/// Removes a day's entry (the day follows the weekly pattern again): the core of
/// `DELETE /api/v1/calendar/{date}` and of the workstation's remove button.
pub async fn clear_calendar_day(
    state: &AppState,
    caller: &Caller,
    date: &str,
) -> Result<CalendarEditView, AppError> {
    apply_edit(state, caller, date, None).await
}

/// The calendar in force, or one year of it: the dated exceptions to the Saturday–Sunday
/// weekend.
pub fn entries_of(state: &AppState, year: Option<i16>) -> Result<CalendarView, AppError> {
    if let Some(y) = year {
        v::year("year", i64::from(y))?;
    }
    let cal = state.calendar.get();
    let entries = cal
        .entries()
        .filter(|e| year.is_none_or(|y| e.date.year() == y))
        .map(|e| CalendarEntryView {
            date: e.date.to_string(),
            kind: kind_name(e.kind).into(),
            name: e.name.clone(),
            source: e.source.clone(),
            name_kk: e.name_kk.clone(),
            name_ru: e.name_ru.clone(),
            source_kk: e.source_kk.clone(),
            source_ru: e.source_ru.clone(),
        })
        .collect();
    Ok(CalendarView {
        version: cal.version().to_string(),
        entries,
    })
}
