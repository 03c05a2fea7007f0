//! Workstation accounts (issue 4): usernames and passwords checked, passwords hashed with
//! argon2id (DESIGN: argon2), users created through the store. The password itself is never
//! stored, logged or returned.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use jiff::Timestamp;
use qyzmet_domain::ids::OrgCode;
use qyzmet_store::{NewUser, Store, StoreError, User, UserRole};

/// Shortest password accepted: NIST SP 800-63B asks for at least 8; staff accounts that reach
/// personal data get more.
pub const MIN_PASSWORD_CHARS: usize = 12;
const MAX_PASSWORD_CHARS: usize = 256;

/// Why an account could not be created; `code` is stable, as in the API's errors.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("username must be 3-64 characters: latin letters, digits, '.', '_' or '-'")]
    UsernameInvalid,
    #[error("the password must have at least {MIN_PASSWORD_CHARS} characters (at most {MAX_PASSWORD_CHARS})")]
    PasswordTooShort,
    #[error("the password must not contain the username or be one repeated character")]
    PasswordWeak,
    #[error("role {0} works for an organization: give --org")]
    OrganizationRequired(UserRole),
    #[error("role {0} sees every organization: give no --org")]
    OrganizationNotAllowed(UserRole),
    #[error("hashing the password failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A username as stored: trimmed, lower case, 3-64 of `[a-z0-9._-]`.
pub fn username(s: &str) -> Result<String, AccountError> {
    let u = s.trim().to_lowercase();
    let ok = (3..=64).contains(&u.chars().count())
        && u.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(u)
    } else {
        Err(AccountError::UsernameInvalid)
    }
}

/// A password fit for an account named `username`.
pub fn check_password(password: &str, username: &str) -> Result<(), AccountError> {
    let n = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n) {
        return Err(AccountError::PasswordTooShort);
    }
    let mut chars = password.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) || password.to_lowercase().contains(username) {
        return Err(AccountError::PasswordWeak);
    }
    Ok(())
}

/// The PHC string of `password` (argon2id, a fresh random salt, the crate's default costs).
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// Whether `password` is the one `hash` was made from (false for a malformed hash).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Creates a user after every check: the username, the password, and the role's rule on the
/// organization (operators and supervisors have one; administrators and analysts do not).
pub async fn create_user(
    store: &Store,
    username_in: &str,
    role: UserRole,
    organization: Option<OrgCode>,
    password: &str,
    actor: &str,
    now: Timestamp,
) -> Result<User, AccountError> {
    let name = username(username_in)?;
    match (role.needs_organization(), &organization) {
        (true, None) => return Err(AccountError::OrganizationRequired(role)),
        (false, Some(_)) => return Err(AccountError::OrganizationNotAllowed(role)),
        _ => {}
    }
    check_password(password, &name)?;
    let password_hash = hash_password(password)?;
    Ok(store
        .create_user(
            &NewUser {
                username: name,
                password_hash,
                role,
                organization,
            },
            actor,
            now,
        )
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalized_and_checked() {
        assert_eq!(username(" Aigerim.S ").unwrap(), "aigerim.s");
        assert!(username("ab").is_err());
        assert!(username("айгерим").is_err());
        assert!(username("a b c").is_err());
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert!(matches!(
            check_password("short", "u"),
            Err(AccountError::PasswordTooShort)
        ));
        assert!(matches!(
            check_password("aaaaaaaaaaaaaa", "u"),
            Err(AccountError::PasswordWeak)
        ));
        assert!(matches!(
            check_password("xx-operator1-xx", "operator1"),
            Err(AccountError::PasswordWeak)
        ));
        check_password("correct horse battery", "operator1").unwrap();
    }

    #[test]
    fn hashes_verify_only_their_password() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(!h.contains("correct"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterz", &h));
        assert!(!verify_password("correct horse battery", "not a hash"));
        assert_ne!(h, hash_password("correct horse battery").unwrap(), "salted");
    }
}
