//! `/api/v1/applications`: registration (000 §7, §9–10), one application with its timeline
//! and derivation, and the filtered list. Every read of applicant data is audited.

use super::validate as v;
use super::{decode_cursor, encode_cursor, now};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{from_value, ApiJson, ApiPath, ApiQuery};
use crate::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::signing::Submission;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qyzmet_domain::ids::{ApplicationNumber, TaxId};
use qyzmet_domain::stage::{EventKind, History, Stage};
use qyzmet_store::{
    Applicant, Application, ApplicationDetail, ApplicationFilter, AuditEntry, Channel,
    EventEvidence, ListCursor, ListOrder, NewApplication, RecordedEvent,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantIn {
    /// IIN of an individual (12 digits with a valid check digit); give either iin or bin.
    #[schema(pattern = "^[0-9]{12}$")]
    pub iin: Option<String>,
    /// BIN of a legal entity (12 digits with a valid check digit).
    #[schema(pattern = "^[0-9]{12}$")]
    pub bin: Option<String>,
    #[schema(schema_with = crate::openapi::line_200)]
    pub last_name: String,
    #[schema(schema_with = crate::openapi::line_200)]
    pub first_name: String,
    /// Blank counts as absent.
    #[schema(max_length = 200)]
    pub middle_name: Option<String>,
}

/// A registration (000 §7).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApplicationRequest {
    /// A registered service.
    #[schema(schema_with = crate::openapi::code)]
    pub service_code: String,
    /// Term variant of the service; its default (first) variant when absent or blank.
    #[schema(max_length = 64)]
    pub term_variant: Option<String>,
    pub applicant: ApplicantIn,
    /// A channel the service is offered through.
    #[schema(schema_with = crate::openapi::channel)]
    pub channel: String,
    /// Documents travel to the provider on paper (with state_corp: the acceptance day never counts, 001 §25).
    #[serde(default)]
    pub paper: bool,
    /// Code of the organization where the application was accepted (in the token's sub-tree).
    #[schema(schema_with = crate::openapi::code)]
    pub acceptance_place: String,
    /// Code of the executing organization (in the token's sub-tree).
    #[schema(schema_with = crate::openapi::code)]
    pub executor: String,
    /// The executing official, if known.
    #[schema(max_length = 200)]
    pub executor_person: Option<String>,
    /// RFC 3339 with offset, e.g. 2026-03-20T10:00:00+05:00; not in the future (5 minutes'
    /// tolerance).
    #[schema(schema_with = crate::openapi::instant)]
    pub accepted_at: String,
    /// The provider system's own id: a retry with the same id returns the first registration.
    #[schema(max_length = 128)]
    pub external_id: Option<String>,
    /// The IIN of the employee who registered it: when the registration is signed, the
    /// signer's certificate must carry this IIN.
    #[schema(pattern = "^[0-9]{12}$")]
    pub employee_iin: Option<String>,
}

/// A registration, plain or signed (docs/signatures.md). The API description's shape only:
/// bodies are read through [`Submission`], so no value of it is ever built.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum RegistrationBody {
    Plain(NewApplicationRequest),
    Attached(crate::signing::AttachedSignature),
    Detached(crate::signing::DetachedSignature),
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicantView {
    #[schema(schema_with = crate::openapi::tax_id_kind)]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bin: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppliedTerm {
    pub variant: String,
    pub amount: u32,
    #[schema(schema_with = crate::openapi::unit)]
    pub unit: String,
    /// Version of the service's terms this application was registered under.
    pub version: i64,
}

