//! Service quality (003 annex): applicant feedback per application and question, the
//! normative and target values of each indicator per service and year, and the counts the
//! current values are computed from (`qyzmet_domain::quality` defines them).

use crate::convert::{path_end, ts, us};
use crate::error::{Result, StoreError};
use crate::models::Scope;
use crate::violations::{CaseRow, CASE_COLUMNS};
use crate::{audit_in, with_db, Store};
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::ids::ApplicationNumber;
use qyzmet_domain::quality::{Answer, Indicator, Question};
use qyzmet_domain::violation::{verdict, Verdict};
use qyzmet_domain::zone::almaty;
use sqlx::Row;

/// The unique index a concurrent answer can win: the same feedback id for another
/// application (the application's own answers are serialized by its row lock).
const FEEDBACK_RACES: &[&str] = &["feedback_pkey"];

/// Feedback as given.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFeedback {
    /// The client's id (a UUID): the same id sent again records nothing new.
    pub id: String,
    pub question: Question,
    pub answer: Answer,
    pub given_at: Timestamp,
}

/// Feedback as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackRecord {
    pub id: String,
    pub number: ApplicationNumber,
    pub question: Question,
    pub answer: Answer,
    pub satisfied: bool,
    pub given_at: Timestamp,
    pub recorded_at: Timestamp,
}

/// An indicator's normative value and next year's target, as set for a service and year.
#[derive(Debug, Clone, PartialEq)]
pub struct QualityTarget {
    pub indicator: Indicator,
    pub normative: Option<f64>,
    pub target: Option<f64>,
    pub updated_at: Timestamp,
    pub updated_by: String,
}

#[derive(sqlx::FromRow)]
struct CountRow {
    question: String,
    satisfied: i64,
    answers: i64,
}

#[derive(sqlx::FromRow)]
struct TargetRow {
    indicator: String,
    normative: Option<f64>,
    target: Option<f64>,
    updated_at: i64,
    updated_by: String,
}

/// Appends ` AND` the application is executed in the sub-tree `within` (if any).
fn within_exec<'a, DB>(qb: &mut sqlx::QueryBuilder<'a, DB>, within: Option<&str>)
where
    DB: sqlx::Database,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    if let Some(path) = within {
        qb.push(" AND a.exec_path >= ")
            .push_bind(path.to_string())
            .push(" AND a.exec_path < ")
            .push_bind(path_end(path));
    }
}

/// The instant a year begins in Asia/Almaty.
fn year_start(year: i16) -> Result<Timestamp> {
    Date::new(year, 1, 1)
        .and_then(|d| d.to_zoned(almaty().clone()))
        .map(|z| z.timestamp())
        .map_err(|e| StoreError::Corrupt {
            column: "year",
            detail: e.to_string(),
        })
}

fn answer_columns(a: Answer) -> (Option<i64>, Option<&'static str>) {
    match a {
        Answer::Rating(r) => (Some(i64::from(r)), None),
        Answer::Survey(s) => (None, Some(s.as_str())),
    }
}

impl Store {
    /// Records feedback on an application the scope sees. Returns it as recorded and whether
    /// this call recorded it (`false`: the same id with the same content was recorded before).
    /// The same id with other content, or a second answer to the same question, is a conflict.
    /// Under any interleaving: the application's row is locked before the id and the question
    /// are looked up, and the same id given at once for two applications is a race the
    /// second one runs again ([`crate::contention`]).
    pub async fn record_feedback(
        &self,
        number: ApplicationNumber,
        scope: &Scope,
        f: &NewFeedback,
        actor: &str,
        now: Timestamp,
    ) -> Result<(FeedbackRecord, bool)> {
        let created = crate::contention::retrying!(
            "record_feedback",
            FEEDBACK_RACES,
            self.record_feedback_once(number, scope, f, actor, now)
        )?;
        let recorded = self.feedback(&f.id).await?;
        Ok((recorded, created))
    }

