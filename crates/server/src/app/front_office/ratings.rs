//! Applicants' ratings of a visit (001 §18, decision Q9): after an acceptance or an issue the
//! applicant rates the service 1–5 (indicator 2.1) and answers three survey questions — the
//! information on the procedure (3.1), the complaint procedure (4.1) and the staff's courtesy
//! (5.1) — at the counter's tablet page or by the link on the receipt. The link carries a
//! token sealed with the server's key (`QZT1.<visit>.<signature>`): it names the visit and
//! cannot be forged, so the page needs no sign-in and no secret is stored. One rating per
//! visit; the office's figures sum them by employee.

use super::offices::{self, require_office_reader};
use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::state::AppState;
use jiff::Timestamp;
use qyzmet_signature::sealed_token;
use qyzmet_store::front_office::{NewRating, RatingTally, Visit};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The tag of a rating token.
const TAG: &str = "QZT1";
const SURVEY: [&str; 3] = ["not_satisfied", "partly", "satisfied"];

/// The visit a rating link names, as its page shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitView {
    /// acceptance or issue.
    #[schema(example = "acceptance")]
    pub kind: String,
    pub application: Option<String>,
    pub service_code: String,
    pub office: String,
    /// The employee who served (staff, not personal data of the applicant).
    pub employee: Option<String>,
    #[schema(format = DateTime)]
    pub at: String,
    /// Whether it was rated already.
    pub rated: bool,
}

/// A rating (001 §18).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingRequest {
    /// The service, 1–5 (indicator 2.1: 4 and 5 count as satisfied).
    #[schema(minimum = 1, maximum = 5)]
    pub score: u8,
    /// The information on the procedure (3.1): not_satisfied, partly, satisfied.
    #[schema(schema_with = crate::app::schema::survey)]
    pub information: Option<String>,
    /// The complaint procedure (4.1), when the applicant met it.
    #[schema(schema_with = crate::app::schema::survey)]
    pub complaint: Option<String>,
    /// The staff's courtesy (5.1).
    #[schema(schema_with = crate::app::schema::survey)]
    pub courtesy: Option<String>,
    #[schema(max_length = 1000)]
    pub comment: Option<String>,
    /// tablet (the counter's) or link (the receipt's); link when absent.
    #[schema(schema_with = crate::app::schema::rating_source)]
    pub source: Option<String>,
}

/// The ratings of an office in a period, by employee (the office's figures).
#[derive(Debug, Serialize, ToSchema)]
pub struct OfficeRatings {
    pub office: String,
    #[schema(format = Date)]
    pub from: String,
    /// Inclusive.
    #[schema(format = Date)]
    pub to: String,
    pub total: RatingTallyView,
    pub employees: Vec<EmployeeTally>,
}

/// One employee's ratings.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmployeeTally {
    pub employee_id: Option<i64>,
    pub employee: String,
    #[serde(flatten)]
    pub tally: RatingTallyView,
}

/// Ratings summed.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct RatingTallyView {
    pub ratings: i64,
    /// The mean score, 1–5 (none without ratings).
    pub mean_score: Option<f64>,
    /// % of scores 4–5 (2.1).
    pub process: Option<f64>,
    /// % satisfied of the answers (3.1, 4.1, 5.1).
    pub information: Option<f64>,
    pub complaint: Option<f64>,
    pub courtesy: Option<f64>,
}

fn percent(part: i64, of: i64) -> Option<f64> {
    (of > 0).then(|| (part as f64 * 1000.0 / of as f64).round() / 10.0)
}

impl From<&RatingTally> for RatingTallyView {
    fn from(t: &RatingTally) -> RatingTallyView {
        RatingTallyView {
            ratings: t.ratings,
            mean_score: (t.ratings > 0)
                .then(|| (t.score_sum as f64 * 100.0 / t.ratings as f64).round() / 100.0),
            process: percent(t.high, t.ratings),
            information: percent(t.information_satisfied, t.information),
            complaint: percent(t.complaint_satisfied, t.complaint),
            courtesy: percent(t.courtesy_satisfied, t.courtesy),
        }
    }
}

/// The rating token of a visit.
pub async fn token(state: &AppState, kind: &str, id: &str) -> Result<String, AppError> {
    let k = state.seal_key().await.ok_or_else(AppError::internal)?;
    sealed_token::seal(&k.key, TAG, &format!("{kind}|{id}")).map_err(|_| AppError::internal())
}

/// The full address of a visit's rating page.
pub async fn link(state: &AppState, kind: &str, id: &str) -> Result<String, AppError> {
    Ok(format!(
        "{}/rate/{}",
        state.config.site_url(),
        token(state, kind, id).await?
    ))
}

