//! The one time zone of the domain: Asia/Almaty (UTC+5 country-wide since 2024-03-01).
//! Instants are stored as UTC; every local date of the rules is a date in this zone.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use std::sync::OnceLock;

/// The IANA name of the domain's time zone.
pub const ZONE_NAME: &str = "Asia/Almaty";

/// Asia/Almaty, from the time zone database bundled into the binary (so a host without
/// tzdata, or with an outdated one, still gets the 2024 change right).
pub fn almaty() -> &'static TimeZone {
    static TZ: OnceLock<TimeZone> = OnceLock::new();
    TZ.get_or_init(|| TimeZone::get(ZONE_NAME).expect("Asia/Almaty is in the bundled tzdb"))
}

/// The local date of an instant in Asia/Almaty.
pub fn local_date(at: Timestamp) -> Date {
    at.to_zoned(almaty().clone()).date()
}
