//! A queue ticket's words (001 §6): what the visitor came for, the priority group they belong
//! to with its weight as data, and the number printed on the ticket and called in the hall.

use serde::{Deserialize, Serialize};
use std::fmt;

/// 001 §6, §11: what a visit is for. Each has its own letter on the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Acceptance of an application and its documents.
    Acceptance,
    /// Issue of a ready result.
    Issue,
    /// Consultation on services, appeals through e-Otinish (001 §10).
    Consultation,
    /// The self-service sector: help with the portal and the EDS (001 §11).
    SelfService,
}

impl Purpose {
    pub const ALL: [Purpose; 4] = [
        Purpose::Acceptance,
        Purpose::Issue,
        Purpose::Consultation,
        Purpose::SelfService,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Acceptance => "acceptance",
            Purpose::Issue => "issue",
            Purpose::Consultation => "consultation",
            Purpose::SelfService => "self_service",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The letter a ticket number of this purpose starts with.
    pub fn letter(self) -> char {
        match self {
            Purpose::Acceptance => 'A',
            Purpose::Issue => 'B',
            Purpose::Consultation => 'C',
            Purpose::SelfService => 'S',
        }
    }

    /// The purpose a ticket letter stands for.
    pub fn of_letter(c: char) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.letter() == c)
    }
}

/// 001 §12 and the anchors' priority groups: who is served ahead of arrival order, and by how
/// much ([`Weights`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PriorityGroup {
    /// People with disabilities (001 §12: barrier-free, equal access).
    Disability,
    /// Elderly people.
    Elderly,
    /// Pregnant women.
    Pregnant,
    /// A visitor who booked the visit ahead (inside the slot, see [`super::ordering`]).
    Booked,
    /// Someone coming back for the result of an application accepted earlier.
    ReturningForIssue,
}

impl PriorityGroup {
    pub const ALL: [PriorityGroup; 5] = [
        PriorityGroup::Disability,
        PriorityGroup::Elderly,
        PriorityGroup::Pregnant,
        PriorityGroup::Booked,
        PriorityGroup::ReturningForIssue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PriorityGroup::Disability => "disability",
            PriorityGroup::Elderly => "elderly",
            PriorityGroup::Pregnant => "pregnant",
            PriorityGroup::Booked => "booked",
            PriorityGroup::ReturningForIssue => "returning_for_issue",
        }
    }

    pub fn parse(s: &str) -> Option<PriorityGroup> {
        PriorityGroup::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The weight of each priority group, as a head start in minutes: a ticket of the group is
/// ordered as if it had arrived that much earlier. A weight is data an administrator sets per
/// office; 0 means "no priority". Ordering by a head start (not by "priority first") keeps the
/// queue fair both ways — priority tickets do not push everyone back for ever, and do not sink
/// (the NovoSGA complaints, ANCHORS (a)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub disability: u32,
    pub elderly: u32,
    pub pregnant: u32,
    /// For a booked visitor outside the slot's window (inside it, booked visitors go first).
    pub booked: u32,
    pub returning_for_issue: u32,
    /// The head start of a ticket whose application is about to be overdue, when the office
    /// raises such tickets (off by default: [`Policy::raise_near_deadline`](super::ordering::Policy)).
    pub near_deadline: u32,
}

/// The longest head start, in minutes (a working day).
pub const WEIGHT_MAX: u32 = 600;

impl Default for Weights {
    fn default() -> Self {
        Weights {
            disability: 30,
            elderly: 20,
            pregnant: 30,
            booked: 10,
            returning_for_issue: 10,
            near_deadline: 30,
        }
    }
}

impl Weights {
    /// The head start of a group, in minutes.
    pub fn of(&self, group: PriorityGroup) -> u32 {
        match group {
            PriorityGroup::Disability => self.disability,
            PriorityGroup::Elderly => self.elderly,
            PriorityGroup::Pregnant => self.pregnant,
            PriorityGroup::Booked => self.booked,
            PriorityGroup::ReturningForIssue => self.returning_for_issue,
        }
    }

