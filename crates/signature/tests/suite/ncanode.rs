//! GOST signatures through NCANode v3, against a mock that answers `/cms/verify` as NCANode
//! does: accepted only when it says valid, and each of its refusals (or its silence) kept as
//! the matching reason.

use crate::{expect_org, BIN, DATA, IIN};
use base64::Engine;
use jiff::{SignedDuration, Timestamp};
use qyzmet_signature::testing::http::{MockServer, Reply};
use qyzmet_signature::testing::{Leaf, LeafSpec, TestPki};
use qyzmet_signature::{
    CrlSet, Expectation, NcaNode, NcaNodeConfig, Policy, RevocationCheck, SignatureError, Signed,
    TrustStore, Verifier,
};
use serde_json::{json, Value};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

struct World {
    pki: TestPki,
    good: Leaf,
    expired: Leaf,
    future: Leaf,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let pki = TestPki::new("NCANode Test");
        let good = pki.issue(&LeafSpec::employee(IIN, BIN));
        let now = Timestamp::now();
        let mut spec = LeafSpec::employee(IIN, BIN);
        spec.not_before = now - SignedDuration::from_hours(24 * 10);
        spec.not_after = now - SignedDuration::from_hours(24);
        let expired = pki.issue(&spec);
        spec.not_before = now + SignedDuration::from_hours(24);
        spec.not_after = now + SignedDuration::from_hours(24 * 10);
        let future = pki.issue(&spec);
        World {
            pki,
            good,
            expired,
            future,
        }
    })
}

/// A real signature whose signer info claims Kazakh GOST 34.310 (an OID of the same encoded
/// length as rsaEncryption, spliced over its last occurrence): in-process verification would
/// refuse it, so it can only pass through the external verifier.
fn gost(leaf: &Leaf, attached: bool) -> Vec<u8> {
    let mut sig = world().pki.sign(leaf, DATA, attached, &[]);
    qyzmet_signature::testing::claim_gost(&mut sig);
    sig
}

/// The leaf's serial as NCANode writes it (Java's `BigInteger.toString(16)`).
fn serial(leaf: &Leaf) -> String {
    let pem = std::fs::read(&leaf.cert).expect("certificate");
    let cert = openssl::x509::X509::from_pem(&pem).expect("certificate");
    let hex = cert
        .serial_number()
        .to_bn()
        .and_then(|b| b.to_hex_str().map(|s| s.to_string()))
        .expect("serial");
    hex.to_lowercase().trim_start_matches('0').to_string()
}

/// A `/cms/verify` answer shaped as NCANode 3 serializes it.
fn answer(valid: bool, cert_valid: bool, serial: &str, revocations: Value) -> Value {
    json!({
        "status": 200,
        "message": "OK",
        "valid": valid,
        "signers": [{
            "certificates": [{
                "valid": cert_valid,
                "revocations": revocations,
                "notBefore": "2026-01-01T00:00:00.000+00:00",
                "notAfter": "2027-01-01T00:00:00.000+00:00",
                "keyUsage": "SIGN",
                "serialNumber": serial,
                "signAlg": "ECGOST34310",
                "keyUser": ["ORGANIZATION", "CAN_SIGN"],
                "publicKey": "AQ==",
                "signature": "AQ==",
                "subject": {
                    "commonName": "ИВАНОВ ИВАН",
                    "iin": IIN,
                    "bin": BIN,
                    "country": "KZ",
                    "dn": format!("CN=ИВАНОВ ИВАН, SERIALNUMBER=IIN{IIN}, OU=BIN{BIN}")
                },
                "issuer": {"commonName": "NCANode Test NCA", "country": "KZ"}
            }],
            "tsp": null
        }]
    })
}

fn ocsp_good() -> Value {
    json!([{"revoked": false, "by": "OCSP", "revocationTime": null, "reason": "OK"}])
}

fn verifier(node: NcaNodeConfig) -> Verifier {
    let pki = &world().pki;
    let trust = TrustStore::load_dir(&pki.trust_dir).expect("trust");
    let crls = CrlSet::load_dir(&pki.crl_dir, &trust).expect("crls");
    Verifier::new(trust, crls, Policy::default()).with_external(Arc::new(NcaNode::new(node)))
}

