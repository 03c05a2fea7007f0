//! Concurrency (issue 15, findings 1 and 2): real concurrent HTTP clients against the real
//! server, released together by a barrier, round after round so that the races are hit.
//! Under any interleaving the answers must be those of issue 2's contract (README, "API quick
//! start"): a retried event id returns the first result and writes nothing, other content
//! under a used id is 409, every valid batch item is committed and every invalid one
//! explained; a retried registration (the same `external_id`) returns the first one. After
//! each case the histories run 1..N without a gap, the hash chains and the ledger verify
//! (what `qyzmet audit verify` runs) and the report's rollups equal the reference computation.

use crate::support::{iin, stage, TestApp};
use jiff::{SignedDuration, Timestamp};
use qyzmet_domain::violation::Month;
use qyzmet_store::audit_trail::NoSealKeys;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::Arc;
use tokio::sync::Barrier;

/// Rounds of each race: enough that an unprotected interleaving shows up.
const ROUNDS: usize = 20;

/// One request of a client.
struct Shot {
    method: Method,
    path: String,
    token: String,
    body: Value,
}

fn post(token: &str, path: impl Into<String>, body: Value) -> Shot {
    Shot {
        method: Method::POST,
        path: path.into(),
        token: token.to_string(),
        body,
    }
}

fn events_of(number: &str) -> String {
    format!("/api/v1/applications/{number}/events")
}

/// Starts one client per list, all released at once by a barrier; each sends its requests
/// in order. Returns every client's answers, in the order given.
async fn at_once(app: &TestApp, clients: Vec<Vec<Shot>>) -> Vec<Vec<(StatusCode, Value)>> {
    let barrier = Arc::new(Barrier::new(clients.len()));
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|shots| {
            let client = app.client.clone();
            let base = app.base.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let mut answers = Vec::with_capacity(shots.len());
                for s in shots {
                    let resp = client
                        .request(s.method, format!("{base}{}", s.path))
                        .bearer_auth(&s.token)
                        .header("Accept-Language", "en")
                        .json(&s.body)
                        .send()
                        .await
                        .expect("request");
                    let status = resp.status();
                    let text = resp.text().await.unwrap_or_default();
                    answers.push((
                        status,
                        serde_json::from_str(&text).unwrap_or(Value::String(text)),
                    ));
                }
                answers
            })
        })
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.expect("client task"));
    }
    out
}

/// One request per client, all at once.
async fn each_once(app: &TestApp, shots: Vec<Shot>) -> Vec<(StatusCode, Value)> {
    at_once(app, shots.into_iter().map(|s| vec![s]).collect())
        .await
        .into_iter()
        .flatten()
        .collect()
}

/// Checks that exactly one answer is 201 and every other one 409 with `code`.
fn one_created_others_conflict(answers: &[(StatusCode, Value)], code: &str, round: usize) {
    let mut created = 0;
    for (s, b) in answers {
        match *s {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => assert_eq!(b["error"]["code"], code, "round {round}"),
            other => panic!("round {round}: {other} {b}"),
        }
    }
    assert_eq!(created, 1, "round {round}: {answers:?}");
}

/// Checks that exactly one answer is 201 and every other one 200 (a retry's answer), and
/// returns the 201's body.
fn one_created_others_replayed(answers: &[(StatusCode, Value)], round: usize) -> Value {
    let created: Vec<&Value> = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(created.len(), 1, "round {round}: {answers:?}");
    for (s, b) in answers {
        assert!(
            *s == StatusCode::CREATED || *s == StatusCode::OK,
            "round {round}: {s} {b}"
        );
    }
    created[0].clone()
}

/// An event body with the given id.
fn with_id(mut body: Value, id: &str) -> Value {
    body["id"] = json!(id);
    body
}

/// A batch item: the event with its application's number.
fn item(number: &str, body: Value) -> Value {
    let mut v = body;
    v["number"] = json!(number);
    v
}

