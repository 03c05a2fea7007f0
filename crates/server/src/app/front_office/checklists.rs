//! The checklist at the counter (001 §15.1, §15.3, §22): a service passport's documents as the
//! employee ticks them — those to bring (in the applicant's or the employee's language), which
//! apply only to some applicants, those obtained from an information system (never asked) and
//! the fee. From the passport in force (before an application exists) or from the version an
//! application was registered under.

use super::acceptances::passport_in_force;
use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::i18n::Lang;
use crate::state::AppState;
use jiff::Timestamp;
use qyzmet_domain::front_office::checklist;
use qyzmet_domain::ids::ApplicationNumber;
use qyzmet_domain::passport::Passport;
use qyzmet_store::PassportWhich;
use serde::Serialize;
use utoipa::ToSchema;

/// One document to bring.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistItem {
    pub code: String,
    pub name: String,
    #[schema(schema_with = crate::app::schema::document_form)]
    pub form: String,
    /// How many.
    pub copies: u8,
    /// Asked only of some applicants (`who`): the employee marks it as not applying.
    pub conditional: bool,
    pub who: Option<String>,
    /// Notarised, apostilled, not older than 30 days…
    pub requirements: Option<String>,
}

/// A document obtained from an information system: never asked for (001 §22).
#[derive(Debug, Serialize, ToSchema)]
pub struct FromSystem {
    pub code: String,
    pub name: String,
    pub system: String,
}

/// The fee the payment is checked against (001 §15.3).
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistFee {
    pub paid: bool,
    pub amount_kzt: Option<u64>,
    pub description: Option<String>,
}

/// A service's checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistView {
    pub service_code: String,
    /// The passport version it comes from.
    pub passport_version: i64,
    pub documents: Vec<ChecklistItem>,
    pub from_systems: Vec<FromSystem>,
    pub fee: ChecklistFee,
}

fn view(code: &str, version: i64, p: &Passport, lang: Lang) -> ChecklistView {
    let l = lang.code();
    let text = |t: &qyzmet_domain::passport::Texts| (!t.is_blank()).then(|| t.get(l).to_string());
    ChecklistView {
        service_code: code.to_string(),
        passport_version: version,
        documents: checklist::items(p)
            .into_iter()
            .map(|i| ChecklistItem {
                code: i.document.code.clone(),
                name: i.document.name.get(l).to_string(),
                form: i.document.form.as_str().into(),
                copies: i.document.copies.max(1),
                conditional: i.conditional,
                who: text(&i.document.who),
                requirements: text(&i.document.requirements),
            })
            .collect(),
        from_systems: p
            .documents
            .iter()
            .filter_map(|d| {
                d.from_system.as_ref().map(|s| FromSystem {
                    code: d.code.clone(),
                    name: d.name.get(l).to_string(),
                    system: s.clone(),
                })
            })
            .collect(),
        fee: ChecklistFee {
            paid: p.fee.paid,
            amount_kzt: p.fee.amount_kzt.filter(|_| p.fee.paid),
            description: text(&p.fee.description),
        },
    }
}

/// The checklist of the passport in force for the service `code`.
pub async fn of_service(
    state: &AppState,
    code: &str,
    lang: Lang,
    now: Timestamp,
) -> Result<ChecklistView, AppError> {
    let code =
        v::service_code("code", code).map_err(|_| AppError::not_found("service_not_found"))?;
    let (version, p) =
        passport_in_force(state, &code, now)
            .await
            .map_err(|e| match e.code.as_str() {
                "unknown_service" => AppError::not_found("service_not_found"),
                _ => e,
            })?;
    Ok(view(code.as_ref(), version, &p, lang))
}

/// The checklist of an application's service, from the passport version it was registered
/// under.
pub async fn of_application(
    state: &AppState,
    caller: &Caller,
    number: &str,
    lang: Lang,
) -> Result<ChecklistView, AppError> {
    let n = ApplicationNumber::parse(number.trim())
        .map_err(|_| AppError::not_found("application_not_found"))?;
    let detail = state.store.application(n, caller.scope()).await?;
    let a = &detail.application;
    let version = a
        .passport_version
        .ok_or_else(|| AppError::not_found("passport_not_found"))?;
    let p = state
        .store
        .passport(&a.service_code, PassportWhich::Published(version))
        .await?
        .ok_or_else(|| AppError::not_found("passport_not_found"))?;
    Ok(view(a.service_code.as_ref(), version, &p.passport, lang))
}