fn config(server: &MockServer) -> NcaNodeConfig {
    NcaNodeConfig {
        url: format!("{}/", server.base_url()),
        timeout: Duration::from_secs(5),
        revocation_check: vec![RevocationCheck::Ocsp],
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn a_gost_signature_is_accepted_when_ncanode_says_valid() {
    let w = world();
    let server = MockServer::start();
    server.route(
        "/cms/verify",
        Reply::json(200, &answer(true, true, &serial(&w.good), ocsp_good())),
    );
    let v = verifier(config(&server));
    let sig = gost(&w.good, true);
    let ok = v
        .verify(Signed::Attached(&sig), &expect_org(), Timestamp::now())
        .expect("valid");
    assert_eq!(ok.content, DATA);
    assert_eq!(ok.report.verifier, "ncanode");
    assert_eq!(ok.report.signature_algorithm, "1.2.398.3.10.1.1.1.1");
    assert_eq!(ok.report.signer.iin.as_deref(), Some(IIN));
    assert_eq!(ok.report.signer.bin.as_deref(), Some(BIN));
    assert_eq!(ok.report.certificate.serial, serial(&w.good));

    let detached = gost(&w.good, false);
    let ok = v
        .verify(
            Signed::Detached {
                cms: &detached,
                data: DATA,
            },
            &expect_org(),
            Timestamp::now(),
        )
        .expect("valid");
    assert_eq!(ok.content, DATA);

    let sent = server.received();
    assert_eq!(sent.len(), 2);
    assert!(sent
        .iter()
        .all(|r| r.method == "POST" && r.path == "/cms/verify"));
    let first: Value = serde_json::from_slice(&sent[0].body).expect("json");
    assert_eq!(
        first,
        json!({"revocationCheck": ["OCSP"], "cms": b64(&sig)}),
        "attached: no data"
    );
    let second: Value = serde_json::from_slice(&sent[1].body).expect("json");
    assert_eq!(
        second,
        json!({"revocationCheck": ["OCSP"], "cms": b64(&detached), "data": b64(DATA)})
    );

    // NCANode vouches for the signature, not for who the data says signed it.
    let other_org = Expectation {
        bin: Some("990340001234"),
        iin: None,
        roles: &[],
    };
    assert_eq!(
        v.verify(Signed::Attached(&sig), &other_org, Timestamp::now())
            .unwrap_err(),
        SignatureError::BinMismatch
    );
}

#[test]
fn ncanodes_refusals_keep_their_reasons() {
    let w = world();
    let server = MockServer::start();
    let v = verifier(config(&server));
    let good = serial(&w.good);
    let revoked = json!([{
        "revoked": true, "by": "OCSP",
        "revocationTime": "2026-11-01T08:00:00.000+00:00", "reason": "OK"
    }]);
    let unknown = json!([{"revoked": false, "by": "OCSP", "reason": "Unknown status"}]);
    let digest = json!({"status": 400,
        "message": "message-digest attribute value does not match calculated value"});
    let cases: Vec<(&str, Reply, &Leaf, &str)> = vec![
        (
            "the signature does not verify",
            Reply::json(200, &answer(false, true, &good, ocsp_good())),
            &w.good,
            "signature_invalid",
        ),
        (
            "the content differs from the signed digest",
            Reply::json(400, &digest),
            &w.good,
            "signature_invalid",
        ),
        (
            "revoked by OCSP",
            Reply::json(200, &answer(false, false, &good, revoked)),
            &w.good,
            "certificate_revoked",
        ),
        (
            "OCSP could not say",
            Reply::json(200, &answer(false, false, &good, unknown)),
            &w.good,
            "certificate_revocation_unknown",
        ),
        (
            "issuer not among NCANode's CAs",
            Reply::json(200, &answer(false, false, &good, ocsp_good())),
            &w.good,
            "certificate_untrusted",
        ),
        (
            "expired",
            Reply::json(200, &answer(false, false, &serial(&w.expired), ocsp_good())),
            &w.expired,
            "certificate_expired",
        ),
        (
            "not yet valid",
            Reply::json(200, &answer(false, false, &serial(&w.future), ocsp_good())),
            &w.future,
            "certificate_not_yet_valid",
        ),
        (
            "the CMS is not one NCANode can read",
            Reply::json(
                400,
                &json!({"status": 400, "message": "unknown object in factory"}),
            ),
            &w.good,
            "signature_malformed",
        ),
        (
            "NCANode fails",
            Reply::json(500, &json!({"status": 500, "message": "Kalkan error"})),
            &w.good,
            "signature_verifier_unavailable",
        ),
        (
            "an answer about another certificate",
            Reply::json(200, &answer(true, true, "abcdef", ocsp_good())),
            &w.good,
            "signature_verifier_unavailable",
        ),
        (
            "an answer that is not NCANode's",
            Reply::Body {
                status: 200,
                content_type: "text/html".into(),
                body: b"<html>proxy login</html>".to_vec(),
            },
            &w.good,
            "signature_verifier_unavailable",
        ),
    ];
    for (case, reply, leaf, expected) in cases {
        server.route("/cms/verify", reply);
        let sig = gost(leaf, true);
        let got = v.verify(Signed::Attached(&sig), &expect_org(), Timestamp::now());
        match got {
            Ok(_) => panic!("{case}: accepted"),
            Err(e) => assert_eq!(e.code(), expected, "{case}: {e}"),
        }
    }
    let revoked_case = answer(
        false,
        false,
        &good,
        json!([{"revoked": true, "by": "CRL",
        "revocationTime": "2026-11-01T08:00:00.000+00:00"}]),
    );
    server.route("/cms/verify", Reply::json(200, &revoked_case));
    let err = v
        .verify(
            Signed::Attached(&gost(&w.good, true)),
            &expect_org(),
            Timestamp::now(),
        )
        .unwrap_err();
    assert_eq!(
        err,
        SignatureError::CertificateRevoked {
            serial: good.clone(),
            revoked_at: "2026-11-01T08:00:00Z".into()
        }
    );
}

#[test]
fn silence_from_ncanode_refuses_the_event() {
    let w = world();
    let server = MockServer::start();
    server.route(
        "/cms/verify",
        Reply::Delay(
            Duration::from_secs(3),
            Box::new(Reply::json(
                200,
                &answer(true, true, &serial(&w.good), ocsp_good()),
            )),
        ),
    );
    let mut cfg = config(&server);
    cfg.timeout = Duration::from_millis(300);
    let v = verifier(cfg);
    let sig = gost(&w.good, true);
    let started = std::time::Instant::now();
    let err = v
        .verify(Signed::Attached(&sig), &expect_org(), Timestamp::now())
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "gave up in time"
    );
    assert_eq!(
        err,
        SignatureError::VerifierUnavailable {
            verifier: "ncanode".into(),
            detail: "no answer within 300 ms".into()
        }
    );

    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr")
    };
    let v = verifier(NcaNodeConfig::new(format!("http://{closed}")));
    let err = v
        .verify(Signed::Attached(&sig), &expect_org(), Timestamp::now())
        .unwrap_err();
    assert_eq!(err.code(), "signature_verifier_unavailable", "{err}");
    assert!(
        !err.to_string().contains(&closed.port().to_string()),
        "the address stays out of the message: {err}"
    );
}
