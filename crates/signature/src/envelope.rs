//! What the CMS SignedData says about itself, read before any cryptography: its single
//! signer, the algorithms, the claimed signing time and the certificates it carries.

use crate::error::SignatureError;
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::{Decode, Encode};
use jiff::Timestamp;
use openssl::x509::X509;

/// The parts of a SignedData the verifier needs.
pub(crate) struct Envelope {
    /// The signer's certificate, DER.
    pub signer: Vec<u8>,
    /// Every certificate the SignedData carries, DER.
    pub carried: Vec<Vec<u8>>,
    pub signing_time: Option<Timestamp>,
    pub digest_oid: String,
    pub signature_oid: String,
    pub attached: bool,
    /// The encapsulated content, when attached.
    pub content: Option<Vec<u8>>,
    /// What the signature covers, when signed attributes are present: their DER `SET OF`.
    pub signed_attrs: Option<Vec<u8>>,
    /// The signed `messageDigest` attribute.
    pub message_digest: Option<Vec<u8>>,
    /// The signed `contentType` attribute matches the encapsulated content type.
    pub content_type_matches: bool,
    pub signature: Vec<u8>,
}

const SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
const MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";

/// Reads `der` as a ContentInfo holding a SignedData with exactly one signer.
pub(crate) fn open(der: &[u8]) -> Result<Envelope, SignatureError> {
    let info = ContentInfo::from_der(der).map_err(SignatureError::malformed)?;
    if info.content_type.to_string() != SIGNED_DATA {
        return Err(SignatureError::malformed("not a CMS SignedData"));
    }
    let sd: SignedData = info
        .content
        .decode_as()
        .map_err(SignatureError::malformed)?;
    let mut signers = sd.signer_infos.0.iter();
    let (Some(si), None) = (signers.next(), signers.next()) else {
        return Err(SignatureError::malformed("exactly one signer is expected"));
    };
    let certs: Vec<&x509_cert::Certificate> = sd
        .certificates
        .as_ref()
        .map(|s| {
            s.0.iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c),
                    CertificateChoices::Other(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let signer = certs
        .iter()
        .find(|c| identifies(&si.sid, c))
        .ok_or_else(|| SignatureError::malformed("the signer's certificate is not included"))?;
    let to_der = |c: &x509_cert::Certificate| c.to_der().map_err(SignatureError::malformed);
    let signing_time = match &si.signed_attrs {
        Some(attrs) => attrs
            .iter()
            .find(|a| a.oid.to_string() == SIGNING_TIME)
            .and_then(|a| a.values.iter().next())
            .map(|v| {
                v.to_der()
                    .and_then(|d| x509_cert::time::Time::from_der(&d))
                    .map_err(SignatureError::malformed)
                    .and_then(|t| {
                        let d = t.to_unix_duration();
                        Timestamp::new(d.as_secs() as i64, 0).map_err(SignatureError::malformed)
                    })
            })
            .transpose()?,
        None => None,
    };
    let attr = |oid: &str| {
        si.signed_attrs
            .as_ref()
            .and_then(|attrs| attrs.iter().find(|a| a.oid.to_string() == oid))
            .and_then(|a| a.values.iter().next())
    };
    let message_digest = attr(MESSAGE_DIGEST)
        .map(|v| {
            v.decode_as::<der::asn1::OctetString>()
                .map(|o| o.as_bytes().to_vec())
                .map_err(SignatureError::malformed)
        })
        .transpose()?;
    let content_type_matches = attr(CONTENT_TYPE)
        .and_then(|v| v.decode_as::<der::asn1::ObjectIdentifier>().ok())
        .is_some_and(|oid| oid == sd.encap_content_info.econtent_type);
    let content = sd
        .encap_content_info
        .econtent
        .as_ref()
        .map(|c| {
            c.decode_as::<der::asn1::OctetString>()
                .map(|o| o.as_bytes().to_vec())
                .map_err(SignatureError::malformed)
        })
        .transpose()?;
    let signed_attrs = si
        .signed_attrs
        .as_ref()
        .map(|a| a.to_der().map_err(SignatureError::malformed))
        .transpose()?;
    Ok(Envelope {
        content,
        signed_attrs,
        message_digest,
        content_type_matches,
        signature: si.signature.as_bytes().to_vec(),
        signer: to_der(signer)?,
        carried: certs.iter().map(|c| to_der(c)).collect::<Result<_, _>>()?,
        signing_time,
        digest_oid: si.digest_alg.oid.to_string(),
        signature_oid: si.signature_algorithm.oid.to_string(),
        attached: sd.encap_content_info.econtent.is_some(),
    })
}

/// Decodes DER certificates for OpenSSL.
pub(crate) fn to_x509(der: &[u8]) -> Result<X509, SignatureError> {
    X509::from_der(der).map_err(SignatureError::malformed)
}

fn identifies(sid: &SignerIdentifier, cert: &x509_cert::Certificate) -> bool {
    let tbs = &cert.tbs_certificate;
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            ias.serial_number == tbs.serial_number && ias.issuer == tbs.issuer
        }
        SignerIdentifier::SubjectKeyIdentifier(skid) => tbs
            .extensions
            .iter()
            .flatten()
            .filter(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER)
            .any(|e| {
                x509_cert::ext::pkix::SubjectKeyIdentifier::from_der(e.extn_value.as_bytes())
                    .is_ok_and(|k| k.0 == skid.0)
            }),
    }
}

