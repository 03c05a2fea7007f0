//! Informing (issue 17; 000 §2), on both backends, through the real server and real peers: a
//! real SMTP server (aiosmtpd, `scripts/smtp_sink.py`) receives the applicant's e-mail at each
//! stage the passport flags, in the applicant's language, with the status page's address; an
//! SMS gateway that answers as Mobizon's API documents takes the SMS; a provider system's
//! webhook receives every event, signed, and a failed post is retried with its idempotency
//! key until it is taken or given up; administrators see the outbox and retry; concurrent
//! and repeated events write one message each.

use crate::browser::{user, Browser, PASSWORD};
use crate::passports::complete_passport;
use crate::support::{iin, stage, TestApp};
use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use qyzmet_server::config::Config;
use qyzmet_store::UserRole;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::smtp_sink::SmtpSink;

/// What the test's peers (the webhook receiver, the SMS gateway) were sent.
#[derive(Default)]
struct Peer {
    posts: Vec<(HeaderMap, String)>,
    sms: Vec<HashMap<String, String>>,
    /// Keys whose first post is answered 503.
    fail_first: bool,
    /// Every post answered 503.
    fail_all: bool,
    seen: std::collections::HashSet<String>,
}

type Shared = Arc<Mutex<Peer>>;

async fn hook(State(p): State<Shared>, headers: HeaderMap, body: String) -> StatusCode {
    let mut p = p.lock().unwrap();
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let first = p.seen.insert(key);
    p.posts.push((headers, body));
    if p.fail_all || (p.fail_first && first) {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::NO_CONTENT
    }
}

/// `POST /service/Message/SendSmsMessage?output=json&api=v1&apiKey=…` as Mobizon documents it.
async fn mobizon(
    State(p): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Json<Value> {
    if q.get("apiKey").map(String::as_str) != Some("test-key")
        || q.get("api").map(String::as_str) != Some("v1")
    {
        return Json(json!({"code": 8, "data": [], "message": "Auth failed"}));
    }
    let recipient = f.get("recipient").cloned().unwrap_or_default();
    let mut p = p.lock().unwrap();
    let n = p.sms.len();
    p.sms.push(f);
    if recipient.ends_with("00") {
        return Json(
            json!({"code": 1, "data": {"recipient": "invalid"}, "message": "Неверный номер"}),
        );
    }
    Json(
        json!({"code": 0, "data": {"campaignId": "1", "messageId": format!("m{n}"), "status": 1}, "message": ""}),
    )
}

/// `POST /service/Message/GetSMSStatus?…` as Mobizon documents it: every id the gateway gave
/// is reported delivered.
async fn mobizon_status(
    State(p): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<Vec<(String, String)>>,
) -> Json<Value> {
    if q.get("apiKey").map(String::as_str) != Some("test-key") {
        return Json(json!({"code": 8, "data": [], "message": "Auth failed"}));
    }
    let sent = p.lock().unwrap().sms.len();
    let data: Vec<Value> = f
        .iter()
        .filter(|(k, _)| k == "ids[]")
        .filter(|(_, id)| {
            id.strip_prefix('m')
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|n| n < sent)
        })
        .map(|(_, id)| json!({"id": id, "status": "DELIVRD", "segNum": "1"}))
        .collect();
    Json(json!({"code": 0, "data": data, "message": ""}))
}

