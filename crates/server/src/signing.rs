//! Signed submissions (issue 3; 000 §8, 004 §6–8): a registration or event arrives plain, as
//! `{"signed": "<base64 DER CMS holding the JSON>"}` (attached), or as
//! `{"event": {…}, "signature": "<base64 DER CMS over the RFC 8785 bytes of event>"}`
//! (detached). The submitting organization's policy says whether a signature is required,
//! optional or off; the verifier says whether it holds; what it found is kept as evidence.

use crate::app::AppError;
use crate::config::Config;
use base64::Engine;
use jiff::Timestamp;
use qyzmet_signature::{
    CrlFetcher, CrlSet, Expectation, NcaNode, NcaNodeConfig, Policy, SignatureError, Signed,
    TrustStore, UrlOutcome, VerificationReport, Verifier,
};
use qyzmet_store::{OrgSigner, SignatureEvidence, SignaturePolicy};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// The attached form in the API description: a DER CMS SignedData, base64, whose content is
/// the JSON of the registration or event.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachedSignature {
    pub signed: String,
}

/// The detached form in the API description: the JSON, and a DER CMS SignedData (base64,
/// no content) over its RFC 8785 canonical bytes.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DetachedSignature {
    #[schema(value_type = Object)]
    pub event: Value,
    pub signature: String,
}

/// A request body as it came: plain JSON, or one of the two signed forms.
#[derive(Debug)]
pub enum Submission {
    Plain(Value),
    Attached { cms: Vec<u8> },
    Detached { data: Value, cms: Vec<u8> },
}

/// A submission whose signature (if any) was checked: the data, and the evidence to keep.
#[derive(Debug)]
pub struct Opened {
    pub data: Value,
    pub evidence: Option<SignatureEvidence>,
    /// The signer's IIN, to compare with the employee the data names.
    pub signer_iin: Option<String>,
}

fn decode_b64(field: &str, s: &str) -> Result<Vec<u8>, AppError> {
    let cleaned: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(cleaned.as_bytes())
        .map_err(|e| {
            AppError::invalid(field, "signature_malformed").arg("detail", format!("base64: {e}"))
        })
}

impl Submission {
    /// Reads which form a body is in. `{"signed"}` and `{"event", "signature"}` are the signed
    /// forms; they take no other keys. Anything else is plain data.
    pub fn of(value: Value) -> Result<Submission, AppError> {
        let Value::Object(mut map) = value else {
            return Ok(Submission::Plain(value));
        };
        if map.contains_key("signed") {
            if map.len() != 1 {
                return Err(AppError::invalid("signed", "signature_malformed").arg(
                    "detail",
                    "an attached signature is sent alone: {\"signed\": \"…\"}",
                ));
            }
            let Some(Value::String(b64)) = map.get("signed") else {
                return Err(AppError::invalid("signed", "signature_malformed")
                    .arg("detail", "expected a base64 string"));
            };
            return Ok(Submission::Attached {
                cms: decode_b64("signed", b64)?,
            });
        }
        if map.contains_key("signature") {
            let (Some(Value::Object(_)), Some(Value::String(b64)), 2) =
                (map.get("event"), map.get("signature"), map.len())
            else {
                return Err(AppError::invalid("signature", "signature_malformed").arg(
                    "detail",
                    "a detached signature is sent as {\"event\": {…}, \"signature\": \"…\"}",
                ));
            };
            let cms = decode_b64("signature", b64)?;
            let data = map.remove("event").unwrap_or(Value::Null);
            return Ok(Submission::Detached { data, cms });
        }
        Ok(Submission::Plain(Value::Object(map)))
    }

    fn field(&self) -> &'static str {
        match self {
            Submission::Attached { .. } => "signed",
            _ => "signature",
        }
    }
}

/// The verifier of a node and what every signature must carry.
pub struct Signing {
    verifier: Verifier,
    required_roles: Vec<String>,
    crl_dir: Option<PathBuf>,
    /// Fetch revocation lists from distribution points into this cache (none: files only).
    crl_cache: Option<PathBuf>,
    /// When a signature last made the lists be fetched on the spot (see `Signing::verify`).
    fetched_on_demand: Mutex<Option<Instant>>,
}

/// How soon after one on-the-spot fetch another may be made.
const ON_DEMAND_EVERY: Duration = Duration::from_secs(10);

impl std::fmt::Debug for Signing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signing")
            .field("verifier", &self.verifier)
            .field("required_roles", &self.required_roles)
            .finish()
    }
}

