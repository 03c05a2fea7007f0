//! Applications: registration (000 §7) with the planned date computed at once (000 §10),
//! reading one (audited, ADR 0011) and listing them within the caller's scope.

//! `/api/v1/applications`: registration (000 §7, §9–10), one application with its timeline
//! and derivation, and the filtered list. Every read of applicant data is audited.

use crate::app::now;
use crate::app::paging::{decode_cursor, encode_cursor};
use crate::app::validate as v;
use crate::app::AppError;
use crate::app::Caller;
use crate::signing::Submission;
use crate::state::AppState;
use qyzmet_domain::ids::ApplicationNumber;
use qyzmet_domain::stage::Stage;
use qyzmet_store::{
    Applicant, Application, ApplicationDetail, ApplicationFilter, AuditEntry, Channel, ListCursor,
    ListOrder, NewApplication,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantIn {
    /// IIN of an individual (12 digits with a valid check digit); give either iin or bin.
    #[schema(pattern = "^[0-9]{12}$")]
    pub iin: Option<String>,
    /// BIN of a legal entity (12 digits with a valid check digit).
    #[schema(pattern = "^[0-9]{12}$")]
    pub bin: Option<String>,
    #[schema(schema_with = crate::app::schema::line_200)]
    pub last_name: String,
    #[schema(schema_with = crate::app::schema::line_200)]
    pub first_name: String,
    /// Blank counts as absent.
    #[schema(max_length = 200)]
    pub middle_name: Option<String>,
}

/// A registration (000 §7).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApplicationRequest {
    /// A registered service.
    #[schema(schema_with = crate::app::schema::code)]
    pub service_code: String,
    /// Term variant of the service; its default (first) variant when absent or blank.
    #[schema(max_length = 64)]
    pub term_variant: Option<String>,
    pub applicant: ApplicantIn,
    /// A channel the service is offered through.
    #[schema(schema_with = crate::app::schema::channel)]
    pub channel: String,
    /// Documents travel to the provider on paper (with state_corp: the acceptance day never counts, 001 §25).
    #[serde(default)]
    pub paper: bool,
    /// Code of the organization where the application was accepted (in the token's sub-tree).
    #[schema(schema_with = crate::app::schema::code)]
    pub acceptance_place: String,
    /// Code of the executing organization (in the token's sub-tree).
    #[schema(schema_with = crate::app::schema::code)]
    pub executor: String,
    /// The executing official, if known.
    #[schema(max_length = 200)]
    pub executor_person: Option<String>,
    /// RFC 3339 with offset, e.g. 2026-03-20T10:00:00+05:00; not in the future (5 minutes'
    /// tolerance).
    #[schema(schema_with = crate::app::schema::instant)]
    pub accepted_at: String,
    /// The provider system's own id: a retry with the same id returns the first registration.
    #[schema(max_length = 128)]
    pub external_id: Option<String>,
    /// The IIN of the employee who registered it: when the registration is signed, the
    /// signer's certificate must carry this IIN.
    #[schema(pattern = "^[0-9]{12}$")]
    pub employee_iin: Option<String>,
}

/// Registers an application (000 §7), plain or signed (the API's body, the workstation's
/// form); returns the application and whether this call created it (false for a retry with
/// the same `external_id`).
pub async fn register_application(
    state: &AppState,
    caller: &Caller,
    submission: Submission,
    now: jiff::Timestamp,
) -> Result<(Application, bool), AppError> {
    caller.require_writer()?;
    let mut opened = super::submissions::open_all(state, caller, vec![submission], now)
        .await?
        .pop()
        .ok_or_else(AppError::internal)??;
    let req: NewApplicationRequest =
        crate::app::decode::from_value(std::mem::take(&mut opened.data))?;
    opened.check_employee(req.employee_iin.as_deref())?;
    let new = NewApplication {
        service: v::service_code("service_code", &req.service_code)?,
        term_variant: v::opt_text("term_variant", req.term_variant.as_deref(), 64)?,
        applicant: Applicant {
            id: v::tax_id(
                "applicant",
                req.applicant.iin.as_deref(),
                req.applicant.bin.as_deref(),
            )?,
            last_name: v::text("applicant.last_name", &req.applicant.last_name, 200)?,
            first_name: v::text("applicant.first_name", &req.applicant.first_name, 200)?,
            middle_name: v::opt_text(
                "applicant.middle_name",
                req.applicant.middle_name.as_deref(),
                200,
            )?,
        },
        channel: v::one_of::<Channel>(
            "channel",
            &req.channel,
            &["provider", "state_corp", "portal"],
        )?,
        paper: req.paper,
        acceptance_place: v::org_code("acceptance_place", &req.acceptance_place)?,
        executor: Some(v::org_code("executor", &req.executor)?),
        executor_person: v::opt_text("executor_person", req.executor_person.as_deref(), 200)?,
        accepted_at: v::past_instant("accepted_at", &req.accepted_at, now)?,
        external_id: v::opt_text("external_id", req.external_id.as_deref(), 128)?,
        signature: opened.evidence,
    };
    let (app, created) = state
        .store
        .register(
            &new,
            caller.scope(),
            &caller.actor(),
            now,
            state.config.nearing_fraction,
        )
        .await?;
    if created {
        metrics::counter!("qyzmet_applications_registered_total").increment(1);
    } else {
        // A retry returns the stored application, applicant included: a read of personal
        // data like any other, audited durably before it is returned (ADR 0011).
        state
            .audit
            .record(AuditEntry {
                at: now,
                actor: caller.actor(),
                action: "application.read".into(),
                subject: app.number.to_string(),
                detail: "registration retried (same external_id)".into(),
            })
            .await?;
    }
    Ok((app, created))
}

