//! Applicants' ratings of a visit (001 §18, decision Q9): after an acceptance or an issue the
//! applicant rates the service 1–5 (indicator 2.1) and answers three survey questions — the
//! information on the procedure (3.1), the complaint procedure (4.1) and the staff's courtesy
//! (5.1) — at the counter's tablet page or by the link on the receipt. The link carries a
//! short token (`QZT2.<kind><visit>.<mac>`, ~50 characters: a small QR code on the printed
//! receipt): the visit's id and an HMAC-SHA-256 of it, truncated to 128 bits, under a key
//! derived from the server's sealing key (its deterministic Ed25519 signature of a fixed
//! label, hashed) — it names the visit and cannot be forged, so the page needs no sign-in and
//! no secret is stored. One rating per visit; the office's figures sum them by employee.

use super::offices::{self, require_office_reader};
use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::state::AppState;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use jiff::Timestamp;
use qyzmet_store::front_office::{NewRating, RatingTally, Visit};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use utoipa::ToSchema;

/// The tag of a rating token.
const TAG: &str = "QZT2";
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

/// The key rating tokens are MACed with: SHA-256 of the server key's signature of a fixed
/// label (Ed25519 signs deterministically, so it is the same on every node and every start).
async fn mac_key(state: &AppState) -> Result<[u8; 32], AppError> {
    use sha2::{Digest, Sha256};
    let k = state.seal_key().await.ok_or_else(AppError::internal)?;
    let sig = k
        .key
        .sign(b"qyzmet rating links v1")
        .map_err(|_| AppError::internal())?;
    Ok(Sha256::digest(sig.as_bytes()).into())
}

fn mac(key: &[u8; 32], body: &str) -> Result<Hmac<Sha256>, AppError> {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).map_err(|_| AppError::internal())?;
    m.update(body.as_bytes());
    Ok(m)
}

/// The one-letter kind of a visit in a token.
fn kind_letter(kind: &str) -> Option<char> {
    match kind {
        "acceptance" => Some('a'),
        "issue" => Some('i'),
        _ => None,
    }
}

/// The rating token of a visit (`kind` acceptance or issue, `id` its public UUID).
pub async fn token(state: &AppState, kind: &str, id: &str) -> Result<String, AppError> {
    let letter = kind_letter(kind).ok_or_else(AppError::internal)?;
    let uuid = uuid::Uuid::parse_str(id).map_err(|_| AppError::internal())?;
    let body = format!("{letter}{}", URL_SAFE_NO_PAD.encode(uuid.as_bytes()));
    let tag = mac(&mac_key(state).await?, &body)?.finalize().into_bytes();
    Ok(format!(
        "{TAG}.{body}.{}",
        URL_SAFE_NO_PAD.encode(&tag[..16])
    ))
}

/// The visit (kind, id) a token names, when this server made it.
async fn open_token(
    state: &AppState,
    token: &str,
) -> Result<Option<(&'static str, String)>, AppError> {
    let mut parts = token.trim().split('.');
    let (Some(TAG), Some(body), Some(tag), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Ok(None);
    };
    let (Ok(tag), Some(letter)) = (URL_SAFE_NO_PAD.decode(tag), body.chars().next()) else {
        return Ok(None);
    };
    if tag.len() != 16
        || mac(&mac_key(state).await?, body)?
            .verify_truncated_left(&tag)
            .is_err()
    {
        return Ok(None);
    }
    let kind = match letter {
        'a' => "acceptance",
        'i' => "issue",
        _ => return Ok(None),
    };
    let id = URL_SAFE_NO_PAD
        .decode(&body[1..])
        .ok()
        .and_then(|b| uuid::Uuid::from_slice(&b).ok())
        .map(|u| u.to_string());
    Ok(id.map(|id| (kind, id)))
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
    let (kind, id) = open_token(state, token).await?.ok_or_else(invalid)?;
    state.store.visit(kind, &id).await?.ok_or_else(invalid)
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
    let (information, complaint, courtesy) = (
        survey("information", req.information.as_deref())?,
        survey("complaint", req.complaint.as_deref())?,
        survey("courtesy", req.courtesy.as_deref())?,
    );
    let comment = v::opt_text("comment", req.comment.as_deref(), 1000)?;
    let visit = visit_of(state, token).await?;
    let rating = NewRating {
        id: uuid::Uuid::new_v4().to_string(),
        visit_kind: if visit.kind == "issue" {
            "issue"
        } else {
            "acceptance"
        },
        visit_id: visit.id.clone(),
        score: req.score,
        information,
        complaint,
        courtesy,
        comment,
        source,
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
