//! The definitions of the monthly violations report (000 §12), as MISSION.md states them in
//! "The month of a violation" and "Technical-cause violations". Pure: the store gathers the
//! facts of each application and of the outages, these functions judge them.
//!
//! - An application belongs to the report of month M when its deadline falls in M (local
//!   date, Asia/Almaty).
//! - It is on time when completed (rule 8: stage 4 or later reached) at or before its
//!   deadline, and a violation when completed after it, or not completed at the report's
//!   moment (`as_of`) with the deadline passed. A completion after `as_of` is not known to
//!   the report of that moment.
//! - An open application suspended at that moment (rule 9) is not overdue: its clock is
//!   stopped and its deadline moves when it resumes.
//! - Its overdue days are the local date of completion (or of `as_of` while open) minus its
//!   planned date, never below 0.
//! - A violation is a technical-cause one when an outage of a system its service depends on
//!   (or of every system) overlapped its window from its effective acceptance to its deadline.

use crate::zone::local_date;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A calendar month of the report, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i16,
    month: i8,
}

/// Why a text is not a month.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a month is written YYYY-MM, from 2000-01 to 2999-12")]
pub struct MonthError;

impl Month {
    pub fn new(year: i16, month: i8) -> Result<Month, MonthError> {
        if (2000..=2999).contains(&year) && (1..=12).contains(&month) {
            Ok(Month { year, month })
        } else {
            Err(MonthError)
        }
    }

    /// The month a local date falls in.
    pub fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i16 {
        self.year
    }

    pub fn month(self) -> i8 {
        self.month
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1).expect("a valid month has a first day")
    }

    /// The first day of the month after.
    pub fn end(self) -> Date {
        self.first_day()
            .checked_add(1.month())
            .expect("months up to 2999 have a successor")
    }

    /// The month before (the one the job of the 1st reports).
    pub fn previous(self) -> Month {
        Month::of(
            self.first_day()
                .checked_sub(1.day())
                .expect("2000-01 has a previous day"),
        )
    }

    /// Whether a local date falls in it.
    pub fn contains(self, date: Date) -> bool {
        Month::of(date) == self
    }

    /// The day by which 000 §12 wants its report: the 15th of the month after.
    pub fn report_due(self) -> Date {
        self.end()
            .checked_add(14.days())
            .expect("within the supported years")
    }
}

impl FromStr for Month {
    type Err = MonthError;
    fn from_str(s: &str) -> Result<Month, MonthError> {
        let (y, m) = s.trim().split_once('-').ok_or(MonthError)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(MonthError);
        }
        Month::new(
            y.parse().map_err(|_| MonthError)?,
            m.parse().map_err(|_| MonthError)?,
        )
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An outage of information systems (000 §12: failures of systems run by the national IT
/// operator). `end` is `None` while it lasts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outage {
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    /// Every system was down.
    pub all_systems: bool,
    /// The codes of the systems that were down (when not all).
    pub systems: Vec<String>,
}

impl Outage {
    /// Whether it touched a service depending on `depends_on` during `[from, to]`.
    pub fn affects(&self, depends_on: &[String], from: Timestamp, to: Timestamp) -> bool {
        let touches = self.all_systems || self.systems.iter().any(|s| depends_on.contains(s));
        touches && self.start <= to && self.end.is_none_or(|end| end >= from)
    }
}

/// What the report needs to know of one application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub planned_date: Date,
    pub deadline: Timestamp,
    pub effective_acceptance: Timestamp,
    /// When stage 4 or later was first reached (rule 8), if it was.
    pub completed_at: Option<Timestamp>,
    /// The information systems its service depends on.
    pub depends_on: Vec<String>,
    /// Suspended at the report's moment (rule 9): its clock is stopped and its deadline
    /// moves when it resumes, so while open it is not overdue. The store gives the state at
    /// that moment, from the history as it stood then, never today's.
    pub suspended: bool,
}

/// How the report counts one application of its month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum Verdict {
    /// Completed at or before its deadline.
    OnTime,
    /// Open, its deadline not yet passed at the report's moment: counted as due only.
    Running,
    /// Completed after its deadline, or open with its deadline passed (`open`).
    Violation {
        open: bool,
        technical: bool,
        overdue_days: i64,
    },
}

/// Judges an application for the report of `month` computed at `as_of`; `None` when its
/// deadline is not in that month.
pub fn judge(case: &Case, month: Month, as_of: Timestamp, outages: &[Outage]) -> Option<Verdict> {
    if !month.contains(local_date(case.deadline)) {
        return None;
    }
    Some(verdict(case, as_of, outages))
}

/// How an application stands at `as_of`, whatever the month of its deadline.
pub fn verdict(case: &Case, as_of: Timestamp, outages: &[Outage]) -> Verdict {
    // A completion after the report's moment is not known to the report.
    let completed = case.completed_at.filter(|done| *done <= as_of);
    let (late_at, open) = match completed {
        Some(done) if done <= case.deadline => return Verdict::OnTime,
        Some(done) => (done, false),
        None if as_of <= case.deadline || case.suspended => return Verdict::Running,
        None => (as_of, true),
    };
    let days = (local_date(late_at) - case.planned_date).get_days().max(0) as i64;
    let technical = outages
        .iter()
        .any(|o| o.affects(&case.depends_on, case.effective_acceptance, case.deadline));
    Verdict::Violation {
        open,
        technical,
        overdue_days: days,
    }
}

