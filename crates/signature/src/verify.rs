//! The verifier: one signature against the trust anchors, the revocation lists, the
//! validity of every certificate at the signing time, and who the data says signed it.

use crate::certs::{
    distinguished_name, entry, fingerprint, instant, roles, serial_hex, subject_bin, subject_iin,
};
use crate::crl::CrlSet;
use crate::envelope::{self, Envelope};
use crate::error::SignatureError;
use crate::report::{self, Form, SigningTimeSource, VerificationReport};
use crate::trust::TrustStore;
use jiff::Timestamp;
use openssl::cms::{CMSOptions, CmsContentInfo};
use openssl::nid::Nid;
use openssl::x509::{X509Ref, X509StoreContext, X509VerifyResult, X509};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

/// What to do with a certificate valid at the signing time but expired by the receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiredSince {
    /// Accept: the signature was made while the certificate was valid.
    #[default]
    Accept,
    /// Reject as expired.
    Reject,
}

/// What to do when an issuer's revocation list is missing or past its next update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaleCrl {
    /// Reject: revocation status unknown.
    #[default]
    FailClosed,
    /// Accept, and say so in the report.
    FailOpen,
}

/// The verifier's policy.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Policy {
    #[serde(default)]
    pub expired_since: ExpiredSince,
    #[serde(default)]
    pub stale_crl: StaleCrl,
}

/// What the data claims about its signer.
#[derive(Debug, Clone, Default)]
pub struct Expectation<'a> {
    /// The submitting organization's BIN.
    pub bin: Option<&'a str>,
    /// The employee's IIN, when the data names one.
    pub iin: Option<&'a str>,
    /// Role OIDs the certificate must carry (extended key usage).
    pub roles: &'a [String],
}

/// The signed form received.
#[derive(Debug, Clone, Copy)]
pub enum Signed<'a> {
    /// DER CMS whose content is the data.
    Attached(&'a [u8]),
    /// DER CMS over `data`, carried beside it.
    Detached { cms: &'a [u8], data: &'a [u8] },
}

/// An accepted signature: the signed content and the report.
#[derive(Debug, Clone)]
pub struct Verified {
    pub content: Vec<u8>,
    pub report: VerificationReport,
}

/// Verifies signatures in another process (GOST through NCANode).
pub trait ExternalVerifier: Send + Sync {
    /// A short name for the report.
    fn name(&self) -> &str;
    /// Verifies `signed` fully (chain, validity, revocation), returning the content and the
    /// signer's certificate.
    fn verify(&self, signed: Signed<'_>) -> Result<(Vec<u8>, X509), SignatureError>;
}

/// Verifies CMS signatures; shared by all requests.
pub struct Verifier {
    trust: Arc<TrustStore>,
    crls: RwLock<Arc<CrlSet>>,
    policy: Policy,
    external: Option<Arc<dyn ExternalVerifier>>,
    /// Signer certificates already seen, by the SHA-256 of their DER: decoding a certificate
    /// (OpenSSL 3 decodes its key through the provider machinery) and building its chain (two
    /// or three RSA verifications) cost more than the signature itself, and a provider signs
    /// thousands of events with one key.
    known: Mutex<HashMap<[u8; 32], Arc<Known>>>,
}

/// A signer certificate whose chain was built, with what the report and checks read of it.
struct Known {
    chain: Vec<X509>,
    /// The signer's public key, decoded once.
    key: Option<openssl::pkey::PKey<openssl::pkey::Public>>,
    /// Subject, not before, not after of each certificate of the chain.
    validity: Vec<(String, Timestamp, Timestamp)>,
    signer: report::Signer,
    certificate: report::Certificate,
    subjects: Vec<String>,
}

impl Known {
    fn new(chain: Vec<X509>) -> Known {
        let signer = &chain[0];
        Known {
            key: signer.public_key().ok(),
            validity: chain
                .iter()
                .map(|c| {
                    (
                        distinguished_name(c.subject_name()),
                        instant(c.not_before()),
                        instant(c.not_after()),
                    )
                })
                .collect(),
            signer: signer_of(signer),
            certificate: certificate_of(signer),
            subjects: chain
                .iter()
                .map(|c| distinguished_name(c.subject_name()))
                .collect(),
            chain,
        }
    }
}

fn signer_of(cert: &X509Ref) -> report::Signer {
    report::Signer {
        iin: subject_iin(cert),
        bin: subject_bin(cert),
        name: entry(cert.subject_name(), Nid::COMMONNAME),
        organization: entry(cert.subject_name(), Nid::ORGANIZATIONNAME),
        roles: roles(cert),
    }
}

fn certificate_of(cert: &X509Ref) -> report::Certificate {
    report::Certificate {
        serial: serial_hex(cert),
        subject: distinguished_name(cert.subject_name()),
        issuer: distinguished_name(cert.issuer_name()),
        not_before: instant(cert.not_before()),
        not_after: instant(cert.not_after()),
        sha256: hex::encode(fingerprint(cert)),
    }
}

const CHAIN_CACHE_LIMIT: usize = 10_000;

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("trust", &self.trust)
            .field("policy", &self.policy)
            .finish()
    }
}

