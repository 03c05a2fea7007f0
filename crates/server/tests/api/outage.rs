//! The database going away under a running server (issue 15, finding 4).
//!
//! On PostgreSQL a proxy ([`crate::proxy`]) stands between the server and the database and
//! makes it unreachable three ways: the port refused, every session cut, and a dead path that
//! accepts and forwards nothing. In each, the API's lookup, list, registration, single event
//! and batch, a signed-in workstation page and the sign-in form answer 503 with the documented
//! body (JSON `database_unavailable`, or a page in the visitor's language) within the
//! configured deadline; `/readyz` says not ready; nothing attempted during the outage is
//! stored; and once the proxy passes again every endpoint works, without a restart. Sessions
//! terminated by the server itself (SQLSTATE 57P01) and a batch cut in the middle of its
//! transaction are covered too.
//!
//! On SQLite "unreachable" is the file locked by another process past the busy timeout: the
//! writes answer 503, and so do the reads of personal data, whose audit entry cannot be
//! written (finding 6); on PostgreSQL, the audit's table locked does the same to reads.

use crate::browser::{user, Browser, PASSWORD};
use crate::proxy::{upstream_of, Mode, Proxy};
use crate::support::{stage, TestApp};
use qyzmet_server::config::Config;
use qyzmet_server::i18n::{message, Lang};
use qyzmet_store::UserRole;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant};

/// The deadlines the outage tests run with: short, so that an outage costs the suite seconds.
const DATABASE_TIMEOUT_SECS: u64 = 1;
const REQUEST_TIMEOUT_SECS: u64 = 3;

fn short_deadlines(c: &mut Config) {
    c.database_timeout_secs = DATABASE_TIMEOUT_SECS;
    c.request_timeout_secs = REQUEST_TIMEOUT_SECS;
}

/// The latest an answer may come during an outage: the configured request deadline, plus
/// slack for a machine busy with other tests. Not a performance figure: without the deadline
/// a dead path holds a request for minutes, and the old pool waited 5 s on every request.
fn answer_bound() -> Duration {
    Duration::from_secs(REQUEST_TIMEOUT_SECS + 2)
}

/// What an outage check got: the status, the body (JSON, or the text of a page), the time.
struct Answer {
    what: &'static str,
    status: StatusCode,
    body: Value,
    took: Duration,
}

/// Runs a request with a stopwatch; a request still unanswered long after the bound is
/// recorded as such rather than hanging the suite.
async fn timed(what: &'static str, request: impl Future<Output = (StatusCode, Value)>) -> Answer {
    let t0 = Instant::now();
    match tokio::time::timeout(answer_bound() * 4, request).await {
        Ok((status, body)) => Answer {
            what,
            status,
            body,
            took: t0.elapsed(),
        },
        Err(_) => Answer {
            what,
            status: StatusCode::REQUEST_TIMEOUT,
            body: Value::String("no answer (the test gave up)".into()),
            took: t0.elapsed(),
        },
    }
}

/// What exists before the outage: a token, two applications, a signed-in operator and a
/// sign-in form ready to be sent.
struct Scene {
    token: String,
    number: String,
    other: String,
    session: HashMap<String, String>,
}

async fn scene(app: &TestApp) -> Scene {
    app.seed().await;
    user(app, "op.outage", UserRole::Operator, Some("MIN-AST")).await;
    let token = app.token_for("MIN-AST").await;
    let number = app
        .register(&token, "SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00")
        .await["number"]
        .as_str()
        .unwrap()
        .to_string();
    let other = app
        .register(&token, "SVC-WD5", "MIN-AST", "2026-03-20T11:00:00+05:00")
        .await["number"]
        .as_str()
        .unwrap()
        .to_string();
    let mut b = Browser::new(app);
    let signed = b.sign_in("op.outage", PASSWORD).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.html);
    // The visitor's language when the user's own cannot be read: Russian.
    b.cookies.insert("qyzmet_lang".into(), "ru".into());
    let page = b.get("/work").await;
    assert_eq!(page.status, StatusCode::OK);
    Scene {
        token,
        number,
        other,
        session: b.cookies.clone(),
    }
}

