//! Revocation lists fetched from the distribution points the certificates name, cached, and
//! refreshed: a revocation published only there is honoured, a failing point keeps the last
//! good copy (also across a restart without network), a forged list is rejected.

use crate::{expect_org, BIN, DATA, IIN};
use jiff::{SignedDuration, Timestamp};
use qyzmet_signature::testing::http::{MockServer, Reply};
use qyzmet_signature::testing::{LeafSpec, TestPki};
use qyzmet_signature::{
    distribution_points, CrlFetcher, CrlSet, FetchError, Policy, Signed, StaleCrl, TrustStore,
    UrlOutcome, UrlReport, Verifier,
};
use std::time::Duration;

fn fetcher() -> CrlFetcher {
    CrlFetcher::new(Duration::from_secs(5))
}

fn cert(path: &std::path::Path) -> openssl::x509::X509 {
    openssl::x509::X509::from_pem(&std::fs::read(path).expect("read")).expect("certificate")
}

/// A PKI whose certificates point at `server`, which serves its current CRLs.
fn published(name: &str, server: &MockServer) -> TestPki {
    let pki = TestPki::with_crl_url(name, &server.base_url());
    server.route("/root.crl", Reply::File(pki.root_crl()));
    server.route("/nca.crl", Reply::File(pki.nca_crl()));
    pki
}

/// A verifier with no local CRL at all: every list must come from a distribution point.
fn bare(pki: &TestPki, policy: Policy) -> Verifier {
    let trust = TrustStore::load_dir(&pki.trust_dir).expect("trust");
    Verifier::new(trust, CrlSet::default(), policy)
}

fn outcome<'a>(reports: &'a [UrlReport], url: &str) -> &'a UrlOutcome {
    &reports
        .iter()
        .find(|r| r.url == url)
        .unwrap_or_else(|| panic!("no report for {url}: {reports:?}"))
        .outcome
}

fn code(v: &Verifier, sig: &[u8], at: Timestamp) -> &'static str {
    match v.verify(Signed::Attached(sig), &expect_org(), at) {
        Ok(_) => "accepted",
        Err(e) => e.code(),
    }
}

#[test]
fn certificates_name_their_issuers_lists_and_the_verifier_collects_them() {
    let base = "http://crl.test/pki";
    let pki = TestPki::with_crl_url("CDP Names", base);
    let leaf = pki.issue(&LeafSpec::employee(IIN, BIN));
    assert_eq!(
        distribution_points(&cert(&leaf.cert)),
        vec![format!("{base}/nca.crl")]
    );
    assert_eq!(
        distribution_points(&cert(&pki.intermediate())),
        vec![format!("{base}/root.crl")]
    );
    let mut spec = LeafSpec::employee(IIN, BIN);
    spec.crl_url = Some("ldap://ldap.test/cn=NCA?certificateRevocationList".into());
    let ldap = pki.issue(&spec);
    assert!(distribution_points(&cert(&ldap.cert)).is_empty());
    let plain = TestPki::new("CDP None");
    let none = plain.issue(&LeafSpec::employee(IIN, BIN));
    assert!(distribution_points(&cert(&none.cert)).is_empty());

    // The trust store names the root's list; the NCA's only once a leaf has been seen.
    let trust = TrustStore::load_dir(&pki.trust_dir).expect("trust");
    let crls = CrlSet::load_dir(&pki.crl_dir, &trust).expect("crls");
    let v = Verifier::new(trust, crls, Policy::default());
    assert_eq!(v.distribution_points(), vec![format!("{base}/root.crl")]);
    let sig = pki.sign(&leaf, DATA, true, &[]);
    assert_eq!(code(&v, &sig, Timestamp::now()), "accepted");
    assert_eq!(
        v.distribution_points(),
        vec![format!("{base}/nca.crl"), format!("{base}/root.crl")]
    );
}

