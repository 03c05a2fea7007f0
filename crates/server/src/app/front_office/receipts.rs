//! Receipts' seals (001 §15.5–6, ADR 0021): the public key anyone checks a paper receipt with,
//! and the check itself — the text of a receipt's QR code, opened with the server's key and
//! read back as the receipt's sealed fields. Public: a receipt is checked by whoever holds it.

use crate::app::AppError;
use crate::state::AppState;
use qyzmet_domain::front_office::receipt::{ReceiptKind, Sealed, VERSION};
use qyzmet_signature::sealed_token::{self, TokenError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The key receipts are sealed with.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptKey {
    /// Hex SHA-256 of the key's SPKI DER.
    pub key_id: String,
    /// The Ed25519 public key, PEM (SPKI).
    pub public_key_pem: String,
}

/// A receipt's sealed fields, as its QR code carries them.
#[derive(Debug, Serialize, ToSchema)]
pub struct SealedReceipt {
    pub id: String,
    /// `acceptance` or `refusal`.
    #[schema(example = "acceptance")]
    pub kind: String,
    /// The application's number (an acceptance receipt).
    pub application: Option<String>,
    /// When the application was made (UTC).
    #[schema(format = DateTime)]
    pub applied_at: String,
    /// When the result will be issued.
    #[schema(format = Date)]
    pub issue_date: Option<String>,
    /// The office's code.
    pub office: String,
    /// The documents' codes, as the service's passport names them.
    pub accepted: Vec<String>,
    pub missing: Vec<String>,
}

/// The check of a receipt's seal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptCheck {
    /// Whether this server sealed exactly these fields.
    pub genuine: bool,
    /// Why not: `altered` (a field was changed, or another key sealed it) or `not_a_receipt`
    /// (not the text of a qyzmet receipt's QR code).
    pub reason: Option<String>,
    /// The fields, when genuine.
    pub receipt: Option<SealedReceipt>,
}

async fn key(state: &AppState) -> Result<std::sync::Arc<crate::state::ServerSeal>, AppError> {
    state.seal_key().await.ok_or_else(AppError::internal)
}

/// The public key receipts are sealed with.
pub async fn public_key(state: &AppState) -> Result<ReceiptKey, AppError> {
    let k = key(state).await?;
    Ok(ReceiptKey {
        key_id: k.public.key_id().to_string(),
        public_key_pem: k.public_pem.clone(),
    })
}

/// Checks the text of a receipt's QR code.
pub async fn check(state: &AppState, token: &str) -> Result<ReceiptCheck, AppError> {
    let k = key(state).await?;
    let refused = |reason: &str| ReceiptCheck {
        genuine: false,
        reason: Some(reason.into()),
        receipt: None,
    };
    let line = match sealed_token::open(&k.public, VERSION, token) {
        Ok(line) => line,
        Err(TokenError::BadSeal) => return Ok(refused("altered")),
        Err(TokenError::Malformed) => return Ok(refused("not_a_receipt")),
    };
    let Ok(r) = Sealed::parse(&line) else {
        return Ok(refused("not_a_receipt"));
    };
    Ok(ReceiptCheck {
        genuine: true,
        reason: None,
        receipt: Some(SealedReceipt {
            id: r.id,
            kind: r.kind.as_str().into(),
            application: r.application,
            applied_at: r.applied_at.to_string(),
            issue_date: r.issue_date.map(|d| d.to_string()),
            office: r.office,
            accepted: r.accepted,
            missing: r.missing,
        }),
    })
}

/// A document on a receipt: received (with its form and count), or missing (with what the
/// passport requires and what of it came).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReceiptDocument {
    /// The passport's code (`fee`: the payment, 001 §15.3).
    pub code: String,
    /// Its name in the receipt's language.
    pub name: String,
    #[schema(schema_with = crate::app::schema::document_form)]
    pub form: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<u8>,
}

/// The service on a receipt.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReceiptService {
    pub code: String,
    pub name: String,
}

/// What a receipt keeps beside its sealed fields.
#[derive(Debug, Deserialize)]
struct Body {
    employee: Option<String>,
    service: ReceiptService,
    accepted: Vec<ReceiptDocument>,
    missing: Vec<ReceiptDocument>,
    fee: qyzmet_domain::front_office::checklist::FeeCheck,
}

/// A receipt (001 §15.5–6), with its seal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptView {
    pub id: String,
    /// acceptance or refusal.
    #[schema(example = "acceptance")]
    pub kind: String,
    /// The application's number (an acceptance receipt).
    pub application: Option<String>,
    /// The office's code.
    pub office: String,
    /// kk or ru.
    pub language: String,
    /// When the application was made.
    #[schema(format = DateTime)]
    pub applied_at: String,
    /// When the result will be issued (the planned date).
    #[schema(format = Date)]
    pub issue_date: Option<String>,
    pub service: ReceiptService,
    /// The employee's full name (001 §15.5(b)).
    pub employee: Option<String>,
    pub accepted: Vec<ReceiptDocument>,
    /// What is missing (a refusal): the passport's required documents less those received,
    /// and `fee` when the payment does not stand.
    pub missing: Vec<ReceiptDocument>,
    /// The QR code's text: the sealed fields and the server's signature (`qyzmet receipt
    /// verify`, `/verify`).
    pub seal: String,
    /// The sealing key's id (`GET /api/v1/public/receipts/key`).
    pub key_id: String,
    /// The acceptance it was given at.
    pub acceptance: String,
    #[schema(format = DateTime)]
    pub issued_at: String,
    /// Where the applicant rates the visit (001 §18); the PDF carries it as a QR code.
    pub rating_link: String,
}

