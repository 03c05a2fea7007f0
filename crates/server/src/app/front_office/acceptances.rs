//! Acceptance at the counter (001 §7–8, §14–17, §22; ADR 0021): the employee identifies the
//! applicant or the representative, ticks the documents of the service's passport as received,
//! checks the payment against its fee, takes the two consents; a complete package is
//! registered by the same use case as every channel (channel `state_corp`, the office's
//! organization as the acceptance place) with its receipt in one transaction; an incomplete
//! one is refused with a receipt that names exactly what is missing — computed from the
//! passport (`qyzmet_domain::front_office::checklist`), never typed.

use crate::app::front_office::offices::{self, require_office_staff};
use crate::app::monitoring::applications::{new_application, ApplicantIn, NewApplicationRequest};
use crate::app::monitoring::submissions::open_all;
use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::signing::Submission;
use crate::state::AppState;
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::front_office::checklist::{self, ChecklistError, Presented, FEE};
use qyzmet_domain::front_office::receipt::ReceiptKind;
use qyzmet_domain::ids::ApplicationNumber;
use qyzmet_domain::ids::ServiceCode;
use qyzmet_domain::passport::{DocumentForm, Passport};
use qyzmet_store::front_office::{
    AcceptanceOutcome, Consent, ConsentRecord, NewAcceptance, NewReceipt, ReceiptNotice,
};
use qyzmet_store::{PassportWhich, Scope};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The two consents an application needs before it is sent (001 §7, §8).
pub const CONSENT_KINDS: [&str; 2] = ["personal_data", "protected_data"];

/// How the applicant (or the representative) was identified (001 §14).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentificationIn {
    /// identity_card, passport, residence_permit, or digital_documents (the digital-documents
    /// service: the document shown from the applicant's phone).
    #[schema(schema_with = crate::app::schema::id_document)]
    pub document: String,
    /// The document's number (with digital_documents, the service's request id); personal
    /// data, shown masked.
    #[schema(max_length = 40)]
    pub number: String,
    /// When a representative acts for the applicant.
    pub representative: Option<RepresentativeIn>,
}

/// A representative and their authority (001 §14).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepresentativeIn {
    #[schema(pattern = "^[0-9]{12}$")]
    pub iin: String,
    #[schema(schema_with = crate::app::schema::line_200)]
    pub last_name: String,
    #[schema(schema_with = crate::app::schema::line_200)]
    pub first_name: String,
    #[schema(max_length = 200)]
    pub middle_name: Option<String>,
    pub power_of_attorney: PowerOfAttorneyIn,
}

/// A power of attorney: notarised or not, its number, its date and how long it is valid.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PowerOfAttorneyIn {
    pub notarised: bool,
    #[schema(max_length = 40)]
    pub number: String,
    /// Not in the future.
    #[schema(format = Date)]
    pub issued_on: String,
    /// Not before today.
    #[schema(format = Date)]
    pub valid_until: String,
}

/// One document handed over.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentIn {
    /// The passport's document code.
    #[schema(max_length = 40)]
    pub code: String,
    /// original, copy, or original_for_identification (shown and handed back).
    #[schema(schema_with = crate::app::schema::document_form)]
    pub form: String,
    #[schema(minimum = 1, maximum = 20)]
    pub count: u8,
}

/// A consent given (001 §7, §8).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentIn {
    /// personal_data (001 §8) or protected_data (001 §7).
    #[schema(schema_with = crate::app::schema::consent_kind)]
    pub kind: String,
    /// Where it was given: paper (a signed form), egov_sms (a one-time code), or
    /// digital_signature.
    #[schema(schema_with = crate::app::schema::consent_source)]
    pub source: String,
    /// Its id there: the form's number, the SMS's id, the signature's serial.
    #[schema(max_length = 100)]
    pub source_id: String,
    /// When it was given (RFC 3339); now when absent.
    #[schema(schema_with = crate::app::schema::opt_instant)]
    pub given_at: Option<String>,
}

