//! Storage of results not collected (001 §20, decision Q2). A result the applicant did not
//! come for is kept at the office and then returned to the provider as unclaimed — after one
//! month, or after a year for passports and identity cards; documents for assigning payments
//! (pensions, benefits, one-time payments, child benefits, targeted social assistance) are never
//! returned, and after a year they are flagged for review. The clock starts when the result
//! reached the issuing office or on the receipt's issue date, whichever is later (Q2). A term
//! that ends on a day off ends on the next working day of the production calendar. Pure: the
//! store keeps the packages, a daily job asks what is due.

use crate::calendar::ProductionCalendar;
use jiff::civil::Date;
use jiff::{Span, ToSpan};
use serde::{Deserialize, Serialize};

/// How long an uncollected result is kept, per service (data, with its legal source).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StorageClass {
    /// Returned to the provider after one month (001 §20, the rule).
    ReturnAfterMonth,
    /// Passports and identity cards: kept one year, then returned.
    KeepYear,
    /// Documents for assigning payments: never returned; reviewed after a year (Q2).
    NoReturn,
}

impl StorageClass {
    pub const ALL: [StorageClass; 3] = [
        StorageClass::ReturnAfterMonth,
        StorageClass::KeepYear,
        StorageClass::NoReturn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StorageClass::ReturnAfterMonth => "return_after_month",
            StorageClass::KeepYear => "keep_year",
            StorageClass::NoReturn => "no_return",
        }
    }

    pub fn parse(s: &str) -> Option<StorageClass> {
        StorageClass::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// How long it is kept before its due day.
    pub fn term(self) -> Span {
        match self {
            StorageClass::ReturnAfterMonth => 1.month(),
            StorageClass::KeepYear | StorageClass::NoReturn => 1.year(),
        }
    }
}

/// What is due on a day: the return to the provider, or (never returned) a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "on", rename_all = "snake_case")]
pub enum Due {
    Return(Date),
    Review(Date),
}

impl Due {
    pub fn date(self) -> Date {
        match self {
            Due::Return(d) | Due::Review(d) => d,
        }
    }
}

/// The day storage starts: the later of the day the result reached the issuing office and the
/// receipt's issue date (Q2).
pub fn start(reached_office: Date, issue_date: Date) -> Date {
    reached_office.max(issue_date)
}

/// When the result kept from `start` is due, under `class`: the term's last day, moved to the
/// next working day when the calendar has it off.
pub fn due(class: StorageClass, start: Date, calendar: &ProductionCalendar) -> Due {
    // A month after the 31st is the month's last day (jiff clamps), never a day beyond.
    let end = start.checked_add(class.term()).unwrap_or(Date::MAX);
    let day = calendar.working_day_on_or_after(end);
    match class {
        StorageClass::NoReturn => Due::Review(day),
        _ => Due::Return(day),
    }
}

/// The days the applicant is reminded to collect a result due on `due`: a week and a day
/// before, those still after `today`.
pub fn reminders(due: Date, today: Date) -> Vec<Date> {
    [7, 1]
        .into_iter()
        .filter_map(|n| due.checked_sub(n.days()).ok())
        .filter(|d| *d > today)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_month_from_the_later_of_arrival_and_the_issue_date() {
        let cal = ProductionCalendar::kazakhstan();
        // The receipt said 2 March; the result came on 4 March: the clock starts on the 4th.
        let s = start(date(2026, 3, 4), date(2026, 3, 2));
        assert_eq!(s, date(2026, 3, 4));
        assert_eq!(
            due(StorageClass::ReturnAfterMonth, s, &cal),
            Due::Return(date(2026, 4, 6)),
            "4 April 2026 is a Saturday: the next working day"
        );
    }

    #[test]
    fn a_term_ending_on_holidays_ends_on_the_next_working_day() {
        let cal = ProductionCalendar::kazakhstan();
        // 1 December + 1 month = 1 January 2027, a holiday (and 2 January, a Saturday).
        let d = due(StorageClass::ReturnAfterMonth, date(2026, 12, 1), &cal).date();
        assert!(d > date(2027, 1, 1), "{d}");
        assert!(cal.is_working_day(d), "{d}");
        // A month after 31 January is the last day of February, not March.
        let d = due(StorageClass::ReturnAfterMonth, date(2028, 1, 31), &cal).date();
        assert_eq!(d.month(), 2, "{d}");
    }

    #[test]
    fn identity_documents_a_year_and_payment_documents_are_only_reviewed() {
        let cal = ProductionCalendar::kazakhstan();
        let s = date(2026, 6, 10);
        assert_eq!(
            due(StorageClass::KeepYear, s, &cal),
            Due::Return(date(2027, 6, 10))
        );
        assert_eq!(
            due(StorageClass::NoReturn, s, &cal),
            Due::Review(date(2027, 6, 10))
        );
    }

    #[test]
    fn reminders_a_week_and_a_day_before_while_ahead() {
        let due = date(2026, 4, 6);
        assert_eq!(
            reminders(due, date(2026, 3, 4)),
            [date(2026, 3, 30), date(2026, 4, 5)]
        );
        assert_eq!(reminders(due, date(2026, 4, 1)), [date(2026, 4, 5)]);
        assert!(reminders(due, date(2026, 4, 5)).is_empty());
    }

    #[test]
    fn classes_read_back() {
        for c in StorageClass::ALL {
            assert_eq!(StorageClass::parse(c.as_str()), Some(c));
        }
        assert_eq!(StorageClass::parse("forever"), None);
    }
}
