//! How far a moment lies from an application's deadline, counted the way its term counts
//! (000 §10–11, "Deadline rules" 5–9): how late a completion was (or an open application is),
//! and how much of the term is left. Pure arithmetic over the production calendar; the use
//! case gathers the facts and the pages say them.
//!
//! - A working-day term is late by the working days after its planned date up to and
//!   including the local date of the moment; the calendar days are given beside them, since
//!   a completion on a day off after the deadline is late by no working day but still late.
//! - A calendar-day term is late by the calendar days from its planned date to the local date
//!   of the moment (as the monthly report counts overdue days, 000 §12), at least one.
//! - An hour or minute term is late by the elapsed time past the deadline, in whole minutes
//!   rounded up (any excess counts).

use crate::calendar::ProductionCalendar;
use crate::stage::{EventKind, History};
use crate::term::TermUnit;
use crate::zone::local_date;
use jiff::civil::Date;
use jiff::Timestamp;
use serde::Serialize;

/// A distance from or to a deadline, in the measures of the term's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Distance {
    /// The unit the term counts in: which of the figures below is the one that counts.
    pub unit: TermUnit,
    /// Working days (day terms; 0 for hour and minute terms).
    pub working_days: u32,
    /// Calendar days (day terms; for hour and minute terms, the local dates crossed).
    pub calendar_days: u32,
    /// Elapsed minutes (hour and minute terms; 0 for day terms).
    pub minutes: i64,
}

/// How late `at` is against a deadline (planned date `planned`, instant `deadline`) of a term
/// in `unit`; `None` when `at` is at or before the deadline (on time).
pub fn late_by(
    calendar: &ProductionCalendar,
    unit: TermUnit,
    planned: Date,
    deadline: Timestamp,
    at: Timestamp,
) -> Option<Distance> {
    if at <= deadline {
        return None;
    }
    let day = local_date(at);
    let calendar_days = days_between(planned, day);
    Some(if unit.is_day_unit() {
        // The day after the planned date up to and including the moment's date.
        let working_days = calendar.working_days_in(
            planned.tomorrow().unwrap_or(planned),
            day.tomorrow().unwrap_or(day),
        );
        Distance {
            unit,
            working_days,
            // A moment past 23:59:59 of the planned date is on the next day.
            calendar_days: calendar_days.max(1),
            minutes: 0,
        }
    } else {
        let us = at.as_microsecond() - deadline.as_microsecond();
        Distance {
            unit,
            working_days: 0,
            calendar_days,
            minutes: (us + 59_999_999) / 60_000_000,
        }
    })
}

/// How much of the term is left at `now` (planned date `planned`, instant `deadline`);
/// `None` once the deadline has passed. Day terms count the days after today up to and
/// including the planned date (0: due today); hour and minute terms the whole minutes left.
pub fn left(
    calendar: &ProductionCalendar,
    unit: TermUnit,
    planned: Date,
    deadline: Timestamp,
    now: Timestamp,
) -> Option<Distance> {
    if now > deadline {
        return None;
    }
    let today = local_date(now);
    let calendar_days = days_between(today, planned);
    Some(if unit.is_day_unit() {
        Distance {
            unit,
            working_days: calendar.working_days_in(
                today.tomorrow().unwrap_or(today),
                planned.tomorrow().unwrap_or(planned),
            ),
            calendar_days,
            minutes: 0,
        }
    } else {
        let us = deadline.as_microsecond() - now.as_microsecond();
        Distance {
            unit,
            working_days: 0,
            calendar_days,
            minutes: us / 60_000_000,
        }
    })
}

/// A suspension as the application's timeline shows it: from `suspended` to `resumed`
/// (rule 9, 003 §17), with the reason given and the note of the resumption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Band {
    pub from: Timestamp,
    /// The resumption; `None` while it lasts. A suspension never resumed before the
    /// completion ends there for the clock (`ended_by_completion`).
    pub until: Option<Timestamp>,
    pub ended_by_completion: bool,
    pub reason: String,
    /// The code of the passport's suspension ground it was recorded on (003 §17), if any.
    pub ground: Option<String>,
    /// The note recorded with the resumption, if any.
    pub note: Option<String>,
    /// What this suspension alone adds to the term, in the term's unit: days of that unit in
    /// `[S, R)` of the local dates for day terms, whole minutes for hour and minute terms
    /// (rule 9; overlapping suspensions cannot occur, the stage machine refuses them).
    pub extension: u64,
}

