//! `/api/v1/applications`: registration (000 §7, §9–10), one application with its timeline
//! and derivation, and the filtered list. Every read of applicant data is audited.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::monitoring::applications::*;
use crate::app::monitoring::grounds::{passport_of, resolve, GroundText};
use crate::app::now;
use crate::app::validate as v;
use crate::app::Caller;
use crate::i18n::Lang;
use crate::signing::Submission;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use qyzmet_domain::ids::TaxId;
use qyzmet_domain::passport::Passport;
use qyzmet_domain::stage::{EventKind, History, Stage};
use qyzmet_store::{Applicant, Application, ApplicationDetail, EventEvidence, RecordedEvent};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
    #[schema(schema_with = crate::app::schema::tax_id_kind)]
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
    #[schema(schema_with = crate::app::schema::unit)]
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
    /// The version of the service's passport in force when it was registered (its documents,
    /// grounds and notices); none when no passport was published then.
    pub passport_version: Option<i64>,
    #[schema(schema_with = crate::app::schema::channel)]
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
    #[schema(schema_with = crate::app::schema::stage)]
    pub stage: String,
    #[schema(schema_with = crate::app::schema::outcome)]
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
            passport_version: a.passport_version,
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
    #[schema(schema_with = crate::app::schema::recorded_event_type)]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::app::schema::stage)]
    pub stage: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::app::schema::outcome)]
    pub outcome: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The ground of a suspension or a refusal (003 §17).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ground: Option<GroundView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executor_person: Option<String>,
    /// A package's scan (001 §15.9): which handover.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::app::schema::scan)]
    pub scan: Option<String>,
    /// A package's scan: the code of the office it was made at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
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

/// A ground of the service's passport (003 §17) that a suspension or a refusal rests on.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroundView {
    /// Its code among the passport's suspension or refusal grounds.
    #[schema(pattern = "^[A-Za-z0-9_-]{1,40}$")]
    pub code: String,
    /// Its text in the request's language (Accept-Language), from the passport version the
    /// application was registered under; absent where that passport is not resolved (an
    /// event's own answer) or lacks the code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The act and article it rests on, as the passport writes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_reference: Option<String>,
}

impl From<GroundText> for GroundView {
    fn from(g: GroundText) -> Self {
        GroundView {
            code: g.code,
            text: g.text,
            legal_reference: g.legal_reference,
        }
    }
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
                ..
            } => (
                "stage",
                Some(stage.as_str().to_string()),
                outcome.map(|o| o.as_str().to_string()),
                reason.clone(),
                None,
            ),
            EventKind::Suspended { reason, .. } => {
                ("suspended", None, None, Some(reason.clone()), None)
            }
            EventKind::Resumed { reason } => ("resumed", None, None, reason.clone(), None),
            EventKind::ExecutorChanged { executor } => {
                ("executor_changed", None, None, None, Some(executor.clone()))
            }
            EventKind::Scanned { .. } => ("scanned", None, None, None, None),
        };
        let (scan, office) = match &e.event.kind {
            EventKind::Scanned { scan, office } => {
                (Some(scan.as_str().to_string()), Some(office.clone()))
            }
            _ => (None, None),
        };
        EventView {
            id: e.event.id.to_string(),
            number: e.number.to_string(),
            seq: e.seq,
            kind: kind.into(),
            stage,
            outcome,
            reason,
            // Resolved against the application's passport where the application is read.
            ground: e.event.kind.ground().map(|code| GroundView {
                code: code.to_string(),
                text: None,
                legal_reference: None,
            }),
            executor,
            executor_person: e.executor_person.clone(),
            scan,
            office,
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
    #[schema(schema_with = crate::app::schema::stage)]
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
    /// Where the applicant is informed (000 §2), masked; none when no contact was given.
    pub contact: Option<crate::app::informing::contact::ContactView>,
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
    let (app, created) =
        register_application(&state, &caller, Submission::of(body)?, now()).await?;
    let status = super::made(created);
    Ok((status, Json((&app).into())))
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
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<ApplicationDetailView>, ApiError> {
    let detail = read_application(&state, &caller, &number).await?;
    let passport = passport_of(&state, &detail.application).await?;
    let mut view = detail_view(&detail, passport.as_ref(), Lang::from_headers(&headers));
    view.contact =
        crate::app::informing::contact::of_application(&state, detail.application.number).await?;
    Ok(Json(view))
}

/// The API's view of an application with its timeline, derivation and evidence; grounds are
/// resolved in `passport` (the version it was registered under) in `lang`.
pub fn detail_view(
    detail: &ApplicationDetail,
    passport: Option<&Passport>,
    lang: Lang,
) -> ApplicationDetailView {
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
                view.ground = resolve(passport, &e.event.kind, lang).map(GroundView::from);
                view
            })
            .collect(),
        contact: None,
    }
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
