//! A provider's working hours, half-open [start, end) (MISSION "Deadline rules", rule 3):
//! parsing from and printing to `"09:00-18:00"`, and the membership test used to decide the
//! effective acceptance moment.

use jiff::civil::Time;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Daily working hours of a provider, half-open: `start` is inside, `end` is not
/// (MISSION rule 3: a receipt at the end time exactly is after hours).
///
/// Serialized as the string `"HH:MM-HH:MM"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkingHours {
    pub start: Time,
    pub end: Time,
}

/// Why a working-hours string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkingHoursError {
    /// Not of the form `HH:MM-HH:MM`.
    #[error("working hours {0:?} are not of the form HH:MM-HH:MM, e.g. 09:00-18:00")]
    Format(String),
    /// A time that is not a valid `HH:MM` (hour 00–23, minute 00–59).
    #[error("{0:?} is not a valid time HH:MM (hours 00-23, minutes 00-59)")]
    Time(String),
    /// The start is not strictly before the end.
    #[error("working hours must start before they end, got {start}-{end}")]
    Order { start: String, end: String },
}

impl WorkingHours {
    /// Builds working hours, checking `start < end`.
    pub fn new(start: Time, end: Time) -> Result<Self, WorkingHoursError> {
        if start < end {
            Ok(WorkingHours { start, end })
        } else {
            Err(WorkingHoursError::Order {
                start: hh_mm(start),
                end: hh_mm(end),
            })
        }
    }

    /// Whether `t` is within the hours: `start <= t < end` (MISSION rule 3, half-open).
    pub fn contains(&self, t: Time) -> bool {
        self.start <= t && t < self.end
    }
}

impl Default for WorkingHours {
    /// 09:00–18:00, the State Corporation's acceptance hours (001 §3).
    fn default() -> Self {
        WorkingHours {
            start: Time::constant(9, 0, 0, 0),
            end: Time::constant(18, 0, 0, 0),
        }
    }
}

fn hh_mm(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// Parses exactly two ASCII digits, a colon and two ASCII digits.
fn parse_hh_mm(s: &str) -> Result<Time, WorkingHoursError> {
    let bad = || WorkingHoursError::Time(s.to_string());
    let b = s.as_bytes();
    if b.len() != 5 || b[2] != b':' {
        return Err(bad());
    }
    let two = |i: usize| -> Option<i8> {
        let (h, l) = (b[i], b[i + 1]);
        (h.is_ascii_digit() && l.is_ascii_digit()).then(|| ((h - b'0') * 10 + (l - b'0')) as i8)
    };
    let (hour, minute) = (two(0).ok_or_else(bad)?, two(3).ok_or_else(bad)?);
    Time::new(hour, minute, 0, 0).map_err(|_| bad())
}

impl FromStr for WorkingHours {
    type Err = WorkingHoursError;

    /// Parses `"09:00-18:30"`; surrounding whitespace (also around the dash) is ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (start, end) = s
            .trim()
            .split_once('-')
            .ok_or_else(|| WorkingHoursError::Format(s.to_string()))?;
        WorkingHours::new(parse_hh_mm(start.trim())?, parse_hh_mm(end.trim())?)
    }
}

impl fmt::Display for WorkingHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start.hour(),
            self.start.minute(),
            self.end.hour(),
            self.end.minute()
        )
    }
}

impl Serialize for WorkingHours {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for WorkingHours {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: i8, m: i8) -> Time {
        Time::constant(h, m, 0, 0)
    }

    #[test]
    fn parses_and_prints_round_trip() {
        let wh: WorkingHours = "09:00-18:30".parse().unwrap();
        assert_eq!(wh.start, t(9, 0));
        assert_eq!(wh.end, t(18, 30));
        assert_eq!(wh.to_string(), "09:00-18:30");
        assert_eq!(
            " 08:15 - 17:45 "
                .parse::<WorkingHours>()
                .unwrap()
                .to_string(),
            "08:15-17:45"
        );
    }

    #[test]
    fn default_is_state_corp_hours_001_s3() {
        assert_eq!(WorkingHours::default().to_string(), "09:00-18:00");
    }

    #[test]
    fn rejects_malformed_input() {
        for bad in [
            "",
            "09:00",
            "9:00-18:00",
            "09:00-18:0",
            "09-18",
            "0a:00-18:00",
            "09:00_18:00",
        ] {
            assert!(
                bad.parse::<WorkingHours>().is_err(),
                "{bad:?} should be rejected"
            );
        }
        assert!(matches!(
            "24:00-25:00".parse::<WorkingHours>(),
            Err(WorkingHoursError::Time(_))
        ));
        assert!(matches!(
            "09:60-18:00".parse::<WorkingHours>(),
            Err(WorkingHoursError::Time(_))
        ));
    }

    #[test]
    fn rejects_start_not_before_end() {
        assert!(matches!(
            "18:00-09:00".parse::<WorkingHours>(),
            Err(WorkingHoursError::Order { .. })
        ));
        assert!(matches!(
            "09:00-09:00".parse::<WorkingHours>(),
            Err(WorkingHoursError::Order { .. })
        ));
    }

    #[test]
    fn contains_is_half_open_rule_3() {
        let wh = WorkingHours::default();
        assert!(!wh.contains(Time::constant(8, 59, 59, 999_999_999)));
        assert!(wh.contains(t(9, 0)));
        assert!(wh.contains(Time::constant(17, 59, 59, 999_999_999)));
        assert!(
            !wh.contains(t(18, 0)),
            "MISSION rule 3: the end time itself is after hours"
        );
    }

    #[test]
    fn serde_as_string() {
        let wh: WorkingHours = "09:30-18:00".parse().unwrap();
        let json = serde_json::to_string(&wh).unwrap();
        assert_eq!(json, "\"09:30-18:00\"");
        assert_eq!(serde_json::from_str::<WorkingHours>(&json).unwrap(), wh);
        assert!(serde_json::from_str::<WorkingHours>("\"18:00-09:00\"").is_err());
    }
}
