//! The registry (organizations, services with versioned terms, information systems) and the
//! API tokens bound to organizations.

use crate::convert::{unique_to_conflict, us};
use crate::error::{Result, StoreError};
use crate::models::*;
use crate::rows::{
    service_select, terms_in_force, OrgRow, ServiceRow, TermRow, ORG_SELECT, TERM_COLUMNS,
};
use crate::{with_db, Store};
use jiff::Timestamp;
use qyzmet_domain::ids::{OrgCode, ServiceCode};
use qyzmet_domain::zone::local_date;
use sqlx::{QueryBuilder, Row};
use std::collections::HashMap;

/// Adds term variants (service, version, position, variant, amount, unit, created_at, and the
/// name in each language).
pub(crate) const TERMS_INSERT: &str =
    "INSERT INTO service_terms (service_id, version, position, variant, \
     amount, unit, created_at, name_kk, name_ru, name_en) ";

/// The names of version `$2`'s unnamed variants of service `$1` taken from version `$2 - 1`'s
/// variant of the same code.
const KEEP_TERM_NAMES: &str = "UPDATE service_terms SET \
     name_kk = (SELECT p.name_kk FROM service_terms p WHERE p.service_id = service_terms.service_id \
       AND p.version = service_terms.version - 1 AND p.variant = service_terms.variant), \
     name_ru = (SELECT p.name_ru FROM service_terms p WHERE p.service_id = service_terms.service_id \
       AND p.version = service_terms.version - 1 AND p.variant = service_terms.variant), \
     name_en = (SELECT p.name_en FROM service_terms p WHERE p.service_id = service_terms.service_id \
       AND p.version = service_terms.version - 1 AND p.variant = service_terms.variant) \
     WHERE service_id = $1 AND version = $2 AND name_kk = '' AND name_ru = '' AND name_en = '' \
     AND EXISTS (SELECT 1 FROM service_terms p WHERE p.service_id = service_terms.service_id \
       AND p.version = service_terms.version - 1 AND p.variant = service_terms.variant)";

fn group_terms(rows: Vec<TermRow>) -> Result<HashMap<i64, Vec<TermVariant>>> {
    let mut by_service: HashMap<i64, Vec<TermVariant>> = HashMap::new();
    for r in rows {
        by_service
            .entry(r.service_id)
            .or_default()
            .push(r.into_model()?);
    }
    Ok(by_service)
}