    /// The first weight over [`WEIGHT_MAX`], by its field name.
    pub fn out_of_range(&self) -> Option<&'static str> {
        [
            ("disability", self.disability),
            ("elderly", self.elderly),
            ("pregnant", self.pregnant),
            ("booked", self.booked),
            ("returning_for_issue", self.returning_for_issue),
            ("near_deadline", self.near_deadline),
        ]
        .into_iter()
        .find(|(_, w)| *w > WEIGHT_MAX)
        .map(|(f, _)| f)
    }
}

/// The number on a ticket: the purpose's letter and a number unique in the office for the day
/// (`A017`). Numbers come from one sequence per office and day; the ranges handed to kiosks and
/// counters for the live-queue fallback are cut from the same sequence, so no number is issued
/// twice whichever way it was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TicketNumber {
    pub purpose: Purpose,
    pub n: u32,
}

/// The highest number of a day.
pub const NUMBER_MAX: u32 = 9_999;

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:03}", self.purpose.letter(), self.n)
    }
}

impl std::str::FromStr for TicketNumber {
    type Err = ();

    /// `A017`, `a17`, `B-0042`: the letter, an optional dash, up to four digits.
    fn from_str(s: &str) -> Result<Self, ()> {
        let s = s.trim();
        let mut chars = s.chars();
        let letter = chars.next().ok_or(())?.to_ascii_uppercase();
        let purpose = Purpose::of_letter(letter).ok_or(())?;
        let digits = chars.as_str().strip_prefix('-').unwrap_or(chars.as_str());
        if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(());
        }
        let n: u32 = digits.parse().map_err(|_| ())?;
        if n == 0 || n > NUMBER_MAX {
            return Err(());
        }
        Ok(TicketNumber { purpose, n })
    }
}

impl TicketNumber {
    /// What the hall hears when the ticket is called to `window` (001 §6), in Kazakh and
    /// Russian: the letter and the number as a number ("A 17"), so that speech synthesis
    /// reads it as people say it.
    pub fn announcement(&self, window: i64) -> (String, String) {
        let said = format!("{} {}", self.purpose.letter(), self.n);
        (
            format!("{said} талон, {window}-терезеге өтіңіз"),
            format!("Талон {said}, пройдите к окну {window}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcements_say_the_number_and_the_window_in_both_languages() {
        let t: TicketNumber = "A017".parse().unwrap();
        let (kk, ru) = t.announcement(3);
        assert_eq!(kk, "A 17 талон, 3-терезеге өтіңіз");
        assert_eq!(ru, "Талон A 17, пройдите к окну 3");
    }

    #[test]
    fn numbers_print_with_their_letter_and_parse_forgivingly() {
        let t = TicketNumber {
            purpose: Purpose::Issue,
            n: 17,
        };
        assert_eq!(t.to_string(), "B017");
        for s in ["B017", "b17", "B-0017", " B17 "] {
            assert_eq!(s.parse::<TicketNumber>(), Ok(t), "{s}");
        }
        for s in ["", "X17", "B", "B0", "B10000", "B1a", "Б17"] {
            assert!(s.parse::<TicketNumber>().is_err(), "{s}");
        }
        assert_eq!(
            TicketNumber {
                purpose: Purpose::SelfService,
                n: 1234
            }
            .to_string(),
            "S1234"
        );
    }

    #[test]
    fn words_round_trip() {
        for p in Purpose::ALL {
            assert_eq!(Purpose::parse(p.as_str()), Some(p));
            assert_eq!(Purpose::of_letter(p.letter()), Some(p));
        }
        for g in PriorityGroup::ALL {
            assert_eq!(PriorityGroup::parse(g.as_str()), Some(g));
        }
        assert_eq!(Purpose::parse("other"), None);
    }

    #[test]
    fn weights_are_bounded() {
        assert_eq!(Weights::default().out_of_range(), None);
        let w = Weights {
            elderly: WEIGHT_MAX + 1,
            ..Weights::default()
        };
        assert_eq!(w.out_of_range(), Some("elderly"));
    }
}