/// The visit a token names (`rating_link_invalid` when it names none).
async fn visit_of(state: &AppState, token: &str) -> Result<Visit, AppError> {
    let invalid = || AppError::not_found("rating_link_invalid");
    let k = state.seal_key().await.ok_or_else(AppError::internal)?;
    let line = sealed_token::open(&k.public, TAG, token).map_err(|_| invalid())?;
    let (kind, id) = line.split_once('|').ok_or_else(invalid)?;
    state.store.visit(kind, id).await?.ok_or_else(invalid)
}

/// The visit a rating link names (public).
pub async fn visit(state: &AppState, token: &str) -> Result<VisitView, AppError> {
    let visit = visit_of(state, token).await?;
    Ok(VisitView {
        kind: visit.kind,
        application: visit.application.map(|n| n.to_string()),
        service_code: visit.service_code,
        office: visit.office_code,
        employee: visit.employee_name,
        at: v::local(visit.at),
        rated: visit.rated_at.is_some(),
    })
}

fn survey(field: &str, s: Option<&str>) -> Result<Option<&'static str>, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => SURVEY
            .into_iter()
            .find(|x| *x == s)
            .map(Some)
            .ok_or_else(|| {
                AppError::invalid(field, "enum_invalid").arg("allowed", SURVEY.join(", "))
            }),
    }
}

/// Records the rating of the visit a link names (public; once per visit: a second one is
/// refused `already_rated`).
pub async fn rate(
    state: &AppState,
    token: &str,
    req: &RatingRequest,
    now: Timestamp,
) -> Result<VisitView, AppError> {
    if !(1..=5).contains(&req.score) {
        return Err(AppError::invalid("score", "rating_out_of_range"));
    }
    let source = match req.source.as_deref().map(str::trim) {
        None | Some("link") => "link",
        Some("tablet") => "tablet",
        Some(_) => {
            return Err(AppError::invalid("source", "enum_invalid").arg("allowed", "tablet, link"))
        }
    };
    let rating = NewRating {
        id: uuid::Uuid::new_v4().to_string(),
        visit_kind: "",
        visit_id: String::new(),
        score: req.score,
        information: survey("information", req.information.as_deref())?,
        complaint: survey("complaint", req.complaint.as_deref())?,
        courtesy: survey("courtesy", req.courtesy.as_deref())?,
        comment: v::opt_text("comment", req.comment.as_deref(), 1000)?,
        source,
    };
    let visit = visit_of(state, token).await?;
    let rating = NewRating {
        visit_kind: if visit.kind == "issue" {
            "issue"
        } else {
            "acceptance"
        },
        visit_id: visit.id.clone(),
        ..rating
    };
    if !state.store.record_rating(&rating, now).await? {
        return Err(AppError::conflict("already_rated"));
    }
    metrics::counter!("qyzmet_ratings_total", "source" => source).increment(1);
    Ok(VisitView {
        kind: visit.kind,
        application: visit.application.map(|n| n.to_string()),
        service_code: visit.service_code,
        office: visit.office_code,
        employee: visit.employee_name,
        at: v::local(visit.at),
        rated: true,
    })
}

/// The ratings of the office `code` from `from` to `to` (dates, both included; the current
/// month so far when absent), by employee: its staff and analysts within reach.
pub async fn of_office(
    state: &AppState,
    caller: &Caller,
    code: &str,
    from: Option<&str>,
    to: Option<&str>,
    now: Timestamp,
) -> Result<OfficeRatings, AppError> {
    let office = offices::find(state, code).await?;
    require_office_reader(caller, &office)?;
    let today = qyzmet_domain::zone::local_date(now);
    // Absent: the month so far. Given, a date (an empty one is not).
    let (from, to) = super::figures::period(
        &from.map_or_else(|| today.first_of_month().to_string(), str::to_string),
        &to.map_or_else(|| today.to_string(), str::to_string),
    )?;
    let end = to.tomorrow().map_err(|_| AppError::internal())?;
    let at = |d: jiff::civil::Date| {
        d.to_zoned(qyzmet_domain::zone::almaty().clone())
            .map(|z| z.timestamp())
            .map_err(|_| AppError::internal())
    };
    let rows = state
        .store
        .office_ratings(office.id, at(from)?, at(end)?)
        .await?;
    let mut total = RatingTally::default();
    for r in &rows {
        let t = &r.tally;
        total.ratings += t.ratings;
        total.score_sum += t.score_sum;
        total.high += t.high;
        total.information += t.information;
        total.information_satisfied += t.information_satisfied;
        total.complaint += t.complaint;
        total.complaint_satisfied += t.complaint_satisfied;
        total.courtesy += t.courtesy;
        total.courtesy_satisfied += t.courtesy_satisfied;
    }
    Ok(OfficeRatings {
        office: office.code.clone(),
        from: from.to_string(),
        to: to.to_string(),
        total: RatingTallyView::from(&total),
        employees: rows
            .iter()
            .map(|r| EmployeeTally {
                employee_id: r.employee_id,
                employee: r.employee_name.clone(),
                tally: RatingTallyView::from(&r.tally),
            })
            .collect(),
    })
}
