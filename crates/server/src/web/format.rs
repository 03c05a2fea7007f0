//! Dates, times and numbers as each language writes them (kk and ru: `30.11.2026`, a
//! non-breaking space between thousands; en: `30 November 2026`, the month in full, a comma),
//! always in Asia/Almaty.

use crate::i18n::{message, Lang};
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::zone;

/// A calendar date.
pub fn date(lang: Lang, d: Date) -> String {
    match lang {
        Lang::Kk | Lang::Ru => format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
        Lang::En => format!(
            "{} {} {}",
            d.day(),
            message(Lang::En, &format!("month-{}", d.month()), &[]),
            d.year()
        ),
    }
}

/// An instant as a local date and time to the minute.
pub fn datetime(lang: Lang, t: Timestamp) -> String {
    let z = t.to_zoned(zone::almaty().clone());
    format!("{} {:02}:{:02}", date(lang, z.date()), z.hour(), z.minute())
}

/// The value of an `<input type="datetime-local">` for an instant.
pub fn datetime_input(t: Timestamp) -> String {
    t.to_zoned(zone::almaty().clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

/// An `<input type="datetime-local">` value (Asia/Almaty) as RFC 3339 with its offset; the
/// input unchanged when it does not parse, so the API's validation names the field.
pub fn datetime_from_input(s: &str) -> String {
    let s = s.trim();
    let parsed = jiff::civil::DateTime::strptime("%Y-%m-%dT%H:%M", s)
        .or_else(|_| jiff::civil::DateTime::strptime("%Y-%m-%dT%H:%M:%S", s));
    match parsed.and_then(|dt| dt.to_zoned(zone::almaty().clone())) {
        Ok(z) => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        Err(_) => s.to_string(),
    }
}

/// An integer with the language's thousands separator.
pub fn number(lang: Lang, n: i64) -> String {
    let sep = match lang {
        Lang::Kk | Lang::Ru => '\u{a0}',
        Lang::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A percentage to one decimal as the language writes it (kk and ru: a decimal comma),
/// without the sign; "—" for a value not set or not yet counted.
pub fn percent(lang: Lang, v: Option<f64>) -> String {
    let Some(v) = v else { return "—".into() };
    let text = if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    match lang {
        Lang::Kk | Lang::Ru => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A date with its weekday, for the derivation's notes: "Сб 21.03.2026", "Sat 21 March 2026".
fn date_with_weekday(lang: Lang, d: Date) -> String {
    let n = d.weekday().to_monday_one_offset();
    format!(
        "{} {}",
        message(lang, &format!("weekday-short-{n}"), &[]),
        date(lang, d)
    )
}

/// A derivation note (the domain's English sentence, see `qyzmet_domain::note`) in `lang`:
/// its dates and moments as the language writes them, its units named. `None` when the note is
/// of no known sentence: the page then shows it as it is.
pub fn derivation_note(lang: Lang, note: &str) -> Option<String> {
    let parts = qyzmet_domain::note::parts(note)?;
    let unit = |key: &str, v: &str| -> String {
        // A day count of rule 9 names its days `working` or `calendar`.
        let code = match (key, v) {
            ("suspended-days", "working") | ("no-day", "working") => "working_days",
            ("suspended-days", "calendar") | ("no-day", "calendar") => "calendar_days",
            (_, other) => other,
        };
        message(lang, &format!("unit-{}", code.replace('_', "-")), &[])
    };
    let args: Vec<(&str, String)> = parts
        .args
        .iter()
        .map(|(name, v)| {
            let shown = if *name == "unit" {
                unit(parts.key, v)
            } else if let Some(dt) = v
                .contains('T')
                .then(|| v.parse::<jiff::civil::DateTime>().ok())
                .flatten()
            {
                format!(
                    "{} {:02}:{:02}",
                    date_with_weekday(lang, dt.date()),
                    dt.hour(),
                    dt.minute()
                )
            } else if let Ok(d) = v.parse::<Date>() {
                date_with_weekday(lang, d)
            } else {
                v.clone()
            };
            (*name, shown)
        })
        .collect();
    Some(message(lang, &format!("note-{}", parts.key), &args))
}

/// Why a planned date moved, in `lang`. The store records a calendar edit's reason in English
/// ("calendar: 2026-03-23 is now a day off (name; source)", "calendar: entry for … removed",
/// "calendar: the shipped calendar corrects …"); the page says which day became what, with the
/// day's name in the reader's language when the calendar still has that entry. A reason of
/// any other form is shown as stored.
pub fn deadline_change_reason(
    lang: Lang,
    reason: &str,
    calendar: &qyzmet_domain::ProductionCalendar,
) -> String {
    use qyzmet_domain::calendar::DayKind;
    let Some(rest) = reason.strip_prefix("calendar: ") else {
        return reason.to_string();
    };
    let Some(day) = rest
        .split([' ', ':', '('])
        .find_map(|w| w.parse::<Date>().ok())
    else {
        return reason.to_string();
    };
    let after = rest.split_once(&day.to_string()).map_or("", |(_, a)| a);
    let kind = if after.starts_with(" is now a day off") {
        Some(DayKind::DayOff)
    } else if after.starts_with(" is now a working day") {
        Some(DayKind::WorkingDay)
    } else {
        None
    };
    let name = match (kind, calendar.entry(day)) {
        (Some(k), Some(e)) if e.kind == k => format!(" ({})", e.name_in(lang.code())),
        _ => String::new(),
    };
    let what = match kind {
        Some(DayKind::DayOff) => "day-off",
        Some(DayKind::WorkingDay) => "working-day",
        None => "removed",
    };
    let shipped = if rest.starts_with("the shipped calendar") {
        "shipped-"
    } else {
        ""
    };
    message(
        lang,
        &format!("deadline-change-{shipped}{what}"),
        &[("day", date_with_weekday(lang, day)), ("name", name)],
    )
}

/// How long until (or since) a deadline, in whole days or hours: "3 days left",
/// "overdue by 2 days", in the language's plural forms.
pub fn time_left(lang: Lang, deadline: Timestamp, now: Timestamp) -> String {
    let secs = deadline.as_second() - now.as_second();
    let (id, amount) = if secs >= 0 {
        ("time-left", secs)
    } else {
        ("time-overdue", -secs)
    };
    let (unit, n) = if amount >= 86_400 {
        ("days", amount / 86_400)
    } else {
        ("hours", (amount / 3_600).max(1))
    };
    message(lang, &format!("{id}-{unit}"), &[("n", n.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_numbers_follow_the_language() {
        let d = Date::constant(2026, 11, 3);
        assert_eq!(date(Lang::Kk, d), "03.11.2026");
        assert_eq!(date(Lang::Ru, d), "03.11.2026");
        assert_eq!(date(Lang::En, d), "3 November 2026");
        assert_eq!(number(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(number(Lang::Ru, -1_234), "-1\u{a0}234");
        assert_eq!(number(Lang::Kk, 999), "999");
        assert_eq!(percent(Lang::Ru, Some(66.7)), "66,7");
        assert_eq!(percent(Lang::En, Some(100.0)), "100");
        assert_eq!(percent(Lang::Kk, None), "—");
    }

    #[test]
    fn derivation_notes_speak_the_language() {
        let note = "5 working day(s) counted from Mon 2026-03-23, 3 day(s) off skipped: planned Wed 2026-04-01";
        let ru = derivation_note(Lang::Ru, note).unwrap();
        assert!(
            ru.contains("Пн 23.03.2026") && ru.contains("Ср 01.04.2026"),
            "{ru}"
        );
        let en = derivation_note(Lang::En, note).unwrap();
        assert!(en.contains("Wed 1 April 2026"), "{en}");
        let kk = derivation_note(
            Lang::Kk,
            "1 suspension(s): term lengthened by 2 working day(s)",
        )
        .unwrap();
        assert!(kk.contains("жұмыс күн"), "{kk}");
        assert_eq!(derivation_note(Lang::Kk, "an older sentence"), None);
    }

    #[test]
    fn a_calendar_reason_is_told_in_the_language() {
        let cal = qyzmet_domain::ProductionCalendar::kazakhstan();
        let reason = "calendar: 2026-03-24 is now a day off (Nauryz; Law)";
        let ru = deadline_change_reason(Lang::Ru, reason, &cal);
        assert!(
            ru.contains("Вт 24.03.2026") && ru.contains("выходным"),
            "{ru}"
        );
        assert!(
            ru.contains("Наурыз мейрамы"),
            "the day's Russian name: {ru}"
        );
        let kk = deadline_change_reason(
            Lang::Kk,
            "calendar: the shipped calendar corrects 2024-06-17: its entry is removed, the weekly pattern applies",
            &cal,
        );
        assert!(
            kk.contains("17.06.2024") && kk.contains("жұмыс аптасы"),
            "{kk}"
        );
        assert_eq!(
            deadline_change_reason(Lang::En, "term corrected", &cal),
            "term corrected"
        );
    }

    #[test]
    fn datetime_inputs_are_almaty_time() {
        assert_eq!(
            datetime_from_input("2026-11-30T10:15"),
            "2026-11-30T10:15:00+05:00"
        );
        assert_eq!(datetime_from_input("yesterday"), "yesterday");
        let t: Timestamp = "2026-11-30T05:15:00Z".parse().unwrap();
        assert_eq!(datetime_input(t), "2026-11-30T10:15");
    }

    #[test]
    fn time_left_counts_days_then_hours() {
        let now: Timestamp = "2026-11-30T05:00:00Z".parse().unwrap();
        let in3d: Timestamp = "2026-12-03T06:00:00Z".parse().unwrap();
        let ago2h: Timestamp = "2026-11-30T03:00:00Z".parse().unwrap();
        assert!(time_left(Lang::En, in3d, now).contains('3'));
        let overdue = time_left(Lang::En, ago2h, now);
        assert!(
            overdue.contains('2') && overdue.contains("overdue"),
            "{overdue}"
        );
    }
}

/// A local link with its query, `base?k=v&…`, each pair encoded.
pub fn link(base: &str, pairs: &[(&str, &str)]) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    format!("{base}?{}", q.finish())
}
