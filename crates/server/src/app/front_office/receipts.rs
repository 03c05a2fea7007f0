//! Receipts' seals (001 §15.5–6, ADR 0021): the public key anyone checks a paper receipt with,
//! and the check itself — the text of a receipt's QR code, opened with the server's key and
//! read back as the receipt's sealed fields. Public: a receipt is checked by whoever holds it.

use crate::app::AppError;
use crate::state::AppState;
use qyzmet_domain::front_office::receipt::{Sealed, VERSION};
use qyzmet_signature::sealed_token::{self, TokenError};
use serde::Serialize;
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
