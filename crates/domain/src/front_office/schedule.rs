//! When an office of the State Corporation receives visitors (001 §3): its kind, its weekly
//! schedule as data with the legal source it follows, and the open intervals of a given day
//! once the production calendar has said whether the day is worked at all.
//!
//! The office's schedule decides only when tickets are issued, counters open and bookings are
//! offered; the legal clock of an application stays the provider's (decision Q1).

use crate::calendar::ProductionCalendar;
use crate::passport::Day;
use crate::working_hours::WorkingHours;
use jiff::civil::{Date, Time, Weekday};
use serde::{Deserialize, Serialize};

/// 001 §3: a regular office, or a duty department with longer hours and a Saturday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OfficeKind {
    Regular,
    Duty,
}

impl OfficeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OfficeKind::Regular => "regular",
            OfficeKind::Duty => "duty",
        }
    }

    pub fn parse(s: &str) -> Option<OfficeKind> {
        match s {
            "regular" => Some(OfficeKind::Regular),
            "duty" => Some(OfficeKind::Duty),
            _ => None,
        }
    }

    /// The schedule 001 §3 sets for the kind: regular Mon–Fri 09:00–18:00 without a break;
    /// duty Mon–Fri 09:00–20:00 and Sat 09:00–13:00.
    pub fn statutory_schedule(self) -> OfficeSchedule {
        let h = |a: i8, b: i8| WorkingHours {
            start: Time::constant(a, 0, 0, 0),
            end: Time::constant(b, 0, 0, 0),
        };
        let weekdays = vec![Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri];
        let rows = match self {
            OfficeKind::Regular => vec![ScheduleRow {
                days: weekdays,
                hours: h(9, 18),
                breaks: vec![],
                note: Default::default(),
            }],
            OfficeKind::Duty => vec![
                ScheduleRow {
                    days: weekdays,
                    hours: h(9, 20),
                    breaks: vec![],
                    note: Default::default(),
                },
                ScheduleRow {
                    days: vec![Day::Sat],
                    hours: h(9, 13),
                    breaks: vec![],
                    note: Default::default(),
                },
            ],
        };
        OfficeSchedule { rows }
    }
}

/// One line of a weekly schedule: these days, these hours, these breaks — the passport's
/// schedule of a place (003 §9), reused so both read alike.
pub type ScheduleRow = crate::passport::Schedule;

/// An office's week: rows that each name their days. A day no row names is closed; days off
/// of the production calendar are closed whatever the rows say (001 §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfficeSchedule {
    pub rows: Vec<ScheduleRow>,
}

/// Why a schedule cannot be kept. Each names the row (by index) it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("the schedule names no day")]
    Empty,
    #[error("row {row} names no day")]
    NoDays { row: usize },
    #[error("row {row} names a day another row names already")]
    DayTwice { row: usize },
    #[error("a break of row {row} is not inside its hours")]
    BreakOutside { row: usize },
    #[error("breaks of row {row} overlap")]
    BreaksOverlap { row: usize },
}

impl ScheduleError {
    /// The field of the schedule, as a path (`schedule.rows[1].breaks`).
    pub fn field(&self) -> String {
        match self {
            ScheduleError::Empty => "schedule.rows".into(),
            ScheduleError::NoDays { row } | ScheduleError::DayTwice { row } => {
                format!("schedule.rows[{row}].days")
            }
            ScheduleError::BreakOutside { row } | ScheduleError::BreaksOverlap { row } => {
                format!("schedule.rows[{row}].breaks")
            }
        }
    }

    /// A stable reason code for the layers above to put in words.
    pub fn code(&self) -> &'static str {
        match self {
            ScheduleError::Empty | ScheduleError::NoDays { .. } => "required",
            ScheduleError::DayTwice { .. } => "duplicate",
            ScheduleError::BreakOutside { .. } => "out_of_range",
            ScheduleError::BreaksOverlap { .. } => "overlap",
        }
    }
}

/// Which passport day a calendar weekday is.
pub fn day_of(w: Weekday) -> Day {
    match w {
        Weekday::Monday => Day::Mon,
        Weekday::Tuesday => Day::Tue,
        Weekday::Wednesday => Day::Wed,
        Weekday::Thursday => Day::Thu,
        Weekday::Friday => Day::Fri,
        Weekday::Saturday => Day::Sat,
        Weekday::Sunday => Day::Sun,
    }
}

impl OfficeSchedule {
    /// Checks the rows: each names days, no day twice, breaks inside the hours and apart.
    pub fn check(&self) -> Result<(), ScheduleError> {
        if self.rows.is_empty() {
            return Err(ScheduleError::Empty);
        }
        let mut seen = Vec::new();
        for (row, r) in self.rows.iter().enumerate() {
            if r.days.is_empty() {
                return Err(ScheduleError::NoDays { row });
            }
            for d in &r.days {
                if seen.contains(d) {
                    return Err(ScheduleError::DayTwice { row });
                }
                seen.push(*d);
            }
            let mut breaks = r.breaks.clone();
            breaks.sort_by_key(|b| b.start);
            for b in &breaks {
                if b.start <= r.hours.start || b.end >= r.hours.end {
                    return Err(ScheduleError::BreakOutside { row });
                }
            }
            if breaks.windows(2).any(|w| w[1].start < w[0].end) {
                return Err(ScheduleError::BreaksOverlap { row });
            }
        }
        Ok(())
    }

    /// The row for a weekday, if the office works that weekday at all.
    fn row_for(&self, day: Day) -> Option<&ScheduleRow> {
        self.rows.iter().find(|r| r.days.contains(&day))
    }