/// An acceptance at the counter.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptanceRequest {
    /// The client's key (a UUID): a retry with it returns the first acceptance.
    #[schema(format = Uuid)]
    pub request_key: Option<String>,
    /// The office's code.
    #[schema(schema_with = crate::app::schema::code)]
    pub office: String,
    /// The counter's id, when accepted at one.
    #[schema(minimum = 1)]
    pub counter: Option<i64>,
    /// The called ticket's id (its link), when the visitor came by the queue.
    #[schema(format = Uuid)]
    pub ticket: Option<String>,
    #[schema(schema_with = crate::app::schema::code)]
    pub service_code: String,
    #[schema(max_length = 64)]
    pub term_variant: Option<String>,
    /// The receipt's language (001 §16): kk (the default) or ru.
    #[schema(schema_with = crate::app::schema::receipt_language)]
    pub language: Option<String>,
    pub applicant: ApplicantIn,
    pub identification: IdentificationIn,
    /// The documents handed over.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub documents: Vec<DocumentIn>,
    /// Codes of documents asked only of some applicants that do not apply to this one.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub not_applicable: Vec<String>,
    /// What the payment document shows, in tenge (001 §15.3), for a paid service.
    #[schema(minimum = 0)]
    pub paid_kzt: Option<u64>,
    /// Both are needed before the application is sent (001 §7, §8).
    #[serde(default)]
    #[schema(max_items = 2)]
    pub consents: Vec<ConsentIn>,
    /// The documents travel to the provider on paper (a package, 001 §15.9, §25); true when
    /// absent.
    pub paper: Option<bool>,
    /// The executing organization; the service's responsible organization when absent.
    #[schema(schema_with = crate::app::schema::opt_code)]
    pub executor: Option<String>,
    /// The IIN of the employee who accepts: when the acceptance is signed (001 §8), the
    /// signer's certificate must carry it.
    #[schema(pattern = "^[0-9]{12}$")]
    pub employee_iin: Option<String>,
}

/// The identification as stored: the document's number and the representative's data in
/// full (personal data: read back masked, every read audited).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Identification {
    pub(crate) document: String,
    pub(crate) number: String,
    pub(crate) representative: Option<Representative>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Representative {
    pub(crate) iin: String,
    pub(crate) last_name: String,
    pub(crate) first_name: String,
    pub(crate) middle_name: Option<String>,
    pub(crate) notarised: bool,
    pub(crate) number: String,
    pub(crate) issued_on: Date,
    pub(crate) valid_until: Date,
}

const ID_DOCUMENTS: [&str; 4] = [
    "identity_card",
    "passport",
    "residence_permit",
    "digital_documents",
];
const CONSENT_SOURCES: [&str; 3] = ["paper", "egov_sms", "digital_signature"];

pub(crate) fn identification(
    req: &IdentificationIn,
    today: Date,
) -> Result<Identification, AppError> {
    let document = req.document.trim();
    if !ID_DOCUMENTS.contains(&document) {
        return Err(AppError::invalid("identification.document", "enum_invalid")
            .arg("allowed", ID_DOCUMENTS.join(", ")));
    }
    let number = v::text("identification.number", &req.number, 40)?;
    let representative = match &req.representative {
        None => None,
        Some(r) => {
            let iin = v::iin("identification.representative.iin", &r.iin)?;
            let poa = &r.power_of_attorney;
            let at =
                |field: &str| format!("identification.representative.power_of_attorney.{field}");
            let issued_on: Date = poa
                .issued_on
                .trim()
                .parse()
                .map_err(|_| AppError::invalid(at("issued_on"), "date_invalid"))?;
            let valid_until: Date = poa
                .valid_until
                .trim()
                .parse()
                .map_err(|_| AppError::invalid(at("valid_until"), "date_invalid"))?;
            if issued_on > today {
                return Err(AppError::invalid(at("issued_on"), "in_future"));
            }
            if valid_until < today {
                return Err(
                    AppError::invalid(at("valid_until"), "power_of_attorney_expired")
                        .arg("valid_until", valid_until),
                );
            }
            Some(Representative {
                iin: iin.as_str().to_string(),
                last_name: v::text("identification.representative.last_name", &r.last_name, 200)?,
                first_name: v::text(
                    "identification.representative.first_name",
                    &r.first_name,
                    200,
                )?,
                middle_name: v::opt_text(
                    "identification.representative.middle_name",
                    r.middle_name.as_deref(),
                    200,
                )?,
                notarised: poa.notarised,
                number: v::text(&at("number"), &poa.number, 40)?,
                issued_on,
                valid_until,
            })
        }
    };
    Ok(Identification {
        document: document.to_string(),
        number,
        representative,
    })
}

fn form_of(field: String, s: &str) -> Result<DocumentForm, AppError> {
    DocumentForm::parse(s.trim()).ok_or_else(|| {
        AppError::invalid(field, "enum_invalid")
            .arg("allowed", "original, copy, original_for_identification")
    })
}

