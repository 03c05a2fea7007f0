//! Certificate revocation lists: loaded from files (`QYZMET_CRL_DIR`) or fetched from the
//! certificates' distribution points, each accepted only when a configured certificate of its
//! issuer signed it, and looked up by issuer.

use crate::certs::{files, fingerprint, instant, parse_error, read};
use crate::error::LoadError;
use crate::trust::TrustStore;
use jiff::Timestamp;
use openssl::x509::{X509Crl, X509Ref};
use std::path::Path;

/// One revocation list whose signature was checked.
pub struct LoadedCrl {
    pub(crate) crl: X509Crl,
    issuer: Vec<u8>,
    verified_by: [u8; 32],
    /// Where it came from: a file path or a URL.
    pub source: String,
    pub this_update: Timestamp,
    pub next_update: Option<Timestamp>,
}

impl LoadedCrl {
    /// Checks `crl`'s signature against the configured certificates of its issuer.
    pub fn accept(crl: X509Crl, source: String, trust: &TrustStore) -> Option<LoadedCrl> {
        let issuer_cert = trust
            .issuer_of(crl.issuer_name())
            .into_iter()
            .find(|c| c.public_key().and_then(|k| crl.verify(&k)).unwrap_or(false))?;
        Some(LoadedCrl {
            issuer: crl.issuer_name().to_der().ok()?,
            verified_by: fingerprint(issuer_cert),
            this_update: instant(crl.last_update()),
            next_update: crl.next_update().map(instant),
            source,
            crl,
        })
    }

    /// Past its next update at `at`; a list that names no next update is never current.
    pub fn stale_at(&self, at: Timestamp) -> bool {
        self.next_update.is_none_or(|n| n < at)
    }
}

/// The revocation lists in force: the newest per issuer is the one consulted.
#[derive(Default)]
pub struct CrlSet {
    lists: Vec<LoadedCrl>,
    /// Files or URLs whose list was unreadable or signed by no configured certificate.
    pub rejected: Vec<String>,
}

impl std::fmt::Debug for CrlSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrlSet")
            .field("lists", &self.lists.len())
            .field("rejected", &self.rejected)
            .finish()
    }
}

impl CrlSet {
    /// Loads every CRL file of `dir` (PEM or DER).
    pub fn load_dir(dir: &Path, trust: &TrustStore) -> Result<CrlSet, LoadError> {
        let mut set = CrlSet::default();
        for path in files(dir)? {
            let bytes = read(&path)?;
            let parsed = parse_crl(&bytes);
            let source = path.display().to_string();
            match parsed.map_err(|e| parse_error(&path, e)) {
                Ok(crl) => set.add(crl, source, trust),
                Err(e) => {
                    tracing::warn!(error = %e, "revocation list skipped");
                    set.rejected.push(source);
                }
            }
        }
        Ok(set)
    }

    /// Adds `crl` when a configured certificate of its issuer signed it.
    pub fn add(&mut self, crl: X509Crl, source: String, trust: &TrustStore) {
        match LoadedCrl::accept(crl, source.clone(), trust) {
            Some(l) => self.lists.push(l),
            None => {
                tracing::warn!(%source, "revocation list not signed by a configured certificate");
                self.rejected.push(source);
            }
        }
    }

    /// Adds a list whose signature [`LoadedCrl::accept`] already checked.
    pub(crate) fn push(&mut self, list: LoadedCrl) {
        self.lists.push(list);
    }

    /// The newest list of `issuer`, signed by that very certificate.
    pub fn for_issuer(&self, issuer: &X509Ref) -> Option<&LoadedCrl> {
        let name = issuer.subject_name().to_der().ok()?;
        let print = fingerprint(issuer);
        self.lists
            .iter()
            .filter(|l| l.issuer == name && l.verified_by == print)
            .max_by_key(|l| l.this_update)
    }

    pub fn len(&self) -> usize {
        self.lists.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }
}

/// A CRL in PEM or DER, as files and distribution points serve them.
pub(crate) fn parse_crl(bytes: &[u8]) -> Result<X509Crl, openssl::error::ErrorStack> {
    if bytes.starts_with(b"-----") {
        X509Crl::from_pem(bytes)
    } else {
        X509Crl::from_der(bytes)
    }
}
