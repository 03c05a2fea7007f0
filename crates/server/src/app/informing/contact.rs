//! The applicant's contact as a registration gives it (`applicant.contact`): an e-mail, a
//! Kazakhstan mobile phone, and the language of the messages (kk or ru; Kazakh when absent).

use crate::app::AppError;
use qyzmet_domain::contact::{Contact, Email, Language, Phone};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where to inform the applicant of the stages the service's passport flags (000 §2).
#[derive(Debug, Default, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactIn {
    /// An e-mail address.
    #[schema(max_length = 254)]
    pub email: Option<String>,
    /// A Kazakhstan mobile number: +7 7XX XXX XX XX (spaces, dashes, brackets, a leading 8
    /// allowed).
    #[schema(max_length = 32)]
    pub phone: Option<String>,
    /// The language of the messages: kk (the default) or ru.
    #[schema(schema_with = language)]
    pub language: Option<String>,
}

fn language() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["kk", "ru"]))
        .build()
}

/// The contact of `c`, checked field by field under `field` (`applicant.contact`): every
/// problem at once. Blank values count as absent; a contact with neither an e-mail nor a
/// phone reaches no one and is refused.
pub fn contact(field: &str, c: &ContactIn) -> Result<Contact, Vec<AppError>> {
    fn blank(s: &Option<String>) -> Option<&str> {
        s.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    let mut problems = Vec::new();
    let email = blank(&c.email).and_then(|e| {
        Email::parse(e)
            .map_err(|r| problems.push(AppError::invalid(format!("{field}.email"), r.code())))
            .ok()
    });
    let phone = blank(&c.phone).and_then(|p| {
        Phone::parse(p)
            .map_err(|r| problems.push(AppError::invalid(format!("{field}.phone"), r.code())))
            .ok()
    });
    let language = match blank(&c.language) {
        None => Language::Kk,
        Some(l) => Language::parse(l).unwrap_or_else(|r| {
            problems.push(AppError::invalid(format!("{field}.language"), r.code()));
            Language::Kk
        }),
    };
    if problems.is_empty() && email.is_none() && phone.is_none() {
        problems.push(AppError::invalid(field, "contact_unreachable"));
    }
    if problems.is_empty() {
        Ok(Contact {
            email,
            phone,
            language,
        })
    } else {
        Err(problems)
    }
}

/// The contact as staff see it: masked (000 §2 data is personal; the full value is only
/// ever read to send).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactView {
    pub email: Option<String>,
    pub phone: Option<String>,
    #[schema(schema_with = language)]
    pub language: String,
}

impl From<&Contact> for ContactView {
    fn from(c: &Contact) -> Self {
        ContactView {
            email: c.email.as_ref().map(Email::masked),
            phone: c.phone.as_ref().map(Phone::masked),
            language: c.language.as_str().into(),
        }
    }
}

/// The contact of an application the caller has just read (through
/// `read_application`, which checked the scope and audited the read), masked.
pub async fn of_application(
    state: &crate::state::AppState,
    number: qyzmet_domain::ids::ApplicationNumber,
) -> Result<Option<ContactView>, AppError> {
    Ok(state
        .store
        .contact(number)
        .await?
        .as_ref()
        .map(ContactView::from))
}

impl ContactView {
    /// One line for a page: `a***@mail.kz, +7 701 *** ** 67 (kk)`.
    pub fn line(&self) -> String {
        let parts: Vec<&str> = [self.email.as_deref(), self.phone.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        format!("{} ({})", parts.join(", "), self.language)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(email: Option<&str>, phone: Option<&str>, language: Option<&str>) -> ContactIn {
        ContactIn {
            email: email.map(Into::into),
            phone: phone.map(Into::into),
            language: language.map(Into::into),
        }
    }

    #[test]
    fn every_problem_named_by_its_field() {
        let e = contact("applicant.contact", &c(Some("x"), Some("123"), Some("en"))).unwrap_err();
        let fields: Vec<_> = e
            .iter()
            .map(|e| (e.field.clone().unwrap(), e.code.clone()))
            .collect();
        assert_eq!(
            fields,
            [
                (
                    "applicant.contact.email".into(),
                    "invalid_email".to_string()
                ),
                (
                    "applicant.contact.phone".into(),
                    "invalid_phone".to_string()
                ),
                (
                    "applicant.contact.language".into(),
                    "invalid_language".to_string()
                ),
            ]
        );
        let e = contact("applicant.contact", &c(Some(" "), None, Some("ru"))).unwrap_err();
        assert_eq!(e[0].code, "contact_unreachable");
        let ok = contact("applicant.contact", &c(None, Some("8 701 123 45 67"), None)).unwrap();
        assert_eq!(ok.language, Language::Kk);
        assert_eq!(ContactView::from(&ok).phone.unwrap(), "+7 701 *** ** 67");
    }
}
