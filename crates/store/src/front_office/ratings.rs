//! Applicants' ratings of a visit (001 §18, decision Q9; migration 0029): a visit is an
//! acceptance or an issue at the counter; its rating links to the application, the service,
//! the office, the employee, the counter and the ticket, one per visit. The ratings count in
//! the service's quality indicators beside the feedback of other channels (`quality.rs`) and
//! make the office's figures by employee.

use crate::convert::{ts, us};
use crate::error::{Result, StoreError};
use crate::Store;
use jiff::Timestamp;
use qyzmet_domain::ids::ApplicationNumber;

/// A visit that may be rated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// `acceptance` or `issue`.
    pub kind: String,
    /// The acceptance's or the public id.
    pub id: String,
    pub application: Option<ApplicationNumber>,
    pub service_code: String,
    pub office_code: String,
    pub employee_name: Option<String>,
    pub at: Timestamp,
    /// When it was rated, if it was.
    pub rated_at: Option<Timestamp>,
}

/// A rating to record.
#[derive(Debug, Clone)]
pub struct NewRating {
    pub id: String,
    pub visit_kind: &'static str,
    pub visit_id: String,
    pub score: u8,
    pub information: Option<&'static str>,
    pub complaint: Option<&'static str>,
    pub courtesy: Option<&'static str>,
    pub comment: Option<String>,
    /// `tablet` or `link`.
    pub source: &'static str,
}

/// Ratings summed: their count, the sum of scores, the scores of 4–5 and, per survey question,
/// the answers and the satisfied ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct RatingTally {
    pub ratings: i64,
    pub score_sum: i64,
    pub high: i64,
    pub information: i64,
    pub information_satisfied: i64,
    pub complaint: i64,
    pub complaint_satisfied: i64,
    pub courtesy: i64,
    pub courtesy_satisfied: i64,
}

/// An employee's ratings at an office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployeeRatings {
    pub employee_id: Option<i64>,
    pub employee_name: String,
    pub tally: RatingTally,
}

#[derive(sqlx::FromRow)]
struct VisitRow {
    id: String,
    number: Option<i64>,
    service_code: String,
    office_code: String,
    employee_name: Option<String>,
    at: i64,
    rated_at: Option<i64>,
}

/// The columns of a tally, over ratings `r`.
const TALLY: &str = "COUNT(*) AS ratings, CAST(COALESCE(SUM(r.score), 0) AS BIGINT) AS score_sum, \
     COALESCE(SUM(CASE WHEN r.score >= 4 THEN 1 ELSE 0 END), 0) AS high, \
     COALESCE(SUM(CASE WHEN r.information IS NOT NULL THEN 1 ELSE 0 END), 0) AS information, \
     COALESCE(SUM(CASE WHEN r.information = 'satisfied' THEN 1 ELSE 0 END), 0) AS information_satisfied, \
     COALESCE(SUM(CASE WHEN r.complaint IS NOT NULL THEN 1 ELSE 0 END), 0) AS complaint, \
     COALESCE(SUM(CASE WHEN r.complaint = 'satisfied' THEN 1 ELSE 0 END), 0) AS complaint_satisfied, \
     COALESCE(SUM(CASE WHEN r.courtesy IS NOT NULL THEN 1 ELSE 0 END), 0) AS courtesy, \
     COALESCE(SUM(CASE WHEN r.courtesy = 'satisfied' THEN 1 ELSE 0 END), 0) AS courtesy_satisfied";

