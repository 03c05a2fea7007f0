//! An applicant's contact details for informing (000 §2): an e-mail address, a mobile phone
//! and the language (Kazakh or Russian) messages are written in. Personal data: shown
//! masked, and never logged.

use std::fmt;

/// Why a contact detail was refused; [`ContactError::code`] is the API's reason code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactError {
    /// Not an address of the form `name@domain.tld`.
    Email,
    /// Not a Kazakhstan mobile number (+7 7XX XXX XX XX).
    Phone,
    /// Not `kk` or `ru`.
    Language,
}

impl ContactError {
    pub fn code(self) -> &'static str {
        match self {
            ContactError::Email => "invalid_email",
            ContactError::Phone => "invalid_phone",
            ContactError::Language => "invalid_language",
        }
    }
}

/// An e-mail address: `local@domain` with a dot in the domain, at most 254 characters, no
/// spaces or control characters, lower-cased domain. Deliverability is the mail server's
/// business; this refuses what is plainly not an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Email, ContactError> {
        let s = s.trim();
        if s.is_empty() || s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ContactError::Email);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(ContactError::Email)?;
        let domain_ok = !domain.is_empty()
            && domain.len() <= 253
            && domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && !local.contains(['<', '>', '(', ')', '[', ']', ',', ';', ':', '\\', '"']);
        if !domain_ok || !local_ok {
            return Err(ContactError::Email);
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first letter of the name and the domain: `a***@mail.kz`.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.rsplit_once('@').unwrap_or(("", &self.0));
        let first: String = local.chars().take(1).collect();
        format!("{first}***@{domain}")
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Kazakhstan mobile number, kept as its 11 digits `77XXXXXXXXX` (what SMS gateways take).
/// Accepted as written by people: `+7 701 123 45 67`, `8 (701) 123-45-67`, `87011234567`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(s: &str) -> Result<Phone, ContactError> {
        let s = s.trim();
        if s.len() > 32
            || s.chars()
                .any(|c| !(c.is_ascii_digit() || " +-()".contains(c)))
        {
            return Err(ContactError::Phone);
        }
        if s.chars().skip(1).any(|c| c == '+') {
            return Err(ContactError::Phone);
        }
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let national = match digits.len() {
            11 if digits.starts_with('7') || (digits.starts_with('8') && !s.starts_with('+')) => {
                &digits[1..]
            }
            10 if !s.starts_with('+') => &digits[..],
            _ => return Err(ContactError::Phone),
        };
        // Mobile operators' codes in Kazakhstan: 700–709, 747, 750–751, 760–764, 771,
        // 775–778 (the 7XX landline codes of the regions, 71X–72X, are not mobiles).
        if !["70", "747", "75", "76", "77"]
            .iter()
            .any(|p| national.starts_with(p))
        {
            return Err(ContactError::Phone);
        }
        Ok(Phone(format!("7{national}")))
    }

    /// `77011234567`.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// `+7 701 123 45 67`.
    pub fn formatted(&self) -> String {
        let d = &self.0;
        format!("+7 {} {} {} {}", &d[1..4], &d[4..7], &d[7..9], &d[9..11])
    }

    /// The operator's code and the last two digits: `+7 701 *** ** 67`.
    pub fn masked(&self) -> String {
        let d = &self.0;
        format!("+7 {} *** ** {}", &d[1..4], &d[9..11])
    }
}

/// The language of the applicant's messages: the two of the regulations (000 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Kk,
    Ru,
}

impl Language {
    pub fn parse(s: &str) -> Result<Language, ContactError> {
        match s.trim() {
            "kk" => Ok(Language::Kk),
            "ru" => Ok(Language::Ru),
            _ => Err(ContactError::Language),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Kk => "kk",
            Language::Ru => "ru",
        }
    }
}

/// How to reach an applicant: at least one of e-mail and phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub language: Language,
}

impl Contact {
    /// Whether there is anything to send to.
    pub fn reachable(&self) -> bool {
        self.email.is_some() || self.phone.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_as_people_write_them() {
        assert_eq!(
            Email::parse(" Aigerim.N@Mail.KZ ").unwrap().as_str(),
            "Aigerim.N@mail.kz"
        );
        for bad in [
            "",
            "aigerim",
            "a@b",
            "a b@mail.kz",
            "a@@mail.kz",
            "@mail.kz",
            "a@mail..kz",
            "a@-mail.kz",
            ".a@mail.kz",
            "a<b@mail.kz",
            "a\tb@mail.kz",
        ] {
            assert_eq!(Email::parse(bad), Err(ContactError::Email), "{bad:?}");
        }
        assert_eq!(
            Email::parse("aigerim@mail.kz").unwrap().masked(),
            "a***@mail.kz"
        );
    }

    #[test]
    fn kazakhstan_mobile_numbers_in_any_usual_writing() {
        for ok in [
            "+7 701 123 45 67",
            "8 (701) 123-45-67",
            "87011234567",
            "77011234567",
            "7011234567",
            "+77011234567",
        ] {
            assert_eq!(Phone::parse(ok).unwrap().digits(), "77011234567", "{ok}");
        }
        for bad in [
            "",
            "+7 727 123 45 67", // Almaty landline
            "+1 701 123 45 67",
            "701123456",
            "+7 701 123 45 678",
            "+8 701 123 45 67",
            "7011234567x",
            "+7+7011234567",
        ] {
            assert_eq!(Phone::parse(bad), Err(ContactError::Phone), "{bad}");
        }
        let p = Phone::parse("+7 701 123 45 67").unwrap();
        assert_eq!(p.formatted(), "+7 701 123 45 67");
        assert_eq!(p.masked(), "+7 701 *** ** 67");
    }

    #[test]
    fn two_languages() {
        assert_eq!(Language::parse("kk"), Ok(Language::Kk));
        assert_eq!(Language::parse("ru"), Ok(Language::Ru));
        assert_eq!(Language::parse("en"), Err(ContactError::Language));
    }
}
