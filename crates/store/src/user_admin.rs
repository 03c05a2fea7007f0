//! User administration (issue 16, B.6): the administrator's view of the accounts and the
//! changes made to them — profile, role and organization, block and unblock, unlock, a
//! password reset. Each change is one transaction with its audit entry; the audit names the
//! user by id and the fields changed, never a person's name.

use crate::convert::{ts, us};
use crate::error::{Result, StoreError};
use crate::models::*;
use crate::users::{user_of, USER_COLUMNS};
use crate::{with_db, Store};
use jiff::Timestamp;
use qyzmet_domain::ids::OrgCode;
use sqlx::Row;

const RECORD_COLUMNS: &str = "u.blocked_at, u.blocked_by, u.blocked_reason, u.locked_until, \
     u.failed_attempts, u.last_sign_in_at";

/// The query of users with their accounts' state, `rest` after the join (a filter, an order).
fn records_sql(rest: &str) -> String {
    format!(
        "SELECT {USER_COLUMNS}, {RECORD_COLUMNS} FROM users u \
         LEFT JOIN organizations o ON o.id = u.organization_id {rest}"
    )
}

fn record_of<R: Row>(r: &R) -> Result<UserRecord>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> bool: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let instant = |column: &'static str| -> Result<Option<Timestamp>> {
        r.try_get::<Option<i64>, _>(column)?
            .map(|t| ts(column, t))
            .transpose()
    };
    let block = match instant("blocked_at")? {
        Some(at) => Some(Block {
            at,
            by: r
                .try_get::<Option<String>, _>("blocked_by")?
                .unwrap_or_default(),
            reason: r
                .try_get::<Option<String>, _>("blocked_reason")?
                .unwrap_or_default(),
        }),
        None => None,
    };
    Ok(UserRecord {
        user: user_of(r)?,
        block,
        locked_until: instant("locked_until")?,
        failed_attempts: r.try_get("failed_attempts")?,
        last_sign_in_at: instant("last_sign_in_at")?,
    })
}

/// A change of a user, as the administrator asks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserChange {
    /// Full name and position (both may be empty).
    Profile {
        full_name: String,
        position: String,
    },
    /// A role and its organization (operators and supervisors have one; others none).
    Role {
        role: UserRole,
        organization: Option<OrgCode>,
    },
    /// Blocked with a reason: no sign-in, and every open session ends now.
    Block {
        reason: String,
    },
    Unblock,
    /// The lockout after repeated failures lifted, the count cleared.
    Unlock,
    /// A password set by an administrator (its argon2id hash): the user must change it at
    /// the next sign-in; every open session ends now.
    ResetPassword {
        password_hash: String,
    },
}

impl UserChange {
    /// The audit's action.
    pub fn action(&self) -> &'static str {
        match self {
            UserChange::Profile { .. } => "user.profile",
            UserChange::Role { .. } => "user.role",
            UserChange::Block { .. } => "user.block",
            UserChange::Unblock => "user.unblock",
            UserChange::Unlock => "user.unlock",
            UserChange::ResetPassword { .. } => "user.password_reset",
        }
    }
}

impl Store {
    /// Every user with the account's state, in creation order.
    pub async fn user_records(&self) -> Result<Vec<UserRecord>> {
        with_db!(self, |read, _write| {
            sqlx::query(&records_sql("ORDER BY u.id"))
                .fetch_all(read)
                .await?
                .iter()
                .map(record_of)
                .collect()
        })
    }

    /// One user with the account's state.
    pub async fn user_record(&self, id: i64) -> Result<Option<UserRecord>> {
        with_db!(self, |read, _write| {
            sqlx::query(&records_sql("WHERE u.id = $1"))
                .bind(id)
                .fetch_optional(read)
                .await?
                .as_ref()
                .map(record_of)
                .transpose()
        })
    }

