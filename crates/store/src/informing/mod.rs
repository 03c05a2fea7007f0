//! Informing (000 §2; DESIGN: the outbox): the applicants' contacts, the webhooks of provider
//! systems, and the outbox every message leaves through. Rows are written in the transaction
//! of the change they tell of ([`batch`]); one node's delivery job reads the due ones, sends
//! them, and records each result here.

pub(crate) mod batch;
mod outbox;
mod reports;
mod webhooks;

pub use batch::{SITE_URL, STATUS_URL};
pub use outbox::{Attempt, DueMessage, OutboxCounts, OutboxFilter, OutboxMessage};
pub use reports::{AwaitingReport, Report};
pub use webhooks::Webhook;

use crate::error::Result;
use crate::{with_db, Store};
use qyzmet_domain::contact::{Contact, Email, Language, Phone};
use qyzmet_domain::ids::ApplicationNumber;
use sqlx::Row;

impl Store {
    pub(crate) fn passport_cache(&self) -> &crate::passports::PassportCache {
        match self {
            Store::Sqlite(db) => &db.passports,
            Store::Postgres(db) => &db.passports,
        }
    }

    /// The contact an application was registered with (personal data: the caller audits
    /// the read and masks what it shows).
    pub async fn contact(&self, number: ApplicationNumber) -> Result<Option<Contact>> {
        with_db!(self, |read, _write| {
            let row = sqlx::query(
                "SELECT c.email, c.phone, c.language FROM applicant_contacts c \
                 JOIN applications a ON a.id = c.app_id WHERE a.number = $1",
            )
            .bind(number.as_i64())
            .fetch_optional(read)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let email: Option<String> = row.try_get("email")?;
            let phone: Option<String> = row.try_get("phone")?;
            let language: String = row.try_get("language")?;
            Ok(Some(Contact {
                email: email.and_then(|e| Email::parse(&e).ok()),
                phone: phone.and_then(|p| Phone::parse(&p).ok()),
                language: Language::parse(&language).unwrap_or_default(),
            }))
        })
    }
}
