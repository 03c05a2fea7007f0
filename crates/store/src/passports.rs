//! Service passports (issue 17, 003): the draft a service's standard is written in, its
//! published versions, and the version in force on a day (migration 0017).
//!
//! Every write locks the service's row first, so that two editors of one service take turns
//! on both backends; a draft carries a revision, and an edit or a publication made from an
//! older one is refused (`stale_revision`) instead of overwriting what another wrote. Each
//! write is audited in its own transaction.

use crate::convert::{date, opt_ts, ts, us};
use crate::error::{Result, StoreError};
use crate::registry_edit::stale;
use crate::{with_db, Store};
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::ids::ServiceCode;
use qyzmet_domain::passport::{changed_fields, Passport};
use sqlx::Row;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A service's passport version as a key: (service id, version).
pub(crate) type PassportKey = (i64, i64);

/// The published passport versions read so far, by (service id, version), shared by the
/// clones of a store. A published version never changes (only drafts are edited or
/// discarded), so an entry never goes stale: what ingest checks grounds against (003 §17) is
/// read from the database once per version and process.
#[derive(Clone, Debug, Default)]
pub(crate) struct PassportCache(Arc<Mutex<HashMap<PassportKey, Arc<Passport>>>>);

/// The published versions of `$keys` (`&[PassportKey]`), inside transaction `$tx` (sqlx,
/// either backend): those kept by `$cache`, the others read in one statement and kept.
macro_rules! published_passports {
    ($tx:expr, $cache:expr, $keys:expr) => {{
        let cache: &$crate::passports::PassportCache = $cache;
        let missing = cache.missing($keys);
        if !missing.is_empty() {
            let mut qb = sqlx::QueryBuilder::new($crate::passports::PUBLISHED_HEAD);
            let mut sep = qb.separated(", ");
            for service in $crate::passports::services_of(&missing) {
                sep.push_bind(service);
            }
            qb.push(")");
            let rows: Vec<(i64, i64, String)> = qb.build_query_as().fetch_all(&mut *$tx).await?;
            cache.keep(rows)?;
        }
        Ok::<_, $crate::StoreError>(cache.get($keys))
    }};
}
pub(crate) use published_passports;

/// The published versions of some services, to be filtered by version: `IN` on the service
/// ids follows.
pub(crate) const PUBLISHED_HEAD: &str = "SELECT service_id, version, body FROM \
     service_passports WHERE state = 'published' AND service_id IN (";

/// The distinct services of `keys`.
pub(crate) fn services_of(keys: &[PassportKey]) -> Vec<i64> {
    let mut out: Vec<i64> = keys.iter().map(|(s, _)| *s).collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl PassportCache {
    /// Which of `keys` are not kept yet (without duplicates).
    pub(crate) fn missing(&self, keys: &[PassportKey]) -> Vec<PassportKey> {
        let kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let mut out: Vec<PassportKey> = keys
            .iter()
            .filter(|k| !kept.contains_key(k))
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Keeps the rows `(service id, version, body)` read (every published version of the
    /// services missing a version: they are as immutable).
    pub(crate) fn keep(&self, rows: Vec<(i64, i64, String)>) -> Result<()> {
        let mut parsed = Vec::with_capacity(rows.len());
        for (service, version, body) in rows {
            let passport: Passport =
                serde_json::from_str(&body).map_err(|e| StoreError::Corrupt {
                    column: "service_passports.body",
                    detail: e.to_string(),
                })?;
            parsed.push(((service, version), Arc::new(passport)));
        }
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        kept.extend(parsed);
        Ok(())
    }

    /// The kept versions among `keys`.
    pub(crate) fn get(&self, keys: &[PassportKey]) -> HashMap<PassportKey, Arc<Passport>> {
        let kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        keys.iter()
            .filter_map(|k| kept.get(k).map(|p| (*k, p.clone())))
            .collect()
    }
}

/// Whether a passport version is still being written or is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassportState {
    Draft,
    Published,
}

impl PassportState {
    pub fn as_str(self) -> &'static str {
        match self {
            PassportState::Draft => "draft",
            PassportState::Published => "published",
        }
    }
}

/// One version of a service's passport, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct PassportVersion {
    pub service: ServiceCode,
    pub version: i64,
    pub state: PassportState,
    /// The first day it is in force (published versions).
    pub valid_from: Option<Date>,
    /// The last day it is in force: the day before the next published version's first.
    pub valid_to: Option<Date>,
    pub approving_act: String,
    pub passport: Passport,
    pub revision: i64,
    pub created_by: String,
    pub created_at: Timestamp,
    pub updated_by: String,
    pub updated_at: Timestamp,
    pub published_by: Option<String>,
    pub published_at: Option<Timestamp>,
}

