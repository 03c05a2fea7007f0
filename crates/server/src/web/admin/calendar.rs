//! The production calendar as a year view (MISSION "The production calendar"): twelve month
//! grids, each day working or off (Saturday and Sunday off unless an entry says otherwise),
//! the entries with their names and legal sources (in the reader's language, else Russian,
//! Kazakh, English), and the form that sets or removes one
//! through `api::calendar`'s core — which recomputes the planned dates that depend on the day
//! and reloads the calendar in force.

use super::{is_for_the_form, FormErrors, ADMINS};
use crate::app::registry::calendar::{clear_calendar_day, set_calendar_day, CalendarEntryRequest};
use crate::i18n::message;
use crate::state::AppState;
use crate::web::session::Staff;
use crate::web::{format, render, render_status, see_other, Ui, WebError};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use jiff::civil::{Date, Weekday};
use jiff::Timestamp;
use qyzmet_domain::calendar::DayKind;
use qyzmet_domain::ProductionCalendar;
use serde::Deserialize;

/// One day of a month grid.
pub struct DayCell {
    pub day: i8,
    /// YYYY-MM-DD.
    pub iso: String,
    /// `working` or `day_off`: what the day is, entry or not.
    pub status: &'static str,
    /// The entry's kind (`day_off`, `working_day`), empty when the weekly pattern rules.
    pub entry: &'static str,
    pub weekend: bool,
    pub today: bool,
    /// The whole date, what it is and why, for the link's name and its tooltip.
    pub label: String,
}

impl DayCell {
    /// CSS classes: what the day is, and whether an entry made it so.
    pub fn class(&self) -> String {
        let mut c = String::from(if self.status == "working" {
            "work"
        } else {
            "off"
        });
        if !self.entry.is_empty() {
            c.push_str(" entry");
        }
        if self.weekend {
            c.push_str(" weekend");
        }
        c
    }
}

pub struct MonthGrid {
    pub number: i8,
    pub name: String,
    /// Weeks from Monday; `None` before the first and after the last day.
    pub weeks: Vec<Vec<Option<DayCell>>>,
}

pub struct EntryLine {
    pub iso: String,
    pub date: String,
    pub kind: &'static str,
    pub kind_name: String,
    pub name: String,
    pub source: String,
}

/// The form that sets a day's entry, as sent and as re-shown.
#[derive(Debug, Default, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub name_kk: String,
    #[serde(default)]
    pub name_ru: String,
    #[serde(default)]
    pub source_kk: String,
    #[serde(default)]
    pub source_ru: String,
}

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarPage {
    ui: Ui,
    year: i16,
    /// (short, full) names of the weekdays from Monday.
    weekdays: Vec<(String, String)>,
    months: Vec<MonthGrid>,
    entries: Vec<EntryLine>,
    kinds: Vec<(&'static str, String)>,
    form: EntryForm,
    errors: FormErrors,
    notice: Option<String>,
    version: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    /// Lenient: a year that does not parse shows the current one.
    year: Option<String>,
    /// A day to edit: the form comes filled with it.
    date: Option<String>,
    saved: Option<String>,
    removed: Option<String>,
    recomputed: Option<String>,
    changed: Option<String>,
}

fn today() -> Date {
    Timestamp::now()
        .to_zoned(qyzmet_domain::zone::almaty().clone())
        .date()
}

/// Years the view shows: the calendar's data starts in 2020; a century either side is
/// plenty and keeps the arithmetic far from jiff's limits.
fn year_of(s: Option<&str>) -> i16 {
    s.and_then(|y| y.trim().parse::<i16>().ok())
        .filter(|y| (1900..=2200).contains(y))
        .unwrap_or_else(|| today().year())
}

fn day_label(ui: &Ui, cal: &ProductionCalendar, d: Date) -> String {
    let what = if cal.is_working_day(d) {
        ui.t("calendar-working")
    } else {
        ui.t("calendar-off")
    };
    match cal.entry(d) {
        Some(e) => format!(
            "{}, {what}: {} ({})",
            format::date(ui.lang, d),
            e.name_in(ui.lang.code()),
            e.source_in(ui.lang.code())
        ),
        None => format!("{}, {what}", format::date(ui.lang, d)),
    }
}

fn month_grid(ui: &Ui, cal: &ProductionCalendar, year: i16, month: i8, now: Date) -> MonthGrid {
    let mut weeks = Vec::new();
    let mut week: Vec<Option<DayCell>> = Vec::with_capacity(7);
    if let Ok(first) = Date::new(year, month, 1) {
        for _ in 0..first.weekday().to_monday_zero_offset() {
            week.push(None);
        }
        for day in 1..=first.days_in_month() {
            let Ok(d) = Date::new(year, month, day) else {
                continue;
            };
            let entry = cal.entry(d).map(|e| e.kind.as_str()).unwrap_or("");
            week.push(Some(DayCell {
                day,
                iso: d.to_string(),
                status: if cal.is_working_day(d) {
                    "working"
                } else {
                    "day_off"
                },
                entry,
                weekend: matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday),
                today: d == now,
                label: day_label(ui, cal, d),
            }));
            if week.len() == 7 {
                weeks.push(std::mem::take(&mut week));
            }
        }
    }
    if !week.is_empty() {
        week.resize_with(7, || None);
        weeks.push(week);
    }
    MonthGrid {
        number: month,
        name: ui.t(&format!("month-{month}")),
        weeks,
    }
}