/// An application and its projection.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationView {
    /// Public number with check digit (13 digits).
    pub number: String,
    /// The number grouped for reading: XXXX-XXXX-XXXX-X.
    pub number_formatted: String,
    pub service_code: String,
    pub term: AppliedTerm,
    #[schema(schema_with = crate::openapi::channel)]
    pub channel: String,
    pub paper: bool,
    pub applicant: ApplicantView,
    pub acceptance_place: String,
    pub executor: String,
    pub executor_person: Option<String>,
    pub external_id: Option<String>,
    #[schema(format = DateTime)]
    pub accepted_at: String,
    /// Acceptance moment after rule 3 (working hours, days off).
    #[schema(format = DateTime)]
    pub effective_acceptance: String,
    /// YYYY-MM-DD, Asia/Almaty.
    #[schema(format = Date)]
    pub planned_date: String,
    #[schema(format = DateTime)]
    pub deadline: String,
    #[schema(format = Date)]
    pub original_planned_date: String,
    #[schema(schema_with = crate::openapi::stage)]
    pub stage: String,
    #[schema(schema_with = crate::openapi::outcome)]
    pub outcome: Option<String>,
    #[schema(format = DateTime)]
    pub actual_completion: Option<String>,
    #[schema(format = DateTime)]
    pub closed_at: Option<String>,
    pub suspended: bool,
    pub overdue: bool,
    pub overdue_seconds: i64,
    pub nearing: bool,
    #[schema(format = DateTime)]
    pub recorded_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

fn applicant_view(a: &Applicant) -> ApplicantView {
    let (kind, iin, bin) = match &a.id {
        TaxId::Iin(i) => ("iin", Some(i.to_string()), None),
        TaxId::Bin(b) => ("bin", None, Some(b.to_string())),
    };
    ApplicantView {
        kind: kind.into(),
        iin,
        bin,
        last_name: a.last_name.clone(),
        first_name: a.first_name.clone(),
        middle_name: a.middle_name.clone(),
    }
}

impl From<&Application> for ApplicationView {
    fn from(a: &Application) -> Self {
        ApplicationView {
            number: a.number.to_string(),
            number_formatted: a.number.formatted(),
            service_code: a.service_code.to_string(),
            term: AppliedTerm {
                variant: a.term_variant.clone(),
                amount: a.term.amount,
                unit: a.term.unit.as_str().into(),
                version: a.terms_version,
            },
            channel: a.channel.as_str().into(),
            paper: a.paper,
            applicant: applicant_view(&a.applicant),
            acceptance_place: a.acceptance_place.to_string(),
            executor: a.executor.to_string(),
            executor_person: a.executor_person.clone(),
            external_id: a.external_id.clone(),
            accepted_at: v::local(a.accepted_at),
            effective_acceptance: v::local(a.effective_acceptance),
            planned_date: a.planned_date.to_string(),
            deadline: v::local(a.deadline),
            original_planned_date: a.original_planned_date.to_string(),
            stage: a.stage.as_str().into(),
            outcome: a.outcome.map(|o| o.as_str().into()),
            actual_completion: v::opt_local(a.actual_completion),
            closed_at: v::opt_local(a.closed_at),
            suspended: a.suspended,
            overdue: a.overdue,
            overdue_seconds: a.overdue_seconds,
            nearing: a.nearing,
            recorded_at: v::local(a.recorded_at),
            updated_at: v::local(a.updated_at),
        }
    }
}

/// An event as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    pub id: String,
    pub number: String,
    /// Position in the application's history.
    pub seq: i64,
    #[serde(rename = "type")]
    #[schema(schema_with = crate::openapi::event_type)]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::openapi::stage)]
    pub stage: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::openapi::outcome)]
    pub outcome: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executor_person: Option<String>,
    #[schema(format = DateTime)]
    pub occurred_at: String,
    #[schema(format = DateTime)]
    pub recorded_at: String,
    /// Hash chain head after this event.
    pub chain_hash: String,
    /// Its entry in the global ledger (in an application's history).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger: Option<LedgerView>,
    /// The signature it arrived with and what verifying it found (when it was signed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureView>,
}

/// A position in the global ledger and the ledger's head after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerView {
    pub position: i64,
    pub head: String,
}

