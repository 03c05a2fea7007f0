//! Every accept and reject path of the verifier, against a PKI the test makes with the
//! openssl CLI and signatures made with `openssl cms -sign` (000 §8, 004 §6–8).

use jiff::{SignedDuration, Timestamp};
use qyzmet_signature::testing::{KeyKind, Leaf, LeafSpec, TestPki, ROLE_MAY_SIGN};
use qyzmet_signature::{
    CrlSet, Expectation, ExpiredSince, Form, Policy, SignatureError, Signed, SigningTimeSource,
    StaleCrl, TrustStore, Verifier,
};
use std::sync::OnceLock;

const IIN: &str = "900101300017";
const BIN: &str = "120340001234";
const DATA: &[u8] = br#"{"id":"0190f3a4-8a4c-7cc0-9a1e-2f4a5b6c7d8e","type":"stage","stage":"executed","occurred_at":"2026-11-30T10:00:00+05:00"}"#;

struct World {
    pki: TestPki,
    good: Leaf,
}

/// One PKI for the whole file: making keys is the slow part.
fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let pki = TestPki::new("Qyzmet Test");
        let good = pki.issue(&LeafSpec::employee(IIN, BIN));
        World { pki, good }
    })
}

fn verifier(policy: Policy) -> Verifier {
    let pki = &world().pki;
    let trust = TrustStore::load_dir(&pki.trust_dir).expect("trust");
    let crls = CrlSet::load_dir(&pki.crl_dir, &trust).expect("crls");
    assert!(crls.rejected.is_empty(), "rejected: {:?}", crls.rejected);
    Verifier::new(trust, crls, policy)
}

fn expect_org() -> Expectation<'static> {
    Expectation {
        bin: Some(BIN),
        iin: Some(IIN),
        roles: &[],
    }
}

fn check(
    sig: &[u8],
    at: Timestamp,
    policy: Policy,
) -> Result<qyzmet_signature::Verified, SignatureError> {
    verifier(policy).verify(Signed::Attached(sig), &expect_org(), at)
}

#[test]
fn an_attached_rsa_signature_is_accepted_with_a_full_report() {
    let w = world();
    let sig = w.pki.sign(&w.good, DATA, true, &[]);
    let v = check(&sig, Timestamp::now(), Policy::default()).expect("valid");
    assert_eq!(v.content, DATA);
    let r = &v.report;
    assert_eq!(r.result, "valid");
    assert_eq!(r.form, Form::Attached);
    assert_eq!(r.signer.iin.as_deref(), Some(IIN));
    assert_eq!(r.signer.bin.as_deref(), Some(BIN));
    assert_eq!(r.signer.name.as_deref(), Some("ИВАНОВ ИВАН"));
    assert!(r.signer.roles.iter().any(|x| x == ROLE_MAY_SIGN));
    assert_eq!(r.signing_time_source, SigningTimeSource::Attribute);
    assert_eq!(r.chain.len(), 3, "leaf, NCA, root: {:?}", r.chain);
    assert_eq!(r.revocation.len(), 2);
    assert!(
        r.revocation.iter().all(|c| c.status == "good"),
        "{:?}",
        r.revocation
    );
    assert!(r.certificate.issuer.contains("Qyzmet Test NCA"));
    assert_eq!(r.signature_algorithm, "1.2.840.113549.1.1.1");
}

#[test]
fn a_detached_ecdsa_signature_is_accepted() {
    let w = world();
    let mut spec = LeafSpec::employee(IIN, BIN);
    spec.key = KeyKind::EcP256;
    let leaf = w.pki.issue(&spec);
    let sig = w.pki.sign(&leaf, DATA, false, &[]);
    let v = verifier(Policy::default())
        .verify(
            Signed::Detached {
                cms: &sig,
                data: DATA,
            },
            &expect_org(),
            Timestamp::now(),
        )
        .expect("valid");
    assert_eq!(v.report.form, Form::Detached);
    assert!(
        v.report.signature_algorithm.starts_with("1.2.840.10045"),
        "{}",
        v.report.signature_algorithm
    );
}

#[test]
fn without_a_signed_time_the_receipt_time_is_used() {
    let w = world();
    let sig = w.pki.sign(&w.good, DATA, true, &["-noattr"]);
    let now = Timestamp::now();
    let v = check(&sig, now, Policy::default()).expect("valid");
    assert_eq!(v.report.signing_time_source, SigningTimeSource::Receipt);
    assert_eq!(v.report.signing_time, now);
}

#[test]
fn altered_content_is_a_bad_signature() {
    let w = world();
    let mut sig = w.pki.sign(&w.good, DATA, true, &[]);
    let at = sig
        .windows(8)
        .position(|x| x == b"executed")
        .expect("content inside");
    sig[at] = b'E';
    assert_eq!(
        check(&sig, Timestamp::now(), Policy::default()).unwrap_err(),
        SignatureError::BadSignature
    );
    let detached = w.pki.sign(&w.good, DATA, false, &[]);
    let other = verifier(Policy::default()).verify(
        Signed::Detached {
            cms: &detached,
            data: b"{\"other\":1}",
        },
        &expect_org(),
        Timestamp::now(),
    );
    assert_eq!(other.unwrap_err(), SignatureError::BadSignature);
}

