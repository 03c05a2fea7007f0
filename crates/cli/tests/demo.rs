//! The demo data (issue 16, B.11), on SQLite and on PostgreSQL: whatever the dice say, every
//! akimat has an open overdue and a nearing application (the browser suite relies on it),
//! and right after `qyzmet serve --demo` the violations reports of the completed months the
//! data covers are stored, as the monthly job would have stored them.

mod common;

use common::{postgres_base_url, postgres_database, qyzmet, TestDb};
use qyzmet_domain::violation::Month;
use qyzmet_store::{ApplicationFilter, OrgKind, Scope, Store};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The open overdue and the nearing applications executed in each akimat's sub-tree.
async fn pinned_per_akimat(store: &Store) -> Vec<(String, usize, usize)> {
    let orgs = store.every_organization(None).await.expect("organizations");
    let akimats: Vec<_> = orgs
        .iter()
        .filter(|o| o.kind == OrgKind::LocalExecutiveBody)
        .collect();
    assert!(akimats.len() >= 4, "the demo registry has four akimats");
    let mut out = vec![];
    for akimat in akimats {
        let count = |overdue: bool| {
            let filter = ApplicationFilter {
                executor_path: Some(akimat.path.clone()),
                pending: Some(true),
                overdue: overdue.then_some(true),
                nearing: (!overdue).then_some(true),
                ..Default::default()
            };
            async move {
                let (rows, _) = store
                    .applications(&filter, &Scope::Admin, None, 500)
                    .await
                    .expect("applications");
                for a in &rows {
                    assert!(a.stage < qyzmet_domain::stage::Stage::Executed, "open");
                    assert!(!a.suspended, "running");
                }
                rows.len()
            }
        };
        out.push((
            akimat.code.to_string(),
            count(true).await,
            count(false).await,
        ));
    }
    out
}

fn assert_every_akimat_pinned(per: &[(String, usize, usize)]) {
    for (akimat, overdue, nearing) in per {
        assert!(
            *overdue >= 1,
            "{akimat}: no open overdue application ({per:?})"
        );
        assert!(*nearing >= 1, "{akimat}: no nearing application ({per:?})");
    }
}

/// `demo generate` with few applications (so that chance alone would often miss an akimat),
/// three times over: each time every akimat has both.
async fn generated_demo_pins_every_akimat(db: &TestDb) {
    for round in 0..3 {
        let (code, _, err) = qyzmet(&[
            "demo",
            "generate",
            "--applications",
            "12",
            "--quiet",
            "--database",
            &db.url,
        ]);
        assert_eq!(code, 0, "round {round}: {err}");
        let store = Store::connect(&db.url, &Default::default())
            .await
            .expect("connect");
        let per = pinned_per_akimat(&store).await;
        assert_eq!(
            store.count_applications().await.expect("count"),
            12 * (round + 1),
            "the pinned applications count in --applications"
        );
        assert_every_akimat_pinned(&per);
        store.close().await;
    }
}

/// A running `qyzmet serve --demo`.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `serve --demo` on an empty database until it is ready; then the reports and the pinned
/// applications are looked at in the database.
async fn served_demo_has_past_reports(db: &TestDb) {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_qyzmet"))
            .args([
                "serve",
                "--demo",
                "--database",
                &db.url,
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .env_remove("QYZMET_DATABASE_URL")
            .env("QYZMET_LEDGER_KEY_FILE", dir.path().join("ledger-key.pem"))
            .env("QYZMET_CRL_CACHE_DIR", dir.path().join("crl-cache"))
            .env("QYZMET_CRL_FETCH", "false")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start qyzmet serve --demo"),
    );
    let client = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..1200 {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
        {
            if r.status().is_success() {
                ready = true;
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(ready, "serve --demo did not become ready");
    let store = Store::connect(&db.url, &Default::default())
        .await
        .expect("connect");
    // The demo spreads acceptances over the 90 days before now: every completed month they
    // touch has its stored report, generated as the job does (cause `schedule`).
    let today = jiff::Zoned::now()
        .with_time_zone(qyzmet_domain::zone::almaty().clone())
        .date();
    let first = Month::of(today.checked_sub(jiff::ToSpan::days(90)).expect("date"));
    let mut month = Month::of(today).previous();
    let mut months = 0;
    while month >= first {
        let versions = store
            .violation_report_versions(month)
            .await
            .expect("versions");
        assert_eq!(versions.len(), 1, "{month}: one stored version");
        assert_eq!(versions[0].cause, "schedule", "{month}");
        months += 1;
        month = month.previous();
    }
    assert!(months >= 3, "90 days touch three completed months at least");
    assert!(
        store
            .violation_report_versions(Month::of(today))
            .await
            .expect("versions")
            .is_empty(),
        "the current month is not complete"
    );
    assert_every_akimat_pinned(&pinned_per_akimat(&store).await);
    store.close().await;
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_demo_pins_every_akimat() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = TestDb {
        url: format!("sqlite://{}", dir.path().join("demo.db").display()),
        pg: None,
    };
    generated_demo_pins_every_akimat(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_demo_pins_every_akimat() {
    let Some(base) = postgres_base_url() else {
        eprintln!("skipping: QYZMET_TEST_POSTGRES_URL is not set");
        return;
    };
    let db = postgres_database(&base, None).await;
    generated_demo_pins_every_akimat(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_serve_demo_stores_past_reports() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = TestDb {
        url: format!("sqlite://{}", dir.path().join("served.db").display()),
        pg: None,
    };
    served_demo_has_past_reports(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_serve_demo_stores_past_reports() {
    let Some(base) = postgres_base_url() else {
        eprintln!("skipping: QYZMET_TEST_POSTGRES_URL is not set");
        return;
    };
    let db = postgres_database(&base, None).await;
    served_demo_has_past_reports(&db).await;
}
