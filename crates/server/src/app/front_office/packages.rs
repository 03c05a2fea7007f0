//! Document packages (001 §15.9, ADR 0021): an application accepted at the State Corporation
//! with its documents on paper has one package, labelled with a Code 128 barcode; each
//! handover is a scan, recorded as an event of the application's hash-chained history — by
//! the scanner page (a keyboard-wedge reader types the code and Enter) or by a courier's or
//! provider's system through the API. The order is the domain's
//! (`qyzmet_domain::front_office::package`), checked in the writing transaction: a scan out of
//! order is refused with what may come now, a scan already made is told so (of eight readers
//! at once, one records it). A scan that stands for a stage records that stage too (handed to
//! the provider ⇒ sent for execution, issued ⇒ closed as issued), in the same transaction.

use crate::app::monitoring::events::rejection_error;
use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::state::AppState;
use jiff::Timestamp;
use qyzmet_domain::front_office::package::{self, Scan, Whereabouts};
use qyzmet_domain::ids::ApplicationNumber;
use qyzmet_domain::stage::{Event, EventKind, Rejection};
use qyzmet_store::{EventFailure, IncomingEvent, RecordedEvent};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A scan of a package.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanRequest {
    /// Which handover (001 §15.9): to_provider, from_provider, to_issue_desk, issued, or
    /// returned (unclaimed, 001 §20).
    #[schema(schema_with = crate::app::schema::scan)]
    pub kind: String,
    /// The code of the front office where it was scanned; when absent, where the package is
    /// (the office of its last scan, or the office that accepted it).
    #[schema(schema_with = crate::app::schema::opt_code)]
    pub office: Option<String>,
    /// The client's key (a UUID) for this handover: a retry with it answers as the first
    /// scan did, nothing written twice.
    #[schema(format = Uuid)]
    pub request_key: Option<String>,
}

/// One recorded scan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScanView {
    #[schema(schema_with = crate::app::schema::scan)]
    pub kind: String,
    /// The office's code.
    pub office: String,
    #[schema(format = DateTime)]
    pub at: String,
    /// Who scanned it (a user's or a token's id, never a name).
    pub actor: String,
    /// Its position in the application's history.
    pub seq: i64,
}

/// A package: where it is and its scans so far.
#[derive(Debug, Serialize, ToSchema)]
pub struct PackageView {
    /// The label's code (Code 128).
    pub barcode: String,
    /// The application's number.
    pub application: String,
    pub service_code: String,
    /// at_office, with_provider, back_at_office, at_issue_desk, issued, returned_unclaimed.
    #[schema(example = "with_provider")]
    pub whereabouts: String,
    /// The scans that may come next (none: its way is over).
    pub expected: Vec<String>,
    pub scans: Vec<ScanView>,
    /// The date the result is to be issued (the application's planned date).
    #[schema(format = Date)]
    pub planned_date: String,
}

/// What a scan recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScanResult {
    pub barcode: String,
    pub application: String,
    pub scan: ScanView,
    /// Where the package is now.
    #[schema(example = "with_provider")]
    pub whereabouts: String,
    /// The scans that may come next.
    pub expected: Vec<String>,
}

pub(crate) fn whereabouts_str(w: Whereabouts) -> &'static str {
    match w {
        Whereabouts::AtOffice => "at_office",
        Whereabouts::WithProvider => "with_provider",
        Whereabouts::BackAtOffice => "back_at_office",
        Whereabouts::AtIssueDesk => "at_issue_desk",
        Whereabouts::Issued => "issued",
        Whereabouts::ReturnedUnclaimed => "returned_unclaimed",
    }
}

pub(crate) fn names(scans: &[Scan]) -> Vec<String> {
    scans.iter().map(|s| s.as_str().to_string()).collect()
}

/// The application a scanned code names. A code that is not shaped as a qyzmet label is
/// refused as such (another code met on the desk: an ID card's, a product's); one of its shape
/// whose check digit fails names no package, as an application number that fails it names no
/// application.
pub fn application_of(barcode: &str) -> Result<ApplicationNumber, AppError> {
    let digits = barcode.trim().strip_prefix(package::PREFIX).unwrap_or("");
    if digits.len() != 13 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid("barcode", "not_a_package"));
    }
    package::application_of(barcode)
        .ok_or_else(|| AppError::not_found("package_not_found").with_field("barcode"))
}