fn checklist_error(e: ChecklistError) -> AppError {
    match e {
        ChecklistError::Unknown(i) => {
            AppError::invalid(format!("documents[{i}].code"), "unknown_document")
        }
        ChecklistError::FromSystem(i) => {
            AppError::invalid(format!("documents[{i}].code"), "document_from_system")
        }
        ChecklistError::Repeated(i) => {
            AppError::invalid(format!("documents[{i}].code"), "document_repeated")
        }
        ChecklistError::Zero(i) => {
            AppError::invalid(format!("documents[{i}].count"), "document_count")
        }
        ChecklistError::NotConditional(i) => {
            AppError::invalid(format!("not_applicable[{i}]"), "not_conditional")
        }
    }
}

fn consents(req: &[ConsentIn], now: Timestamp) -> Result<Vec<Consent>, AppError> {
    let mut out: Vec<Consent> = Vec::new();
    for (i, c) in req.iter().enumerate() {
        let kind = c.kind.trim();
        if !CONSENT_KINDS.contains(&kind) {
            return Err(
                AppError::invalid(format!("consents[{i}].kind"), "enum_invalid")
                    .arg("allowed", CONSENT_KINDS.join(", ")),
            );
        }
        if out.iter().any(|o| o.kind == kind) {
            return Err(AppError::invalid(
                format!("consents[{i}].kind"),
                "consent_repeated",
            ));
        }
        let source = c.source.trim();
        if !CONSENT_SOURCES.contains(&source) {
            return Err(
                AppError::invalid(format!("consents[{i}].source"), "enum_invalid")
                    .arg("allowed", CONSENT_SOURCES.join(", ")),
            );
        }
        let given_at = match c.given_at.as_deref() {
            None => now,
            Some(s) => v::instant(&format!("consents[{i}].given_at"), s)?,
        };
        out.push(Consent {
            kind: kind.to_string(),
            source: source.to_string(),
            source_id: v::text(&format!("consents[{i}].source_id"), &c.source_id, 100)?,
            given_at,
        });
    }
    Ok(out)
}

/// The passport in force today for `code`: the checklist comes from it (001 §15.1).
pub async fn passport_in_force(
    state: &AppState,
    code: &ServiceCode,
    now: Timestamp,
) -> Result<(i64, Passport), AppError> {
    let today = qyzmet_domain::zone::local_date(now);
    let found = state
        .store
        .passport(code, PassportWhich::InForce(today))
        .await
        .map_err(|e| match e {
            qyzmet_store::StoreError::NotFound(_) => {
                AppError::invalid("service_code", "unknown_service")
            }
            other => other.into(),
        })?;
    let p = found.ok_or_else(|| AppError::invalid("service_code", "no_passport"))?;
    Ok((p.version, p.passport))
}

/// Accepts a package at the counter, or refuses it with the receipt naming what is missing.
pub async fn accept(
    state: &AppState,
    caller: &Caller,
    submission: Submission,
    now: Timestamp,
) -> Result<AcceptanceOutcome, AppError> {
    caller.require_writer()?;
    // The employee signs the application they send (001 §8): the same path as every signed
    // submission (the organization's policy, the certificate, the signer's IIN).
    let mut opened = open_all(state, caller, vec![submission], now)
        .await?
        .pop()
        .ok_or_else(AppError::internal)??;
    let req: AcceptanceRequest = crate::app::decode::from_value(std::mem::take(&mut opened.data))?;
    opened.check_employee(req.employee_iin.as_deref())?;
    accept_opened(state, caller, &req, opened.evidence, now).await
}

