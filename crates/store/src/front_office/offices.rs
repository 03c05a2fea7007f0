//! Offices of the State Corporation's branches (001 §3): their kind, week, address and queue
//! policy, and the queue mode (001 §6).

use crate::convert::{ts, unique_to_conflict, us};
use crate::error::{Result, StoreError};
use crate::{with_db, LocalizedName, Store};
use jiff::Timestamp;
use qyzmet_domain::front_office::{OfficeKind, OfficeSchedule, Weights};
use qyzmet_domain::ids::OrgCode;
use serde::Serialize;

/// An office, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Office {
    pub id: i64,
    pub code: String,
    pub organization: String,
    /// The organization's materialized path (scoping).
    #[serde(skip)]
    pub organization_path: String,
    pub kind: OfficeKind,
    pub name: LocalizedName,
    pub address: LocalizedName,
    pub schedule: OfficeSchedule,
    pub schedule_source: LocalizedName,
    pub weights: Weights,
    pub raise_near_deadline: bool,
    pub deadline_window_hours: i64,
    pub calls_before_no_show: i64,
    pub average_service_secs: i64,
    /// `electronic`, or `live` while the office runs the live queue (001 §6).
    pub mode: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An office to create, checked by the caller.
#[derive(Debug, Clone)]
pub struct NewOffice {
    pub code: String,
    pub organization: OrgCode,
    pub kind: OfficeKind,
    pub name: LocalizedName,
    pub address: LocalizedName,
    pub schedule: OfficeSchedule,
    pub schedule_source: LocalizedName,
    pub weights: Weights,
    pub raise_near_deadline: bool,
    pub deadline_window_hours: i64,
    pub calls_before_no_show: i64,
    pub average_service_secs: i64,
}

#[derive(sqlx::FromRow)]
pub(super) struct OfficeRow {
    id: i64,
    code: String,
    organization: String,
    organization_path: String,
    kind: String,
    name_kk: String,
    name_ru: String,
    name_en: String,
    address_kk: String,
    address_ru: String,
    address_en: String,
    schedule: String,
    schedule_source_kk: String,
    schedule_source_ru: String,
    schedule_source_en: String,
    weights: String,
    raise_near_deadline: bool,
    deadline_window_hours: i64,
    calls_before_no_show: i64,
    average_service_secs: i64,
    mode: String,
    created_at: i64,
    updated_at: i64,
}

fn json<T: serde::de::DeserializeOwned>(column: &'static str, s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt {
        column,
        detail: e.to_string(),
    })
}

impl OfficeRow {
    pub(super) fn into_model(self) -> Result<Office> {
        Ok(Office {
            id: self.id,
            code: self.code,
            organization: self.organization,
            organization_path: self.organization_path,
            kind: OfficeKind::parse(&self.kind).ok_or_else(|| StoreError::Corrupt {
                column: "offices.kind",
                detail: self.kind.clone(),
            })?,
            name: LocalizedName {
                kk: self.name_kk,
                ru: self.name_ru,
                en: self.name_en,
            },
            address: LocalizedName {
                kk: self.address_kk,
                ru: self.address_ru,
                en: self.address_en,
            },
            schedule: json("offices.schedule", &self.schedule)?,
            schedule_source: LocalizedName {
                kk: self.schedule_source_kk,
                ru: self.schedule_source_ru,
                en: self.schedule_source_en,
            },
            weights: json("offices.weights", &self.weights)?,
            raise_near_deadline: self.raise_near_deadline,
            deadline_window_hours: self.deadline_window_hours,
            calls_before_no_show: self.calls_before_no_show,
            average_service_secs: self.average_service_secs,
            mode: self.mode,
            created_at: ts("offices.created_at", self.created_at)?,
            updated_at: ts("offices.updated_at", self.updated_at)?,
        })
    }
}

pub(super) const OFFICE_SELECT: &str = "SELECT f.id, f.code, o.code AS organization, \
    o.path AS organization_path, f.kind, f.name_kk, f.name_ru, f.name_en, f.address_kk, \
    f.address_ru, f.address_en, f.schedule, f.schedule_source_kk, f.schedule_source_ru, \
    f.schedule_source_en, f.weights, f.raise_near_deadline, f.deadline_window_hours, \
    f.calls_before_no_show, f.average_service_secs, f.mode, f.created_at, f.updated_at \
    FROM offices f JOIN organizations o ON o.id = f.organization_id";

