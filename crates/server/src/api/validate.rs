//! Turning request strings into validated domain values, each failure naming its field.

use crate::error::ApiError;
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::ids::{Bin, Iin, OrgCode, ServiceCode, TaxId};
use qyzmet_domain::zone;
use qyzmet_domain::{Term, TermUnit, WorkingHours};
use std::str::FromStr;

/// How far in the future a reported moment may be (clock skew between systems).
pub const FUTURE_TOLERANCE_SECS: i64 = 300;

pub fn org_code(field: &str, s: &str) -> Result<OrgCode, ApiError> {
    OrgCode::parse(s.trim()).map_err(|_| ApiError::invalid(field, "code_invalid"))
}

pub fn service_code(field: &str, s: &str) -> Result<ServiceCode, ApiError> {
    ServiceCode::parse(s.trim()).map_err(|_| ApiError::invalid(field, "code_invalid"))
}

/// An RFC 3339 instant with an offset; not later than now plus the tolerance.
pub fn past_instant(field: &str, s: &str, now: Timestamp) -> Result<Timestamp, ApiError> {
    let t = instant(field, s)?;
    if t.as_second() > now.as_second() + FUTURE_TOLERANCE_SECS {
        return Err(ApiError::invalid(field, "in_future"));
    }
    Ok(t)
}

pub fn instant(field: &str, s: &str) -> Result<Timestamp, ApiError> {
    Timestamp::from_str(s.trim()).map_err(|_| ApiError::invalid(field, "timestamp_invalid"))
}

pub fn date(field: &str, s: &str) -> Result<Date, ApiError> {
    Date::from_str(s.trim()).map_err(|_| ApiError::invalid(field, "date_invalid"))
}

/// A required free text: trimmed, non-empty, at most `max` characters.
pub fn text(field: &str, s: &str, max: usize) -> Result<String, ApiError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(ApiError::invalid(field, "empty"));
    }
    if t.chars().count() > max {
        return Err(ApiError::invalid(field, "too_long").arg("max", max));
    }
    Ok(t.to_string())
}

/// An optional free text: blank counts as absent.
pub fn opt_text(field: &str, s: Option<&str>, max: usize) -> Result<Option<String>, ApiError> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => text(field, t, max).map(Some),
    }
}

/// One of a closed set of names.
pub fn one_of<T: FromStr>(field: &str, s: &str, allowed: &[&str]) -> Result<T, ApiError> {
    s.trim()
        .parse()
        .map_err(|_| ApiError::invalid(field, "enum_invalid").arg("allowed", allowed.join(", ")))
}

pub fn unit(field: &str, s: &str) -> Result<TermUnit, ApiError> {
    s.parse()
        .map_err(|_| ApiError::invalid(field, "unit_invalid"))
}

/// Upper bound of a term amount per unit (a year, in the unit).
pub fn max_amount(unit: TermUnit) -> u32 {
    match unit {
        TermUnit::Minutes => 525_600,
        TermUnit::Hours => 8_760,
        TermUnit::WorkingDays | TermUnit::CalendarDays => 366,
    }
}

pub fn term(field: &str, amount: i64, unit_name: &str) -> Result<Term, ApiError> {
    let unit = unit(&format!("{field}.unit"), unit_name)?;
    let max = max_amount(unit);
    match u32::try_from(amount) {
        Ok(a) if a >= 1 && a <= max => Ok(Term::new(a, unit)),
        _ => Err(ApiError::invalid(format!("{field}.amount"), "amount_invalid").arg("max", max)),
    }
}

pub fn working_hours(field: &str, s: &str) -> Result<WorkingHours, ApiError> {
    s.parse()
        .map_err(|_| ApiError::invalid(field, "working_hours_invalid"))
}

fn id_error(field: &str, e: qyzmet_domain::ids::IdError) -> ApiError {
    ApiError::invalid(field, &format!("id_{}", e.code()))
}

pub fn iin(field: &str, s: &str) -> Result<Iin, ApiError> {
    Iin::parse(s.trim()).map_err(|e| id_error(field, e))
}

pub fn bin(field: &str, s: &str) -> Result<Bin, ApiError> {
    Bin::parse(s.trim()).map_err(|e| id_error(field, e))
}

/// Exactly one of `iin` and `bin`.
pub fn tax_id(prefix: &str, iin_s: Option<&str>, bin_s: Option<&str>) -> Result<TaxId, ApiError> {
    match (iin_s, bin_s) {
        (Some(i), None) => iin(&format!("{prefix}.iin"), i).map(TaxId::Iin),
        (None, Some(b)) => bin(&format!("{prefix}.bin"), b).map(TaxId::Bin),
        (None, None) => Err(ApiError::invalid(
            format!("{prefix}.iin"),
            "iin_or_bin_required",
        )),
        (Some(_), Some(_)) => Err(ApiError::invalid(format!("{prefix}.bin"), "iin_and_bin")),
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
pub fn limit(field: &str, v: Option<i64>) -> Result<i64, ApiError> {
    match v {
        None => Ok(50),
        Some(n) if (1..=500).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::invalid(field, "limit_invalid").arg("max", 500)),
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
