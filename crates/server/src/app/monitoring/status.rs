//! The status of an application for its applicant, without an account (issue 17; 000 §2,
//! 002 §4, 004 §10; decision Q11): the application's number and the applicant's IIN/BIN
//! together find it, and the answer is the service, the stage in words, the planned date,
//! the office and what to do next — never a name or a document.
//!
//! A mistyped number (its check digit fails), a wrong IIN/BIN and a number that does not
//! exist all get the same "not found", so the page cannot be used to learn whether a number
//! exists or whose it is. Only the shape of what was typed (13 digits, 12 digits) is
//! refused as such. Every lookup is audited with the number and whether it was found, never
//! with the IIN/BIN; the adapters limit lookups per client address.

use crate::app::{now, AppError};
use crate::i18n::{message, Lang};
use crate::state::AppState;
use qyzmet_domain::ids::{ApplicationNumber, NumberError, ServiceCode, TaxId};
use qyzmet_domain::passport::Texts;
use qyzmet_domain::stage::{Outcome, Stage};
use qyzmet_store::{AuditEntry, Channel, PassportWhich, PublicStatus};

/// What the applicant should do next, by where the application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// It is being worked on: wait for the planned date; they will be informed.
    Wait,
    /// Its delivery is suspended: the provider will say what is needed.
    Suspended,
    /// The result is ready at the office: come with an identity document.
    Collect,
    /// The result is ready in the applicant's cabinet on the portal.
    Cabinet,
    /// The result was issued.
    Issued,
    /// The service was refused: the refusal letter says why and how to complain.
    Refused,
}

impl NextStep {
    /// The stable name, as the API sends it (`wait`, `collect`…).
    pub fn as_str(self) -> &'static str {
        match self {
            NextStep::Wait => "wait",
            NextStep::Suspended => "suspended",
            NextStep::Collect => "collect",
            NextStep::Cabinet => "cabinet",
            NextStep::Issued => "issued",
            NextStep::Refused => "refused",
        }
    }

    fn of(s: &PublicStatus) -> NextStep {
        match (s.stage, s.outcome) {
            (Stage::Closed, Some(Outcome::Refused)) => NextStep::Refused,
            (Stage::Closed, _) => NextStep::Issued,
            (Stage::ReadyForIssue, _) if s.channel == Channel::Portal => NextStep::Cabinet,
            (Stage::ReadyForIssue, _) => NextStep::Collect,
            _ if s.suspended => NextStep::Suspended,
            _ => NextStep::Wait,
        }
    }
}

/// The answer of a lookup.
#[derive(Debug, Clone)]
pub struct StatusAnswer {
    pub number: ApplicationNumber,
    pub status: PublicStatus,
    pub next: NextStep,
    /// While suspended on a ground of the passport (003 §17): the ground's text, which the
    /// next step names in the applicant's language (never the free-text reason).
    pub ground: Option<Texts>,
}

impl StatusAnswer {
    /// The stage in words, in `lang`.
    pub fn stage_words(&self, lang: Lang) -> String {
        let stage = self.status.stage.as_str().replace('_', "-");
        message(lang, &format!("stage-{stage}"), &[])
    }

    /// What to do next in words, in `lang`, with the planned date as `date` writes it.
    pub fn next_words(&self, lang: Lang, date: String) -> String {
        let office = self.status.office_name.get(lang.code()).to_string();
        if let (NextStep::Suspended, Some(ground)) = (self.next, &self.ground) {
            let ground = ground.get(lang.code()).to_string();
            return message(lang, "status-next-suspended-ground", &[("ground", ground)]);
        }
        message(
            lang,
            &format!("status-next-{}", self.next.as_str()),
            &[("office", office), ("date", date)],
        )
    }
}

/// The text of the ground the suspension in force rests on, from the application's passport.
async fn suspension_ground(state: &AppState, s: &PublicStatus) -> Result<Option<Texts>, AppError> {
    let (Some(code), Some(version)) = (&s.suspension_ground, s.passport_version) else {
        return Ok(None);
    };
    let Ok(service) = ServiceCode::parse(&s.service_code) else {
        return Ok(None);
    };
    let passport = state
        .store
        .passport(&service, PassportWhich::Published(version))
        .await?;
    Ok(passport
        .and_then(|v| v.passport.ground(true, code).map(|g| g.text.clone()))
        .filter(|t| !t.is_blank()))
}

/// Looks up the application of `number` whose applicant is `tax_id`, both as typed. Audited.
pub async fn lookup(
    state: &AppState,
    number: &str,
    tax_id: &str,
) -> Result<StatusAnswer, AppError> {
    let (number_typed, id_typed) = (number.trim(), tax_id.trim());
    if number_typed.is_empty() {
        return Err(AppError::invalid("number", "required"));
    }
    if id_typed.is_empty() {
        return Err(AppError::invalid("iin", "required"));
    }
    // The shape is refused as such; a failed check digit is "not found" like any other miss.
    let number = match ApplicationNumber::parse(number_typed) {
        Ok(n) => Some(n),
        Err(NumberError::CheckDigit) => None,
        Err(_) => return Err(AppError::invalid("number", "status_number_shape")),
    };
    let digits: String = id_typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != 12 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(AppError::invalid("iin", "status_iin_shape"));
    }
    let id = TaxId::parse(&digits).ok();
    let found = match (number, id) {
        (Some(n), Some(id)) => state
            .store
            .public_status(n.as_i64(), id.as_ref())
            .await?
            .map(|status| StatusAnswer {
                number: n,
                next: NextStep::of(&status),
                status,
                ground: None,
            }),
        _ => None,
    };
    let found = match found {
        Some(mut a) if a.next == NextStep::Suspended => {
            a.ground = suspension_ground(state, &a.status).await?;
            Some(a)
        }
        other => other,
    };
    state
        .audit
        .record_action(AuditEntry {
            at: now(),
            actor: "public".into(),
            action: "application.status_lookup".into(),
            subject: match number {
                Some(n) => format!("application:{n}"),
                None => "application:mistyped".into(),
            },
            detail: if found.is_some() {
                "found"
            } else {
                "not found"
            }
            .into(),
        })
        .await;
    found.ok_or_else(|| AppError::not_found("status_not_found"))
}