impl Verifier {
    pub fn new(trust: TrustStore, crls: CrlSet, policy: Policy) -> Verifier {
        Verifier {
            trust: Arc::new(trust),
            crls: RwLock::new(Arc::new(crls)),
            policy,
            external: None,
            known: Mutex::new(HashMap::new()),
        }
    }

    /// Sends GOST signatures to `external` instead of rejecting them.
    pub fn with_external(mut self, external: Arc<dyn ExternalVerifier>) -> Verifier {
        self.external = Some(external);
        self
    }

    pub fn trust(&self) -> &TrustStore {
        &self.trust
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The revocation lists in force.
    pub fn crls(&self) -> Arc<CrlSet> {
        self.crls.read().map(|c| c.clone()).unwrap_or_default()
    }

    /// Replaces the revocation lists (a refresh).
    pub fn set_crls(&self, crls: CrlSet) {
        if let Ok(mut slot) = self.crls.write() {
            *slot = Arc::new(crls);
        }
    }

    /// The CRL distribution point URLs worth fetching: those of the trust store's
    /// certificates and of every certificate in the chains of signers already seen (a
    /// leaf's distribution point names its issuing CA's list, which no configured
    /// certificate names), sorted and without duplicates.
    pub fn distribution_points(&self) -> Vec<String> {
        let mut urls: std::collections::BTreeSet<String> = self
            .trust
            .all
            .iter()
            .flat_map(|c| crate::crl_fetch::distribution_points(c))
            .collect();
        // Copied out so that verifications do not wait on the lock while extensions decode.
        let seen: Vec<Arc<Known>> = self
            .known
            .lock()
            .map(|m| m.values().cloned().collect())
            .unwrap_or_default();
        for k in &seen {
            urls.extend(
                k.chain
                    .iter()
                    .flat_map(|c| crate::crl_fetch::distribution_points(c)),
            );
        }
        urls.into_iter().collect()
    }

    /// Verifies `signed` as received at `received_at` from a submitter expecting `expect`.
    pub fn verify(
        &self,
        signed: Signed<'_>,
        expect: &Expectation<'_>,
        received_at: Timestamp,
    ) -> Result<Verified, SignatureError> {
        let (der, detached, form) = match signed {
            Signed::Attached(der) => (der, None, Form::Attached),
            Signed::Detached { cms, data } => (cms, Some(data), Form::Detached),
        };
        let env = envelope::open(der)?;
        match (form, env.attached) {
            (Form::Attached, false) => {
                return Err(SignatureError::malformed(
                    "the CMS holds no content (detached)",
                ))
            }
            (Form::Detached, true) => {
                return Err(SignatureError::malformed(
                    "the CMS holds its content: send it as \"signed\"",
                ))
            }
            _ => {}
        }
        let gost = envelope::is_gost(&env.digest_oid) || envelope::is_gost(&env.signature_oid);
        if gost {
            let Some(external) = &self.external else {
                let oid = if envelope::is_gost(&env.signature_oid) {
                    env.signature_oid
                } else {
                    env.digest_oid
                };
                return Err(SignatureError::UnsupportedAlgorithm { oid });
            };
            let (content, signer) = external.verify(signed)?;
            let known = Known::new(vec![signer]);
            check_identity(&known.signer, expect)?;
            let signing_time = env.signing_time.unwrap_or(received_at);
            let report = report(
                &env,
                &known,
                Vec::new(),
                form,
                signing_time,
                received_at,
                external.name(),
            );
            return Ok(Verified { content, report });
        }
        for oid in [&env.digest_oid, &env.signature_oid] {
            let ok = envelope::supported_digest(oid) || envelope::supported_signature(oid);
            if !ok {
                return Err(SignatureError::UnsupportedAlgorithm { oid: oid.clone() });
            }
        }
        let known = self.known(&env)?;
        let content = if envelope::direct(&env) {
            signed_attributes_over_data(&env, &known, detached)?
        } else {
            signature_over_data(der, detached)?
        };
        let signing_time = env.signing_time.unwrap_or(received_at);
        check_times(&known, signing_time, received_at, self.policy.expired_since)?;
        let revocation = self.check_revocation(&known.chain, received_at)?;
        check_identity(&known.signer, expect)?;
        let report = report(
            &env,
            &known,
            revocation,
            form,
            signing_time,
            received_at,
            "in_process",
        );
        Ok(Verified { content, report })
    }

    /// The signer's certificate with its chain to a trust anchor (cached per certificate).
    fn known(&self, env: &Envelope) -> Result<Arc<Known>, SignatureError> {
        let key = openssl::sha::sha256(&env.signer);
        if let Some(k) = self.known.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(k);
        }
        let signer = envelope::to_x509(&env.signer)?;
        let carried = env
            .carried
            .iter()
            .map(|d| envelope::to_x509(d))
            .collect::<Result<Vec<_>, _>>()?;
        let untrusted = self
            .trust
            .untrusted(&carried)
            .map_err(SignatureError::malformed)?;
        let mut ctx = X509StoreContext::new().map_err(SignatureError::malformed)?;
        let (ok, error, chain) = ctx
            .init(&self.trust.store, &signer, &untrusted, |c| {
                let ok = c.verify_cert()?;
                let chain: Vec<X509> = c
                    .chain()
                    .map(|s| s.iter().map(|x| x.to_owned()).collect())
                    .unwrap_or_default();
                Ok((ok, c.error(), chain))
            })
            .map_err(SignatureError::malformed)?;
        if !ok || chain.is_empty() {
            return Err(SignatureError::UntrustedChain {
                detail: chain_error(error),
            });
        }
        let known = Arc::new(Known::new(chain));
        if let Ok(mut m) = self.known.lock() {
            if m.len() >= CHAIN_CACHE_LIMIT {
                m.clear();
            }
            m.insert(key, known.clone());
        }
        Ok(known)
    }