#[test]
fn a_revocation_published_only_at_the_distribution_point_is_honoured() {
    let server = MockServer::start();
    let pki = published("CDP Revoke", &server);
    let leaf = pki.issue(&LeafSpec::employee(IIN, BIN));
    let sig = pki.sign(&leaf, DATA, true, &[]);
    let cache = tempfile::tempdir().expect("cache");
    let v = bare(&pki, Policy::default());
    let now = Timestamp::now();
    assert_eq!(
        code(&v, &sig, now),
        "certificate_revocation_unknown",
        "no list before the first refresh"
    );

    let reports = v
        .refresh_crls(None, cache.path(), &fetcher())
        .expect("refresh");
    for path in ["/nca.crl", "/root.crl"] {
        let o = outcome(&reports, &server.url(path));
        assert!(matches!(o, UrlOutcome::Ok { .. }), "{path}: {o:?}");
    }
    let accepted = v
        .verify(Signed::Attached(&sig), &expect_org(), now)
        .expect("not revoked yet");
    let sources: Vec<_> = accepted
        .report
        .revocation
        .iter()
        .map(|r| r.source.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        sources,
        vec![server.url("/nca.crl"), server.url("/root.crl")],
        "leaf against the NCA's list, NCA against the root's"
    );

    pki.revoke(&leaf);
    assert_eq!(
        code(&v, &sig, now),
        "accepted",
        "the lists in force are those of the last refresh"
    );
    v.refresh_crls(None, cache.path(), &fetcher())
        .expect("refresh");
    assert_eq!(code(&v, &sig, now), "certificate_revoked");
    let other = pki.issue(&LeafSpec::employee(IIN, BIN));
    assert_eq!(
        code(&v, &pki.sign(&other, DATA, true, &[]), now),
        "accepted"
    );
}

#[test]
fn a_failing_distribution_point_keeps_the_last_good_list_even_after_a_restart() {
    let server = MockServer::start();
    let pki = published("CDP Cache", &server);
    let leaf = pki.issue(&LeafSpec::employee(IIN, BIN));
    pki.revoke(&leaf);
    let sig = pki.sign(&leaf, DATA, true, &[]);
    let cache = tempfile::tempdir().expect("cache");
    let nca = server.url("/nca.crl");
    let root = server.url("/root.crl");
    let now = Timestamp::now();
    let v = bare(&pki, Policy::default());
    let _ = code(&v, &sig, now); // the leaf is seen: its distribution point is known
    v.refresh_crls(None, cache.path(), &fetcher())
        .expect("refresh");
    assert_eq!(code(&v, &sig, now), "certificate_revoked");

    server.route("/nca.crl", Reply::status(404));
    let reports = v
        .refresh_crls(None, cache.path(), &fetcher())
        .expect("refresh");
    assert_eq!(
        outcome(&reports, &nca),
        &UrlOutcome::Failed {
            error: FetchError::Status { status: 404 },
            cached: true
        }
    );
    assert_eq!(
        code(&v, &sig, now),
        "certificate_revoked",
        "the cached list stays in force"
    );
    let inter = cert(&pki.intermediate());
    let crls = v.crls();
    let list = crls.for_issuer(&inter).expect("the NCA's list");
    assert_eq!(list.source, format!("{nca} (cached)"));

    // Without the cache the same failure leaves no list at all.
    let empty = tempfile::tempdir().expect("cache");
    let fresh = bare(&pki, Policy::default());
    let _ = code(&fresh, &sig, now);
    fresh
        .refresh_crls(None, empty.path(), &fetcher())
        .expect("refresh");
    assert_eq!(code(&fresh, &sig, now), "certificate_revocation_unknown");

    // A restart without network: a new verifier that has seen no signer yet still gets the
    // NCA's list, whose URL the cache remembers.
    drop(server);
    let restarted = bare(&pki, Policy::default());
    let reports = restarted
        .refresh_crls(None, cache.path(), &fetcher())
        .expect("refresh");
    for url in [&nca, &root] {
        let o = outcome(&reports, url);
        assert!(
            matches!(
                o,
                UrlOutcome::Failed {
                    error: FetchError::Transport { .. },
                    cached: true
                }
            ),
            "{url}: {o:?}"
        );
    }
    assert_eq!(code(&restarted, &sig, now), "certificate_revoked");
}