/// One application in the caller's scope, for the API and the workstation; the read is
/// audited, durably, before the application is returned (503 when the entry cannot be
/// written). A mistyped number finds nothing.
pub async fn read_application(
    state: &AppState,
    caller: &Caller,
    number: &str,
) -> Result<ApplicationDetail, AppError> {
    let number = ApplicationNumber::parse(number)
        .map_err(|_| AppError::not_found("application_not_found"))?;
    let mut detail = state.store.application(number, caller.scope()).await?;
    detail.application = detail.application.at(now());
    state
        .audit
        .record(AuditEntry {
            at: now(),
            actor: caller.actor(),
            action: "application.read".into(),
            subject: number.to_string(),
            detail: String::new(),
        })
        .await?;
    Ok(detail)
}

/// Filters of the application list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Organization code: applications accepted or executed in its sub-tree (it must exist).
    #[param(pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub organization: Option<String>,
    /// Organization code: applications executed in its sub-tree (it must exist).
    #[param(pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub executor: Option<String>,
    /// Service code (it must exist).
    #[param(pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub service: Option<String>,
    /// Current stage.
    #[param(schema_with = crate::app::schema::stage)]
    pub stage: Option<String>,
    pub overdue: Option<bool>,
    pub nearing: Option<bool>,
    /// Not yet completed (no stage 4 or later).
    pub pending: Option<bool>,
    /// Accepted at or after (RFC 3339).
    #[param(schema_with = crate::app::schema::instant)]
    pub accepted_from: Option<String>,
    /// Accepted before (RFC 3339).
    #[param(schema_with = crate::app::schema::instant)]
    pub accepted_to: Option<String>,
    /// Planned date on or after (YYYY-MM-DD).
    #[param(schema_with = crate::app::schema::date)]
    pub planned_from: Option<String>,
    /// Planned date on or before (YYYY-MM-DD).
    #[param(schema_with = crate::app::schema::date)]
    pub planned_to: Option<String>,
    /// Completed (stage 4 or later) at or after (RFC 3339).
    #[param(schema_with = crate::app::schema::instant)]
    pub completed_from: Option<String>,
    /// Completed before (RFC 3339).
    #[param(schema_with = crate::app::schema::instant)]
    pub completed_to: Option<String>,
    /// Deadline at or after (RFC 3339).
    #[param(schema_with = crate::app::schema::instant)]
    pub deadline_from: Option<String>,
    /// Deadline before (RFC 3339).
    #[param(schema_with = crate::app::schema::instant)]
    pub deadline_to: Option<String>,
    /// `newest` (default: newest acceptance first) or `due` (earliest planned date first).
    #[param(schema_with = crate::app::schema::sort)]
    pub sort: Option<String>,
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` value of the previous page (of the same sort).
    pub cursor: Option<String>,
}

/// A page of the applications in the caller's scope (as of now) and the cursor of the next
/// page, for the API and the workstation; the numbers shown are audited, durably, before the
/// page is returned.
pub async fn find_applications(
    state: &AppState,
    caller: &Caller,
    q: &ListQuery,
) -> Result<(Vec<Application>, Option<String>), AppError> {
    let limit = v::limit("limit", q.limit)?;
    let mut filter = ApplicationFilter {
        stage: q
            .stage
            .as_deref()
            .map(|s| {
                v::one_of::<Stage>(
                    "stage",
                    s,
                    &[
                        "accepted",
                        "sent_for_execution",
                        "taken_into_work",
                        "executed",
                        "ready_for_issue",
                        "closed",
                    ],
                )
            })
            .transpose()?,
        overdue: q.overdue,
        nearing: q.nearing,
        pending: q.pending,
        accepted_from: q
            .accepted_from
            .as_deref()
            .map(|s| v::instant("accepted_from", s))
            .transpose()?,
        accepted_to: q
            .accepted_to
            .as_deref()
            .map(|s| v::instant("accepted_to", s))
            .transpose()?,
        planned_from: q
            .planned_from
            .as_deref()
            .map(|s| v::date("planned_from", s))
            .transpose()?,
        planned_to: q
            .planned_to
            .as_deref()
            .map(|s| v::date("planned_to", s))
            .transpose()?,
        completed_from: q
            .completed_from
            .as_deref()
            .map(|s| v::instant("completed_from", s))
            .transpose()?,
        completed_to: q
            .completed_to
            .as_deref()
            .map(|s| v::instant("completed_to", s))
            .transpose()?,
        deadline_from: q
            .deadline_from
            .as_deref()
            .map(|s| v::instant("deadline_from", s))
            .transpose()?,
        deadline_to: q
            .deadline_to
            .as_deref()
            .map(|s| v::instant("deadline_to", s))
            .transpose()?,
        ..Default::default()
    };
    if let Some(code) = &q.organization {
        let code = v::org_code("organization", code)?;
        let org = state
            .store
            .organization(&code)
            .await?
            .ok_or_else(|| AppError::invalid("organization", "unknown_organization"))?;
        filter.organization_path = Some(org.path);
    }
    if let Some(code) = &q.executor {
        let code = v::org_code("executor", code)?;
        let org = state
            .store
            .organization(&code)
            .await?
            .ok_or_else(|| AppError::invalid("executor", "unknown_organization"))?;
        filter.executor_path = Some(org.path);
    }
    if let Some(code) = &q.service {
        let code = v::service_code("service", code)?;
        let svc = state
            .store
            .service(&code)
            .await?
            .ok_or_else(|| AppError::invalid("service", "unknown_service"))?;
        filter.service_id = Some(svc.id);
    }
    filter.order = match q.sort.as_deref().map(str::trim) {
        None | Some("") | Some("newest") => ListOrder::NewestFirst,
        Some("due") => ListOrder::DueFirst,
        Some(_) => {
            return Err(AppError::invalid("sort", "enum_invalid").arg("allowed", "newest, due"))
        }
    };
    let cursor = match &q.cursor {
        None => None,
        Some(c) => Some(
            decode_cursor(c)
                .and_then(|s| parse_cursor(&s))
                .filter(|c| {
                    matches!(
                        (c, filter.order),
                        (ListCursor::Newest { .. }, ListOrder::NewestFirst)
                            | (ListCursor::Due { .. }, ListOrder::DueFirst)
                    )
                })
                .ok_or_else(|| AppError::invalid("cursor", "cursor_invalid"))?,
        ),
    };
    let (items, next) = state
        .store
        .applications(&filter, caller.scope(), cursor, limit)
        .await?;
    if !items.is_empty() {
        let numbers: Vec<String> = items.iter().map(|a| a.number.to_string()).collect();
        state
            .audit
            .record(AuditEntry {
                at: now(),
                actor: caller.actor(),
                action: "application.list".into(),
                subject: "applications".into(),
                detail: numbers.join(","),
            })
            .await?;
    }
    let at = now();
    Ok((
        items.into_iter().map(|a| a.at(at)).collect(),
        next.map(|c| encode_cursor(&cursor_text(&c))),
    ))
}

/// A list position as its cursor's text: `accepted_at_us:number` (the format since the first
/// version, so old cursors stay valid) or `due:planned_date:number`.
fn cursor_text(c: &ListCursor) -> String {
    match c {
        ListCursor::Newest {
            accepted_at_us,
            number,
        } => format!("{accepted_at_us}:{number}"),
        ListCursor::Due {
            planned_date,
            number,
        } => format!("due:{planned_date}:{number}"),
    }
}

fn parse_cursor(s: &str) -> Option<ListCursor> {
    if let Some(rest) = s.strip_prefix("due:") {
        let (d, n) = rest.split_once(':')?;
        return Some(ListCursor::Due {
            planned_date: d.parse().ok()?,
            number: n.parse().ok()?,
        });
    }
    let (a, n) = s.split_once(':')?;
    Some(ListCursor::Newest {
        accepted_at_us: a.parse().ok()?,
        number: n.parse().ok()?,
    })
}
