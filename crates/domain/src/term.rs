//! The regulated term of a service (MISSION "Deadline rules", rule 1): an amount and a unit.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The unit of a service term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermUnit {
    Minutes,
    Hours,
    WorkingDays,
    CalendarDays,
}

impl TermUnit {
    pub const ALL: [TermUnit; 4] = [
        TermUnit::Minutes,
        TermUnit::Hours,
        TermUnit::WorkingDays,
        TermUnit::CalendarDays,
    ];

    /// The canonical snake_case name, as stored and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            TermUnit::Minutes => "minutes",
            TermUnit::Hours => "hours",
            TermUnit::WorkingDays => "working_days",
            TermUnit::CalendarDays => "calendar_days",
        }
    }

    /// Whether the term counts whole days (rules 4–6, 8) rather than elapsed time (rule 7).
    pub fn is_day_unit(self) -> bool {
        matches!(self, TermUnit::WorkingDays | TermUnit::CalendarDays)
    }
}

impl fmt::Display for TermUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for an unknown unit name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown term unit {0:?}: expected minutes, hours, working_days or calendar_days")]
pub struct UnknownTermUnit(pub String);

impl FromStr for TermUnit {
    type Err = UnknownTermUnit;

    /// Accepts the snake_case names and the CLI's kebab-case spelling (`working-days`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "minutes" => Ok(TermUnit::Minutes),
            "hours" => Ok(TermUnit::Hours),
            "working_days" => Ok(TermUnit::WorkingDays),
            "calendar_days" => Ok(TermUnit::CalendarDays),
            _ => Err(UnknownTermUnit(s.to_string())),
        }
    }
}

/// A term: `amount` units. An amount of zero is not a term and is rejected where terms are
/// defined (service registry, API); the arithmetic itself tolerates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Term {
    pub amount: u32,
    pub unit: TermUnit,
}

impl Term {
    pub fn new(amount: u32, unit: TermUnit) -> Self {
        Term { amount, unit }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_parses_both_spellings() {
        assert_eq!(
            "working-days".parse::<TermUnit>(),
            Ok(TermUnit::WorkingDays)
        );
        assert_eq!(
            "calendar_days".parse::<TermUnit>(),
            Ok(TermUnit::CalendarDays)
        );
        assert!("fortnights".parse::<TermUnit>().is_err());
        for u in TermUnit::ALL {
            assert_eq!(u.as_str().parse::<TermUnit>(), Ok(u));
        }
    }
}
