//! The return of unclaimed results to their providers (001 §20, decision Q2): the office's
//! staff make a register of the results due for return on a day (the shelf's `due_now` with
//! `return`; documents for assigning payments are never returned, only reviewed); each result
//! is scanned `returned as unclaimed` (an event of its history, its way over) and the register
//! is printed sealed with the server's key — the provider's clerk signs the paper copy for the
//! packages received. Planned first and settled scan by scan, under the client's
//! `request_key`: a retry after an interruption finishes the register, no scan made twice.

use super::offices::{self, require_office_staff};
use super::packages::{scan_error, scan_id};
use super::storage;
use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::state::AppState;
use jiff::Timestamp;
use qyzmet_domain::front_office::package::{self, Scan};
use qyzmet_domain::stage::{Event, EventKind};
use qyzmet_signature::sealed_token;
use qyzmet_store::front_office::{NewReturnRegister, ReturnRegister};
use qyzmet_store::IncomingEvent;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The tag of a register's seal.
const TAG: &str = "QZG1";

/// A register to make.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
    /// The client's key (a UUID): a retry with it returns (and finishes) the first register.
    #[schema(format = Uuid)]
    pub request_key: Option<String>,
    /// The day the shelf is judged on; today when absent (not in the future).
    #[schema(format = Date)]
    pub on: Option<String>,
}

/// A result on a register.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnItemView {
    pub application: String,
    pub barcode: String,
    pub service_code: String,
    /// The provider's organization the result goes back to.
    pub executor: String,
    /// returned, or skipped (it left the shelf meanwhile: issued).
    #[schema(example = "returned")]
    pub state: String,
}

/// A register of results returned unclaimed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnRegisterView {
    pub id: String,
    pub office: String,
    #[schema(format = Date)]
    pub on: String,
    pub employee: Option<String>,
    #[schema(format = DateTime)]
    pub made_at: String,
    pub items: Vec<ReturnItemView>,
    /// Items returned.
    pub returned: usize,
    /// The seal of the register (the server's signature of its id, office, day and the
    /// applications returned), printed as a QR code.
    pub seal: String,
    /// False for a retry that found the register made.
    pub created: bool,
}

async fn view(
    state: &AppState,
    r: &ReturnRegister,
    created: bool,
) -> Result<ReturnRegisterView, AppError> {
    let k = state.seal_key().await.ok_or_else(AppError::internal)?;
    let returned: Vec<String> = r
        .items
        .iter()
        .filter(|i| i.state == "returned")
        .map(|i| i.number.to_string())
        .collect();
    let line = format!(
        "{TAG}|{}|{}|{}|{}",
        r.public_id,
        r.office_code,
        r.on,
        returned.join(",")
    );
    let seal = sealed_token::seal(&k.key, TAG, &line).map_err(|_| AppError::internal())?;
    Ok(ReturnRegisterView {
        id: r.public_id.clone(),
        office: r.office_code.clone(),
        on: r.on.to_string(),
        employee: r.employee.clone(),
        made_at: v::local(r.at),
        items: r
            .items
            .iter()
            .map(|i| ReturnItemView {
                application: i.number.to_string(),
                barcode: package::barcode(i.number),
                service_code: i.service.clone(),
                executor: i.executor.clone(),
                state: i.state.clone(),
            })
            .collect(),
        returned: returned.len(),
        seal,
        created,
    })
}

