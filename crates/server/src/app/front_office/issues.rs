//! Issue of the result at the issue desk (001 §19; ADR 0021): the clerk scans the package,
//! checks the person's identity document — the applicant's own IIN on it, or a
//! representative's power of attorney (and, for a business, only a representative) — and
//! hands the result over. The handover is the package's `issued` scan (which closes the
//! application as issued, 000 §6), then the issue's record: who received it, how they were
//! identified, at which counter and ticket (001 §21). The scan's id derives from the client's
//! `request_key`, so a retry after an interrupted first attempt records nothing twice and
//! finishes the record.

use super::acceptances::{identification, Identification, IdentificationIn};
use super::offices::{self, require_office_staff};
use super::packages::{application_of, scan_error, scan_id, whereabouts_str, with_package};
use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::state::AppState;
use jiff::Timestamp;
use qyzmet_domain::front_office::package::{self, Scan, Whereabouts};
use qyzmet_domain::ids::TaxId;
use qyzmet_domain::stage::{Event, EventKind};
use qyzmet_store::front_office::NewIssuance;
use qyzmet_store::IncomingEvent;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An issue at the desk.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    /// The client's key (a UUID): a retry with it returns the first issue.
    #[schema(format = Uuid)]
    pub request_key: Option<String>,
    /// The package's barcode (its label).
    #[schema(pattern = "^QZ[0-9]{13}$")]
    pub barcode: String,
    /// The office's code.
    #[schema(schema_with = crate::app::schema::code)]
    pub office: String,
    /// The counter's id, when issued at one.
    #[schema(minimum = 1)]
    pub counter: Option<i64>,
    /// The called ticket's id, when the visitor came by the queue.
    #[schema(format = Uuid)]
    pub ticket: Option<String>,
    /// The IIN on the identity document shown, when the applicant comes in person: it must be
    /// the applicant's.
    #[schema(pattern = "^[0-9]{12}$")]
    pub iin: Option<String>,
    /// The document shown, and the representative with their authority when one comes.
    pub identification: IdentificationIn,
}

/// An issue recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssueView {
    /// The issue's id.
    pub id: String,
    pub application: String,
    pub barcode: String,
    /// applicant or representative.
    #[schema(example = "applicant")]
    pub recipient: String,
    pub office: String,
    #[schema(format = DateTime)]
    pub issued_at: String,
    /// The package's whereabouts now (`issued`).
    pub whereabouts: String,
    /// Where the applicant rates the visit (001 §18).
    pub rating_link: String,
    /// False for a retry that found the issue recorded.
    pub created: bool,
}

/// Issues the result of the package `req.barcode` (001 §19).
pub async fn issue(
    state: &AppState,
    caller: &Caller,
    req: &IssueRequest,
    now: Timestamp,
) -> Result<IssueView, AppError> {
    caller.require_writer()?;
    let office = offices::find(state, &req.office).await?;
    require_office_staff(caller, &office)?;
    let number = application_of(&req.barcode)?;
    let key = match req.request_key.as_deref().map(str::trim) {
        Some(k) => uuid::Uuid::parse_str(k)
            .map_err(|_| AppError::invalid("request_key", "uuid_invalid"))?,
        None => uuid::Uuid::new_v4(),
    };
    let event_id = scan_id(number, &key);
    let (counter_id, ticket_id) =
        offices::desk_refs(state, &office, req.counter, req.ticket.as_deref()).await?;
    let today = qyzmet_domain::zone::local_date(now);
    let ident = identification(&req.identification, today)?;
    let detail = with_package(state, caller, number).await?;
    let app = &detail.application;
    let recipient = recipient(&ident, req.iin.as_deref(), &app.applicant.id)?;
    // Already scanned under this key: a retry; the record is finished below.
    let retried = detail.events.iter().any(|e| e.event.id == event_id);
    if !retried {
        let done: Vec<Scan> = detail
            .events
            .iter()
            .filter_map(|e| match &e.event.kind {
                EventKind::Scanned { scan, .. } => Some(*scan),
                _ => None,
            })
            .collect();
        let at = package::replay(&done).unwrap_or(Whereabouts::AtOffice);
        if at != Whereabouts::AtIssueDesk {
            return Err(AppError::conflict("not_at_issue_desk")
                .with_field("barcode")
                .arg("whereabouts", whereabouts_str(at)));
        }
        let item = IncomingEvent {
            number,
            event: Event {
                id: event_id,
                occurred_at: now,
                kind: EventKind::Scanned {
                    scan: Scan::Issued,
                    office: office.code.clone(),
                },
            },
            executor_person: None,
            signature: None,
            ground_required: false,
        };
        state
            .scans
            .write(item, caller.scope(), &caller.actor())
            .await?
            .map_err(scan_error)?;
        metrics::counter!("qyzmet_package_scans_total", "kind" => "issued").increment(1);
    }
    let new = NewIssuance {
        public_id: uuid::Uuid::new_v4().to_string(),
        request_key: key.to_string(),
        number,
        office_id: office.id,
        counter_id,
        ticket_id,
        employee_id: caller.user_id(),
        recipient,
        identification: serde_json::to_string(&ident).map_err(|_| AppError::internal())?,
        event_id: event_id.to_string(),
    };
    let (issued, created) = state
        .store
        .record_issuance(&new, &caller.actor(), now)
        .await?;
    if created {
        metrics::counter!("qyzmet_issues_total", "recipient" => recipient).increment(1);
    }
    Ok(IssueView {
        rating_link: super::ratings::link(state, "issue", &issued.public_id).await?,
        id: issued.public_id,
        application: number.to_string(),
        barcode: package::barcode(number),
        recipient: issued.recipient,
        office: office.code.clone(),
        issued_at: v::local(issued.at),
        whereabouts: whereabouts_str(Whereabouts::Issued).into(),
        created,
    })
}

/// Who receives the result (001 §19): the applicant in person, whose identity document must
/// carry the applicant's IIN, or a representative with a power of attorney in force (checked
/// by [`identification`]); a business's result goes only to a representative.
fn recipient(
    ident: &Identification,
    iin: Option<&str>,
    applicant: &TaxId,
) -> Result<&'static str, AppError> {
    if ident.representative.is_some() {
        return Ok("representative");
    }
    let TaxId::Iin(own) = applicant else {
        return Err(AppError::invalid(
            "identification.representative",
            "representative_required",
        ));
    };
    let shown = v::iin("iin", iin.unwrap_or_default())?;
    if shown.as_str() != own.as_str() {
        return Err(AppError::invalid("iin", "not_the_applicant"));
    }
    Ok("applicant")
}