/// What publishing a draft fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub valid_from: Date,
    pub approving_act: String,
}

const COLUMNS: &str = "p.version, p.state, p.valid_from, p.approving_act, p.body, p.revision, \
     p.created_by, p.created_at, p.updated_by, p.updated_at, p.published_by, p.published_at, \
     (SELECT MIN(n.valid_from) FROM service_passports n WHERE n.service_id = p.service_id \
      AND n.state = 'published' AND n.valid_from > p.valid_from) AS next_from";

/// A stored row of `service_passports` with the next version's first day.
#[derive(sqlx::FromRow)]
struct PassportRow {
    version: i64,
    state: String,
    valid_from: Option<String>,
    approving_act: String,
    body: String,
    revision: i64,
    created_by: String,
    created_at: i64,
    updated_by: String,
    updated_at: i64,
    published_by: Option<String>,
    published_at: Option<i64>,
    next_from: Option<String>,
}

impl PassportRow {
    fn into_version(self, service: &ServiceCode) -> Result<PassportVersion> {
        let state = match self.state.as_str() {
            "draft" => PassportState::Draft,
            "published" => PassportState::Published,
            other => {
                return Err(StoreError::Corrupt {
                    column: "service_passports.state",
                    detail: other.to_string(),
                })
            }
        };
        let passport = serde_json::from_str(&self.body).map_err(|e| StoreError::Corrupt {
            column: "service_passports.body",
            detail: e.to_string(),
        })?;
        let day = |d: Option<String>| {
            d.map(|d| date("service_passports.valid_from", &d))
                .transpose()
        };
        Ok(PassportVersion {
            service: service.clone(),
            version: self.version,
            state,
            valid_from: day(self.valid_from)?,
            valid_to: day(self.next_from)?.map(|d| d.yesterday().unwrap_or(d)),
            approving_act: self.approving_act,
            passport,
            revision: self.revision,
            created_by: self.created_by,
            created_at: ts("service_passports.created_at", self.created_at)?,
            updated_by: self.updated_by,
            updated_at: ts("service_passports.updated_at", self.updated_at)?,
            published_by: self.published_by,
            published_at: opt_ts("service_passports.published_at", self.published_at)?,
        })
    }
}

/// Which version of a service's passport to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassportWhich {
    /// The published version in force on a day.
    InForce(Date),
    /// A published version by its number.
    Published(i64),
    /// The draft.
    Draft,
}

/// The SQL expression of the passport version in force on `day` for the service aliased `s`
/// (NULL when none is published yet): what a registration records.
pub(crate) fn passport_in_force(day: Date) -> String {
    // A date renders as `YYYY-MM-DD`: nothing to escape in the literal.
    format!(
        "(SELECT MAX(p.version) FROM service_passports p WHERE p.service_id = s.id \
         AND p.state = 'published' AND p.valid_from <= '{day}')"
    )
}

/// The id of service `$code`, its row locked against other writers of its passport (on
/// PostgreSQL; SQLite has one writer), inside transaction `$tx`; `NotFound("service")`.
macro_rules! locked_service {
    ($tx:expr, $code:expr, $lock:expr) => {
        sqlx::query(&format!(
            "SELECT s.id FROM services s WHERE s.code = $1{}",
            $lock
        ))
        .bind($code.as_ref())
        .fetch_optional(&mut *$tx)
        .await?
        .ok_or(StoreError::NotFound("service"))?
        .try_get::<i64, _>("id")?
    };
}

/// The passport version of service id `$id` that `$which` (an SQL condition on `p`, binding
/// nothing beyond `$1`) selects, the newest first, inside transaction `$tx`.
macro_rules! version_where {
    ($tx:expr, $id:expr, $code:expr, $which:expr) => {
        sqlx::query_as::<_, PassportRow>(&format!(
            "SELECT {COLUMNS} FROM service_passports p WHERE p.service_id = $1 AND {} \
             ORDER BY p.version DESC LIMIT 1",
            $which
        ))
        .bind($id)
        .fetch_optional(&mut *$tx)
        .await?
        .map(|r| r.into_version($code))
        .transpose()?
    };
}