    /// One transaction of [`Store::record_feedback`]: whether it recorded the feedback.
    async fn record_feedback_once(
        &self,
        number: ApplicationNumber,
        scope: &Scope,
        f: &NewFeedback,
        actor: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let (rating, survey) = answer_columns(f.answer);
        let lock = self.row_lock();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let Some(app) = sqlx::query(&format!(
                "SELECT id, service_id, accept_path, exec_path FROM applications \
                 WHERE number = $1{lock}"
            ))
            .bind(number.as_i64())
            .fetch_optional(&mut *tx)
            .await?
            else {
                return Err(StoreError::NotFound("application"));
            };
            let (accept, exec): (String, String) =
                (app.try_get("accept_path")?, app.try_get("exec_path")?);
            if !scope.sees(&accept, &exec) {
                return Err(StoreError::NotFound("application"));
            }
            let app_id: i64 = app.try_get("id")?;
            if let Some(prior) =
                sqlx::query("SELECT app_id, question, rating, survey FROM feedback WHERE id = $1")
                    .bind(&f.id)
                    .fetch_optional(&mut *tx)
                    .await?
            {
                let same = prior.try_get::<i64, _>("app_id")? == app_id
                    && prior.try_get::<String, _>("question")? == f.question.as_str()
                    && prior.try_get::<Option<i64>, _>("rating")? == rating
                    && prior.try_get::<Option<String>, _>("survey")?.as_deref() == survey;
                if !same {
                    return Err(StoreError::Conflict {
                        code: "feedback_id_conflict",
                        field: Some("id"),
                    });
                }
                Ok(false)
            } else {
                let service_id: i64 = app.try_get("service_id")?;
                sqlx::query(
                    "INSERT INTO feedback (id, app_id, service_id, question, rating, survey, \
                     satisfied, given_at, recorded_at, recorded_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(&f.id)
                .bind(app_id)
                .bind(service_id)
                .bind(f.question.as_str())
                .bind(rating)
                .bind(survey)
                .bind(f.answer.satisfied())
                .bind(us(f.given_at))
                .bind(us(now))
                .bind(actor)
                .execute(&mut *tx)
                .await
                .map_err(|e| {
                    crate::contention::unique_as_conflict(
                        e.into(),
                        FEEDBACK_RACES,
                        "feedback_already_given",
                        "question",
                    )
                })?;
                tx.commit().await?;
                Ok(true)
            }
        })
    }

    async fn feedback(&self, id: &str) -> Result<FeedbackRecord> {
        let row = with_db!(self, |read, _write| {
            let r = sqlx::query(
                "SELECT f.id, a.number, f.question, f.rating, f.survey, f.satisfied, \
                 f.given_at, f.recorded_at FROM feedback f JOIN applications a ON a.id = f.app_id \
                 WHERE f.id = $1",
            )
            .bind(id)
            .fetch_one(read)
            .await?;
            (
                r.try_get::<String, _>("id")?,
                r.try_get::<i64, _>("number")?,
                r.try_get::<String, _>("question")?,
                r.try_get::<Option<i64>, _>("rating")?,
                r.try_get::<Option<String>, _>("survey")?,
                r.try_get::<bool, _>("satisfied")?,
                r.try_get::<i64, _>("given_at")?,
                r.try_get::<i64, _>("recorded_at")?,
            )
        });
        let corrupt = |column: &'static str| StoreError::Corrupt {
            column,
            detail: "unreadable".into(),
        };
        let answer = match (row.3, row.4.as_deref().map(str::parse)) {
            (Some(r), None) => Answer::Rating(u8::try_from(r).map_err(|_| corrupt("rating"))?),
            (None, Some(Ok(s))) => Answer::Survey(s),
            _ => return Err(corrupt("feedback.survey")),
        };
        Ok(FeedbackRecord {
            id: row.0,
            number: ApplicationNumber::from_i64(row.1).ok_or_else(|| corrupt("number"))?,
            question: row.2.parse().map_err(|_| corrupt("question"))?,
            answer,
            satisfied: row.5,
            given_at: ts("feedback.given_at", row.6)?,
            recorded_at: ts("feedback.recorded_at", row.7)?,
        })
    }

    /// Per question, (satisfied, answers) among the feedback given in `year` on the
    /// service's applications executed in the sub-tree `within`.
    pub async fn feedback_counts(
        &self,
        service_id: i64,
        year: i16,
        within: Option<&str>,
    ) -> Result<Vec<(Question, i64, i64)>> {
        let (from, to) = (year_start(year)?, year_start(year + 1)?);
        let rows: Vec<CountRow> = with_db!(self, |read, _write| {
            // The feedback of every channel, and the ratings of visits at the counter (001
            // §18, decision Q9): the score (4–5 satisfied) answers the process, the three
            // survey answers the rest.
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT question, SUM(sat) AS satisfied, COUNT(*) AS answers FROM (\
                 SELECT f.question, CASE WHEN f.satisfied THEN 1 ELSE 0 END AS sat \
                 FROM feedback f JOIN applications a ON a.id = f.app_id WHERE f.service_id = ",
            );
            qb.push_bind(service_id)
                .push(" AND f.given_at >= ")
                .push_bind(us(from))
                .push(" AND f.given_at < ")
                .push_bind(us(to));
            within_exec(&mut qb, within);
            for (question, answer) in [
                ("process", "CASE WHEN r.score >= 4 THEN 1 ELSE 0 END"),
                (
                    "information",
                    "CASE WHEN r.information = 'satisfied' THEN 1 ELSE 0 END",
                ),
                (
                    "complaint",
                    "CASE WHEN r.complaint = 'satisfied' THEN 1 ELSE 0 END",
                ),
                (
                    "courtesy",
                    "CASE WHEN r.courtesy = 'satisfied' THEN 1 ELSE 0 END",
                ),
            ] {
                qb.push(format!(
                    " UNION ALL SELECT '{question}', {answer} FROM ratings r \
                     LEFT JOIN applications a ON a.id = r.app_id WHERE r.service_id = "
                ))
                .push_bind(service_id)
                .push(" AND r.rated_at >= ")
                .push_bind(us(from))
                .push(" AND r.rated_at < ")
                .push_bind(us(to));
                if question != "process" {
                    qb.push(format!(" AND r.{question} IS NOT NULL"));
                }
                within_exec(&mut qb, within);
            }
            qb.push(") x GROUP BY question");
            qb.build_query_as().fetch_all(read).await?
        });
        rows.into_iter()
            .map(|r| {
                let q = r.question.parse().map_err(|_| StoreError::Corrupt {
                    column: "feedback.question",
                    detail: r.question.clone(),
                })?;
                Ok((q, r.satisfied, r.answers))
            })
            .collect()
    }

    /// (on time, decided) among the service's applications executed in `within` whose
    /// deadline fell in `year`, judged as of `as_of` (indicator 1.1).
    pub async fn timeliness_counts(
        &self,
        service_id: i64,
        depends_on: &[String],
        year: i16,
        as_of: Timestamp,
        within: Option<&str>,
    ) -> Result<(i64, i64)> {
        let (from, to) = (year_start(year)?, year_start(year + 1)?);
        let outages = self.outages_before(to).await?;
        let rows: Vec<CaseRow> = with_db!(self, |read, _write| {
            let mut qb = sqlx::QueryBuilder::new(format!(
                "SELECT {CASE_COLUMNS} FROM applications a WHERE a.service_id = "
            ));
            qb.push_bind(service_id)
                .push(" AND a.deadline >= ")
                .push_bind(us(from))
                .push(" AND a.deadline < ")
                .push_bind(us(to));
            within_exec(&mut qb, within);
            qb.build_query_as().fetch_all(read).await?
        });
        let (mut on_time, mut decided) = (0, 0);
        for row in rows {
            let case = row.case(depends_on)?;
            match verdict(&case, as_of, &outages) {
                Verdict::OnTime => {
                    on_time += 1;
                    decided += 1;
                }
                Verdict::Violation { .. } => decided += 1,
                Verdict::Running => {}
            }
        }
        Ok((on_time, decided))
    }

    /// The normative and target values set for a service and year.
    pub async fn quality_targets(&self, service_id: i64, year: i16) -> Result<Vec<QualityTarget>> {
        let rows: Vec<TargetRow> = with_db!(self, |read, _write| {
            sqlx::query_as(
                "SELECT indicator, normative, target, updated_at, updated_by \
                 FROM quality_targets WHERE service_id = $1 AND year = $2 ORDER BY indicator",
            )
            .bind(service_id)
            .bind(i64::from(year))
            .fetch_all(read)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(QualityTarget {
                    indicator: r.indicator.parse().map_err(|_| StoreError::Corrupt {
                        column: "quality_targets.indicator",
                        detail: r.indicator.clone(),
                    })?,
                    normative: r.normative,
                    target: r.target,
                    updated_at: ts("quality_targets.updated_at", r.updated_at)?,
                    updated_by: r.updated_by,
                })
            })
            .collect()
    }

    /// Sets an indicator's normative and target values for a service and year; audited in
    /// the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_quality_target(
        &self,
        service_id: i64,
        service_code: &str,
        year: i16,
        indicator: Indicator,
        normative: Option<f64>,
        target: Option<f64>,
        actor: &str,
        now: Timestamp,
    ) -> Result<()> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            sqlx::query(
                "INSERT INTO quality_targets (service_id, year, indicator, normative, target, \
                 updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (service_id, year, indicator) DO UPDATE SET \
                 normative = excluded.normative, target = excluded.target, \
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            )
            .bind(service_id)
            .bind(i64::from(year))
            .bind(indicator.code())
            .bind(normative)
            .bind(target)
            .bind(us(now))
            .bind(actor)
            .execute(&mut *tx)
            .await?;
            audit_in!(
                tx,
                now,
                actor,
                "quality.target",
                format!("service:{service_code}"),
                format!("{year} {indicator}: normative {normative:?}, target {target:?}")
            );
            tx.commit().await?;
            Ok(())
        })
    }
}