/// The receipt as its reader sees it, sealed with the server's key.
pub async fn view(
    state: &AppState,
    r: &qyzmet_store::front_office::Receipt,
) -> Result<ReceiptView, AppError> {
    let k = key(state).await?;
    let body: Body = serde_json::from_value(r.body.clone()).map_err(|e| {
        tracing::error!(error = %e, "receipt body unreadable");
        AppError::internal()
    })?;
    let sealed = Sealed {
        id: r.id.clone(),
        kind: r.kind,
        application: r.application.map(|n| n.to_string()),
        applied_at: r.applied_at,
        issue_date: r.issue_date,
        office: r.office.clone(),
        accepted: r.accepted.clone(),
        missing: r.missing.clone(),
    };
    let line = sealed.line().map_err(|_| AppError::internal())?;
    let seal = sealed_token::seal(&k.key, VERSION, &line).map_err(|_| AppError::internal())?;
    let mut missing = body.missing;
    if !body.fee.satisfied {
        missing.push(ReceiptDocument {
            code: qyzmet_domain::front_office::checklist::FEE.into(),
            name: crate::i18n::message(lang_of(&r.language), "receipt-fee", &[]),
            form: "original".into(),
            count: None,
            required: None,
            received: None,
        });
    }
    Ok(ReceiptView {
        id: r.id.clone(),
        kind: r.kind.as_str().into(),
        application: r.application.map(|n| n.to_string()),
        office: r.office.clone(),
        language: r.language.clone(),
        applied_at: crate::app::validate::local(r.applied_at),
        issue_date: r.issue_date.map(|d| d.to_string()),
        service: body.service,
        employee: body.employee,
        accepted: body.accepted,
        missing,
        seal,
        key_id: k.public.key_id().to_string(),
        acceptance: r.acceptance.clone(),
        issued_at: crate::app::validate::local(r.issued_at),
        rating_link: super::ratings::link(state, "acceptance", &r.acceptance).await?,
    })
}

fn lang_of(code: &str) -> crate::i18n::Lang {
    crate::i18n::Lang::from_code(code).unwrap_or(crate::i18n::Lang::Kk)
}

/// A receipt by its id, within the caller's reach (the office's organization, or the
/// application's).
pub async fn by_id(
    state: &AppState,
    caller: &crate::app::Caller,
    id: &str,
) -> Result<ReceiptView, AppError> {
    let r = state
        .store
        .receipt(id.trim())
        .await?
        .filter(|r| super::acceptances::sees(caller.scope(), &r.paths))
        .ok_or_else(|| AppError::not_found("receipt_not_found"))?;
    view(state, &r).await
}

/// The acceptance receipt of an application, within the caller's reach.
pub async fn of_application(
    state: &AppState,
    caller: &crate::app::Caller,
    number: &str,
) -> Result<ReceiptView, AppError> {
    let n = qyzmet_domain::ids::ApplicationNumber::parse(number.trim())
        .map_err(|_| AppError::not_found("application_not_found"))?;
    let r = state
        .store
        .receipt_of_application(n)
        .await?
        .filter(|r| super::acceptances::sees(caller.scope(), &r.paths))
        .ok_or_else(|| AppError::not_found("receipt_not_found"))?;
    view(state, &r).await
}

/// The receipt printed: an A4 PDF in the receipt's language, its QR code the seal.
pub fn pdf(v: &ReceiptView) -> Result<Vec<u8>, AppError> {
    let lang = lang_of(&v.language);
    let t = |id: &str| crate::i18n::message(lang, id, &[]);
    let refusal = v.kind == ReceiptKind::Refusal.as_str();
    let title = t(if refusal {
        "receipt-title-refusal"
    } else {
        "receipt-title-acceptance"
    });
    let applied = v
        .applied_at
        .get(..16)
        .unwrap_or(&v.applied_at)
        .replace('T', " ");
    let mut fields: Vec<(String, String)> = Vec::new();
    if let Some(n) = &v.application {
        fields.push((t("receipt-application"), n.clone()));
    }
    fields.push((t("receipt-service"), v.service.name.clone()));
    fields.push((t("receipt-office"), v.office.clone()));
    if let Some(e) = &v.employee {
        fields.push((t("receipt-employee"), e.clone()));
    }
    fields.push((t("receipt-applied-at"), applied));
    if let (false, Some(d)) = (refusal, &v.issue_date) {
        fields.push((t("receipt-issue-date"), d.clone()));
    }
    let form = |f: &str| t(&format!("receipt-form-{}", f.replace('_', "-")));
    let items: Vec<String> = if refusal {
        v.missing
            .iter()
            .map(|d| match (d.required, d.received) {
                (Some(req), Some(got)) => {
                    format!("{} — {}, {got}/{req}", d.name, form(&d.form))
                }
                _ => d.name.clone(),
            })
            .collect()
    } else {
        v.accepted
            .iter()
            .map(|d| format!("{} — {}, {}", d.name, form(&d.form), d.count.unwrap_or(1)))
            .collect()
    };
    let fields_ref: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let items_ref: Vec<&str> = items.iter().map(String::as_str).collect();
    let list_title = t(if refusal {
        "receipt-missing"
    } else {
        "receipt-accepted"
    });
    let caption = t("receipt-seal-caption");
    let rate = t("receipt-rate");
    qyzmet_print::receipt(&qyzmet_print::Receipt {
        title: &title,
        fields: &fields_ref,
        list_title: &list_title,
        items: &items_ref,
        seal: &v.seal,
        seal_caption: &caption,
        rating: Some((&v.rating_link, &rate)),
    })
    .map_err(|e| {
        tracing::error!(error = %e, "receipt not rendered");
        AppError::internal()
    })
}