pub(crate) fn scan_view(e: &RecordedEvent) -> Option<ScanView> {
    match &e.event.kind {
        EventKind::Scanned { scan, office } => Some(ScanView {
            kind: scan.as_str().to_string(),
            office: office.clone(),
            at: v::local(e.event.occurred_at),
            actor: e.actor.clone(),
            seq: e.seq,
        }),
        _ => None,
    }
}

/// A scan's refusal: already scanned or out of order (409, with what may come now), no
/// package, an unknown office.
pub(crate) fn scan_error(failure: EventFailure) -> AppError {
    match failure {
        EventFailure::NotFound => AppError::not_found("package_not_found").with_field("barcode"),
        EventFailure::Rejected(Rejection::ScanAlready { scan }) => {
            AppError::conflict("scan_already")
                .with_field("kind")
                .arg("scan", scan.as_str())
        }
        EventFailure::Rejected(Rejection::ScanOutOfOrder { scan, expected }) => {
            AppError::conflict("scan_out_of_order")
                .with_field("kind")
                .arg("scan", scan.as_str())
                .arg("expected", names(&expected).join(", "))
        }
        EventFailure::Rejected(r) => rejection_error(&r),
        EventFailure::Invalid {
            field: "barcode",
            code: "no_package",
        } => AppError::not_found("package_not_found").with_field("barcode"),
        EventFailure::Invalid { field, code } => AppError::invalid(field, code),
        EventFailure::IdConflict => AppError::internal(),
    }
}

/// Records a scan of the package `barcode` (001 §15.9): staff and systems that write, within
/// their organization's reach (the application accepted or executed in its sub-tree). One
/// read tells what the scan needs (reach, consents, where the package is); the write goes
/// through the node's [`super::scan_writer::ScanWriter`] (scans arriving together, one
/// transaction).
pub async fn scan(
    state: &AppState,
    caller: &Caller,
    barcode: &str,
    req: &ScanRequest,
    now: Timestamp,
) -> Result<ScanResult, AppError> {
    caller.require_writer()?;
    let number = application_of(barcode)?;
    let kind = Scan::parse(req.kind.trim()).ok_or_else(|| {
        AppError::invalid("kind", "enum_invalid").arg(
            "allowed",
            "to_provider, from_provider, to_issue_desk, issued, returned",
        )
    })?;
    let named = match req
        .office
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(code) => Some(v::org_code("office", code)?.to_string()),
        None => None,
    };
    // Within the caller's reach, and a package at all, before anything else is told.
    let facts = state
        .store
        .package_facts(number, caller.scope(), named.as_deref())
        .await?
        .ok_or_else(|| AppError::not_found("package_not_found").with_field("barcode"))?;
    // The office named, or where the package is: the office of its last scan, else the
    // office that accepted it.
    let office = match named {
        Some(code) if facts.named_exists => code,
        Some(_) => return Err(AppError::invalid("office", "office_not_found")),
        None => facts
            .at_office
            .ok_or_else(|| AppError::invalid("office", "required"))?,
    };
    // An application is sent to the provider only with both consents on record (001 §7, §8).
    if kind == Scan::ToProvider && facts.consents < 2 {
        let given = state.store.consents(number).await?;
        let lacking =
            super::acceptances::lacking_consents(given.iter().map(|c| c.consent.kind.as_str()));
        return Err(AppError::conflict("consent_missing")
            .with_field("consents")
            .arg("lacking", super::acceptances::lacking_arg(&lacking)));
    }
    let id = match req.request_key.as_deref().map(str::trim) {
        Some(k) => scan_id(
            number,
            &uuid::Uuid::parse_str(k)
                .map_err(|_| AppError::invalid("request_key", "uuid_invalid"))?,
        ),
        None => uuid::Uuid::now_v7(),
    };
    let item = IncomingEvent {
        number,
        event: Event {
            id,
            occurred_at: now,
            kind: EventKind::Scanned { scan: kind, office },
        },
        executor_person: None,
        signature: None,
        ground_required: false,
    };
    let recorded = match state
        .scans
        .write(item, caller.scope(), &caller.actor())
        .await?
    {
        Ok(r) => r,
        // The same key again, the time now another: the scan made under it answers.
        Err(EventFailure::IdConflict) if req.request_key.is_some() => {
            first_scan(state, caller, number, id, kind).await?
        }
        Err(f) => return Err(scan_error(f)),
    };
    metrics::counter!("qyzmet_package_scans_total", "kind" => kind.as_str()).increment(1);
    // The scan was admitted after the ones before it: where it leaves the package depends on
    // the scan alone.
    let whereabouts = package::reached(kind);
    Ok(ScanResult {
        barcode: package::barcode(number),
        application: number.to_string(),
        scan: scan_view(&recorded).ok_or_else(AppError::internal)?,
        whereabouts: whereabouts_str(whereabouts).into(),
        expected: names(&package::expected(whereabouts)),
    })
}

