//! GOST signatures (Kazakh GOST 34.310, 1.2.398.*) checked by an NCANode v3 server, the
//! national CA's Kalkan library behind an HTTP API, with its answer mapped to our reasons.
//!
//! The API as NCANode 3.x documents it in its OpenAPI description
//! (<https://github.com/malikzh/NCANode/blob/master/openapi.yml>: `POST /cms/verify`,
//! `CmsVerificationResponse`, `CertificateInfo`, `CertificateRevocationStatus`) and as its
//! source serializes it (`CmsService.verify`, `dto/cms/CmsSignerInfo.java`,
//! `wrapper/CertificateWrapper.java`):
//! - request `{"revocationCheck": ["OCSP"|"CRL"], "cms": base64, "data": base64}`, `data`
//!   only for a detached CMS;
//! - answer `{"status": 200, "message": "OK", "valid": bool, "signers": [{"certificates":
//!   [CertificateInfo]}]}` (the OpenAPI file names that inner list `signers`; the source
//!   names it `certificates`: both are read); `valid` is false when a signature does not
//!   verify or a certificate is not valid;
//! - `CertificateInfo.valid` is false when, at NCANode's current time, the certificate or its
//!   issuer is outside its validity, the issuer is not among NCANode's CAs, or a requested
//!   OCSP/CRL check did not say "active"; `revocations[]` holds `{revoked, by,
//!   revocationTime, reason}` (OCSP says `reason: "OK"` when it answered);
//! - a CMS NCANode cannot process is an HTTP 400 `{"status", "message"}`; a content whose
//!   digest differs from the signed one is such a 400 (Kalkan throws on the mismatch).
//!
//! The answer carries no certificate: the signer's comes from the CMS itself, found by the
//! signer identifier as NCANode finds it, and the answer must name its serial number.

use crate::certs::{distinguished_name, instant, serial_hex};
use crate::envelope;
use crate::error::SignatureError;
use crate::verify::{ExternalVerifier, Signed};
use base64::Engine;
use jiff::Timestamp;
use openssl::x509::X509;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use std::time::Duration;

/// A revocation source NCANode consults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RevocationCheck {
    #[serde(rename = "OCSP")]
    Ocsp,
    #[serde(rename = "CRL")]
    Crl,
}

/// Where NCANode is and how to ask it. Nothing builds one unless it is configured: without
/// it GOST signatures are refused as unsupported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NcaNodeConfig {
    /// The server's base URL, e.g. `http://127.0.0.1:14579`.
    pub url: String,
    /// For the whole request; an answer later than this refuses the event as unavailable.
    #[serde(default = "default_timeout", with = "seconds")]
    pub timeout: Duration,
    /// OCSP by default: without a check NCANode would accept a revoked certificate.
    #[serde(default = "default_checks")]
    pub revocation_check: Vec<RevocationCheck>,
}

fn default_timeout() -> Duration {
    Duration::from_secs(10)
}

fn default_checks() -> Vec<RevocationCheck> {
    vec![RevocationCheck::Ocsp]
}

impl NcaNodeConfig {
    /// NCANode at `url`, with a 10-second timeout and the OCSP check.
    pub fn new(url: impl Into<String>) -> NcaNodeConfig {
        NcaNodeConfig {
            url: url.into(),
            timeout: default_timeout(),
            revocation_check: default_checks(),
        }
    }
}

/// Durations in configuration files are seconds (fractions allowed).
mod seconds {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let secs = f64::deserialize(d)?;
        Duration::try_from_secs_f64(secs).map_err(serde::de::Error::custom)
    }
}

/// The [`ExternalVerifier`] that asks NCANode v3.
///
/// Blocking: the verifier runs on a blocking thread (`tokio::task::spawn_blocking`), never on
/// an async task, as reqwest's blocking client runs its own runtime; it is built on the first
/// request for the same reason, so constructing an `NcaNode` is safe anywhere.
pub struct NcaNode {
    config: NcaNodeConfig,
    endpoint: String,
    client: OnceLock<Result<reqwest::blocking::Client, String>>,
}

impl std::fmt::Debug for NcaNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NcaNode")
            .field("endpoint", &self.endpoint)
            .field("timeout", &self.config.timeout)
            .finish()
    }
}