/// The acceptance of an opened submission, with its signature's evidence if it was signed.
async fn accept_opened(
    state: &AppState,
    caller: &Caller,
    req: &AcceptanceRequest,
    evidence: Option<qyzmet_store::SignatureEvidence>,
    now: Timestamp,
) -> Result<AcceptanceOutcome, AppError> {
    let office = offices::find(state, &req.office).await?;
    require_office_staff(caller, &office)?;
    let today = qyzmet_domain::zone::local_date(now);
    let request_key = match req.request_key.as_deref().map(str::trim) {
        Some(k) => uuid::Uuid::parse_str(k)
            .map_err(|_| AppError::invalid("request_key", "uuid_invalid"))?
            .to_string(),
        None => uuid::Uuid::new_v4().to_string(),
    };
    let (counter_id, ticket_id) =
        offices::desk_refs(state, &office, req.counter, req.ticket.as_deref()).await?;
    let language = match req.language.as_deref().map(str::trim) {
        None | Some("kk") => "kk",
        Some("ru") => "ru",
        Some(_) => {
            return Err(AppError::invalid("language", "enum_invalid").arg("allowed", "kk, ru"))
        }
    };
    let code = v::service_code("service_code", &req.service_code)?;
    let service = state
        .store
        .service(&code)
        .await?
        .ok_or_else(|| AppError::invalid("service_code", "unknown_service"))?;
    // The applicant's fields, checked first (a refusal records no application, but the
    // entry must still be one that could be registered).
    let registration = NewApplicationRequest {
        service_code: code.to_string(),
        term_variant: req.term_variant.clone(),
        applicant: ApplicantIn {
            iin: req.applicant.iin.clone(),
            bin: req.applicant.bin.clone(),
            last_name: req.applicant.last_name.clone(),
            first_name: req.applicant.first_name.clone(),
            middle_name: req.applicant.middle_name.clone(),
            contact: req.applicant.contact.clone(),
        },
        channel: "state_corp".into(),
        paper: req.paper.unwrap_or(true),
        acceptance_place: office.organization.clone(),
        executor: req
            .executor
            .clone()
            .unwrap_or_else(|| service.organization_code.to_string()),
        executor_person: None,
        accepted_at: now.to_string(),
        external_id: None,
        employee_iin: req.employee_iin.clone(),
    };
    let new = new_application(&registration, now)
        .map_err(|mut problems| problems.remove(0))?
        .signed(evidence);
    let (passport_version, passport) = passport_in_force(state, &code, now).await?;
    let ident = identification(&req.identification, today)?;
    let presented = req
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Ok(Presented {
                code: d.code.trim().to_string(),
                form: form_of(format!("documents[{i}].form"), &d.form)?,
                count: d.count,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let not_applicable: Vec<String> = req
        .not_applicable
        .iter()
        .map(|c| c.trim().to_string())
        .collect();
    let verdict =
        checklist::check(&passport, &presented, &not_applicable).map_err(checklist_error)?;
    let fee = checklist::fee(&passport, req.paid_kzt);
    let consents = consents(&req.consents, now)?;
    let complete = verdict.complete() && fee.satisfied;
    if complete {
        let lacking = lacking_consents(consents.iter().map(|c| c.kind.as_str()));
        if !lacking.is_empty() {
            return Err(AppError::invalid("consents", "consent_missing")
                .arg("lacking", lacking_arg(&lacking)));
        }
    }
    let name = |code: &str| {
        passport
            .documents
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.name.get(language).to_string())
            .unwrap_or_default()
    };
    let employee = match caller.user_id() {
        Some(id) => state.store.user_record(id).await?.map(|r| r.user.full_name),
        None => None,
    };
    let mut missing: Vec<String> = verdict.missing.iter().map(|m| m.code.clone()).collect();
    if !fee.satisfied {
        missing.push(FEE.to_string());
    }
    let body = serde_json::json!({
        "employee": employee,
        "service": {"code": service.code.to_string(), "name": service.name.get(language)},
        "accepted": verdict.accepted.iter().map(|a| serde_json::json!({
            "code": a.code, "name": name(&a.code), "form": a.form.as_str(), "count": a.count})).collect::<Vec<_>>(),
        "missing": verdict.missing.iter().map(|m| serde_json::json!({
            "code": m.code, "name": name(&m.code), "form": m.form.as_str(),
            "required": m.required, "received": m.received})).collect::<Vec<_>>(),
        "fee": fee,
    });
    let documents = serde_json::json!({
        "presented": req.documents.iter().map(|d| serde_json::json!({
            "code": d.code.trim(), "form": d.form.trim(), "count": d.count})).collect::<Vec<_>>(),
        "not_applicable": not_applicable,
        "verdict": verdict,
        "fee": fee,
    });
    let public_id = uuid::Uuid::new_v4().to_string();
    let notices = receipt_notices(
        state,
        req,
        &ReceiptFacts {
            complete,
            language,
            office: office.name.get(language),
            employee: employee.as_deref().unwrap_or(""),
            accepted: verdict.accepted.iter().map(|a| name(&a.code)).collect(),
            missing: missing
                .iter()
                .map(|c| {
                    if c == FEE {
                        crate::i18n::message(lang_of(language), "receipt-fee", &[])
                    } else {
                        name(c)
                    }
                })
                .collect(),
            acceptance: &public_id,
        },
    )
    .await?;
    let acceptance = NewAcceptance {
        public_id,
        request_key,
        office_id: office.id,
        office_code: office.code.clone(),
        counter_id,
        ticket_id,
        employee_id: caller.user_id(),
        service_code: code.to_string(),
        passport_version,
        identification: serde_json::to_string(&ident).map_err(|_| AppError::internal())?,
        documents: documents.to_string(),
        consents,
        receipt: NewReceipt {
            id: uuid::Uuid::new_v4().to_string(),
            kind: if complete {
                ReceiptKind::Acceptance
            } else {
                ReceiptKind::Refusal
            },
            language: language.to_string(),
            accepted: verdict.accepted.iter().map(|a| a.code.clone()).collect(),
            missing,
            body: body.to_string(),
        },
        notices,
    };
    let outcome = if complete {
        state
            .store
            .accept(
                &new,
                &acceptance,
                caller.scope(),
                &caller.actor(),
                now,
                state.config.nearing_fraction,
            )
            .await?
    } else {
        state
            .store
            .refuse_acceptance(&acceptance, &caller.actor(), now)
            .await?
    };
    if outcome.created {
        metrics::counter!("qyzmet_acceptances_total", "outcome" => if complete { "accepted" } else { "refused" })
            .increment(1);
    } else if let Some(app) = &outcome.application {
        // A retry returns the stored application, applicant included: a read of personal
        // data, audited durably before it is returned (ADR 0011).
        state
            .audit
            .record(qyzmet_store::AuditEntry {
                at: now,
                actor: caller.actor(),
                action: "application.read".into(),
                subject: app.number.to_string(),
                detail: "acceptance retried (same request_key)".into(),
            })
            .await?;
    }
    Ok(outcome)
}

fn lang_of(code: &str) -> crate::i18n::Lang {
    crate::i18n::Lang::from_code(code).unwrap_or(crate::i18n::Lang::Kk)
}

/// What the electronic receipt says.
struct ReceiptFacts<'a> {
    complete: bool,
    language: &'a str,
    office: &'a str,
    employee: &'a str,
    accepted: Vec<String>,
    missing: Vec<String>,
    acceptance: &'a str,
}

