//! The trust anchors and intermediate certificates configured as a directory
//! (`QYZMET_TRUST_DIR`): self-signed certificates are anchors, the rest intermediates.

use crate::certs::{files, read_certificates};
use crate::error::LoadError;
use openssl::stack::Stack;
use openssl::x509::store::{X509Store, X509StoreBuilder};
use openssl::x509::verify::X509VerifyFlags;
use openssl::x509::{X509Ref, X509};
use std::path::Path;

/// Trust anchors and intermediates; immutable once loaded.
pub struct TrustStore {
    pub(crate) store: X509Store,
    pub(crate) intermediates: Vec<X509>,
    pub(crate) all: Vec<X509>,
}

impl std::fmt::Debug for TrustStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustStore")
            .field("certificates", &self.all.len())
            .finish()
    }
}

impl TrustStore {
    /// Loads every certificate file of `dir` (PEM or DER; a PEM file may hold several).
    pub fn load_dir(dir: &Path) -> Result<TrustStore, LoadError> {
        let mut certs = Vec::new();
        for path in files(dir)? {
            certs.extend(read_certificates(&path)?);
        }
        TrustStore::from_certificates(certs)
    }

    /// A store of these certificates: self-signed ones become anchors.
    pub fn from_certificates(certs: Vec<X509>) -> Result<TrustStore, LoadError> {
        let mut builder = X509StoreBuilder::new()?;
        // Validity times are checked against the signing time by the verifier itself, so the
        // store checks only names, signatures and CA constraints.
        builder.set_flags(X509VerifyFlags::NO_CHECK_TIME)?;
        let mut intermediates = Vec::new();
        for cert in &certs {
            if self_signed(cert) {
                builder.add_cert(cert.clone())?;
            } else {
                intermediates.push(cert.clone());
            }
        }
        tracing::info!(
            anchors = certs.len() - intermediates.len(),
            intermediates = intermediates.len(),
            "trust store loaded"
        );
        Ok(TrustStore {
            store: builder.build(),
            intermediates,
            all: certs,
        })
    }

    /// No anchors at all: every signature is untrusted.
    pub fn empty() -> TrustStore {
        TrustStore::from_certificates(Vec::new()).expect("an empty store builds")
    }

    /// The configured intermediates plus `extra` (those a signature carries).
    pub(crate) fn untrusted(
        &self,
        extra: &[X509],
    ) -> Result<Stack<X509>, openssl::error::ErrorStack> {
        let mut stack = Stack::new()?;
        for c in self.intermediates.iter().chain(extra) {
            stack.push(c.clone())?;
        }
        Ok(stack)
    }

    /// The configured certificates named `crl_issuer` (the caller checks which key signed).
    pub(crate) fn issuer_of(&self, crl_issuer: &openssl::x509::X509NameRef) -> Vec<&X509> {
        let wanted = crl_issuer.to_der().ok();
        self.all
            .iter()
            .filter(|c| c.subject_name().to_der().ok() == wanted)
            .collect()
    }
}

fn self_signed(cert: &X509Ref) -> bool {
    let same_name = cert.subject_name().to_der().ok() == cert.issuer_name().to_der().ok();
    same_name
        && cert
            .public_key()
            .and_then(|k| cert.verify(&k))
            .unwrap_or(false)
}
