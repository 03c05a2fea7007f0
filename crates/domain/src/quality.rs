//! The quality and efficiency indicators of a service standard (003 §19–20 and its annex),
//! each with a normative value, a target for the next year and the current value of the
//! reporting year, and the applicant feedback four of them are computed from.
//!
//! Definitions (docs/quality.md says the same):
//! - **1.1** timeliness: of the service's applications whose deadline fell in the year and
//!   that are decided (completed, or open past the deadline) at the moment of computing, the
//!   share completed on time (the violations report's definitions, `violation::verdict`).
//! - **2.1, 3.1, 4.1, 5.1**: of the feedback answers given in the year about the service's
//!   applications, on the process, the information on the procedure, the complaint procedure
//!   and the staff's courtesy, the share *satisfied*: a rating of 4 or 5 out of 5, or the
//!   survey answer "satisfied" (004 annex: not satisfied / partly / satisfied).
//! - **3.2** electronic information: 100 when the service can be applied for on the portal
//!   (its channels include `portal`, so its information and request are electronic), else 0.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An indicator of the annex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Indicator {
    /// 1.1 % of cases delivered within the term.
    Timeliness,
    /// 2.1 % satisfied with the quality of the process.
    Process,
    /// 3.1 % satisfied with the quality of and the information on the procedure.
    Information,
    /// 3.2 % of services whose information is available electronically.
    Electronic,
    /// 4.1 % satisfied with the complaint procedure.
    Complaints,
    /// 5.1 % satisfied with the courtesy of staff.
    Courtesy,
}

impl Indicator {
    pub const ALL: [Indicator; 6] = [
        Indicator::Timeliness,
        Indicator::Process,
        Indicator::Information,
        Indicator::Electronic,
        Indicator::Complaints,
        Indicator::Courtesy,
    ];

    /// Its number in the annex.
    pub fn code(self) -> &'static str {
        match self {
            Indicator::Timeliness => "1.1",
            Indicator::Process => "2.1",
            Indicator::Information => "3.1",
            Indicator::Electronic => "3.2",
            Indicator::Complaints => "4.1",
            Indicator::Courtesy => "5.1",
        }
    }

    /// The feedback question it is computed from, if any.
    pub fn question(self) -> Option<Question> {
        match self {
            Indicator::Process => Some(Question::Process),
            Indicator::Information => Some(Question::Information),
            Indicator::Complaints => Some(Question::Complaint),
            Indicator::Courtesy => Some(Question::Courtesy),
            Indicator::Timeliness | Indicator::Electronic => None,
        }
    }
}

impl FromStr for Indicator {
    type Err = ();
    fn from_str(s: &str) -> Result<Indicator, ()> {
        Indicator::ALL
            .into_iter()
            .find(|i| i.code() == s.trim())
            .ok_or(())
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What an applicant is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Question {
    Process,
    Information,
    Complaint,
    Courtesy,
}

impl Question {
    pub const ALL: [Question; 4] = [
        Question::Process,
        Question::Information,
        Question::Complaint,
        Question::Courtesy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Question::Process => "process",
            Question::Information => "information",
            Question::Complaint => "complaint",
            Question::Courtesy => "courtesy",
        }
    }
}

impl FromStr for Question {
    type Err = ();
    fn from_str(s: &str) -> Result<Question, ()> {
        Question::ALL
            .into_iter()
            .find(|q| q.as_str() == s.trim())
            .ok_or(())
    }
}

/// The 3-point survey of the 004 annex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Survey {
    NotSatisfied,
    Partly,
    Satisfied,
}

impl Survey {
    pub fn as_str(self) -> &'static str {
        match self {
            Survey::NotSatisfied => "not_satisfied",
            Survey::Partly => "partly",
            Survey::Satisfied => "satisfied",
        }
    }
}

impl FromStr for Survey {
    type Err = ();
    fn from_str(s: &str) -> Result<Survey, ()> {
        match s.trim() {
            "not_satisfied" => Ok(Survey::NotSatisfied),
            "partly" => Ok(Survey::Partly),
            "satisfied" => Ok(Survey::Satisfied),
            _ => Err(()),
        }
    }
}

/// An applicant's answer to one question: a rating out of 5 or a survey answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Rating(u8),
    Survey(Survey),
}

/// Why an answer is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("a rating is a whole number from 1 to 5")]
    RatingOutOfRange,
    #[error("give either a rating or a survey answer, not both and not neither")]
    OneOfRatingOrSurvey,
}

impl Answer {
    /// From the two optional fields of a request: exactly one must be given.
    pub fn of(rating: Option<i64>, survey: Option<Survey>) -> Result<Answer, AnswerError> {
        match (rating, survey) {
            (Some(r), None) if (1..=5).contains(&r) => Ok(Answer::Rating(r as u8)),
            (Some(_), None) => Err(AnswerError::RatingOutOfRange),
            (None, Some(s)) => Ok(Answer::Survey(s)),
            _ => Err(AnswerError::OneOfRatingOrSurvey),
        }
    }

    /// Whether the applicant is satisfied: a rating of 4 or 5, or "satisfied".
    pub fn satisfied(self) -> bool {
        match self {
            Answer::Rating(r) => r >= 4,
            Answer::Survey(s) => s == Survey::Satisfied,
        }
    }
}

/// `part` of `whole` in percent, to one decimal; `None` when there is nothing to count.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicators_are_numbered_as_in_the_annex() {
        let codes: Vec<&str> = Indicator::ALL.iter().map(|i| i.code()).collect();
        assert_eq!(codes, ["1.1", "2.1", "3.1", "3.2", "4.1", "5.1"]);
        for i in Indicator::ALL {
            assert_eq!(i.code().parse::<Indicator>(), Ok(i));
        }
        assert!("6.1".parse::<Indicator>().is_err());
        assert_eq!(Indicator::Courtesy.question(), Some(Question::Courtesy));
        assert_eq!(Indicator::Timeliness.question(), None);
        assert_eq!(Indicator::Electronic.question(), None);
    }

    #[test]
    fn satisfied_means_four_or_five_or_satisfied() {
        let satisfied: Vec<bool> = (1..=5)
            .map(|r| Answer::of(Some(r), None).unwrap().satisfied())
            .collect();
        assert_eq!(satisfied, [false, false, false, true, true]);
        assert!(!Answer::Survey(Survey::NotSatisfied).satisfied());
        assert!(!Answer::Survey(Survey::Partly).satisfied());
        assert!(Answer::Survey(Survey::Satisfied).satisfied());
        assert_eq!(
            Answer::of(Some(0), None),
            Err(AnswerError::RatingOutOfRange)
        );
        assert_eq!(
            Answer::of(Some(6), None),
            Err(AnswerError::RatingOutOfRange)
        );
        assert_eq!(
            Answer::of(Some(5), Some(Survey::Partly)),
            Err(AnswerError::OneOfRatingOrSurvey)
        );
        assert_eq!(
            Answer::of(None, None),
            Err(AnswerError::OneOfRatingOrSurvey)
        );
    }

    #[test]
    fn percentages_round_to_one_decimal() {
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(1, 3), Some(33.3));
        assert_eq!(percent(3, 3), Some(100.0));
        assert_eq!(percent(0, 0), None);
    }
}
