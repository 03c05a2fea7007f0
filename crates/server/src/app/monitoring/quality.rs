//! Quality indicators of a service (003): applicants' feedback, the yearly targets and the
//! annex with each indicator's value.

//! Service quality (003 §19–20 and annex): applicant feedback per application
//! (`POST /api/v1/applications/{number}/feedback`) and the annex table of a service and year
//! (`GET|PUT /api/v1/services/{code}/quality`). Definitions: `qyzmet_domain::quality` and
//! docs/quality.md.

use crate::app::now;
use crate::app::validate as v;
use crate::app::AppError;
use crate::app::Caller;
use crate::state::AppState;
use qyzmet_domain::ids::ApplicationNumber;
use qyzmet_domain::quality::{percent, Answer, AnswerError, Indicator, Question, Survey};
use qyzmet_store::{Channel, FeedbackRecord, NewFeedback};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    /// Your UUID for this answer: sending it again records nothing new.
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(schema_with = crate::app::schema::question)]
    pub question: String,
    /// 1 to 5; or give `survey` (exactly one of the two).
    #[schema(minimum = 1, maximum = 5)]
    pub rating: Option<i64>,
    /// The 004 annex's survey answer; or give `rating` (exactly one of the two).
    #[schema(schema_with = crate::app::schema::survey)]
    pub survey: Option<String>,
    /// When the applicant answered (RFC 3339, not in the future); now when absent.
    #[schema(schema_with = crate::app::schema::opt_instant)]
    pub given_at: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The reporting year, e.g. 2026.
    #[param(minimum = 2000, maximum = 2999)]
    pub year: i64,
}

/// One line of the annex table.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorView {
    #[schema(schema_with = crate::app::schema::indicator)]
    pub code: String,
    /// The normative value, % (set per service and year).
    pub normative: Option<f64>,
    /// The target for the next year, % (set per service and year).
    pub target: Option<f64>,
    /// The current value in the year, %; `null` when nothing was counted yet.
    pub current: Option<f64>,
    /// What `current` is computed from: `numerator` of `denominator`.
    pub numerator: i64,
    pub denominator: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QualityView {
    pub service: String,
    pub year: i64,
    /// The moment the current values are computed as of.
    #[schema(format = DateTime)]
    pub as_of: String,
    pub indicators: Vec<IndicatorView>,
}

/// The service a path names.
async fn service_of(state: &AppState, code: &str) -> Result<qyzmet_store::Service, AppError> {
    // A malformed code finds nothing, as on the registry's own routes.
    let code =
        v::service_code("code", code).map_err(|_| AppError::not_found("service_not_found"))?;
    state
        .store
        .service(&code)
        .await?
        .ok_or_else(|| AppError::not_found("service_not_found"))
}

