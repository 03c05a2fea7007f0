//! JSON bodies and batches at the edge (issue 15, finding 3): one JSON value per body (in the
//! signed forms and inside a signed payload too), one bad batch item never sinking the valid
//! ones, and the store's defence in depth against values the database cannot store.

use super::{
    counts, events_of, organization, outage, raw, registered, registration, seeded, service,
};
use crate::both;
use crate::support::{stage, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A body is one JSON object: trailing data, or a second object, is 400 `malformed_json` on
/// every endpoint, in both signed forms too, and nothing is stored. A lone surrogate escape
/// is malformed JSON.
async fn trailing_data_is_malformed_json(app: &TestApp) {
    let (token, number) = seeded(app).await;
    let before = counts(app).await;
    let history = events_of(app, &number).await;
    let event = stage("sent_for_execution", "2026-11-20T11:00:00+05:00");
    let mut item = event.clone();
    item["number"] = json!(number);
    let bodies: Vec<(String, Value, &str)> = vec![
        ("/api/v1/applications".into(), registration(), &token),
        (
            format!("/api/v1/applications/{number}/events"),
            event.clone(),
            &token,
        ),
        (
            "/api/v1/events/batch".into(),
            json!({"events": [item]}),
            &token,
        ),
        (
            format!("/api/v1/applications/{number}/feedback"),
            json!({"id": uuid::Uuid::now_v7().to_string(), "question": "process", "rating": 5}),
            &token,
        ),
        ("/api/v1/organizations".into(), organization(), &app.admin),
        ("/api/v1/services".into(), service(), &app.admin),
        ("/api/v1/outages".into(), outage(), &app.admin),
        (
            format!("/api/v1/applications/{number}/events"),
            json!({"signed": "AAAA"}),
            &token,
        ),
        (
            format!("/api/v1/applications/{number}/events"),
            json!({"event": event, "signature": "AAAA"}),
            &token,
        ),
    ];
    for (path, body, who) in &bodies {
        for tail in [
            format!("{body}{body}"),
            format!("{body} {body}"),
            format!("{body} x"),
            format!("{body}]"),
            format!("{body}\u{0}"),
            format!("{body} 1"),
        ] {
            let (s, answer) = raw(app, who, path, tail.clone()).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{path} {tail:?}: {answer}");
            assert_eq!(
                answer["error"]["code"], "malformed_json",
                "{path}: {answer}"
            );
        }
    }
    // Text nested in a body: an escaped lone surrogate is not a character.
    let body = registration().to_string().replace("Ахметов", "\\ud800x");
    let (s, answer) = raw(app, &token, "/api/v1/applications", body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["error"]["code"], "malformed_json");
    // An escaped NUL is a character: refused as one, at its field.
    let body = registration()
        .to_string()
        .replace("Ахметов", "\\u0000Ахметов");
    let (s, answer) = raw(app, &token, "/api/v1/applications", body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"]["code"], "text_control_character");
    assert_eq!(answer["error"]["field"], "applicant.last_name");
    assert_eq!(counts(app).await, before, "nothing stored");
    assert_eq!(events_of(app, &number).await, history, "no event stored");
}

/// The data inside a signed (attached) submission is one JSON value too.
async fn trailing_data_inside_a_signed_payload_is_refused(app: &TestApp) {
    use base64::Engine;
    let f = crate::signatures::fixture();
    let token = crate::signatures::setup(app, "optional").await;
    let number = registered(app, &token).await;
    let history = events_of(app, &number).await;
    let event = stage("sent_for_execution", "2026-11-20T11:00:00+05:00");
    let content = format!("{event}{event}");
    let cms = f.pki.sign(&f.good, content.as_bytes(), true, &[]);
    let body = json!({"signed": base64::engine::general_purpose::STANDARD.encode(cms)});
    let (s, answer) = app.event(&token, &number, body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"]["code"], "signature_content_invalid");
    assert_eq!(answer["error"]["field"], "signed");
    // The same event signed alone is taken.
    let (s, answer) = app
        .event(
            &token,
            &number,
            crate::signatures::attached(&f.pki, &f.good, &event),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{answer}");
    assert_eq!(events_of(app, &number).await, history + 1);
}

/// In a batch, each bad item gets its own error at its index and the valid ones are
/// committed; nothing of a bad item is stored.
async fn a_bad_batch_item_never_sinks_the_valid_ones(app: &TestApp) {
    let (token, number) = seeded(app).await;
    let item = |mut v: Value| {
        v["number"] = json!(number);
        v
    };
    let id = || uuid::Uuid::now_v7().to_string();
    let items = vec![
        item(stage("sent_for_execution", "2026-11-20T10:00:00+05:00")),
        item(
            json!({"id": id(), "type": "suspended", "reason": "Құжат\u{0}тар", "occurred_at": "2026-11-20T10:30:00+05:00"}),
        ),
        item(stage("taken_into_work", "0001-11-20T10:00:00+05:00")),
        item(
            json!({"id": id(), "type": "suspended", "reason": "\u{202E}abc", "occurred_at": "2026-11-20T10:30:00+05:00"}),
        ),
        item(stage("taken_into_work", "2026-11-20T11:00:00+05:00")),
        item(
            json!({"id": id(), "type": "resumed", "reason": "\u{200B}", "occurred_at": "2026-11-20T11:30:00+05:00"}),
        ),
        item(stage("executed", "2026-11-20T12:00:00+05:00+01:00")),
    ];
    let (s, batch) = app
        .post(&token, "/api/v1/events/batch", json!({ "events": items }))
        .await;
    assert_eq!(s, StatusCode::OK, "{batch}");
    assert_eq!(batch["recorded"], 2, "{batch}");
    assert_eq!(batch["rejected"], 5, "{batch}");
    let results = batch["results"].as_array().unwrap();
    for (index, code, field) in [
        (1, "text_control_character", "events[1].reason"),
        (2, "before_calendar", "events[2].occurred_at"),
        (3, "text_bidi_control", "events[3].reason"),
        (5, "text_invisible", "events[5].reason"),
        (6, "timestamp_invalid", "events[6].occurred_at"),
    ] {
        let r = &results[index];
        assert_eq!(r["status"], "rejected", "{r}");
        assert_eq!(r["http_status"], 422, "{r}");
        assert_eq!(r["error"]["code"], code, "{r}");
        assert_eq!(r["error"]["field"], field, "{r}");
    }
    for index in [0, 4] {
        assert_eq!(results[index]["status"], "recorded", "{}", results[index]);
    }
    let (_, detail) = app
        .get(&app.admin, &format!("/api/v1/applications/{number}"))
        .await;
    let kinds: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["stage"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(kinds, ["sent_for_execution", "taken_into_work"], "{detail}");
}

/// Defence in depth: text the database cannot store is an invalid value, never a 500 or a
/// lost batch. PostgreSQL refuses a NUL (SQLSTATE 22021): the store says `Invalid`. SQLite
/// stores it; the edge refuses it before either backend sees it (the cases above).
async fn the_store_calls_unstorable_text_invalid(app: &TestApp) {
    use qyzmet_domain::stage::{Event, EventKind};
    let (_, number) = seeded(app).await;
    let number = qyzmet_domain::ids::ApplicationNumber::parse(&number).unwrap();
    let item = qyzmet_store::IncomingEvent {
        number,
        event: Event {
            id: uuid::Uuid::now_v7(),
            occurred_at: "2026-11-20T10:00:00+05:00".parse().unwrap(),
            kind: EventKind::suspended("a\u{0}b"),
        },
        executor_person: None,
        signature: None,
        ground_required: false,
    };
    let result = app
        .store
        .apply_events(
            &[item],
            &qyzmet_store::Scope::Admin,
            "test",
            jiff::Timestamp::now(),
            0.75,
        )
        .await;
    match app.store.backend_name() {
        "postgres" => match result {
            Err(qyzmet_store::StoreError::Invalid { code, .. }) => {
                assert_eq!(code, "value_not_storable")
            }
            other => panic!("expected Invalid, got {other:?}"),
        },
        _ => assert!(result.is_ok(), "{result:?}"),
    }
}

both!(
    trailing_data_is_malformed_json,
    a_bad_batch_item_never_sinks_the_valid_ones,
    the_store_calls_unstorable_text_invalid,
);

mod signed {
    use super::*;
    crate::both!(with configure; trailing_data_inside_a_signed_payload_is_refused);
    fn configure(c: &mut qyzmet_server::config::Config) {
        crate::signatures::configure(c)
    }
    async fn trailing_data_inside_a_signed_payload_is_refused(app: &TestApp) {
        super::trailing_data_inside_a_signed_payload_is_refused(app).await
    }
}