/// The suspensions of `history`, in time order, each with what it adds to a term in `unit`.
/// A repeated `suspended` or an unmatched `resumed` (possible only while a late event is on
/// its way) opens or closes nothing, as for the clock.
pub fn bands(history: &History, calendar: &ProductionCalendar, unit: TermUnit) -> Vec<Band> {
    let completion = history.completion();
    let mut out: Vec<Band> = Vec::new();
    let mut open: Option<(Timestamp, (String, Option<String>))> = None;
    for e in history.events() {
        match &e.kind {
            EventKind::Suspended { reason, ground } if open.is_none() => {
                open = Some((e.occurred_at, (reason.clone(), ground.clone())));
            }
            EventKind::Resumed { reason } => {
                if let Some((from, why)) = open.take() {
                    out.push(band(
                        calendar,
                        unit,
                        from,
                        Some(e.occurred_at),
                        false,
                        why,
                        reason.clone(),
                    ));
                }
            }
            _ => {}
        }
    }
    if let Some((from, why)) = open {
        out.push(band(
            calendar,
            unit,
            from,
            completion,
            completion.is_some(),
            why,
            None,
        ));
    }
    out
}

fn band(
    calendar: &ProductionCalendar,
    unit: TermUnit,
    from: Timestamp,
    until: Option<Timestamp>,
    ended_by_completion: bool,
    (reason, ground): (String, Option<String>),
    note: Option<String>,
) -> Band {
    let extension = match until {
        None => 0,
        Some(until) if !unit.is_day_unit() => {
            u64::try_from((until.as_microsecond() - from.as_microsecond()) / 60_000_000)
                .unwrap_or(0)
        }
        Some(until) => {
            let (s, r) = (local_date(from), local_date(until));
            if unit == TermUnit::WorkingDays {
                u64::from(calendar.working_days_in(s, r))
            } else {
                u64::from(days_between(s, r))
            }
        }
    };
    Band {
        from,
        until,
        ended_by_completion,
        reason,
        ground,
        note: note.filter(|n| !n.trim().is_empty()),
        extension,
    }
}