/// The figures of one row of the report (an organization's own or total, a service's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Applications whose deadline falls in the month.
    pub due: i64,
    pub on_time: i64,
    /// Completed late, plus open with the deadline passed.
    pub violations: i64,
    /// Of the violations, those an outage of a system the service depends on overlapped.
    pub technical: i64,
    /// Of the violations, those still open at the report's moment.
    pub open_overdue: i64,
    /// The sum of the violations' overdue days.
    pub overdue_days: i64,
}

impl Figures {
    /// Counts one judged application.
    pub fn count(&mut self, verdict: &Verdict) {
        self.due += 1;
        match *verdict {
            Verdict::OnTime => self.on_time += 1,
            Verdict::Running => {}
            Verdict::Violation {
                open,
                technical,
                overdue_days,
            } => {
                self.violations += 1;
                self.technical += i64::from(technical);
                self.open_overdue += i64::from(open);
                self.overdue_days += overdue_days;
            }
        }
    }

    /// Adds another row's figures (an organization's total over its sub-tree).
    pub fn add(&mut self, other: &Figures) {
        self.due += other.due;
        self.on_time += other.on_time;
        self.violations += other.violations;
        self.technical += other.technical;
        self.open_overdue += other.open_overdue;
        self.overdue_days += other.overdue_days;
    }

