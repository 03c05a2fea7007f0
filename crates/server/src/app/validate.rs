//! Turning request strings into validated domain values, each failure naming its field: the
//! edge every input passes, from the API, the workstation's forms and the command line alike.
//! Text goes through the domain's [`Line`] and [`Text`], moments and dates through
//! [`qyzmet_domain::moment`] (issue 15).

use super::error::AppError;
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::ids::{Bin, Iin, OrgCode, ServiceCode, TaxId};
use qyzmet_domain::moment::{self, MomentError};
use qyzmet_domain::text::{code_point, Line, Text, TextError};
use qyzmet_domain::zone;
use qyzmet_domain::{Term, TermUnit, WorkingHours};
use std::str::FromStr;

pub use qyzmet_domain::moment::FUTURE_TOLERANCE_SECS;

pub fn org_code(field: &str, s: &str) -> Result<OrgCode, AppError> {
    OrgCode::parse(s.trim()).map_err(|_| AppError::invalid(field, "code_invalid"))
}

pub fn service_code(field: &str, s: &str) -> Result<ServiceCode, AppError> {
    ServiceCode::parse(s.trim()).map_err(|_| AppError::invalid(field, "code_invalid"))
}

/// A refused text as the field's error: the code, the bound, and the offending character's
/// position and code point (never the value: it may be personal data).
pub fn text_error(field: &str, e: &TextError) -> AppError {
    let err = AppError::invalid(field, e.code());
    match (e, e.offending()) {
        (TextError::TooLong { max }, _) => err.arg("max", max),
        (_, Some((position, c))) => err
            .arg("position", position)
            .arg("code_point", code_point(c)),
        _ => err,
    }
}

/// A refused moment or date as the field's error, with what the rule allows.
pub fn moment_error(field: &str, e: &MomentError) -> AppError {
    let err = AppError::invalid(field, e.code());
    match e {
        MomentError::Offset { offset } => err.arg("offset", offset),
        MomentError::OutOfRange { min, max } => err.arg("min", min).arg("max", max),
        MomentError::BeforeCalendar { first } => err.arg("first", first),
        _ => err,
    }
}

/// The moment something happened (an acceptance, a stage, an answer, an outage's bounds):
/// RFC 3339 with a real offset, not before the production calendar, not later than now plus
/// the tolerance.
pub fn past_instant(field: &str, s: &str, now: Timestamp) -> Result<Timestamp, AppError> {
    moment::occurred(s, now).map_err(|e| moment_error(field, &e))
}

/// An instant of a query (a filter's bound): RFC 3339 with a real offset, in the supported
/// years.
pub fn instant(field: &str, s: &str) -> Result<Timestamp, AppError> {
    moment::instant(s).map_err(|e| moment_error(field, &e))
}

/// An instant the production calendar can judge (the deadline calculator's acceptance).
pub fn calendar_instant(field: &str, s: &str) -> Result<Timestamp, AppError> {
    moment::within_calendar(s).map_err(|e| moment_error(field, &e))
}

/// A date `YYYY-MM-DD` in the supported years.
pub fn date(field: &str, s: &str) -> Result<Date, AppError> {
    moment::date(s).map_err(|e| moment_error(field, &e))
}

/// A year in the supported years (2000–2999).
pub fn year(field: &str, y: i64) -> Result<i16, AppError> {
    i16::try_from(y)
        .ok()
        .filter(|y| moment::SUPPORTED_YEARS.contains(y))
        .ok_or_else(|| AppError::invalid(field, "year_invalid"))
}

/// A required single line of text (a name, a label, a legal source, an id): see [`Line`].
pub fn text(field: &str, s: &str, max: usize) -> Result<String, AppError> {
    Line::new(s, max)
        .map(Line::into_string)
        .map_err(|e| text_error(field, &e))
}

/// An optional single line: blank counts as absent.
pub fn opt_text(field: &str, s: Option<&str>, max: usize) -> Result<Option<String>, AppError> {
    match s {
        Some(t) if !t.trim().is_empty() => text(field, t, max).map(Some),
        _ => Ok(None),
    }
}

/// A required text that may span lines (a reason, a description): see [`Text`].
pub fn long_text(field: &str, s: &str, max: usize) -> Result<String, AppError> {
    Text::new(s, max)
        .map(Text::into_string)
        .map_err(|e| text_error(field, &e))
}

/// An optional text that may span lines: blank counts as absent.
pub fn opt_long_text(field: &str, s: Option<&str>, max: usize) -> Result<Option<String>, AppError> {
    match s {
        Some(t) if !t.trim().is_empty() => long_text(field, t, max).map(Some),
        _ => Ok(None),
    }
}

/// One of a closed set of names.
pub fn one_of<T: FromStr>(field: &str, s: &str, allowed: &[&str]) -> Result<T, AppError> {
    s.trim()
        .parse()
        .map_err(|_| AppError::invalid(field, "enum_invalid").arg("allowed", allowed.join(", ")))
}