/// What the outage's writes were: the registration's external id, the single event and the
/// batch, to send again afterwards.
struct Attempted {
    registration: Value,
    event: Value,
    batch: Value,
}

fn attempted(scene: &Scene, label: &str) -> Attempted {
    Attempted {
        registration: json!({"service_code": "SVC-WD5",
            "applicant": {"iin": crate::support::iin(40), "last_name": "Сериков", "first_name": "Арман"},
            "channel": "provider", "acceptance_place": "MIN-AST", "executor": "MIN-AST",
            "accepted_at": "2026-03-21T10:00:00+05:00", "external_id": format!("outage-{label}")}),
        event: stage("sent_for_execution", "2026-03-20T12:00:00+05:00"),
        batch: json!({"events": [
            {"number": scene.other, "id": uuid::Uuid::new_v4().to_string(), "type": "stage",
             "stage": "sent_for_execution", "occurred_at": "2026-03-20T12:00:00+05:00"},
            {"number": scene.other, "id": uuid::Uuid::new_v4().to_string(), "type": "stage",
             "stage": "taken_into_work", "occurred_at": "2026-03-20T13:00:00+05:00"}]}),
    }
}

/// A page as a `(status, text)` pair.
async fn page(
    app: &TestApp,
    cookies: &HashMap<String, String>,
    method: reqwest::Method,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut b = Browser::new(app);
    b.cookies = cookies.clone();
    let p = b.request(method, path, form).await;
    (p.status, Value::String(p.html))
}

/// What must answer 503 besides the writes and the sign-in.
#[derive(Clone, Copy)]
struct Expect {
    /// The reads of personal data (lookup, list, a signed-in page).
    reads: bool,
    /// `/readyz`.
    readyz: bool,
}

const ALL: Expect = Expect {
    reads: true,
    readyz: true,
};

/// Everything answers 503 as documented, within the bound; returns what was attempted.
async fn everything_is_503(app: &TestApp, scene: &Scene, label: &str, expect: Expect) -> Attempted {
    let tried = attempted(scene, label);
    // A sign-in form fetched before: it needs no database.
    let mut visitor = Browser::new(app);
    visitor.cookies.insert("qyzmet_lang".into(), "ru".into());
    let form = visitor.get("/sign-in").await;
    assert_eq!(form.status, StatusCode::OK);
    let pre = form.field("pre");
    let lookup = format!("/api/v1/applications/{}", scene.number);
    let event = format!("/api/v1/applications/{}/events", scene.number);
    let tok = Some(scene.token.as_str());
    let sign_in = [
        ("username", "op.outage"),
        ("password", PASSWORD),
        ("pre", pre.as_str()),
    ];
    let get = reqwest::Method::GET;
    let post = reqwest::Method::POST;
    let answers = tokio::join!(
        timed(
            "lookup",
            app.send(get.clone(), tok, &lookup, None, Some("ru"))
        ),
        timed(
            "list",
            app.send(get.clone(), tok, "/api/v1/applications", None, Some("en"))
        ),
        timed(
            "registration",
            app.send(
                post.clone(),
                tok,
                "/api/v1/applications",
                Some(&tried.registration),
                Some("kk")
            )
        ),
        timed(
            "event",
            app.send(post.clone(), tok, &event, Some(&tried.event), Some("en"))
        ),
        timed(
            "batch",
            app.send(
                post.clone(),
                tok,
                "/api/v1/events/batch",
                Some(&tried.batch),
                Some("en")
            )
        ),
        timed("page", page(app, &scene.session, get.clone(), "/work", &[])),
        timed(
            "sign-in",
            page(app, &visitor.cookies, post.clone(), "/sign-in", &sign_in)
        ),
        timed("readyz", async {
            let r = app.client.get(app.url("/readyz")).send().await.unwrap();
            (
                r.status(),
                Value::String(r.text().await.unwrap_or_default()),
            )
        }),
    );
    let (a, b, c, d, e, f, g, h) = answers;
    let mut wrong = vec![];
    let mut api = vec![(&c, Lang::Kk), (&d, Lang::En), (&e, Lang::En)];
    let mut pages = vec![&g];
    if expect.reads {
        api.extend([(&a, Lang::Ru), (&b, Lang::En)]);
        pages.push(&f);
    }
    for (answer, lang) in api {
        let expected = message(lang, "error-database-unavailable", &[]);
        if answer.status != StatusCode::SERVICE_UNAVAILABLE
            || answer.body["error"]["code"] != "database_unavailable"
            || answer.body["error"]["message"] != expected.as_str()
        {
            wrong.push(format!(
                "{}: {} {}",
                answer.what, answer.status, answer.body
            ));
        }
    }
    let title = message(Lang::Ru, "page-unavailable-title", &[]);
    for answer in pages {
        let html = answer.body.as_str().unwrap_or_default();
        if answer.status != StatusCode::SERVICE_UNAVAILABLE
            || !html.contains(&title)
            || !html.contains("<html lang=\"ru\">")
        {
            wrong.push(format!(
                "{}: {} {}",
                answer.what,
                answer.status,
                &html[..html.len().min(300)]
            ));
        }
    }
    if expect.readyz && h.status != StatusCode::SERVICE_UNAVAILABLE {
        wrong.push(format!("readyz: {} {}", h.status, h.body));
    }
    for answer in [&a, &b, &c, &d, &e, &f, &g, &h] {
        if answer.took > answer_bound() {
            wrong.push(format!(
                "{}: answered after {:?} (bound {:?})",
                answer.what,
                answer.took,
                answer_bound()
            ));
        }
    }
    assert!(wrong.is_empty(), "{label}: {wrong:#?}");
    tried
}

