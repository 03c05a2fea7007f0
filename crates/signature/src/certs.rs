//! Reading certificates and what the national PKI puts in them: PEM or DER files, the
//! subject's IIN (`SERIALNUMBER=IIN…`) and BIN (`OU=BIN…`), role OIDs in the extended key
//! usage, times as instants.

use crate::error::LoadError;
use der::Decode;
use jiff::Timestamp;
use openssl::asn1::{Asn1Time, Asn1TimeRef};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::x509::{X509NameRef, X509Ref, X509};
use std::path::Path;

/// Every certificate in a PEM (one or many) or DER file.
pub(crate) fn read_certificates(path: &Path) -> Result<Vec<X509>, LoadError> {
    let bytes = read(path)?;
    if bytes.starts_with(b"-----") || bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        return X509::stack_from_pem(&bytes).map_err(|e| parse_error(path, e));
    }
    X509::from_der(&bytes)
        .map(|c| vec![c])
        .map_err(|e| parse_error(path, e))
}

pub(crate) fn read(path: &Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.display().to_string(),
        source,
    })
}

pub(crate) fn parse_error(path: &Path, e: impl std::fmt::Display) -> LoadError {
    LoadError::Parse {
        path: path.display().to_string(),
        detail: e.to_string(),
    }
}

/// The files of `dir` in name order (sub-directories and hidden files skipped).
pub(crate) fn files(dir: &Path) -> Result<Vec<std::path::PathBuf>, LoadError> {
    let io = |source| LoadError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if path.is_file() && !hidden {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// `C=KZ, CN=…` in the order the name holds its entries.
pub fn distinguished_name(name: &X509NameRef) -> String {
    name.entries()
        .map(|e| {
            let key = e.object().nid().short_name().unwrap_or("?").to_string();
            let value = e.data().to_string().unwrap_or_default();
            format!("{key}={value}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first value of `nid` in `name`.
pub(crate) fn entry(name: &X509NameRef, nid: Nid) -> Option<String> {
    name.entries_by_nid(nid)
        .next()
        .and_then(|e| e.data().to_string().ok())
}

/// The IIN of a subject: `SERIALNUMBER=IIN<12 digits>`.
pub(crate) fn subject_iin(cert: &X509Ref) -> Option<String> {
    entry(cert.subject_name(), Nid::SERIALNUMBER).and_then(|s| digits_after(&s, "IIN"))
}

/// The BIN of a legal entity's subject: `OU=BIN<12 digits>`.
pub(crate) fn subject_bin(cert: &X509Ref) -> Option<String> {
    cert.subject_name()
        .entries_by_nid(Nid::ORGANIZATIONALUNITNAME)
        .filter_map(|e| e.data().to_string().ok())
        .find_map(|s| digits_after(&s, "BIN"))
}

fn digits_after(s: &str, prefix: &str) -> Option<String> {
    let rest = s.trim().strip_prefix(prefix)?;
    (rest.len() == 12 && rest.bytes().all(|b| b.is_ascii_digit())).then(|| rest.to_string())
}

/// The extended key usage OIDs (the PKI's roles), dotted.
pub(crate) fn roles(cert: &X509Ref) -> Vec<String> {
    let Ok(der) = cert.to_der() else {
        return Vec::new();
    };
    let Ok(parsed) = x509_cert::Certificate::from_der(&der) else {
        return Vec::new();
    };
    let eku = const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE;
    parsed
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .filter(|e| e.extn_id == eku)
        .filter_map(|e| {
            x509_cert::ext::pkix::ExtendedKeyUsage::from_der(e.extn_value.as_bytes()).ok()
        })
        .flat_map(|u| u.0.into_iter().map(|o| o.to_string()))
        .collect()
}

/// SHA-256 of the DER encoding.
pub(crate) fn fingerprint(cert: &X509Ref) -> [u8; 32] {
    let mut out = [0u8; 32];
    if let Ok(d) = cert.digest(MessageDigest::sha256()) {
        out.copy_from_slice(&d);
    }
    out
}

/// An ASN.1 time as an instant.
pub(crate) fn instant(t: &Asn1TimeRef) -> Timestamp {
    let seconds = Asn1Time::from_unix(0)
        .and_then(|epoch| epoch.diff(t))
        .map(|d| i64::from(d.days) * 86_400 + i64::from(d.secs))
        .unwrap_or(0);
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The certificate's serial number, hex.
pub(crate) fn serial_hex(cert: &X509Ref) -> String {
    cert.serial_number()
        .to_bn()
        .and_then(|b| b.to_hex_str().map(|s| s.to_string()))
        .unwrap_or_default()
        .to_lowercase()
}