    /// Each certificate below the anchor against its issuer's list.
    fn check_revocation(
        &self,
        chain: &[X509],
        at: Timestamp,
    ) -> Result<Vec<report::Revocation>, SignatureError> {
        let crls = self.crls();
        let mut out = Vec::new();
        for pair in chain.windows(2) {
            let (cert, issuer) = (&pair[0], &pair[1]);
            let subject = distinguished_name(cert.subject_name());
            let Some(list) = crls.for_issuer(issuer) else {
                if self.policy.stale_crl == StaleCrl::FailClosed {
                    return Err(SignatureError::RevocationUnknown {
                        detail: format!(
                            "no revocation list of {}",
                            distinguished_name(issuer.subject_name())
                        ),
                    });
                }
                out.push(report::Revocation {
                    subject,
                    status: "unchecked".into(),
                    source: None,
                    this_update: None,
                    next_update: None,
                });
                continue;
            };
            if let openssl::x509::CrlStatus::Revoked(r) = list.crl.get_by_cert(cert) {
                return Err(SignatureError::CertificateRevoked {
                    serial: serial_hex(cert),
                    revoked_at: instant(r.revocation_date()).to_string(),
                });
            }
            let stale = list.stale_at(at);
            if stale && self.policy.stale_crl == StaleCrl::FailClosed {
                return Err(SignatureError::RevocationUnknown {
                    detail: format!(
                        "the revocation list of {} was due by {}",
                        distinguished_name(issuer.subject_name()),
                        list.next_update.map(|t| t.to_string()).unwrap_or_default()
                    ),
                });
            }
            out.push(report::Revocation {
                subject,
                status: if stale { "stale" } else { "good" }.into(),
                source: Some(list.source.clone()),
                this_update: Some(list.this_update),
                next_update: list.next_update,
            });
        }
        Ok(out)
    }
}