fn page(
    ui: Ui,
    cal: &ProductionCalendar,
    year: i16,
    form: EntryForm,
    errors: FormErrors,
) -> CalendarPage {
    let now = today();
    let months = (1..=12)
        .map(|m| month_grid(&ui, cal, year, m, now))
        .collect();
    let entries = cal
        .entries()
        .filter(|e| e.date.year() == year)
        .map(|e| EntryLine {
            iso: e.date.to_string(),
            date: format::date(ui.lang, e.date),
            kind: e.kind.as_str(),
            kind_name: ui.term("day-kind", e.kind.as_str()),
            name: e.name_in(ui.lang.code()).to_string(),
            source: e.source_in(ui.lang.code()).to_string(),
        })
        .collect();
    let weekdays = (1..=7)
        .map(|i| {
            (
                ui.t(&format!("weekday-short-{i}")),
                ui.t(&format!("weekday-{i}")),
            )
        })
        .collect();
    let kinds = [DayKind::DayOff, DayKind::WorkingDay]
        .into_iter()
        .map(|k| (k.as_str(), ui.term("day-kind", k.as_str())))
        .collect();
    CalendarPage {
        year,
        weekdays,
        months,
        entries,
        kinds,
        form,
        errors,
        notice: None,
        version: cal.version().to_string(),
        ui,
    }
}

/// `GET /admin/calendar?year=YYYY[&date=YYYY-MM-DD]`: the year, and the form (filled with
/// `date`'s entry, or with the change that day would most likely need).
pub async fn year(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let ui = staff.ui.clone();
    let cal = state.calendar.get();
    let chosen = q
        .date
        .as_deref()
        .and_then(|d| d.trim().parse::<Date>().ok());
    let year = match (&q.year, chosen) {
        (None, Some(d)) => d.year(),
        _ => year_of(q.year.as_deref()),
    };
    let form = match chosen {
        Some(d) => match cal.entry(d) {
            Some(e) => EntryForm {
                date: d.to_string(),
                kind: e.kind.as_str().into(),
                name: e.name.clone(),
                source: e.source.clone(),
                name_kk: e.name_kk.clone(),
                name_ru: e.name_ru.clone(),
                source_kk: e.source_kk.clone(),
                source_ru: e.source_ru.clone(),
                ..Default::default()
            },
            None => EntryForm {
                date: d.to_string(),
                kind: if cal.is_working_day(d) {
                    "day_off"
                } else {
                    "working_day"
                }
                .into(),
                ..Default::default()
            },
        },
        None => EntryForm {
            kind: "day_off".into(),
            ..Default::default()
        },
    };
    let mut page = page(ui.clone(), &cal, year, form, FormErrors::default());
    let counts = |id: &str, date: &str| {
        let shown = date
            .parse::<Date>()
            .map(|d| format::date(ui.lang, d))
            .unwrap_or_default();
        message(
            ui.lang,
            id,
            &[
                ("date", shown),
                ("n", count(q.recomputed.as_deref())),
                ("changed", count(q.changed.as_deref())),
            ],
        )
    };
    page.notice = match (&q.saved, &q.removed) {
        (Some(d), _) => Some(counts("calendar-saved", d)),
        (None, Some(d)) => Some(counts("calendar-removed", d)),
        _ => None,
    };
    Ok(render(&page))
}