/// The scan `kind` of `number`'s package with the id `id` (a retry's first scan); the key
/// used for another scan is refused.
async fn first_scan(
    state: &AppState,
    caller: &Caller,
    number: ApplicationNumber,
    id: uuid::Uuid,
    kind: Scan,
) -> Result<RecordedEvent, AppError> {
    let detail = state.store.application(number, caller.scope()).await?;
    detail
        .events
        .into_iter()
        .find(|e| {
            e.event.id == id
                && matches!(e.event.kind, EventKind::Scanned { scan, .. } if scan == kind)
        })
        .ok_or_else(|| AppError::conflict("scan_key_used").with_field("request_key"))
}

/// The id of the scan of `number`'s package made under the client's key `key`: derived
/// (SHA-256, as a version-8 UUID), so a retry is the same event and one key on two packages
/// two events.
pub(crate) fn scan_id(number: ApplicationNumber, key: &uuid::Uuid) -> uuid::Uuid {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("qyzmet-scan:{number}:{key}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// The application `number` with its history, when it has a package (accepted at the State
/// Corporation on paper) within the caller's reach; `package_not_found` otherwise.
pub(crate) async fn with_package(
    state: &AppState,
    caller: &Caller,
    number: ApplicationNumber,
) -> Result<qyzmet_store::ApplicationDetail, AppError> {
    let not_found = || AppError::not_found("package_not_found").with_field("barcode");
    let detail = state
        .store
        .application(number, caller.scope())
        .await
        .map_err(|e| match e {
            qyzmet_store::StoreError::NotFound(_) => not_found(),
            other => other.into(),
        })?;
    let app = &detail.application;
    if !(app.paper && app.channel == qyzmet_store::Channel::StateCorp) {
        return Err(not_found());
    }
    Ok(detail)
}

/// A package: where it is, its scans, what may come next.
pub async fn package(
    state: &AppState,
    caller: &Caller,
    barcode: &str,
) -> Result<PackageView, AppError> {
    let number = application_of(barcode)?;
    let detail = with_package(state, caller, number).await?;
    let app = &detail.application;
    let scans: Vec<ScanView> = detail.events.iter().filter_map(scan_view).collect();
    let done: Vec<Scan> = scans.iter().filter_map(|s| Scan::parse(&s.kind)).collect();
    let whereabouts = package::replay(&done).unwrap_or(Whereabouts::AtOffice);
    Ok(PackageView {
        barcode: package::barcode(number),
        application: number.to_string(),
        service_code: app.service_code.to_string(),
        whereabouts: whereabouts_str(whereabouts).into(),
        expected: names(&package::expected(whereabouts)),
        scans,
        planned_date: app.planned_date.to_string(),
    })
}

/// The package's label (a PDF): the Code 128 barcode, the application's number, the service
/// and the date the result is due.
pub async fn label(state: &AppState, caller: &Caller, barcode: &str) -> Result<Vec<u8>, AppError> {
    let p = package(state, caller, barcode).await?;
    let lines = [
        format!("№ {}", p.application),
        p.service_code.clone(),
        p.planned_date.clone(),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    qyzmet_print::label(&p.barcode, &lines).map_err(|e| {
        tracing::error!(error = %e, "label not rendered");
        AppError::internal()
    })
}
