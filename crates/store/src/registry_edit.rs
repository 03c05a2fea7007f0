//! Edits of the registry (issue 16, B.7): an organization's names, BIN and working hours, a
//! service's names, provider, channels and systems, each checked against the revision it was
//! made from and audited with its before and after in the same transaction; and the history of
//! a service's terms.

use crate::convert::{date, join, ts, us};
use crate::error::{Result, StoreError};
use crate::models::*;
use crate::rows::{OrgRow, TermRow, ORG_SELECT, TERM_COLUMNS};
use crate::{with_db, Store};
use jiff::Timestamp;
use qyzmet_domain::ids::{OrgCode, ServiceCode};
use serde_json::{json, Map, Value};
use sqlx::Row;

/// Refuses (`unknown_information_system`, at `depends_on`) a list of system codes naming one
/// that is not registered; inside a transaction `$tx`.
macro_rules! check_systems {
    ($tx:expr, $codes:expr) => {{
        let codes: &[String] = $codes;
        if !codes.is_empty() {
            let mut qb =
                sqlx::QueryBuilder::new("SELECT code FROM information_systems WHERE code IN (");
            let mut sep = qb.separated(", ");
            for c in codes {
                sep.push_bind(c.clone());
            }
            qb.push(")");
            let known: Vec<String> = qb
                .build()
                .fetch_all(&mut *$tx)
                .await?
                .iter()
                .map(|r| sqlx::Row::try_get::<String, _>(r, "code"))
                .collect::<std::result::Result<_, _>>()?;
            if codes.iter().any(|c| !known.contains(c)) {
                return Err($crate::error::StoreError::Invalid {
                    code: "unknown_information_system",
                    field: "depends_on",
                });
            }
        }
    }};
}
pub(crate) use check_systems;

/// The id of organization `$code`, refused as `unknown_organization` at `$field` when there is
/// none; inside a transaction `$tx`.
macro_rules! org_id {
    ($tx:expr, $code:expr, $field:literal) => {
        sqlx::Row::try_get::<i64, _>(
            &sqlx::query("SELECT id FROM organizations WHERE code = $1")
                .bind($code)
                .fetch_optional(&mut *$tx)
                .await?
                .ok_or($crate::error::StoreError::Invalid {
                    code: "unknown_organization",
                    field: $field,
                })?,
            "id",
        )?
    };
}
pub(crate) use org_id;