/// The receipt sent electronically (001 §15.5, electronic by default) to the contact the
/// applicant gave, in the receipt's language: the e-mail in full (the documents, the issue
/// date, the status page, the rating link), the SMS in short. The application's number and
/// issue date are filled in by the store from the registration.
async fn receipt_notices(
    state: &AppState,
    req: &AcceptanceRequest,
    f: &ReceiptFacts<'_>,
) -> Result<Vec<ReceiptNotice>, AppError> {
    let Some(contact) = req
        .applicant
        .contact
        .as_ref()
        .and_then(|c| crate::app::informing::contact::contact("applicant.contact", c).ok())
    else {
        return Ok(Vec::new());
    };
    let lang = lang_of(f.language);
    let kind = if f.complete { "acceptance" } else { "refusal" };
    let token = super::ratings::token(state, "acceptance", f.acceptance).await?;
    let args = [
        ("number", "{number}".to_string()),
        ("issue_date", "{issue_date}".to_string()),
        ("office", f.office.to_string()),
        ("employee", f.employee.to_string()),
        ("documents", f.accepted.join("; ")),
        ("missing", f.missing.join("; ")),
        ("status", qyzmet_store::STATUS_URL.to_string()),
        ("rating", format!("{}/rate/{token}", qyzmet_store::SITE_URL)),
    ];
    let m = |id: &str| crate::i18n::message(lang, &format!("{id}-{kind}"), &args);
    let mut out = Vec::new();
    if let Some(email) = &contact.email {
        out.push(ReceiptNotice {
            channel: "email",
            recipient: email.as_str().to_string(),
            subject: m("receipt-notice-subject"),
            body: m("receipt-notice-body"),
        });
    }
    if let Some(phone) = &contact.phone {
        out.push(ReceiptNotice {
            channel: "sms",
            recipient: phone.digits().to_string(),
            subject: String::new(),
            body: m("receipt-notice-sms"),
        });
    }
    Ok(out)
}

/// How the applicant or the representative was identified at an acceptance, as staff see
/// it: the document's kind and its number masked, the representative's IIN masked and their
/// authority (001 §14).
#[derive(Debug, Serialize, ToSchema)]
pub struct IdentificationView {
    #[schema(schema_with = crate::app::schema::id_document)]
    pub document: String,
    /// The last characters only.
    pub number: String,
    pub representative: Option<RepresentativeView>,
}

