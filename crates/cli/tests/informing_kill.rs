//! kill -9 while delivering (issue 17, point 6), on SQLite and on PostgreSQL: applications are
//! registered with applicants' e-mail addresses while no mail server is configured (their
//! messages wait in the outbox); then `qyzmet serve` delivers them to a real SMTP server
//! (aiosmtpd, `scripts/smtp_sink.py`) and is killed with SIGKILL twice in the middle of it,
//! and started again each time. Afterwards every message has reached the SMTP server — counted
//! by Message-ID, none lost — and the outbox shows each as sent. A message the server accepted
//! but whose acceptance the killed node had not yet recorded is sent again, with the same
//! Message-ID: those are counted and reported, and bounded by what one node has in flight.

mod common;

use common::{postgres_base_url, postgres_database, qyzmet, Server, TestDb};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

/// Applications registered, hence e-mail messages to deliver.
const MESSAGES: usize = 1200;
const CLIENTS: usize = 8;
/// Messages one node sends at once (`informing_concurrency`).
const CONCURRENCY: usize = 16;
/// Results one node records together (`RECORD_GROUP` in the delivery job).
const RECORD_GROUP: usize = 32;
const PLACE: &str = "AKIM-AST-ARC";
const SERVICE: &str = "ARCH-001";

#[path = "../../server/tests/api/smtp_sink.rs"]
mod smtp_sink;
use smtp_sink::SmtpSink;

/// Message-IDs the SMTP server received so far, in order.
fn ids(sink: &SmtpSink) -> Vec<String> {
    sink.messages()
        .iter()
        .map(|v| v["message_id"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn serve(url: &str, dir: &Path, smtp: Option<u16>) -> Server {
    Server::start(
        &["--database", url],
        |c| {
            c.env_remove("QYZMET_DATABASE_URL")
                .env("QYZMET_LEDGER_KEY_FILE", dir.join("ledger-key.pem"))
                .env("QYZMET_CRL_CACHE_DIR", dir.join("crl-cache"))
                .env("QYZMET_CRL_FETCH", "false")
                .env("QYZMET_INFORMING_INTERVAL_MS", "20")
                .env("QYZMET_INFORMING_CONCURRENCY", CONCURRENCY.to_string())
                .env("QYZMET_SMTP_FROM", "qyzmet <noreply@qyzmet.test>")
                .env("RUST_LOG", "error");
            match smtp {
                Some(port) => c.env("QYZMET_SMTP_URL", format!("smtp://127.0.0.1:{port}")),
                None => c.env_remove("QYZMET_SMTP_URL"),
            };
        },
        None,
        Duration::from_secs(20),
    )
    .await
}

/// Registers `MESSAGES` applications with an applicant's e-mail, from `CLIENTS` clients.
async fn register_all(base: &str, token: &str) {
    let accepted = (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(2)).to_string();
    let per = MESSAGES / CLIENTS;
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (base, token, accepted) = (base.to_string(), token.to_string(), accepted.clone());
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                for i in 0..per {
                    let body = json!({"service_code": SERVICE,
                        "applicant": {"iin": "900101300017", "last_name": "Ахметов", "first_name": "Айбек",
                                      "contact": {"email": format!("applicant{c}-{i}@mail.kz"), "language": "kk"}},
                        "channel": "provider", "acceptance_place": PLACE, "executor": PLACE,
                        "accepted_at": accepted});
                    let r = http
                        .post(format!("{base}/api/v1/applications"))
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                        .await
                        .expect("register");
                    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("client");
    }
}

async fn outbox_counts(base: &str, admin: &str) -> Value {
    let r = reqwest::Client::new()
        .get(format!("{base}/api/v1/outbox?channel=email&limit=1"))
        .bearer_auth(admin)
        .send()
        .await
        .expect("outbox");
    assert_eq!(r.status(), 200);
    r.json::<Value>().await.expect("json")["counts"].clone()
}

async fn kill_while_delivering(url: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    // The demo registry, with its services' passports (which flag acceptance).
    let (code, _, err) = qyzmet(&[
        "demo",
        "generate",
        "--applications",
        "0",
        "--quiet",
        "--database",
        url,
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, token, err) = qyzmet(&["token", "create", "--org", "AKIM-AST", "--database", url]);
    assert_eq!(code, 0, "{err}");
    let (code, admin, err) = qyzmet(&["token", "create", "--admin", "--database", url]);
    assert_eq!(code, 0, "{err}");
    let (token, admin) = (token.trim().to_string(), admin.trim().to_string());

    // Registered while no mail server is configured: every message waits.
    let server = serve(url, dir.path(), None).await;
    register_all(&server.base, &token).await;
    let counts = outbox_counts(&server.base, &admin).await;
    assert_eq!(counts["pending"], MESSAGES as u64, "{counts}");
    drop(server);

    // Delivered, killed at a fifth and at a half.
    let mut kills = 0;
    for share in [5, 2] {
        let mut server = serve(url, dir.path(), Some(sink.port)).await;
        let started = std::time::Instant::now();
        while ids(&sink).len() < MESSAGES / share {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "delivery stalled"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.child.kill().expect("SIGKILL");
        server.child.wait().expect("reaped");
        kills += 1;
    }
    let server = serve(url, dir.path(), Some(sink.port)).await;
    let started = std::time::Instant::now();
    let counts = loop {
        let c = outbox_counts(&server.base, &admin).await;
        if c["sent"] == MESSAGES as u64 {
            break c;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "not all sent: {c}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(counts["pending"], 0, "{counts}");
    assert_eq!(counts["failed"], 0, "{counts}");
    assert_eq!(counts["dead"], 0, "{counts}");

    let ids = ids(&sink);
    let mut times: HashMap<&str, usize> = HashMap::new();
    for id in &ids {
        *times.entry(id.as_str()).or_default() += 1;
    }
    let twice: usize = times.values().map(|n| n - 1).sum();
    eprintln!(
        "{url}: {} messages, {} received by the SMTP server, {} distinct Message-IDs, \
         {twice} sent again after {kills} kills",
        MESSAGES,
        ids.len(),
        times.len()
    );
    // None lost.
    assert_eq!(
        times.len(),
        MESSAGES,
        "every message reached the SMTP server"
    );
    assert!(times.keys().all(|id| id.ends_with("@qyzmet.test>")));
    // Twice only what a killed node had accepted and not yet recorded.
    assert!(
        twice <= kills * (CONCURRENCY + RECORD_GROUP),
        "{twice} messages sent twice after {kills} kills"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_message_is_delivered_once_across_kills_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = TestDb {
        url: format!("sqlite://{}", dir.path().join("qyzmet.db").display()),
        pg: None,
    };
    kill_while_delivering(&db.url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_message_is_delivered_once_across_kills_postgres() {
    let Some(base) = postgres_base_url() else {
        return;
    };
    let db = postgres_database(&base, None).await;
    kill_while_delivering(&db.url).await;
}
