//! Signed registrations and events (issue 3; 000 §8, 004 §6–8) through the real API: both
//! signed forms accepted with their evidence in the timeline, every refusal with its precise
//! code and nothing stored, and the per-organization policy.

use crate::support::{bin, iin, stage, TestApp};
use base64::Engine;
use jiff::{SignedDuration, Timestamp};
use qyzmet_server::config::Config;
use qyzmet_signature::testing::http::{MockServer, Reply};
use qyzmet_signature::testing::{Leaf, LeafSpec, TestPki, ROLE_ORGANIZATION};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::OnceLock;

/// The organization that signs (MIN-AST in the seeded registry) and its employee.
const ORG: &str = "MIN-AST";
fn org_bin() -> String {
    bin(100 + 2 * 7)
}
pub(crate) fn employee() -> String {
    iin(50)
}

/// One PKI for the whole binary: certificates take a key generation each.
pub(crate) struct Fixture {
    pub(crate) pki: TestPki,
    pub(crate) good: Leaf,
    ec: Leaf,
    expired: Leaf,
    future: Leaf,
    revoked: Leaf,
    other_bin: Leaf,
    no_role: Leaf,
    foreign: TestPki,
    foreign_leaf: Leaf,
    /// An employee of the State Corporation's branch GOV-1 (its BIN in the seeded registry).
    branch: Leaf,
}

pub(crate) fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let pki = TestPki::new("qyzmet API test root");
        let now = Timestamp::now();
        let day = SignedDuration::from_hours(24);
        let spec = LeafSpec::employee(&employee(), &org_bin());
        let good = pki.issue(&spec);
        let ec = pki.issue(&LeafSpec {
            key: qyzmet_signature::testing::KeyKind::EcP256,
            ..spec.clone()
        });
        let expired = pki.issue(&LeafSpec {
            not_before: now - day * 400,
            not_after: now - day,
            ..spec.clone()
        });
        let future = pki.issue(&LeafSpec {
            not_before: now + day,
            not_after: now + day * 400,
            ..spec.clone()
        });
        let revoked = pki.issue(&spec);
        pki.revoke(&revoked);
        let other_bin = pki.issue(&LeafSpec::employee(&employee(), &bin(900)));
        let branch = pki.issue(&LeafSpec::employee(&employee(), &bin(100 + 6 * 7)));
        let no_role = pki.issue(&LeafSpec {
            roles: vec![ROLE_ORGANIZATION.into()],
            ..spec.clone()
        });
        pki.publish_crls();
        let foreign = TestPki::new("a forger's root");
        let foreign_leaf = foreign.issue(&spec);
        Fixture {
            pki,
            good,
            ec,
            expired,
            future,
            revoked,
            other_bin,
            no_role,
            foreign,
            foreign_leaf,
            branch,
        }
    })
}

pub(crate) fn configure(c: &mut Config) {
    let f = fixture();
    c.trust_dir = Some(f.pki.trust_dir.clone());
    c.crl_dir = Some(f.pki.crl_dir.clone());
    c.crl_fetch = false;
    c.signature_required_roles = vec![qyzmet_signature::testing::ROLE_MAY_SIGN.into()];
}

/// The RFC 8785 bytes of a JSON value of strings and objects, written independently of the
/// server's JCS library: keys sorted, no whitespace.
fn canonical(v: &Value) -> Vec<u8> {
    fn write(v: &Value, out: &mut String) {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(k).unwrap());
                    out.push(':');
                    write(&m[k.as_str()], out);
                }
                out.push('}');
            }
            other => out.push_str(&serde_json::to_string(other).unwrap()),
        }
    }
    let mut s = String::new();
    write(v, &mut s);
    s.into_bytes()
}

fn b64(der: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(der)
}

/// `{"signed": …}`: the CMS holds the JSON bytes.
pub(crate) fn attached(pki: &TestPki, leaf: &Leaf, data: &Value) -> Value {
    let bytes = serde_json::to_vec(data).unwrap();
    json!({"signed": b64(&pki.sign(leaf, &bytes, true, &[]))})
}

/// `{"event": …, "signature": …}`: the CMS signs the canonical bytes.
fn detached(pki: &TestPki, leaf: &Leaf, data: &Value) -> Value {
    json!({"event": data, "signature": b64(&pki.sign(leaf, &canonical(data), false, &[]))})
}

pub(crate) fn registration() -> Value {
    json!({"service_code": "SVC-WD5", "applicant": {"iin": iin(17), "last_name": "Ахметов", "first_name": "Айбек"},
           "channel": "provider", "acceptance_place": ORG, "executor": ORG,
           "accepted_at": "2026-03-02T10:00:00+05:00", "employee_iin": employee()})
}

