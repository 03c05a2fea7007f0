//! Workstation users (issue 4): created from the command line or by administrators, each
//! with one role and, for operators and supervisors, an organization. Passwords are hashed by
//! the caller (argon2id); the store never sees one.

use crate::convert::{ts, us};
use crate::error::{Result, StoreError};
use crate::models::*;
use crate::{with_db, Store};
use jiff::Timestamp;
use qyzmet_domain::ids::OrgCode;
use sqlx::Row;

impl Store {
    /// Creates a user; the username is unique, the organization must exist when given, and
    /// the creation is audited.
    pub async fn create_user(&self, u: &NewUser, actor: &str, now: Timestamp) -> Result<User> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let org_id = crate::organization_id!(tx, &u.organization);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (username, password_hash, role, organization_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(&u.username)
            .bind(&u.password_hash)
            .bind(u.role.as_str())
            .bind(org_id)
            .bind(us(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| crate::convert::unique_to_conflict(e, "username_taken", "username"))?;
            crate::audit_in!(
                tx,
                now,
                actor,
                "user.create",
                format!("user:{id}"),
                u.role.as_str()
            );
            tx.commit().await?;
            Ok(User {
                id,
                username: u.username.clone(),
                role: u.role,
                organization: u.organization.clone(),
                language: "kk".into(),
                created_at: now,
                full_name: String::new(),
                position: String::new(),
                must_change_password: false,
            })
        })
    }

    /// Every user, in creation order (never their password hashes).
    pub async fn users(&self) -> Result<Vec<User>> {
        with_db!(self, |read, _write| {
            sqlx::query(&format!(
                "SELECT {USER_COLUMNS} FROM users u \
                 LEFT JOIN organizations o ON o.id = u.organization_id ORDER BY u.id"
            ))
            .fetch_all(read)
            .await?
            .iter()
            .map(user_of)
            .collect()
        })
    }
}

/// What signing in checks of a user.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    pub failed_attempts: i64,
    pub locked_until: Option<Timestamp>,
    /// Blocked by an administrator: no sign-in, no session.
    pub blocked: bool,
}

/// One attempt at a user's password, counted before the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInAttempt {
    /// The attempt's place in the current run of failures (1 after a success or a lock).
    pub number: i64,
    /// The lock this attempt put in place (it was the last one allowed), lifted if it succeeds.
    pub locks_until: Option<Timestamp>,
}

/// A session to open: the hash of the cookie's secret, never the secret.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub expires_at: Timestamp,
    pub client: String,
}

/// An open session and its user, with what the user may see and sign as.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: Timestamp,
    /// Operators and supervisors: their organization's sub-tree; analysts and
    /// administrators: every organization (what they may change is the role's business).
    pub scope: Scope,
    /// The user's organization as a signer (none without an organization).
    pub signer: Option<OrgSigner>,
}

pub(crate) const USER_COLUMNS: &str =
    "u.id, u.username, u.role, o.code AS org, u.language, u.created_at, \
     u.full_name, u.position, u.must_change_password";

pub(crate) fn user_of<R: Row>(r: &R) -> Result<User>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> bool: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let org: Option<String> = r.try_get("org")?;
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        role: crate::convert::parse("users.role", &r.try_get::<String, _>("role")?)?,
        organization: org
            .map(|c| {
                OrgCode::parse(&c).map_err(|e| StoreError::Corrupt {
                    column: "organizations.code",
                    detail: e.to_string(),
                })
            })
            .transpose()?,
        language: r.try_get("language")?,
        created_at: ts("created_at", r.try_get("created_at")?)?,
        full_name: r.try_get("full_name")?,
        position: r.try_get("position")?,
        must_change_password: r.try_get("must_change_password")?,
    })
}