    /// The office's open intervals on `date`, half-open `[start, end)`, in order: the row's
    /// hours less its breaks. A holiday or a day off the production calendar names closes
    /// every office (001 §3); a weekend day is worked if the week has a row for it (a duty
    /// department's Saturday); a weekend day the calendar makes a working day (a transferred
    /// day) is worked with its own row if the office has one, else with Monday's.
    pub fn open_intervals(&self, date: Date, calendar: &ProductionCalendar) -> Vec<WorkingHours> {
        use crate::calendar::DayKind;
        let day = day_of(date.weekday());
        let row = match calendar.entry(date).map(|e| e.kind) {
            Some(DayKind::DayOff) => None,
            Some(DayKind::WorkingDay) => self.row_for(day).or_else(|| self.row_for(Day::Mon)),
            None => self.row_for(day),
        };
        let Some(row) = row else {
            return Vec::new();
        };
        let mut breaks = row.breaks.clone();
        breaks.sort_by_key(|b| b.start);
        let mut out = Vec::new();
        let mut from = row.hours.start;
        for b in breaks {
            if b.start > from {
                out.push(WorkingHours {
                    start: from,
                    end: b.start,
                });
            }
            from = from.max(b.end);
        }
        if from < row.hours.end {
            out.push(WorkingHours {
                start: from,
                end: row.hours.end,
            });
        }
        out
    }

    /// Whether the office is open at the local time `t` of `date`.
    pub fn is_open(&self, date: Date, t: Time, calendar: &ProductionCalendar) -> bool {
        self.open_intervals(date, calendar)
            .iter()
            .any(|i| i.contains(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn cal() -> ProductionCalendar {
        ProductionCalendar::kazakhstan()
    }

    fn hm(h: i8, m: i8) -> Time {
        Time::constant(h, m, 0, 0)
    }

    #[test]
    fn a_regular_office_works_weekdays_nine_to_six_without_a_break() {
        // 001 §3: Monday 2026-03-02.
        let s = OfficeKind::Regular.statutory_schedule();
        assert!(s.check().is_ok());
        let open = s.open_intervals(date(2026, 3, 2), &cal());
        assert_eq!(open.len(), 1);
        assert_eq!((open[0].start, open[0].end), (hm(9, 0), hm(18, 0)));
        assert!(s.is_open(date(2026, 3, 2), hm(13, 30), &cal()));
        assert!(!s.is_open(date(2026, 3, 2), hm(18, 0), &cal()));
        assert!(
            s.open_intervals(date(2026, 3, 7), &cal()).is_empty(),
            "Saturday"
        );
    }

    #[test]
    fn a_duty_department_works_saturday_morning_and_weekday_evenings() {
        let s = OfficeKind::Duty.statutory_schedule();
        assert!(s.is_open(date(2026, 3, 4), hm(19, 30), &cal()));
        assert!(s.is_open(date(2026, 3, 7), hm(12, 59), &cal()));
        assert!(!s.is_open(date(2026, 3, 7), hm(13, 0), &cal()));
        assert!(!s.is_open(date(2026, 3, 8), hm(10, 0), &cal()), "Sunday");
    }

    #[test]
    fn holidays_close_every_office() {
        // 2026-03-09: the day off for 8 March (a Sunday) moved to Monday; 2026-03-21..23 Nauryz.
        for kind in [OfficeKind::Regular, OfficeKind::Duty] {
            let s = kind.statutory_schedule();
            for d in [date(2026, 3, 9), date(2026, 3, 23), date(2026, 1, 1)] {
                assert!(
                    s.open_intervals(d, &cal()).is_empty(),
                    "{kind:?} open on {d}"
                );
            }
        }
        // A duty department's Saturday that is a holiday (Nauryz, 2026-03-21) is closed too.
        let duty = OfficeKind::Duty.statutory_schedule();
        assert!(duty.open_intervals(date(2026, 3, 21), &cal()).is_empty());
    }

    #[test]
    fn breaks_split_the_day() {
        let s = OfficeSchedule {
            rows: vec![ScheduleRow {
                days: vec![Day::Mon],
                hours: "09:00-18:00".parse().unwrap(),
                breaks: vec!["13:00-14:00".parse().unwrap()],
                note: Default::default(),
            }],
        };
        assert!(s.check().is_ok());
        let open = s.open_intervals(date(2026, 3, 2), &cal());
        assert_eq!(open.len(), 2);
        assert_eq!(open[0].end, hm(13, 0));
        assert_eq!(open[1].start, hm(14, 0));
        assert!(!s.is_open(date(2026, 3, 2), hm(13, 15), &cal()));
    }

    #[test]
    fn bad_schedules_name_the_row_and_field() {
        let row = |days: Vec<Day>, breaks: Vec<&str>| ScheduleRow {
            days,
            hours: "09:00-18:00".parse().unwrap(),
            breaks: breaks.into_iter().map(|b| b.parse().unwrap()).collect(),
            note: Default::default(),
        };
        let cases = [
            (vec![], "schedule.rows", "required"),
            (
                vec![row(vec![], vec![])],
                "schedule.rows[0].days",
                "required",
            ),
            (
                vec![row(vec![Day::Mon], vec![]), row(vec![Day::Mon], vec![])],
                "schedule.rows[1].days",
                "duplicate",
            ),
            (
                vec![row(vec![Day::Mon], vec!["08:00-10:00"])],
                "schedule.rows[0].breaks",
                "out_of_range",
            ),
            (
                vec![row(vec![Day::Mon], vec!["12:00-13:30", "13:00-14:00"])],
                "schedule.rows[0].breaks",
                "overlap",
            ),
        ];
        for (rows, field, code) in cases {
            let e = OfficeSchedule { rows }.check().unwrap_err();
            assert_eq!((e.field().as_str(), e.code()), (field, code));
        }
    }
}
