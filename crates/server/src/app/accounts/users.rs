//! User administration (issue 16, B.6): the administrator's list of accounts and the changes
//! made to one — profile (full name, position), role and organization, block and unblock,
//! unlock after repeated failures, a password reset that the user must replace at the next
//! sign-in. The workstation's pages and `qyzmet admin …` call these alike; each checks that
//! the caller is an administrator, validates the fields, and leaves the change and its audit
//! entry to one transaction of the store. An administrator cannot block or demote themselves
//! (nobody would be left to undo it), nor reset their own password (the password page is
//! theirs).

use super::{check_password, hash_password, AccountError};
use crate::app::validate as v;
use crate::app::{AppError, Caller};
use jiff::Timestamp;
use qyzmet_domain::ids::OrgCode;
use qyzmet_store::{Store, UserChange, UserRecord, UserRole};

/// Longest full name and position kept.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest reason of a block.
pub const MAX_REASON_CHARS: usize = 500;

/// Where an account stands, as the list shows and filters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatus {
    Active,
    /// Blocked by an administrator.
    Blocked,
    /// Locked for a while after repeated failed sign-ins (ADR 0014).
    Locked,
}

impl UserStatus {
    pub const ALL: [UserStatus; 3] = [UserStatus::Active, UserStatus::Blocked, UserStatus::Locked];

    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Blocked => "blocked",
            UserStatus::Locked => "locked",
        }
    }

    pub fn parse(s: &str) -> Option<UserStatus> {
        UserStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// A block comes first: it outlasts any lock.
    pub fn of(r: &UserRecord, now: Timestamp) -> UserStatus {
        if r.block.is_some() {
            UserStatus::Blocked
        } else if r.locked_until.is_some_and(|t| t > now) {
            UserStatus::Locked
        } else {
            UserStatus::Active
        }
    }
}

/// A user as the administrator sees it.
#[derive(Debug, Clone)]
pub struct UserView {
    pub record: UserRecord,
    pub status: UserStatus,
}

impl UserView {
    fn of(record: UserRecord, now: Timestamp) -> UserView {
        let status = UserStatus::of(&record, now);
        UserView { record, status }
    }
}

/// The list's filter: words of the username or the full name (any case), and a status.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub q: String,
    pub status: Option<UserStatus>,
}