impl Store {
    /// The user named `username` with what signing in checks.
    pub async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        with_db!(self, |read, _write| {
            let Some(r) = sqlx::query(&format!(
                "SELECT {USER_COLUMNS}, u.password_hash, u.failed_attempts, u.locked_until, \
                 u.blocked_at FROM users u LEFT JOIN organizations o ON o.id = u.organization_id \
                 WHERE u.username = $1"
            ))
            .bind(username)
            .fetch_optional(read)
            .await?
            else {
                return Ok(None);
            };
            Ok(Some(Credentials {
                user: user_of(&r)?,
                password_hash: r.try_get("password_hash")?,
                failed_attempts: r.try_get("failed_attempts")?,
                locked_until: r
                    .try_get::<Option<i64>, _>("locked_until")?
                    .map(|t| ts("locked_until", t))
                    .transpose()?,
                blocked: r.try_get::<Option<i64>, _>("blocked_at")?.is_some(),
            }))
        })
    }

    /// Takes one attempt at the user's password before it is checked (issue 15, finding 5):
    /// the attempt is counted as a failure in the same statement that checks the lock, so
    /// that concurrent guesses cannot all pass the check and then all count: at most
    /// `lock_after` passwords are ever checked between two successes or lock periods. The
    /// `lock_after`-th attempt locks the user until `now + lock_for` at once, before its
    /// password is checked; its success (`open_session`) lifts the lock. An expired lock
    /// starts a new count. `None`: locked (or blocked), nothing to check; the refusal is
    /// audited.
    pub async fn take_sign_in_attempt(
        &self,
        user_id: i64,
        lock_after: i64,
        lock_for: jiff::SignedDuration,
        client: &str,
        now: Timestamp,
    ) -> Result<Option<SignInAttempt>> {
        let until = now.checked_add(lock_for).map_err(|e| StoreError::Corrupt {
            column: "locked_until",
            detail: e.to_string(),
        })?;
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            // Both CASEs read the row as it was; PostgreSQL re-evaluates the WHERE on the
            // row a concurrent attempt left (it waits for that one's row lock), SQLite has
            // one writer.
            let taken: Option<i64> = sqlx::query_scalar(
                "UPDATE users SET \
                 failed_attempts = CASE WHEN locked_until IS NOT NULL THEN 1 \
                                   ELSE failed_attempts + 1 END, \
                 locked_until = CASE WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 \
                                   ELSE failed_attempts + 1 END) >= $3 THEN $4 ELSE NULL END \
                 WHERE id = $1 AND blocked_at IS NULL \
                   AND (locked_until IS NULL OR locked_until <= $2) \
                 RETURNING failed_attempts",
            )
            .bind(user_id)
            .bind(us(now))
            .bind(lock_after)
            .bind(us(until))
            .fetch_optional(&mut *tx)
            .await?;
            if taken.is_none() {
                crate::audit_in!(
                    tx,
                    now,
                    format!("user:{user_id}"),
                    "user.sign_in_refused",
                    format!("user:{user_id}"),
                    client
                );
            }
            tx.commit().await?;
            Ok(taken.map(|n| SignInAttempt {
                number: n,
                locks_until: (n >= lock_after).then_some(until),
            }))
        })
    }

    /// Records that an attempt's password was wrong (it was counted when taken). Audited:
    /// `user.locked` when the attempt was the one that locked the user.
    pub async fn record_sign_in_failure(
        &self,
        user_id: i64,
        attempt: &SignInAttempt,
        client: &str,
        now: Timestamp,
    ) -> Result<()> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            crate::audit_in!(
                tx,
                now,
                format!("user:{user_id}"),
                if attempt.locks_until.is_some() {
                    "user.locked"
                } else {
                    "user.sign_in_failed"
                },
                format!("user:{user_id}"),
                client
            );
            tx.commit().await?;
            Ok(())
        })
    }

    /// Opens a session after a successful sign-in: the failure count is reset and the
    /// sign-in's moment kept; audited. `false`, and no session, when the user was blocked
    /// meanwhile (between the password's check and now).
    pub async fn open_session(&self, s: &NewSession, now: Timestamp) -> Result<bool> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let open = sqlx::query(
                "UPDATE users SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = $2 \
                 WHERE id = $1 AND blocked_at IS NULL",
            )
            .bind(s.user_id)
            .bind(us(now))
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !open {
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, client) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&s.token_hash)
            .bind(s.user_id)
            .bind(&s.csrf_token)
            .bind(us(now))
            .bind(us(s.expires_at))
            .bind(&s.client)
            .execute(&mut *tx)
            .await?;
            crate::audit_in!(
                tx,
                now,
                format!("user:{}", s.user_id),
                "user.sign_in",
                format!("user:{}", s.user_id),
                &s.client
            );
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The session whose secret hashes to `token_hash`, if open at `now` and its user not
    /// blocked: a block ends every session at once, on every node.
    pub async fn session(&self, token_hash: &str, now: Timestamp) -> Result<Option<Session>> {
        with_db!(self, |read, _write| {
            let Some(r) = sqlx::query(&format!(
                "SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at, o.id AS org_id, o.path, o.bin, \
                 o.signature_policy FROM sessions s \
                 JOIN users u ON u.id = s.user_id \
                 LEFT JOIN organizations o ON o.id = u.organization_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.blocked_at IS NULL"
            ))
            .bind(token_hash)
            .bind(us(now))
            .fetch_optional(read)
            .await?
            else {
                return Ok(None);
            };
            let user = user_of(&r)?;
            let (scope, signer) = match r.try_get::<Option<i64>, _>("org_id")? {
                Some(id) => (
                    Scope::Organization {
                        id,
                        path: r.try_get("path")?,
                    },
                    Some(OrgSigner {
                        code: r.try_get("org")?,
                        bin: r.try_get("bin")?,
                        policy: crate::convert::parse(
                            "organizations.signature_policy",
                            &r.try_get::<String, _>("signature_policy")?,
                        )?,
                    }),
                ),
                None if user.role.needs_organization() => return Ok(None),
                None => (Scope::Admin, None),
            };
            Ok(Some(Session {
                user,
                csrf_token: r.try_get("csrf_token")?,
                expires_at: ts("expires_at", r.try_get("expires_at")?)?,
                scope,
                signer,
            }))
        })
    }

    /// Closes a session (signing out); audited when there was one.
    pub async fn close_session(&self, token_hash: &str, now: Timestamp) -> Result<bool> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let user: Option<i64> =
                sqlx::query_scalar("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id")
                    .bind(token_hash)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(id) = user {
                crate::audit_in!(
                    tx,
                    now,
                    format!("user:{id}"),
                    "user.sign_out",
                    format!("user:{id}"),
                    ""
                );
            }
            tx.commit().await?;
            Ok(user.is_some())
        })
    }
}

impl Store {
    /// Remembers the user's language of the workstation (kk, ru or en; checked by the caller).
    pub async fn set_user_language(&self, user_id: i64, language: &str) -> Result<()> {
        with_db!(self, |_read, write| {
            sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
                .bind(language)
                .bind(user_id)
                .execute(write)
                .await?;
            Ok(())
        })
    }

    /// Replaces a user's password hash (the user's own change: a password an administrator
    /// set need not be changed any more) and closes the user's other sessions (a changed
    /// password must lock out whoever else knew the old one); audited.
    pub async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        keep_session: &str,
        actor: &str,
        now: Timestamp,
    ) -> Result<()> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            sqlx::query(
                "UPDATE users SET password_hash = $1, failed_attempts = 0, locked_until = NULL, \
                 must_change_password = $3 WHERE id = $2",
            )
            .bind(password_hash)
            .bind(user_id)
            .bind(false)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user_id)
                .bind(keep_session)
                .execute(&mut *tx)
                .await?;
            crate::audit_in!(
                tx,
                now,
                actor.to_string(),
                "user.password_changed",
                format!("user:{user_id}"),
                ""
            );
            tx.commit().await?;
            Ok(())
        })
    }
}
