//! The production calendar against MISSION "The production calendar", the worked examples of
//! MISSION "Deadline rules", and property tests of the deadline arithmetic (000 §10).

use jiff::civil::{date, Date, Weekday};
use jiff::Timestamp;
use proptest::prelude::*;
use qyzmet_domain::calendar::{CalendarEntry, DayKind};
use qyzmet_domain::deadline::{compute, Deadline, DeadlineRules, Suspension};
use qyzmet_domain::zone::almaty;
use qyzmet_domain::{ProductionCalendar, Term, TermUnit};

fn at(y: i16, m: i8, d: i8, h: i8, mi: i8) -> Timestamp {
    almaty()
        .to_timestamp(date(y, m, d).at(h, mi, 0, 0))
        .unwrap()
}

fn weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Every Monday–Friday of `year` that the calendar says is not a working day.
fn weekday_days_off(cal: &ProductionCalendar, year: i16) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = date(year, 1, 1);
    while d.year() == year {
        if !weekend(d) && !cal.is_working_day(d) {
            out.push(d);
        }
        d = d.tomorrow().unwrap();
    }
    out
}

/// Every Saturday or Sunday of `year` that is a working day.
fn weekend_working_days(cal: &ProductionCalendar, year: i16) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = date(year, 1, 1);
    while d.year() == year {
        if weekend(d) && cal.is_working_day(d) {
            out.push(d);
        }
        d = d.tomorrow().unwrap();
    }
    out
}

fn dates(year: i16, md: &[(i8, i8)]) -> Vec<Date> {
    md.iter().map(|&(m, d)| date(year, m, d)).collect()
}

// --- MISSION "The production calendar" ---

#[test]
fn mission_calendar_2025_weekday_days_off_exactly() {
    let cal = ProductionCalendar::kazakhstan();
    let expected = dates(
        2025,
        &[
            (1, 1),
            (1, 2),
            (1, 3),
            (1, 7),
            (3, 10),
            (3, 21),
            (3, 24),
            (3, 25),
            (5, 1),
            (5, 7),
            (5, 9),
            (6, 6),
            (7, 7),
            (9, 1),
            (10, 27),
            (12, 16),
        ],
    );
    assert_eq!(weekday_days_off(&cal, 2025), expected);
}

#[test]
fn mission_calendar_2025_sunday_jan_5_is_worked() {
    let cal = ProductionCalendar::kazakhstan();
    assert!(cal.is_working_day(date(2025, 1, 5)));
    assert_eq!(weekend_working_days(&cal, 2025), vec![date(2025, 1, 5)]);
    let e = cal.entry(date(2025, 1, 5)).unwrap();
    assert_eq!(e.kind, DayKind::WorkingDay);
    assert!(e.name.contains("2025-01-03"), "{}", e.name);
}

#[test]
fn mission_calendar_2026_weekday_days_off_exactly() {
    let cal = ProductionCalendar::kazakhstan();
    let expected = dates(
        2026,
        &[
            (1, 1),
            (1, 2),
            (1, 7),
            (3, 9),
            (3, 23),
            (3, 24),
            (3, 25),
            (5, 1),
            (5, 7),
            (5, 11),
            (5, 27),
            (7, 6),
            (10, 26),
            (12, 16),
        ],
    );
    assert_eq!(weekday_days_off(&cal, 2026), expected);
    assert!(weekend_working_days(&cal, 2026).is_empty());
}

#[test]
fn mission_calendar_nauryz_2026_moves_past_the_holiday_monday() {
    let cal = ProductionCalendar::kazakhstan();
    let moved = cal.entry(date(2026, 3, 24)).unwrap();
    assert_eq!(
        moved.name,
        "Nauryz meiramy, day 1 (moved from Sat 2026-03-21)"
    );
    assert!(moved.source.contains("Labour Code art. 84"));
    let moved = cal.entry(date(2026, 3, 25)).unwrap();
    assert_eq!(
        moved.name,
        "Nauryz meiramy, day 2 (moved from Sun 2026-03-22)"
    );
}

#[test]
fn mission_calendar_30_aug_2026_is_not_a_holiday() {
    let cal = ProductionCalendar::kazakhstan();
    assert!(cal.entry(date(2026, 8, 30)).is_none());
    assert!(
        cal.is_working_day(date(2026, 8, 31)),
        "no moved Constitution Day"
    );
    // Up to 2025 it was: Sat 2025-08-30 moved to Mon 2025-09-01.
    assert!(!cal.is_working_day(date(2025, 9, 1)));
}