/// After the outage, without a restart: everything works, and what was attempted during it
/// was not stored (the registration is created now, the events are recorded now).
async fn everything_works_again(app: &TestApp, scene: &Scene, tried: &Attempted) {
    let (s, body) = app
        .post(
            &scene.token,
            "/api/v1/applications",
            tried.registration.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "the outage's registration: {body}");
    let (s, body) = app
        .post(
            &scene.token,
            &format!("/api/v1/applications/{}/events", scene.number),
            tried.event.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "the outage's event: {body}");
    let (s, body) = app
        .post(&scene.token, "/api/v1/events/batch", tried.batch.clone())
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["recorded"], 2, "the outage's batch: {body}");
    let (s, body) = app
        .get(
            &scene.token,
            &format!("/api/v1/applications/{}", scene.number),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = app.get(&scene.token, "/api/v1/applications").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["items"].as_array().map(Vec::len), Some(3), "{body}");
    let (s, html) = page(app, &scene.session, reqwest::Method::GET, "/work", &[]).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let mut b = Browser::new(app);
    let signed = b.sign_in("op.outage", PASSWORD).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.html);
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

/// A server behind a proxy to PostgreSQL; `None` without PostgreSQL (outside CI).
async fn behind_proxy() -> Option<(TestApp, Proxy)> {
    let base = std::env::var("QYZMET_TEST_POSTGRES_URL").ok()?;
    let proxy = Proxy::start(upstream_of(&base)).await;
    let app = TestApp::postgres_routed(short_deadlines, |url| proxy.url_of(url)).await?;
    Some((app, proxy))
}