/// Whole days from `from` to `to`, never below 0.
fn days_between(from: Date, to: Date) -> u32 {
    u32::try_from((to - from).get_days()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// End of a planned date, Almaty (rule 8).
    fn end_of(d: Date) -> Timestamp {
        at(&format!("{d}T23:59:59+05:00"))
    }

    #[test]
    fn on_time_is_not_late() {
        let cal = ProductionCalendar::kazakhstan();
        let planned = date(2026, 4, 1);
        let deadline = end_of(planned);
        assert_eq!(
            late_by(&cal, TermUnit::WorkingDays, planned, deadline, deadline),
            None
        );
        assert_eq!(
            late_by(
                &cal,
                TermUnit::WorkingDays,
                planned,
                deadline,
                at("2026-04-01T10:00+05:00")
            ),
            None
        );
    }

    /// Planned Wednesday 1 April 2026; completed Monday 6 April: Thursday, Friday and Monday
    /// are working days, the weekend is not.
    #[test]
    fn working_days_skip_days_off() {
        let cal = ProductionCalendar::kazakhstan();
        let planned = date(2026, 4, 1);
        let d = late_by(
            &cal,
            TermUnit::WorkingDays,
            planned,
            end_of(planned),
            at("2026-04-06T09:30+05:00"),
        )
        .unwrap();
        assert_eq!((d.working_days, d.calendar_days, d.minutes), (3, 5, 0));
    }

    /// A completion on the Saturday after a Friday deadline is late by no working day, but
    /// one calendar day: still a violation, and the page says so in calendar days.
    #[test]
    fn late_on_a_day_off() {
        let cal = ProductionCalendar::kazakhstan();
        let planned = date(2026, 4, 3);
        let d = late_by(
            &cal,
            TermUnit::WorkingDays,
            planned,
            end_of(planned),
            at("2026-04-04T11:00+05:00"),
        )
        .unwrap();
        assert_eq!((d.working_days, d.calendar_days), (0, 1));
    }

    /// The local date counts, not UTC's: 00:30 Almaty on 2 April is 19:30 UTC on 1 April.
    #[test]
    fn calendar_days_follow_the_local_date() {
        let cal = ProductionCalendar::kazakhstan();
        let planned = date(2026, 4, 1);
        let d = late_by(
            &cal,
            TermUnit::CalendarDays,
            planned,
            end_of(planned),
            at("2026-04-01T19:30Z"),
        )
        .unwrap();
        assert_eq!(d.calendar_days, 1);
        // Within the last second of the planned date, past 23:59:59: still one day late.
        let d = late_by(
            &cal,
            TermUnit::CalendarDays,
            planned,
            end_of(planned),
            at("2026-04-01T23:59:59.5+05:00"),
        )
        .unwrap();
        assert_eq!(d.calendar_days, 1);
    }

    /// Hour terms count elapsed minutes, rounded up.
    #[test]
    fn hour_terms_count_minutes() {
        let cal = ProductionCalendar::kazakhstan();
        let deadline = at("2026-04-01T12:00+05:00");
        let planned = date(2026, 4, 1);
        let d = late_by(
            &cal,
            TermUnit::Hours,
            planned,
            deadline,
            at("2026-04-01T14:30:01+05:00"),
        )
        .unwrap();
        assert_eq!((d.minutes, d.working_days, d.calendar_days), (151, 0, 0));
        let l = left(
            &cal,
            TermUnit::Hours,
            planned,
            deadline,
            at("2026-04-01T10:59:30+05:00"),
        )
        .unwrap();
        assert_eq!(l.minutes, 60);
        assert_eq!(
            left(&cal, TermUnit::Hours, planned, deadline, deadline).map(|l| l.minutes),
            Some(0)
        );
    }

    fn event(at_: &str, kind: EventKind) -> crate::stage::Event {
        crate::stage::Event {
            id: uuid::Uuid::nil(),
            occurred_at: at(at_),
            kind,
        }
    }

    /// Suspended Friday 3 April, resumed Tuesday 7 April: Friday and Monday are the working
    /// days in [3, 7); a second suspension still open at the completion ends there.
    #[test]
    fn bands_pair_suspensions_and_count_their_days() {
        let cal = ProductionCalendar::kazakhstan();
        let h = History::from_events(
            at("2026-04-01T10:00+05:00"),
            vec![
                event("2026-04-03T10:00+05:00", EventKind::suspended("documents")),
                event(
                    "2026-04-07T09:00+05:00",
                    EventKind::Resumed {
                        reason: Some("received".into()),
                    },
                ),
                event("2026-04-08T10:00+05:00", EventKind::suspended("expertise")),
                event(
                    "2026-04-09T10:00+05:00",
                    EventKind::stage(crate::stage::Stage::Executed),
                ),
            ],
        );
        let b = bands(&h, &cal, TermUnit::WorkingDays);
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].extension, b[0].reason.as_str()), (2, "documents"));
        assert_eq!(b[0].note.as_deref(), Some("received"));
        assert_eq!(b[0].until, Some(at("2026-04-07T09:00+05:00")));
        assert!(!b[0].ended_by_completion);
        assert!(b[1].ended_by_completion);
        assert_eq!(b[1].extension, 1);
        // Calendar days count the weekend; hours count the minutes.
        assert_eq!(bands(&h, &cal, TermUnit::CalendarDays)[0].extension, 4);
        assert_eq!(
            bands(&h, &cal, TermUnit::Hours)[0].extension,
            (4 * 24 - 1) * 60
        );
        // Still open: no end, nothing added yet.
        let open = History::from_events(
            at("2026-04-01T10:00+05:00"),
            vec![event("2026-04-03T10:00+05:00", EventKind::suspended("x"))],
        );
        let b = bands(&open, &cal, TermUnit::WorkingDays);
        assert_eq!(
            (b[0].until, b[0].extension, b[0].ended_by_completion),
            (None, 0, false)
        );
    }

    /// Left: the working days after today up to the planned date; 0 on the planned date.
    #[test]
    fn days_left() {
        let cal = ProductionCalendar::kazakhstan();
        let planned = date(2026, 4, 6);
        let deadline = end_of(planned);
        let l = left(
            &cal,
            TermUnit::WorkingDays,
            planned,
            deadline,
            at("2026-04-02T10:00+05:00"),
        )
        .unwrap();
        // Friday 3 and Monday 6 April.
        assert_eq!((l.working_days, l.calendar_days), (2, 4));
        let l = left(
            &cal,
            TermUnit::WorkingDays,
            planned,
            deadline,
            at("2026-04-06T10:00+05:00"),
        )
        .unwrap();
        assert_eq!((l.working_days, l.calendar_days), (0, 0));
        assert_eq!(
            left(
                &cal,
                TermUnit::WorkingDays,
                planned,
                deadline,
                at("2026-04-07T00:00+05:00")
            ),
            None
        );
    }
}
