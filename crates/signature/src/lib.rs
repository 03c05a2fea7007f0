//! Digital signatures on stage data (000 §8, 004 §6–8), verified the way Kazakhstan's national
//! PKI does: the CMS signature over the data, the chain to a configured trust anchor, every
//! certificate's validity at the signing time, revocation by CRL (from files or fetched from
//! the certificates' distribution points), and the signer's IIN/BIN and roles against what the
//! data claims. RSA and ECDSA in-process through OpenSSL; GOST only through an
//! [`ExternalVerifier`] ([`NcaNode`]), never accepted unchecked.

mod certs;
mod crl;
mod crl_fetch;
mod envelope;
mod error;
mod ncanode;
mod report;
mod seal;
pub mod sealed_token;
mod trust;
mod verify;

pub use certs::distinguished_name;
pub use crl::{CrlSet, LoadedCrl};
pub use crl_fetch::{
    distribution_points, CrlFetcher, FetchError, FetchedCrl, Refreshed, UrlOutcome, UrlReport,
};
pub use error::{LoadError, SignatureError};
pub use ncanode::{NcaNode, NcaNodeConfig, RevocationCheck};
pub use report::{Certificate, Form, Revocation, Signer, SigningTimeSource, VerificationReport};
pub use seal::{SealKey, SealPublicKey};
pub use trust::TrustStore;
pub use verify::{
    Expectation, ExpiredSince, ExternalVerifier, Policy, Signed, StaleCrl, Verified, Verifier,
};

#[cfg(feature = "testing")]
pub mod testing;
