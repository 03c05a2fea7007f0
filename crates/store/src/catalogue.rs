//! The public catalogue's data (issue 17): every service with a passport in force, with its
//! provider and the passport, and a stamp that changes whenever any of it may have changed
//! (migration 0018), so that a node keeps the catalogue in memory and reads it again only
//! then.

use crate::convert::list;
use crate::error::{Result, StoreError};
use crate::models::{LocalizedName, Organization};
use crate::rows::{OrgRow, ORG_SELECT};
use crate::{with_db, Store};
use jiff::civil::Date;
use qyzmet_domain::passport::Passport;
use sqlx::Row;

/// The catalogue's generation: bumped (by triggers, migration 0018) in every transaction
/// that writes a service, an organization or a passport. Equal stamps on one day, equal
/// catalogues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CatalogueStamp(pub i64);

/// A service of the catalogue: one with a published passport in force.
#[derive(Debug, Clone)]
pub struct CatalogueService {
    pub code: String,
    pub name: LocalizedName,
    /// Codes of the channels it is offered through.
    pub channels: Vec<String>,
    pub provider_code: String,
    pub provider_path: String,
    pub provider_name: LocalizedName,
    pub passport_version: i64,
    pub passport: Passport,
}

impl Store {
    /// The catalogue's stamp: one row.
    #[tracing::instrument(skip_all)]
    pub async fn catalogue_stamp(&self) -> Result<CatalogueStamp> {
        with_db!(self, |read, _write| {
            let n: i64 = sqlx::query("SELECT n FROM catalogue_generation WHERE id = 1")
                .fetch_one(read)
                .await?
                .try_get("n")?;
            Ok(CatalogueStamp(n))
        })
    }

    /// Every service with a passport in force on `day`, by code, with that passport.
    #[tracing::instrument(skip_all)]
    pub async fn catalogue(&self, day: Date) -> Result<Vec<CatalogueService>> {
        with_db!(self, |read, _write| {
            let rows = sqlx::query(
                "SELECT s.code, s.name_kk, s.name_ru, s.name_en, s.channels, o.code AS org_code, \
                 o.path AS org_path, o.name_kk AS org_kk, o.name_ru AS org_ru, o.name_en AS org_en, \
                 p.version, p.body \
                 FROM services s JOIN organizations o ON o.id = s.organization_id \
                 JOIN service_passports p ON p.service_id = s.id AND p.state = 'published' \
                 AND p.version = (SELECT MAX(v.version) FROM service_passports v \
                     WHERE v.service_id = s.id AND v.state = 'published' AND v.valid_from <= $1) \
                 ORDER BY s.code",
            )
            .bind(day.to_string())
            .fetch_all(read)
            .await?;
            rows.iter()
                .map(|r| {
                    let body: String = r.try_get("body")?;
                    let channels: String = r.try_get("channels")?;
                    Ok(CatalogueService {
                        code: r.try_get("code")?,
                        name: LocalizedName {
                            kk: r.try_get("name_kk")?,
                            ru: r.try_get("name_ru")?,
                            en: r.try_get("name_en")?,
                        },
                        channels: list(&channels),
                        provider_code: r.try_get("org_code")?,
                        provider_path: r.try_get("org_path")?,
                        provider_name: LocalizedName {
                            kk: r.try_get("org_kk")?,
                            ru: r.try_get("org_ru")?,
                            en: r.try_get("org_en")?,
                        },
                        passport_version: r.try_get("version")?,
                        passport: serde_json::from_str(&body).map_err(|e| StoreError::Corrupt {
                            column: "service_passports.body",
                            detail: e.to_string(),
                        })?,
                    })
                })
                .collect()
        })
    }

    /// The organizations at the top of the tree (ministries, akimats, the State
    /// Corporation), by id.
    #[tracing::instrument(skip_all)]
    pub async fn root_organizations(&self) -> Result<Vec<Organization>> {
        with_db!(self, |read, _write| {
            sqlx::query_as::<_, OrgRow>(&format!(
                "{ORG_SELECT} WHERE o.parent_id IS NULL ORDER BY o.id"
            ))
            .fetch_all(read)
            .await?
            .into_iter()
            .map(OrgRow::into_model)
            .collect()
        })
    }
}