#[test]
fn mission_calendar_constitution_day_15_march_from_2027() {
    let cal = ProductionCalendar::kazakhstan();
    assert!(!cal.is_working_day(date(2027, 3, 15)));
    assert!(cal
        .entry(date(2027, 3, 15))
        .unwrap()
        .name
        .contains("Constitution Day"));
    assert!(cal.is_working_day(date(2026, 3, 16)), "not before 2027");
}

#[test]
fn mission_calendar_kurban_ait_and_orthodox_christmas_never_move() {
    let cal = ProductionCalendar::kazakhstan();
    // Sat 2022-07-09 Kurban ait and Sat 2023-01-07 Christmas: no weekday day off follows.
    assert!(cal.is_working_day(date(2022, 7, 11)));
    assert!(cal.is_working_day(date(2023, 1, 9)));
    assert!(cal
        .entry(date(2022, 7, 9))
        .unwrap()
        .name
        .contains("does not move"));
}

#[test]
fn mission_calendar_republic_day_restored_2022_first_president_day_until_2021() {
    let cal = ProductionCalendar::kazakhstan();
    assert!(cal.is_working_day(date(2021, 10, 25)));
    assert!(!cal.is_working_day(date(2022, 10, 25)));
    assert!(!cal.is_working_day(date(2021, 12, 1)));
    assert!(cal.is_working_day(date(2022, 12, 1)));
}

#[test]
fn mission_calendar_covers_2020_to_2027_with_sources() {
    let entries = ProductionCalendar::default_entries();
    let years: std::collections::BTreeSet<i16> = entries.iter().map(|e| e.date.year()).collect();
    assert_eq!(
        years.into_iter().collect::<Vec<_>>(),
        (2020..=2027).collect::<Vec<_>>()
    );
    for e in &entries {
        assert!(!e.source.trim().is_empty(), "{} has no source", e.date);
        assert!(!e.name.trim().is_empty(), "{} has no name", e.date);
    }
    let cal = ProductionCalendar::new(entries.clone());
    assert_eq!(cal.version(), ProductionCalendar::kazakhstan().version());
    assert_eq!(cal.entries().cloned().collect::<Vec<_>>(), entries);
}

#[test]
fn calendar_version_changes_when_any_entry_changes() {
    let mut entries = ProductionCalendar::default_entries();
    let v0 = ProductionCalendar::new(entries.clone())
        .version()
        .to_string();
    entries[10].source.push('.');
    let v1 = ProductionCalendar::new(entries.clone())
        .version()
        .to_string();
    assert_ne!(v0, v1);
    entries.push(CalendarEntry {
        date: date(2027, 12, 31),
        kind: DayKind::DayOff,
        name: "test".into(),
        source: "test".into(),
    });
    assert_ne!(v1, ProductionCalendar::new(entries).version());
}

// --- MISSION "Deadline rules", worked examples (5 working days, acceptance day not counted) ---

#[test]
fn mission_worked_example_1_accepted_fri_2026_03_20_planned_2026_04_01() {
    let cal = ProductionCalendar::kazakhstan();
    let d = compute(
        &cal,
        at(2026, 3, 20, 10, 0),
        Term::new(5, TermUnit::WorkingDays),
        &DeadlineRules::default(),
        &[],
    );
    assert_eq!(d.effective_acceptance, at(2026, 3, 20, 10, 0));
    // Rule 4: counting starts Sat 21 Mar; the weekend and Nauryz (23-25 Mar) are skipped, so
    // the first working day counted is Thu 26 Mar: 26, 27, 30, 31 Mar, 1 Apr.
    assert_eq!(d.derivation.counting_starts, Some(date(2026, 3, 21)));
    assert_eq!(d.planned_date, date(2026, 4, 1));
    assert_eq!(
        d.deadline,
        at(2026, 4, 1, 23, 59) + jiff::SignedDuration::from_secs(59)
    );
}

#[test]
fn mission_worked_example_2_portal_sat_2026_03_07_planned_2026_03_17() {
    let cal = ProductionCalendar::kazakhstan();
    let d = compute(
        &cal,
        at(2026, 3, 7, 14, 0),
        Term::new(5, TermUnit::WorkingDays),
        &DeadlineRules::default(),
        &[],
    );
    assert_eq!(d.effective_acceptance, at(2026, 3, 10, 9, 0));
    assert_eq!(d.derivation.counting_starts, Some(date(2026, 3, 11)));
    assert_eq!(d.planned_date, date(2026, 3, 17));
    assert_eq!(
        d.derivation.rules[2].note,
        "received Sat 2026-03-07 14:00 (day off): accepted at Tue 2026-03-10 09:00"
    );
}

// --- property tests ---

