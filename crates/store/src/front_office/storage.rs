//! Storage of results not collected (001 §20, decision Q2; ADR 0021; migration 0027): each
//! service's storage term as data, the office's shelf — the packages whose last scan left them
//! at the office (received from the provider, or passed to the issue desk) — and the reminders
//! to the applicants, written to the outbox once each (their key).

use crate::convert::{date, ts, us};
use crate::error::{Result, StoreError};
use crate::Store;
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::front_office::storage::StorageClass;
use qyzmet_domain::ids::{ApplicationNumber, ServiceCode};
use serde::Serialize;
use sqlx::Row;

/// A service's storage term, with the act it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StorageTerm {
    pub class: StorageClass,
    /// The act it rests on; empty for the rule (no term set).
    pub source: String,
    /// Who set it, and when; none for the rule.
    pub updated_by: Option<String>,
    pub updated_at: Option<Timestamp>,
}

/// A result kept on an office's shelf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub number: ApplicationNumber,
    pub service: String,
    /// The provider's organization (its code): where an unclaimed result goes back to.
    pub executor: String,
    pub class: StorageClass,
    /// `from_provider` or `to_issue_desk`: its last scan.
    pub scan: String,
    /// When it reached the office (its `from_provider` scan; its last scan when none).
    pub reached_at: Timestamp,
    /// The date the receipt named (the planned date).
    pub issue_date: Date,
    /// Where to remind the applicant, if anywhere: e-mail, phone digits, language.
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: Option<String>,
}

/// A reminder to collect a result, to write to the outbox.
#[derive(Debug, Clone)]
pub struct StorageReminder {
    pub number: ApplicationNumber,
    /// Part of the message's key (`7` or `1`, the days before the term ends).
    pub days_before: i64,
    /// `email` or `sms`.
    pub channel: &'static str,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

impl Store {
    /// The storage term of the service `code`: the one set, or the rule (return after a
    /// month). `NotFound("service")` when there is no such service.
    pub async fn storage_term(&self, code: &ServiceCode) -> Result<StorageTerm> {
        crate::with_db!(self, |read, _write| {
            let row = sqlx::query(
                "SELECT ss.class, ss.source, ss.updated_by, ss.updated_at FROM services s \
                 LEFT JOIN service_storage ss ON ss.service_id = s.id WHERE s.code = $1",
            )
            .bind(code.as_ref())
            .fetch_optional(read)
            .await?
            .ok_or(StoreError::NotFound("service"))?;
            let class: Option<String> = row.try_get("class")?;
            Ok(StorageTerm {
                class: class_of(class.as_deref())?,
                source: row
                    .try_get::<Option<String>, _>("source")?
                    .unwrap_or_default(),
                updated_by: row.try_get("updated_by")?,
                updated_at: row
                    .try_get::<Option<i64>, _>("updated_at")?
                    .map(|t| ts("service_storage.updated_at", t))
                    .transpose()?,
            })
        })
    }