fn executor_changed(executor: &str, at: Timestamp) -> Value {
    json!({"id": uuid::Uuid::new_v4().to_string(), "type": "executor_changed",
           "executor": executor, "occurred_at": at.to_string()})
}

/// An application's detail and how many events it holds, after checking that its history
/// runs 1..N without a gap.
async fn stored(app: &TestApp, number: &str) -> (Value, usize) {
    let (s, d) = app
        .get(&app.admin, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let seqs: Vec<i64> = d["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    let n = seqs.len();
    assert_eq!(
        seqs,
        (1..=n as i64).collect::<Vec<_>>(),
        "the history of {number}"
    );
    (d, n)
}

/// An application's detail, after checking that its history holds `expected` events, 1..N.
async fn history(app: &TestApp, number: &str, expected: usize) -> Value {
    let (d, n) = stored(app, number).await;
    assert_eq!(n, expected, "the events of {number}");
    d
}

/// The hash chains and the ledger verify, as `qyzmet audit verify` checks them.
async fn audit_clean(app: &TestApp) {
    let report = app.store.verify_history(&NoSealKeys).await.unwrap();
    assert!(report.clean(), "audit findings: {:?}", report.findings);
    assert!(report.summary.applications > 0);
}

/// The report's rollups of the months of these planned dates (`YYYY-MM-DD`) equal the
/// reference computation from every application, as of now.
async fn rollups_agree(app: &TestApp, planned: impl IntoIterator<Item = String>) {
    let months: BTreeSet<String> = planned.into_iter().map(|d| d[..7].to_string()).collect();
    assert!(!months.is_empty());
    let now = Timestamp::now();
    for m in months {
        let month: Month = m.parse().unwrap();
        let rolled = app.store.violation_cells(month, now).await.unwrap();
        let reference = app
            .store
            .violation_cells_from_applications(month, now)
            .await
            .unwrap();
        assert_eq!(rolled, reference, "the rollups of {m}");
    }
}

/// Registers an application of SVC-WD5 at MIN-AST (09:00-18:30, five working days).
async fn registered(app: &TestApp, accepted_at: Timestamp) -> String {
    app.register(&app.admin, "SVC-WD5", "MIN-AST", &accepted_at.to_string())
        .await["number"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A Monday at 10:00 in Astana, `round` weeks after 2 March 2026 (all in the past).
fn monday(round: usize) -> Timestamp {
    let first: Timestamp = "2026-03-02T10:00:00+05:00".parse().unwrap();
    first + SignedDuration::from_hours(24 * 7 * round as i64)
}

fn mins(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

/// (a) Two different, consistent events for one application at once: both recorded.
async fn two_events_for_one_application_both_recorded(app: &TestApp) {
    app.seed().await;
    let mut planned = vec![];
    for round in 0..ROUNDS {
        let accepted = monday(round % 30);
        let n = registered(app, accepted).await;
        let answers = each_once(
            app,
            vec![
                post(
                    &app.admin,
                    events_of(&n),
                    stage("sent_for_execution", &(accepted + mins(60)).to_string()),
                ),
                post(
                    &app.admin,
                    events_of(&n),
                    stage("taken_into_work", &(accepted + mins(120)).to_string()),
                ),
            ],
        )
        .await;
        for (s, b) in &answers {
            assert_eq!(*s, StatusCode::CREATED, "round {round}: {b}");
        }
        let d = history(app, &n, 2).await;
        assert_eq!(d["stage"], "taken_into_work", "round {round}");
        planned.push(d["planned_date"].as_str().unwrap().to_string());
    }
    audit_clean(app).await;
    rollups_agree(app, planned).await;
}

/// (b) Two batches touching the same application at once: every item of both recorded. Then
/// two batches whose items share an id (for one application or for two): exactly one of
/// those items recorded, the other 409, and every other item of both batches recorded.
async fn batches_touching_one_application_both_recorded(app: &TestApp) {
    app.seed().await;
    let path = "/api/v1/events/batch";
    let mut planned = vec![];
    for round in 0..ROUNDS {
        let accepted = monday(round % 30);
        let x = registered(app, accepted).await;
        let y = registered(app, accepted).await;
        let z = registered(app, accepted).await;
        let at = |m: i64| (accepted + mins(m)).to_string();
        let answers = each_once(
            app,
            vec![
                post(
                    &app.admin,
                    path,
                    json!({"events": [item(&x, stage("sent_for_execution", &at(60))),
                                      item(&y, stage("executed", &at(90)))]}),
                ),
                post(
                    &app.admin,
                    path,
                    json!({"events": [item(&z, stage("executed", &at(90))),
                                      item(&x, stage("taken_into_work", &at(120)))]}),
                ),
            ],
        )
        .await;
        for (s, b) in &answers {
            assert_eq!(*s, StatusCode::OK, "round {round}: {b}");
            assert_eq!(b["recorded"], 2, "round {round}: {b}");
        }
        history(app, &x, 2).await;
        history(app, &y, 1).await;
        let d = history(app, &z, 1).await;
        planned.push(d["planned_date"].as_str().unwrap().to_string());

        // The shared id: for the same application in even rounds, for two in odd ones.
        let shared = uuid::Uuid::new_v4().to_string();
        let p = registered(app, accepted).await;
        let q = if round % 2 == 0 {
            p.clone()
        } else {
            registered(app, accepted).await
        };
        let (u, w) = (
            registered(app, accepted).await,
            registered(app, accepted).await,
        );
        let answers = each_once(
            app,
            vec![
                post(
                    &app.admin,
                    path,
                    json!({"events": [item(&u, stage("executed", &at(30))),
                                      item(&p, with_id(stage("executed", &at(40)), &shared))]}),
                ),
                post(
                    &app.admin,
                    path,
                    json!({"events": [item(&q, with_id(stage("executed", &at(50)), &shared)),
                                      item(&w, stage("executed", &at(30)))]}),
                ),
            ],
        )
        .await;
        // The contested item is the second of the first batch and the first of the second.
        let mut shared_recorded = 0;
        for ((s, b), contested) in answers.iter().zip([1, 0]) {
            assert_eq!(*s, StatusCode::OK, "round {round}: {b}");
            let results = b["results"].as_array().unwrap();
            assert_eq!(
                results[1 - contested]["status"],
                "recorded",
                "round {round}: {b}"
            );
            match results[contested]["http_status"].as_u64() {
                Some(201) => shared_recorded += 1,
                Some(409) => assert_eq!(
                    results[contested]["error"]["code"], "event_id_conflict",
                    "round {round}: {b}"
                ),
                other => panic!("round {round}: {other:?} in {b}"),
            }
        }
        assert_eq!(shared_recorded, 1, "round {round}: {answers:?}");
        for n in [&u, &w] {
            history(app, n, 1).await;
        }
        let held = if p == q {
            stored(app, &p).await.1
        } else {
            stored(app, &p).await.1 + stored(app, &q).await.1
        };
        assert_eq!(held, 1, "round {round}: the shared id is stored once");
    }
    audit_clean(app).await;
    rollups_agree(app, planned).await;
}

/// (c) The same event (same id, same content) from 8 clients at once: one 201, the others
/// 200 with the same body, one stored.
async fn the_same_event_from_eight_clients_is_stored_once(app: &TestApp) {
    app.seed().await;
    for round in 0..ROUNDS {
        let accepted = monday(round % 30);
        let n = registered(app, accepted).await;
        let event = stage("executed", &(accepted + mins(60)).to_string());
        let shots = (0..8)
            .map(|_| post(&app.admin, events_of(&n), event.clone()))
            .collect();
        let answers = each_once(app, shots).await;
        let first = one_created_others_replayed(&answers, round);
        for (_, b) in &answers {
            assert_eq!(b, &first, "round {round}: every answer is the first result");
        }
        history(app, &n, 1).await;
    }
    audit_clean(app).await;
}

/// (d) The same id with different content from 8 clients at once — for one application in
/// even rounds, for eight in odd ones: exactly one stored, the others 409.
async fn one_id_with_different_content_is_stored_once(app: &TestApp) {
    app.seed().await;
    for round in 0..ROUNDS {
        let accepted = monday(round % 30);
        let one = registered(app, accepted).await;
        let mut numbers = vec![];
        for _ in 0..8 {
            numbers.push(if round % 2 == 0 {
                one.clone()
            } else {
                registered(app, accepted).await
            });
        }
        let id = uuid::Uuid::new_v4().to_string();
        let shots = numbers
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let at = accepted + mins(60 + i as i64);
                post(
                    &app.admin,
                    events_of(n),
                    with_id(stage("executed", &at.to_string()), &id),
                )
            })
            .collect();
        one_created_others_conflict(&each_once(app, shots).await, "event_id_conflict", round);
        let mut held = 0;
        let distinct: BTreeSet<&String> = numbers.iter().collect();
        for n in distinct {
            held += stored(app, n).await.1;
        }
        assert_eq!(held, 1, "round {round}: one stored");
    }
    audit_clean(app).await;
}

fn registration(external_id: &str, accepted_at: Timestamp) -> Value {
    json!({"service_code": "SVC-WD5",
           "applicant": {"iin": iin(17), "last_name": "Ахметов", "first_name": "Айбек"},
           "channel": "provider", "acceptance_place": "MIN-AST", "executor": "MIN-AST",
           "accepted_at": accepted_at.to_string(), "external_id": external_id})
}

/// (e) A registration with the same `external_id` from 8 clients at once (a provider's
/// retry after a timeout): one 201, the others 200 with the same number; with other content
/// under that id, one 201 and the others 409.
async fn one_external_id_registers_once(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN").await;
    for round in 0..ROUNDS {
        let accepted = monday(round % 30);
        let before = app.store.count_applications().await.unwrap();
        let ext = format!("retry-{round}");
        let shots = (0..8)
            .map(|_| post(&tok, "/api/v1/applications", registration(&ext, accepted)))
            .collect();
        let answers = each_once(app, shots).await;
        let first = one_created_others_replayed(&answers, round);
        for (_, b) in &answers {
            assert_eq!(
                b["number"], first["number"],
                "round {round}: the same application"
            );
        }

        let ext = format!("taken-{round}");
        let shots = (0..8)
            .map(|i| {
                post(
                    &tok,
                    "/api/v1/applications",
                    registration(&ext, accepted + mins(i)),
                )
            })
            .collect();
        one_created_others_conflict(&each_once(app, shots).await, "external_id_taken", round);
        let after = app.store.count_applications().await.unwrap();
        assert_eq!(
            after - before,
            2,
            "round {round}: one application per external id"
        );
    }
    audit_clean(app).await;
}

/// (f) 16 clients sending events to one hot application at once, 8 each: all stored, the
/// history 1..128 without a gap, the chains and the ledger verify, the rollups agree. The
/// events hand the application between two executors, so most of them move it in the
/// rollups.
async fn sixteen_clients_on_one_hot_application(app: &TestApp) {
    app.seed().await;
    let mut planned = vec![];
    for round in 0..2 {
        let accepted = monday(round);
        let n = registered(app, accepted).await;
        let clients = (0..16)
            .map(|c| {
                (0..8)
                    .map(|k| {
                        let at = accepted + mins(1 + c * 8 + k);
                        let to = if (c + k) % 2 == 0 {
                            "MIN-ALA"
                        } else {
                            "MIN-AST"
                        };
                        post(&app.admin, events_of(&n), executor_changed(to, at))
                    })
                    .collect()
            })
            .collect();
        for answers in at_once(app, clients).await {
            for (s, b) in answers {
                assert_eq!(s, StatusCode::CREATED, "round {round}: {b}");
            }
        }
        let d = history(app, &n, 128).await;
        planned.push(d["planned_date"].as_str().unwrap().to_string());
    }
    audit_clean(app).await;
    rollups_agree(app, planned).await;
}

/// Weeks with no holiday in the shipped calendar, so that every edit below moves the dates.
const QUIET_WEEKS: [&str; 10] = [
    "2026-09-07",
    "2026-09-14",
    "2026-09-21",
    "2026-09-28",
    "2026-10-05",
    "2026-10-12",
    "2026-11-02",
    "2026-11-09",
    "2026-11-16",
    "2026-11-23",
];

/// Makes `day` (`week`'s Monday plus `days`) a day off.
fn day_off(app: &TestApp, week: &str, days: i64) -> Shot {
    let monday: jiff::civil::Date = week.parse().unwrap();
    Shot {
        method: Method::PUT,
        path: format!("/api/v1/calendar/{}", monday + jiff::Span::new().days(days)),
        token: app.admin.clone(),
        body: json!({"kind": "day_off", "name": "Test day off", "source": "test"}),
    }
}

/// The planned date of an application of SVC-WD5 accepted on `week`'s Monday at 10:00, by
/// the deadline calculator (the calendar as edited), checked against `days` after Monday.
async fn planned_now(app: &TestApp, week: &str, days: i64) -> Value {
    let (s, expected) = app
        .get(
            &app.admin,
            &format!(
                "/api/v1/calendar/deadline?accepted_at={week}T05:00:00Z&term=5\
                 &unit=working_days&working_hours=09:00-18:30"
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{expected}");
    let monday: jiff::civil::Date = week.parse().unwrap();
    assert_eq!(
        expected["planned_date"],
        (monday + jiff::Span::new().days(days)).to_string(),
        "{week}: {expected}"
    );
    expected["planned_date"].clone()
}

/// Three applications accepted on `week`'s Monday at 10:00: the acceptance and numbers.
async fn week_of(app: &TestApp, week: &str) -> (Timestamp, Vec<String>) {
    let accepted: Timestamp = format!("{week}T10:00:00+05:00").parse().unwrap();
    let mut numbers = vec![];
    for _ in 0..3 {
        numbers.push(registered(app, accepted).await);
    }
    (accepted, numbers)
}

/// Checks that each application holds `events` events and is planned for `expected`, the
/// calculator's date with every edit made; returns their planned dates.
async fn planned_as(
    app: &TestApp,
    numbers: &[String],
    events: usize,
    expected: &Value,
    round: usize,
) -> Vec<String> {
    let mut planned = vec![];
    for n in numbers {
        let d = history(app, n, events).await;
        assert_eq!(
            &d["planned_date"], expected,
            "round {round}: {n} reflects every edit"
        );
        planned.push(d["planned_date"].as_str().unwrap().to_string());
    }
    planned
}

/// (g) A lost update: a calendar edit recomputes the deadlines of the applications that
/// depend on the day edited while events for them arrive. Every event must be kept (the
/// recomputation may not write back the event count and head it read before them) and every
/// planned date must reflect the edit (no event may recompute it with the calendar before).
async fn a_calendar_edit_and_events_at_once_lose_nothing(app: &TestApp) {
    app.seed().await;
    let mut planned = vec![];
    for (round, week) in QUIET_WEEKS.iter().enumerate() {
        let (accepted, numbers) = week_of(app, week).await;
        let mut shots = vec![day_off(app, week, 1)];
        for n in &numbers {
            shots.push(post(
                &app.admin,
                events_of(n),
                stage("sent_for_execution", &(accepted + mins(60)).to_string()),
            ));
        }
        let answers = each_once(app, shots).await;
        for (i, (s, b)) in answers.iter().enumerate() {
            let want = if i == 0 {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            };
            assert_eq!(*s, want, "round {round}: {b}");
        }
        for n in &numbers {
            history(app, n, 1).await;
            // Its stored event count and head still follow its history.
            let (s, b) = app
                .event(
                    &app.admin,
                    n,
                    stage("taken_into_work", &(accepted + mins(120)).to_string()),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "round {round}: {b}");
        }
        audit_clean(app).await;
        // Tuesday off: Monday's five working days end on the next Tuesday.
        let expected = planned_now(app, week, 8).await;
        planned.extend(planned_as(app, &numbers, 2, &expected, round).await);
    }
    rollups_agree(app, planned).await;
}

/// (g) A lost update: two calendar edits at once, both moving the same applications'
/// deadlines. Each planned date must reflect both (neither edit may recompute without the
/// other).
async fn two_calendar_edits_at_once_both_count(app: &TestApp) {
    app.seed().await;
    let mut planned = vec![];
    for (round, week) in QUIET_WEEKS.iter().enumerate() {
        let (_, numbers) = week_of(app, week).await;
        let answers = each_once(app, vec![day_off(app, week, 1), day_off(app, week, 2)]).await;
        for (s, b) in &answers {
            assert_eq!(*s, StatusCode::OK, "round {round}: {b}");
        }
        // Tuesday and Wednesday off: the five working days end on the Wednesday after next.
        let expected = planned_now(app, week, 9).await;
        planned.extend(planned_as(app, &numbers, 0, &expected, round).await);
    }
    audit_clean(app).await;
    rollups_agree(app, planned).await;
}

/// Applications the sweep and the batches rewrite at once.
const SWEPT: usize = 100;

/// (g) The overdue sweep while batches rewrite the same applications' projections: neither
/// fails (no deadlock between them), every event is stored.
async fn the_sweep_and_batches_at_once(app: &TestApp) {
    app.seed().await;
    let accepted = Timestamp::now() - mins(30);
    let mut numbers = vec![];
    for _ in 0..SWEPT {
        numbers.push(
            app.register(&app.admin, "SVC-M30", "MIN-ALA", &accepted.to_string())
                .await["number"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    for round in 0..ROUNDS {
        let barrier = Arc::new(Barrier::new(2));
        let store = app.store.clone();
        let b = barrier.clone();
        // A sweep a week ahead flips every one of them; each event recomputes the flags with
        // the real clock and flips them back, so every round both write every row.
        // The batch reaches its writes some milliseconds after it is sent: the sweep starts
        // at a varying moment within them.
        let delay = std::time::Duration::from_micros(rand::random_range(0..30_000));
        let sweep = tokio::spawn(async move {
            b.wait().await;
            tokio::time::sleep(delay).await;
            store
                .sweep(Timestamp::now() + SignedDuration::from_hours(24 * 7))
                .await
        });
        let at = accepted + SignedDuration::from_secs(round as i64 + 1);
        let to = if round % 2 == 0 { "MIN-AST" } else { "MIN-ALA" };
        let items: Vec<Value> = numbers
            .iter()
            .rev()
            .map(|n| item(n, executor_changed(to, at)))
            .collect();
        let client = app.client.clone();
        let url = app.url("/api/v1/events/batch");
        let token = app.admin.clone();
        let batch = tokio::spawn(async move {
            barrier.wait().await;
            let resp = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "events": items }))
                .send()
                .await
                .expect("request");
            (
                resp.status(),
                resp.json::<Value>().await.unwrap_or_default(),
            )
        });
        let swept = sweep.await.unwrap();
        assert!(swept.is_ok(), "round {round}: {swept:?}");
        let (s, b) = batch.await.unwrap();
        assert_eq!(s, StatusCode::OK, "round {round}: {b}");
        assert_eq!(b["recorded"], SWEPT, "round {round}: {b}");
    }
    for n in &numbers {
        history(app, n, ROUNDS).await;
    }
    audit_clean(app).await;
}

/// (g) The same feedback (id and content) from 8 clients at once: one 201, the others 200
/// with the same body, one stored; other content under that id: 409.
async fn the_same_feedback_from_eight_clients_is_stored_once(app: &TestApp) {
    app.seed().await;
    for round in 0..ROUNDS {
        let n = registered(app, monday(round % 30)).await;
        let id = uuid::Uuid::new_v4().to_string();
        let body = json!({"id": id, "question": "process", "rating": 4,
                          "given_at": monday(round % 30).to_string()});
        let path = format!("/api/v1/applications/{n}/feedback");
        let shots = (0..8)
            .map(|_| post(&app.admin, &path, body.clone()))
            .collect();
        let answers = each_once(app, shots).await;
        let first = one_created_others_replayed(&answers, round);
        for (_, b) in &answers {
            assert_eq!(b, &first, "round {round}: every answer is the first result");
        }
        let mut other = body.clone();
        other["rating"] = json!(2);
        let (s, b) = app.post(&app.admin, &path, other).await;
        assert_eq!(s, StatusCode::CONFLICT, "{b}");
    }
}

/// (g) A lost update: eight changes of one outage at once. Each must replace (and audit,
/// and have the reports revised from) what the one before it wrote, not what all read.
async fn eight_outage_changes_at_once_audit_what_they_replaced(app: &TestApp) {
    app.seed().await;
    let body = |day: u32| {
        json!({"started_at": format!("2026-03-{day:02}T08:00:00+05:00"),
               "ended_at": format!("2026-03-{day:02}T10:00:00+05:00"),
               "systems": ["egov_gateway"], "operator": "NIT", "description": "test"})
    };
    for round in 0..ROUNDS {
        let (s, o) = app.post(&app.admin, "/api/v1/outages", body(1)).await;
        assert_eq!(s, StatusCode::CREATED, "{o}");
        let id = o["id"].as_i64().unwrap();
        let shots = (2..10)
            .map(|day| Shot {
                method: Method::PUT,
                path: format!("/api/v1/outages/{id}"),
                token: app.admin.clone(),
                body: body(day),
            })
            .collect();
        for (s, b) in each_once(app, shots).await {
            assert_eq!(s, StatusCode::OK, "round {round}: {b}");
        }
        let audit = app
            .store
            .audit_of(&format!("outage:{id}"), 10)
            .await
            .unwrap();
        let replaced: Vec<&str> = audit
            .iter()
            .filter(|e| e.action == "outage.update")
            .map(|e| e.detail.as_str())
            .collect();
        let distinct: BTreeSet<&str> = replaced.iter().copied().collect();
        assert_eq!(replaced.len(), 8, "round {round}: {audit:?}");
        assert_eq!(
            distinct.len(),
            8,
            "round {round}: each change replaced the one before it: {replaced:?}"
        );
    }
}

/// (g) Eight changes of one service's terms at once: each takes its own version (two that
/// read the same version collided on it: 500).
async fn eight_term_changes_at_once_take_eight_versions(app: &TestApp) {
    app.seed().await;
    for round in 0..ROUNDS {
        let shots = (0..8)
            .map(|i| Shot {
                method: Method::PUT,
                path: "/api/v1/services/ARCH-001/terms".into(),
                token: app.admin.clone(),
                body: json!({"terms": [{"variant": "standard", "amount": 10 + i,
                                        "unit": "calendar_days"}],
                             "legal_basis": "Order No. 1"}),
            })
            .collect();
        for (s, b) in each_once(app, shots).await {
            assert_eq!(s, StatusCode::OK, "round {round}: {b}");
        }
        let code = qyzmet_domain::ids::ServiceCode::parse("ARCH-001").unwrap();
        let svc = app.store.service(&code).await.unwrap().unwrap();
        assert_eq!(
            svc.terms_version,
            1 + 8 * (round as i64 + 1),
            "round {round}: one version each"
        );
    }
}

crate::both!(
    two_events_for_one_application_both_recorded,
    batches_touching_one_application_both_recorded,
    the_same_event_from_eight_clients_is_stored_once,
    one_id_with_different_content_is_stored_once,
    one_external_id_registers_once,
    sixteen_clients_on_one_hot_application,
    a_calendar_edit_and_events_at_once_lose_nothing,
    two_calendar_edits_at_once_both_count,
    the_sweep_and_batches_at_once,
    the_same_feedback_from_eight_clients_is_stored_once,
    eight_outage_changes_at_once_audit_what_they_replaced,
    eight_term_changes_at_once_take_eight_versions,
);