#[test]
fn a_certificate_of_another_pki_is_untrusted() {
    let stranger = TestPki::new("Stranger");
    let leaf = stranger.issue(&LeafSpec::employee(IIN, BIN));
    let sig = stranger.sign(&leaf, DATA, true, &[]);
    let err = check(&sig, Timestamp::now(), Policy::default()).unwrap_err();
    assert_eq!(err.code(), "certificate_untrusted", "{err}");
}

#[test]
fn expired_and_not_yet_valid_certificates_are_refused() {
    let w = world();
    let now = Timestamp::now();
    let mut spec = LeafSpec::employee(IIN, BIN);
    spec.not_before = now - SignedDuration::from_hours(24 * 10);
    spec.not_after = now - SignedDuration::from_hours(24);
    let expired = w.pki.issue(&spec);
    let err = check(
        &w.pki.sign(&expired, DATA, true, &[]),
        now,
        Policy::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "certificate_expired", "{err}");

    spec.not_before = now + SignedDuration::from_hours(24);
    spec.not_after = now + SignedDuration::from_hours(24 * 10);
    let future = w.pki.issue(&spec);
    let err = check(
        &w.pki.sign(&future, DATA, true, &[]),
        now,
        Policy::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "certificate_not_yet_valid", "{err}");
}

#[test]
fn a_certificate_expired_since_signing_follows_the_policy() {
    let w = world();
    let now = Timestamp::now();
    let mut spec = LeafSpec::employee(IIN, BIN);
    spec.not_after = now + SignedDuration::from_mins(30);
    let short = w.pki.issue(&spec);
    let sig = w.pki.sign(&short, DATA, true, &[]);
    let later = now + SignedDuration::from_hours(2);
    check(&sig, later, Policy::default()).expect("accepted: valid when signed");
    let strict = Policy {
        expired_since: ExpiredSince::Reject,
        ..Policy::default()
    };
    assert_eq!(
        check(&sig, later, strict).unwrap_err().code(),
        "certificate_expired"
    );
}

#[test]
fn a_revoked_certificate_is_refused() {
    // A PKI of its own: revoking changes the CRLs every other test reads.
    let pki = TestPki::new("Revoking");
    let leaf = pki.issue(&LeafSpec::employee(IIN, BIN));
    pki.revoke(&leaf);
    let sig = pki.sign(&leaf, DATA, true, &[]);
    let trust = TrustStore::load_dir(&pki.trust_dir).expect("trust");
    let crls = CrlSet::load_dir(&pki.crl_dir, &trust).expect("crls");
    let v = Verifier::new(trust, crls, Policy::default());
    let err = v
        .verify(Signed::Attached(&sig), &expect_org(), Timestamp::now())
        .unwrap_err();
    assert_eq!(err.code(), "certificate_revoked", "{err}");
    // The other certificates of that PKI still pass.
    let other = pki.issue(&LeafSpec::employee(IIN, BIN));
    let sig = pki.sign(&other, DATA, true, &[]);
    v.verify(Signed::Attached(&sig), &expect_org(), Timestamp::now())
        .expect("not revoked");
}

#[test]
fn stale_or_missing_revocation_lists_follow_the_policy() {
    let w = world();
    let sig = w.pki.sign(&w.good, DATA, true, &[]);
    let in_ten_days = Timestamp::now() + SignedDuration::from_hours(24 * 10);
    let err = check(&sig, in_ten_days, Policy::default()).unwrap_err();
    assert_eq!(err.code(), "certificate_revocation_unknown", "{err}");
    let open = Policy {
        stale_crl: StaleCrl::FailOpen,
        ..Policy::default()
    };
    let v = check(&sig, in_ten_days, open.clone()).expect("fail-open accepts");
    assert!(v.report.revocation.iter().all(|c| c.status == "stale"));

    let trust = TrustStore::load_dir(&w.pki.trust_dir).expect("trust");
    let none = Verifier::new(trust, CrlSet::default(), Policy::default());
    let err = none
        .verify(Signed::Attached(&sig), &expect_org(), Timestamp::now())
        .unwrap_err();
    assert_eq!(err.code(), "certificate_revocation_unknown");
    let trust = TrustStore::load_dir(&w.pki.trust_dir).expect("trust");
    let none = Verifier::new(trust, CrlSet::default(), open);
    let v = none
        .verify(Signed::Attached(&sig), &expect_org(), Timestamp::now())
        .expect("fail-open");
    assert!(v.report.revocation.iter().all(|c| c.status == "unchecked"));
}

#[test]
fn a_crl_signed_by_an_unconfigured_key_is_not_loaded() {
    let w = world();
    let stranger = TestPki::new("Forger");
    let trust = TrustStore::load_dir(&w.pki.trust_dir).expect("trust");
    let crls = CrlSet::load_dir(&stranger.crl_dir, &trust).expect("crls");
    assert!(crls.is_empty());
    assert_eq!(crls.rejected.len(), 2);
}