const NAME: &str = "ncanode";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerifyRequest<'a> {
    revocation_check: &'a [RevocationCheck],
    cms: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Answer {
    valid: bool,
    #[serde(default)]
    signers: Vec<SignerAnswer>,
}

#[derive(Debug, Deserialize)]
struct SignerAnswer {
    #[serde(default, alias = "signers")]
    certificates: Vec<CertificateAnswer>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CertificateAnswer {
    valid: bool,
    #[serde(default)]
    revocations: Vec<RevocationAnswer>,
    serial_number: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RevocationAnswer {
    #[serde(default)]
    revoked: bool,
    by: Option<String>,
    revocation_time: Option<String>,
    reason: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ErrorAnswer {
    message: Option<String>,
}

impl NcaNode {
    pub fn new(config: NcaNodeConfig) -> NcaNode {
        let endpoint = format!("{}/cms/verify", config.url.trim_end_matches('/'));
        NcaNode {
            config,
            endpoint,
            client: OnceLock::new(),
        }
    }

    pub fn config(&self) -> &NcaNodeConfig {
        &self.config
    }

    fn unavailable(&self, detail: String) -> SignatureError {
        tracing::warn!(endpoint = %self.endpoint, %detail, "NCANode unavailable");
        SignatureError::VerifierUnavailable {
            verifier: NAME.into(),
            detail,
        }
    }

    fn client(&self) -> Result<&reqwest::blocking::Client, SignatureError> {
        self.client
            .get_or_init(|| {
                reqwest::blocking::Client::builder()
                    .timeout(self.config.timeout)
                    .build()
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| self.unavailable(format!("no HTTP client: {e}")))
    }

    /// One `POST /cms/verify`: NCANode's verdict, or why there is none.
    fn ask(&self, cms: &[u8], data: Option<&[u8]>) -> Result<Answer, SignatureError> {
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let request = VerifyRequest {
            revocation_check: &self.config.revocation_check,
            cms: b64(cms),
            data: data.map(b64),
        };
        // Errors without the URL: the detail may reach the submitter, the address may not.
        let failed = |e: reqwest::Error| {
            if e.is_timeout() {
                self.unavailable(format!(
                    "no answer within {} ms",
                    self.config.timeout.as_millis()
                ))
            } else {
                self.unavailable(format!("request failed: {}", e.without_url()))
            }
        };
        let response = self
            .client()?
            .post(&self.endpoint)
            .json(&request)
            .send()
            .map_err(failed)?;
        let status = response.status().as_u16();
        let body = response.bytes().map_err(failed)?;
        match status {
            200 => serde_json::from_slice(&body)
                .map_err(|e| self.unavailable(format!("unreadable answer: {e}"))),
            400 => {
                let message = serde_json::from_slice::<ErrorAnswer>(&body)
                    .ok()
                    .and_then(|e| e.message)
                    .unwrap_or_default();
                if message.to_ascii_lowercase().contains("digest") {
                    Err(SignatureError::BadSignature)
                } else {
                    Err(SignatureError::malformed(format!(
                        "NCANode refused the CMS: {message}"
                    )))
                }
            }
            other => Err(self.unavailable(format!("HTTP status {other}"))),
        }
    }

    /// NCANode's verdict on the signer `signer` at `now` as one of our reasons.
    fn judge(&self, answer: &Answer, signer: &X509, now: Timestamp) -> Result<(), SignatureError> {
        let [one] = answer.signers.as_slice() else {
            return Err(self.unavailable(format!(
                "the answer names {} signers, the CMS has one",
                answer.signers.len()
            )));
        };
        let serial = serial_hex(signer);
        let ours = serial.trim_start_matches('0');
        let Some(cert) = one.certificates.iter().find(|c| {
            c.serial_number
                .as_deref()
                .is_some_and(|s| s.to_ascii_lowercase().trim_start_matches('0') == ours)
        }) else {
            return Err(self.unavailable(format!(
                "the answer does not name the signer's certificate {serial}"
            )));
        };
        if !cert.valid {
            return Err(certificate_reason(cert, signer, now));
        }
        if !answer.valid {
            return Err(SignatureError::BadSignature);
        }
        Ok(())
    }
}

/// Why NCANode found the signer's certificate not valid: revoked first (the gravest), then
/// its own dates at NCANode's "now", then an unconfirmed revocation check, and otherwise an
/// issuer NCANode does not trust (or one out of its own validity).
fn certificate_reason(cert: &CertificateAnswer, signer: &X509, now: Timestamp) -> SignatureError {
    if let Some(r) = cert.revocations.iter().find(|r| r.revoked) {
        let revoked_at = r
            .revocation_time
            .as_deref()
            .map(|t| {
                t.parse::<Timestamp>()
                    .map_or(t.to_string(), |t| t.to_string())
            })
            .unwrap_or_else(|| "an unknown time".into());
        return SignatureError::CertificateRevoked {
            serial: serial_hex(signer),
            revoked_at,
        };
    }
    let subject = distinguished_name(signer.subject_name());
    let (from, until) = (instant(signer.not_before()), instant(signer.not_after()));
    if now < from {
        return SignatureError::CertificateNotYetValid {
            subject,
            not_before: from.to_string(),
        };
    }
    if now > until {
        return SignatureError::CertificateExpired {
            subject,
            not_after: until.to_string(),
        };
    }
    let unconfirmed = cert
        .revocations
        .iter()
        .find(|r| r.reason.as_deref().is_some_and(|m| m != "OK"));
    if let Some(r) = unconfirmed {
        return SignatureError::RevocationUnknown {
            detail: format!(
                "NCANode {}: {}",
                r.by.as_deref().unwrap_or("check"),
                r.reason.as_deref().unwrap_or_default()
            ),
        };
    }
    SignatureError::UntrustedChain {
        detail: "NCANode: the issuer is not one of its CAs, or not valid".into(),
    }
}

impl ExternalVerifier for NcaNode {
    fn name(&self) -> &str {
        NAME
    }

    fn verify(&self, signed: Signed<'_>) -> Result<(Vec<u8>, X509), SignatureError> {
        let (cms, data) = match signed {
            Signed::Attached(der) => (der, None),
            Signed::Detached { cms, data } => (cms, Some(data)),
        };
        let env = envelope::open(cms)?;
        let signer = envelope::to_x509(&env.signer)?;
        let content = match (data, env.content) {
            (Some(d), None) => d.to_vec(),
            (None, Some(c)) => c,
            (Some(_), Some(_)) => {
                return Err(SignatureError::malformed(
                    "the CMS holds its content: send it as \"signed\"",
                ))
            }
            (None, None) => {
                return Err(SignatureError::malformed(
                    "the CMS holds no content (detached)",
                ))
            }
        };
        let answer = self.ask(cms, data)?;
        self.judge(&answer, &signer, Timestamp::now())?;
        Ok((content, signer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_is_the_documented_json() {
        let r = VerifyRequest {
            revocation_check: &[RevocationCheck::Ocsp, RevocationCheck::Crl],
            cms: "MIIB".into(),
            data: None,
        };
        assert_eq!(
            serde_json::to_value(&r).expect("json"),
            serde_json::json!({"revocationCheck": ["OCSP", "CRL"], "cms": "MIIB"})
        );
    }

    #[test]
    fn both_names_of_the_certificate_list_are_read() {
        for key in ["certificates", "signers"] {
            let json = format!(
                r#"{{"status":200,"message":"OK","valid":true,
                    "signers":[{{"{key}":[{{"valid":true,"serialNumber":"1a2b",
                    "revocations":[{{"revoked":false,"by":"OCSP","reason":"OK"}}]}}]}}]}}"#
            );
            let a: Answer = serde_json::from_str(&json).expect("answer");
            assert_eq!(a.signers[0].certificates.len(), 1, "{key}");
        }
    }

    #[test]
    fn the_timeout_is_read_in_seconds() {
        let c: NcaNodeConfig =
            serde_json::from_str(r#"{"url":"http://127.0.0.1:14579","timeout":2.5}"#)
                .expect("config");
        assert_eq!(c.timeout, Duration::from_millis(2500));
        assert_eq!(c.revocation_check, vec![RevocationCheck::Ocsp]);
    }
}
