//! Issue of results at the issue desk (001 §19; migration 0029): the record of who received an
//! application's result, where and how they were identified, written after the `issued` scan
//! it belongs to (`event_id`). The record is idempotent on the office's `request_key` and the
//! scan's id, so a retry after an interrupted first attempt finishes it without writing twice.

use crate::convert::{ts, us};
use crate::error::{Result, StoreError};
use crate::Store;
use jiff::Timestamp;
use qyzmet_domain::ids::ApplicationNumber;
use sqlx::Row;

/// An issue to record.
#[derive(Debug, Clone)]
pub struct NewIssuance {
    pub public_id: String,
    pub request_key: String,
    pub number: ApplicationNumber,
    pub office_id: i64,
    pub counter_id: Option<i64>,
    pub ticket_id: Option<i64>,
    pub employee_id: Option<i64>,
    /// `applicant` or `representative`.
    pub recipient: &'static str,
    /// How the person was identified (JSON; personal data).
    pub identification: String,
    /// The `issued` scan's event id.
    pub event_id: String,
}

/// An issue recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuance {
    pub public_id: String,
    pub request_key: String,
    pub number: ApplicationNumber,
    pub office_id: i64,
    pub counter_id: Option<i64>,
    pub ticket_id: Option<i64>,
    pub employee_id: Option<i64>,
    pub actor: String,
    pub recipient: String,
    pub event_id: String,
    pub at: Timestamp,
}

const ISSUANCE_SELECT: &str = "SELECT i.public_id, i.request_key, a.number, i.office_id, \
     i.counter_id, i.ticket_id, i.employee_id, i.actor, i.recipient, i.event_id, i.at \
     FROM issuances i JOIN applications a ON a.id = i.app_id";

#[derive(sqlx::FromRow)]
struct IssuanceRow {
    public_id: String,
    request_key: String,
    number: i64,
    office_id: i64,
    counter_id: Option<i64>,
    ticket_id: Option<i64>,
    employee_id: Option<i64>,
    actor: String,
    recipient: String,
    event_id: String,
    at: i64,
}

impl IssuanceRow {
    fn into_model(self) -> Result<Issuance> {
        Ok(Issuance {
            public_id: self.public_id,
            request_key: self.request_key,
            number: crate::rows::number(self.number)?,
            office_id: self.office_id,
            counter_id: self.counter_id,
            ticket_id: self.ticket_id,
            employee_id: self.employee_id,
            actor: self.actor,
            recipient: self.recipient,
            event_id: self.event_id,
            at: ts("issuances.at", self.at)?,
        })
    }
}

impl Store {
    /// Records the issue of an application's result after its `issued` scan, with the
    /// counter's action (001 §21), in one transaction; a retry (the same scan) returns the
    /// first record and `false`.
    pub async fn record_issuance(
        &self,
        n: &NewIssuance,
        actor: &str,
        now: Timestamp,
    ) -> Result<(Issuance, bool)> {
        crate::with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let app_id: i64 = sqlx::query("SELECT id FROM applications WHERE number = $1")
                .bind(n.number.as_i64())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("application"))?
                .try_get("id")?;
            let inserted = sqlx::query(
                "INSERT INTO issuances (public_id, request_key, app_id, office_id, counter_id, \
                 ticket_id, employee_id, actor, recipient, identification, event_id, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING",
            )
            .bind(&n.public_id)
            .bind(&n.request_key)
            .bind(app_id)
            .bind(n.office_id)
            .bind(n.counter_id)
            .bind(n.ticket_id)
            .bind(n.employee_id)
            .bind(actor)
            .bind(n.recipient)
            .bind(&n.identification)
            .bind(&n.event_id)
            .bind(us(now))
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if inserted {
                crate::front_office::queue_action!(
                    tx,
                    n.office_id,
                    n.ticket_id,
                    n.counter_id,
                    "issue",
                    actor,
                    now,
                    format!("{} {}", n.public_id, n.number)
                );
            }
            let found =
                sqlx::query_as::<_, IssuanceRow>(&format!("{ISSUANCE_SELECT} WHERE i.app_id = $1"))
                    .bind(app_id)
                    .fetch_one(&mut *tx)
                    .await?
                    .into_model()?;
            if found.event_id != n.event_id {
                return Err(StoreError::Conflict {
                    code: "already_issued",
                    field: Some("barcode"),
                });
            }
            tx.commit().await?;
            Ok((found, inserted))
        })
    }

    /// The issue of an application's result, if it was issued at a desk.
    pub async fn issuance(&self, number: ApplicationNumber) -> Result<Option<Issuance>> {
        crate::with_db!(self, |read, _write| {
            let row =
                sqlx::query_as::<_, IssuanceRow>(&format!("{ISSUANCE_SELECT} WHERE a.number = $1"))
                    .bind(number.as_i64())
                    .fetch_optional(read)
                    .await?;
            row.map(IssuanceRow::into_model).transpose()
        })
    }
}