/// Makes the register of the office `code`'s results due for return on `req.on` (today), and
/// scans each `returned`. Nothing due: 409 `nothing_to_return`.
pub async fn make(
    state: &AppState,
    caller: &Caller,
    code: &str,
    req: &ReturnRequest,
    now: Timestamp,
) -> Result<ReturnRegisterView, AppError> {
    let office = offices::find(state, code).await?;
    require_office_staff(caller, &office)?;
    let today = qyzmet_domain::zone::local_date(now);
    let on = match req.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => {
            let d = v::date("on", s)?;
            if d > today {
                return Err(AppError::invalid("on", "in_future"));
            }
            d
        }
        None => today,
    };
    let key = match req.request_key.as_deref().map(str::trim) {
        Some(k) => uuid::Uuid::parse_str(k)
            .map_err(|_| AppError::invalid("request_key", "uuid_invalid"))?,
        None => uuid::Uuid::new_v4(),
    };
    let shelf = storage::shelf(state, caller, code, Some(&on.to_string()), now).await?;
    let items: Vec<_> = shelf
        .items
        .iter()
        .filter(|k| k.due_now && k.due.kind == "return")
        .map(|k| {
            qyzmet_domain::ids::ApplicationNumber::parse(&k.application)
                .map(|n| (n, k.executor.clone()))
                .map_err(|_| AppError::internal())
        })
        .collect::<Result<_, _>>()?;
    let plan = NewReturnRegister {
        public_id: uuid::Uuid::new_v4().to_string(),
        request_key: key.to_string(),
        office_id: office.id,
        on,
        employee_id: caller.user_id(),
        items,
    };
    let (planned, created) = state
        .store
        .plan_return_register(&plan, &caller.actor(), now)
        .await?;
    if planned.items.is_empty() {
        return Err(AppError::conflict("nothing_to_return").arg("on", on));
    }
    let mut settled = Vec::new();
    for item in planned.items.iter().filter(|i| i.state == "planned") {
        let id = scan_id(item.number, &key);
        let scan = IncomingEvent {
            number: item.number,
            event: Event {
                id,
                occurred_at: now,
                kind: EventKind::Scanned {
                    scan: Scan::Returned,
                    office: office.code.clone(),
                },
            },
            executor_person: None,
            signature: None,
            ground_required: false,
        };
        match state
            .scans
            .write(scan, caller.scope(), &caller.actor())
            .await?
        {
            Ok(_) => settled.push((item.number, "returned", Some(id.to_string()))),
            Err(failure) => {
                // Left the shelf meanwhile (issued, or returned by another register): told
                // on the register, not made.
                let e = scan_error(failure);
                tracing::info!(code = %e.code, "a planned return was not scanned");
                settled.push((item.number, "skipped", None));
            }
        }
    }
    let register = if settled.is_empty() {
        planned
    } else {
        metrics::counter!("qyzmet_package_scans_total", "kind" => "returned")
            .increment(settled.iter().filter(|s| s.1 == "returned").count() as u64);
        state
            .store
            .settle_return_items(&planned.public_id, &settled)
            .await?
    };
    view(state, &register, created).await
}

/// A register, within the reach of its office's staff and analysts.
pub async fn show(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<ReturnRegisterView, AppError> {
    let r = state
        .store
        .return_register(id.trim())
        .await?
        .filter(|r| super::acceptances::sees(caller.scope(), std::slice::from_ref(&r.office_path)))
        .ok_or_else(|| AppError::not_found("return_register_not_found"))?;
    view(state, &r, false).await
}

/// The register printed: the office, the day, who made it, the results returned (with their
/// providers) and the seal's QR code; in the user's language.
pub fn pdf(v: &ReturnRegisterView, lang: crate::i18n::Lang) -> Result<Vec<u8>, AppError> {
    let t = |id: &str| crate::i18n::message(lang, id, &[]);
    let title = t("return-register-title");
    let count = v.returned.to_string();
    let mut fields: Vec<(String, String)> = vec![
        (t("return-register-office"), v.office.clone()),
        (t("return-register-on"), v.on.clone()),
        (t("return-register-made-at"), v.made_at.replace('T', " ")),
        (t("return-register-count"), count),
    ];
    if let Some(e) = &v.employee {
        fields.push((t("return-register-employee"), e.clone()));
    }
    let items: Vec<String> = v
        .items
        .iter()
        .filter(|i| i.state == "returned")
        .map(|i| {
            format!(
                "{} — {} — {} → {}",
                i.application, i.barcode, i.service_code, i.executor
            )
        })
        .collect();
    let fields_ref: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let items_ref: Vec<&str> = items.iter().map(String::as_str).collect();
    let list_title = t("return-register-items");
    let caption = t("return-register-caption");
    qyzmet_print::receipt(&qyzmet_print::Receipt {
        title: &title,
        fields: &fields_ref,
        list_title: &list_title,
        items: &items_ref,
        seal: &v.seal,
        seal_caption: &caption,
        rating: None,
    })
    .map_err(|e| {
        tracing::error!(error = %e, "return register not rendered");
        AppError::internal()
    })
}
