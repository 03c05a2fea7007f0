//! Booking slots (001 §12: "book a visit"): the times of a day an office offers for one
//! service, computed from the office's schedule, the production calendar and the service's
//! maximum service time (003 §7(3)), each with as many places as counters take bookings for
//! the service. A slot never crosses a break or the end of the day, and none is offered on a
//! day off.

use super::schedule::OfficeSchedule;
use crate::calendar::ProductionCalendar;
use jiff::civil::{Date, Time};
use serde::Serialize;

/// The slot length when the passport gives no maximum service time.
pub const DEFAULT_SLOT_MINUTES: u32 = 15;
/// The shortest and longest slot, in minutes.
pub const SLOT_MINUTES: std::ops::RangeInclusive<u32> = 5..=240;
/// How many days ahead a visit may be booked (TheQ keeps 30; so do we).
pub const BOOKING_HORIZON_DAYS: i32 = 30;

/// One bookable time: `[start, end)` on a date, and how many visitors it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Slot {
    pub date: Date,
    pub start: Time,
    pub end: Time,
    pub capacity: u32,
}

/// The slot length for a service: its maximum service time on the day (003 §7(3)) within
/// [`SLOT_MINUTES`], else [`DEFAULT_SLOT_MINUTES`].
pub fn slot_minutes(max_service_minutes: Option<u32>) -> u32 {
    max_service_minutes
        .unwrap_or(DEFAULT_SLOT_MINUTES)
        .clamp(*SLOT_MINUTES.start(), *SLOT_MINUTES.end())
}

fn minutes(t: Time) -> i32 {
    i32::from(t.hour()) * 60 + i32::from(t.minute())
}

fn time_of(m: i32) -> Time {
    // Only called with 0 <= m < 24 * 60 (inside an interval of one day).
    Time::new((m / 60) as i8, (m % 60) as i8, 0, 0).unwrap_or(Time::midnight())
}

/// The slots of `date` for a service whose visits take `length` minutes, each of `capacity`
/// places; none when the office is closed that day or nobody takes bookings (`capacity` 0).
/// Slots start at each open interval's start and follow back to back; what is left at an
/// interval's end too short for a visit is not offered.
pub fn day_slots(
    schedule: &OfficeSchedule,
    calendar: &ProductionCalendar,
    date: Date,
    length: u32,
    capacity: u32,
) -> Vec<Slot> {
    if capacity == 0 || length == 0 {
        return Vec::new();
    }
    let len = length as i32;
    let mut out = Vec::new();
    for open in schedule.open_intervals(date, calendar) {
        let (mut from, until) = (minutes(open.start), minutes(open.end));
        while from + len <= until {
            out.push(Slot {
                date,
                start: time_of(from),
                end: time_of(from + len),
                capacity,
            });
            from += len;
        }
    }
    out
}

/// Whether a visit on `date` may be booked on `today`: from today up to the horizon.
pub fn within_horizon(today: Date, date: Date) -> bool {
    let last = today
        .checked_add(jiff::Span::new().days(BOOKING_HORIZON_DAYS))
        .unwrap_or(today);
    date >= today && date <= last
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front_office::schedule::{OfficeKind, ScheduleRow};
    use crate::passport::Day;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn cal() -> ProductionCalendar {
        ProductionCalendar::kazakhstan()
    }

    #[test]
    fn a_regular_day_has_back_to_back_slots_of_the_service_time() {
        let s = OfficeKind::Regular.statutory_schedule();
        let slots = day_slots(&s, &cal(), date(2026, 3, 2), 15, 2);
        assert_eq!(slots.len(), 36, "09:00–18:00 in quarters");
        assert_eq!(slots[0].start, Time::constant(9, 0, 0, 0));
        assert_eq!(slots[35].end, Time::constant(18, 0, 0, 0));
        assert!(slots.iter().all(|s| s.capacity == 2));
    }

    #[test]
    fn no_slots_on_days_off_or_without_counters() {
        let s = OfficeKind::Regular.statutory_schedule();
        assert!(
            day_slots(&s, &cal(), date(2026, 3, 7), 15, 1).is_empty(),
            "Sat"
        );
        assert!(
            day_slots(&s, &cal(), date(2026, 3, 23), 15, 1).is_empty(),
            "Nauryz"
        );
        assert!(day_slots(&s, &cal(), date(2026, 3, 2), 15, 0).is_empty());
    }

    #[test]
    fn slots_do_not_cross_a_break_and_leftovers_are_not_offered() {
        let s = OfficeSchedule {
            rows: vec![ScheduleRow {
                days: vec![Day::Mon],
                hours: "09:00-18:00".parse().unwrap(),
                breaks: vec!["13:00-14:00".parse().unwrap()],
                note: Default::default(),
            }],
        };
        let slots = day_slots(&s, &cal(), date(2026, 3, 2), 40, 1);
        // 09:00–13:00: six of 40 min (to 13:00 exactly); 14:00–18:00: six (to 18:00).
        assert_eq!(slots.len(), 12);
        assert_eq!(slots[5].end, Time::constant(13, 0, 0, 0));
        assert_eq!(slots[6].start, Time::constant(14, 0, 0, 0));
        let slots = day_slots(&s, &cal(), date(2026, 3, 2), 50, 1);
        // 240 / 50 = 4 before the break, 4 after; the 40-minute leftovers are not offered.
        assert_eq!(slots.len(), 8);
        assert_eq!(slots[3].end, Time::constant(12, 20, 0, 0));
    }

    #[test]
    fn the_slot_length_is_the_service_time_within_bounds() {
        assert_eq!(slot_minutes(None), 15);
        assert_eq!(slot_minutes(Some(30)), 30);
        assert_eq!(slot_minutes(Some(1)), 5);
        assert_eq!(slot_minutes(Some(10_000)), 240);
    }

    #[test]
    fn the_horizon_is_thirty_days_from_today() {
        let today = date(2026, 3, 2);
        assert!(within_horizon(today, today));
        assert!(within_horizon(today, date(2026, 4, 1)));
        assert!(!within_horizon(today, date(2026, 4, 2)));
        assert!(!within_horizon(today, date(2026, 3, 1)));
    }

    proptest! {
        /// Whatever the day and length: every slot lies inside one open interval, slots do not
        /// overlap, and none falls on a day the office is closed.
        #[test]
        fn slots_lie_inside_open_hours(
            day in 0i32..730,
            len in 5u32..=240,
            duty in any::<bool>(),
        ) {
            let kind = if duty { OfficeKind::Duty } else { OfficeKind::Regular };
            let s = kind.statutory_schedule();
            let d = date(2026, 1, 1).checked_add(jiff::Span::new().days(day)).unwrap();
            let open = s.open_intervals(d, &cal());
            let slots = day_slots(&s, &cal(), d, len, 1);
            prop_assert_eq!(open.is_empty(), slots.is_empty());
            for w in slots.windows(2) {
                prop_assert!(w[0].end <= w[1].start);
            }
            for sl in &slots {
                prop_assert!(open.iter().any(|i| i.start <= sl.start && sl.end <= i.end));
                prop_assert_eq!(minutes(sl.end) - minutes(sl.start), len as i32);
            }
        }
    }
}
