//! Issue 3's figure: signed events verified per second on one core with a warm CRL cache,
//! against the bare OpenSSL `CMS_verify` (with chain verification) of the same signatures in
//! the same run — the raw limit.
//!
//! The PKI is made with the openssl CLI ([`qyzmet_signature::testing`]); the signatures are
//! made in-process (the same `CMS_sign` the CLI calls), one per distinct event JSON, each with
//! its signingTime, by one RSA-2048 employee certificate. A third timing takes the same
//! signatures the way the API receives a batch: `{"signed": "<base64>"}` items opened by the
//! server's signing layer (decode, verify, BIN check, parse the signed JSON).

use anyhow::Context;
use jiff::Timestamp;
use openssl::cms::{CMSOptions, CmsContentInfo};
use openssl::pkey::PKey;
use openssl::stack::Stack;
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::{X509PurposeId, X509};
use qyzmet_signature::testing::{LeafSpec, TestPki};
use qyzmet_signature::{CrlSet, Expectation, Policy, Signed, TrustStore, Verifier};
use std::time::Instant;

const IIN: &str = "900101300017";
const BIN: &str = "120340001234";

/// Signs `count` events, verifies them both ways, prints one JSON line.
pub fn run(count: usize) -> anyhow::Result<()> {
    let pki = TestPki::new("Bench");
    let leaf = pki.issue(&LeafSpec::employee(IIN, BIN));
    let cert = X509::from_pem(&std::fs::read(&leaf.cert)?)?;
    let key = PKey::private_key_from_pem(&std::fs::read(&leaf.key)?)?;
    let inter = X509::from_pem(&std::fs::read(pki.intermediate())?)?;
    let mut extra = Stack::new()?;
    extra.push(inter)?;
    let signatures: Vec<Vec<u8>> = (0..count)
        .map(|i| {
            let event = format!(
                r#"{{"id":"{}","type":"stage","stage":"executed","occurred_at":"2026-11-30T10:00:00+05:00","number":{i}}}"#,
                uuid::Uuid::now_v7()
            );
            let cms = CmsContentInfo::sign(
                Some(&cert),
                Some(&key),
                Some(&extra),
                Some(event.as_bytes()),
                CMSOptions::BINARY,
            )?;
            Ok(cms.to_der()?)
        })
        .collect::<anyhow::Result<_>>()
        .context("signing")?;

    let trust = TrustStore::load_dir(&pki.trust_dir)?;
    let crls = CrlSet::load_dir(&pki.crl_dir, &trust)?;
    let verifier = Verifier::new(trust, crls, Policy::default());
    let expect = Expectation {
        bin: Some(BIN),
        iin: Some(IIN),
        roles: &[],
    };
    let now = Timestamp::now();
    // Warm-up: the chain cache and the CRL lookup, as a running server has them.
    verifier
        .verify(Signed::Attached(&signatures[0]), &expect, now)
        .context("warm-up")?;
    let started = Instant::now();
    for s in &signatures {
        verifier
            .verify(Signed::Attached(s), &expect, now)
            .context("qyzmet verify")?;
    }
    let ours = started.elapsed().as_secs_f64();

    let config = qyzmet_server::config::Config {
        trust_dir: Some(pki.trust_dir.clone()),
        crl_dir: Some(pki.crl_dir.clone()),
        crl_fetch: false,
        ..Default::default()
    };
    let signing = qyzmet_server::signing::Signing::from_config(&config)?;
    let signer = qyzmet_store::OrgSigner {
        code: "BENCH".into(),
        bin: BIN.into(),
        policy: qyzmet_store::SignaturePolicy::Required,
    };
    let items: Vec<serde_json::Value> = signatures
        .iter()
        .map(|s| serde_json::json!({"signed": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, s)}))
        .collect();
    let started = Instant::now();
    for item in items {
        let submission = qyzmet_server::signing::Submission::of(item)
            .map_err(|e| anyhow::anyhow!("{}", e.code))?;
        signing
            .open(submission, Some(&signer), now)
            .map_err(|e| anyhow::anyhow!("{}", e.code))?;
    }
    let api = started.elapsed().as_secs_f64();

    let mut store = X509StoreBuilder::new()?;
    for c in X509::stack_from_pem(&std::fs::read(pki.trust_dir.join("root.pem"))?)? {
        store.add_cert(c)?;
    }
    // The employee certificates carry the PKI's role OIDs, not S/MIME's email protection,
    // so the chain is checked for any purpose (as qyzmet's verifier does).
    store.set_purpose(X509PurposeId::ANY)?;
    let store = store.build();
    let started = Instant::now();
    for s in &signatures {
        let mut cms = CmsContentInfo::from_der(s)?;
        let mut out = Vec::new();
        cms.verify(None, Some(&store), None, Some(&mut out), CMSOptions::BINARY)
            .context("bare CMS_verify")?;
    }
    let bare = started.elapsed().as_secs_f64();

    let rate = |secs: f64| (count as f64 / secs).round();
    println!(
        "{{\"signatures\": {count}, \"algorithm\": \"RSA-2048/SHA-256\", \"threads\": 1, \
         \"qyzmet_per_second\": {}, \"api_items_per_second\": {}, \
         \"bare_cms_verify_per_second\": {}, \"ratio\": {:.2}, \"api_ratio\": {:.2}}}",
        rate(ours),
        rate(api),
        rate(bare),
        bare / ours,
        bare / api
    );
    Ok(())
}