#[test]
fn the_signer_must_be_who_the_data_says() {
    let w = world();
    let sig = w.pki.sign(&w.good, DATA, true, &[]);
    let v = verifier(Policy::default());
    let now = Timestamp::now();
    let wrong_bin = Expectation {
        bin: Some("990340001234"),
        iin: None,
        roles: &[],
    };
    assert_eq!(
        v.verify(Signed::Attached(&sig), &wrong_bin, now)
            .unwrap_err(),
        SignatureError::BinMismatch
    );
    let wrong_iin = Expectation {
        bin: Some(BIN),
        iin: Some("850203400019"),
        roles: &[],
    };
    assert_eq!(
        v.verify(Signed::Attached(&sig), &wrong_iin, now)
            .unwrap_err(),
        SignatureError::IinMismatch
    );
    let roles = vec![ROLE_MAY_SIGN.to_string()];
    let need_role = Expectation {
        bin: Some(BIN),
        iin: None,
        roles: &roles,
    };
    v.verify(Signed::Attached(&sig), &need_role, now)
        .expect("holds the role");

    let mut spec = LeafSpec::employee(IIN, BIN);
    spec.roles = vec!["1.2.398.3.3.4.1.2.5".into()];
    let clerk = w.pki.issue(&spec);
    let sig = w.pki.sign(&clerk, DATA, true, &[]);
    let err = v
        .verify(Signed::Attached(&sig), &need_role, now)
        .unwrap_err();
    assert_eq!(
        err,
        SignatureError::MissingRole {
            oid: ROLE_MAY_SIGN.into()
        }
    );

    let mut spec = LeafSpec::employee(IIN, BIN);
    spec.bin = None;
    let person = w.pki.issue(&spec);
    let sig = w.pki.sign(&person, DATA, true, &[]);
    assert_eq!(
        check(&sig, now, Policy::default()).unwrap_err(),
        SignatureError::BinMismatch
    );
}

#[test]
fn gost_is_refused_as_unsupported_without_the_external_verifier() {
    let w = world();
    let mut sig = w.pki.sign(&w.good, DATA, true, &[]);
    qyzmet_signature::testing::claim_gost(&mut sig);
    let err = check(&sig, Timestamp::now(), Policy::default()).unwrap_err();
    assert_eq!(
        err,
        SignatureError::UnsupportedAlgorithm {
            oid: "1.2.398.3.10.1.1.1.1".into()
        }
    );
}

#[test]
fn malformed_input_says_why() {
    let w = world();
    let err = check(b"not a signature", Timestamp::now(), Policy::default()).unwrap_err();
    assert_eq!(err.code(), "signature_malformed");
    let detached = w.pki.sign(&w.good, DATA, false, &[]);
    let err = check(&detached, Timestamp::now(), Policy::default()).unwrap_err();
    assert_eq!(err.code(), "signature_malformed", "{err}");
    let attached = w.pki.sign(&w.good, DATA, true, &[]);
    let err = verifier(Policy::default())
        .verify(
            Signed::Detached {
                cms: &attached,
                data: DATA,
            },
            &expect_org(),
            Timestamp::now(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "signature_malformed", "{err}");
}

#[test]
fn altered_signed_attributes_are_a_bad_signature() {
    let w = world();
    let sig = w.pki.sign(&w.good, DATA, true, &[]);
    // The signingTime attribute: its OID, a SET (2 bytes), then UTCTime 0x17 0x0d and the
    // 13 characters "YYMMDDHHMMSSZ".
    let oid = [
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05,
    ];
    let at = sig
        .windows(oid.len())
        .position(|x| x == oid)
        .expect("signingTime")
        + oid.len();
    assert_eq!(sig[at + 2..at + 4], [0x17, 0x0d], "a UTCTime follows");
    let at = at + 4;
    for (i, b) in [(at + 11, b'0'), (at + 11, b'1')] {
        let mut t = sig.clone();
        if t[i] == b {
            continue;
        }
        t[i] = b;
        let err = check(&t, Timestamp::now(), Policy::default()).unwrap_err();
        assert_eq!(err, SignatureError::BadSignature);
        return;
    }
    panic!("no byte changed");
}

#[test]
fn an_rsa_pss_signature_goes_through_cms_verify_and_is_accepted() {
    let w = world();
    let sig = w
        .pki
        .sign(&w.good, DATA, true, &["-keyopt", "rsa_padding_mode:pss"]);
    let v = check(&sig, Timestamp::now(), Policy::default()).expect("valid");
    assert_eq!(v.report.signature_algorithm, "1.2.840.113549.1.1.10");
    let mut bad = sig.clone();
    let at = bad
        .windows(8)
        .position(|x| x == b"executed")
        .expect("content");
    bad[at] = b'E';
    assert_eq!(
        check(&bad, Timestamp::now(), Policy::default()).unwrap_err(),
        SignatureError::BadSignature
    );
}
