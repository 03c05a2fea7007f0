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
            let org_id: Option<i64> = match &u.organization {
                Some(code) => Some(
                    sqlx::query_scalar("SELECT id FROM organizations WHERE code = $1")
                        .bind(code.as_ref())
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(StoreError::Invalid {
                            code: "unknown_organization",
                            field: "organization",
                        })?,
                ),
                None => None,
            };
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
                .bind(&u.username)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Conflict {
                    code: "username_taken",
                    field: Some("username"),
                });
            }
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
            sqlx::query(
                "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(us(now))
            .bind(actor)
            .bind("user.create")
            .bind(format!("user:{id}"))
            .bind(u.role.as_str())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(User {
                id,
                username: u.username.clone(),
                role: u.role,
                organization: u.organization.clone(),
                language: "kk".into(),
                created_at: now,
            })
        })
    }

    /// Every user, in creation order (never their password hashes).
    pub async fn users(&self) -> Result<Vec<User>> {
        with_db!(self, |read, _write| {
            sqlx::query(
                "SELECT u.id, u.username, u.role, o.code AS org, u.language, u.created_at \
                 FROM users u LEFT JOIN organizations o ON o.id = u.organization_id ORDER BY u.id",
            )
            .fetch_all(read)
            .await?
            .into_iter()
            .map(|r| {
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
                })
            })
            .collect()
        })
    }
}
