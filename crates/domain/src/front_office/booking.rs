//! A booked visit (001 §12: "book a visit"): when the visitor may check in and turn it into a
//! queue ticket, when they are reminded of it, and the words of the confirmation and the
//! reminder in their language. Pure; the store keeps bookings, the outbox carries the
//! messages.

use crate::contact::Language;
use crate::passport::render;
use jiff::{SignedDuration, Timestamp};

/// How long before the slot's start a visitor may check in at the kiosk.
pub const CHECK_IN_EARLY: SignedDuration = SignedDuration::from_mins(60);
/// The reminder goes this long before the visit, or [`REMINDER_LATE`] before it when the
/// visit was booked later than that.
pub const REMINDER_EARLY: SignedDuration = SignedDuration::from_hours(24);
/// The reminder of a visit booked less than a day ahead.
pub const REMINDER_LATE: SignedDuration = SignedDuration::from_hours(2);
/// The code typed at the kiosk: this many digits.
pub const CODE_DIGITS: usize = 6;

/// Where `now` falls against the check-in window of a slot `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckIn {
    /// Earlier than [`CHECK_IN_EARLY`] before the start: come back later.
    TooEarly,
    /// Within the window: the booking becomes a ticket.
    Open,
    /// The slot is over: the booking is missed; a regular ticket is the way in.
    TooLate,
}

/// Whether a visitor arriving at `now` may check in for the slot `[start, end)`.
pub fn check_in(start: Timestamp, end: Timestamp, now: Timestamp) -> CheckIn {
    if now < start - CHECK_IN_EARLY {
        CheckIn::TooEarly
    } else if now >= end {
        CheckIn::TooLate
    } else {
        CheckIn::Open
    }
}

/// When to remind of a visit at `start` booked at `now`: a day before, else two hours
/// before; none when even that has passed (the confirmation says it all).
pub fn reminder_at(start: Timestamp, now: Timestamp) -> Option<Timestamp> {
    [REMINDER_EARLY, REMINDER_LATE]
        .into_iter()
        .map(|ahead| start - ahead)
        .find(|at| *at > now)
}

/// Whether `code` looks like a check-in code: [`CODE_DIGITS`] ASCII digits.
pub fn is_code(code: &str) -> bool {
    code.len() == CODE_DIGITS && code.bytes().all(|b| b.is_ascii_digit())
}

/// What a booking message names, in the visitor's language.
#[derive(Debug, Clone)]
pub struct Visit<'a> {
    pub office: &'a str,
    pub address: &'a str,
    pub service: &'a str,
    /// The local date and time, as `2026-12-08 10:15`.
    pub when: &'a str,
    /// The check-in code.
    pub code: &'a str,
    /// The booking's page (to cancel or reschedule).
    pub link: &'a str,
}

/// Which message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    Confirmation,
    Reminder,
}

/// The subject and body of each message in each language, with `{placeholders}` for the
/// visit's facts.
fn texts(notice: Notice, language: Language) -> (&'static str, &'static str) {
    match (notice, language) {
        (Notice::Confirmation, Language::Kk) => (
            "Баруды брондау: {when}",
            "Сіз {when} уақытына «{office}» бөліміне ({address}) «{service}» қызметіне \
             жазылдыңыз. Тіркелу коды: {code}. Киоскіде кодты енгізіп, талон алыңыз. Бас тарту \
             немесе ауыстыру: {link}",
        ),
        (Notice::Confirmation, Language::Ru) => (
            "Запись на приём: {when}",
            "Вы записаны на {when} в «{office}» ({address}) по услуге «{service}». Код \
             регистрации: {code}. Введите код в киоске и получите талон. Отменить или \
             перенести: {link}",
        ),
        (Notice::Reminder, Language::Kk) => (
            "Еске салу: {when}",
            "Еске саламыз: {when} уақытында «{office}» бөлімінде ({address}) «{service}» \
             қызметі бойынша қабылдау. Тіркелу коды: {code}. Бара алмасаңыз, бас тартыңыз: {link}",
        ),
        (Notice::Reminder, Language::Ru) => (
            "Напоминание: {when}",
            "Напоминаем: {when} приём в «{office}» ({address}) по услуге «{service}». Код \
             регистрации: {code}. Если не сможете прийти, отмените запись: {link}",
        ),
    }
}

/// The subject and body of a booking message (an SMS carries the body alone).
pub fn compose(notice: Notice, language: Language, v: &Visit) -> (String, String) {
    let values = [
        ("when", v.when),
        ("office", v.office),
        ("address", v.address),
        ("service", v.service),
        ("code", v.code),
        ("link", v.link),
    ];
    let (subject, body) = texts(notice, language);
    (render(subject, &values), render(body, &values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn check_in_opens_an_hour_before_and_closes_at_the_slots_end() {
        let (a, b) = (t("2026-12-08T05:00:00Z"), t("2026-12-08T05:15:00Z"));
        assert_eq!(check_in(a, b, t("2026-12-08T03:59:59Z")), CheckIn::TooEarly);
        assert_eq!(check_in(a, b, t("2026-12-08T04:00:00Z")), CheckIn::Open);
        assert_eq!(check_in(a, b, t("2026-12-08T05:14:59Z")), CheckIn::Open);
        assert_eq!(check_in(a, b, t("2026-12-08T05:15:00Z")), CheckIn::TooLate);
    }

    #[test]
    fn reminded_a_day_before_else_two_hours_before_else_not() {
        let start = t("2026-12-09T05:00:00Z");
        assert_eq!(
            reminder_at(start, t("2026-12-01T00:00:00Z")),
            Some(t("2026-12-08T05:00:00Z"))
        );
        assert_eq!(
            reminder_at(start, t("2026-12-08T12:00:00Z")),
            Some(t("2026-12-09T03:00:00Z"))
        );
        assert_eq!(reminder_at(start, t("2026-12-09T04:00:00Z")), None);
    }

    #[test]
    fn codes_are_six_digits() {
        assert!(is_code("012345"));
        assert!(!is_code("12345"));
        assert!(!is_code("12345a"));
        assert!(!is_code("１２３４５６"));
    }

    #[test]
    fn messages_name_the_visit_in_the_visitors_language() {
        let v = Visit {
            office: "Отдел №1",
            address: "Астана, ул. Абая 1",
            service: "Архивная справка",
            when: "2026-12-08 10:15",
            code: "123456",
            link: "https://q.kz/booking/x",
        };
        let (subject, body) = compose(Notice::Confirmation, Language::Ru, &v);
        assert!(subject.contains("2026-12-08 10:15"));
        for part in [
            "Отдел №1",
            "123456",
            "https://q.kz/booking/x",
            "Архивная справка",
        ] {
            assert!(body.contains(part), "{part} in {body}");
        }
        let (_, kk) = compose(Notice::Reminder, Language::Kk, &v);
        assert!(kk.starts_with("Еске саламыз"));
        assert!(kk.contains("123456"));
    }
}