    /// Sets the storage term of the service `code` (audited, with the term before).
    pub async fn set_storage_term(
        &self,
        code: &ServiceCode,
        class: StorageClass,
        source: &str,
        actor: &str,
        now: Timestamp,
    ) -> Result<()> {
        let before = self.storage_term(code).await?;
        crate::with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let id: i64 = sqlx::query("SELECT id FROM services WHERE code = $1")
                .bind(code.as_ref())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("service"))?
                .try_get("id")?;
            sqlx::query(
                "INSERT INTO service_storage (service_id, class, source, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (service_id) DO UPDATE SET \
                 class = excluded.class, source = excluded.source, \
                 updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )
            .bind(id)
            .bind(class.as_str())
            .bind(source)
            .bind(actor)
            .bind(us(now))
            .execute(&mut *tx)
            .await?;
            crate::audit_in!(
                tx,
                now,
                actor,
                "service.storage",
                code.to_string(),
                format!("{} -> {}", before.class.as_str(), class.as_str())
            );
            tx.commit().await?;
            Ok(())
        })
    }

    /// The results kept at the office `office` (its code): the packages whose last scan was
    /// made there and left them at the office, the oldest first.
    pub async fn storage_shelf(&self, office: &str) -> Result<Vec<Kept>> {
        crate::with_db!(self, |read, _write| {
            let rows = sqlx::query(
                "SELECT a.number, s.code AS service, eo.code AS executor, ss.class, e.scan, \
                 e.occurred_at, a.planned_date, c.email, c.phone, c.language, \
                 (SELECT MIN(x.occurred_at) FROM events x WHERE x.app_id = a.id \
                  AND x.kind = 'scanned' AND x.scan = 'from_provider') AS reached_at \
                 FROM events e JOIN applications a ON a.id = e.app_id \
                 JOIN services s ON s.id = a.service_id \
                 JOIN organizations eo ON eo.id = a.exec_org_id \
                 LEFT JOIN service_storage ss ON ss.service_id = a.service_id \
                 LEFT JOIN applicant_contacts c ON c.app_id = a.id \
                 WHERE e.kind = 'scanned' AND e.office = $1 \
                 AND e.scan IN ('from_provider', 'to_issue_desk') \
                 AND e.seq = (SELECT MAX(y.seq) FROM events y WHERE y.app_id = e.app_id \
                              AND y.kind = 'scanned') \
                 ORDER BY e.occurred_at, a.number",
            )
            .bind(office)
            .fetch_all(read)
            .await?;
            rows.iter()
                .map(|r| {
                    let last: i64 = r.try_get("occurred_at")?;
                    let reached: Option<i64> = r.try_get("reached_at")?;
                    Ok(Kept {
                        number: crate::rows::number(r.try_get("number")?)?,
                        service: r.try_get("service")?,
                        executor: r.try_get("executor")?,
                        class: class_of(r.try_get::<Option<String>, _>("class")?.as_deref())?,
                        scan: r.try_get("scan")?,
                        reached_at: ts("events.occurred_at", reached.unwrap_or(last))?,
                        issue_date: date(
                            "applications.planned_date",
                            &r.try_get::<String, _>("planned_date")?,
                        )?,
                        email: r.try_get("email")?,
                        phone: r.try_get("phone")?,
                        language: r.try_get("language")?,
                    })
                })
                .collect()
        })
    }

    /// The codes of every office (the storage job walks their shelves).
    pub async fn office_codes(&self) -> Result<Vec<String>> {
        crate::with_db!(self, |read, _write| {
            Ok(sqlx::query_scalar("SELECT code FROM offices ORDER BY code")
                .fetch_all(read)
                .await?)
        })
    }

    /// Writes storage reminders to the outbox, each once (its key); returns how many were
    /// new.
    pub async fn write_storage_reminders(
        &self,
        reminders: &[StorageReminder],
        now: Timestamp,
    ) -> Result<u64> {
        if reminders.is_empty() {
            return Ok(0);
        }
        crate::with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let mut written = 0;
            for m in reminders {
                let done = sqlx::query(
                    "INSERT INTO outbox (key, channel, app_id, recipient, subject, body, state, \
                     attempts, next_attempt_at, created_at, updated_at) \
                     SELECT $1, $2, a.id, $3, $4, $5, 'pending', 0, $6, $6, $6 \
                     FROM applications a WHERE a.number = $7 ON CONFLICT (key) DO NOTHING",
                )
                .bind(format!(
                    "storage:{}:reminder-{}:{}",
                    m.number, m.days_before, m.channel
                ))
                .bind(m.channel)
                .bind(&m.recipient)
                .bind(&m.subject)
                .bind(&m.body)
                .bind(us(now))
                .bind(m.number.as_i64())
                .execute(&mut *tx)
                .await?;
                written += done.rows_affected();
            }
            tx.commit().await?;
            Ok(written)
        })
    }
}

fn class_of(s: Option<&str>) -> Result<StorageClass> {
    match s {
        None => Ok(StorageClass::ReturnAfterMonth),
        Some(s) => StorageClass::parse(s).ok_or_else(|| StoreError::Corrupt {
            column: "service_storage.class",
            detail: s.to_string(),
        }),
    }
}
