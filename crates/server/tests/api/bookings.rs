//! Booked visits and retried tickets (issue 18; 001 §12), on both backends through the real
//! server: an office's free slots, a booking with its confirmation and reminder written to the
//! outbox, moved and cancelled (the reminder taken back, the place free again), checked in at
//! the kiosk by its code (a ticket of the booked group with its slot), every refusal named by
//! its field; sixteen clients racing for the last place (one wins); a ticket taken twice with
//! one `Idempotency-Key` is one ticket, also when the two requests run at once.

use crate::front_office::{office, take, working_day};
use crate::support::TestApp;
use jiff::civil::Date;
use qyzmet_store::OutboxFilter;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashSet;

const SERVICE: &str = "ARCH-001";

async fn slots(app: &TestApp, code: &str, date: Date) -> Value {
    let (s, body) = app
        .send(
            Method::GET,
            None,
            &format!("/api/v1/offices/{code}/slots?service_code={SERVICE}&date={date}"),
            None,
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    body
}

/// The first slot still ahead, today or tomorrow (both made working days): within the hour
/// check-in opens before it, whatever the time the test runs at.
async fn next_slot(app: &TestApp, code: &str) -> (Date, String) {
    let today = qyzmet_domain::zone::local_date(jiff::Timestamp::now());
    let tomorrow = today.tomorrow().unwrap();
    working_day(app, tomorrow).await;
    for d in [today, tomorrow] {
        let body = slots(app, code, d).await;
        if let Some(first) = body["items"].as_array().and_then(|i| i.first()) {
            return (d, first["start"].as_str().unwrap().to_string());
        }
    }
    panic!("no slot today or tomorrow");
}

async fn book(app: &TestApp, token: Option<&str>, code: &str, body: Value) -> (StatusCode, Value) {
    app.send(
        Method::POST,
        token,
        &format!("/api/v1/offices/{code}/bookings"),
        Some(&body),
        Some("en"),
    )
    .await
}

async fn booking_messages(app: &TestApp, id: &str) -> Vec<(String, String, jiff::Timestamp)> {
    let all = app
        .store
        .outbox(&OutboxFilter {
            limit: 500,
            ..Default::default()
        })
        .await
        .unwrap();
    let mut mine: Vec<_> = all
        .into_iter()
        .filter(|m| m.key.starts_with(&format!("booking:{id}:")))
        .map(|m| (m.key, m.body, m.next_attempt_at))
        .collect();
    mine.sort();
    mine
}

async fn a_visit_is_booked_moved_cancelled_and_checked_in(app: &TestApp) {
    office(app, "BK-01", 2).await;
    let (date, start) = next_slot(app, "BK-01").await;
    let before = slots(app, "BK-01", date).await;
    assert_eq!(before["minutes"], 15, "no passport: the default slot");
    let first = &before["items"][0];
    assert_eq!(
        (first["capacity"].as_i64(), first["free"].as_i64()),
        (Some(2), Some(2))
    );

    // Booked with a contact: a code, the contact masked, a confirmation by e-mail and SMS.
    let (s, b) = book(
        app,
        None,
        "BK-01",
        json!({"service_code": SERVICE, "date": date.to_string(), "start": start,
               "contact": {"email": "aigerim@mail.kz", "phone": "+7 701 123 45 67", "language": "ru"}}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let id = b["id"].as_str().unwrap().to_string();
    let code = b["code"].as_str().unwrap().to_string();
    assert!(
        code.len() == 6 && code.bytes().all(|c| c.is_ascii_digit()),
        "{code}"
    );
    assert_eq!(b["state"], "booked");
    assert!(!b.to_string().contains("aigerim@mail.kz"), "masked: {b}");
    assert_eq!(b["contact"].as_array().unwrap().len(), 2);
    let after = slots(app, "BK-01", date).await;
    assert_eq!(after["items"][0]["free"], 1);
    let sent = booking_messages(app, &id).await;
    let kinds: Vec<&str> = sent
        .iter()
        .map(|m| m.0.split(':').nth(3).unwrap())
        .collect();
    assert!(kinds.contains(&"confirmation"), "{sent:?}");
    assert!(
        sent.iter()
            .any(|m| m.1.contains(&code) && m.1.contains("Отдел")),
        "{sent:?}"
    );

    // A booking days ahead is reminded a day before.
    let later = date.checked_add(jiff::Span::new().days(3)).unwrap();
    working_day(app, later).await;
    let (s, far) = book(
        app,
        None,
        "BK-01",
        json!({"service_code": SERVICE, "date": later.to_string(), "start": "10:00",
               "contact": {"email": "aigerim@mail.kz"}}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{far}");
    let far_id = far["id"].as_str().unwrap().to_string();
    let sent = booking_messages(app, &far_id).await;
    let reminder = sent
        .iter()
        .find(|m| m.0.contains(":reminder:"))
        .expect("a reminder");
    let starts: jiff::Timestamp = far["starts_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(reminder.2, starts - jiff::SignedDuration::from_hours(24));
    assert!(
        reminder.1.starts_with("Еске саламыз"),
        "Kazakh by default: {}",
        reminder.1
    );

    // Moved: same link and code, the old reminder gone, a new one due a day before.
    let (s, moved) = app
        .send(
            Method::POST,
            None,
            &format!("/api/v1/bookings/{far_id}/reschedule"),
            Some(&json!({"date": later.to_string(), "start": "11:00"})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{moved}");
    assert_eq!(
        (moved["id"].as_str(), moved["code"].as_str()),
        (far["id"].as_str(), far["code"].as_str())
    );
    assert!(
        moved["starts_at"].as_str().unwrap().contains("T11:00"),
        "{moved}"
    );
    let sent = booking_messages(app, &far_id).await;
    let reminders: Vec<_> = sent.iter().filter(|m| m.0.contains(":reminder:")).collect();
    assert_eq!(reminders.len(), 1, "{sent:?}");
    let new_start: jiff::Timestamp = moved["starts_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        reminders[0].2,
        new_start - jiff::SignedDuration::from_hours(24)
    );
    let (s, same) = app
        .send(
            Method::POST,
            None,
            &format!("/api/v1/bookings/{far_id}/reschedule"),
            Some(&json!({"date": later.to_string(), "start": "11:00"})),
            Some("en"),
        )
        .await;
    assert_eq!(
        (s, same["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("booking_same_slot")),
        "{same}"
    );

    // Cancelled: the place free, the reminder taken back, a second cancel refused.
    let (s, gone) = app
        .send(
            Method::POST,
            None,
            &format!("/api/v1/bookings/{far_id}/cancel"),
            None,
            Some("en"),
        )
        .await;
    assert_eq!(
        (s, gone["state"].as_str()),
        (StatusCode::OK, Some("cancelled")),
        "{gone}"
    );
    assert!(booking_messages(app, &far_id)
        .await
        .iter()
        .all(|m| !m.0.contains(":reminder:")));
    let (s, again) = app
        .send(
            Method::POST,
            None,
            &format!("/api/v1/bookings/{far_id}/cancel"),
            None,
            Some("en"),
        )
        .await;
    assert_eq!(
        (s, again["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("booking_not_standing"))
    );

    // Checked in at the kiosk by its code: a ticket of the booked group with its slot.
    let (s, t) = app
        .post(
            &app.admin,
            "/api/v1/offices/BK-01/check-in",
            json!({"code": code}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    assert_eq!(
        (t["priority"].as_str(), t["state"].as_str()),
        (Some("booked"), Some("waiting")),
        "{t}"
    );
    assert_eq!(t["purpose"], "acceptance");
    let (_, shown) = app
        .send(
            Method::GET,
            None,
            &format!("/api/v1/bookings/{id}"),
            None,
            Some("en"),
        )
        .await;
    assert_eq!(shown["state"], "checked_in");
    assert_eq!(shown["ticket"], t["id"]);
    let (s, twice) = app
        .post(
            &app.admin,
            "/api/v1/offices/BK-01/check-in",
            json!({"code": code}),
        )
        .await;
    assert_eq!(
        (s, twice["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("booking_not_found"))
    );
    let (s, by_link) = app
        .send(
            Method::POST,
            None,
            &format!("/api/v1/bookings/{id}/check-in"),
            None,
            Some("en"),
        )
        .await;
    assert_eq!(
        (s, by_link["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("booking_not_standing"))
    );

    // The staff's list of the day: contacts masked.
    let (s, list) = app
        .get(
            &app.admin,
            &format!("/api/v1/offices/BK-01/bookings?date={date}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["id"] == id.as_str()));
    assert!(!list.to_string().contains("aigerim@"), "{list}");
    let (s, _) = app
        .send(
            Method::GET,
            None,
            &format!("/api/v1/offices/BK-01/bookings?date={date}"),
            None,
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // Refusals, each named by its field, in the caller's language.
    let far_away = date.checked_add(jiff::Span::new().days(45)).unwrap();
    let cases = [
        (
            json!({"service_code": SERVICE, "date": far_away.to_string(), "start": "10:00"}),
            "date",
            "outside_booking_horizon",
        ),
        (
            json!({"service_code": SERVICE, "date": later.to_string(), "start": "25:00"}),
            "start",
            "time_invalid",
        ),
        (
            json!({"service_code": SERVICE, "date": later.to_string(), "start": "10:07"}),
            "start",
            "slot_unknown",
        ),
        (
            json!({"service_code": "NOPE-1", "date": later.to_string(), "start": "10:00"}),
            "service_code",
            "unknown_service",
        ),
        (
            json!({"service_code": SERVICE, "date": later.to_string(), "start": "10:00", "contact": {"email": "not-an-address"}}),
            "contact.email",
            "invalid_email",
        ),
        (
            json!({"service_code": SERVICE, "date": later.to_string(), "start": "10:00", "purpose": "self_service"}),
            "purpose",
            "enum_invalid",
        ),
    ];
    for (body, field, code) in cases {
        let (s, e) = book(app, Some(&app.admin), "BK-01", body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {e}");
        assert_eq!(
            (e["error"]["code"].as_str(), e["error"]["field"].as_str()),
            (Some(code), Some(field)),
            "{e}"
        );
    }
    let (s, e) = app
        .send(
            Method::POST,
            None,
            "/api/v1/offices/BK-01/bookings",
            Some(&json!({"service_code": SERVICE, "date": later.to_string(), "start": "25:00"})),
            Some("ru"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("время приёма"),
        "{e}"
    );
    let (s, e) = app
        .post(
            &app.admin,
            "/api/v1/offices/BK-01/check-in",
            json!({"code": "12ab"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("code")),
        "{e}"
    );
}

async fn sixteen_clients_racing_for_the_last_place_one_wins(app: &TestApp) {
    office(app, "BK-02", 2).await;
    let (date, start) = next_slot(app, "BK-02").await;
    let body = json!({"service_code": SERVICE, "date": date.to_string(), "start": start});
    let (s, first) = book(app, Some(&app.admin), "BK-02", body.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    let racers = (0..16).map(|_| {
        let body = body.clone();
        async move { book(app, Some(&app.admin), "BK-02", body).await }
    });
    let results = futures::future::join_all(racers).await;
    let won: Vec<&Value> = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(won.len(), 1, "{results:?}");
    for (s, b) in &results {
        assert!(
            *s == StatusCode::CREATED
                || (*s == StatusCode::CONFLICT && b["error"]["code"] == "slot_full"),
            "{s} {b}"
        );
    }
    let after = slots(app, "BK-02", date).await;
    let slot = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["start"] == start.as_str())
        .unwrap();
    assert_eq!(slot["free"], 0, "{slot}");
    let (_, list) = app
        .get(
            &app.admin,
            &format!("/api/v1/offices/BK-02/bookings?date={date}"),
        )
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2, "{list}");
}

async fn a_ticket_taken_twice_with_one_key_is_one_ticket(app: &TestApp) {
    office(app, "BK-03", 1).await;
    let take_keyed = |key: &'static str| async move {
        let resp = app
            .client
            .post(app.url("/api/v1/offices/BK-03/tickets"))
            .bearer_auth(&app.admin)
            .header("Idempotency-Key", key)
            .header("Accept-Language", "en")
            .json(&json!({"purpose": "acceptance"}))
            .send()
            .await
            .unwrap();
        let s = resp.status();
        (s, resp.json::<Value>().await.unwrap())
    };
    let (s, a) = take_keyed("kiosk-1:0001").await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let (_, b) = take_keyed("kiosk-1:0001").await;
    assert_eq!((&a["id"], &a["number"]), (&b["id"], &b["number"]));
    let at_once = futures::future::join_all((0..8).map(|_| take_keyed("kiosk-1:0002"))).await;
    let ids: HashSet<String> = at_once
        .iter()
        .map(|(s, t)| {
            assert_eq!(*s, StatusCode::CREATED, "{t}");
            t["id"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(ids.len(), 1, "{at_once:?}");
    let (_, other) = take(
        app,
        Some(&app.admin),
        "BK-03",
        json!({"purpose": "acceptance"}),
    )
    .await;
    assert_ne!(other["id"], a["id"]);
    // Two keys, three tickets: numbers 1–3 of the day, none skipped by the retries.
    let numbers: HashSet<&str> = [&a, &at_once[0].1, &other]
        .iter()
        .map(|t| t["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, HashSet::from(["A001", "A002", "A003"]));
    let (s, e) = take_keyed("has space").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "Idempotency-Key");
}

crate::both!(
    a_visit_is_booked_moved_cancelled_and_checked_in,
    sixteen_clients_racing_for_the_last_place_one_wins,
    a_ticket_taken_twice_with_one_key_is_one_ticket,
);
