//! Deadline arithmetic: MISSION "Deadline rules" 1–10 (000 §10–11). Owns the computation of
//! an application's effective acceptance, planned completion date and deadline instant, and
//! the record of how they were derived.
//!
//! The computation is on the ingest hot path: it walks days as integers (epoch days) against
//! the calendar's dense table, and allocates only the few short notes of the derivation.

use crate::calendar::{date_from_epoch_day, epoch_day, weekday_abbr, ProductionCalendar};
use crate::term::{Term, TermUnit};
use crate::working_hours::WorkingHours;
use crate::zone::almaty;
use jiff::civil::{Date, DateTime, Time};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// Per-application switches of the rules (rules 3–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRules {
    /// The service standard says the acceptance day counts (rule 4).
    pub acceptance_day_counted: bool,
    /// Accepted by the State Corporation with documents carried to the provider on paper:
    /// the acceptance day never counts (rule 4, 001 §25).
    pub paper_via_state_corp: bool,
    /// The provider's working hours, half-open [start, end) (rule 3).
    pub working_hours: WorkingHours,
}

impl Default for DeadlineRules {
    /// Acceptance day not counted, not on paper via the State Corporation, 09:00–18:00.
    fn default() -> Self {
        DeadlineRules {
            acceptance_day_counted: false,
            paper_via_state_corp: false,
            working_hours: WorkingHours::default(),
        }
    }
}

/// A closed suspension of the clock (rule 9): suspended at `from`, resumed at `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspension {
    pub from: Timestamp,
    pub until: Timestamp,
}

/// One rule applied while deriving a planned date, for the record of rule 10.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedRule {
    /// The rule's number in MISSION "Deadline rules" (1–10).
    pub rule: u8,
    /// What it did, in English, e.g. "received Sat 2026-03-07 (day off): accepted at 2026-03-10 09:00".
    pub note: String,
}

/// How a planned date was derived (rule 10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derivation {
    pub term: Term,
    /// First day counted, for day terms: rule 4's day after the acceptance day, or the
    /// acceptance day itself. For working-day terms the days off from it on are skipped.
    pub counting_starts: Option<Date>,
    /// Extension by suspensions: days of the term's unit for day terms, minutes otherwise.
    /// (For hour and minute terms the deadline adds the exact suspended time; this records
    /// it in whole minutes, rounded down.)
    pub suspension_extension: i64,
    pub rules: Vec<AppliedRule>,
    pub calendar_version: String,
}

/// The result: the effective acceptance, the planned date and the deadline instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub effective_acceptance: Timestamp,
    pub planned_date: Date,
    pub deadline: Timestamp,
    pub derivation: Derivation,
}

/// Computes the deadline of an application accepted at `accepted_at` with `term`.
///
/// - rule 2: every date is a local date in Asia/Almaty;
/// - rule 3 (every unit): a receipt inside the working hours of a working day is accepted
///   then; before the start of a working day, at that day's start; at or after the end, or on
///   a day off, at the start of the next working day;
/// - rule 4 (day terms): counting starts the day after the acceptance day, or on the
///   acceptance day when the standard counts it, never when on paper via the State
///   Corporation (001 §25);
/// - rules 5–6: the N-th working day counted, or the N-th calendar day moved to the next
///   working day when it is a day off; rule 8: due by 23:59:59 local of that date;
/// - rule 7 (minutes, hours): effective acceptance plus the plain elapsed duration;
/// - rule 9: suspensions lengthen the term by the days of its own unit in `[S, R)` of their
///   local dates, or by the suspended time for hour and minute terms. Overlapping suspensions
///   are merged first (the clock cannot be stopped twice); empty or reversed ones count 0.
///
/// A term of 0 days (after suspensions) counts no day: the planned date is the day before
/// counting starts, i.e. the acceptance day; when the acceptance day itself counts, it is
/// still the acceptance day, so that a deadline never precedes the acceptance.
///
/// Dates past year 9999 saturate at the end of jiff's range instead of failing.
pub fn compute(
    calendar: &ProductionCalendar,
    accepted_at: Timestamp,
    term: Term,
    rules: &DeadlineRules,
    suspensions: &[Suspension],
) -> Deadline {
    let tz = almaty();
    let mut applied = Vec::with_capacity(7);
    applied.push(note(1, format!("term {term}")));
    let received = tz.to_datetime(accepted_at);
    applied.push(note(
        2,
        format!("received {received} local time (Asia/Almaty)"),
    ));

    let acceptance = effective_acceptance(calendar, accepted_at, received, rules.working_hours);
    applied.push(note(3, acceptance.note));

    let outcome = match term.unit {
        TermUnit::WorkingDays | TermUnit::CalendarDays => day_term(
            calendar,
            term,
            rules,
            acceptance.day,
            suspensions,
            &mut applied,
        ),
        TermUnit::Minutes | TermUnit::Hours => {
            elapsed_term(term, acceptance.at, suspensions, &mut applied)
        }
    };

    Deadline {
        effective_acceptance: acceptance.at,
        planned_date: outcome.planned,
        deadline: outcome.deadline,
        derivation: Derivation {
            term,
            counting_starts: outcome.counting_starts,
            suspension_extension: outcome.extension,
            rules: applied,
            calendar_version: calendar.version().to_string(),
        },
    }
}