/// Records version `$version` of service `$id`'s terms: its effective date, legal basis, who
/// and when; inside a transaction `$tx`.
macro_rules! record_version {
    ($tx:expr, $id:expr, $version:expr, $effective:expr, $basis:expr, $actor:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO service_term_versions (service_id, version, effective_from, \
             legal_basis, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($id)
        .bind($version)
        .bind($effective.to_string())
        .bind($basis)
        .bind($actor)
        .bind($crate::convert::us($now))
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use record_version;

/// The fields that differ between `before` and `after`, as the audit log keeps an edit:
/// `{"before": {field: old}, "after": {field: new}}`.
fn changes(before: Value, after: Value) -> Option<String> {
    let (Value::Object(b), Value::Object(a)) = (before, after) else {
        return None;
    };
    let (mut old, mut new) = (Map::new(), Map::new());
    for (k, v) in a {
        if b.get(&k) != Some(&v) {
            old.insert(k.clone(), b.get(&k).cloned().unwrap_or(Value::Null));
            new.insert(k, v);
        }
    }
    (!new.is_empty()).then(|| json!({"before": old, "after": new}).to_string())
}

/// An edit made from a revision older than the stored one (optimistic concurrency).
pub(crate) fn stale() -> StoreError {
    StoreError::Conflict {
        code: "stale_revision",
        field: Some("revision"),
    }
}

fn org_fields(name: &LocalizedName, bin: &str, hours: &str) -> Value {
    json!({"name.kk": name.kk, "name.ru": name.ru, "name.en": name.en, "bin": bin,
           "working_hours": hours})
}

fn service_fields(org: &str, name: &LocalizedName, channels: &str, systems: &str) -> Value {
    json!({"organization": org, "name.kk": name.kk, "name.ru": name.ru, "name.en": name.en,
           "channels": channels, "depends_on": systems})
}

impl Store {
    /// Changes an organization's names, BIN and working hours if it is still at `revision`
    /// (else `stale_revision`); the BIN stays unique. Audited (`organization.edit`) with the
    /// fields before and after, in the same transaction; an edit that changes nothing writes
    /// nothing.
    #[tracing::instrument(skip_all, fields(code = %code))]
    pub async fn update_organization(
        &self,
        code: &OrgCode,
        revision: i64,
        edit: &OrganizationEdit,
        actor: &str,
        now: Timestamp,
    ) -> Result<Organization> {
        let lock = self.row_lock();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            // Locked alone: PostgreSQL locks no row of an outer join's nullable side (the parent).
            let id: i64 = sqlx::query(&format!(
                "SELECT id FROM organizations WHERE code = $1{lock}"
            ))
            .bind(code.as_ref())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("organization"))?
            .try_get("id")?;
            let old = sqlx::query_as::<_, OrgRow>(&format!("{ORG_SELECT} WHERE o.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            if old.revision != revision {
                return Err(stale());
            }
            let bin = edit.bin.to_string();
            let taken =
                sqlx::query("SELECT 1 AS one FROM organizations WHERE bin = $1 AND id <> $2")
                    .bind(&bin)
                    .bind(old.id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if taken.is_some() {
                return Err(StoreError::Conflict {
                    code: "organization_bin_taken",
                    field: Some("bin"),
                });
            }
            let before = LocalizedName {
                kk: old.name_kk.clone(),
                ru: old.name_ru.clone(),
                en: old.name_en.clone(),
            };
            let detail = changes(
                org_fields(&before, &old.bin, &old.working_hours),
                org_fields(&edit.name, &bin, &edit.working_hours.to_string()),
            );
            if let Some(detail) = detail {
                sqlx::query(
                    "UPDATE organizations SET bin = $1, name_kk = $2, name_ru = $3, name_en = $4, \
                     working_hours = $5, revision = revision + 1 WHERE id = $6",
                )
                .bind(&bin)
                .bind(&edit.name.kk)
                .bind(&edit.name.ru)
                .bind(&edit.name.en)
                .bind(edit.working_hours.to_string())
                .bind(old.id)
                .execute(&mut *tx)
                .await
                .map_err(|e| {
                    crate::convert::unique_to_conflict(e, "organization_bin_taken", "bin")
                })?;
                crate::audit_in!(
                    tx,
                    now,
                    actor,
                    "organization.edit",
                    format!("organization:{code}"),
                    detail
                );
            }
            let org = sqlx::query_as::<_, OrgRow>(&format!("{ORG_SELECT} WHERE o.id = $1"))
                .bind(old.id)
                .fetch_one(&mut *tx)
                .await?
                .into_model()?;
            tx.commit().await?;
            Ok(org)
        })
    }

    /// Changes a service's names, provider, channels and systems if it is still at `revision`
    /// (else `stale_revision`). The provider changes only while no application of the service
    /// is registered (`service_has_applications`): an application's places of acceptance and
    /// execution were checked against the provider's sub-tree when it was registered, and
    /// must stay inside it. Audited (`service.edit`) with the fields before and after, in the
    /// same transaction.
    #[tracing::instrument(skip_all, fields(code = %code))]
    pub async fn update_service(
        &self,
        code: &ServiceCode,
        revision: i64,
        edit: &ServiceEdit,
        actor: &str,
        now: Timestamp,
    ) -> Result<()> {
        let (_, lock) = self.service_locks();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let old = sqlx::query(&format!(
                "SELECT s.id, s.revision, s.organization_id, o.code AS org_code, s.name_kk, \
                 s.name_ru, s.name_en, s.channels, s.depends_on FROM services s \
                 JOIN organizations o ON o.id = s.organization_id WHERE s.code = $1{lock}"
            ))
            .bind(code.as_ref())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("service"))?;
            let id: i64 = old.try_get("id")?;
            if old.try_get::<i64, _>("revision")? != revision {
                return Err(stale());
            }
            let old_org: String = old.try_get("org_code")?;
            let mut org_id: i64 = old.try_get("organization_id")?;
            if old_org != edit.organization.as_ref() {
                org_id = org_id!(tx, edit.organization.as_ref(), "organization");
                let used =
                    sqlx::query("SELECT 1 AS one FROM applications WHERE service_id = $1 LIMIT 1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                if used.is_some() {
                    return Err(StoreError::Conflict {
                        code: "service_has_applications",
                        field: Some("organization"),
                    });
                }
            }
            check_systems!(tx, &edit.depends_on);
            let channels: Vec<&str> = edit.channels.iter().map(|c| c.as_str()).collect();
            let (channels, systems) = (join(&channels), join(&edit.depends_on));
            let before = LocalizedName {
                kk: old.try_get("name_kk")?,
                ru: old.try_get("name_ru")?,
                en: old.try_get("name_en")?,
            };
            let old_channels: String = old.try_get("channels")?;
            let old_systems: String = old.try_get("depends_on")?;
            let detail = changes(
                service_fields(&old_org, &before, &old_channels, &old_systems),
                service_fields(edit.organization.as_ref(), &edit.name, &channels, &systems),
            );
            if let Some(detail) = detail {
                sqlx::query(
                    "UPDATE services SET organization_id = $1, name_kk = $2, name_ru = $3, \
                     name_en = $4, channels = $5, depends_on = $6, revision = revision + 1, \
                     updated_at = $7 WHERE id = $8",
                )
                .bind(org_id)
                .bind(&edit.name.kk)
                .bind(&edit.name.ru)
                .bind(&edit.name.en)
                .bind(&channels)
                .bind(&systems)
                .bind(us(now))
                .bind(id)
                .execute(&mut *tx)
                .await?;
                crate::audit_in!(
                    tx,
                    now,
                    actor,
                    "service.edit",
                    format!("service:{code}"),
                    detail
                );
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Every version of a service's terms, the latest first, with its effective date, legal
    /// basis and variants; `None` for an unknown service.
    pub async fn terms_history(&self, code: &ServiceCode) -> Result<Option<Vec<TermsVersion>>> {
        with_db!(self, |read, _write| {
            let Some(id) = sqlx::query("SELECT id FROM services WHERE code = $1")
                .bind(code.as_ref())
                .fetch_optional(read)
                .await?
            else {
                return Ok(None);
            };
            let id: i64 = id.try_get("id")?;
            let versions = sqlx::query(
                "SELECT version, effective_from, legal_basis, actor, created_at \
                 FROM service_term_versions WHERE service_id = $1 ORDER BY version DESC",
            )
            .bind(id)
            .fetch_all(read)
            .await?;
            let rows = sqlx::query(&format!(
                "SELECT t.version, {TERM_COLUMNS} FROM service_terms t WHERE t.service_id = $1 \
                 ORDER BY t.version, t.position"
            ))
            .bind(id)
            .fetch_all(read)
            .await?;
            let mut out = Vec::with_capacity(versions.len());
            for v in &versions {
                let version: i64 = v.try_get("version")?;
                let mut terms = Vec::new();
                for r in rows
                    .iter()
                    .filter(|r| r.try_get::<i64, _>("version").ok() == Some(version))
                {
                    let row = TermRow {
                        service_id: id,
                        variant: r.try_get("variant")?,
                        amount: r.try_get("amount")?,
                        unit: r.try_get("unit")?,
                        name_kk: r.try_get("name_kk")?,
                        name_ru: r.try_get("name_ru")?,
                        name_en: r.try_get("name_en")?,
                    };
                    terms.push(row.into_model()?);
                }
                out.push(TermsVersion {
                    version,
                    effective_from: date(
                        "service_term_versions.effective_from",
                        &v.try_get::<String, _>("effective_from")?,
                    )?,
                    legal_basis: v.try_get("legal_basis")?,
                    actor: v.try_get("actor")?,
                    created_at: ts("service_term_versions.created_at", v.try_get("created_at")?)?,
                    terms,
                });
            }
            Ok(Some(out))
        })
    }

    /// Whether any application of the service is registered (its provider is then fixed).
    pub async fn service_has_applications(&self, code: &ServiceCode) -> Result<bool> {
        with_db!(self, |read, _write| {
            let row = sqlx::query(
                "SELECT 1 AS one FROM applications a JOIN services s ON s.id = a.service_id \
                 WHERE s.code = $1 LIMIT 1",
            )
            .bind(code.as_ref())
            .fetch_optional(read)
            .await?;
            Ok(row.is_some())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_is_audited_with_only_what_changed() {
        let n = |kk: &str| LocalizedName {
            kk: kk.into(),
            ru: "р".into(),
            en: "e".into(),
        };
        let d = changes(
            org_fields(&n("а"), "1", "09:00-18:00"),
            org_fields(&n("ә"), "1", "09:00-18:00"),
        )
        .unwrap();
        let v: Value = serde_json::from_str(&d).unwrap();
        assert_eq!(
            v,
            json!({"before": {"name.kk": "а"}, "after": {"name.kk": "ә"}})
        );
        assert_eq!(
            changes(org_fields(&n("а"), "1", "x"), org_fields(&n("а"), "1", "x")),
            None
        );
    }
}