/// Inserts organization `$o` (a [`NewOrganization`]) under `$parent` (its id and path, or
/// `None` for a root) with signature policy `$policy`, inside transaction `$tx`, and gives it
/// its tree path; the new id, or the insert's error.
macro_rules! insert_organization {
    ($tx:expr, $o:expr, $parent:expr, $policy:expr, $now:expr) => {
        async {
            let o: &$crate::models::NewOrganization = $o;
            let parent: &Option<(i64, String)> = &$parent;
            let id: i64 = sqlx::Row::try_get(
                &sqlx::query(
                    "INSERT INTO organizations (code, parent_id, path, kind, bin, name_kk, \
                     name_ru, name_en, working_hours, signature_policy, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                )
                .bind(o.code.as_ref())
                .bind(parent.as_ref().map(|p| p.0))
                .bind(format!("#{}", o.code))
                .bind(o.kind.as_str())
                .bind(o.bin.to_string())
                .bind(&o.name.kk)
                .bind(&o.name.ru)
                .bind(&o.name.en)
                .bind(o.working_hours.to_string())
                .bind($policy.as_str())
                .bind($crate::convert::us($now))
                .fetch_one(&mut *$tx)
                .await?,
                "id",
            )?;
            let path = format!(
                "{}{id}/",
                parent.as_ref().map(|p| p.1.as_str()).unwrap_or("/")
            );
            sqlx::query("UPDATE organizations SET path = $1 WHERE id = $2")
                .bind(&path)
                .bind(id)
                .execute(&mut *$tx)
                .await?;
            Ok::<i64, sqlx::Error>(id)
        }
        .await
    };
}
pub(crate) use insert_organization;

/// Inserts service `$s` (a [`NewService`], its terms aside) of organization id `$org_id`,
/// its terms at version `$version`, inside transaction `$tx`; the new id, or the insert's
/// error.
macro_rules! insert_service {
    ($tx:expr, $s:expr, $org_id:expr, $version:expr, $now:expr) => {
        async {
            let s: &$crate::models::NewService = $s;
            let channels: Vec<&str> = s.channels.iter().map(|c| c.as_str()).collect();
            sqlx::Row::try_get::<i64, _>(
                &sqlx::query(
                    "INSERT INTO services (code, organization_id, name_kk, name_ru, name_en, \
                     acceptance_day_counted, channels, depends_on, terms_version, created_at, \
                     updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
                )
                .bind(s.code.as_ref())
                .bind($org_id)
                .bind(&s.name.kk)
                .bind(&s.name.ru)
                .bind(&s.name.en)
                .bind(s.acceptance_day_counted)
                .bind($crate::convert::join(&channels))
                .bind($crate::convert::join(&s.depends_on))
                .bind($version)
                .bind($crate::convert::us($now))
                .fetch_one(&mut *$tx)
                .await?,
                "id",
            )
        }
        .await
    };
}
pub(crate) use insert_service;

impl Store {
    /// Adds an organization under its parent (if any). Codes and BINs are unique.
    #[tracing::instrument(skip_all, fields(code = %o.code))]
    pub async fn create_organization(
        &self,
        o: &NewOrganization,
        now: Timestamp,
    ) -> Result<Organization> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let parent_path: Option<(i64, String)> = match &o.parent {
                None => None,
                Some(p) => {
                    let row = sqlx::query("SELECT id, path FROM organizations WHERE code = $1")
                        .bind(p.as_ref())
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(StoreError::Invalid {
                            code: "unknown_organization",
                            field: "parent",
                        })?;
                    Some((row.try_get("id")?, row.try_get("path")?))
                }
            };
            let taken =
                sqlx::query("SELECT code, bin FROM organizations WHERE code = $1 OR bin = $2")
                    .bind(o.code.as_ref())
                    .bind(o.bin.to_string())
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(row) = taken {
                let code: String = row.try_get("code")?;
                return Err(if code == o.code.as_ref() {
                    StoreError::Conflict {
                        code: "organization_code_taken",
                        field: Some("code"),
                    }
                } else {
                    StoreError::Conflict {
                        code: "organization_bin_taken",
                        field: Some("bin"),
                    }
                });
            }
            let id = insert_organization!(tx, o, parent_path, SignaturePolicy::Optional, now)
                .map_err(|e| unique_to_conflict(e, "organization_code_taken", "code"))?;
            let org = sqlx::query_as::<_, OrgRow>(&format!("{ORG_SELECT} WHERE o.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?
                .into_model()?;
            tx.commit().await?;
            Ok(org)
        })
    }

    /// Sets whether an organization's events must, may or need not be signed; audited.
    pub async fn set_signature_policy(
        &self,
        code: &OrgCode,
        policy: SignaturePolicy,
        actor: &str,
        now: Timestamp,
    ) -> Result<Organization> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let old: Option<String> =
                sqlx::query_scalar("SELECT signature_policy FROM organizations WHERE code = $1")
                    .bind(code.as_ref())
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(old) = old else {
                return Err(StoreError::NotFound("organization"));
            };
            if old != policy.as_str() {
                sqlx::query("UPDATE organizations SET signature_policy = $1 WHERE code = $2")
                    .bind(policy.as_str())
                    .bind(code.as_ref())
                    .execute(&mut *tx)
                    .await?;
                crate::audit_in!(
                    tx,
                    now,
                    actor,
                    "organization.signature_policy",
                    code.as_ref(),
                    format!("{old} -> {policy}")
                );
            }
            let org = sqlx::query_as::<_, OrgRow>(&format!("{ORG_SELECT} WHERE o.code = $1"))
                .bind(code.as_ref())
                .fetch_one(&mut *tx)
                .await?
                .into_model()?;
            tx.commit().await?;
            Ok(org)
        })
    }

    pub async fn organization(&self, code: &OrgCode) -> Result<Option<Organization>> {
        with_db!(self, |read, _write| {
            sqlx::query_as::<_, OrgRow>(&format!("{ORG_SELECT} WHERE o.code = $1"))
                .bind(code.as_ref())
                .fetch_optional(read)
                .await?
                .map(OrgRow::into_model)
                .transpose()
        })
    }

    /// The organization of internal id `id` (a token's or a user's own).
    pub async fn organization_by_id(&self, id: i64) -> Result<Organization> {
        with_db!(self, |read, _write| {
            sqlx::query_as::<_, OrgRow>(&format!("{ORG_SELECT} WHERE o.id = $1"))
                .bind(id)
                .fetch_optional(read)
                .await?
                .ok_or(crate::error::StoreError::NotFound("organization"))?
                .into_model()
        })
    }

    /// A page of organizations in id order, after `after_id`, optionally within a sub-tree.
    pub async fn organizations(
        &self,
        within: Option<&str>,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<Organization>> {
        with_db!(self, |read, _write| {
            let mut qb = QueryBuilder::new(ORG_SELECT);
            qb.push(" WHERE o.id > ").push_bind(after_id);
            if let Some(path) = within {
                qb.push(" AND o.path >= ").push_bind(path.to_string());
                qb.push(" AND o.path < ")
                    .push_bind(crate::convert::path_end(path));
            }
            qb.push(" ORDER BY o.id LIMIT ").push_bind(limit);
            qb.build_query_as::<OrgRow>()
                .fetch_all(read)
                .await?
                .into_iter()
                .map(OrgRow::into_model)
                .collect()
        })
    }

    /// Registers an information system (or updates its names and operator).
    pub async fn upsert_information_system(&self, s: &InformationSystem) -> Result<()> {
        with_db!(self, |_read, write| {
            sqlx::query(
                "INSERT INTO information_systems (code, name_kk, name_ru, name_en, operator) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO UPDATE SET name_kk = excluded.name_kk, \
                 name_ru = excluded.name_ru, name_en = excluded.name_en, operator = excluded.operator",
            )
            .bind(&s.code)
            .bind(&s.name.kk)
            .bind(&s.name.ru)
            .bind(&s.name.en)
            .bind(&s.operator)
            .execute(write)
            .await?;
            Ok(())
        })
    }

    pub async fn information_systems(&self) -> Result<Vec<InformationSystem>> {
        with_db!(self, |read, _write| {
            let rows = sqlx::query("SELECT code, name_kk, name_ru, name_en, operator FROM information_systems ORDER BY code")
                .fetch_all(read)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(InformationSystem {
                        code: r.try_get("code")?,
                        name: LocalizedName {
                            kk: r.try_get("name_kk")?,
                            ru: r.try_get("name_ru")?,
                            en: r.try_get("name_en")?,
                        },
                        operator: r.try_get("operator")?,
                    })
                })
                .collect()
        })
    }

    /// Adds a service with its first version of term variants.
    #[tracing::instrument(skip_all, fields(code = %s.code))]
    pub async fn create_service(&self, s: &NewService, now: Timestamp) -> Result<Service> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let org_id: i64 =
                crate::registry_edit::org_id!(tx, s.organization.as_ref(), "organization");
            crate::registry_edit::check_systems!(tx, &s.depends_on);
            let exists = sqlx::query("SELECT 1 AS one FROM services WHERE code = $1")
                .bind(s.code.as_ref())
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                return Err(StoreError::Conflict {
                    code: "service_code_taken",
                    field: Some("code"),
                });
            }
            let id = insert_service!(tx, s, org_id, 1_i64, now)
                .map_err(|e| unique_to_conflict(e, "service_code_taken", "code"))?;
            let mut qb = QueryBuilder::new(TERMS_INSERT);
            qb.push_values(s.terms.iter().enumerate(), |mut b, (i, t)| {
                b.push_bind(id)
                    .push_bind(1_i64)
                    .push_bind(i as i64)
                    .push_bind(t.variant.clone())
                    .push_bind(i64::from(t.term.amount))
                    .push_bind(t.term.unit.as_str())
                    .push_bind(us(now))
                    .push_bind(t.name.kk.clone())
                    .push_bind(t.name.ru.clone())
                    .push_bind(t.name.en.clone());
            });
            qb.build().execute(&mut *tx).await?;
            crate::registry_edit::record_version!(tx, id, 1_i64, local_date(now), "", "", now);
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.service(&s.code)
            .await?
            .ok_or(StoreError::NotFound("service"))
    }

    /// Adds a new version of a service's term variants, in force for registrations from its
    /// effective date (not before the latest version's); applications already registered keep
    /// the version they were registered under. The effective date is the caller's to check
    /// against today.
    pub async fn change_service_terms(
        &self,
        code: &ServiceCode,
        change: &TermsChange,
        actor: &str,
        now: Timestamp,
    ) -> Result<Service> {
        let terms = &change.terms;
        // Locked: two changes at once take the next two versions (contention.rs).
        let lock = self.row_lock();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let row = sqlx::query(&format!(
                "SELECT id, terms_version FROM services WHERE code = $1{lock}"
            ))
            .bind(code.as_ref())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("service"))?;
            let id: i64 = row.try_get("id")?;
            let version: i64 = row.try_get::<i64, _>("terms_version")? + 1;
            let latest: Option<String> = sqlx::query_scalar(
                "SELECT effective_from FROM service_term_versions WHERE service_id = $1 \
                 ORDER BY version DESC LIMIT 1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            // Versions take effect in the order they are recorded: the one in force on a day
            // is the highest version dated on or before it.
            if latest.is_some_and(|l| l.as_str() > change.effective_from.to_string().as_str()) {
                return Err(StoreError::Invalid {
                    code: "effective_before_latest",
                    field: "effective_from",
                });
            }
            let mut qb = QueryBuilder::new(TERMS_INSERT);
            qb.push_values(terms.iter().enumerate(), |mut b, (i, t)| {
                b.push_bind(id)
                    .push_bind(version)
                    .push_bind(i as i64)
                    .push_bind(t.variant.clone())
                    .push_bind(i64::from(t.term.amount))
                    .push_bind(t.term.unit.as_str())
                    .push_bind(us(now))
                    .push_bind(t.name.kk.clone())
                    .push_bind(t.name.ru.clone())
                    .push_bind(t.name.en.clone());
            });
            qb.build().execute(&mut *tx).await?;
            // A variant the new version keeps without naming it keeps its name (a form that
            // changes only the amounts does not erase the translations).
            sqlx::query(KEEP_TERM_NAMES)
                .bind(id)
                .bind(version)
                .execute(&mut *tx)
                .await?;
            crate::registry_edit::record_version!(
                tx,
                id,
                version,
                change.effective_from,
                &change.legal_basis,
                actor,
                now
            );
            sqlx::query("UPDATE services SET terms_version = $1, updated_at = $2 WHERE id = $3")
                .bind(version)
                .bind(us(now))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.service(code)
            .await?
            .ok_or(StoreError::NotFound("service"))
    }

    /// A service with the terms in force today.
    pub async fn service(&self, code: &ServiceCode) -> Result<Option<Service>> {
        let select = service_select(local_date(Timestamp::now()));
        with_db!(self, |read, _write| {
            let Some(row) = sqlx::query_as::<_, ServiceRow>(&format!("{select} WHERE s.code = $1"))
                .bind(code.as_ref())
                .fetch_optional(read)
                .await?
            else {
                return Ok(None);
            };
            let terms = sqlx::query_as::<_, TermRow>(&format!(
                "SELECT {TERM_COLUMNS} FROM service_terms t \
                 WHERE t.service_id = $1 AND t.version = $2 ORDER BY t.position"
            ))
            .bind(row.id)
            .bind(row.terms_version)
            .fetch_all(read)
            .await?;
            let terms = terms
                .into_iter()
                .map(TermRow::into_model)
                .collect::<Result<_>>()?;
            row.into_model(terms).map(Some)
        })
    }

    /// A page of services in id order, optionally of organizations within a sub-tree.
    pub async fn services(
        &self,
        within: Option<&str>,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<Service>> {
        let today = local_date(Timestamp::now());
        with_db!(self, |read, _write| {
            let mut qb = QueryBuilder::new(service_select(today));
            qb.push(" WHERE s.id > ").push_bind(after_id);
            if let Some(path) = within {
                qb.push(" AND o.path >= ").push_bind(path.to_string());
                qb.push(" AND o.path < ")
                    .push_bind(crate::convert::path_end(path));
            }
            qb.push(" ORDER BY s.id LIMIT ").push_bind(limit);
            let rows: Vec<ServiceRow> = qb.build_query_as().fetch_all(read).await?;
            if rows.is_empty() {
                return Ok(vec![]);
            }
            let mut qb = QueryBuilder::new(format!(
                "SELECT {TERM_COLUMNS} FROM service_terms t \
                 JOIN services s ON s.id = t.service_id AND t.version = {} WHERE t.service_id IN (",
                terms_in_force(today)
            ));
            let mut sep = qb.separated(", ");
            for r in &rows {
                sep.push_bind(r.id);
            }
            qb.push(") ORDER BY t.service_id, t.position");
            let mut terms = group_terms(qb.build_query_as::<TermRow>().fetch_all(read).await?)?;
            rows.into_iter()
                .map(|r| {
                    let t = terms.remove(&r.id).unwrap_or_default();
                    r.into_model(t)
                })
                .collect()
        })
    }

    /// Stores a token's hash. The secret itself is never stored.
    pub async fn create_token(
        &self,
        token_hash: &str,
        organization: Option<&OrgCode>,
        admin: bool,
        label: &str,
        now: Timestamp,
    ) -> Result<i64> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let org_id: Option<i64> = match organization {
                None => None,
                Some(code) => Some(
                    sqlx::query("SELECT id FROM organizations WHERE code = $1")
                        .bind(code.as_ref())
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or(StoreError::Invalid {
                            code: "unknown_organization",
                            field: "org",
                        })?
                        .try_get("id")?,
                ),
            };
            let id: i64 = sqlx::query(
                "INSERT INTO api_tokens (token_hash, organization_id, admin, label, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(token_hash)
            .bind(org_id)
            .bind(admin)
            .bind(label)
            .bind(us(now))
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Resolves a token by the hash of its secret; revoked tokens resolve to nothing.
    pub async fn token(&self, token_hash: &str) -> Result<Option<TokenInfo>> {
        with_db!(self, |read, _write| {
            let row = sqlx::query(
                "SELECT t.id, t.label, t.admin, t.organization_id, o.path, o.code, o.bin, \
                 o.signature_policy FROM api_tokens t \
                 LEFT JOIN organizations o ON o.id = t.organization_id \
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
            )
            .bind(token_hash)
            .fetch_optional(read)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let admin: bool = row.try_get("admin")?;
            let scope = match (admin, row.try_get::<Option<i64>, _>("organization_id")?) {
                (true, _) => Scope::Admin,
                (false, Some(id)) => Scope::Organization {
                    id,
                    path: row.try_get("path")?,
                },
                (false, None) => return Ok(None),
            };
            let signer = match row.try_get::<Option<String>, _>("bin")? {
                Some(bin) => Some(OrgSigner {
                    code: row.try_get("code")?,
                    bin,
                    policy: crate::convert::parse(
                        "organizations.signature_policy",
                        &row.try_get::<String, _>("signature_policy")?,
                    )?,
                }),
                None => None,
            };
            Ok(Some(TokenInfo {
                id: row.try_get("id")?,
                label: row.try_get("label")?,
                scope,
                signer,
            }))
        })
    }
}

/// A token as listed to administrators (never its secret or hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: i64,
    pub label: String,
    pub organization: Option<String>,
    pub admin: bool,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

impl Store {
    /// Every token, oldest first.
    pub async fn tokens(&self) -> Result<Vec<TokenRecord>> {
        with_db!(self, |read, _write| {
            let rows = sqlx::query(
                "SELECT t.id, t.label, o.code, t.admin, t.created_at, t.revoked_at FROM api_tokens t \
                 LEFT JOIN organizations o ON o.id = t.organization_id ORDER BY t.id",
            )
            .fetch_all(read)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(TokenRecord {
                        id: r.try_get("id")?,
                        label: r.try_get("label")?,
                        organization: r.try_get("code")?,
                        admin: r.try_get("admin")?,
                        created_at: crate::convert::ts(
                            "api_tokens.created_at",
                            r.try_get("created_at")?,
                        )?,
                        revoked_at: crate::convert::opt_ts(
                            "api_tokens.revoked_at",
                            r.try_get("revoked_at")?,
                        )?,
                    })
                })
                .collect()
        })
    }

    /// Revokes a token; it stops working within the nodes' token-cache lifetime (30 s).
    pub async fn revoke_token(&self, id: i64, now: Timestamp) -> Result<()> {
        with_db!(self, |_read, write| {
            let done = sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
            )
            .bind(us(now))
            .bind(id)
            .execute(write)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound("token"));
            }
            Ok(())
        })
    }
}
