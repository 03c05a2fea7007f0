//! The hall display's live feed (issue 18, point 4), on both backends through the real
//! server: a stream opens with the office's snapshot, then every call arrives as a `called`
//! event with its window and its announcement in kk and ru, and every other move as `moved`;
//! on PostgreSQL a call made through one node reaches a stream served by another (LISTEN/
//! NOTIFY); a stream of an unknown office is a 404, and streams end when the node stops.

use crate::front_office::{office, take};
use crate::support::TestApp;
use qyzmet_store::Store;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

/// A server-sent event stream, read event by event.
struct Events {
    resp: reqwest::Response,
    buf: String,
}

impl Events {
    async fn open(base: &str, office: &str) -> Events {
        let resp = reqwest::Client::new()
            .get(format!("{base}/api/v1/offices/{office}/display/stream"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(
            resp.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        Events {
            resp,
            buf: String::new(),
        }
    }

    /// The next event (its name and data), skipping keep-alive comments; `None` when the
    /// stream ended; panics after 10 s of silence.
    async fn next(&mut self) -> Option<(String, Value)> {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut name = String::from("message");
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(n) = line.strip_prefix("event:") {
                        name = n.trim().to_string();
                    } else if let Some(d) = line.strip_prefix("data:") {
                        data.push_str(d.trim_start());
                    }
                }
                if data.is_empty() {
                    continue;
                }
                return Some((name, serde_json::from_str(&data).unwrap()));
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.resp.chunk())
                .await
                .expect("an event within 10 s")
                .ok()??;
            self.buf.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The next event named `name`, skipping others.
    async fn next_named(&mut self, name: &str) -> Value {
        loop {
            let (n, data) = self.next().await.expect("the stream ended");
            if n == name {
                return data;
            }
        }
    }
}

/// A second node on the same database (PostgreSQL): its address and its stop.
async fn second_node(
    app: &TestApp,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let store = qyzmet_server::open_store(&app.config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let config = app.config.clone();
    let server = tokio::spawn(async move {
        qyzmet_server::serve(listener, config, store, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    (base, tx, server)
}

async fn the_hall_display_hears_every_call(app: &TestApp) {
    let counters = office(app, "DS-01", 2).await;
    let (s, e) = app
        .send(
            reqwest::Method::GET,
            None,
            "/api/v1/offices/NOPE/display/stream",
            None,
            Some("en"),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("office_not_found"))
    );

    let mut here = Events::open(&app.base, "DS-01").await;
    let snapshot = here.next_named("snapshot").await;
    assert_eq!(snapshot["office"], "DS-01");
    assert_eq!(snapshot["calls"], json!([]));
    assert_eq!(snapshot["name"]["kk"], "Бөлім");

    // On PostgreSQL, a display served by another node.
    let postgres = matches!(app.store, Store::Postgres(_));
    let mut other = None;
    if postgres {
        let (base, stop, server) = second_node(app).await;
        let mut there = Events::open(&base, "DS-01").await;
        there.next_named("snapshot").await;
        other = Some((there, stop, server));
    }

    let (s, t) = take(
        app,
        Some(&app.admin),
        "DS-01",
        json!({"purpose": "acceptance"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let moved = here.next_named("moved").await;
    assert_eq!(
        (moved["number"].as_str(), moved["state"].as_str()),
        (t["number"].as_str(), Some("waiting"))
    );

    let (s, c) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{}/call-next", counters[1]),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let called = here.next_named("called").await;
    assert_eq!(called["number"], t["number"]);
    assert_eq!(called["counter"], 2);
    assert_eq!(called["calls"], 1);
    assert!(
        called["say_ru"]
            .as_str()
            .unwrap()
            .ends_with("пройдите к окну 2"),
        "{called}"
    );
    assert!(
        called["say_kk"].as_str().unwrap().contains("2-терезеге"),
        "{called}"
    );
    if let Some((there, _, _)) = other.as_mut() {
        let far = there.next_named("called").await;
        assert_eq!(
            (far["number"].as_str(), far["counter"].as_i64()),
            (t["number"].as_str(), Some(2))
        );
    }

    // A recall is a call again; a stream opened now starts from the called ticket.
    app.post(
        &app.admin,
        &format!("/api/v1/counters/{}/recall", counters[1]),
        json!({}),
    )
    .await;
    assert_eq!(here.next_named("called").await["calls"], 2);
    let mut late = Events::open(&app.base, "DS-01").await;
    let snap = late.next_named("snapshot").await;
    assert_eq!(snap["calls"][0]["number"], t["number"]);
    assert_eq!(snap["calls"][0]["counter"], 2);
    assert_eq!(snap["calls"][0]["calls"], 2);
    app.post(
        &app.admin,
        &format!("/api/v1/counters/{}/start", counters[1]),
        json!({}),
    )
    .await;
    let serving = here.next_named("moved").await;
    assert_eq!(serving["state"], "serving");

    if let Some((mut there, stop, server)) = other {
        assert_eq!(there.next_named("moved").await["state"], "serving");
        // The node stops: its streams end, and so does the server's wait for them.
        let _ = stop.send(());
        tokio::time::timeout(Duration::from_secs(10), server)
            .await
            .expect("the second node stops with open streams")
            .unwrap();
        assert!(there.next().await.is_none(), "the stream ended");
    }
}

crate::both!(the_hall_display_hears_every_call);
