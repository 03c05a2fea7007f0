//! Stage events (000 §6): the machine, idempotency, batches, suspensions, overdue,
//! executor changes.

use crate::support::{stage, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn number_of(app: &TestApp, tok: &str, service: &str, place: &str, at: &str) -> String {
    app.register(tok, service, place, at).await["number"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn stages_move_forward_only(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN-AST").await;
    let n = number_of(app, &tok, "SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00").await;
    let (s, e) = app
        .event(
            &tok,
            &n,
            stage("sent_for_execution", "2026-03-20T11:00:00+05:00"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    assert_eq!(e["seq"], 1);
    // Skipping forward is allowed.
    let (s, _) = app
        .event(&tok, &n, stage("executed", "2026-03-27T12:00:00+05:00"))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    // A late event placed before `executed` is fine; one dated after it would go back.
    let (s, e) = app
        .event(
            &tok,
            &n,
            stage("taken_into_work", "2026-03-23T09:30:00+05:00"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let (s, e) = app
        .event(
            &tok,
            &n,
            stage("taken_into_work", "2026-03-28T09:30:00+05:00"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "already_recorded");
    let (s, e) = app
        .event(
            &tok,
            &n,
            stage("ready_for_issue", "2026-03-26T09:30:00+05:00"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "out_of_order");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("executed"),
        "{e}"
    );
    let (s, e) = app
        .event(
            &tok,
            &n,
            stage("ready_for_issue", "2026-03-19T09:30:00+05:00"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["code"], "before_acceptance");
    // Closing needs an outcome; a refusal needs a reason.
    let (s, e) = app
        .event(&tok, &n, stage("closed", "2026-03-30T10:00:00+05:00"))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["code"], "outcome_required");
    let mut refusal = stage("closed", "2026-03-30T10:00:00+05:00");
    refusal["outcome"] = json!("refused");
    let (s, e) = app.event(&tok, &n, refusal.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["code"], "reason_required");
    refusal["reason"] = json!("incomplete package (003 §17)");
    let (s, _) = app.event(&tok, &n, refusal).await;
    assert_eq!(s, StatusCode::CREATED);
    // Nothing after closure.
    let (s, e) = app
        .event(
            &tok,
            &n,
            json!({"id": uuid::Uuid::new_v4().to_string(), "type": "executor_changed",
        "executor": "MIN-ALA", "occurred_at": "2026-03-31T10:00:00+05:00"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["code"], "after_closure");
    let (_, d) = app.get(&tok, &format!("/api/v1/applications/{n}")).await;
    assert_eq!(d["stage"], "closed");
    assert_eq!(d["outcome"], "refused");
    assert_eq!(
        d["actual_completion"], "2026-03-27T12:00:00+05:00",
        "first time at stage 4 or later (rule 8)"
    );
    assert_eq!(
        d["overdue"], false,
        "executed before the 2026-04-01 deadline"
    );
    let events = d["events"].as_array().unwrap();
    assert_eq!(events.len(), 4);
    // The hash chain links every event to the one before.
    let hashes: Vec<&str> = events
        .iter()
        .map(|e| e["chain_hash"].as_str().unwrap())
        .collect();
    assert!(hashes.windows(2).all(|w| w[0] != w[1]));
}

async fn retries_are_idempotent(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN-AST").await;
    let n = number_of(app, &tok, "SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00").await;
    let ev = stage("executed", "2026-03-25T10:00:00+05:00");
    let (s1, first) = app.event(&tok, &n, ev.clone()).await;
    let (s2, again) = app.event(&tok, &n, ev.clone()).await;
    assert_eq!(s1, StatusCode::CREATED);
    assert_eq!(s2, StatusCode::OK);
    assert_eq!(first, again, "a retry returns the first result");
    let mut other = ev.clone();
    other["occurred_at"] = json!("2026-03-26T10:00:00+05:00");
    let (s3, conflict) = app.event(&tok, &n, other).await;
    assert_eq!(s3, StatusCode::CONFLICT, "{conflict}");
    assert_eq!(conflict["error"]["code"], "event_id_conflict");
    let (_, d) = app.get(&tok, &format!("/api/v1/applications/{n}")).await;
    assert_eq!(
        d["events"].as_array().unwrap().len(),
        1,
        "the retries wrote nothing"
    );
}

async fn batches_commit_valid_items_and_explain_the_rest(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN").await;
    let a = number_of(app, &tok, "SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00").await;
    let b = number_of(app, &tok, "SVC-H2", "MIN-ALA", "2026-03-20T10:00:00+05:00").await;
    let other = app.token_for("AKIM").await;
    let c = number_of(
        app,
        &other,
        "ARCH-001",
        "AKIM-ARC",
        "2026-03-20T10:00:00+05:00",
    )
    .await;
    let item = |n: &str, st: &str, at: &str| -> Value {
        let mut v = stage(st, at);
        v["number"] = json!(n);
        v
    };
    let repeated = item(&a, "sent_for_execution", "2026-03-20T11:00:00+05:00");
    let body = json!({"events": [
        repeated.clone(),
        item(&a, "taken_into_work", "2026-03-20T12:00:00+05:00"),
        item(&b, "executed", "2026-03-20T11:30:00+05:00"),
        item(&a, "sent_for_execution", "2026-03-21T11:00:00+05:00"),   // already recorded in this batch
        item(&c, "executed", "2026-03-21T11:00:00+05:00"),             // another organization's
        {"number": a, "id": "not-a-uuid", "type": "stage", "stage": "executed", "occurred_at": "2026-03-22T10:00:00+05:00"},
        {"number": "0000000000000", "id": uuid::Uuid::new_v4().to_string(), "type": "stage", "stage": "executed", "occurred_at": "2026-03-22T10:00:00+05:00"},
        repeated.clone(),                                               // a retry inside the batch
    ]});
    let (s, r) = app.post(&tok, "/api/v1/events/batch", body).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["recorded"], 3, "{r}");
    assert_eq!(r["rejected"], 4, "{r}");
    let results = r["results"].as_array().unwrap();
    assert_eq!(results.len(), 8);
    assert_eq!(results[3]["error"]["code"], "already_recorded");
    assert_eq!(results[4]["http_status"], 404);
    assert_eq!(results[5]["error"]["field"], "events[5].id");
    assert_eq!(results[6]["http_status"], 404);
    assert_eq!(results[7]["status"], "recorded");
    assert_eq!(results[7]["event"], results[0]["event"]);
    let (_, d) = app.get(&tok, &format!("/api/v1/applications/{a}")).await;
    assert_eq!(d["stage"], "taken_into_work");
    let (_, d) = app.get(&tok, &format!("/api/v1/applications/{b}")).await;
    assert_eq!(d["stage"], "executed");
    // The whole batch again: every item answers as before, nothing new is written.
    let (_, again) = app
        .post(&tok, "/api/v1/events/batch", json!({"events": [repeated]}))
        .await;
    assert_eq!(again["recorded"], 0);
    assert_eq!(again["replayed"], 1);
    // More than 1,000 items: 413, nothing written.
    let many: Vec<Value> = (0..1001)
        .map(|_| item(&b, "closed", "2026-03-22T10:00:00+05:00"))
        .collect();
    let (s, r) = app
        .post(&tok, "/api/v1/events/batch", json!({"events": many}))
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{r}");
    assert_eq!(r["error"]["code"], "batch_too_large");
}

/// Rule 9: a suspension stops the clock; the planned date moves by the suspended days and
/// the original planned date is kept.
async fn suspensions_extend_the_deadline(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("AKIM").await;
    // 15 calendar days from Mon 2026-11-02 10:00 → counting from 3 Nov → 17 Nov (Tue).
    let n = number_of(
        app,
        &tok,
        "ARCH-001",
        "AKIM-ARC",
        "2026-11-02T10:00:00+05:00",
    )
    .await;
    let (_, d) = app.get(&tok, &format!("/api/v1/applications/{n}")).await;
    assert_eq!(d["planned_date"], "2026-11-17");
    let (s, e) = app
        .event(
            &tok,
            &n,
            json!({"id": uuid::Uuid::new_v4().to_string(), "type": "suspended",
        "occurred_at": "2026-11-05T10:00:00+05:00"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a suspension needs its legal reason: {e}"
    );
    assert_eq!(e["error"]["field"], "reason");
    let (s, _) = app.event(&tok, &n, json!({"id": uuid::Uuid::new_v4().to_string(), "type": "suspended",
        "reason": "request to another archive (003 §17)", "occurred_at": "2026-11-05T10:00:00+05:00"})).await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, d) = app.get(&tok, &format!("/api/v1/applications/{n}")).await;
    assert_eq!(d["suspended"], true);
    assert_eq!(d["overdue"], false);
    let (s, _) = app
        .event(
            &tok,
            &n,
            json!({"id": uuid::Uuid::new_v4().to_string(), "type": "resumed",
        "occurred_at": "2026-11-09T15:00:00+05:00"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, d) = app.get(&tok, &format!("/api/v1/applications/{n}")).await;
    // Suspended 5 Nov, resumed 9 Nov: 4 calendar days [5, 9) → 21 Nov (Sat) → next working day 23 Nov.
    assert_eq!(d["planned_date"], "2026-11-23", "{}", d["derivation"]);
    assert_eq!(d["original_planned_date"], "2026-11-17");
    // The derivation (kept apart from the application row) is rewritten with the change.
    assert_eq!(
        d["derivation"]["suspension_extension"], 4,
        "{}",
        d["derivation"]
    );
    assert_eq!(d["suspended"], false);
    let (s, e) = app
        .event(
            &tok,
            &n,
            json!({"id": uuid::Uuid::new_v4().to_string(), "type": "resumed",
        "occurred_at": "2026-11-10T15:00:00+05:00"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["code"], "not_suspended");
}

/// 000 §11: overdue is computed automatically, from completion or, while open, from now.
async fn overdue_is_detected(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN-ALA").await;
    let late = number_of(app, &tok, "SVC-H2", "MIN-ALA", "2026-03-20T10:00:00+05:00").await;
    let (_, e) = app
        .event(&tok, &late, stage("executed", "2026-03-20T15:00:00+05:00"))
        .await;
    assert_eq!(e["stage"], "executed");
    let (_, d) = app.get(&tok, &format!("/api/v1/applications/{late}")).await;
    assert_eq!(d["deadline"], "2026-03-20T12:00:00+05:00");
    assert_eq!(d["overdue"], true);
    assert_eq!(d["overdue_seconds"], 3 * 3600);
    // Still open past its deadline: overdue by the time elapsed until the moment it is read,
    // not by what was stored when it was last written (the sweep flags it once).
    let open = number_of(app, &tok, "SVC-H2", "MIN-ALA", "2026-03-20T10:00:00+05:00").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let before = jiff::Timestamp::now();
    let (_, d) = app.get(&tok, &format!("/api/v1/applications/{open}")).await;
    let after = jiff::Timestamp::now();
    let deadline: jiff::Timestamp = "2026-03-20T07:00:00Z".parse().unwrap();
    assert_eq!(d["overdue"], true);
    let secs = d["overdue_seconds"].as_i64().unwrap();
    let (low, high) = (
        before.duration_since(deadline).as_secs(),
        after.duration_since(deadline).as_secs() + 1,
    );
    assert!(low <= secs && secs <= high, "{low} <= {secs} <= {high}");
    let on_time = number_of(app, &tok, "SVC-H2", "MIN-ALA", "2026-03-20T10:00:00+05:00").await;
    app.event(
        &tok,
        &on_time,
        stage("executed", "2026-03-20T11:59:00+05:00"),
    )
    .await;
    let (_, d) = app
        .get(&tok, &format!("/api/v1/applications/{on_time}"))
        .await;
    assert_eq!(d["overdue"], false);
    // A fresh one is neither overdue nor nearing; the sweep moves it as time passes.
    let now = jiff::Timestamp::now();
    let fresh = number_of(app, &tok, "SVC-M30", "MIN-ALA", &now.to_string()).await;
    let (_, d) = app
        .get(&tok, &format!("/api/v1/applications/{fresh}"))
        .await;
    let open_now = d["effective_acceptance"] == d["accepted_at"];
    if open_now {
        assert_eq!(d["overdue"], false);
        assert_eq!(d["nearing"], false);
    }
    let later = now
        .checked_add(jiff::SignedDuration::from_hours(24 * 10))
        .unwrap();
    let counts = app.store.sweep(later).await.unwrap();
    assert!(counts.became_overdue >= 1, "{counts:?}");
    let (_, d) = app
        .get(&tok, &format!("/api/v1/applications/{fresh}"))
        .await;
    assert_eq!(d["overdue"], true);
    let (_, list) = app
        .get(&tok, "/api/v1/applications?overdue=true&pending=true")
        .await;
    let listed: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["number"].as_str().unwrap())
        .collect();
    assert!(listed.contains(&fresh.as_str()));
    assert!(
        !listed.contains(&late.as_str()),
        "completed applications are not pending"
    );
    // Nearing: the last 20% of the window.
    let soon = number_of(app, &tok, "SVC-H2", "MIN-ALA", &now.to_string()).await;
    let (_, d) = app.get(&tok, &format!("/api/v1/applications/{soon}")).await;
    let deadline: jiff::Timestamp = d["deadline"].as_str().unwrap().parse().unwrap();
    let start: jiff::Timestamp = d["effective_acceptance"].as_str().unwrap().parse().unwrap();
    let at_90 = start
        .checked_add(jiff::SignedDuration::from_secs_f64(
            deadline.duration_since(start).as_secs_f64() * 0.9,
        ))
        .unwrap();
    app.store.sweep(at_90).await.unwrap();
    let (_, d) = app.get(&tok, &format!("/api/v1/applications/{soon}")).await;
    assert_eq!(d["nearing"], true);
    assert_eq!(d["overdue"], false);
}

async fn executor_change_moves_the_application(app: &TestApp) {
    app.seed().await;
    let ast = app.token_for("MIN-AST").await;
    let ala = app.token_for("MIN-ALA").await;
    let mut body = json!({"service_code": "SVC-WD5", "applicant": {"bin": crate::support::bin(77), "last_name": "ТОО", "first_name": "Қазақ"},
        "channel": "provider", "acceptance_place": "MIN-AST", "executor": "MIN-AST", "accepted_at": "2026-03-20T10:00:00+05:00"});
    let (_, a) = app.post(&ast, "/api/v1/applications", body.clone()).await;
    let n = a["number"].as_str().unwrap();
    assert_eq!(a["applicant"]["kind"], "bin");
    let (s, _) = app.get(&ala, &format!("/api/v1/applications/{n}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, e) = app.event(&ast, n, json!({"id": uuid::Uuid::new_v4().to_string(), "type": "executor_changed",
        "executor": "MIN-ALA", "executor_person": "Омаров С.", "occurred_at": "2026-03-21T10:00:00+05:00"})).await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let (s, d) = app.get(&ala, &format!("/api/v1/applications/{n}")).await;
    assert_eq!(s, StatusCode::OK, "the new executor's organization sees it");
    assert_eq!(d["executor"], "MIN-ALA");
    assert_eq!(d["executor_person"], "Омаров С.");
    let (s, e) = app
        .event(
            &ast,
            n,
            json!({"id": uuid::Uuid::new_v4().to_string(), "type": "executor_changed",
        "executor": "NOWHERE", "occurred_at": "2026-03-21T11:00:00+05:00"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "executor");
    body["applicant"]["bin"] = json!("940140000386");
    let (s, e) = app.post(&ast, "/api/v1/applications", body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["field"], "applicant.bin");
}

crate::both!(
    stages_move_forward_only,
    retries_are_idempotent,
    batches_commit_valid_items_and_explain_the_rest,
    suspensions_extend_the_deadline,
    overdue_is_detected,
    executor_change_moves_the_application,
);