    /// The id of the user named `username` (lower case).
    pub async fn user_id(&self, username: &str) -> Result<Option<i64>> {
        with_db!(self, |read, _write| {
            Ok(
                sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
                    .bind(username)
                    .fetch_optional(read)
                    .await?,
            )
        })
    }

    /// Applies `change` to user `id` in one transaction with its audit entry (`actor`, the
    /// fields changed, the number of sessions closed), and answers the user as it is after.
    /// A block or a password reset closes every session of the user in the same
    /// transaction. A change that changes nothing (blocking a blocked user, unlocking one
    /// not locked) writes nothing and is not audited. `NotFound("user")` for no such user.
    pub async fn change_user(
        &self,
        id: i64,
        change: &UserChange,
        actor: &str,
        now: Timestamp,
    ) -> Result<UserRecord> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(StoreError::NotFound("user"));
            }
            let (changed, detail) = match change {
                UserChange::Profile {
                    full_name,
                    position,
                } => {
                    let n = sqlx::query(
                        "UPDATE users SET full_name = $2, position = $3 WHERE id = $1 \
                         AND (full_name <> $2 OR position <> $3)",
                    )
                    .bind(id)
                    .bind(full_name)
                    .bind(position)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    (n == 1, "full_name, position".to_string())
                }
                UserChange::Role { role, organization } => {
                    let org_id = crate::organization_id!(tx, organization);
                    let n = sqlx::query(
                        "UPDATE users SET role = $2, organization_id = $3 WHERE id = $1 \
                         AND (role <> $2 OR organization_id IS DISTINCT FROM $3)",
                    )
                    .bind(id)
                    .bind(role.as_str())
                    .bind(org_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    let org = organization
                        .as_ref()
                        .map(|o| o.to_string())
                        .unwrap_or_else(|| "-".into());
                    (n == 1, format!("{role} {org}"))
                }
                UserChange::Block { reason } => {
                    let n = sqlx::query(
                        "UPDATE users SET blocked_at = $2, blocked_by = $3, blocked_reason = $4 \
                         WHERE id = $1 AND blocked_at IS NULL",
                    )
                    .bind(id)
                    .bind(us(now))
                    .bind(actor)
                    .bind(reason)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    (n == 1, reason.clone())
                }
                UserChange::Unblock => {
                    let n = sqlx::query(
                        "UPDATE users SET blocked_at = NULL, blocked_by = NULL, \
                         blocked_reason = NULL WHERE id = $1 AND blocked_at IS NOT NULL",
                    )
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    (n == 1, String::new())
                }
                UserChange::Unlock => {
                    let n = sqlx::query(
                        "UPDATE users SET failed_attempts = 0, locked_until = NULL \
                         WHERE id = $1 AND (locked_until IS NOT NULL OR failed_attempts <> 0)",
                    )
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    (n == 1, String::new())
                }
                UserChange::ResetPassword { password_hash } => {
                    sqlx::query(
                        "UPDATE users SET password_hash = $2, must_change_password = $3, \
                         failed_attempts = 0, locked_until = NULL WHERE id = $1",
                    )
                    .bind(id)
                    .bind(password_hash)
                    .bind(true)
                    .execute(&mut *tx)
                    .await?;
                    (true, String::new())
                }
            };
            if changed {
                let closes = matches!(
                    change,
                    UserChange::Block { .. } | UserChange::ResetPassword { .. }
                );
                let detail = if closes {
                    let closed = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    let sessions = format!("sessions closed: {closed}");
                    if detail.is_empty() {
                        sessions
                    } else {
                        format!("{detail}; {sessions}")
                    }
                } else {
                    detail
                };
                crate::audit_in!(
                    tx,
                    now,
                    actor,
                    change.action(),
                    format!("user:{id}"),
                    detail
                );
            }
            tx.commit().await?;
            sqlx::query(&records_sql("WHERE u.id = $1"))
                .bind(id)
                .fetch_one(write)
                .await
                .map_err(StoreError::from)
                .and_then(|r| record_of(&r))
        })
    }
}