async fn set_policy(app: &TestApp, org: &str, policy: &str) -> (StatusCode, Value) {
    app.send(
        reqwest::Method::PUT,
        Some(&app.admin),
        &format!("/api/v1/organizations/{org}"),
        Some(&json!({"signature_policy": policy})),
        None,
    )
    .await
}

pub(crate) async fn setup(app: &TestApp, policy: &str) -> String {
    app.seed().await;
    let (s, body) = set_policy(app, ORG, policy).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["signature_policy"], policy);
    app.token_for(ORG).await
}

/// Both forms are accepted under "required", for the registration, single events and a
/// batch; the timeline returns each signature's report and every entry's ledger position.
async fn signed_forms_are_accepted_with_their_evidence(app: &TestApp) {
    let f = fixture();
    let token = setup(app, "required").await;
    let (s, reg) = app
        .post(
            &token,
            "/api/v1/applications",
            detached(&f.pki, &f.good, &registration()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{reg}");
    let number = reg["number"].as_str().unwrap().to_string();

    let sent = stage("sent_for_execution", "2026-03-02T11:00:00+05:00");
    let (s, body) = app
        .event(&token, &number, attached(&f.pki, &f.good, &sent))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    // A retry of the same signed event is answered with its first result.
    let (s, _) = app
        .event(&token, &number, attached(&f.pki, &f.good, &sent))
        .await;
    assert_eq!(s, StatusCode::OK);

    let mut taken = stage("taken_into_work", "2026-03-02T12:00:00+05:00");
    taken["employee_iin"] = json!(employee());
    let (s, body) = app
        .event(&token, &number, detached(&f.pki, &f.ec, &taken))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");

    // A batch: attached, detached, and one whose data was changed after signing.
    let mut executed = stage("executed", "2026-03-03T10:00:00+05:00");
    executed["number"] = json!(number);
    let mut ready = stage("ready_for_issue", "2026-03-03T11:00:00+05:00");
    ready["number"] = json!(number);
    let mut forged = detached(&f.pki, &f.good, &ready);
    forged["event"]["occurred_at"] = json!("2026-03-03T11:30:00+05:00");
    let (s, batch) = app
        .post(
            &token,
            "/api/v1/events/batch",
            json!({"events": [attached(&f.pki, &f.good, &executed), forged, detached(&f.pki, &f.good, &ready)]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{batch}");
    assert_eq!(batch["recorded"], 2, "{batch}");
    assert_eq!(batch["results"][1]["error"]["code"], "signature_invalid");
    assert_eq!(batch["results"][1]["error"]["field"], "events[1].signature");

    let (s, detail) = app
        .get(&token, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{detail}");
    let reg_sig = &detail["registration"]["signature"];
    assert_eq!(reg_sig["form"], "detached");
    assert_eq!(reg_sig["report"]["signer"]["bin"], org_bin());
    assert_eq!(reg_sig["report"]["signer"]["iin"], employee());
    assert_eq!(reg_sig["report"]["result"], "valid");
    assert!(reg_sig["report"]["certificate"]["serial"].is_string());
    assert_eq!(reg_sig["report"]["revocation"][0]["status"], "good");
    assert!(
        detail["registration"]["ledger"]["position"]
            .as_i64()
            .unwrap()
            >= 1
    );
    let events = detail["events"].as_array().unwrap();
    assert_eq!(events.len(), 4, "{detail}");
    let forms: Vec<&str> = events
        .iter()
        .map(|e| e["signature"]["form"].as_str().unwrap())
        .collect();
    assert_eq!(forms, ["attached", "detached", "attached", "detached"]);
    // ECDSA (ansi-X9-62 signatures, 1.2.840.10045.4.*) beside RSA.
    let algorithm = events[1]["signature"]["report"]["signature_algorithm"]
        .as_str()
        .unwrap();
    assert!(algorithm.starts_with("1.2.840.10045.4."), "{algorithm}");
    let positions: Vec<i64> = events
        .iter()
        .map(|e| e["ledger"]["position"].as_i64().unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
}

/// The employee signs the acceptance at the counter (001 §8): under the branch's "required"
/// policy a plain acceptance is refused and nothing is written; signed by the branch's
/// employee whose IIN it names, the application is registered with the signature's evidence.
async fn an_acceptance_is_signed_by_the_employee(app: &TestApp) {
    let f = fixture();
    crate::acceptances::setup(app).await;
    let (s, body) = set_policy(app, "GOV-1", "required").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let staff = app.token_for("GOV-1").await;
    let mut req = crate::acceptances::request(crate::acceptances::complete());
    req["not_applicable"] = json!(["privilege"]);
    req["employee_iin"] = json!(employee());
    let (s, e) = app.post(&staff, "/api/v1/acceptances", req.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "signature_required", "{e}");
    let (_, list) = app.get(&app.admin, "/api/v1/applications").await;
    assert_eq!(list["items"], json!([]), "nothing registered: {list}");

    // Another employee's IIN than the signer's: refused.
    let mut other = req.clone();
    other["employee_iin"] = json!(iin(51));
    let (s, e) = app
        .post(
            &staff,
            "/api/v1/acceptances",
            detached(&f.pki, &f.branch, &other),
        )
        .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("employee_iin")),
        "{e}"
    );

    let (s, a) = app
        .post(
            &staff,
            "/api/v1/acceptances",
            detached(&f.pki, &f.branch, &req),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!(a["outcome"], "accepted");
    let number = a["application"]["number"].as_str().unwrap();
    let (_, detail) = app
        .get(&staff, &format!("/api/v1/applications/{number}"))
        .await;
    let sig = &detail["registration"]["signature"];
    assert_eq!(
        (sig["form"].as_str(), sig["report"]["result"].as_str()),
        (Some("detached"), Some("valid")),
        "{detail}"
    );
    assert_eq!(sig["report"]["signer"]["iin"], employee());
}

/// Under "required", every failure is refused with its reason, and nothing is stored.
async fn each_failure_is_refused_with_its_reason(app: &TestApp) {
    let f = fixture();
    let token = setup(app, "required").await;
    // Registration unsigned: refused.
    let (s, body) = app
        .post(&token, "/api/v1/applications", registration())
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "signature_required");
    let (s, reg) = app
        .post(
            &token,
            "/api/v1/applications",
            attached(&f.pki, &f.good, &registration()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{reg}");
    let number = reg["number"].as_str().unwrap().to_string();

    let ev = stage("sent_for_execution", "2026-03-02T11:00:00+05:00");
    let mut wrong_employee = ev.clone();
    wrong_employee["employee_iin"] = json!(iin(51));
    let mut gost = f
        .pki
        .sign(&f.good, &serde_json::to_vec(&ev).unwrap(), true, &[]);
    qyzmet_signature::testing::claim_gost(&mut gost);
    let mut altered = detached(&f.pki, &f.good, &ev);
    altered["event"]["stage"] = json!("taken_into_work");
    let cases: Vec<(Value, &str, &str)> = vec![
        (ev.clone(), "signature_required", "signature"),
        (
            json!({"signed": "not base64!"}),
            "signature_malformed",
            "signed",
        ),
        (
            json!({"signed": b64(b"not a CMS")}),
            "signature_malformed",
            "signed",
        ),
        (altered, "signature_invalid", "signature"),
        (
            attached(&f.pki, &f.expired, &ev),
            "certificate_expired",
            "signed",
        ),
        (
            attached(&f.pki, &f.future, &ev),
            "certificate_not_yet_valid",
            "signed",
        ),
        (
            attached(&f.pki, &f.revoked, &ev),
            "certificate_revoked",
            "signed",
        ),
        (
            attached(&f.pki, &f.other_bin, &ev),
            "signer_bin_mismatch",
            "signed",
        ),
        (
            attached(&f.pki, &f.no_role, &ev),
            "signer_role_missing",
            "signed",
        ),
        (
            attached(&f.foreign, &f.foreign_leaf, &ev),
            "certificate_untrusted",
            "signed",
        ),
        (
            attached(&f.pki, &f.good, &wrong_employee),
            "signer_iin_mismatch",
            "employee_iin",
        ),
        (
            json!({"signed": b64(&gost)}),
            "signature_algorithm_unsupported",
            "signed",
        ),
    ];
    for (body, code, field) in cases {
        let (s, resp) = app.event(&token, &number, body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{code}: {resp}");
        assert_eq!(resp["error"]["code"], code, "{resp}");
        assert_eq!(resp["error"]["field"], field, "{resp}");
    }
    // The reason in the caller's language, with the facts.
    let (_, body) = app
        .send(
            reqwest::Method::POST,
            Some(&token),
            &format!("/api/v1/applications/{number}/events"),
            Some(&attached(&f.pki, &f.revoked, &ev)),
            Some("ru"),
        )
        .await;
    let msg = body["error"]["message"].as_str().unwrap();
    assert!(msg.contains("отозван"), "{msg}");
    // Nothing of all that was stored.
    let (_, detail) = app
        .get(&token, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(detail["events"].as_array().unwrap().len(), 0, "{detail}");
    assert_eq!(detail["stage"], "accepted");
}

/// "optional" takes unsigned and signed data, still refusing a bad signature; "off" refuses
/// the signed forms; only administrators change the policy, to a known value.
async fn policies_optional_and_off(app: &TestApp) {
    let f = fixture();
    let token = setup(app, "optional").await;
    let reg = app
        .register(&token, "SVC-WD5", ORG, "2026-03-02T10:00:00+05:00")
        .await;
    let number = reg["number"].as_str().unwrap().to_string();
    let (s, body) = app
        .event(
            &token,
            &number,
            stage("sent_for_execution", "2026-03-02T11:00:00+05:00"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let taken = stage("taken_into_work", "2026-03-02T12:00:00+05:00");
    let mut forged = detached(&f.pki, &f.good, &taken);
    forged["event"]["occurred_at"] = json!("2026-03-02T12:05:00+05:00");
    let (s, body) = app.event(&token, &number, forged).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "signature_invalid");
    let (s, body) = app
        .event(&token, &number, attached(&f.pki, &f.good, &taken))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");

    let (s, _) = set_policy(app, ORG, "off").await;
    assert_eq!(s, StatusCode::OK);
    let executed = stage("executed", "2026-03-03T10:00:00+05:00");
    let (s, body) = app
        .event(&token, &number, attached(&f.pki, &f.good, &executed))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "signature_not_accepted");
    let (s, body) = app.event(&token, &number, executed).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");

    // Administrators only, known values only, known organizations only.
    let (s, body) = app
        .send(
            reqwest::Method::PUT,
            Some(&token),
            &format!("/api/v1/organizations/{ORG}"),
            Some(&json!({"signature_policy": "required"})),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    let (s, body) = set_policy(app, ORG, "sometimes").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "signature_policy");
    let (s, _) = set_policy(app, "NOWHERE", "required").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, org) = app
        .get(&token, &format!("/api/v1/organizations/{ORG}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(org["signature_policy"], "off");
}

/// A PKI whose lists are published only at their distribution points, served on loopback.
struct CdpFixture {
    server: MockServer,
    pki: TestPki,
    good: Leaf,
    revoked: Leaf,
}

fn cdp_fixture() -> &'static CdpFixture {
    static F: OnceLock<CdpFixture> = OnceLock::new();
    F.get_or_init(|| {
        let server = MockServer::start();
        let pki = TestPki::with_crl_url("qyzmet CDP test root", &server.base_url());
        let spec = LeafSpec::employee(&employee(), &org_bin());
        let good = pki.issue(&spec);
        let revoked = pki.issue(&spec);
        pki.revoke(&revoked);
        pki.publish_crls();
        server.route("/root.crl", Reply::File(pki.root_crl()));
        server.route("/nca.crl", Reply::File(pki.nca_crl()));
        CdpFixture {
            server,
            pki,
            good,
            revoked,
        }
    })
}

fn configure_cdp(c: &mut Config) {
    let f = cdp_fixture();
    c.trust_dir = Some(f.pki.trust_dir.clone());
    c.crl_dir = None;
    c.crl_fetch = true;
}

/// With no CRL file at all, the lists come from the certificates' distribution points: the
/// issuing CA's list, named only by the signer's certificate, is fetched when its first
/// signature arrives, and a revocation published there is honoured.
async fn revocation_lists_come_from_distribution_points(app: &TestApp) {
    let f = cdp_fixture();
    let token = setup(app, "required").await;
    let (s, reg) = app
        .post(
            &token,
            "/api/v1/applications",
            attached(&f.pki, &f.good, &registration()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{reg}");
    let number = reg["number"].as_str().unwrap().to_string();
    let ev = stage("sent_for_execution", "2026-03-02T11:00:00+05:00");
    let (s, body) = app
        .event(&token, &number, attached(&f.pki, &f.revoked, &ev))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "certificate_revoked");
    let (_, detail) = app
        .get(&token, &format!("/api/v1/applications/{number}"))
        .await;
    let checks = detail["registration"]["signature"]["report"]["revocation"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        checks.iter().any(|c| c["status"] == "good"
            && c["source"]
                .as_str()
                .unwrap_or("")
                .contains(&f.server.url("/nca.crl"))),
        "{checks:?}"
    );
    assert!(f.server.received().iter().any(|r| r.path == "/nca.crl"));
}

mod cdp {
    use super::*;
    crate::both!(with configure_cdp; revocation_lists_come_from_distribution_points);
}

crate::both!(with configure;
    signed_forms_are_accepted_with_their_evidence,
    each_failure_is_refused_with_its_reason,
    policies_optional_and_off,
    an_acceptance_is_signed_by_the_employee,
);
