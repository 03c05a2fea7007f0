//! Operations: health, readiness, metrics, OpenAPI and docs, outages, the calendar API and
//! its edits, the sweep lease, and behaviour when the database is gone.

use crate::support::TestApp;
use reqwest::StatusCode;
use serde_json::json;

async fn health_metrics_and_docs(app: &TestApp) {
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (s, spec) = app
        .send(reqwest::Method::GET, None, "/api/openapi.json", None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/applications",
        "/api/v1/applications/{number}",
        "/api/v1/applications/{number}/events",
        "/api/v1/events/batch",
        "/api/v1/organizations",
        "/api/v1/services",
        "/api/v1/outages",
        "/api/v1/calendar/deadline",
    ] {
        assert!(
            spec["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    let docs = app
        .client
        .get(app.url("/api/docs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(docs.contains("/api/v1/events/batch"));
    app.seed().await;
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains("http_request_duration_seconds_bucket"));
    assert!(metrics.contains("qyzmet_open_overdue_applications"));
    assert!(!metrics.contains("900101"), "no personal data in metrics");
    // Unknown routes answer with the JSON error shape.
    let (s, body) = app
        .send(
            reqwest::Method::GET,
            None,
            "/api/v1/nothing-here",
            None,
            Some("kk"),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
}

async fn outages_are_registered_and_listed(app: &TestApp) {
    app.seed().await;
    let (s, o) = app
        .post(&app.admin, "/api/v1/outages", json!({"started_at": "2026-03-23T10:00:00+05:00", "ended_at": "2026-03-23T14:00:00+05:00",
            "systems": ["egov_gateway"], "operator": "NIT JSC", "description": "gateway failure"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    assert_eq!(o["systems"], json!(["egov_gateway"]));
    let (s, o) = app
        .post(
            &app.admin,
            "/api/v1/outages",
            json!({"started_at": "2026-03-24T10:00:00+05:00", "all_systems": true,
            "operator": "NIT JSC", "description": "data centre power"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let bad = [
        (
            json!({"started_at": "2026-03-23T10:00:00+05:00", "ended_at": "2026-03-23T09:00:00+05:00", "all_systems": true, "operator": "N", "description": "d"}),
            "ended_at",
        ),
        (
            json!({"started_at": "2026-03-23T10:00:00+05:00", "operator": "N", "description": "d"}),
            "systems",
        ),
        (
            json!({"started_at": "2026-03-23T10:00:00+05:00", "systems": ["no_such"], "operator": "N", "description": "d"}),
            "systems",
        ),
    ];
    for (body, field) in bad {
        let (s, e) = app.post(&app.admin, "/api/v1/outages", body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["error"]["field"], field);
    }
    let tok = app.token_for("MIN").await;
    let (_, list) = app.get(&tok, "/api/v1/outages?limit=1").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["all_systems"], true, "newest first");
    let (_, rest) = app
        .get(
            &tok,
            &format!(
                "/api/v1/outages?limit=1&cursor={}",
                list["next"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(rest["items"][0]["description"], "gateway failure");
    let (_, window) = app
        .get(
            &tok,
            "/api/v1/outages?from=2026-03-23T15:00:00%2B05:00&to=2026-03-30T00:00:00%2B05:00",
        )
        .await;
    assert_eq!(
        window["items"].as_array().unwrap().len(),
        1,
        "the first ended before the window"
    );
}

async fn calendar_edits_recompute_planned_dates(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN-AST").await;
    let (s, d) = app.get(&tok, "/api/v1/calendar/deadline?accepted_at=2026-03-20T10:00:00%2B05:00&term=5&unit=working_days").await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["planned_date"], "2026-04-01");
    let (s, d) = app
        .get(
            &tok,
            "/api/v1/calendar/deadline?accepted_at=2026-03-20T10:00:00%2B05:00&term=5&unit=weeks",
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(d["error"]["field"], "unit");
    let (_, cal) = app.get(&tok, "/api/v1/calendar?year=2026").await;
    assert!(cal["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["date"] == "2026-03-23"));
    // A pending application with 5 working days from Mon 2026-11-23 → planned Mon 30 Nov.
    let a = app
        .register(&tok, "SVC-WD5", "MIN-AST", "2026-11-20T10:00:00+05:00")
        .await;
    assert_eq!(a["planned_date"], "2026-11-27");
    let n = a["number"].as_str().unwrap();
    let (s, r) = app
        .send(
            reqwest::Method::PUT,
            Some(&tok),
            "/api/v1/calendar/2026-11-24",
            Some(&json!({"kind": "day_off", "name": "x", "source": "y"})),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{r}");
    let (s, r) = app
        .send(reqwest::Method::PUT, Some(&app.admin), "/api/v1/calendar/2026-11-24",
            Some(&json!({"kind": "day_off", "name": "Test day off", "source": "Government decree (test)"})), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["changed"], 1);
    let (_, d) = app.get(&tok, &format!("/api/v1/applications/{n}")).await;
    assert_eq!(d["planned_date"], "2026-11-30");
    assert_eq!(d["original_planned_date"], "2026-11-27");
    let change = &d["deadline_changes"][0];
    assert_eq!(change["old_planned_date"], "2026-11-27");
    assert!(
        change["reason"].as_str().unwrap().contains("2026-11-24"),
        "{change}"
    );
    assert_eq!(d["derivation"]["calendar_version"], r["version"]);
    // Removing the entry restores the date, and the history keeps both changes.
    let (s, _) = app
        .send(
            reqwest::Method::DELETE,
            Some(&app.admin),
            "/api/v1/calendar/2026-11-24",
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, d) = app.get(&tok, &format!("/api/v1/applications/{n}")).await;
    assert_eq!(d["planned_date"], "2026-11-27");
    assert_eq!(d["deadline_changes"].as_array().unwrap().len(), 2);
}

/// Exactly one node runs the sweep: the lease goes to one holder until it expires.
async fn one_node_holds_the_sweep_lease(app: &TestApp) {
    let now = jiff::Timestamp::now();
    let ttl = jiff::SignedDuration::from_secs(60);
    assert!(app
        .store
        .acquire_lease("sweep-test", "node-a", now, ttl)
        .await
        .unwrap());
    assert!(!app
        .store
        .acquire_lease("sweep-test", "node-b", now, ttl)
        .await
        .unwrap());
    assert!(
        app.store
            .acquire_lease("sweep-test", "node-a", now, ttl)
            .await
            .unwrap(),
        "the holder renews"
    );
    let later = now
        .checked_add(jiff::SignedDuration::from_secs(61))
        .unwrap();
    assert!(
        app.store
            .acquire_lease("sweep-test", "node-b", later, ttl)
            .await
            .unwrap(),
        "taken over after expiry"
    );
    assert!(!app
        .store
        .acquire_lease("sweep-test", "node-a", later, ttl)
        .await
        .unwrap());
    // Many contenders at once: exactly one wins.
    let mut handles = vec![];
    for i in 0..8 {
        let store = app.store.clone();
        handles.push(tokio::spawn(async move {
            store
                .acquire_lease("sweep-race", &format!("node-{i}"), now, ttl)
                .await
                .unwrap()
        }));
    }
    let mut winners = 0;
    for h in handles {
        winners += usize::from(h.await.unwrap());
    }
    assert_eq!(winners, 1);
}

/// A database outage: 503, and readiness fails.
async fn database_outage_is_503(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN-AST").await;
    let (s, _) = app.get(&tok, "/api/v1/services").await;
    assert_eq!(s, StatusCode::OK);
    let number = app
        .register(&tok, "SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00")
        .await["number"]
        .as_str()
        .unwrap()
        .to_string();
    app.store.close().await;
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let (s, body) = app.get(&app.admin, "/api/v1/services").await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "database_unavailable");
    // The lookup and ingest paths (rusqlite on SQLite) answer the same.
    let (s, body) = app
        .get(&tok, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "database_unavailable");
    let (s, body) = app
        .event(
            &tok,
            &number,
            json!({"id": "6a0c1f7e-9d1b-4c51-9f0e-2d4d3c1b7a10", "type": "stage",
                   "stage": "sent_for_execution", "occurred_at": "2026-03-20T11:00:00+05:00"}),
        )
        .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "database_unavailable");
}

crate::both!(
    health_metrics_and_docs,
    outages_are_registered_and_listed,
    calendar_edits_recompute_planned_dates,
    one_node_holds_the_sweep_lease,
    database_outage_is_503,
);
