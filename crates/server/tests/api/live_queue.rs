//! The live-queue fallback (issue 18, point 5; 001 §6) on both backends through the real
//! server: ranges cut from the day's sequence, the switch to the live queue (recorded, no
//! electronic ticket meanwhile), two offline journals — a counter's sent before the kiosk's
//! whose numbers it serves — reconciled into the tickets with every visit accounted for, a
//! number outside the device's range refused, a resent journal changing nothing, and the
//! electronic queue going on after the ranges without reusing a number.

use crate::front_office::{office, take};
use crate::support::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn at(mins_ago: i64) -> String {
    (jiff::Timestamp::now() - jiff::SignedDuration::from_mins(mins_ago)).to_string()
}

async fn two_offline_journals_are_reconciled(app: &TestApp) {
    office(app, "LQ-01", 2).await;
    let (s, first) = take(
        app,
        Some(&app.admin),
        "LQ-01",
        json!({"purpose": "acceptance"}),
    )
    .await;
    assert_eq!(
        (s, first["number"].as_str()),
        (StatusCode::CREATED, Some("A001")),
        "{first}"
    );

    // Ranges, while the server answers: from the day's sequence, after the electronic ticket.
    let range = |device: &'static str, size: i64| async move {
        let (s, r) = app
            .post(
                &app.admin,
                "/api/v1/offices/LQ-01/ranges",
                json!({"device": device, "size": size}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        r
    };
    let kiosk = range("kiosk-1", 10).await;
    assert_eq!(
        (kiosk["first"].as_i64(), kiosk["last"].as_i64()),
        (Some(2), Some(11))
    );
    let counter = range("counter-1", 5).await;
    assert_eq!(
        (counter["first"].as_i64(), counter["last"].as_i64()),
        (Some(12), Some(16))
    );
    let (s, e) = app
        .post(
            &app.admin,
            "/api/v1/offices/LQ-01/ranges",
            json!({"device": "kiosk-2", "size": 501}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("size"))
    );

    // The switch, with its reason; no electronic ticket while live.
    let (s, o) = app
        .post(
            &app.admin,
            "/api/v1/offices/LQ-01/mode",
            json!({"mode": "live", "reason": "the network is down"}),
        )
        .await;
    assert_eq!(
        (s, o["mode"].as_str()),
        (StatusCode::OK, Some("live")),
        "{o}"
    );
    let (s, e) = take(
        app,
        Some(&app.admin),
        "LQ-01",
        json!({"purpose": "acceptance"}),
    )
    .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("queue_live"))
    );
    let (s, e) = app
        .post(
            &app.admin,
            "/api/v1/offices/LQ-01/mode",
            json!({"mode": "live", "reason": "again"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("queue_mode_unchanged"))
    );

    // The counter's journal comes first: it served the electronic A001 (applied at once) and
    // two of the kiosk's numbers, not known yet (pending).
    let counter_journal = json!({"device": "counter-1", "entries": [
        {"id": "c-1", "kind": "served", "number": "A001", "window": 1, "called_at": at(40), "started_at": at(39), "finished_at": at(30), "outcome": "accepted"},
        {"id": "c-2", "kind": "served", "number": "A002", "window": 1, "called_at": at(29), "started_at": at(28), "finished_at": at(20)},
        {"id": "c-3", "kind": "served", "number": "A003", "window": 2, "called_at": at(19), "no_show": true},
    ]});
    let (s, r) = app
        .post(&app.admin, "/api/v1/offices/LQ-01/journal", counter_journal)
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        (
            r["received"].as_i64(),
            r["applied"].as_i64(),
            r["pending"].as_i64()
        ),
        (Some(3), Some(1), Some(2)),
        "{r}"
    );

    // The kiosk's: three numbers of its range, one outside it (refused); the counter's
    // waiting entries apply now.
    let kiosk_journal = json!({"device": "kiosk-1", "entries": [
        {"id": "k-1", "kind": "taken", "number": "A002", "at": at(50)},
        {"id": "k-2", "kind": "taken", "number": "A003", "at": at(45), "priority": "elderly"},
        {"id": "k-3", "kind": "taken", "number": "B004", "at": at(10), "service_code": "ARCH-001"},
        {"id": "k-4", "kind": "taken", "number": "A050", "at": at(5)},
    ]});
    let (s, r) = app
        .post(
            &app.admin,
            "/api/v1/offices/LQ-01/journal",
            kiosk_journal.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        (
            r["received"].as_i64(),
            r["applied"].as_i64(),
            r["pending"].as_i64()
        ),
        (Some(4), Some(5), Some(0)),
        "{r}"
    );
    assert_eq!(
        r["refused"],
        json!([{"id": "k-4", "code": "number_outside_range"}])
    );
    // A counter's typo: B002 is no ticket (002 is A002's number): refused, not left pending.
    let (_, typo) = app
        .post(
            &app.admin,
            "/api/v1/offices/LQ-01/journal",
            json!({"device": "counter-1", "entries": [
            {"id": "c-4", "kind": "served", "number": "B002", "window": 1, "called_at": at(2)}]}),
        )
        .await;
    assert_eq!(
        typo["refused"],
        json!([{"id": "c-4", "code": "number_other_purpose"}]),
        "{typo}"
    );
    // Sent again (the kiosk did not get the answer): nothing changes.
    let (_, again) = app
        .post(&app.admin, "/api/v1/offices/LQ-01/journal", kiosk_journal)
        .await;
    assert_eq!(
        (again["received"].as_i64(), again["applied"].as_i64()),
        (Some(0), Some(0)),
        "{again}"
    );
    // A bad entry is named by its place.
    let (s, e) = app
        .post(
            &app.admin,
            "/api/v1/offices/LQ-01/journal",
            json!({"device": "kiosk-1", "entries": [
            {"id": "k-9", "kind": "taken", "number": "Z1", "at": at(1)}]}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("entries[0].number")),
        "{e}"
    );

    // Every visit accounted for: four visits, two served, one not shown, B004 still waiting.
    let today = qyzmet_domain::zone::local_date(jiff::Timestamp::now());
    let (_, f) = app
        .get(
            &app.admin,
            &format!("/api/v1/offices/LQ-01/figures?from={today}&to={today}"),
        )
        .await;
    let t: &Value = &f["total"];
    assert_eq!(
        (
            t["visits"].as_i64(),
            t["served"].as_i64(),
            t["no_shows"].as_i64()
        ),
        (Some(4), Some(2), Some(1)),
        "{f}"
    );
    let (_, board) = app.get(&app.admin, "/api/v1/offices/LQ-01/board").await;
    let waiting: Vec<&str> = board["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["number"].as_str().unwrap())
        .collect();
    assert_eq!(waiting, ["B004"]);

    // Back to the electronic queue: the next number follows the ranges.
    let (s, o) = app
        .post(
            &app.admin,
            "/api/v1/offices/LQ-01/mode",
            json!({"mode": "electronic", "reason": "the network is back"}),
        )
        .await;
    assert_eq!(
        (s, o["mode"].as_str()),
        (StatusCode::OK, Some("electronic"))
    );
    let (_, next) = take(
        app,
        Some(&app.admin),
        "LQ-01",
        json!({"purpose": "acceptance"}),
    )
    .await;
    assert_eq!(next["number"], "A017");
}

crate::both!(two_offline_journals_are_reconciled);