impl Signing {
    /// From the configuration: the trust directory (none: nothing is trusted), the CRL
    /// directory, the policies and required roles.
    pub fn from_config(config: &Config) -> anyhow::Result<Signing> {
        let trust = match &config.trust_dir {
            Some(dir) => TrustStore::load_dir(dir)?,
            None => {
                tracing::info!("no trust_dir configured: signed data is refused as untrusted");
                TrustStore::empty()
            }
        };
        let crls = match &config.crl_dir {
            Some(dir) => CrlSet::load_dir(dir, &trust)?,
            None => CrlSet::default(),
        };
        let policy = Policy {
            expired_since: config.signature_expired_since,
            stale_crl: config.crl_stale,
        };
        let mut verifier = Verifier::new(trust, crls, policy);
        if let Some(url) = &config.ncanode_url {
            let mut nca = NcaNodeConfig::new(url.clone());
            nca.timeout = Duration::from_secs(config.ncanode_timeout_secs.max(1));
            verifier = verifier.with_external(Arc::new(NcaNode::new(nca)));
            tracing::info!("GOST signatures are verified by NCANode");
        }
        Ok(Signing {
            verifier,
            required_roles: config.signature_required_roles.clone(),
            crl_dir: config.crl_dir.clone(),
            crl_cache: (config.crl_fetch && config.trust_dir.is_some())
                .then(|| config.crl_cache_dir.clone()),
            fetched_on_demand: Mutex::new(None),
        })
    }

    /// Reloads the CRL directory and, when fetching is on, the lists of every distribution
    /// point known (blocking: network and files).
    pub fn refresh_crls(&self) {
        match &self.crl_cache {
            Some(cache) => {
                let fetcher = CrlFetcher::new(Duration::from_secs(30));
                match self
                    .verifier
                    .refresh_crls(self.crl_dir.as_deref(), cache, &fetcher)
                {
                    Ok(reports) => {
                        for r in reports {
                            match &r.outcome {
                                UrlOutcome::Ok { .. } => {
                                    metrics::counter!("qyzmet_crl_fetch_total", "result" => "ok")
                                        .increment(1)
                                }
                                other => {
                                    metrics::counter!("qyzmet_crl_fetch_total", "result" => "failed")
                                        .increment(1);
                                    tracing::warn!(url = %r.url, outcome = ?other, "revocation list not refreshed");
                                }
                            }
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "revocation lists not refreshed"),
                }
            }
            None => {
                if let Some(dir) = &self.crl_dir {
                    match CrlSet::load_dir(dir, self.verifier.trust()) {
                        Ok(set) => self.verifier.set_crls(set),
                        Err(e) => tracing::warn!(error = %e, "revocation lists not reloaded"),
                    }
                }
            }
        }
    }

    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// Checks one submission from `signer` (none: an administrator, whose policy is
    /// "optional" and whose data names no organization to compare the BIN with).
    pub fn open(
        &self,
        submission: Submission,
        signer: Option<&OrgSigner>,
        received_at: Timestamp,
    ) -> Result<Opened, AppError> {
        let policy = signer.map_or(SignaturePolicy::Optional, |s| s.policy);
        let field = submission.field();
        match (&submission, policy) {
            (Submission::Plain(_), SignaturePolicy::Required) => {
                return Err(signature_error(&SignatureError::Required, "signature"));
            }
            (Submission::Plain(_), _) => {}
            (_, SignaturePolicy::Off) => {
                return Err(AppError::invalid(field, "signature_not_accepted"));
            }
            _ => {}
        }
        let expect = Expectation {
            bin: signer.map(|s| s.bin.as_str()),
            iin: None,
            roles: &self.required_roles,
        };
        let (data, cms, verified) = match submission {
            Submission::Plain(data) => {
                return Ok(Opened {
                    data,
                    evidence: None,
                    signer_iin: None,
                })
            }
            Submission::Attached { cms } => {
                let v = self
                    .verify(Signed::Attached(&cms), &expect, received_at)
                    .map_err(|e| refused(&e, field))?;
                let data: Value = serde_json::from_slice(&v.content).map_err(|e| {
                    AppError::invalid("signed", "signature_content_invalid")
                        .arg("detail", e.to_string())
                })?;
                (data, cms, v)
            }
            Submission::Detached { data, cms } => {
                let bytes = canonical(&data)?;
                let v = self
                    .verify(
                        Signed::Detached {
                            cms: &cms,
                            data: &bytes,
                        },
                        &expect,
                        received_at,
                    )
                    .map_err(|e| refused(&e, field))?;
                (data, cms, v)
            }
        };
        let report: &VerificationReport = &verified.report;
        Ok(Opened {
            signer_iin: report.signer.iin.clone(),
            evidence: Some(SignatureEvidence {
                form: match report.form {
                    qyzmet_signature::Form::Attached => "attached".into(),
                    qyzmet_signature::Form::Detached => "detached".into(),
                },
                cms,
                report: serde_json::to_string(report).map_err(|_| AppError::internal())?,
            }),
            data,
        })
    }
}

impl Signing {
    /// Verifies; when an issuer's list is missing and lists are fetched, fetches them on the
    /// spot (the signer's certificate names its issuer's list, which nothing configured
    /// does, so the first signature of a new CA's signer meets none) and tries once more.
    fn verify(
        &self,
        signed: Signed<'_>,
        expect: &Expectation<'_>,
        received_at: Timestamp,
    ) -> Result<qyzmet_signature::Verified, SignatureError> {
        match self.verifier.verify(signed, expect, received_at) {
            Err(SignatureError::RevocationUnknown { .. }) if self.fetch_on_demand() => {
                self.verifier.verify(signed, expect, received_at)
            }
            other => other,
        }
    }