async fn outage_of(mode: Mode) {
    let Some((app, proxy)) = behind_proxy().await else {
        return;
    };
    let scene = scene(&app).await;
    proxy.set(mode);
    let label = format!("{mode:?}").to_lowercase();
    let tried = everything_is_503(&app, &scene, &label, ALL).await;
    // Again, now that the pool has been through the first round.
    let again = everything_is_503(&app, &scene, &format!("{label}-again"), ALL).await;
    drop(again);
    proxy.set(Mode::Pass);
    everything_works_again(&app, &scene, &tried).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_refused_is_503_and_recovers() {
    outage_of(Mode::Refuse).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_terminated_is_503_and_recovers() {
    outage_of(Mode::Terminate).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_dead_path_is_503_within_the_deadline_and_recovers() {
    outage_of(Mode::Blackhole).await;
}

/// A session of the test holding `table` locked (in an open transaction) on PostgreSQL.
async fn locked(app: &TestApp, table: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(&app.database_url)
        .await
        .unwrap();
    sqlx::raw_sql(&format!(
        "BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"
    ))
    .execute(&mut admin)
    .await
    .unwrap();
    admin
}

/// The server itself ends the sessions (`pg_terminate_backend`: FATAL 57P01 to each client)
/// while requests wait on a lock: those requests answer 503, and the next ones work.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_sessions_terminated_by_the_server_are_503() {
    let Some(app) = TestApp::postgres_with(short_deadlines).await else {
        return;
    };
    let scene = scene(&app).await;
    let mut admin = locked(&app, "applications").await;
    let lookup = format!("/api/v1/applications/{}", scene.number);
    let tried = attempted(&scene, "terminated");
    let waiting = async {
        tokio::join!(
            timed("lookup", app.get(&scene.token, &lookup)),
            timed(
                "registration",
                app.post(
                    &scene.token,
                    "/api/v1/applications",
                    tried.registration.clone()
                )
            ),
            timed(
                "page",
                page(&app, &scene.session, reqwest::Method::GET, "/work", &[])
            ),
        )
    };
    let terminate = async {
        // Until the three requests wait on the lock, then their sessions are ended.
        for _ in 0..100 {
            let waiting: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND wait_event_type = 'Lock'",
            )
            .fetch_one(&mut admin)
            .await
            .unwrap();
            if waiting >= 3 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        sqlx::query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .execute(&mut admin)
        .await
        .unwrap();
        sqlx::raw_sql("ROLLBACK").execute(&mut admin).await.unwrap();
    };
    let ((lookup_answer, registration, page_answer), ()) = tokio::join!(waiting, terminate);
    let mut wrong = vec![];
    for a in [&lookup_answer, &registration] {
        if a.status != StatusCode::SERVICE_UNAVAILABLE
            || a.body["error"]["code"] != "database_unavailable"
        {
            wrong.push(format!("{}: {} {}", a.what, a.status, a.body));
        }
    }
    // The session was read before the lock, so the page is in the user's language (Kazakh).
    let title = message(Lang::Kk, "page-unavailable-title", &[]);
    let html = page_answer.body.as_str().unwrap_or_default();
    if page_answer.status != StatusCode::SERVICE_UNAVAILABLE || !html.contains(&title) {
        wrong.push(format!(
            "page: {} {}",
            page_answer.status,
            &html[..html.len().min(300)]
        ));
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    everything_works_again(&app, &scene, &tried).await;
    app.stop().await;
}

/// A batch whose session is cut in the middle of its transaction is stored whole or not at
/// all; sent again after the outage, it is recorded (or replayed) whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_batch_cut_mid_transaction_is_all_or_nothing() {
    let Some((app, proxy)) = behind_proxy().await else {
        return;
    };
    app.seed().await;
    let token = app.token_for("MIN-AST").await;
    let mut events = vec![];
    for i in 0..40 {
        let number = app
            .register(
                &token,
                "SVC-WD5",
                "MIN-AST",
                &format!("2026-03-20T10:{:02}:00+05:00", i),
            )
            .await["number"]
            .as_str()
            .unwrap()
            .to_string();
        for (s, hour) in [
            ("sent_for_execution", 12),
            ("taken_into_work", 13),
            ("executed", 14),
            ("ready_for_issue", 15),
            ("closed", 16),
        ] {
            let mut e = json!({"number": number, "id": uuid::Uuid::new_v4().to_string(),
                "type": "stage", "stage": s, "occurred_at": format!("2026-03-20T{hour}:00:00+05:00")});
            if s == "closed" {
                e["outcome"] = json!("issued");
            }
            events.push(e);
        }
    }
    let batch = json!({"events": events});
    // Cut once a little more than the transaction's start has gone out: its inserts are
    // tens of kilobytes, its commit comes last.
    proxy.cut_after(2_000);
    let (s, body) = app
        .post(&token, "/api/v1/events/batch", batch.clone())
        .await;
    assert_eq!(proxy.mode(), Mode::Terminate, "the cut did not happen");
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "database_unavailable", "{body}");
    proxy.set(Mode::Pass);
    let stored = count_events(&app).await;
    assert!(
        stored == 0 || stored == 200,
        "half a batch stored: {stored} of 200 events"
    );
    let (s, body) = app.post(&token, "/api/v1/events/batch", batch).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(
        body["recorded"].as_i64().unwrap() + body["replayed"].as_i64().unwrap(),
        200,
        "{body}"
    );
    assert_eq!(count_events(&app).await, 200);
    app.stop().await;
}

/// PostgreSQL answers reads but cannot take the audit's entries (its table locked by
/// another session): a lookup, a list and a signed-in page answer 503 and show nothing
/// (finding 6: before, they answered 200 with the applicant and queued the entry). Once the
/// table is free the reads work, each with its entry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_read_whose_audit_entry_cannot_be_written_shows_nothing() {
    use sqlx::Connection;
    let Some(app) = TestApp::postgres_with(short_deadlines).await else {
        return;
    };
    let scene = scene(&app).await;
    let mut admin = locked(&app, "audit_log").await;
    let lookup = format!("/api/v1/applications/{}", scene.number);
    let (a, b, c) = tokio::join!(
        timed("lookup", app.get(&scene.token, &lookup)),
        timed("list", app.get(&scene.token, "/api/v1/applications")),
        timed(
            "page",
            page(&app, &scene.session, reqwest::Method::GET, "/work", &[])
        ),
    );
    sqlx::raw_sql("ROLLBACK").execute(&mut admin).await.unwrap();
    let mut wrong = vec![];
    for answer in [&a, &b, &c] {
        let text = answer.body.to_string();
        if answer.status != StatusCode::SERVICE_UNAVAILABLE
            || text.contains("Ахметов")
            || answer.took > answer_bound()
        {
            wrong.push(format!(
                "{}: {} after {:?}: {}",
                answer.what,
                answer.status,
                answer.took,
                &text[..text.len().min(300)]
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    let (s, body) = app.get(&scene.token, &lookup).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let reads = app.store.audit_of(&scene.number, 100).await.unwrap();
    assert!(
        reads.iter().any(|e| e.action == "application.read"),
        "{reads:?}"
    );
    admin.close().await.unwrap();
    app.stop().await;
}

/// The events stored, counted directly in PostgreSQL.
async fn count_events(app: &TestApp) -> i64 {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&app.database_url)
        .await
        .unwrap();
    let n = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    n
}

/// SQLite: another process holds the write lock past the busy timeout. Writes answer 503,
/// and so do reads of personal data, whose audit entry cannot be written; nothing is stored,
/// and everything works once the lock is released. Readiness stays: the file answers reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_locked_past_the_busy_timeout_is_503() {
    use sqlx::Connection;
    let app = TestApp::sqlite_with(short_deadlines).await;
    let scene = scene(&app).await;
    let mut holder = sqlx::SqliteConnection::connect(&app.database_url)
        .await
        .unwrap();
    sqlx::raw_sql("BEGIN EXCLUSIVE")
        .execute(&mut holder)
        .await
        .unwrap();
    let expect = Expect {
        reads: true,
        readyz: false,
    };
    let tried = everything_is_503(&app, &scene, "locked", expect).await;
    sqlx::raw_sql("ROLLBACK")
        .execute(&mut holder)
        .await
        .unwrap();
    holder.close().await.unwrap();
    everything_works_again(&app, &scene, &tried).await;
    app.stop().await;
}