pub fn unit(field: &str, s: &str) -> Result<TermUnit, AppError> {
    s.parse()
        .map_err(|_| AppError::invalid(field, "unit_invalid"))
}

/// Upper bound of a term amount per unit (a year, in the unit).
pub fn max_amount(unit: TermUnit) -> u32 {
    match unit {
        TermUnit::Minutes => 525_600,
        TermUnit::Hours => 8_760,
        TermUnit::WorkingDays | TermUnit::CalendarDays => 366,
    }
}

pub fn term(field: &str, amount: i64, unit_name: &str) -> Result<Term, AppError> {
    let unit = unit(&format!("{field}.unit"), unit_name)?;
    let max = max_amount(unit);
    match u32::try_from(amount) {
        Ok(a) if a >= 1 && a <= max => Ok(Term::new(a, unit)),
        _ => Err(AppError::invalid(format!("{field}.amount"), "amount_invalid").arg("max", max)),
    }
}

pub fn working_hours(field: &str, s: &str) -> Result<WorkingHours, AppError> {
    s.parse()
        .map_err(|_| AppError::invalid(field, "working_hours_invalid"))
}

fn id_error(field: &str, e: qyzmet_domain::ids::IdError) -> AppError {
    AppError::invalid(field, &format!("id_{}", e.code()))
}

pub fn iin(field: &str, s: &str) -> Result<Iin, AppError> {
    Iin::parse(s.trim()).map_err(|e| id_error(field, e))
}

pub fn bin(field: &str, s: &str) -> Result<Bin, AppError> {
    Bin::parse(s.trim()).map_err(|e| id_error(field, e))
}

/// Exactly one of `iin` and `bin`.
pub fn tax_id(prefix: &str, iin_s: Option<&str>, bin_s: Option<&str>) -> Result<TaxId, AppError> {
    match (iin_s, bin_s) {
        (Some(i), None) => iin(&format!("{prefix}.iin"), i).map(TaxId::Iin),
        (None, Some(b)) => bin(&format!("{prefix}.bin"), b).map(TaxId::Bin),
        (None, None) => Err(AppError::invalid(
            format!("{prefix}.iin"),
            "iin_or_bin_required",
        )),
        (Some(_), Some(_)) => Err(AppError::invalid(format!("{prefix}.bin"), "iin_and_bin")),
    }
}

/// An instant as RFC 3339 in Asia/Almaty, e.g. `2026-03-20T10:00:00+05:00`.
pub fn local(t: Timestamp) -> String {
    t.to_zoned(zone::almaty().clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

pub fn opt_local(t: Option<Timestamp>) -> Option<String> {
    t.map(local)
}

/// Page size: default 50, at most 500.
pub fn limit(field: &str, v: Option<i64>) -> Result<i64, AppError> {
    match v {
        None => Ok(50),
        Some(n) if (1..=500).contains(&n) => Ok(n),
        Some(_) => Err(AppError::invalid(field, "limit_invalid").arg("max", 500)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_renders_almaty_offset() {
        let t: Timestamp = "2026-03-20T05:00:00Z".parse().unwrap();
        assert_eq!(local(t), "2026-03-20T10:00:00+05:00");
    }

    #[test]
    fn tax_id_needs_exactly_one() {
        assert_eq!(
            tax_id("applicant", None, None)
                .unwrap_err()
                .field
                .as_deref(),
            Some("applicant.iin")
        );
        assert!(tax_id("applicant", Some("900101300017"), None).is_ok());
        let e = tax_id("applicant", Some("900101300016"), None).unwrap_err();
        assert_eq!(e.code, "id_checksum");
    }

    #[test]
    fn text_errors_name_the_character_not_the_value() {
        let e = text("applicant.last_name", "Ахметов\u{202E}", 200).unwrap_err();
        assert_eq!(e.code, "text_bidi_control");
        assert_eq!(e.field.as_deref(), Some("applicant.last_name"));
        let args: Vec<String> = e.args.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            args,
            [
                "field=applicant.last_name",
                "position=8",
                "code_point=U+202E"
            ]
        );
        assert_eq!(opt_text("x", Some(" \u{A0} "), 10).unwrap(), None);
        assert_eq!(
            opt_text("x", Some("\u{200B}"), 10).unwrap_err().code,
            "text_invisible"
        );
        assert_eq!(
            long_text("reason", "a\r\nb", 10).unwrap(),
            "a\r\nb".to_string()
        );
        assert_eq!(
            text("name", "a\nb", 10).unwrap_err().code,
            "text_control_character"
        );
    }

    #[test]
    fn future_instants_are_refused() {
        let now: Timestamp = "2026-03-20T05:00:00Z".parse().unwrap();
        assert!(past_instant("t", "2026-03-20T10:04:00+05:00", now).is_ok());
        assert_eq!(
            past_instant("t", "2026-03-20T10:06:00+05:00", now)
                .unwrap_err()
                .code,
            "in_future"
        );
        assert_eq!(
            past_instant("t", "yesterday", now).unwrap_err().code,
            "timestamp_invalid"
        );
    }
}