fn to_json<T: Serialize>(v: &T) -> String {
    // The domain's schedule and weights are plain data: serializing cannot fail.
    serde_json::to_string(v).unwrap_or_default()
}

impl Store {
    /// Creates an office of a State Corporation branch (audited). A taken code is a conflict;
    /// an organization that is not a State Corporation branch is refused.
    pub async fn create_office(
        &self,
        o: &NewOffice,
        actor: &str,
        now: Timestamp,
    ) -> Result<Office> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let (org_id, kind): (i64, String) =
                sqlx::query_as("SELECT id, kind FROM organizations WHERE code = $1")
                    .bind(o.organization.as_ref())
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::Invalid {
                        code: "unknown_organization",
                        field: "organization",
                    })?;
            if kind != "state_corp_branch" {
                return Err(StoreError::Invalid {
                    code: "office_not_state_corp",
                    field: "organization",
                });
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO offices (code, organization_id, kind, name_kk, name_ru, name_en, \
                 address_kk, address_ru, address_en, schedule, schedule_source_kk, \
                 schedule_source_ru, schedule_source_en, weights, raise_near_deadline, \
                 deadline_window_hours, calls_before_no_show, average_service_secs, mode, \
                 created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
                 $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 'electronic', $19, $20, $20) \
                 RETURNING id",
            )
            .bind(&o.code)
            .bind(org_id)
            .bind(o.kind.as_str())
            .bind(&o.name.kk)
            .bind(&o.name.ru)
            .bind(&o.name.en)
            .bind(&o.address.kk)
            .bind(&o.address.ru)
            .bind(&o.address.en)
            .bind(to_json(&o.schedule))
            .bind(&o.schedule_source.kk)
            .bind(&o.schedule_source.ru)
            .bind(&o.schedule_source.en)
            .bind(to_json(&o.weights))
            .bind(o.raise_near_deadline)
            .bind(o.deadline_window_hours)
            .bind(o.calls_before_no_show)
            .bind(o.average_service_secs)
            .bind(actor)
            .bind(us(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| unique_to_conflict(e, "office_code_taken", "code"))?;
            crate::audit_in!(
                tx,
                now,
                actor,
                "office.create",
                o.code.clone(),
                String::new()
            );
            let office =
                sqlx::query_as::<_, OfficeRow>(&format!("{OFFICE_SELECT} WHERE f.id = $1"))
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?
                    .into_model()?;
            tx.commit().await?;
            Ok(office)
        })
    }

    /// The offices of organizations under `path` (all with `None`), by code.
    pub async fn offices(&self, path: Option<&str>) -> Result<Vec<Office>> {
        with_db!(self, |read, _write| {
            let rows = sqlx::query_as::<_, OfficeRow>(&format!(
                "{OFFICE_SELECT} WHERE ($1 IS NULL OR substr(o.path, 1, length($1)) = $1) \
                 ORDER BY f.code"
            ))
            .bind(path)
            .fetch_all(read)
            .await?;
            rows.into_iter().map(OfficeRow::into_model).collect()
        })
    }

    /// One office by its code.
    pub async fn office(&self, code: &str) -> Result<Option<Office>> {
        with_db!(self, |read, _write| {
            sqlx::query_as::<_, OfficeRow>(&format!("{OFFICE_SELECT} WHERE f.code = $1"))
                .bind(code)
                .fetch_optional(read)
                .await?
                .map(OfficeRow::into_model)
                .transpose()
        })
    }

    /// Switches an office's queue mode (001 §6: the live queue on technical failures), with
    /// who, when and why recorded. Switching to the mode it is in is a conflict.
    pub async fn switch_queue_mode(
        &self,
        office_id: i64,
        mode: &str,
        reason: &str,
        actor: &str,
        now: Timestamp,
    ) -> Result<()> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let changed = sqlx::query(
                "UPDATE offices SET mode = $2, updated_at = $3 WHERE id = $1 AND mode <> $2",
            )
            .bind(office_id)
            .bind(mode)
            .bind(us(now))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::Conflict {
                    code: "queue_mode_unchanged",
                    field: Some("mode"),
                });
            }
            super::queue_action!(
                tx,
                office_id,
                None::<i64>,
                None::<i64>,
                format!("mode.{mode}"),
                actor,
                now,
                reason
            );
            tx.commit().await?;
            Ok(())
        })
    }
}