/// The OpenSSL digest of a supported digest OID.
pub(crate) fn message_digest(oid: &str) -> Option<openssl::hash::MessageDigest> {
    use openssl::hash::MessageDigest;
    match oid {
        "2.16.840.1.101.3.4.2.1" => Some(MessageDigest::sha256()),
        "2.16.840.1.101.3.4.2.2" => Some(MessageDigest::sha384()),
        "2.16.840.1.101.3.4.2.3" => Some(MessageDigest::sha512()),
        _ => None,
    }
}

/// The digest a signature algorithm OID fixes, when it fixes one (`rsaEncryption` and
/// `id-ecPublicKey` take the signer info's digest).
fn implied_digest(signature_oid: &str) -> Option<&'static str> {
    match signature_oid {
        "1.2.840.113549.1.1.11" | "1.2.840.10045.4.3.2" => Some("2.16.840.1.101.3.4.2.1"),
        "1.2.840.113549.1.1.12" | "1.2.840.10045.4.3.3" => Some("2.16.840.1.101.3.4.2.2"),
        "1.2.840.113549.1.1.13" | "1.2.840.10045.4.3.4" => Some("2.16.840.1.101.3.4.2.3"),
        _ => None,
    }
}

/// Whether the verifier's direct path (the signed attributes against the cached key) covers
/// this signature: PKCS#1 v1.5 or ECDSA, signed attributes present, one digest throughout.
/// Anything else (RSASSA-PSS, no signed attributes) goes through OpenSSL's `CMS_verify`.
pub(crate) fn direct(env: &Envelope) -> bool {
    let pkcs1_or_ecdsa = env.signature_oid != "1.2.840.113549.1.1.10";
    let one_digest = implied_digest(&env.signature_oid).is_none_or(|d| d == env.digest_oid);
    pkcs1_or_ecdsa
        && one_digest
        && env.signed_attrs.is_some()
        && message_digest(&env.digest_oid).is_some()
}

/// Digest algorithms verified here: SHA-256, SHA-384, SHA-512.
pub(crate) fn supported_digest(oid: &str) -> bool {
    matches!(
        oid,
        "2.16.840.1.101.3.4.2.1" | "2.16.840.1.101.3.4.2.2" | "2.16.840.1.101.3.4.2.3"
    )
}

/// Signature algorithms verified here: RSA (PKCS#1 v1.5 and PSS) and ECDSA.
pub(crate) fn supported_signature(oid: &str) -> bool {
    matches!(
        oid,
        "1.2.840.113549.1.1.1"
            | "1.2.840.113549.1.1.10"
            | "1.2.840.113549.1.1.11"
            | "1.2.840.113549.1.1.12"
            | "1.2.840.113549.1.1.13"
            | "1.2.840.10045.2.1"
            | "1.2.840.10045.4.3.2"
            | "1.2.840.10045.4.3.3"
            | "1.2.840.10045.4.3.4"
    )
}

/// The Kazakh (1.2.398) and Russian (1.2.643) GOST arcs.
pub(crate) fn is_gost(oid: &str) -> bool {
    oid.starts_with("1.2.398.") || oid.starts_with("1.2.643.")
}