impl Store {
    /// One version of a service's passport; `None` when the service has no such version
    /// (`NotFound("service")` when there is no service of that code).
    #[tracing::instrument(skip_all, fields(code = %code))]
    pub async fn passport(
        &self,
        code: &ServiceCode,
        which: PassportWhich,
    ) -> Result<Option<PassportVersion>> {
        with_db!(self, |read, _write| {
            let id: i64 = sqlx::query("SELECT id FROM services WHERE code = $1")
                .bind(code.as_ref())
                .fetch_optional(read)
                .await?
                .ok_or(StoreError::NotFound("service"))?
                .try_get("id")?;
            let base = format!("SELECT {COLUMNS} FROM service_passports p WHERE p.service_id = $1");
            let row = match which {
                PassportWhich::InForce(day) => {
                    sqlx::query_as::<_, PassportRow>(&format!(
                        "{base} AND p.state = 'published' AND p.valid_from <= $2 \
                         ORDER BY p.version DESC LIMIT 1"
                    ))
                    .bind(id)
                    .bind(day.to_string())
                    .fetch_optional(read)
                    .await?
                }
                PassportWhich::Published(v) => {
                    sqlx::query_as::<_, PassportRow>(&format!(
                        "{base} AND p.state = 'published' AND p.version = $2"
                    ))
                    .bind(id)
                    .bind(v)
                    .fetch_optional(read)
                    .await?
                }
                PassportWhich::Draft => {
                    sqlx::query_as::<_, PassportRow>(&format!("{base} AND p.state = 'draft'"))
                        .bind(id)
                        .fetch_optional(read)
                        .await?
                }
            };
            row.map(|r| r.into_version(code)).transpose()
        })
    }

    /// Every version of a service's passport, the newest first (a draft, when there is one,
    /// heads the list). `NotFound("service")` when there is no service of that code.
    #[tracing::instrument(skip_all, fields(code = %code))]
    pub async fn passport_versions(&self, code: &ServiceCode) -> Result<Vec<PassportVersion>> {
        with_db!(self, |read, _write| {
            let id: i64 = sqlx::query("SELECT id FROM services WHERE code = $1")
                .bind(code.as_ref())
                .fetch_optional(read)
                .await?
                .ok_or(StoreError::NotFound("service"))?
                .try_get("id")?;
            sqlx::query_as::<_, PassportRow>(&format!(
                "SELECT {COLUMNS} FROM service_passports p WHERE p.service_id = $1 \
                 ORDER BY p.version DESC"
            ))
            .bind(id)
            .fetch_all(read)
            .await?
            .into_iter()
            .map(|r| r.into_version(code))
            .collect()
        })
    }