#[test]
fn a_list_signed_by_a_foreign_key_is_rejected_and_not_cached() {
    let server = MockServer::start();
    let pki = published("CDP Forgery", &server);
    // The same CA names under other keys: a forged list would clear the revocation.
    let forger = TestPki::new("CDP Forgery");
    server.route("/nca.crl", Reply::File(forger.nca_crl()));
    let leaf = pki.issue(&LeafSpec::employee(IIN, BIN));
    pki.revoke(&leaf);
    let sig = pki.sign(&leaf, DATA, true, &[]);
    let cache = tempfile::tempdir().expect("cache");
    let trust = TrustStore::load_dir(&pki.trust_dir).expect("trust");
    let urls = vec![server.url("/nca.crl"), server.url("/root.crl")];
    let refreshed =
        CrlSet::refresh(&trust, None, cache.path(), &urls, &fetcher()).expect("refresh");
    assert_eq!(
        outcome(&refreshed.urls, &urls[0]),
        &UrlOutcome::Rejected { cached: false }
    );
    assert!(matches!(
        outcome(&refreshed.urls, &urls[1]),
        UrlOutcome::Ok { .. }
    ));
    assert_eq!(refreshed.crls.rejected, vec![urls[0].clone()]);
    assert_eq!(refreshed.crls.len(), 1, "the root's list only");
    let cached = std::fs::read_dir(cache.path()).expect("cache").count();
    assert_eq!(cached, 2, "the root's list and its URL");
    let v = Verifier::new(trust, refreshed.crls, Policy::default());
    assert_eq!(
        code(&v, &sig, Timestamp::now()),
        "certificate_revocation_unknown"
    );
}

#[test]
fn fetched_lists_past_their_next_update_follow_the_stale_policy() {
    let server = MockServer::start();
    let pki = published("CDP Stale", &server);
    let leaf = pki.issue(&LeafSpec::employee(IIN, BIN));
    let sig = pki.sign(&leaf, DATA, true, &[]);
    let in_ten_days = Timestamp::now() + SignedDuration::from_hours(24 * 10);
    let open = Policy {
        stale_crl: StaleCrl::FailOpen,
        ..Policy::default()
    };
    for (policy, expected) in [
        (Policy::default(), "certificate_revocation_unknown"),
        (open, "accepted"),
    ] {
        let cache = tempfile::tempdir().expect("cache");
        let v = bare(&pki, policy);
        let _ = code(&v, &sig, Timestamp::now());
        v.refresh_crls(None, cache.path(), &fetcher())
            .expect("refresh");
        assert_eq!(code(&v, &sig, Timestamp::now()), "accepted");
        assert_eq!(code(&v, &sig, in_ten_days), expected);
        if let Ok(ok) = v.verify(Signed::Attached(&sig), &expect_org(), in_ten_days) {
            assert!(ok.report.revocation.iter().all(|r| r.status == "stale"));
        }
    }
}

#[test]
fn each_failing_url_says_why() {
    let server = MockServer::start();
    let pki = TestPki::new("CDP Errors");
    server.route(
        "/slow.crl",
        Reply::Delay(Duration::from_secs(3), Box::new(Reply::File(pki.nca_crl()))),
    );
    server.route(
        "/page.crl",
        Reply::Body {
            status: 200,
            content_type: "text/html".into(),
            body: b"<html>maintenance</html>".to_vec(),
        },
    );
    server.route("/busy.crl", Reply::status(503));
    server.route("/pem.crl", Reply::File(pki.nca_crl()));
    let quick = CrlFetcher::new(Duration::from_millis(300));
    let started = std::time::Instant::now();
    assert_eq!(
        quick.fetch(&server.url("/slow.crl")).unwrap_err(),
        FetchError::Timeout { millis: 300 }
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "timed out early"
    );
    assert!(matches!(
        quick.fetch(&server.url("/page.crl")).unwrap_err(),
        FetchError::NotACrl { .. }
    ));
    assert_eq!(
        quick.fetch(&server.url("/busy.crl")).unwrap_err(),
        FetchError::Status { status: 503 }
    );
    assert_eq!(
        quick.fetch(&server.url("/missing.crl")).unwrap_err(),
        FetchError::Status { status: 404 }
    );
    assert_eq!(
        quick.fetch("ldap://ldap.test/crl").unwrap_err(),
        FetchError::UnsupportedUrl
    );
    // The PKI writes PEM; what is fetched is kept as DER.
    let fetched = quick.fetch(&server.url("/pem.crl")).expect("a CRL");
    assert!(std::fs::read(pki.nca_crl())
        .expect("crl")
        .starts_with(b"-----BEGIN"));
    assert_eq!(fetched.der, fetched.crl.to_der().expect("der"));
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr")
    };
    assert!(matches!(
        quick
            .fetch(&format!("http://{closed}/nca.crl"))
            .unwrap_err(),
        FetchError::Transport { .. }
    ));
}