/// The users matching `filter`, in creation order. Staff accounts number in the thousands
/// at most, so the search runs over the list in memory, where lower-casing knows Kazakh and
/// Russian letters (SQLite's `lower` knows only ASCII).
pub async fn list_users(
    store: &Store,
    caller: &Caller,
    filter: &UserFilter,
    now: Timestamp,
) -> Result<Vec<UserView>, AppError> {
    caller.require_admin()?;
    let words: Vec<String> = filter
        .q
        .to_lowercase()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    Ok(store
        .user_records()
        .await?
        .into_iter()
        .map(|r| UserView::of(r, now))
        .filter(|u| filter.status.is_none_or(|s| u.status == s))
        .filter(|u| {
            let hay = format!(
                "{} {}",
                u.record.user.username,
                u.record.user.full_name.to_lowercase()
            );
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect())
}

/// One user.
pub async fn find_user(
    store: &Store,
    caller: &Caller,
    id: i64,
    now: Timestamp,
) -> Result<UserView, AppError> {
    caller.require_admin()?;
    store
        .user_record(id)
        .await?
        .map(|r| UserView::of(r, now))
        .ok_or_else(|| AppError::not_found("user_not_found"))
}

/// The id of the user named `username` (the command line names users so).
pub async fn user_id(store: &Store, caller: &Caller, username: &str) -> Result<i64, AppError> {
    caller.require_admin()?;
    let name =
        super::username(username).map_err(|_| AppError::invalid("username", "username_invalid"))?;
    store
        .user_id(&name)
        .await?
        .ok_or_else(|| AppError::not_found("user_not_found"))
}

/// A new full name and position, as typed (blank clears them).
#[derive(Debug, Clone, Default)]
pub struct ProfileRequest {
    pub full_name: String,
    pub position: String,
}

/// Sets a user's full name and position.
pub async fn update_profile(
    store: &Store,
    caller: &Caller,
    id: i64,
    req: &ProfileRequest,
    now: Timestamp,
) -> Result<UserView, AppError> {
    caller.require_admin()?;
    let line = |field: &str, s: &str| {
        v::opt_text(field, Some(s), MAX_NAME_CHARS).map(Option::unwrap_or_default)
    };
    let change = UserChange::Profile {
        full_name: line("full_name", &req.full_name)?,
        position: line("position", &req.position)?,
    };
    apply(store, caller, id, &change, now).await
}

/// A new role and organization, as typed.
#[derive(Debug, Clone, Default)]
pub struct RoleRequest {
    pub role: String,
    pub organization: String,
}

/// The role's rule on the organization, as at creation: operators and supervisors work for
/// one, administrators and analysts see every organization.
pub fn role_and_organization(req: &RoleRequest) -> Result<(UserRole, Option<OrgCode>), AppError> {
    let role: UserRole = req.role.trim().parse().map_err(|_| {
        AppError::invalid("role", "enum_invalid")
            .arg("allowed", "administrator, analyst, operator, supervisor")
    })?;
    let org = req.organization.trim();
    let organization = if org.is_empty() {
        None
    } else {
        Some(OrgCode::parse(org).map_err(|_| AppError::invalid("organization", "code_invalid"))?)
    };
    match (role.needs_organization(), &organization) {
        (true, None) => Err(AppError::invalid("organization", "organization_required")),
        (false, Some(_)) => Err(AppError::invalid(
            "organization",
            "organization_not_allowed",
        )),
        _ => Ok((role, organization)),
    }
}

/// Changes a user's role and organization. An administrator cannot take the role away from
/// themselves.
pub async fn change_role(
    store: &Store,
    caller: &Caller,
    id: i64,
    req: &RoleRequest,
    now: Timestamp,
) -> Result<UserView, AppError> {
    caller.require_admin()?;
    let (role, organization) = role_and_organization(req)?;
    if caller.user_id() == Some(id) && role != UserRole::Administrator {
        return Err(AppError::invalid("role", "cannot_demote_self"));
    }
    apply(
        store,
        caller,
        id,
        &UserChange::Role { role, organization },
        now,
    )
    .await
}

/// Blocks a user with a reason: no sign-in, and the user's open sessions end at once. An
/// administrator cannot block themselves.
pub async fn block(
    store: &Store,
    caller: &Caller,
    id: i64,
    reason: &str,
    now: Timestamp,
) -> Result<UserView, AppError> {
    caller.require_admin()?;
    if caller.user_id() == Some(id) {
        return Err(AppError::rejected("cannot_block_self"));
    }
    let reason = v::long_text("reason", reason, MAX_REASON_CHARS)?;
    apply(store, caller, id, &UserChange::Block { reason }, now).await
}

/// Lifts a block.
pub async fn unblock(
    store: &Store,
    caller: &Caller,
    id: i64,
    now: Timestamp,
) -> Result<UserView, AppError> {
    caller.require_admin()?;
    apply(store, caller, id, &UserChange::Unblock, now).await
}

/// Lifts the lock after repeated failed sign-ins and clears their count.
pub async fn unlock(
    store: &Store,
    caller: &Caller,
    id: i64,
    now: Timestamp,
) -> Result<UserView, AppError> {
    caller.require_admin()?;
    apply(store, caller, id, &UserChange::Unlock, now).await
}

/// A password reset: the user as it is after, and the temporary password when it was
/// generated (shown once; only its hash is stored).
#[derive(Debug)]
pub struct PasswordReset {
    pub user: UserView,
    pub generated: Option<String>,
}

/// Resets a user's password to `password`, or to a generated one when none is given: the
/// user must change it at the next sign-in, and every open session of the user ends now.
pub async fn reset_password(
    store: &Store,
    caller: &Caller,
    id: i64,
    password: Option<&str>,
    now: Timestamp,
) -> Result<PasswordReset, AppError> {
    caller.require_admin()?;
    // One's own password is changed on the password page, knowing the current one; a reset
    // would end the administrator's own session halfway.
    if caller.user_id() == Some(id) {
        return Err(AppError::rejected("cannot_reset_self"));
    }
    let current = find_user(store, caller, id, now).await?;
    let username = current.record.user.username;
    let (password, generated) = match password {
        Some(p) => {
            check_password(p, &username).map_err(|e| match e {
                AccountError::PasswordTooShort => {
                    AppError::invalid("password", "password_too_short")
                }
                _ => AppError::invalid("password", "password_weak"),
            })?;
            (p.to_string(), None)
        }
        None => {
            let p = temporary_password(&username);
            (p.clone(), Some(p))
        }
    };
    // argon2 is heavy: off the async threads (administrators reset rarely; no pool needed).
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| AppError::internal())?
        .map_err(|e| {
            tracing::error!(error = %e, "hashing a reset password failed");
            AppError::internal()
        })?;
    let user = apply(
        store,
        caller,
        id,
        &UserChange::ResetPassword { password_hash },
        now,
    )
    .await?;
    Ok(PasswordReset { user, generated })
}

/// A temporary password: four groups of four characters from an alphabet without look-alikes
/// (0/O, 1/l/I), about 90 bits; read out or typed once, then replaced by the user.
pub fn temporary_password(username: &str) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    loop {
        let p = (0..4)
            .map(|_| {
                (0..4)
                    .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("-");
        if check_password(&p, username).is_ok() {
            return p;
        }
    }
}

async fn apply(
    store: &Store,
    caller: &Caller,
    id: i64,
    change: &UserChange,
    now: Timestamp,
) -> Result<UserView, AppError> {
    let record = store
        .change_user(id, change, &caller.actor(), now)
        .await
        .map_err(|e| match e {
            qyzmet_store::StoreError::NotFound(_) => AppError::not_found("user_not_found"),
            e => e.into(),
        })?;
    Ok(UserView::of(record, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_passwords_pass_the_rules_and_differ() {
        let a = temporary_password("operator1");
        let b = temporary_password("operator1");
        assert_ne!(a, b);
        assert_eq!(a.chars().count(), 19, "{a}");
        check_password(&a, "operator1").unwrap();
        assert!(!a.contains(['0', 'O', '1', 'l', 'I']), "{a}");
    }

    #[test]
    fn roles_keep_the_rule_on_the_organization() {
        let req = |role: &str, org: &str| RoleRequest {
            role: role.into(),
            organization: org.into(),
        };
        assert!(role_and_organization(&req("operator", "AKIM-AST")).is_ok());
        assert_eq!(
            role_and_organization(&req("operator", " "))
                .unwrap_err()
                .code,
            "organization_required"
        );
        assert_eq!(
            role_and_organization(&req("analyst", "AKIM-AST"))
                .unwrap_err()
                .code,
            "organization_not_allowed"
        );
        assert_eq!(
            role_and_organization(&req("chief", "")).unwrap_err().field,
            Some("role".into())
        );
    }
}