/// A verified signature: its form and the verification report (signer IIN/BIN and name,
/// certificate serial, issuer and validity, chain, signing time, revocation sources).
#[derive(Debug, Serialize, ToSchema)]
pub struct SignatureView {
    /// attached or detached
    pub form: String,
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
}

/// What proves the registration itself (seq 0 of the history).
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationEvidenceView {
    /// The application's chain starts from this hash (its registration).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger: Option<LedgerView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureView>,
}

fn evidence_views(e: Option<&EventEvidence>) -> (Option<LedgerView>, Option<SignatureView>) {
    let Some(e) = e else { return (None, None) };
    (
        e.ledger.as_ref().map(|(position, head)| LedgerView {
            position: *position,
            head: head.clone(),
        }),
        e.signature.as_ref().map(|(form, report)| SignatureView {
            form: form.clone(),
            report: report.clone(),
        }),
    )
}

impl From<&RecordedEvent> for EventView {
    fn from(e: &RecordedEvent) -> Self {
        let (kind, stage, outcome, reason, executor) = match &e.event.kind {
            EventKind::Stage {
                stage,
                outcome,
                reason,
            } => (
                "stage",
                Some(stage.as_str().to_string()),
                outcome.map(|o| o.as_str().to_string()),
                reason.clone(),
                None,
            ),
            EventKind::Suspended { reason } => {
                ("suspended", None, None, Some(reason.clone()), None)
            }
            EventKind::Resumed { reason } => ("resumed", None, None, reason.clone(), None),
            EventKind::ExecutorChanged { executor } => {
                ("executor_changed", None, None, None, Some(executor.clone()))
            }
        };
        EventView {
            id: e.event.id.to_string(),
            number: e.number.to_string(),
            seq: e.seq,
            kind: kind.into(),
            stage,
            outcome,
            reason,
            executor,
            executor_person: e.executor_person.clone(),
            occurred_at: v::local(e.event.occurred_at),
            recorded_at: v::local(e.recorded_at),
            chain_hash: e.chain_hash.clone(),
            ledger: None,
            signature: None,
        }
    }
}

/// Planned versus actual for one stage.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    #[schema(schema_with = crate::openapi::stage)]
    pub stage: String,
    /// 1–6 (000 §6).
    #[schema(minimum = 1, maximum = 6)]
    pub number: u8,
    /// When the stage was reached; `null` when not (yet) reached or skipped.
    #[schema(format = DateTime)]
    pub actual: Option<String>,
    /// The regulated moment: acceptance for stage 1, the deadline for completion (stage 4).
    #[schema(format = DateTime)]
    pub planned: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineChangeView {
    #[schema(format = Date)]
    pub old_planned_date: String,
    #[schema(format = Date)]
    pub new_planned_date: String,
    pub reason: String,
    #[schema(format = DateTime)]
    pub changed_at: String,
}

/// An application with its timeline, history and how its planned date was derived.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDetailView {
    #[serde(flatten)]
    pub application: ApplicationView,
    pub timeline: Vec<TimelineEntry>,
    /// Rule by rule (MISSION "Deadline rules" 10): term, counting start, extension, calendar version.
    #[schema(value_type = Object)]
    pub derivation: serde_json::Value,
    pub deadline_changes: Vec<DeadlineChangeView>,
    /// The registration's ledger entry and signature.
    pub registration: RegistrationEvidenceView,
    /// The history, each event with its ledger entry and signature.
    pub events: Vec<EventView>,
}

