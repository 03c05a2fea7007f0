//! The verification report kept with every signed event: who signed, with which
//! certificate, checked against what, and when.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// How the signature travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// The CMS holds the signed JSON itself.
    Attached,
    /// The CMS signs the RFC 8785 canonical bytes of the JSON sent beside it.
    Detached,
}

/// Where the signing time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SigningTimeSource {
    /// The signed `signingTime` attribute.
    Attribute,
    /// None was signed: the moment the server received it.
    Receipt,
}

/// The signer as the certificate names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub iin: Option<String>,
    pub bin: Option<String>,
    pub name: Option<String>,
    pub organization: Option<String>,
    /// Extended key usage OIDs (the PKI's roles).
    pub roles: Vec<String>,
}

/// The signer's certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub serial: String,
    pub subject: String,
    pub issuer: String,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
    pub sha256: String,
}

/// One certificate's revocation check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    /// The certificate checked (subject).
    pub subject: String,
    /// `good`, `stale` (accepted by policy) or `unchecked` (no list, accepted by policy).
    pub status: String,
    /// The list's file or URL.
    pub source: Option<String>,
    pub this_update: Option<Timestamp>,
    pub next_update: Option<Timestamp>,
}

/// Everything checked for one accepted signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationReport {
    /// Always `valid` for a stored event: a failing signature stores nothing.
    pub result: String,
    pub form: Form,
    pub digest_algorithm: String,
    pub signature_algorithm: String,
    pub signer: Signer,
    pub certificate: Certificate,
    /// Subjects from the signer up to the trust anchor.
    pub chain: Vec<String>,
    pub signing_time: Timestamp,
    pub signing_time_source: SigningTimeSource,
    pub revocation: Vec<Revocation>,
    /// `in_process` (OpenSSL) or the external verifier's name.
    pub verifier: String,
    pub verified_at: Timestamp,
}
