//! Moments and dates as they arrive (issue 15): RFC 3339 instants whose UTC offset is one a
//! place on Earth uses, dates within the years qyzmet supports, and moments of what happened
//! (an acceptance, a stage, an answer, an outage) within the production calendar's years and
//! not in the future. The same rules for the API, the workstation and the command line.
//!
//! - Offsets: RFC 3339 allows hours 00–23 and jiff up to ±25:59:59, but civil time uses
//!   −12:00 to +14:00 only (Baker Island to Kiribati's Line Islands), in whole minutes. An
//!   offset outside that is a typo or a forged value, never a real local time.
//! - Supported years: 2000–2999, the range months and report years already had; it keeps the
//!   deadline arithmetic (terms of up to a year, rollups by month) far from jiff's year ±9999.
//! - Moments of what happened may not precede the first year of the production calendar the
//!   binary ships (2020): before it, no holiday or transferred day is known and a deadline
//!   would be computed as if there were none, so the application would be judged wrongly
//!   (a year-0001 acceptance came out 2,026 years overdue). Nor may they lie more than
//!   [`FUTURE_TOLERANCE_SECS`] ahead (clock skew between systems).

use crate::calendar::ProductionCalendar;
use crate::zone;
use jiff::civil::Date;
use jiff::fmt::temporal::Pieces;
use jiff::Timestamp;
use std::ops::RangeInclusive;
use std::str::FromStr;
use std::sync::OnceLock;

/// How far in the future a reported moment may be (clock skew between systems).
pub const FUTURE_TOLERANCE_SECS: i64 = 300;

/// The years a date, month or instant of a request may fall in.
pub const SUPPORTED_YEARS: RangeInclusive<i16> = 2000..=2999;

/// The UTC offsets of civil time, in seconds: −12:00 to +14:00.
pub const OFFSETS: RangeInclusive<i32> = -12 * 3600..=14 * 3600;

/// Why a moment or a date was refused. [`MomentError::code`] is the API's error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MomentError {
    #[error("not an RFC 3339 date and time with an offset")]
    InvalidTimestamp,
    #[error("not a date YYYY-MM-DD")]
    InvalidDate,
    /// The offset as written, e.g. `+25:00`.
    #[error("{offset} is not a UTC offset in use (−12:00 to +14:00, whole minutes)")]
    Offset { offset: String },
    #[error("outside the supported dates {min} to {max}")]
    OutOfRange { min: Date, max: Date },
    /// Before the first day the production calendar covers.
    #[error("before {first}, the first day of the production calendar")]
    BeforeCalendar { first: Date },
    #[error("in the future")]
    InFuture,
}

impl MomentError {
    /// `timestamp_invalid`, `date_invalid`, `offset_invalid`, `date_out_of_range`,
    /// `before_calendar` or `in_future`.
    pub fn code(&self) -> &'static str {
        match self {
            MomentError::InvalidTimestamp => "timestamp_invalid",
            MomentError::InvalidDate => "date_invalid",
            MomentError::Offset { .. } => "offset_invalid",
            MomentError::OutOfRange { .. } => "date_out_of_range",
            MomentError::BeforeCalendar { .. } => "before_calendar",
            MomentError::InFuture => "in_future",
        }
    }
}

/// The first and last day of the supported years.
pub fn supported_dates() -> (Date, Date) {
    (
        Date::new(*SUPPORTED_YEARS.start(), 1, 1).expect("a valid date"),
        Date::new(*SUPPORTED_YEARS.end(), 12, 31).expect("a valid date"),
    )
}

/// The first day of the production calendar the binary ships: 1 January of its first year.
pub fn first_calendar_day() -> Date {
    static FIRST: OnceLock<Date> = OnceLock::new();
    *FIRST.get_or_init(|| {
        let year = ProductionCalendar::kazakhstan()
            .entries()
            .next()
            .map_or(*SUPPORTED_YEARS.start(), |e| e.date.year());
        Date::new(year, 1, 1).expect("a valid date")
    })
}

fn in_supported_years(d: Date) -> Result<(), MomentError> {
    let (min, max) = supported_dates();
    if d < min || d > max {
        return Err(MomentError::OutOfRange { min, max });
    }
    Ok(())
}

/// An RFC 3339 instant with an offset of civil time; its date (in Almaty) may be any.
fn parse(s: &str) -> Result<Timestamp, MomentError> {
    let s = s.trim();
    let t = Timestamp::from_str(s).map_err(|_| MomentError::InvalidTimestamp)?;
    let offset = Pieces::parse(s)
        .ok()
        .and_then(|p| p.to_numeric_offset())
        .map_or(0, |o| o.seconds());
    if !OFFSETS.contains(&offset) || offset % 60 != 0 {
        return Err(MomentError::Offset {
            offset: offset_text(offset),
        });
    }
    Ok(t)
}

/// `+05:00`, `-12:30`, `+05:00:30`.
fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{sec:02}")
    }
}