fn note(rule: u8, note: String) -> AppliedRule {
    AppliedRule { rule, note }
}

/// 23:59:59, the end of a planned date (rule 8).
const END_OF_DAY: Time = Time::constant(23, 59, 59, 0);

/// A local Asia/Almaty date-time as an instant, saturating past the end of jiff's range.
fn local_instant(dt: DateTime) -> Timestamp {
    almaty().to_timestamp(dt).unwrap_or(Timestamp::MAX)
}

fn hh_mm(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// Rule 3's result.
struct Acceptance {
    at: Timestamp,
    /// Local date of `at`.
    day: Date,
    note: String,
}

/// MISSION rule 3, for every unit; working hours are half-open.
fn effective_acceptance(
    calendar: &ProductionCalendar,
    accepted_at: Timestamp,
    received: DateTime,
    hours: WorkingHours,
) -> Acceptance {
    let (d, t) = (received.date(), received.time());
    let working = calendar.is_working_day(d);
    if working && hours.contains(t) {
        return Acceptance {
            at: accepted_at,
            day: d,
            note: format!(
                "received {} {d} {} within working hours {hours} of a working day: accepted then",
                weekday_abbr(d),
                hh_mm(t)
            ),
        };
    }
    let (day, why) = if working && t < hours.start {
        (d, format!("before {}", hh_mm(hours.start)))
    } else if working {
        (
            calendar.next_working_day_after(d),
            format!("at or after the end of working hours {}", hh_mm(hours.end)),
        )
    } else {
        (calendar.next_working_day_after(d), "day off".to_string())
    };
    Acceptance {
        at: local_instant(day.to_datetime(hours.start)),
        day,
        note: format!(
            "received {} {d} {} ({why}): accepted at {} {day} {}",
            weekday_abbr(d),
            hh_mm(t),
            weekday_abbr(day),
            hh_mm(hours.start)
        ),
    }
}

/// What a term's branch computed.
struct Outcome {
    planned: Date,
    deadline: Timestamp,
    counting_starts: Option<Date>,
    extension: i64,
}

/// Rules 4, 5 or 6, 9 and 8 for working-day and calendar-day terms.
fn day_term(
    calendar: &ProductionCalendar,
    term: Term,
    rules: &DeadlineRules,
    acceptance_day: Date,
    suspensions: &[Suspension],
    applied: &mut Vec<AppliedRule>,
) -> Outcome {
    let acc = epoch_day(acceptance_day);

    // Rule 4.
    let start = if rules.acceptance_day_counted && !rules.paper_via_state_corp {
        acc
    } else {
        acc.saturating_add(1)
    };
    let start_date = date_from_epoch_day(start);
    let why = if rules.paper_via_state_corp {
        "via the State Corporation with documents on paper, the acceptance day never counts (001 §25)"
    } else if rules.acceptance_day_counted {
        "the service standard counts the acceptance day"
    } else {
        "the acceptance day is not counted"
    };
    applied.push(note(
        4,
        format!(
            "{why}: counting starts {} {start_date}",
            weekday_abbr(start_date)
        ),
    ));

    // Rule 9.
    let working_unit = term.unit == TermUnit::WorkingDays;
    let unit_name = if working_unit { "working" } else { "calendar" };
    let extension = suspended_days(calendar, working_unit, suspensions);
    if !suspensions.is_empty() {
        applied.push(note(
            9,
            format!(
                "{} suspension(s): term lengthened by {extension} {unit_name} day(s)",
                suspensions.len()
            ),
        ));
    }

    // Rules 5 and 6.
    let rule = if working_unit { 5 } else { 6 };
    let n = u32::try_from(u64::from(term.amount) + extension).unwrap_or(u32::MAX);
    let planned = if n == 0 {
        applied.push(note(
            rule,
            format!("no {unit_name} day to count (term of 0): planned date is the acceptance day"),
        ));
        acc
    } else if working_unit {
        let p = calendar.nth_working(start, n);
        let skipped = i64::from(p) - i64::from(start) + 1 - i64::from(n);
        let pd = date_from_epoch_day(p);
        applied.push(note(
            5,
            format!(
                "{n} working day(s) counted from {} {start_date}, {skipped} day(s) off skipped: planned {} {pd}",
                weekday_abbr(start_date),
                weekday_abbr(pd)
            ),
        ));
        p
    } else {
        let last = i32::try_from(i64::from(start) + i64::from(n) - 1).unwrap_or(i32::MAX);
        let last_date = date_from_epoch_day(last);
        let p = calendar.working_on_or_after(epoch_day(last_date));
        let pd = date_from_epoch_day(p);
        let text = if pd == last_date {
            format!(
                "calendar day {n} counted from {} {start_date} is {} {pd}, a working day: planned {pd}",
                weekday_abbr(start_date),
                weekday_abbr(pd)
            )
        } else {
            format!(
                "calendar day {n} counted from {} {start_date} is {} {last_date}, a day off: planned the next working day {} {pd}",
                weekday_abbr(start_date),
                weekday_abbr(last_date),
                weekday_abbr(pd)
            )
        };
        applied.push(note(6, text));
        p
    };
    let planned = date_from_epoch_day(planned);

    // Rule 8.
    let deadline = local_instant(planned.to_datetime(END_OF_DAY));
    applied.push(note(
        8,
        format!("due by the end of the planned date: {planned} 23:59:59 Asia/Almaty"),
    ));

    Outcome {
        planned,
        deadline,
        counting_starts: Some(start_date),
        extension: i64::try_from(extension).unwrap_or(i64::MAX),
    }
}

/// Rule 9 for day terms: the days of the term's unit in the union of the suspensions'
/// local-date ranges `[S, R)`.
fn suspended_days(calendar: &ProductionCalendar, working: bool, suspensions: &[Suspension]) -> u64 {
    if suspensions.is_empty() {
        return 0;
    }
    let tz = almaty();
    let mut ranges: Vec<(i32, i32)> = suspensions
        .iter()
        .map(|s| {
            (
                epoch_day(tz.to_datetime(s.from).date()),
                epoch_day(tz.to_datetime(s.until).date()),
            )
        })
        .filter(|(s, r)| r > s)
        .collect();
    ranges.sort_unstable();
    let mut total = 0u64;
    let mut covered_until = i32::MIN;
    for (s, r) in ranges {
        let s = s.max(covered_until);
        if r > s {
            total += if working {
                u64::from(calendar.working_days_between(s, r))
            } else {
                u64::try_from(r - s).unwrap_or(0)
            };
            covered_until = r;
        }
    }
    total
}

/// Rule 9 for hour and minute terms: the length of the union of the suspended intervals.
fn suspended_time(suspensions: &[Suspension]) -> SignedDuration {
    if suspensions.is_empty() {
        return SignedDuration::ZERO;
    }
    let mut ranges: Vec<(Timestamp, Timestamp)> = suspensions
        .iter()
        .filter(|s| s.until > s.from)
        .map(|s| (s.from, s.until))
        .collect();
    ranges.sort_unstable();
    let mut total = SignedDuration::ZERO;
    let mut covered_until = Timestamp::MIN;
    for (s, r) in ranges {
        let s = s.max(covered_until);
        if r > s {
            total = total.saturating_add(r.duration_since(s));
            covered_until = r;
        }
    }
    total
}

/// Rules 7 and 9 for minute and hour terms: plain elapsed time.
fn elapsed_term(
    term: Term,
    effective: Timestamp,
    suspensions: &[Suspension],
    applied: &mut Vec<AppliedRule>,
) -> Outcome {
    let unit_secs: i64 = if term.unit == TermUnit::Hours {
        3600
    } else {
        60
    };
    let duration = SignedDuration::from_secs(i64::from(term.amount) * unit_secs);
    let suspended = suspended_time(suspensions);
    let extension = suspended.as_secs() / 60;
    if !suspensions.is_empty() {
        applied.push(note(
            9,
            format!(
                "{} suspension(s): term lengthened by the suspended time, {}s (~{extension} min)",
                suspensions.len(),
                suspended.as_secs()
            ),
        ));
    }
    let deadline = effective
        .checked_add(duration)
        .and_then(|t| t.checked_add(suspended))
        .unwrap_or(Timestamp::MAX);
    let tz = almaty();
    let planned = tz.to_datetime(deadline).date();
    applied.push(note(
        7,
        format!(
            "effective acceptance {} + {term}{} = {} (the deadline); planned date {planned}",
            tz.to_datetime(effective),
            if suspended.is_zero() {
                String::new()
            } else {
                format!(" + {}s suspended", suspended.as_secs())
            },
            tz.to_datetime(deadline)
        ),
    ));
    Outcome {
        planned,
        deadline,
        counting_starts: None,
        extension,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// A local Asia/Almaty moment.
    fn at(y: i16, m: i8, d: i8, h: i8, mi: i8) -> Timestamp {
        local_instant(date(y, m, d).at(h, mi, 0, 0))
    }

    fn cal() -> ProductionCalendar {
        ProductionCalendar::kazakhstan()
    }

    fn days(n: u32) -> Term {
        Term::new(n, TermUnit::WorkingDays)
    }

    fn cdays(n: u32) -> Term {
        Term::new(n, TermUnit::CalendarDays)
    }

    fn run(accepted: Timestamp, term: Term, rules: DeadlineRules, s: &[Suspension]) -> Deadline {
        compute(&cal(), accepted, term, &rules, s)
    }

    fn std() -> DeadlineRules {
        DeadlineRules::default()
    }

    fn rule_numbers(d: &Deadline) -> Vec<u8> {
        d.derivation.rules.iter().map(|r| r.rule).collect()
    }

    // --- rule 3 ---

    #[test]
    fn rule_3_inside_hours_accepted_then() {
        let d = run(at(2026, 3, 20, 10, 0), days(1), std(), &[]);
        assert_eq!(d.effective_acceptance, at(2026, 3, 20, 10, 0));
    }

    #[test]
    fn rule_3_before_start_on_working_day_counts_from_start() {
        let d = run(at(2026, 3, 20, 7, 30), days(1), std(), &[]);
        assert_eq!(d.effective_acceptance, at(2026, 3, 20, 9, 0));
    }

    #[test]
    fn rule_3_at_end_time_exactly_is_after_hours() {
        // Fri 2026-03-20 18:00 → next working day: Mon 23–Wed 25 are Nauryz days off → Thu 26.
        let d = run(at(2026, 3, 20, 18, 0), days(1), std(), &[]);
        assert_eq!(d.effective_acceptance, at(2026, 3, 26, 9, 0));
        let d = run(at(2026, 3, 20, 17, 59), days(1), std(), &[]);
        assert_eq!(d.effective_acceptance, at(2026, 3, 20, 17, 59));
    }

    #[test]
    fn rule_3_day_off_counts_from_next_working_day_start() {
        let d = run(at(2026, 3, 8, 3, 0), days(1), std(), &[]);
        // Sun 8 Mar; Mon 9 Mar is the moved Women's Day → Tue 10 Mar 09:00.
        assert_eq!(d.effective_acceptance, at(2026, 3, 10, 9, 0));
        assert!(d.derivation.rules[2].note.contains("day off"));
    }

    #[test]
    fn rule_3_applies_to_hour_terms_and_custom_hours() {
        let rules = DeadlineRules {
            working_hours: "08:30-17:00".parse().unwrap(),
            ..std()
        };
        let d = run(
            at(2026, 4, 1, 17, 0),
            Term::new(2, TermUnit::Hours),
            rules,
            &[],
        );
        assert_eq!(d.effective_acceptance, at(2026, 4, 2, 8, 30));
        assert_eq!(d.deadline, at(2026, 4, 2, 10, 30));
    }

    // --- rule 4 ---

    #[test]
    fn rule_4_counting_starts_day_after_acceptance() {
        let d = run(at(2026, 4, 1, 10, 0), days(1), std(), &[]);
        assert_eq!(d.derivation.counting_starts, Some(date(2026, 4, 2)));
        assert_eq!(d.planned_date, date(2026, 4, 2));
    }

    #[test]
    fn rule_4_acceptance_day_counted_by_standard() {
        let rules = DeadlineRules {
            acceptance_day_counted: true,
            ..std()
        };
        let d = run(at(2026, 4, 1, 10, 0), days(1), rules, &[]);
        assert_eq!(d.derivation.counting_starts, Some(date(2026, 4, 1)));
        assert_eq!(d.planned_date, date(2026, 4, 1));
    }

    #[test]
    fn rule_4_paper_via_state_corp_never_counts_acceptance_day_001_s25() {
        let rules = DeadlineRules {
            acceptance_day_counted: true,
            paper_via_state_corp: true,
            ..std()
        };
        let d = run(at(2026, 4, 1, 10, 0), days(1), rules, &[]);
        assert_eq!(d.derivation.counting_starts, Some(date(2026, 4, 2)));
        assert_eq!(d.planned_date, date(2026, 4, 2));
        assert!(d
            .derivation
            .rules
            .iter()
            .any(|r| r.note.contains("001 §25")));
    }

    // --- rule 5 ---

    #[test]
    fn rule_5_nth_working_day_skips_days_off() {
        // Accepted Thu 2026-05-06; counting from Fri 7 May (holiday) → 8 (Fri), 12, 13.
        // 9–10 weekend, 11 May moved Victory Day.
        let d = run(at(2026, 5, 6, 12, 0), days(3), std(), &[]);
        assert_eq!(d.planned_date, date(2026, 5, 13));
        assert_eq!(rule_numbers(&d), vec![1, 2, 3, 4, 5, 8]);
    }

    #[test]
    fn rule_5_zero_term_plans_acceptance_day() {
        let d = run(at(2026, 4, 1, 10, 0), days(0), std(), &[]);
        assert_eq!(d.planned_date, date(2026, 4, 1));
        let counted = DeadlineRules {
            acceptance_day_counted: true,
            ..std()
        };
        let d = run(at(2026, 4, 1, 10, 0), days(0), counted, &[]);
        assert_eq!(d.planned_date, date(2026, 4, 1));
        assert!(d.deadline >= d.effective_acceptance);
    }

    // --- rule 6 ---

    #[test]
    fn rule_6_nth_calendar_day_on_a_working_day() {
        // Accepted Wed 2026-04-01 → counting from 2 Apr; day 15 = Thu 16 Apr.
        let d = run(at(2026, 4, 1, 10, 0), cdays(15), std(), &[]);
        assert_eq!(d.planned_date, date(2026, 4, 16));
        assert_eq!(rule_numbers(&d), vec![1, 2, 3, 4, 6, 8]);
    }

    #[test]
    fn rule_6_landing_on_a_day_off_moves_to_next_working_day() {
        // Accepted Fri 2026-03-13 → counting from Sat 14; day 10 = Mon 23 Mar (Nauryz) →
        // 24, 25 also off → Thu 26 Mar.
        let d = run(at(2026, 3, 13, 10, 0), cdays(10), std(), &[]);
        assert_eq!(d.planned_date, date(2026, 3, 26));
        assert!(d
            .derivation
            .rules
            .iter()
            .any(|r| r.rule == 6 && r.note.contains("day off")));
        // Landing on a Saturday: accepted Mon 2026-04-06, day 5 = Sat 11 Apr → Mon 13 Apr.
        let d = run(at(2026, 4, 6, 10, 0), cdays(5), std(), &[]);
        assert_eq!(d.planned_date, date(2026, 4, 13));
    }

    // --- rule 7 ---

    #[test]
    fn rule_7_minutes_and_hours_are_plain_elapsed_time() {
        let d = run(
            at(2026, 4, 1, 17, 45),
            Term::new(30, TermUnit::Minutes),
            std(),
            &[],
        );
        assert_eq!(
            d.deadline,
            at(2026, 4, 1, 18, 15),
            "runs past the end of working hours"
        );
        assert_eq!(d.planned_date, date(2026, 4, 1));
        assert_eq!(d.derivation.counting_starts, None);

        let d = run(
            at(2026, 4, 3, 16, 0),
            Term::new(10, TermUnit::Hours),
            std(),
            &[],
        );
        assert_eq!(d.deadline, at(2026, 4, 4, 2, 0), "runs into the Saturday");
        assert_eq!(d.planned_date, date(2026, 4, 4));
        assert_eq!(rule_numbers(&d), vec![1, 2, 3, 7]);
    }

    // --- rule 8 ---

    #[test]
    fn rule_8_day_term_due_at_end_of_planned_date_local() {
        let d = run(at(2026, 4, 1, 10, 0), days(1), std(), &[]);
        assert_eq!(
            d.deadline,
            local_instant(date(2026, 4, 2).at(23, 59, 59, 0))
        );
        // UTC+5: 18:59:59Z.
        assert_eq!(d.deadline.to_string(), "2026-04-02T18:59:59Z");
    }

    // --- rule 9 ---

    #[test]
    fn rule_9_working_day_term_lengthened_by_working_days_suspended() {
        // Accepted Wed 2026-04-01, 5 working days → 2, 3, 6, 7, 8 Apr.
        let base = run(at(2026, 4, 1, 10, 0), days(5), std(), &[]);
        assert_eq!(base.planned_date, date(2026, 4, 8));
        // Suspended Fri 3 Apr, resumed Tue 7 Apr: [3, 7) holds Fri 3 and Mon 6 → +2.
        let s = [Suspension {
            from: at(2026, 4, 3, 11, 0),
            until: at(2026, 4, 7, 15, 0),
        }];
        let d = run(at(2026, 4, 1, 10, 0), days(5), std(), &s);
        assert_eq!(d.derivation.suspension_extension, 2);
        assert_eq!(d.planned_date, date(2026, 4, 10));
    }

    #[test]
    fn rule_9_calendar_day_term_lengthened_by_calendar_days_suspended() {
        let s = [Suspension {
            from: at(2026, 4, 3, 11, 0),
            until: at(2026, 4, 7, 15, 0),
        }];
        // 15 calendar days from 2 Apr → 16 Apr; +4 (3, 4, 5, 6 Apr) → Mon 20 Apr.
        let d = run(at(2026, 4, 1, 10, 0), cdays(15), std(), &s);
        assert_eq!(d.derivation.suspension_extension, 4);
        assert_eq!(d.planned_date, date(2026, 4, 20));
    }

    #[test]
    fn rule_9_overlapping_suspensions_are_merged() {
        let s = [
            Suspension {
                from: at(2026, 4, 3, 11, 0),
                until: at(2026, 4, 7, 15, 0),
            },
            Suspension {
                from: at(2026, 4, 5, 11, 0),
                until: at(2026, 4, 9, 15, 0),
            },
        ];
        let d = run(at(2026, 4, 1, 10, 0), cdays(15), std(), &s);
        assert_eq!(d.derivation.suspension_extension, 6); // 3..9 April
    }

    #[test]
    fn rule_9_hour_term_lengthened_by_suspended_time() {
        let s = [Suspension {
            from: at(2026, 4, 1, 11, 0),
            until: at(2026, 4, 1, 12, 30),
        }];
        let d = run(
            at(2026, 4, 1, 10, 0),
            Term::new(3, TermUnit::Hours),
            std(),
            &s,
        );
        assert_eq!(d.deadline, at(2026, 4, 1, 14, 30));
        assert_eq!(d.derivation.suspension_extension, 90);
        assert_eq!(rule_numbers(&d), vec![1, 2, 3, 9, 7]);
    }

    #[test]
    fn rule_9_zero_length_and_reversed_suspensions_change_nothing() {
        let base = run(at(2026, 4, 1, 10, 0), days(5), std(), &[]);
        let t = at(2026, 4, 3, 11, 0);
        let s = [
            Suspension { from: t, until: t },
            Suspension {
                from: at(2026, 4, 6, 11, 0),
                until: t,
            },
        ];
        let d = run(at(2026, 4, 1, 10, 0), days(5), std(), &s);
        assert_eq!(d.planned_date, base.planned_date);
        assert_eq!(d.deadline, base.deadline);
        assert_eq!(d.derivation.suspension_extension, 0);
    }

    // --- rule 10 ---

    #[test]
    fn rule_10_derivation_records_calendar_version_and_term() {
        let d = run(at(2026, 4, 1, 10, 0), days(5), std(), &[]);
        assert_eq!(d.derivation.calendar_version, cal().version());
        assert_eq!(d.derivation.term, days(5));
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Deadline>(&json).unwrap(), d);
    }

    #[test]
    fn far_future_saturates_instead_of_panicking() {
        let d = run(at(9999, 12, 30, 10, 0), days(u32::MAX), std(), &[]);
        assert_eq!(d.planned_date, Date::MAX);
        let d = run(
            Timestamp::MAX,
            Term::new(u32::MAX, TermUnit::Hours),
            std(),
            &[],
        );
        assert_eq!(d.deadline, Timestamp::MAX);
    }
}
