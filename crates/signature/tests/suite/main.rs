//! The signature crate's one test binary: every accept and reject path of the verifier
//! (`verification`), and verification that reaches other servers, each stood in for by a
//! loopback mock: CRLs fetched from the certificates' distribution points (`crl_fetch`), and
//! GOST signatures sent to NCANode (`ncanode`).

mod crl_fetch;
mod ncanode;
mod verification;

use qyzmet_signature::Expectation;

pub const IIN: &str = "900101300017";
pub const BIN: &str = "120340001234";
pub const DATA: &[u8] = br#"{"id":"0190f3a4-8a4c-7cc0-9a1e-2f4a5b6c7d8e","type":"stage","stage":"executed","occurred_at":"2026-11-30T10:00:00+05:00"}"#;

pub fn expect_org() -> Expectation<'static> {
    Expectation {
        bin: Some(BIN),
        iin: Some(IIN),
        roles: &[],
    }
}