fn any_instant() -> impl Strategy<Value = Timestamp> {
    // 2020-01-01 .. 2027-12-31, to the second.
    let (lo, hi) = (
        at(2020, 1, 1, 0, 0).as_second(),
        at(2027, 12, 31, 0, 0).as_second(),
    );
    (lo..hi).prop_map(|s| Timestamp::from_second(s).unwrap())
}

fn any_unit() -> impl Strategy<Value = TermUnit> {
    prop::sample::select(TermUnit::ALL.to_vec())
}

fn day_unit() -> impl Strategy<Value = TermUnit> {
    prop::sample::select(vec![TermUnit::WorkingDays, TermUnit::CalendarDays])
}

fn any_rules() -> impl Strategy<Value = DeadlineRules> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec![
            "09:00-18:00",
            "08:00-17:00",
            "09:00-20:00",
            "09:00-13:00",
        ]),
    )
        .prop_map(|(counted, paper, hours)| DeadlineRules {
            acceptance_day_counted: counted,
            paper_via_state_corp: paper,
            working_hours: hours.parse().unwrap(),
        })
}

fn any_suspensions() -> impl Strategy<Value = Vec<Suspension>> {
    prop::collection::vec(
        (any_instant(), 0i64..20 * 86_400).prop_map(|(from, len)| Suspension {
            from,
            until: from + jiff::SignedDuration::from_secs(len),
        }),
        0..3,
    )
}

fn run(accepted: Timestamp, term: Term, rules: &DeadlineRules, s: &[Suspension]) -> Deadline {
    compute(&ProductionCalendar::kazakhstan(), accepted, term, rules, s)
}

proptest! {
    #[test]
    fn prop_day_term_planned_date_is_a_working_day(
        accepted in any_instant(), unit in day_unit(), n in 1u32..120,
        rules in any_rules(), s in any_suspensions(),
    ) {
        let d = run(accepted, Term::new(n, unit), &rules, &s);
        prop_assert!(ProductionCalendar::kazakhstan().is_working_day(d.planned_date));
    }

    #[test]
    fn prop_planned_date_never_decreases_as_n_grows(
        accepted in any_instant(), unit in any_unit(), n in 0u32..200,
        rules in any_rules(), s in any_suspensions(),
    ) {
        let a = run(accepted, Term::new(n, unit), &rules, &s);
        let b = run(accepted, Term::new(n + 1, unit), &rules, &s);
        prop_assert!(a.planned_date <= b.planned_date);
        prop_assert!(a.deadline <= b.deadline);
    }

    #[test]
    fn prop_zero_length_suspension_changes_nothing(
        accepted in any_instant(), unit in any_unit(), n in 0u32..200,
        rules in any_rules(), at_ in any_instant(),
    ) {
        let base = run(accepted, Term::new(n, unit), &rules, &[]);
        let with = run(accepted, Term::new(n, unit), &rules, &[Suspension { from: at_, until: at_ }]);
        prop_assert_eq!(base.planned_date, with.planned_date);
        prop_assert_eq!(base.deadline, with.deadline);
        prop_assert_eq!(base.effective_acceptance, with.effective_acceptance);
        prop_assert_eq!(with.derivation.suspension_extension, 0);
    }

    #[test]
    fn prop_deadline_never_before_effective_acceptance(
        accepted in any_instant(), unit in any_unit(), n in 0u32..200,
        rules in any_rules(), s in any_suspensions(),
    ) {
        let d = run(accepted, Term::new(n, unit), &rules, &s);
        prop_assert!(d.effective_acceptance >= accepted);
        prop_assert!(d.deadline >= d.effective_acceptance);
        prop_assert!(d.planned_date >= almaty().to_datetime(d.effective_acceptance).date());
    }

    #[test]
    fn prop_effective_acceptance_is_inside_working_hours_of_a_working_day(
        accepted in any_instant(), rules in any_rules(),
    ) {
        let d = run(accepted, Term::new(1, TermUnit::Hours), &rules, &[]);
        let local = almaty().to_datetime(d.effective_acceptance);
        prop_assert!(ProductionCalendar::kazakhstan().is_working_day(local.date()));
        prop_assert!(rules.working_hours.contains(local.time()));
    }

    #[test]
    fn prop_suspensions_never_shorten_the_term(
        accepted in any_instant(), unit in any_unit(), n in 0u32..100,
        rules in any_rules(), s in any_suspensions(),
    ) {
        let base = run(accepted, Term::new(n, unit), &rules, &[]);
        let with = run(accepted, Term::new(n, unit), &rules, &s);
        prop_assert!(base.deadline <= with.deadline);
    }
}