fn timeline(d: &ApplicationDetail) -> Vec<TimelineEntry> {
    let a = &d.application;
    // The stage machine's own reading of the history: skipped stages stay empty.
    let history = History::from_events(
        a.accepted_at,
        d.events.iter().map(|e| e.event.clone()).collect(),
    );
    let reached = history.stage_times();
    [
        Stage::Accepted,
        Stage::SentForExecution,
        Stage::TakenIntoWork,
        Stage::Executed,
        Stage::ReadyForIssue,
        Stage::Closed,
    ]
    .into_iter()
    .map(|s| TimelineEntry {
        stage: s.as_str().into(),
        number: s.number(),
        actual: v::opt_local(reached[usize::from(s.number() - 1)]),
        planned: match s {
            Stage::Accepted => Some(v::local(a.effective_acceptance)),
            Stage::Executed => Some(v::local(a.deadline)),
            _ => None,
        },
    })
    .collect()
}

/// Registers an application: fixes the acceptance, computes the planned date (000 §10).
/// Plain, `{"signed": …}` or `{"event": {…registration…}, "signature": …}` (see the events).
#[utoipa::path(post, path = "/api/v1/applications", request_body = RegistrationBody,
    responses((status = 201, description = "Registered", body = ApplicationView),
        (status = 200, description = "A retry with the same external_id: the first registration", body = ApplicationView),
        (status = 403, description = "The acceptance place or executor is outside the token's sub-tree", body = ErrorBody),
        (status = 409, description = "The external_id names another application", body = ErrorBody),
        BodyErrors, TokenErrors),
    security(("bearer" = [])), tag = "applications")]
pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<ApplicationView>), ApiError> {
    let (app, created) = register_application(&state, &caller, body, now()).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json((&app).into())))
}

