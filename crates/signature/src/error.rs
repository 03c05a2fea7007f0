//! Why a signature was not accepted: one variant per reason a provider can act on, each with
//! a stable error code the API returns and the docs list.

use serde::Serialize;

/// A signature that was not accepted, and the precise reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum SignatureError {
    /// The policy requires a signature and none was given.
    #[error("a signature is required")]
    Required,
    /// Not a CMS SignedData with exactly one signer, or not base64/DER.
    #[error("the signature is malformed: {detail}")]
    Malformed { detail: String },
    /// The signature does not verify over the data (or the content digest differs).
    #[error("the signature does not match the signed data")]
    BadSignature,
    /// The algorithm is not one verified here (e.g. GOST without the external verifier).
    #[error("signature algorithm {oid} is not supported here")]
    UnsupportedAlgorithm { oid: String },
    /// The signer's certificate does not chain to a configured trust anchor.
    #[error("the signer's certificate is not trusted: {detail}")]
    UntrustedChain { detail: String },
    /// A certificate of the chain had expired at the signing time (or since, by policy).
    #[error("certificate {subject} expired at {not_after}")]
    CertificateExpired { subject: String, not_after: String },
    /// A certificate of the chain was not yet valid at the signing time.
    #[error("certificate {subject} is valid only from {not_before}")]
    CertificateNotYetValid { subject: String, not_before: String },
    /// A certificate of the chain is on its issuer's revocation list.
    #[error("certificate {serial} was revoked at {revoked_at}")]
    CertificateRevoked { serial: String, revoked_at: String },
    /// No current revocation list for an issuer, and the policy fails closed.
    #[error("revocation status unknown: {detail}")]
    RevocationUnknown { detail: String },
    /// The certificate's IIN is not the one the data names.
    #[error("the signer's IIN does not match")]
    IinMismatch,
    /// The certificate's BIN is not the submitting organization's.
    #[error("the signer's BIN does not match the organization")]
    BinMismatch,
    /// The certificate lacks a required role (extended key usage).
    #[error("the signer's certificate lacks role {oid}")]
    MissingRole { oid: String },
    /// The external verifier (NCANode) did not answer, or answered something unreadable: the
    /// signature was not checked, so the event is refused and may be sent again later.
    #[error("the signature could not be checked: {verifier} is unavailable ({detail})")]
    VerifierUnavailable { verifier: String, detail: String },
}

impl SignatureError {
    /// The stable code of the API's `{error: {code}}`.
    pub fn code(&self) -> &'static str {
        match self {
            SignatureError::Required => "signature_required",
            SignatureError::Malformed { .. } => "signature_malformed",
            SignatureError::BadSignature => "signature_invalid",
            SignatureError::UnsupportedAlgorithm { .. } => "signature_algorithm_unsupported",
            SignatureError::UntrustedChain { .. } => "certificate_untrusted",
            SignatureError::CertificateExpired { .. } => "certificate_expired",
            SignatureError::CertificateNotYetValid { .. } => "certificate_not_yet_valid",
            SignatureError::CertificateRevoked { .. } => "certificate_revoked",
            SignatureError::RevocationUnknown { .. } => "certificate_revocation_unknown",
            SignatureError::IinMismatch => "signer_iin_mismatch",
            SignatureError::BinMismatch => "signer_bin_mismatch",
            SignatureError::MissingRole { .. } => "signer_role_missing",
            SignatureError::VerifierUnavailable { .. } => "signature_verifier_unavailable",
        }
    }

    pub(crate) fn malformed(detail: impl std::fmt::Display) -> SignatureError {
        SignatureError::Malformed {
            detail: detail.to_string(),
        }
    }
}

/// Loading trust anchors or revocation lists failed (configuration, not a request).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("reading {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} holds no usable certificate, CRL or key in PEM or DER: {detail}")]
    Parse { path: String, detail: String },
    #[error("OpenSSL: {0}")]
    OpenSsl(#[from] openssl::error::ErrorStack),
}
