//! Certified electronic copies (001 §17): where the service's acts provide for it, the State
//! Corporation's employee scans an original the applicant presents and certifies the scan as
//! "a copy made from the original". The copy is kept with the application (PDF, PNG or JPEG,
//! up to 10 MB) for one of the documents of the passport it was registered under, and sealed
//! with the server's key — the seal (`QZC1.<line>.<signature>`) covers the copy's id, the
//! application, the document, the file's SHA-256, who certified it and when, so a copy sent
//! on is checked against the published key. Reading a copy is reading personal data: every
//! read of its content is audited before it is answered.

use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::state::AppState;
use base64::Engine;
use jiff::Timestamp;
use qyzmet_domain::ids::ApplicationNumber;
use qyzmet_signature::sealed_token;
use qyzmet_store::front_office::{CopyRecord, NewCopy};
use qyzmet_store::PassportWhich;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The tag of a copy's seal.
const TAG: &str = "QZC1";
/// The largest file, in bytes.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// A copy to certify.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CopyRequest {
    /// The passport's document the original is.
    #[schema(max_length = 40)]
    pub document: String,
    /// The scan: a PDF, PNG or JPEG, base64 (standard alphabet), at most 10 MB decoded.
    pub content_base64: String,
}

/// A certified copy.
#[derive(Debug, Serialize, ToSchema)]
pub struct CopyView {
    pub id: String,
    pub application: String,
    pub document: String,
    /// application/pdf, image/png or image/jpeg.
    pub media_type: String,
    pub size: i64,
    /// Hex SHA-256 of the file.
    pub sha256: String,
    /// Always `copy_from_original`: what the employee certified (001 §17).
    pub certified: String,
    pub employee: Option<String>,
    #[schema(format = DateTime)]
    pub made_at: String,
    /// The server's seal over the copy's id, application, document, hash and time.
    pub seal: String,
    /// False for a retry that found the same file kept.
    pub created: bool,
}

/// The file's type from its first bytes; nothing else is taken.
fn media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else {
        None
    }
}

pub async fn view(state: &AppState, r: &CopyRecord, created: bool) -> Result<CopyView, AppError> {
    let k = state.seal_key().await.ok_or_else(AppError::internal)?;
    let line = format!(
        "{TAG}|{}|{}|{}|{}|copy_from_original|{}",
        r.id, r.number, r.document_code, r.sha256, r.made_at
    );
    let seal = sealed_token::seal(&k.key, TAG, &line).map_err(|_| AppError::internal())?;
    Ok(CopyView {
        id: r.id.clone(),
        application: r.number.to_string(),
        document: r.document_code.clone(),
        media_type: r.media_type.clone(),
        size: r.size,
        sha256: r.sha256.clone(),
        certified: "copy_from_original".into(),
        employee: r.employee.clone(),
        made_at: v::local(r.made_at),
        seal,
        created,
    })
}

fn number_of(number: &str) -> Result<ApplicationNumber, AppError> {
    ApplicationNumber::parse(number.trim())
        .map_err(|_| AppError::not_found("application_not_found"))
}

/// Certifies a copy of an original for the application `number` (staff who write, within
/// its reach; an application accepted at the State Corporation).
pub async fn certify(
    state: &AppState,
    caller: &Caller,
    number: &str,
    req: &CopyRequest,
    now: Timestamp,
) -> Result<CopyView, AppError> {
    caller.require_writer()?;
    let n = number_of(number)?;
    let detail = state
        .store
        .application(n, caller.scope())
        .await
        .map_err(|e| match e {
            qyzmet_store::StoreError::NotFound(_) => AppError::not_found("application_not_found"),
            other => other.into(),
        })?;
    let app = &detail.application;
    if app.channel != qyzmet_store::Channel::StateCorp {
        return Err(AppError::conflict("not_state_corp").with_field("number"));
    }
    // The document: one of the passport the application was registered under.
    let code = req.document.trim();
    let version = app
        .passport_version
        .ok_or_else(|| AppError::invalid("document", "unknown_document"))?;
    let passport = state
        .store
        .passport(&app.service_code, PassportWhich::Published(version))
        .await?
        .ok_or_else(|| AppError::invalid("document", "unknown_document"))?;
    if !passport.passport.documents.iter().any(|d| d.code == code) {
        return Err(AppError::invalid("document", "unknown_document"));
    }
    if req.content_base64.len() > MAX_BYTES / 3 * 4 + 4 {
        return Err(AppError::invalid("content_base64", "file_too_large")
            .arg("max_mb", MAX_BYTES / (1024 * 1024)));
    }
    let content = base64::engine::general_purpose::STANDARD
        .decode(req.content_base64.trim())
        .map_err(|_| AppError::invalid("content_base64", "base64_invalid"))?;
    let media = media_type(&content)
        .ok_or_else(|| AppError::invalid("content_base64", "media_type_unsupported"))?;
    let sha256 = {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(&content))
    };
    let new = NewCopy {
        id: uuid::Uuid::new_v4().to_string(),
        document_code: code.to_string(),
        media_type: media,
        content,
        sha256,
        employee_id: caller.user_id(),
    };
    let (record, created) = state
        .store
        .keep_copy(n, caller.scope(), &new, &caller.actor(), now)
        .await?;
    view(state, &record, created).await
}

/// The certified copies of the application `number`, within the caller's reach.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    number: &str,
) -> Result<Vec<CopyView>, AppError> {
    let n = number_of(number)?;
    let mut out = Vec::new();
    for r in state.store.copies(n, caller.scope()).await? {
        out.push(view(state, &r, false).await?);
    }
    Ok(out)
}

/// A copy's file, within the caller's reach; the read audited durably first.
pub async fn content(
    state: &AppState,
    caller: &Caller,
    id: &str,
    now: Timestamp,
) -> Result<(CopyView, Vec<u8>), AppError> {
    let (record, bytes) = state
        .store
        .copy_content(id.trim(), caller.scope())
        .await?
        .ok_or_else(|| AppError::not_found("copy_not_found"))?;
    state
        .audit
        .record(qyzmet_store::AuditEntry {
            at: now,
            actor: caller.actor(),
            action: "copy.read".into(),
            subject: record.number.to_string(),
            detail: format!("copy {} ({})", record.id, record.document_code),
        })
        .await?;
    Ok((view(state, &record, false).await?, bytes))
}