/// Starts the peers on a free port; their base URL.
async fn peers(p: Shared) -> String {
    let app = Router::new()
        .route("/hook", post(hook))
        .route("/service/Message/SendSmsMessage", post(mobizon))
        .route("/service/Message/GetSMSStatus", post(mobizon_status))
        .with_state(p);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// The configuration of a server that informs through `smtp` and the peers at `peers`.
fn informing(c: &mut Config, smtp: u16, peers: &str) {
    c.smtp_url = Some(format!("smtp://127.0.0.1:{smtp}"));
    c.smtp_from = "qyzmet <noreply@qyzmet.test>".into();
    c.sms_provider = Some("mobizon".into());
    c.sms_url = peers.to_string();
    c.sms_api_key = Some("test-key".into());
    c.public_url = Some("https://qyzmet.test".into());
    c.webhook_allow_private = true;
    c.informing_interval_ms = 50;
    c.informing_backoff_ms = 200;
    c.informing_max_attempts = 3;
}

/// Now minus `mins` minutes in Almaty, as the API takes moments.
fn ago(mins: i64) -> String {
    (jiff::Timestamp::now() - jiff::SignedDuration::from_mins(mins))
        .to_zoned(jiff::tz::TimeZone::get("Asia/Almaty").unwrap())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Publishes SVC-WD5's passport with notices at acceptance and at ready-for-issue.
async fn publish_passport(app: &TestApp) {
    let mut p = complete_passport("MIN");
    p["informing"] = json!([
        {"stage": "accepted", "message": {
            "kk": "{number} өтініміңіз қабылданды ({service}). Дайын болу күні: {planned_date}.",
            "ru": "Ваша заявка {number} принята ({service}). Плановая дата: {planned_date}."}},
        {"stage": "ready_for_issue", "message": {
            "kk": "{number} өтініміңіз дайын: {status_url}",
            "ru": "Заявка {number} готова: {status_url}"}}
    ]);
    let (s, d) = app
        .send(
            Method::PUT,
            Some(&app.admin),
            "/api/v1/services/SVC-WD5/passport",
            Some(&json!({"passport": p})),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let (s, v) = app
        .post(
            &app.admin,
            "/api/v1/services/SVC-WD5/passport/publish",
            json!({"revision": d["revision"], "approving_act": "Приказ № 7"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

async fn register(app: &TestApp, token: &str, serial: u32, contact: Value) -> (StatusCode, Value) {
    app.send(
        Method::POST,
        Some(token),
        "/api/v1/applications",
        Some(&json!({"service_code": "SVC-WD5",
            "applicant": {"iin": iin(serial), "last_name": "Ахметова", "first_name": "Айгерім", "contact": contact},
            "channel": "provider", "acceptance_place": "MIN-AST", "executor": "MIN-AST",
            "accepted_at": ago(120)})),
        Some("ru"),
    )
    .await
}

/// Waits (up to 30 s) until `check` holds of the outbox as administrators see it.
async fn outbox_until(app: &TestApp, query: &str, check: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..300 {
        let (s, page) = app.get(&app.admin, &format!("/api/v1/outbox{query}")).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        if check(&page) {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, page) = app.get(&app.admin, &format!("/api/v1/outbox{query}")).await;
    panic!("the outbox never came to the expected state: {page:#}");
}

async fn an_applicant_is_told_of_each_flagged_stage(app: &TestApp, sink: &SmtpSink, p: &Shared) {
    app.seed().await;
    publish_passport(app).await;
    let token = app.token_for("MIN").await;

    // A contact is checked field by field, in the caller's language.
    let (s, e) = register(
        app,
        &token,
        31,
        json!({"email": "not-an-address", "phone": "+7 727 123 45 67"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "applicant.contact.email", "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("электронной почты"),
        "{e}"
    );
    let (s, e) = register(app, &token, 31, json!({"language": "ru"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "contact_unreachable", "{e}");

    let (s, a) = register(
        app,
        &token,
        31,
        json!({"email": "Aigerim@Mail.KZ", "phone": "8 (701) 123-45-67", "language": "ru"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let number = a["number"].as_str().unwrap().to_string();
    let formatted = a["number_formatted"].as_str().unwrap().to_string();

    // Staff see the contact masked.
    let (_, detail) = app
        .get(&token, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(
        detail["contact"],
        json!({"email": "A***@mail.kz", "phone": "+7 701 *** ** 67", "language": "ru"}),
        "{detail}"
    );

    // Stage 1 was flagged: an e-mail in Russian through the real SMTP server, and an SMS.
    let mail = sink.wait_for(1).await;
    assert_eq!(mail[0]["to"], json!(["Aigerim@mail.kz"]));
    assert_eq!(mail[0]["subject"], format!("Заявка {formatted}: принято"));
    let body = mail[0]["body"].as_str().unwrap();
    assert!(
        body.contains(&format!("Ваша заявка {formatted} принята (SVC-WD5 ru)")),
        "{body}"
    );
    assert!(body.contains("Плановая дата: 20"), "{body}");
    assert!(body.contains("https://qyzmet.test/status"), "{body}");

    // Stages 2–4 are not flagged; stage 5 is.
    for (st, mins) in [
        ("sent_for_execution", 100),
        ("taken_into_work", 90),
        ("executed", 80),
        ("ready_for_issue", 70),
    ] {
        let (s, e) = app.event(&token, &number, stage(st, &ago(mins))).await;
        assert_eq!(s, StatusCode::CREATED, "{e}");
    }
    let mail = sink.wait_for(2).await;
    assert_eq!(
        mail[1]["subject"],
        format!("Заявка {formatted}: готово к выдаче")
    );
    assert_eq!(
        mail[1]["body"].as_str().unwrap().trim_end(),
        format!("Заявка {formatted} готова: https://qyzmet.test/status")
    );
    // Each message has its own Message-ID, made of its key.
    assert_ne!(mail[0]["message_id"], mail[1]["message_id"]);
    assert!(mail[0]["message_id"]
        .as_str()
        .unwrap()
        .ends_with("@qyzmet.test>"));

    // The SMS went to the gateway with the digits it takes, and its delivery reports were
    // read: both delivered.
    let page = outbox_until(app, "?channel=sms", |p| {
        p["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["state"] == "delivered")
            .count()
            == 2
    })
    .await;
    assert_eq!(page["items"][0]["recipient"], "+7 701 *** ** 67");
    assert!(page["items"][0]["provider_id"]
        .as_str()
        .unwrap()
        .starts_with('m'));
    {
        let peer = p.lock().unwrap();
        assert_eq!(peer.sms.len(), 2);
        assert_eq!(peer.sms[0]["recipient"], "77011234567");
        assert!(peer.sms[1]["text"].contains(&formatted));
    }
    // Nothing for the stages not flagged, even after a while.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.messages().len(), 2);
    let page = outbox_until(app, "?channel=email", |p| p["counts"]["pending"] == 0).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2, "{page:#}");
    assert_eq!(page["items"][0]["state"], "sent");
    assert!(page["items"][0]["recipient"]
        .as_str()
        .unwrap()
        .contains("***"));

    // A Kazakh-speaking applicant gets Kazakh, and a number the gateway refuses is given up
    // at once (the data was refused: trying again cannot help).
    let (s, a) = register(
        app,
        &token,
        32,
        json!({"email": "b@mail.kz", "phone": "+7 701 000 00 00"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let mail = sink.wait_for(3).await;
    assert!(
        mail[2]["subject"]
            .as_str()
            .unwrap()
            .ends_with("өтінім: қабылданды"),
        "{}",
        mail[2]
    );
    let page = outbox_until(app, "?state=dead", |p| {
        p["items"].as_array().unwrap().len() == 1
    })
    .await;
    assert_eq!(page["items"][0]["channel"], "sms");
    assert_eq!(page["items"][0]["attempts"], 1);
    assert!(
        page["items"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("refused"),
        "{page}"
    );

    // Only administrators see the outbox.
    let (s, _) = app.get(&token, "/api/v1/outbox").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = app.get(&app.admin, "/api/v1/outbox?state=lost").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
}

async fn a_provider_system_takes_every_event_by_webhook(
    app: &TestApp,
    _sink: &SmtpSink,
    p: &Shared,
) {
    app.seed().await;
    let base = {
        // The peers' address: the webhook receiver listens beside the SMS gateway.
        app.config.sms_url.clone()
    };
    let token = app.token_for("MIN").await;
    let other = app.token_for("AKIM").await;

    // Internal addresses are refused unless allowed (they are, in this test): a bad URL and a
    // short secret are refused anyway.
    let (s, e) = app
        .post(
            &token,
            "/api/v1/webhooks",
            json!({"url": "ftp://x.kz/", "secret": "0123456789abcdef"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "url");
    let (s, e) = app
        .post(
            &token,
            "/api/v1/webhooks",
            json!({"url": format!("{base}/hook"), "secret": "short"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "secret");
    // Not for another organization's tree.
    let (s, e) = app
        .post(&token, "/api/v1/webhooks", json!({"url": format!("{base}/hook"), "secret": "0123456789abcdef", "organization": "AKIM"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let secret = "a-shared-secret-of-the-ministry";
    let (s, w) = app
        .post(
            &token,
            "/api/v1/webhooks",
            json!({"url": format!("{base}/hook"), "secret": secret}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{w}");
    assert_eq!(w["organization"], "MIN");
    assert!(w.get("secret").is_none());
    let (s, e) = app
        .post(
            &token,
            "/api/v1/webhooks",
            json!({"url": format!("{base}/hook"), "secret": secret}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (_, list) = app.get(&token, "/api/v1/webhooks").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let (_, list) = app.get(&other, "/api/v1/webhooks").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);

    // Every first post fails: each is tried again with the same key and taken.
    p.lock().unwrap().fail_first = true;
    let a = app.register(&token, "SVC-WD5", "MIN-AST", &ago(60)).await;
    let number = a["number"].as_str().unwrap();
    let (s, e) = app
        .event(&token, number, stage("sent_for_execution", &ago(50)))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    // An application of another organization is not posted.
    app.register(&other, "ARCH-001", "AKIM-ARC", &ago(60)).await;
    let page = outbox_until(app, "?channel=webhook", |p| {
        let items = p["items"].as_array().unwrap();
        items.len() == 2 && items.iter().all(|m| m["state"] == "sent")
    })
    .await;
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["attempts"] == 2),
        "{page:#}"
    );
    let posts = p.lock().unwrap().posts.clone();
    assert_eq!(posts.len(), 4, "two events, each posted twice");
    let mut keys: Vec<&str> = posts
        .iter()
        .map(|(h, _)| h["idempotency-key"].to_str().unwrap())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), 2);
    for (h, body) in &posts {
        // The signature a receiver computes with the shared secret.
        let ts: i64 = h["x-qyzmet-timestamp"].to_str().unwrap().parse().unwrap();
        assert_eq!(
            h["x-qyzmet-signature"].to_str().unwrap(),
            qyzmet_server::informing::webhook::signature(secret, ts, body)
        );
        let v: Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["number"], number);
        // No personal data leaves by webhook.
        assert!(
            !body.contains("Ахметов") && !body.contains(&iin(17)),
            "{body}"
        );
    }
    let kinds: Vec<Value> = posts
        .iter()
        .map(|(_, b)| serde_json::from_str::<Value>(b).unwrap()["type"].clone())
        .collect();
    assert!(
        kinds.contains(&json!("application.registered"))
            && kinds.contains(&json!("application.event"))
    );

    // A receiver that keeps failing: given up after the configured tries, then retried by
    // an administrator once it is back.
    {
        let mut peer = p.lock().unwrap();
        peer.fail_all = true;
        peer.posts.clear();
    }
    let (s, e) = app
        .event(&token, number, stage("taken_into_work", &ago(40)))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let page = outbox_until(app, "?state=dead", |p| {
        p["items"].as_array().unwrap().len() == 1
    })
    .await;
    let dead = &page["items"][0];
    assert_eq!(dead["attempts"], 3, "{dead}");
    assert!(
        dead["last_error"].as_str().unwrap().contains("503"),
        "{dead}"
    );
    // The administrators' page lists it, masked, with a retry for it alone; others may not look.
    user(app, "admin", UserRole::Administrator, None).await;
    user(app, "op.ast", UserRole::Operator, Some("MIN-AST")).await;
    let mut b = Browser::new(app);
    assert_eq!(
        b.sign_in("admin", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let page = b.get("/admin/outbox?state=dead").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html
            .contains(&format!("data-id=\"{}\" data-state=\"dead\"", dead["id"])),
        "{}",
        page.html
    );
    assert_eq!(page.html.matches("/retry\"").count(), 1, "{}", page.html);
    let mut op = Browser::new(app);
    assert_eq!(
        op.sign_in("op.ast", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(op.get("/admin/outbox").await.status, StatusCode::FORBIDDEN);

    p.lock().unwrap().fail_all = false;
    let (s, e) = app
        .post(
            &token,
            &format!("/api/v1/outbox/{}/retry", dead["id"]),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    // Retried on the page (its form asks for a confirmation first: data-confirm).
    let id = dead["id"].as_i64().unwrap();
    let csrf = b.csrf("/admin/outbox?state=dead").await;
    let done = b
        .post(&format!("/admin/outbox/{id}/retry"), &[("csrf", &csrf)])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    outbox_until(app, "?channel=webhook", |p| {
        p["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == id && m["state"] == "sent")
    })
    .await;
    // What was sent is not sent again.
    let (s, e) = app
        .post(&app.admin, &format!("/api/v1/outbox/{id}/retry"), json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "message_not_retryable");
    let (s, _) = app
        .post(&app.admin, "/api/v1/outbox/999999/retry", json!({}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Removed: nothing more is posted.
    let (s, w2) = app
        .send(
            Method::DELETE,
            Some(&token),
            &format!("/api/v1/webhooks/{}", w["id"]),
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{w2}");
    assert_eq!(w2["active"], false);
    let before = p.lock().unwrap().posts.len();
    let (s, _) = app.event(&token, number, stage("executed", &ago(30))).await;
    assert_eq!(s, StatusCode::CREATED);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(p.lock().unwrap().posts.len(), before);
}

async fn concurrent_and_repeated_events_write_one_message_each(
    app: &TestApp,
    sink: &SmtpSink,
    _p: &Shared,
) {
    app.seed().await;
    publish_passport(app).await;
    let token = app.token_for("MIN").await;
    let mut numbers = Vec::new();
    for i in 0..12 {
        let (s, a) = register(
            app,
            &token,
            40 + i,
            json!({"email": format!("a{i}@mail.kz")}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        numbers.push(a["number"].as_str().unwrap().to_string());
    }
    // Each application's stage 5, sent three times at once with one id (a client's retries).
    let mut calls = Vec::new();
    for n in &numbers {
        let body = stage("ready_for_issue", &ago(30));
        for _ in 0..3 {
            let (app, token, n, body) = (app, token.clone(), n.clone(), body.clone());
            calls.push(async move { app.event(&token, &n, body).await });
        }
    }
    let results = futures::future::join_all(calls).await;
    for (s, e) in &results {
        assert!(s.is_success(), "{s} {e}");
    }
    let mail = sink.wait_for(24).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let mail_after = sink.messages();
    assert_eq!(
        mail_after.len(),
        24,
        "12 acceptances and 12 ready-for-issue, once each"
    );
    let mut ids: Vec<&str> = mail
        .iter()
        .map(|m| m["message_id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 24);
    let page = outbox_until(app, "?channel=email&limit=100", |p| {
        p["counts"]["pending"] == 0
    })
    .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 24);
}

/// Runs `$name` on both backends with an SMTP server and the peers.
macro_rules! with_peers {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(sink) = super::SmtpSink::start() else { return };
                    let peer = super::Shared::default();
                    let base = super::peers(peer.clone()).await;
                    let port = sink.port;
                    let app = crate::support::TestApp::sqlite_with(|c| super::informing(c, port, &base)).await;
                    super::$name(&app, &sink, &peer).await;
                    app.stop().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(sink) = super::SmtpSink::start() else { return };
                    let peer = super::Shared::default();
                    let base = super::peers(peer.clone()).await;
                    let port = sink.port;
                    let Some(app) = crate::support::TestApp::postgres_with(|c| super::informing(c, port, &base)).await else { return };
                    super::$name(&app, &sink, &peer).await;
                    app.stop().await;
                }
            )*
        }
    };
}

with_peers!(
    an_applicant_is_told_of_each_flagged_stage,
    a_provider_system_takes_every_event_by_webhook,
    concurrent_and_repeated_events_write_one_message_each
);

#[tokio::test]
async fn webhooks_to_internal_addresses_are_refused_by_default() {
    let app = TestApp::sqlite().await;
    app.seed().await;
    let token = app.token_for("MIN").await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://169.254.169.254/latest",
        "http://[::1]/x",
        "http://10.0.0.1/",
    ] {
        let (s, e) = app
            .send(
                Method::POST,
                Some(&token),
                "/api/v1/webhooks",
                Some(&json!({"url": url, "secret": "0123456789abcdef"})),
                Some("kk"),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{url} {e}");
        assert_eq!(e["error"]["code"], "webhook_private_address", "{e}");
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("ішкі желіге"),
            "{e}"
        );
    }
    app.stop().await;
}