/// A representative, masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct RepresentativeView {
    pub iin: String,
    /// The last name's initial and the first name.
    pub name: String,
    pub notarised: bool,
    pub power_of_attorney: String,
    #[schema(format = Date)]
    pub issued_on: String,
    #[schema(format = Date)]
    pub valid_until: String,
}

/// `s` with all but its last `keep` characters hidden.
fn masked(s: &str, keep: usize) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, c)| if i + keep < n { '•' } else { c })
        .collect()
}

/// The identification at the acceptance `id`, masked, within the reach of the office's
/// branch and the application's organizations; every read audited durably before it is
/// answered (personal data, ADR 0011).
pub async fn identification_of(
    state: &AppState,
    caller: &Caller,
    id: &str,
    now: Timestamp,
) -> Result<IdentificationView, AppError> {
    let (json, _, number) = state
        .store
        .acceptance_identification(id.trim())
        .await?
        .filter(|(_, paths, _)| sees(caller.scope(), paths))
        .ok_or_else(|| AppError::not_found("acceptance_not_found"))?;
    let ident: Identification = serde_json::from_str(&json).map_err(|e| {
        tracing::error!(error = %e, "acceptance identification unreadable");
        AppError::internal()
    })?;
    state
        .audit
        .record(qyzmet_store::AuditEntry {
            at: now,
            actor: caller.actor(),
            action: "acceptance.identification.read".into(),
            subject: number.map_or_else(|| id.trim().to_string(), |n| n.to_string()),
            detail: format!("acceptance {}", id.trim()),
        })
        .await?;
    Ok(IdentificationView {
        document: ident.document,
        number: masked(&ident.number, 3),
        representative: ident.representative.map(|r| RepresentativeView {
            iin: masked(&r.iin, 4),
            name: format!(
                "{}. {}",
                r.last_name.chars().next().unwrap_or(' '),
                r.first_name
            ),
            notarised: r.notarised,
            power_of_attorney: r.number,
            issued_on: r.issued_on.to_string(),
            valid_until: r.valid_until.to_string(),
        }),
    })
}

/// The consent kinds not among `given`.
pub fn lacking_consents<'a>(given: impl Iterator<Item = &'a str> + Clone) -> Vec<&'static str> {
    CONSENT_KINDS
        .into_iter()
        .filter(|k| !given.clone().any(|g| g == *k))
        .collect()
}

/// The `lacking` argument of `consent_missing`: `both`, or the one kind lacking.
pub fn lacking_arg(lacking: &[&str]) -> String {
    match lacking {
        [one] => (*one).to_string(),
        _ => "both".into(),
    }
}

/// Whether the caller sees an application or a receipt with these organizations' paths.
pub fn sees(scope: &Scope, paths: &[String]) -> bool {
    match scope.path() {
        None => true,
        Some(p) => paths.iter().any(|x| x.starts_with(p)),
    }
}

/// The consents of an application (within the caller's reach).
pub async fn consents_of(
    state: &AppState,
    caller: &Caller,
    number: &str,
) -> Result<Vec<ConsentRecord>, AppError> {
    let n = visible(state, caller, number).await?;
    Ok(state.store.consents(n).await?)
}

/// Records consents for an application (staff who write, within its reach); a kind already on
/// record stays as it was.
pub async fn add_consents(
    state: &AppState,
    caller: &Caller,
    number: &str,
    req: &[ConsentIn],
    now: Timestamp,
) -> Result<Vec<ConsentRecord>, AppError> {
    caller.require_writer()?;
    if req.is_empty() {
        return Err(AppError::invalid("consents", "required"));
    }
    let n = visible(state, caller, number).await?;
    let consents = consents(req, now)?;
    Ok(state
        .store
        .add_consents(n, &consents, &caller.actor(), now)
        .await?)
}

/// The number of an application the caller sees (404 otherwise).
async fn visible(
    state: &AppState,
    caller: &Caller,
    number: &str,
) -> Result<ApplicationNumber, AppError> {
    let n = ApplicationNumber::parse(number.trim())
        .map_err(|_| AppError::not_found("application_not_found"))?;
    if state
        .store
        .application_reach(n, caller.scope())
        .await?
        .is_none()
    {
        return Err(AppError::not_found("application_not_found"));
    }
    Ok(n)
}
