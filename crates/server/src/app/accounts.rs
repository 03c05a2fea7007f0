//! Workstation accounts (issue 4): usernames and passwords checked, passwords hashed with
//! argon2id (DESIGN: argon2), users created through the store. The password itself is never
//! stored, logged or returned.

pub mod tokens;
pub mod users;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use jiff::Timestamp;
use qyzmet_domain::ids::OrgCode;
use qyzmet_store::{NewSession, NewUser, Session, Store, StoreError, User, UserRole};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

pub use crate::hashing::Busy;
use crate::hashing::Hashing;

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

/// Failed sign-ins in a row that lock an account, and for how long.
pub const LOCK_AFTER: i64 = 5;
pub const LOCK_FOR: jiff::SignedDuration = jiff::SignedDuration::from_mins(15);
/// How long a session lasts (a working day and some).
pub const SESSION_TTL: jiff::SignedDuration = jiff::SignedDuration::from_hours(12);

/// Why a sign-in was refused. The workstation gives one answer for `Invalid` and `Locked`
/// (and for an unknown username), so the form tells nothing about which accounts exist or
/// are locked; the distinction is kept here for the audit and the tests.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("wrong username or password")]
    Invalid,
    #[error("the account is locked after repeated failures")]
    Locked,
    /// The hashing pool is saturated: try again after the given time (429).
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A signed-in user: the cookie's secret (shown once, stored only hashed) and the session's
/// user and CSRF token.
#[derive(Debug)]
pub struct SignedIn {
    pub secret: String,
    pub user: User,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

/// The stored form of a session secret.
pub fn session_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn random_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A hash to verify against when no password is to be checked (an unknown or malformed
/// username, a locked or blocked account): every refusal then costs what a wrong password
/// costs, and takes as long.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password for unknown users").unwrap_or_default())
}

/// Signs in (issue 4; issue 15, finding 5). A turn at the hashing pool comes first (`Busy`
/// when it is saturated, before anything is counted); then the attempt is taken atomically
/// (`Store::take_sign_in_attempt`: counted as a failure and checked against the lock in one
/// statement), and only then is the password checked, on the pool. An unknown or malformed
/// username, a locked or blocked account and a wrong password all cost one check and give
/// `Invalid` or `Locked`; the `LOCK_AFTER`-th failure in a row locks the account for
/// `LOCK_FOR`; success opens a session of `SESSION_TTL` and lifts the count. Every outcome
/// on a known account is audited.
pub async fn sign_in(
    store: &Store,
    hashing: &Hashing,
    username_in: &str,
    password: &str,
    client: &str,
    now: Timestamp,
) -> Result<SignedIn, SignInError> {
    let turn = hashing.turn().await?;
    // A username that cannot exist (bad characters, a NUL byte) never reaches the database.
    let creds = match username(username_in) {
        Ok(name) => store.credentials(&name).await?,
        Err(_) => None,
    };
    let Some(creds) = creds else {
        turn.verify(password, decoy_hash()).await;
        return Err(SignInError::Invalid);
    };
    let attempt = store
        .take_sign_in_attempt(creds.user.id, LOCK_AFTER, LOCK_FOR, client, now)
        .await?;
    let Some(attempt) = attempt else {
        turn.verify(password, decoy_hash()).await;
        // A blocked account gets the answer of a wrong password, and its password is not
        // checked (ADR 0016): the form never says whether it was right.
        return Err(if creds.blocked {
            SignInError::Invalid
        } else {
            SignInError::Locked
        });
    };
    if !turn.verify(password, &creds.password_hash).await {
        store
            .record_sign_in_failure(creds.user.id, &attempt, client, now)
            .await?;
        return Err(if attempt.locks_until.is_some() {
            SignInError::Locked
        } else {
            SignInError::Invalid
        });
    }
    let secret = random_token();
    let expires_at = now
        .checked_add(SESSION_TTL)
        .map_err(|e| SignInError::Store(StoreError::Unavailable(e.into())))?;
    let csrf_token = random_token();
    let opened = store
        .open_session(
            &NewSession {
                token_hash: session_hash(&secret),
                user_id: creds.user.id,
                csrf_token: csrf_token.clone(),
                expires_at,
                client: client.to_string(),
            },
            now,
        )
        .await?;
    if !opened {
        // Blocked between the check of the password and now.
        return Err(SignInError::Invalid);
    }
    Ok(SignedIn {
        secret,
        user: creds.user,
        csrf_token,
        expires_at,
    })
}

/// The open session of a cookie's secret.
pub async fn session(
    store: &Store,
    secret: &str,
    now: Timestamp,
) -> Result<Option<Session>, StoreError> {
    store.session(&session_hash(secret), now).await
}

/// Signs out: the session is closed on every node at once (it lives in the database).
pub async fn sign_out(store: &Store, secret: &str, now: Timestamp) -> Result<bool, StoreError> {
    store.close_session(&session_hash(secret), now).await
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