/// An instant of a request (a filter's bound, an outage's end): RFC 3339 with a real
/// offset, within the supported years.
pub fn instant(s: &str) -> Result<Timestamp, MomentError> {
    let t = parse(s)?;
    in_supported_years(zone::local_date(t))?;
    Ok(t)
}

/// An instant the production calendar can judge (the deadline calculator's acceptance): as
/// [`instant`], and not before the calendar's first day.
pub fn within_calendar(s: &str) -> Result<Timestamp, MomentError> {
    let t = parse(s)?;
    let first = first_calendar_day();
    if zone::local_date(t) < first {
        return Err(MomentError::BeforeCalendar { first });
    }
    in_supported_years(zone::local_date(t))?;
    Ok(t)
}

/// The moment something happened, reported at `now`: as [`within_calendar`], and not later
/// than `now` plus the tolerance.
pub fn occurred(s: &str, now: Timestamp) -> Result<Timestamp, MomentError> {
    let t = parse(s)?;
    let first = first_calendar_day();
    if zone::local_date(t) < first {
        return Err(MomentError::BeforeCalendar { first });
    }
    if t.as_second() > now.as_second().saturating_add(FUTURE_TOLERANCE_SECS) {
        return Err(MomentError::InFuture);
    }
    Ok(t)
}

/// A date `YYYY-MM-DD` within the supported years.
pub fn date(s: &str) -> Result<Date, MomentError> {
    let d = Date::from_str(s.trim()).map_err(|_| MomentError::InvalidDate)?;
    in_supported_years(d)?;
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-12-06T05:00:00Z".parse().unwrap()
    }

    #[test]
    fn offsets_of_civil_time_are_taken() {
        for s in [
            "2026-11-20T10:00:00+05:00",
            "2026-11-20T10:00:00Z",
            "2026-11-20T10:00:00z",
            "2026-11-20T10:00:00-00:00",
            "2026-11-20T10:00:00+14:00",
            "2026-11-20T10:00:00-12:00",
            "2026-11-20T10:00:00+05:45",
            "2026-11-20T10:00:00.123456+05:00",
        ] {
            assert!(occurred(s, now()).is_ok(), "{s}");
        }
    }

    #[test]
    fn impossible_offsets_are_refused_as_written() {
        for (s, offset) in [
            ("2026-11-20T10:00:00+25:00", "+25:00"),
            ("2026-11-20T10:00:00+24:00", "+24:00"),
            ("2026-11-20T10:00:00+14:30", "+14:30"),
            ("2026-11-20T10:00:00-12:30", "-12:30"),
            ("2026-11-20T10:00:00+05:00:30", "+05:00:30"),
        ] {
            assert_eq!(
                occurred(s, now()),
                Err(MomentError::Offset {
                    offset: offset.into()
                }),
                "{s}"
            );
            assert_eq!(instant(s).unwrap_err().code(), "offset_invalid");
        }
    }

    #[test]
    fn moments_before_the_calendar_or_in_the_future_are_refused() {
        let first = first_calendar_day();
        assert_eq!(first, Date::new(2020, 1, 1).unwrap());
        for s in ["0001-11-20T10:00:00+05:00", "2019-12-31T12:00:00+05:00"] {
            assert_eq!(
                occurred(s, now()),
                Err(MomentError::BeforeCalendar { first })
            );
            assert_eq!(
                within_calendar(s),
                Err(MomentError::BeforeCalendar { first })
            );
        }
        // The calendar's first local day (Almaty was UTC+6 then).
        assert!(occurred("2020-01-01T00:00:00+06:00", now()).is_ok());
        assert!(occurred("2026-12-06T10:04:59+05:00", now()).is_ok());
        assert_eq!(
            occurred("2026-12-06T10:05:01+05:00", now()),
            Err(MomentError::InFuture)
        );
        assert_eq!(
            occurred("9999-11-20T10:00:00+05:00", now()),
            Err(MomentError::InFuture)
        );
        assert_eq!(
            occurred("yesterday", now()),
            Err(MomentError::InvalidTimestamp)
        );
        assert_eq!(
            occurred("2026-11-20T10:00:00\u{0}+05:00", now()),
            Err(MomentError::InvalidTimestamp)
        );
        assert!(within_calendar("2030-01-01T10:00:00+05:00").is_ok());
    }

    #[test]
    fn instants_and_dates_keep_to_the_supported_years() {
        let (min, max) = supported_dates();
        let out = Err(MomentError::OutOfRange { min, max });
        assert_eq!(instant("0001-01-01T00:00:00Z"), out);
        assert_eq!(instant("3000-01-01T00:00:00+05:00"), out);
        assert!(instant("2000-01-01T00:00:00Z").is_ok());
        assert!(instant("2999-12-31T12:00:00+05:00").is_ok());
        assert_eq!(date("0001-01-01"), out.map(|_: Timestamp| min));
        assert_eq!(date("9999-12-31").unwrap_err().code(), "date_out_of_range");
        assert_eq!(date("2026-02-30"), Err(MomentError::InvalidDate));
        assert_eq!(date(" 2026-02-28 "), Ok(Date::new(2026, 2, 28).unwrap()));
    }
}
