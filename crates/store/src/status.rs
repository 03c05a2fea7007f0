//! What an applicant may learn of their application without an account (issue 17; 002 §4,
//! 004 §10, decision Q11): found by its number and the applicant's IIN/BIN together, the
//! service, the stage, the planned date and the office — never a name or a document.

use crate::convert::{date, opt_ts, parse};
use crate::error::Result;
use crate::models::{Channel, LocalizedName};
use crate::{with_db, Store};
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::stage::{Outcome, Stage};
use sqlx::Row;

/// The public facts of one application.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicStatus {
    pub service_code: String,
    pub service_name: LocalizedName,
    pub stage: Stage,
    pub outcome: Option<Outcome>,
    pub suspended: bool,
    pub overdue: bool,
    pub planned_date: Date,
    pub closed_at: Option<Timestamp>,
    pub channel: Channel,
    /// The place of acceptance, where a result on paper is collected.
    pub office_code: String,
    pub office_name: LocalizedName,
    /// The passport version it was registered under (issue 17).
    pub passport_version: Option<i64>,
    /// The ground (003 §17) of its latest suspension, when that named one: the code of a
    /// passport's ground, never the free-text reason (which may hold personal data).
    pub suspension_ground: Option<String>,
}

impl Store {
    /// The application of `number` whose applicant's IIN/BIN is `applicant_id`; `None` when
    /// there is none, whichever of the two did not match.
    #[tracing::instrument(skip_all)]
    pub async fn public_status(
        &self,
        number: i64,
        applicant_id: &str,
    ) -> Result<Option<PublicStatus>> {
        with_db!(self, |read, _write| {
            let Some(r) = sqlx::query(
                "SELECT s.code AS service_code, s.name_kk, s.name_ru, s.name_en, a.stage, \
                 a.outcome, a.suspended, a.overdue, a.planned_date, a.closed_at, a.channel, \
                 o.code AS office_code, o.name_kk AS office_kk, o.name_ru AS office_ru, \
                 o.name_en AS office_en, a.passport_version, \
                 (SELECT e.ground FROM events e WHERE e.app_id = a.id AND e.kind = 'suspended' \
                  ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1) AS suspension_ground \
                 FROM applications a JOIN services s ON s.id = a.service_id \
                 JOIN organizations o ON o.id = a.accept_org_id \
                 WHERE a.number = $1 AND a.applicant_id = $2",
            )
            .bind(number)
            .bind(applicant_id)
            .fetch_optional(read)
            .await?
            else {
                return Ok(None);
            };
            let outcome: Option<String> = r.try_get("outcome")?;
            Ok(Some(PublicStatus {
                service_code: r.try_get("service_code")?,
                service_name: LocalizedName {
                    kk: r.try_get("name_kk")?,
                    ru: r.try_get("name_ru")?,
                    en: r.try_get("name_en")?,
                },
                stage: parse("applications.stage", &r.try_get::<String, _>("stage")?)?,
                outcome: outcome
                    .map(|o| parse("applications.outcome", &o))
                    .transpose()?,
                suspended: r.try_get("suspended")?,
                overdue: r.try_get("overdue")?,
                planned_date: date(
                    "applications.planned_date",
                    &r.try_get::<String, _>("planned_date")?,
                )?,
                closed_at: opt_ts("applications.closed_at", r.try_get("closed_at")?)?,
                channel: parse("applications.channel", &r.try_get::<String, _>("channel")?)?,
                office_code: r.try_get("office_code")?,
                office_name: LocalizedName {
                    kk: r.try_get("office_kk")?,
                    ru: r.try_get("office_ru")?,
                    en: r.try_get("office_en")?,
                },
                passport_version: r.try_get("passport_version")?,
                suspension_ground: r.try_get("suspension_ground")?,
            }))
        })
    }
}