    /// The share on time, in percent: of the applications decided — completed, or open with
    /// the deadline passed (`on_time + violations`) — those completed on time; the quality
    /// annex's indicator 1.1 counts the same way. `None` when none is decided yet (the
    /// applications still running are neither). Rounded to one decimal.
    pub fn on_time_percent(&self) -> Option<f64> {
        let decided = self.on_time + self.violations;
        (decided > 0).then(|| (self.on_time as f64 * 1000.0 / decided as f64).round() / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn the_share_on_time_counts_the_decided_applications() {
        let f = Figures {
            due: 10,
            on_time: 2,
            violations: 1,
            ..Figures::default()
        };
        // 7 still running count in neither.
        assert_eq!(f.on_time_percent(), Some(66.7));
        assert_eq!(Figures::default().on_time_percent(), None);
        let all = Figures {
            due: 4,
            on_time: 4,
            ..Figures::default()
        };
        assert_eq!(all.on_time_percent(), Some(100.0));
    }

    fn case(deadline: &str, completed: Option<&str>) -> Case {
        let deadline = at(deadline);
        Case {
            planned_date: local_date(deadline),
            deadline,
            effective_acceptance: at("2026-03-02T04:00:00Z"),
            completed_at: completed.map(at),
            depends_on: vec!["egov_gateway".into()],
            suspended: false,
        }
    }

    fn march() -> Month {
        "2026-03".parse().unwrap()
    }

    #[test]
    fn months_parse_strictly_and_know_their_bounds() {
        let m = march();
        assert_eq!(m.to_string(), "2026-03");
        assert_eq!(m.first_day(), Date::constant(2026, 3, 1));
        assert_eq!(m.end(), Date::constant(2026, 4, 1));
        assert_eq!(m.report_due(), Date::constant(2026, 4, 15));
        assert_eq!(
            "2026-01".parse::<Month>().unwrap().previous().to_string(),
            "2025-12"
        );
        for bad in [
            "2026-3",
            "2026-13",
            "2026-00",
            "26-03",
            "2026/03",
            "",
            "2026-03-01",
            "１９９９-01",
        ] {
            assert_eq!(bad.parse::<Month>(), Err(MonthError), "{bad}");
        }
    }

    /// The month is the deadline's local date: 2026-03-31T23:59:59+05:00 is in March even
    /// though it is 18:59 UTC; 2026-04-01T00:30+05:00 is in April though UTC says March.
    #[test]
    fn the_month_is_the_local_date_of_the_deadline() {
        let as_of = at("2026-05-01T00:00:00Z");
        let last = case("2026-03-31T18:59:59Z", Some("2026-03-30T10:00:00Z"));
        assert_eq!(judge(&last, march(), as_of, &[]), Some(Verdict::OnTime));
        let april = case("2026-03-31T19:30:00Z", Some("2026-03-30T10:00:00Z"));
        assert_eq!(judge(&april, march(), as_of, &[]), None);
    }

    #[test]
    fn on_time_late_open_and_running() {
        let as_of = at("2026-03-20T12:00:00Z");
        let deadline = "2026-03-10T18:59:59Z"; // 2026-03-10 23:59:59 local
                                               // Completed exactly at the deadline: on time.
        let exact = case(deadline, Some(deadline));
        assert_eq!(judge(&exact, march(), as_of, &[]), Some(Verdict::OnTime));
        // Completed a second later, on the local 11th: one overdue day.
        let late = case(deadline, Some("2026-03-10T19:00:00Z"));
        assert_eq!(
            judge(&late, march(), as_of, &[]),
            Some(Verdict::Violation {
                open: false,
                technical: false,
                overdue_days: 1
            })
        );
        // Open at the report's moment (local 20th): 10 overdue days.
        let open = case(deadline, None);
        assert_eq!(
            judge(&open, march(), as_of, &[]),
            Some(Verdict::Violation {
                open: true,
                technical: false,
                overdue_days: 10
            })
        );
        // Open with its deadline still ahead: due, neither on time nor a violation.
        let running = case("2026-03-25T18:59:59Z", None);
        assert_eq!(judge(&running, march(), as_of, &[]), Some(Verdict::Running));
        // Suspended (rule 9): the clock stopped, the deadline will move; not overdue.
        let suspended = Case {
            suspended: true,
            ..case(deadline, None)
        };
        assert_eq!(
            judge(&suspended, march(), as_of, &[]),
            Some(Verdict::Running)
        );
        // Completed after the report's moment: the report, as of then, saw it open.
        let later = case(deadline, Some("2026-03-21T10:00:00Z"));
        assert_eq!(
            judge(&later, march(), as_of, &[]),
            judge(&open, march(), as_of, &[])
        );
    }

    /// An hours-term application whose deadline passed the same local day: a violation with
    /// 0 overdue days (never negative).
    #[test]
    fn overdue_days_never_go_below_zero() {
        let mut c = case("2026-03-10T06:00:00Z", Some("2026-03-10T07:00:00Z"));
        c.planned_date = Date::constant(2026, 3, 10);
        assert_eq!(
            judge(&c, march(), at("2026-04-01T00:00:00Z"), &[]),
            Some(Verdict::Violation {
                open: false,
                technical: false,
                overdue_days: 0
            })
        );
    }

    #[test]
    fn an_outage_of_a_system_depended_on_inside_the_window_is_a_technical_cause() {
        let as_of = at("2026-04-01T00:00:00Z");
        let late = case("2026-03-10T18:59:59Z", Some("2026-03-12T05:00:00Z"));
        let outage = |start: &str, end: Option<&str>, systems: &[&str], all: bool| Outage {
            start: at(start),
            end: end.map(at),
            all_systems: all,
            systems: systems.iter().map(|s| s.to_string()).collect(),
        };
        let technical = |outages: &[Outage]| match judge(&late, march(), as_of, outages) {
            Some(Verdict::Violation { technical, .. }) => technical,
            other => panic!("{other:?}"),
        };
        let inside = outage(
            "2026-03-05T04:00:00Z",
            Some("2026-03-05T06:00:00Z"),
            &["egov_gateway"],
            false,
        );
        assert!(technical(std::slice::from_ref(&inside)));
        // Another system: not this service's cause.
        let other = outage(
            "2026-03-05T04:00:00Z",
            Some("2026-03-05T06:00:00Z"),
            &["archive_is"],
            false,
        );
        assert!(!technical(std::slice::from_ref(&other)));
        // Every system down: the cause of every service's violations in the window.
        let all = outage(
            "2026-03-05T04:00:00Z",
            Some("2026-03-05T06:00:00Z"),
            &[],
            true,
        );
        assert!(technical(&[other, all]));
        // Before the effective acceptance, or after the deadline: outside the window.
        let before = outage(
            "2026-03-01T00:00:00Z",
            Some("2026-03-02T03:59:59Z"),
            &["egov_gateway"],
            false,
        );
        let after = outage(
            "2026-03-10T19:00:00Z",
            Some("2026-03-11T00:00:00Z"),
            &["egov_gateway"],
            false,
        );
        assert!(!technical(&[before, after]));
        // Touching the window's first instant counts; an outage still running counts.
        let touching = outage(
            "2026-03-01T00:00:00Z",
            Some("2026-03-02T04:00:00Z"),
            &["egov_gateway"],
            false,
        );
        assert!(technical(&[touching]));
        let running = outage("2026-02-01T00:00:00Z", None, &["egov_gateway"], false);
        assert!(technical(&[running]));
        // On time stays on time, whatever the outages.
        let on_time = case("2026-03-10T18:59:59Z", Some("2026-03-09T05:00:00Z"));
        assert_eq!(
            judge(&on_time, march(), as_of, &[inside]),
            Some(Verdict::OnTime)
        );
    }

    #[test]
    fn figures_count_and_add_up() {
        let mut f = Figures::default();
        f.count(&Verdict::OnTime);
        f.count(&Verdict::Running);
        f.count(&Verdict::Violation {
            open: true,
            technical: true,
            overdue_days: 3,
        });
        f.count(&Verdict::Violation {
            open: false,
            technical: false,
            overdue_days: 2,
        });
        let expected = Figures {
            due: 4,
            on_time: 1,
            violations: 2,
            technical: 1,
            open_overdue: 1,
            overdue_days: 5,
        };
        assert_eq!(f, expected);
        let mut total = Figures::default();
        total.add(&f);
        total.add(&f);
        assert_eq!(total.due, 8);
        assert_eq!(total.overdue_days, 10);
    }
}
