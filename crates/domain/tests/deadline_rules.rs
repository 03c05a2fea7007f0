//! The production calendar against MISSION "The production calendar" and against the
//! Ministry of Labour's final production calendars of 2020-2027 (with the legal source of every
//! entry), the worked examples of MISSION "Deadline rules", and property tests of the deadline
//! arithmetic (000 §10).

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

// --- MISSION "The production calendar" ---

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
fn mission_calendar_nauryz_2026_moves_past_the_holiday_monday() {
    let cal = ProductionCalendar::kazakhstan();
    let moved = cal.entry(date(2026, 3, 24)).unwrap();
    assert_eq!(
        moved.name,
        "Nauryz meiramy, day 1 (moved from Sat 2026-03-21)"
    );
    assert!(
        moved.source.contains("Law No. 267-II, art. 5"),
        "{}",
        moved.source
    );
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
        ..CalendarEntry::default()
    });
    assert_ne!(v1, ProductionCalendar::new(entries).version());
}

// --- The Ministry of Labour's final production calendars, 2020-2027 (issue 15, finding 9) ---
//
// For each year: every Monday-Friday that is a day off, and every Saturday or Sunday that is
// a working day, as established from the acts and statements cited in the data file's
// `source` fields. Any edit of `data/calendar/kazakhstan.toml` that departs from the official
// calendar fails here.

/// `"01-03 05-08"` as dates of `year`.
fn month_days(year: i16, list: &str) -> Vec<Date> {
    list.split_whitespace()
        .map(|md| {
            let (m, d) = md.split_once('-').expect("MM-DD");
            date(year, m.parse().unwrap(), d.parse().unwrap())
        })
        .collect()
}

/// Asserts the weekday days off and the working Saturdays/Sundays (both `"MM-DD …"`) of `year`.
fn assert_official_year(year: i16, days_off: &str, weekend_worked: &str) {
    let cal = ProductionCalendar::kazakhstan();
    assert_eq!(
        weekday_days_off(&cal, year),
        month_days(year, days_off),
        "weekday days off of {year}"
    );
    assert_eq!(
        weekend_working_days(&cal, year),
        month_days(year, weekend_worked),
        "working Saturdays and Sundays of {year}"
    );
}

#[test]
fn ministry_final_calendar_2020() {
    // Decree No. 820 (2019): 5 Jan -> 3 Jan, 11 May -> 8 May, 20 Dec -> 18 Dec.
    assert_official_year(
        2020,
        "01-01 01-02 01-03 01-07 03-09 03-23 03-24 03-25 05-01 05-07 05-08 07-06 07-31 08-31 12-01 12-16 12-17 12-18",
        "01-05 12-20",
    );
}

#[test]
fn ministry_final_calendar_2021() {
    // Decree No. 930 (2020): 3 Jul -> 5 Jul.
    assert_official_year(
        2021,
        "01-01 01-04 01-07 03-08 03-22 03-23 03-24 05-03 05-07 05-10 07-05 07-06 07-20 08-30 12-01 12-16 12-17",
        "07-03",
    );
}

#[test]
fn ministry_final_calendar_2022() {
    // Decree No. 713 of 06.10.2021 (5 Mar -> 7 Mar, 27 Aug -> 29 Aug) and No. 796 (22 Oct ->
    // 24 Oct); Law No. 143-VII of 29.09.2022: Republic Day back, 1 Dec and 17 Dec gone.
    assert_official_year(
        2022,
        "01-03 01-04 01-07 03-07 03-08 03-21 03-22 03-23 05-02 05-09 05-10 07-06 08-29 08-30 10-24 10-25 12-16",
        "03-05 08-27 10-22",
    );
}

#[test]
fn ministry_final_calendar_2023() {
    // Decree No. 326 of 25.04.2023: 1 Jul -> 7 Jul.
    assert_official_year(
        2023,
        "01-02 01-03 03-08 03-21 03-22 03-23 05-01 05-08 05-09 06-28 07-06 07-07 08-30 10-25 12-18",
        "07-01",
    );
}

#[test]
fn ministry_final_calendar_2024() {
    // Order No. 109 of 17.04.2024: 4 May -> 8 May. Kurban ait began on Sunday 16 June (QMDB,
    // 07.06.2024): no weekday day off; Monday 17 June stayed a working day (the Ministry,
    // 07.06.2024).
    assert_official_year(
        2024,
        "01-01 01-02 03-08 03-21 03-22 03-25 05-01 05-07 05-08 05-09 07-08 08-30 10-25 12-16",
        "05-04",
    );
}

#[test]
fn ministry_final_calendar_2024_kurban_ait_is_sunday_16_june_and_17_june_is_worked() {
    let cal = ProductionCalendar::kazakhstan();
    assert!(cal.is_working_day(date(2024, 6, 17)), "Mon 2024-06-17");
    assert!(cal.entry(date(2024, 6, 17)).is_none());
    let kurban = cal
        .entry(date(2024, 6, 16))
        .expect("an entry on Sun 2024-06-16");
    assert_eq!(kurban.kind, DayKind::DayOff);
    assert!(kurban.name.starts_with("Kurban ait"), "{}", kurban.name);
    assert!(kurban.name.contains("does not move"), "{}", kurban.name);
    assert!(kurban.source.contains("07.06.2024"), "{}", kurban.source);
    // Five working days counted from Sat 2024-06-15: 17, 18, 19, 20, 21 June.
    assert_eq!(cal.nth_working_day(date(2024, 6, 15), 5), date(2024, 6, 21));
}

#[test]
fn ministry_final_calendar_2025() {
    // Order No. 436 of 21.11.2024: 5 Jan -> 3 Jan. (Also MISSION's list of 2025.)
    assert_official_year(
        2025,
        "01-01 01-02 01-03 01-07 03-10 03-21 03-24 03-25 05-01 05-07 05-09 06-06 07-07 09-01 10-27 12-16",
        "01-05",
    );
}

#[test]
fn ministry_final_calendar_2026() {
    // No transfer; 30 August no longer a holiday (Constitution of 15.03.2026). (Also
    // MISSION's list of 2026.)
    assert_official_year(
        2026,
        "01-01 01-02 01-07 03-09 03-23 03-24 03-25 05-01 05-07 05-11 05-27 07-06 10-26 12-16",
        "",
    );
}

#[test]
fn ministry_final_calendar_2027() {
    // Provisional: no transfer order known; Constitution Day on 15 March; Kurban ait
    // estimated on Sunday 16 May (no weekday day off).
    assert_official_year(
        2027,
        "01-01 01-04 01-07 03-08 03-15 03-22 03-23 03-24 05-03 05-07 05-10 07-06 10-25 12-16",
        "",
    );
}

#[test]
fn every_entry_cites_an_act_or_an_official_statement() {
    for e in ProductionCalendar::default_entries() {
        let s = e.source.trim();
        assert!(!s.is_empty(), "{}: no source", e.date);
        let lower = s.to_lowercase();
        for internal in ["verify", "mission", "as reported"] {
            assert!(
                !lower.contains(internal),
                "{} ({}): the source says {internal:?}: {s}",
                e.date,
                e.name
            );
        }
    }
}

#[test]
fn an_estimated_date_says_so_and_what_replaces_it() {
    for e in ProductionCalendar::default_entries() {
        if e.name.contains("estimated") {
            assert!(e.source.contains("ESTIMATE"), "{}: {}", e.date, e.source);
            assert!(e.source.contains("replaced by"), "{}: {}", e.date, e.source);
        }
    }
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