fn year(y: i64) -> Result<i16, AppError> {
    v::year("year", y)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QualityQuery {
    /// The reporting year, e.g. 2026.
    #[param(minimum = 2000, maximum = 2999)]
    pub year: i64,
    /// `json` (the default), `csv` or `xlsx`; the files are headed in the Accept-Language.
    #[param(schema_with = crate::app::schema::report_format)]
    pub format: Option<String>,
}

/// The core of [`show`], shared with the workstation: the annex table of the service `code`
/// for `year`, over the caller's scope, computed now.
pub async fn annex(
    state: &AppState,
    caller: &Caller,
    code: &str,
    year: i64,
) -> Result<QualityView, AppError> {
    let year = self::year(year)?;
    let service = service_of(state, code).await?;
    let within = caller.scope().path();
    let as_of = now();
    let targets = state.store.quality_targets(service.id, year).await?;
    let feedback = state
        .store
        .feedback_counts(service.id, year, within)
        .await?;
    let (on_time, decided) = state
        .store
        .timeliness_counts(service.id, &service.depends_on, year, as_of, within)
        .await?;
    let electronic = service.channels.contains(&Channel::Portal);
    let indicators = Indicator::ALL
        .into_iter()
        .map(|i| {
            let (numerator, denominator) = match i {
                Indicator::Timeliness => (on_time, decided),
                Indicator::Electronic => (i64::from(electronic), 1),
                _ => feedback
                    .iter()
                    .find(|(question, _, _)| Some(*question) == i.question())
                    .map_or((0, 0), |(_, s, n)| (*s, *n)),
            };
            let set = targets.iter().find(|t| t.indicator == i);
            IndicatorView {
                code: i.code().into(),
                normative: set.and_then(|t| t.normative),
                target: set.and_then(|t| t.target),
                current: percent(numerator, denominator),
                numerator,
                denominator,
            }
        })
        .collect();
    Ok(QualityView {
        service: service.code.to_string(),
        year: i64::from(year),
        as_of: v::local(as_of),
        indicators,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetRequest {
    #[schema(schema_with = crate::app::schema::indicator)]
    pub indicator: String,
    /// %, 0–100; `null` clears it.
    #[schema(minimum = 0, maximum = 100)]
    pub normative: Option<f64>,
    /// %, 0–100; `null` clears it.
    #[schema(minimum = 0, maximum = 100)]
    pub target: Option<f64>,
}

fn percent_value(field: &str, v: Option<f64>) -> Result<Option<f64>, AppError> {
    match v {
        Some(x) if !(0.0..=100.0).contains(&x) || x.is_nan() => {
            Err(AppError::invalid(field, "percent_invalid"))
        }
        other => Ok(other),
    }
}

/// Records an applicant's answer to one question about an application (003 quality
/// indicators); returns it and whether this call recorded it (false for a retry).
pub async fn record_feedback(
    state: &AppState,
    caller: &Caller,
    number: &str,
    req: &FeedbackRequest,
) -> Result<(FeedbackRecord, bool), AppError> {
    caller.require_writer()?;
    let number = ApplicationNumber::parse(number)
        .map_err(|_| AppError::not_found("application_not_found"))?;
    let id = uuid::Uuid::parse_str(req.id.trim())
        .map_err(|_| AppError::invalid("id", "uuid_invalid"))?;
    let question: Question = v::one_of(
        "question",
        &req.question,
        &["process", "information", "complaint", "courtesy"],
    )?;
    let survey: Option<Survey> = req
        .survey
        .as_deref()
        .map(|s| v::one_of("survey", s, &["not_satisfied", "partly", "satisfied"]))
        .transpose()?;
    let answer = Answer::of(req.rating, survey).map_err(|e| match e {
        AnswerError::RatingOutOfRange => AppError::invalid("rating", "rating_out_of_range"),
        AnswerError::OneOfRatingOrSurvey => AppError::invalid("rating", "rating_or_survey"),
    })?;
    let at = now();
    let given_at = match req.given_at.as_deref() {
        Some(s) => v::past_instant("given_at", s, at)?,
        None => at,
    };
    let feedback = NewFeedback {
        id: id.to_string(),
        question,
        answer,
        given_at,
    };
    state
        .store
        .record_feedback(number, caller.scope(), &feedback, &caller.actor(), at)
        .await
        .map_err(AppError::from)
}

/// Sets an indicator's normative value and next year's target for a service and year
/// (administrators); audited by the store.
pub async fn set_quality_target(
    state: &AppState,
    caller: &Caller,
    code: &str,
    year_of: i64,
    req: &TargetRequest,
) -> Result<(), AppError> {
    caller.require_admin()?;
    let y = year(year_of)?;
    let indicator: Indicator = v::one_of(
        "indicator",
        &req.indicator,
        &["1.1", "2.1", "3.1", "3.2", "4.1", "5.1"],
    )?;
    let normative = percent_value("normative", req.normative)?;
    let target = percent_value("target", req.target)?;
    let service = service_of(state, code).await?;
    state
        .store
        .set_quality_target(
            service.id,
            service.code.as_str(),
            y,
            indicator,
            normative,
            target,
            &caller.actor(),
            now(),
        )
        .await?;
    Ok(())
}