/// Signs events for a signed ingest run: `{"signed": "<base64 CMS over the event's JSON>"}`.
pub struct EventSigner {
    cert: X509,
    key: PKey<openssl::pkey::Private>,
    chain: Vec<X509>,
}

impl EventSigner {
    /// The leaf and chain `write_pki` wrote to `dir`.
    pub fn load(dir: &std::path::Path) -> anyhow::Result<EventSigner> {
        let read = |f: &str| {
            std::fs::read(dir.join(f)).with_context(|| format!("{f} in {}", dir.display()))
        };
        Ok(EventSigner {
            cert: X509::from_pem(&read("leaf.crt")?)?,
            key: PKey::private_key_from_pem(&read("leaf.key")?)?,
            chain: vec![X509::from_pem(&read("nca.crt")?)?],
        })
    }

    /// Each event as an attached signature, signed on every core.
    pub fn sign_all(&self, events: &[serde_json::Value]) -> anyhow::Result<Vec<serde_json::Value>> {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let per = events.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = events
                .chunks(per)
                .map(|chunk| {
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .map(|e| self.sign(e))
                            .collect::<anyhow::Result<Vec<_>>>()
                    })
                })
                .collect();
            let mut out = Vec::with_capacity(events.len());
            for h in handles {
                out.extend(
                    h.join()
                        .map_err(|_| anyhow::anyhow!("a signing thread panicked"))??,
                );
            }
            Ok(out)
        })
    }

    fn sign(&self, event: &serde_json::Value) -> anyhow::Result<serde_json::Value> {
        let mut extra = Stack::new()?;
        for c in &self.chain {
            extra.push(c.clone())?;
        }
        let cms = CmsContentInfo::sign(
            Some(&self.cert),
            Some(&self.key),
            Some(&extra),
            Some(&serde_json::to_vec(event)?),
            CMSOptions::BINARY,
        )?;
        Ok(
            serde_json::json!({"signed": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, cms.to_der()?)}),
        )
    }
}

/// Writes a PKI for a signed ingest run to `out` (see `qyzmet-bench pki`).
pub fn write_pki(out: &std::path::Path) -> anyhow::Result<()> {
    let pki = TestPki::new("Bench");
    let leaf = pki.issue(&LeafSpec::employee(IIN, BIN));
    pki.publish_crls();
    for sub in ["trust", "crl"] {
        std::fs::create_dir_all(out.join(sub))?;
    }
    for (from, to) in [(&pki.trust_dir, "trust"), (&pki.crl_dir, "crl")] {
        for entry in std::fs::read_dir(from)? {
            let path = entry?.path();
            if let Some(name) = path.file_name() {
                std::fs::copy(&path, out.join(to).join(name))?;
            }
        }
    }
    std::fs::copy(&leaf.cert, out.join("leaf.crt"))?;
    std::fs::copy(&leaf.key, out.join("leaf.key"))?;
    std::fs::copy(pki.intermediate(), out.join("nca.crt"))?;
    println!("{}", out.display());
    Ok(())
}