impl Store {
    /// The visit `kind` (`acceptance` or `issue`) with the public id `id`, if there is one.
    pub async fn visit(&self, kind: &str, id: &str) -> Result<Option<Visit>> {
        let sql = match kind {
            "acceptance" => {
                "SELECT v.public_id AS id, a.number, s.code AS service_code, o.code AS office_code, \
                 u.full_name AS employee_name, v.at, r.rated_at \
                 FROM acceptances v JOIN services s ON s.id = v.service_id \
                 JOIN offices o ON o.id = v.office_id \
                 LEFT JOIN applications a ON a.id = v.app_id \
                 LEFT JOIN users u ON u.id = v.employee_id \
                 LEFT JOIN ratings r ON r.visit_kind = 'acceptance' AND r.visit_id = v.public_id \
                 WHERE v.public_id = $1"
            }
            "issue" => {
                "SELECT v.public_id AS id, a.number, s.code AS service_code, o.code AS office_code, \
                 u.full_name AS employee_name, v.at, r.rated_at \
                 FROM issuances v JOIN applications a ON a.id = v.app_id \
                 JOIN services s ON s.id = a.service_id \
                 JOIN offices o ON o.id = v.office_id \
                 LEFT JOIN users u ON u.id = v.employee_id \
                 LEFT JOIN ratings r ON r.visit_kind = 'issue' AND r.visit_id = v.public_id \
                 WHERE v.public_id = $1"
            }
            _ => return Ok(None),
        };
        let row: Option<VisitRow> = crate::with_db!(self, |read, _write| {
            sqlx::query_as(sql).bind(id).fetch_optional(read).await?
        });
        row.map(|r| {
            Ok(Visit {
                kind: kind.to_string(),
                id: r.id,
                application: r.number.map(crate::rows::number).transpose()?,
                service_code: r.service_code,
                office_code: r.office_code,
                employee_name: r.employee_name.filter(|n| !n.is_empty()),
                at: ts("visit.at", r.at)?,
                rated_at: r.rated_at.map(|t| ts("ratings.rated_at", t)).transpose()?,
            })
        })
        .transpose()
    }

    /// Records the rating of a visit, linked to what the visit links to; `false` when the
    /// visit was rated already (nothing written). `NotFound("visit")` when there is none.
    pub async fn record_rating(&self, r: &NewRating, now: Timestamp) -> Result<bool> {
        let select = match r.visit_kind {
            "acceptance" => {
                "SELECT v.app_id, v.service_id, v.office_id, v.employee_id, v.counter_id, \
                 v.ticket_id FROM acceptances v WHERE v.public_id = $1"
            }
            "issue" => {
                "SELECT v.app_id, a.service_id, v.office_id, v.employee_id, v.counter_id, \
                 v.ticket_id FROM issuances v JOIN applications a ON a.id = v.app_id \
                 WHERE v.public_id = $1"
            }
            _ => return Err(StoreError::NotFound("visit")),
        };
        crate::with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let inserted = sqlx::query(&format!(
                "INSERT INTO ratings (id, visit_kind, visit_id, app_id, service_id, office_id, \
                 employee_id, counter_id, ticket_id, score, information, complaint, courtesy, \
                 comment, source, rated_at) \
                 SELECT $1, $2, $3, x.app_id, x.service_id, x.office_id, x.employee_id, \
                 x.counter_id, x.ticket_id, $4, $5, $6, $7, $8, $9, $10 FROM ({}) x \
                 WHERE true ON CONFLICT DO NOTHING",
                select.replace("$1", "$3")
            ))
            .bind(&r.id)
            .bind(r.visit_kind)
            .bind(&r.visit_id)
            .bind(i64::from(r.score))
            .bind(r.information)
            .bind(r.complaint)
            .bind(r.courtesy)
            .bind(&r.comment)
            .bind(r.source)
            .bind(us(now))
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !inserted {
                let exists = sqlx::query(select)
                    .bind(&r.visit_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .is_some();
                if !exists {
                    return Err(StoreError::NotFound("visit"));
                }
            }
            tx.commit().await?;
            Ok(inserted)
        })
    }

    /// The ratings given at the office `office_id` in [from, to), by employee (most rated
    /// first).
    pub async fn office_ratings(
        &self,
        office_id: i64,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<EmployeeRatings>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            employee_id: Option<i64>,
            employee_name: Option<String>,
            #[sqlx(flatten)]
            tally: RatingTally,
        }
        let rows: Vec<Row> = crate::with_db!(self, |read, _write| {
            sqlx::query_as(&format!(
                "SELECT r.employee_id, MAX(u.full_name) AS employee_name, {TALLY} \
                 FROM ratings r LEFT JOIN users u ON u.id = r.employee_id \
                 WHERE r.office_id = $1 AND r.rated_at >= $2 AND r.rated_at < $3 \
                 GROUP BY r.employee_id ORDER BY COUNT(*) DESC, r.employee_id"
            ))
            .bind(office_id)
            .bind(us(from))
            .bind(us(to))
            .fetch_all(read)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| EmployeeRatings {
                employee_id: r.employee_id,
                employee_name: r.employee_name.unwrap_or_default(),
                tally: r.tally,
            })
            .collect())
    }
}