/// A count from the query, as a number (0 when it is not one).
fn count(s: Option<&str>) -> String {
    s.and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0)
        .to_string()
}

/// Where the page goes after an edit: the edited day's year, with what the edit did.
fn after_edit(what: &str, date: &str, recomputed: u64, changed: u64) -> Response {
    let year = date
        .parse::<Date>()
        .map(|d| d.year())
        .unwrap_or_else(|_| today().year());
    see_other(&format!(
        "/admin/calendar?year={year}&{what}={date}&recomputed={recomputed}&changed={changed}"
    ))
}

/// The form field of an API field of the calendar edit, with its label.
fn entry_field(api: &str) -> Option<(String, &'static str)> {
    let label = match api {
        "date" => "col-date",
        "kind" => "col-kind",
        "name" => "col-name",
        "source" => "col-source",
        "name_kk" => "calendar-name-kk",
        "name_ru" => "calendar-name-ru",
        "source_kk" => "calendar-source-kk",
        "source_ru" => "calendar-source-ru",
        _ => return None,
    };
    Some((api.to_string(), label))
}

/// `POST /admin/calendar`: sets a day off or a working day with its legal source.
pub async fn set_day(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<EntryForm>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    staff.check_csrf(&form.csrf)?;
    let ui = staff.ui.clone();
    let req = CalendarEntryRequest {
        kind: form.kind.clone(),
        name: form.name.clone(),
        source: form.source.clone(),
        name_kk: Some(form.name_kk.clone()),
        name_ru: Some(form.name_ru.clone()),
        source_kk: Some(form.source_kk.clone()),
        source_ru: Some(form.source_ru.clone()),
    };
    match set_calendar_day(&state, &staff.caller, form.date.trim(), &req).await {
        Ok(done) => Ok(after_edit(
            "saved",
            &done.date,
            done.recomputed,
            done.changed,
        )),
        Err(e) if is_for_the_form(&e) => {
            let errors = FormErrors::from_app(&ui, &e, entry_field);
            let year = form
                .date
                .trim()
                .parse::<Date>()
                .map(|d| d.year())
                .unwrap_or_else(|_| today().year());
            let cal = state.calendar.get();
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(ui, &cal, year, form, errors),
            ))
        }
        Err(e) => Err(WebError::from_app(&ui, e)),
    }
}

#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    date: String,
}

/// `POST /admin/calendar/remove`: the day follows the weekly pattern again.
pub async fn remove_day(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<RemoveForm>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    staff.check_csrf(&form.csrf)?;
    let ui = staff.ui.clone();
    match clear_calendar_day(&state, &staff.caller, form.date.trim()).await {
        Ok(done) => Ok(after_edit(
            "removed",
            &done.date,
            done.recomputed,
            done.changed,
        )),
        Err(e) if is_for_the_form(&e) => {
            let cal = state.calendar.get();
            let errors = FormErrors::general(ui.error_message(&e));
            let form = EntryForm {
                kind: "day_off".into(),
                ..Default::default()
            };
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(ui, &cal, today().year(), form, errors),
            ))
        }
        Err(e) => Err(WebError::from_app(&ui, e)),
    }
}