/// The registration itself, for the API and the workstation alike: the body is a plain or
/// signed registration; returns the application and whether this call created it.
pub async fn register_application(
    state: &AppState,
    caller: &Caller,
    body: serde_json::Value,
    now: jiff::Timestamp,
) -> Result<(Application, bool), ApiError> {
    caller.require_writer()?;
    let mut opened = super::events::open_all(state, caller, vec![Submission::of(body)?], now)
        .await?
        .pop()
        .ok_or_else(ApiError::internal)??;
    let req: NewApplicationRequest = from_value(std::mem::take(&mut opened.data))?;
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

/// One application with its timeline (planned vs actual per stage), derivation and history.
/// A mistyped number (wrong check digit) finds nothing.
#[utoipa::path(get, path = "/api/v1/applications/{number}",
    params(("number" = String, Path, description = "Application number, 13 digits (dashes allowed)")),
    responses((status = 200, description = "The application", body = ApplicationDetailView),
        (status = 404, description = "No such application in the token's sub-tree (a malformed or mistyped number finds nothing)", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "applications")]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<ApplicationDetailView>, ApiError> {
    let detail = read_application(&state, &caller, &number).await?;
    Ok(Json(detail_view(&detail)))
}

/// One application in the caller's scope, for the API and the workstation; the read is
/// audited, durably, before the application is returned (503 when the entry cannot be
/// written). A mistyped number finds nothing.
pub async fn read_application(
    state: &AppState,
    caller: &Caller,
    number: &str,
) -> Result<ApplicationDetail, ApiError> {
    let number = ApplicationNumber::parse(number)
        .map_err(|_| ApiError::not_found("application_not_found"))?;
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

/// The API's view of an application with its timeline, derivation and evidence.
pub fn detail_view(detail: &ApplicationDetail) -> ApplicationDetailView {
    let evidence: std::collections::HashMap<i64, &EventEvidence> =
        detail.evidence.iter().map(|e| (e.seq, e)).collect();
    let (ledger, signature) = evidence_views(evidence.get(&0).copied());
    let a = &detail.application;
    ApplicationDetailView {
        application: a.into(),
        timeline: timeline(detail),
        derivation: a.derivation.clone(),
        deadline_changes: detail
            .deadline_changes
            .iter()
            .map(|c| DeadlineChangeView {
                old_planned_date: c.old_planned_date.to_string(),
                new_planned_date: c.new_planned_date.to_string(),
                reason: c.reason.clone(),
                changed_at: v::local(c.changed_at),
            })
            .collect(),
        registration: RegistrationEvidenceView { ledger, signature },
        events: detail
            .events
            .iter()
            .map(|e| {
                let mut view = EventView::from(e);
                (view.ledger, view.signature) = evidence_views(evidence.get(&e.seq).copied());
                view
            })
            .collect(),
    }
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
    #[param(schema_with = crate::openapi::stage)]
    pub stage: Option<String>,
    pub overdue: Option<bool>,
    pub nearing: Option<bool>,
    /// Not yet completed (no stage 4 or later).
    pub pending: Option<bool>,
    /// Accepted at or after (RFC 3339).
    #[param(schema_with = crate::openapi::instant)]
    pub accepted_from: Option<String>,
    /// Accepted before (RFC 3339).
    #[param(schema_with = crate::openapi::instant)]
    pub accepted_to: Option<String>,
    /// Planned date on or after (YYYY-MM-DD).
    #[param(schema_with = crate::openapi::date)]
    pub planned_from: Option<String>,
    /// Planned date on or before (YYYY-MM-DD).
    #[param(schema_with = crate::openapi::date)]
    pub planned_to: Option<String>,
    /// Completed (stage 4 or later) at or after (RFC 3339).
    #[param(schema_with = crate::openapi::instant)]
    pub completed_from: Option<String>,
    /// Completed before (RFC 3339).
    #[param(schema_with = crate::openapi::instant)]
    pub completed_to: Option<String>,
    /// Deadline at or after (RFC 3339).
    #[param(schema_with = crate::openapi::instant)]
    pub deadline_from: Option<String>,
    /// Deadline before (RFC 3339).
    #[param(schema_with = crate::openapi::instant)]
    pub deadline_to: Option<String>,
    /// `newest` (default: newest acceptance first) or `due` (earliest planned date first).
    #[param(schema_with = crate::openapi::sort)]
    pub sort: Option<String>,
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` value of the previous page (of the same sort).
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationPage {
    pub items: Vec<ApplicationView>,
    pub next: Option<String>,
}

/// Applications in the caller's scope, newest acceptance first, with cursor pagination.
#[utoipa::path(get, path = "/api/v1/applications", params(ListQuery),
    responses((status = 200, description = "A page", body = ApplicationPage), ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "applications")]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<ApplicationPage>, ApiError> {
    let (items, next) = find_applications(&state, &caller, &q).await?;
    Ok(Json(ApplicationPage {
        items: items.iter().map(ApplicationView::from).collect(),
        next,
    }))
}

/// A page of the applications in the caller's scope (as of now) and the cursor of the next
/// page, for the API and the workstation; the numbers shown are audited, durably, before the
/// page is returned.
pub async fn find_applications(
    state: &AppState,
    caller: &Caller,
    q: &ListQuery,
) -> Result<(Vec<Application>, Option<String>), ApiError> {
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
            .ok_or_else(|| ApiError::invalid("organization", "unknown_organization"))?;
        filter.organization_path = Some(org.path);
    }
    if let Some(code) = &q.executor {
        let code = v::org_code("executor", code)?;
        let org = state
            .store
            .organization(&code)
            .await?
            .ok_or_else(|| ApiError::invalid("executor", "unknown_organization"))?;
        filter.executor_path = Some(org.path);
    }
    if let Some(code) = &q.service {
        let code = v::service_code("service", code)?;
        let svc = state
            .store
            .service(&code)
            .await?
            .ok_or_else(|| ApiError::invalid("service", "unknown_service"))?;
        filter.service_id = Some(svc.id);
    }
    filter.order = match q.sort.as_deref().map(str::trim) {
        None | Some("") | Some("newest") => ListOrder::NewestFirst,
        Some("due") => ListOrder::DueFirst,
        Some(_) => {
            return Err(ApiError::invalid("sort", "enum_invalid").arg("allowed", "newest, due"))
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
                .ok_or_else(|| ApiError::invalid("cursor", "cursor_invalid"))?,
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