    /// Fetches the lists now unless that was done moments ago; whether it fetched.
    fn fetch_on_demand(&self) -> bool {
        if self.crl_cache.is_none() {
            return false;
        }
        // Held while fetching: concurrent requests wait for one fetch instead of each making one.
        let mut last = self
            .fetched_on_demand
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if last.is_some_and(|t| t.elapsed() < ON_DEMAND_EVERY) {
            return false;
        }
        self.refresh_crls();
        *last = Some(Instant::now());
        true
    }
}

/// A refusal as an API error, counted by reason.
fn refused(e: &SignatureError, field: &str) -> AppError {
    metrics::counter!("qyzmet_signatures_refused_total", "code" => e.code()).increment(1);
    signature_error(e, field)
}

/// Refreshes the revocation lists at start and every `every`. Every node keeps its own lists
/// in memory, so every node runs this; no lease.
pub async fn crl_loop(signing: Arc<Signing>, every: Duration, mut shutdown: watch::Receiver<bool>) {
    loop {
        let s = signing.clone();
        let _ = tokio::task::spawn_blocking(move || s.refresh_crls()).await;
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => break,
        }
    }
}

/// The RFC 8785 (JCS) bytes of `data`: what a detached signature signs.
pub fn canonical(data: &Value) -> Result<Vec<u8>, AppError> {
    serde_jcs::to_vec(data).map_err(|e| {
        AppError::invalid("event", "signature_content_invalid").arg("detail", e.to_string())
    })
}

/// A refused signature as a 422 with its precise code; the facts go into the message.
pub fn signature_error(e: &SignatureError, field: &str) -> AppError {
    let err = AppError::invalid(field, e.code());
    match e {
        SignatureError::Malformed { detail }
        | SignatureError::UntrustedChain { detail }
        | SignatureError::RevocationUnknown { detail } => err.arg("detail", detail),
        SignatureError::UnsupportedAlgorithm { oid } | SignatureError::MissingRole { oid } => {
            err.arg("oid", oid)
        }
        SignatureError::CertificateExpired { subject, not_after } => {
            err.arg("subject", subject).arg("at", not_after)
        }
        SignatureError::CertificateNotYetValid {
            subject,
            not_before,
        } => err.arg("subject", subject).arg("at", not_before),
        SignatureError::CertificateRevoked { serial, revoked_at } => {
            err.arg("serial", serial).arg("at", revoked_at)
        }
        SignatureError::VerifierUnavailable { verifier, detail } => {
            err.arg("verifier", verifier).arg("detail", detail)
        }
        _ => err,
    }
}

impl Opened {
    /// The employee the data names (`employee_iin`, validated) must be the signer (000 §8:
    /// the authorized person signs).
    pub fn check_employee(&self, employee_iin: Option<&str>) -> Result<(), AppError> {
        let employee = employee_iin
            .map(|i| crate::app::validate::iin("employee_iin", i))
            .transpose()?
            .map(|i| i.to_string());
        match (employee.as_deref(), &self.evidence) {
            (Some(claimed), Some(_)) if self.signer_iin.as_deref() != Some(claimed) => Err(
                signature_error(&SignatureError::IinMismatch, "employee_iin"),
            ),
            _ => Ok(()),
        }
    }
}