fn report(
    env: &Envelope,
    known: &Known,
    revocation: Vec<report::Revocation>,
    form: Form,
    signing_time: Timestamp,
    received_at: Timestamp,
    verifier: &str,
) -> VerificationReport {
    VerificationReport {
        result: "valid".into(),
        form,
        digest_algorithm: env.digest_oid.clone(),
        signature_algorithm: env.signature_oid.clone(),
        signer: known.signer.clone(),
        certificate: known.certificate.clone(),
        chain: known.subjects.clone(),
        signing_time,
        signing_time_source: if env.signing_time.is_some() {
            SigningTimeSource::Attribute
        } else {
            SigningTimeSource::Receipt
        },
        revocation,
        verifier: verifier.into(),
        verified_at: received_at,
    }
}

/// RFC 5652 §5.4 and §5.6 against the signer's key decoded once: the content's digest equals
/// the signed `messageDigest`, the signed `contentType` is the content's, and the signature
/// verifies over the DER of the signed attributes. Equivalent to `CMS_verify` without chain
/// checks, which decodes every certificate the CMS carries again on each call.
fn signed_attributes_over_data(
    env: &Envelope,
    known: &Known,
    detached: Option<&[u8]>,
) -> Result<Vec<u8>, SignatureError> {
    let content = match (detached, &env.content) {
        (Some(d), None) => d.to_vec(),
        (None, Some(c)) => c.clone(),
        _ => {
            return Err(SignatureError::malformed(
                "content both attached and detached",
            ))
        }
    };
    let (Some(md), Some(attrs), Some(claimed), Some(key)) = (
        envelope::message_digest(&env.digest_oid),
        &env.signed_attrs,
        &env.message_digest,
        &known.key,
    ) else {
        return Err(SignatureError::BadSignature);
    };
    if !env.content_type_matches {
        return Err(SignatureError::BadSignature);
    }
    let digest = openssl::hash::hash(md, &content).map_err(|_| SignatureError::BadSignature)?;
    if digest.as_ref() != claimed.as_slice() {
        return Err(SignatureError::BadSignature);
    }
    let ok = openssl::sign::Verifier::new(md, key)
        .and_then(|mut v| v.verify_oneshot(&env.signature, attrs))
        .unwrap_or(false);
    if !ok {
        return Err(SignatureError::BadSignature);
    }
    Ok(content)
}

/// The signature over the content (and the content digest), not the certificate: OpenSSL's
/// `CMS_verify` with the chain left to [`Verifier::chain`].
fn signature_over_data(der: &[u8], detached: Option<&[u8]>) -> Result<Vec<u8>, SignatureError> {
    let mut cms = CmsContentInfo::from_der(der).map_err(SignatureError::malformed)?;
    let mut content = Vec::new();
    cms.verify(
        None,
        None,
        detached,
        Some(&mut content),
        CMSOptions::NO_SIGNER_CERT_VERIFY | CMSOptions::BINARY,
    )
    .map_err(|_| SignatureError::BadSignature)?;
    Ok(content)
}

/// Every certificate of the chain valid at the signing time; the signer's, by policy, also
/// at the receipt.
fn check_times(
    known: &Known,
    signing_time: Timestamp,
    received_at: Timestamp,
    expired_since: ExpiredSince,
) -> Result<(), SignatureError> {
    for (name, from, until) in &known.validity {
        let (from, until) = (*from, *until);
        let subject = || name.clone();
        if signing_time < from {
            return Err(SignatureError::CertificateNotYetValid {
                subject: subject(),
                not_before: from.to_string(),
            });
        }
        let expired_at_receipt = expired_since == ExpiredSince::Reject && received_at > until;
        if signing_time > until || expired_at_receipt {
            return Err(SignatureError::CertificateExpired {
                subject: subject(),
                not_after: until.to_string(),
            });
        }
    }
    Ok(())
}

fn check_identity(signer: &report::Signer, expect: &Expectation<'_>) -> Result<(), SignatureError> {
    if let Some(bin) = expect.bin {
        if signer.bin.as_deref() != Some(bin) {
            return Err(SignatureError::BinMismatch);
        }
    }
    if let Some(iin) = expect.iin {
        if signer.iin.as_deref() != Some(iin) {
            return Err(SignatureError::IinMismatch);
        }
    }
    if !expect.roles.is_empty() {
        let held = &signer.roles;
        if let Some(missing) = expect.roles.iter().find(|r| !held.contains(r)) {
            return Err(SignatureError::MissingRole {
                oid: missing.clone(),
            });
        }
    }
    Ok(())
}

fn chain_error(e: X509VerifyResult) -> String {
    e.error_string().to_string()
}