    /// Writes the service's draft: a new one (numbered after its latest version) when it has
    /// none and `revision` is `None`, else the draft at `revision` (`stale_revision` when
    /// another edit came between, or when a draft exists and `revision` is `None`). Audited
    /// (`passport.draft`) with the fields that changed, in the same transaction.
    #[tracing::instrument(skip_all, fields(code = %code))]
    pub async fn save_passport_draft(
        &self,
        code: &ServiceCode,
        revision: Option<i64>,
        passport: &Passport,
        actor: &str,
        now: Timestamp,
    ) -> Result<PassportVersion> {
        let (_, lock) = self.service_locks();
        let body = serde_json::to_string(passport).map_err(|e| StoreError::Corrupt {
            column: "service_passports.body",
            detail: e.to_string(),
        })?;
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let id = locked_service!(tx, code, lock);
            let draft = version_where!(tx, id, code, "p.state = 'draft'");
            let (version, detail) = match (&draft, revision) {
                (None, None) => {
                    let latest = version_where!(tx, id, code, "TRUE");
                    let version = latest.as_ref().map_or(1, |l| l.version + 1);
                    sqlx::query(
                        "INSERT INTO service_passports (service_id, version, state, body, \
                         created_by, created_at, updated_by, updated_at) \
                         VALUES ($1, $2, 'draft', $3, $4, $5, $4, $5)",
                    )
                    .bind(id)
                    .bind(version)
                    .bind(&body)
                    .bind(actor)
                    .bind(us(now))
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| {
                        crate::convert::unique_to_conflict(e, "stale_revision", "revision")
                    })?;
                    let changed = match &latest {
                        Some(l) => changed_fields(&l.passport, passport).join(", "),
                        None => "all".to_string(),
                    };
                    (
                        version,
                        format!("version {version} drafted; changed: {changed}"),
                    )
                }
                (Some(d), Some(r)) if d.revision == r => {
                    sqlx::query(
                        "UPDATE service_passports SET body = $1, revision = revision + 1, \
                         updated_by = $2, updated_at = $3 WHERE service_id = $4 AND state = 'draft'",
                    )
                    .bind(&body)
                    .bind(actor)
                    .bind(us(now))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    let changed = changed_fields(&d.passport, passport).join(", ");
                    (
                        d.version,
                        format!("version {} edited; changed: {changed}", d.version),
                    )
                }
                _ => return Err(stale()),
            };
            crate::audit_in!(
                tx,
                now,
                actor,
                "passport.draft",
                format!("service:{code}"),
                Some(detail)
            );
            let saved = version_where!(tx, id, code, format!("p.version = {}", version))
                .ok_or(StoreError::NotFound("passport"))?;
            tx.commit().await?;
            Ok(saved)
        })
    }

    /// Publishes the service's draft at `revision` (`stale_revision` otherwise; `NotFound
    /// ("passport_draft")` when there is none), in force from `publication.valid_from`, which
    /// must come after the latest published version's (`valid_from_not_after_previous`).
    /// Whether the passport is complete is the caller's check. Audited (`passport.publish`).
    #[tracing::instrument(skip_all, fields(code = %code))]
    pub async fn publish_passport(
        &self,
        code: &ServiceCode,
        revision: i64,
        publication: &Publication,
        actor: &str,
        now: Timestamp,
    ) -> Result<PassportVersion> {
        let (_, lock) = self.service_locks();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let id = locked_service!(tx, code, lock);
            let draft = version_where!(tx, id, code, "p.state = 'draft'")
                .ok_or(StoreError::NotFound("passport_draft"))?;
            if draft.revision != revision {
                return Err(stale());
            }
            let last: Option<String> = sqlx::query(
                "SELECT MAX(valid_from) AS last FROM service_passports \
                 WHERE service_id = $1 AND state = 'published'",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("last")?;
            if last.is_some_and(|l| l >= publication.valid_from.to_string()) {
                return Err(StoreError::Invalid {
                    code: "valid_from_not_after_previous",
                    field: "valid_from",
                });
            }
            sqlx::query(
                "UPDATE service_passports SET state = 'published', valid_from = $1, \
                 approving_act = $2, published_by = $3, published_at = $4, \
                 revision = revision + 1 WHERE service_id = $5 AND state = 'draft'",
            )
            .bind(publication.valid_from.to_string())
            .bind(&publication.approving_act)
            .bind(actor)
            .bind(us(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
            crate::audit_in!(
                tx,
                now,
                actor,
                "passport.publish",
                format!("service:{code}"),
                Some(format!(
                    "version {} in force from {} ({})",
                    draft.version, publication.valid_from, publication.approving_act
                ))
            );
            let saved = version_where!(tx, id, code, format!("p.version = {}", draft.version))
                .ok_or(StoreError::NotFound("passport"))?;
            tx.commit().await?;
            Ok(saved)
        })
    }

    /// Discards the service's draft at `revision` (`stale_revision` otherwise; `NotFound
    /// ("passport_draft")` when there is none). Audited (`passport.discard`).
    #[tracing::instrument(skip_all, fields(code = %code))]
    pub async fn discard_passport_draft(
        &self,
        code: &ServiceCode,
        revision: i64,
        actor: &str,
        now: Timestamp,
    ) -> Result<()> {
        let (_, lock) = self.service_locks();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let id = locked_service!(tx, code, lock);
            let row = sqlx::query(
                "SELECT version, revision FROM service_passports \
                 WHERE service_id = $1 AND state = 'draft'",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("passport_draft"))?;
            let version: i64 = row.try_get("version")?;
            if row.try_get::<i64, _>("revision")? != revision {
                return Err(stale());
            }
            sqlx::query("DELETE FROM service_passports WHERE service_id = $1 AND state = 'draft'")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            crate::audit_in!(
                tx,
                now,
                actor,
                "passport.discard",
                format!("service:{code}"),
                Some(format!("draft of version {version} discarded"))
            );
            tx.commit().await?;
            Ok(())
        })
    }
}
