//! The front office's electronic queue (issue 18; 001 §3, §6, §12), on both backends through
//! the real server: offices and counters set up with every refusal named by its field, a
//! ticket taken at the kiosk or on the way, called by the office's rule (priority head starts),
//! recalled, served, finished, redirected or marked not shown — each step in the journal
//! (001 §21) — organizations reach only their own offices, and eight counters calling at once
//! never get the same ticket.

use crate::browser::user;
use crate::support::TestApp;
use qyzmet_server::config::Config;
use qyzmet_store::UserRole;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashSet;

/// Every day of the week, 00:00–23:59: an office open whenever the tests run.
fn around_the_clock() -> Value {
    json!({"rows": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "hours": "00:00-23:59"}]})
}

/// Today (Almaty) made a working day if the calendar has it off, and out of the minute
/// 23:59–00:00 the week above leaves closed: the office is open while the test runs.
pub(crate) async fn open_today(app: &TestApp) {
    let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Asia/Almaty").unwrap());
    if now.hour() == 23 && now.minute() == 59 {
        tokio::time::sleep(std::time::Duration::from_secs(61)).await;
    }
    let today = qyzmet_domain::zone::local_date(jiff::Timestamp::now());
    working_day(app, today).await;
}

/// `day` made a working day if the calendar has it off.
pub(crate) async fn working_day(app: &TestApp, today: jiff::civil::Date) {
    let (s, cal) = app.get(&app.admin, "/api/v1/calendar").await;
    assert_eq!(s, StatusCode::OK, "{cal}");
    let off = cal["entries"]
        .as_array()
        .map(|es| {
            es.iter()
                .any(|e| e["date"] == today.to_string() && e["kind"] == "day_off")
        })
        .unwrap_or(false);
    if off {
        let (s, body) = app
            .send(
                Method::PUT,
                Some(&app.admin),
                &format!("/api/v1/calendar/{today}"),
                Some(&json!({"kind": "working_day", "name": "test", "source": "test"})),
                Some("en"),
            )
            .await;
        assert!(s.is_success(), "{body}");
    }
}

/// The seeded registry, an office of the branch GOV-1 open around the clock, and `n` counters
/// serving acceptance and issue, open.
pub(crate) async fn office(app: &TestApp, code: &str, counters: usize) -> Vec<i64> {
    app.seed().await;
    office_with(app, code, counters, json!({})).await
}

/// An office as [`office`] makes it (the registry seeded before), with the settings of
/// `extra` besides.
async fn office_with(app: &TestApp, code: &str, counters: usize, extra: Value) -> Vec<i64> {
    open_today(app).await;
    let mut body = json!({"code": code, "organization": "GOV-1", "kind": "duty",
                   "name": {"kk": "Бөлім", "ru": "Отдел", "en": "Office"},
                   "address": {"kk": "Алматы, Абай 1", "ru": "Алматы, Абая 1"},
                   "schedule": around_the_clock()});
    for (k, v) in extra.as_object().into_iter().flatten() {
        body[k] = v.clone();
    }
    let (s, body) = app.post(&app.admin, "/api/v1/offices", body).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let mut ids = Vec::new();
    for w in 1..=counters {
        let (s, c) = app
            .post(
                &app.admin,
                &format!("/api/v1/offices/{code}/counters"),
                json!({"window": w, "purposes": ["acceptance", "issue"]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{c}");
        let id = c["id"].as_i64().unwrap();
        let (s, c) = app
            .post(
                &app.admin,
                &format!("/api/v1/counters/{id}/state"),
                json!({"state": "open"}),
            )
            .await;
        assert_eq!(
            (s, c["state"].as_str()),
            (StatusCode::OK, Some("open")),
            "{c}"
        );
        ids.push(id);
    }
    ids
}

pub(crate) async fn take(
    app: &TestApp,
    token: Option<&str>,
    code: &str,
    body: Value,
) -> (StatusCode, Value) {
    app.send(
        Method::POST,
        token,
        &format!("/api/v1/offices/{code}/tickets"),
        Some(&body),
        Some("en"),
    )
    .await
}

async fn an_office_and_its_counters_are_set_up_with_clear_refusals(app: &TestApp) {
    office(app, "ALM-01", 1).await;
    // Defaults: the week 001 §3 sets for the kind, with its source; the domain's weights.
    let (s, body) = app
        .post(
            &app.admin,
            "/api/v1/offices",
            json!({"code": "ALM-02", "organization": "GOV-1", "kind": "regular",
                   "name": {"kk": "Бөлім 2", "ru": "Отдел 2"}, "address": {"kk": "Мекенжай", "ru": "Адрес"}}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(body["schedule"]["rows"][0]["hours"], "09:00-18:00");
    assert_eq!(
        body["schedule"]["rows"][0]["days"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert!(body["schedule_source"]["ru"]
        .as_str()
        .unwrap()
        .contains("пункт 3"));
    assert_eq!(body["weights"]["disability"], 30);
    assert_eq!(body["raise_near_deadline"], false);
    assert_eq!(body["mode"], "electronic");

    let base = json!({"code": "ALM-03", "organization": "GOV-1", "kind": "regular",
                      "name": {"kk": "Б", "ru": "О"}, "address": {"kk": "М", "ru": "А"}});
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    let cases = [
        (
            with("code", json!("ALM-01")),
            StatusCode::CONFLICT,
            "office_code_taken",
            "code",
        ),
        (
            with("organization", json!("MIN")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "office_not_state_corp",
            "organization",
        ),
        (
            with("organization", json!("NOPE")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_organization",
            "organization",
        ),
        (
            with("kind", json!("night")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "enum_invalid",
            "kind",
        ),
        (
            with("name", json!({"kk": "Б"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty",
            "name.ru",
        ),
        (
            with(
                "schedule",
                json!({"rows": [{"days": ["mon"], "hours": "09:00-18:00", "breaks": ["12:00-13:30", "13:00-14:00"]}]}),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "overlap",
            "schedule.rows[0].breaks",
        ),
        (
            with(
                "weights",
                json!({"disability": 601, "elderly": 0, "pregnant": 0, "booked": 0, "returning_for_issue": 0, "near_deadline": 0}),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "out_of_range",
            "weights.disability",
        ),
        (
            with("calls_before_no_show", json!(0)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "out_of_range",
            "calls_before_no_show",
        ),
    ];
    for (body, status, code, field) in cases {
        let (s, e) = app.post(&app.admin, "/api/v1/offices", body).await;
        assert_eq!(s, status, "{e}");
        assert_eq!(e["error"]["code"], code, "{e}");
        assert_eq!(e["error"]["field"], field, "{e}");
    }
    // In the caller's language.
    let (_, e) = app
        .send(
            Method::POST,
            Some(&app.admin),
            "/api/v1/offices",
            Some(&with("code", json!("ALM-01"))),
            Some("kk"),
        )
        .await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("бөлім коды"),
        "{e}"
    );

    // Counters.
    let counter = |body: Value| async move {
        app.post(&app.admin, "/api/v1/offices/ALM-01/counters", body)
            .await
    };
    let (s, c) = counter(json!({"window": 2, "purposes": ["issue"], "services": ["ARCH-001"], "takes_bookings": false})).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(
        (c["window"].as_i64(), c["state"].as_str()),
        (Some(2), Some("closed"))
    );
    assert_eq!(c["services"], json!(["ARCH-001"]));
    for (body, status, code, field) in [
        (
            json!({"window": 1, "purposes": ["issue"]}),
            StatusCode::CONFLICT,
            "counter_number_taken",
            "window",
        ),
        (
            json!({"window": 3, "purposes": []}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "required",
            "purposes",
        ),
        (
            json!({"window": 3, "purposes": ["issue", "issue"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "duplicate",
            "purposes[1]",
        ),
        (
            json!({"window": 3, "purposes": ["lunch"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "enum_invalid",
            "purposes[0]",
        ),
        (
            json!({"window": 3, "purposes": ["issue"], "services": ["NOPE-1"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_service",
            "services[0]",
        ),
        (
            json!({"window": 1000, "purposes": ["issue"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "out_of_range",
            "window",
        ),
        (
            json!({"window": 3, "purposes": ["issue"], "employee": "nobody"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_employee",
            "employee",
        ),
    ] {
        let (s, e) = counter(body).await;
        assert_eq!(s, status, "{e}");
        assert_eq!(
            (e["error"]["code"].as_str(), e["error"]["field"].as_str()),
            (Some(code), Some(field)),
            "{e}"
        );
    }
    let (s, list) = app.get(&app.admin, "/api/v1/offices/ALM-01/counters").await;
    assert_eq!(s, StatusCode::OK);
    let windows: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["window"].as_i64().unwrap())
        .collect();
    assert_eq!(windows, [1, 2]);
    let (s, e) = app.get(&app.admin, "/api/v1/offices/NOPE/counters").await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("office_not_found"))
    );
}

async fn a_visitor_is_called_served_and_finished_by_the_rule(app: &TestApp) {
    let counters = office(app, "ALM-01", 1).await;
    let c = counters[0];
    // Anyone may take a ticket on the way; a kiosk with a token too.
    let (s, a) = take(
        app,
        None,
        "ALM-01",
        json!({"purpose": "acceptance", "service_code": "ARCH-001", "source": "digital"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert!(a["number"].as_str().unwrap().starts_with('A'), "{a}");
    assert_eq!(
        (a["state"].as_str(), a["position"].as_i64()),
        (Some("waiting"), Some(0))
    );
    assert!(a["estimated_wait_secs"].as_i64().unwrap() > 0);
    let (s, b) = take(app, Some(&app.admin), "ALM-01", json!({"purpose": "issue"})).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert!(b["number"].as_str().unwrap().starts_with('B'));
    let (s, p) = take(
        app,
        Some(&app.admin),
        "ALM-01",
        json!({"purpose": "acceptance", "priority": "disability"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    // Numbers come from one sequence of the day: 1, 2, 3 whatever the letter.
    let n = |t: &Value| t["number"].as_str().unwrap()[1..].parse::<u32>().unwrap();
    assert_eq!((n(&b), n(&p)), (n(&a) + 1, n(&a) + 2));
    // The priority ticket is ahead of the earlier walk-in of its purpose.
    let (_, a_now) = app
        .get(
            &app.admin,
            &format!("/api/v1/tickets/{}", a["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(a_now["position"], 1, "{a_now}");
    for (body, field) in [
        (json!({"purpose": "lunch"}), "purpose"),
        (json!({"purpose": "issue", "priority": "vip"}), "priority"),
        (
            json!({"purpose": "issue", "priority": "booked"}),
            "priority",
        ),
        (json!({"purpose": "issue", "source": "fax"}), "source"),
        (
            json!({"purpose": "issue", "service_code": "NOPE-9"}),
            "service_code",
        ),
    ] {
        let (s, e) = take(app, Some(&app.admin), "ALM-01", body).await;
        assert_eq!(
            (s, e["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{e}"
        );
    }
    let (s, e) = take(app, None, "NOPE", json!({"purpose": "issue"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");

    // Call next: the disability ticket (30 minutes' head start).
    let (s, call) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/call-next"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{call}");
    assert_eq!(call["ticket"]["id"], p["id"], "{call}");
    assert_eq!(call["ticket"]["counter"], 1);
    // The counter has a visitor: no second call until it is done.
    let (s, e) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/call-next"),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("counter_busy"))
    );
    // No-show only after three calls.
    let (s, e) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/no-show"),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_called_enough")),
        "{e}"
    );
    for calls in [2, 3] {
        let (s, r) = app
            .post(
                &app.admin,
                &format!("/api/v1/counters/{c}/recall"),
                json!({}),
            )
            .await;
        assert_eq!(
            (s, r["call_count"].as_i64()),
            (StatusCode::OK, Some(calls)),
            "{r}"
        );
    }
    let (s, r) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/no-show"),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, r["state"].as_str()),
        (StatusCode::OK, Some("no_show")),
        "{r}"
    );

    // Next: the walk-in acceptance (the issue ticket came later; the counter serves both).
    let (_, call) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/call-next"),
            json!({}),
        )
        .await;
    assert_eq!(call["ticket"]["id"], a["id"], "{call}");
    let (_, seen) = app
        .get(
            &app.admin,
            &format!("/api/v1/tickets/{}", a["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(
        (seen["state"].as_str(), seen["counter"].as_i64()),
        (Some("called"), Some(1)),
        "{seen}"
    );
    let (s, e) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/finish"),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("ticket_state_wrong")),
        "{e}"
    );
    let (s, r) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/start"),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, r["state"].as_str()),
        (StatusCode::OK, Some("serving")),
        "{r}"
    );
    // A counter serving someone cannot close.
    let (s, e) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/state"),
            json!({"state": "closed"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("counter_busy"))
    );
    // Redirect to issue: back to waiting, keeping its arrival (so ahead of the later B ticket).
    let (s, r) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/redirect"),
            json!({"purpose": "issue"}),
        )
        .await;
    assert_eq!(
        (s, r["state"].as_str(), r["purpose"].as_str()),
        (StatusCode::OK, Some("waiting"), Some("issue")),
        "{r}"
    );
    let (_, call) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/call-next"),
            json!({}),
        )
        .await;
    assert_eq!(call["ticket"]["id"], a["id"], "{call}");
    app.post(
        &app.admin,
        &format!("/api/v1/counters/{c}/start"),
        json!({}),
    )
    .await;
    let (s, r) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/finish"),
            json!({"outcome": "issued"}),
        )
        .await;
    assert_eq!(
        (s, r["state"].as_str(), r["outcome"].as_str()),
        (StatusCode::OK, Some("done"), Some("issued")),
        "{r}"
    );
    let (s, e) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/finish"),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("counter_has_no_ticket")),
        "{e}"
    );

    // Call by number: the B ticket, then nothing is left.
    let (s, e) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/call"),
            json!({"ticket": "Z1"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("ticket")),
        "{e}"
    );
    let (s, r) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/call"),
            json!({"ticket": b["number"]}),
        )
        .await;
    assert_eq!(
        (s, r["id"].as_str()),
        (StatusCode::OK, b["id"].as_str()),
        "{r}"
    );
    app.post(
        &app.admin,
        &format!("/api/v1/counters/{c}/start"),
        json!({}),
    )
    .await;
    app.post(
        &app.admin,
        &format!("/api/v1/counters/{c}/finish"),
        json!({}),
    )
    .await;
    let (s, call) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c}/call-next"),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, &call["ticket"]),
        (StatusCode::OK, &Value::Null),
        "{call}"
    );

    // The journal (001 §21): every step of the first ticket, in order, with its actor.
    let journal: Vec<(String, String)> = app
        .store
        .ticket_actions(
            app.store
                .ticket(a["id"].as_str().unwrap())
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.action, a.actor))
        .collect();
    let actions: Vec<&str> = journal.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "ticket.take",
            "ticket.call",
            "ticket.start",
            "ticket.redirect",
            "ticket.call",
            "ticket.start",
            "ticket.finish"
        ]
    );
    assert_eq!(journal[0].1, "public");
    assert!(journal[1].1.starts_with("token:"));
}

async fn strangers_and_closed_offices_are_refused(app: &TestApp) {
    let counters = office(app, "ALM-01", 2).await;
    // An office closed now: its only day is not today's weekday.
    let today = qyzmet_domain::zone::local_date(jiff::Timestamp::now());
    let other = match today.weekday() {
        jiff::civil::Weekday::Monday => "tue",
        _ => "mon",
    };
    let (s, body) = app
        .post(
            &app.admin,
            "/api/v1/offices",
            json!({"code": "ALM-SHUT", "organization": "GOV-1", "kind": "regular",
                   "name": {"kk": "Б", "ru": "О"}, "address": {"kk": "М", "ru": "А"},
                   "schedule": {"rows": [{"days": [other], "hours": "09:00-18:00"}]}}),
        )
        .await;
    assert_eq!(
        (s, body["open_now"].as_bool()),
        (StatusCode::CREATED, Some(false)),
        "{body}"
    );
    let (s, e) = take(
        app,
        Some(&app.admin),
        "ALM-SHUT",
        json!({"purpose": "issue"}),
    )
    .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("office_closed")),
        "{e}"
    );

    // An operator of the branch works only the counter assigned to them; another branch's
    // staff do not see the office's counters at all.
    user(app, "op1", UserRole::Operator, Some("GOV-1")).await;
    user(app, "akim", UserRole::Operator, Some("AKIM")).await;
    let (s, c3) = app
        .post(
            &app.admin,
            "/api/v1/offices/ALM-01/counters",
            json!({"window": 3, "purposes": ["consultation"], "employee": "op1"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c3}");
    let c3 = c3["id"].as_i64().unwrap();
    let (s, e) = app
        .post(
            &app.admin,
            "/api/v1/offices/ALM-01/counters",
            json!({"window": 4, "purposes": ["issue"], "employee": "op1"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("employee_has_counter")),
        "{e}"
    );
    let (s, e) = app
        .post(
            &app.admin,
            "/api/v1/offices/ALM-01/counters",
            json!({"window": 4, "purposes": ["issue"], "employee": "akim"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("employee_outside_office")
        ),
        "{e}"
    );

    // A branch's own token works its office's counters; another organization's does not
    // even see them.
    let branch = app.token_for("GOV-1").await;
    let akim = app.token_for("AKIM").await;
    let open = json!({"state": "open"});
    let (s, e) = app
        .post(
            &branch,
            &format!("/api/v1/counters/{c3}/state"),
            open.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let (s, e) = app
        .post(&akim, &format!("/api/v1/counters/{c3}/state"), open)
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("counter_not_found")),
        "{e}"
    );
    let (s, _) = app
        .post(
            &akim,
            &format!("/api/v1/counters/{}/call-next", counters[0]),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, e) = app
        .post(
            &akim,
            "/api/v1/offices/ALM-01/counters",
            json!({"window": 9, "purposes": ["issue"]}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("outside_scope")),
        "{e}"
    );
    let (s, list) = app.get(&akim, "/api/v1/offices").await;
    assert_eq!(
        (s, list["items"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(0)),
        "{list}"
    );
    let (s, list) = app.get(&branch, "/api/v1/offices").await;
    assert_eq!(
        (s, list["items"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(2)),
        "{list}"
    );
    // The consultation counter calls consultation tickets only.
    take(app, Some(&app.admin), "ALM-01", json!({"purpose": "issue"})).await;
    let (_, cons) = take(
        app,
        Some(&app.admin),
        "ALM-01",
        json!({"purpose": "consultation"}),
    )
    .await;
    let (s, call) = app
        .post(
            &branch,
            &format!("/api/v1/counters/{c3}/call-next"),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, &call["ticket"]["id"]),
        (StatusCode::OK, &cons["id"]),
        "{call}"
    );

    // A closed counter does not call.
    let (s, e) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{}/state", counters[1]),
            json!({"state": "paused"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let (s, e) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{}/call-next", counters[1]),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("counter_not_open")),
        "{e}"
    );

    // A ticket nobody has a link to is not found; a malformed id neither.
    for id in [uuid::Uuid::new_v4().to_string(), "not-a-ticket".to_string()] {
        let (s, _) = app
            .send(
                Method::GET,
                None,
                &format!("/api/v1/tickets/{id}"),
                None,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
}

fn two_tickets_a_minute(c: &mut Config) {
    c.tickets_per_client_per_minute = 2;
}

async fn digital_tickets_are_rate_limited_and_kiosks_are_not(app: &TestApp) {
    office(app, "ALM-01", 1).await;
    for _ in 0..2 {
        let (s, e) = take(
            app,
            None,
            "ALM-01",
            json!({"purpose": "issue", "source": "digital"}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{e}");
    }
    let resp = app
        .client
        .post(app.url("/api/v1/offices/ALM-01/tickets"))
        .json(&json!({"purpose": "issue"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    for _ in 0..5 {
        let (s, e) = take(app, Some(&app.admin), "ALM-01", json!({"purpose": "issue"})).await;
        assert_eq!(s, StatusCode::CREATED, "{e}");
    }
    // A wrong token is refused, not taken for nobody.
    let (s, _) = take(app, Some("wrong"), "ALM-01", json!({"purpose": "issue"})).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

/// Eight counters call at once, over and over, until the queue is empty: every ticket is
/// called exactly once.
async fn eight_counters_calling_at_once_never_call_a_ticket_twice(app: &TestApp) {
    let counters = office(app, "ALM-01", 8).await;
    let mut taken = HashSet::new();
    for i in 0..48 {
        let purpose = if i % 3 == 0 { "issue" } else { "acceptance" };
        let (s, t) = take(app, Some(&app.admin), "ALM-01", json!({"purpose": purpose})).await;
        assert_eq!(s, StatusCode::CREATED, "{t}");
        taken.insert(t["id"].as_str().unwrap().to_string());
    }
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(counters.len()));
    let tasks: Vec<_> = counters
        .iter()
        .map(|&c| {
            let (client, base, token, barrier) = (
                app.client.clone(),
                app.base.clone(),
                app.admin.clone(),
                barrier.clone(),
            );
            tokio::spawn(async move {
                let post = |path: String| {
                    let (client, token) = (client.clone(), token.clone());
                    let url = format!("{base}{path}");
                    async move {
                        let r = client
                            .post(url)
                            .bearer_auth(token)
                            .json(&json!({}))
                            .send()
                            .await
                            .unwrap();
                        let s = r.status();
                        (s, r.json::<Value>().await.unwrap())
                    }
                };
                barrier.wait().await;
                let mut called = Vec::new();
                loop {
                    let (s, call) = post(format!("/api/v1/counters/{c}/call-next")).await;
                    assert_eq!(s, StatusCode::OK, "{call}");
                    if call["ticket"].is_null() {
                        break;
                    }
                    called.push(call["ticket"]["id"].as_str().unwrap().to_string());
                    assert_eq!(
                        post(format!("/api/v1/counters/{c}/start")).await.0,
                        StatusCode::OK
                    );
                    assert_eq!(
                        post(format!("/api/v1/counters/{c}/finish")).await.0,
                        StatusCode::OK
                    );
                }
                called
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let distinct: HashSet<String> = all.iter().cloned().collect();
    assert_eq!(all.len(), 48, "every ticket called");
    assert_eq!(distinct, taken, "each exactly once");
}

/// A finish sent twice at once (a double click, a retry) finishes the ticket once: one
/// answer 200, the other 409, one journal row.
async fn a_double_finish_finishes_once(app: &TestApp) {
    let c = office(app, "ALM-01", 1).await[0];
    let (_, t) = take(app, Some(&app.admin), "ALM-01", json!({"purpose": "issue"})).await;
    app.post(
        &app.admin,
        &format!("/api/v1/counters/{c}/call-next"),
        json!({}),
    )
    .await;
    app.post(
        &app.admin,
        &format!("/api/v1/counters/{c}/start"),
        json!({}),
    )
    .await;
    let path = format!("/api/v1/counters/{c}/finish");
    let finish = || app.post(&app.admin, &path, json!({"outcome": "issued"}));
    let (a, b) = tokio::join!(finish(), finish());
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{} {}",
        a.1,
        b.1
    );
    let id = app
        .store
        .ticket(t["id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let finishes = app
        .store
        .ticket_actions(id)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "ticket.finish")
        .count();
    assert_eq!(finishes, 1);
}

/// Issue 18, point 7: the operator sees the application behind a ticket, its due moment and
/// the time left; an office that raises tickets about to be overdue calls such a ticket before
/// an earlier walk-in, records that the raise decided the call, and its figures count it —
/// an office with the raise off (the default) calls the walk-in first and counts none.
async fn a_ticket_about_to_be_overdue_is_raised_only_where_the_office_says_so(app: &TestApp) {
    app.seed().await;
    let now = jiff::Timestamp::now();
    let today = qyzmet_domain::zone::local_date(now);
    for (code, raise) in [("RAISE-1", true), ("RAISE-0", false)] {
        let extra = if raise {
            // 30 days: the test's application (due in 30 working minutes) is always inside.
            json!({"raise_near_deadline": true, "deadline_window_hours": 720})
        } else {
            json!({})
        };
        let c = office_with(app, code, 1, extra).await[0];
        let app_number = app
            .register(&app.admin, "SVC-M30", "MIN-ALA", &now.to_string())
            .await["number"]
            .as_str()
            .unwrap()
            .to_string();
        let (s, walk_in) = take(app, Some(&app.admin), code, json!({"purpose": "issue"})).await;
        assert_eq!(s, StatusCode::CREATED, "{walk_in}");
        let (s, due) = take(
            app,
            Some(&app.admin),
            code,
            json!({"purpose": "issue", "application": app_number}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{due}");
        let (s, call) = app
            .post(
                &app.admin,
                &format!("/api/v1/counters/{c}/call-next"),
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{call}");
        let expected = if raise { &due } else { &walk_in };
        assert_eq!(call["ticket"]["id"], expected["id"], "{code}: {call}");
        if raise {
            // The operator sees the application, when it is due and how long is left.
            assert_eq!(
                call["ticket"]["application"].as_str(),
                Some(app_number.as_str())
            );
            assert!(call["ticket"]["due_at"].is_string(), "{call}");
            assert!(
                call["ticket"]["time_left_secs"].as_i64().unwrap() > 0,
                "{call}"
            );
        } else {
            assert!(call["ticket"]["application"].is_null(), "{call}");
        }
        for step in ["start", "finish"] {
            let (s, r) = app
                .post(
                    &app.admin,
                    &format!("/api/v1/counters/{c}/{step}"),
                    json!({"outcome": "issued"}),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{step}: {r}");
        }
        let (s, f) = app
            .get(
                &app.admin,
                &format!("/api/v1/offices/{code}/figures?from={today}&to={today}&by=day"),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{f}");
        assert_eq!(f["raise_near_deadline"], raise, "{f}");
        assert_eq!(f["total"]["visits"], 2, "{f}");
        assert_eq!(f["total"]["with_application"], 1, "{f}");
        let raised = usize::from(raise);
        assert_eq!(f["total"]["raised"], raised, "{f}");
        assert_eq!(f["total"]["raised_finished_before_due"], raised, "{f}");
        assert_eq!(f["total"]["finished_before_due"], raised, "{f}");
    }
}

/// Shifts change (001 §6): a supervisor or administrator puts another employee at a counter,
/// and its screen names them; one employee works one counter; nobody is changed in the middle
/// of a visit; an operator cannot do it; every change is in the journal.
async fn the_employee_at_a_counter_changes_with_the_shift(app: &TestApp) {
    let ids = office(app, "ALM-01", 2).await;
    let (c1, c2) = (ids[0], ids[1]);
    user(app, "op1", UserRole::Operator, Some("GOV-1")).await;
    user(app, "op2", UserRole::Operator, Some("GOV-1")).await;
    user(app, "akim", UserRole::Operator, Some("AKIM")).await;
    let op1 = app.store.user_id("op1").await.unwrap().unwrap();
    app.store
        .change_user(
            op1,
            &qyzmet_store::UserChange::Profile {
                full_name: "Асқар Омаров".into(),
                position: "Менеджер".into(),
            },
            "test",
            jiff::Timestamp::now(),
        )
        .await
        .unwrap();
    let put = |c: i64, who: Value| {
        let path = format!("/api/v1/counters/{c}/employee");
        async move {
            app.send(
                Method::POST,
                Some(&app.admin),
                &path,
                Some(&json!({"employee": who})),
                Some("ru"),
            )
            .await
        }
    };
    let (s, v) = put(c1, json!("op1")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["employee_name"].as_str(), v["employee_position"].as_str()),
        (Some("Асқар Омаров"), Some("Менеджер"))
    );
    // One counter each.
    let (s, e) = put(c2, json!("op1")).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("employee_has_counter")),
        "{e}"
    );
    // Refusals name the field, in the caller's language.
    for (who, code) in [
        ("nobody", "unknown_employee"),
        ("akim", "employee_outside_office"),
    ] {
        let (s, e) = put(c2, json!(who)).await;
        assert_eq!(
            (s, e["error"]["code"].as_str(), e["error"]["field"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(code),
                Some("employee")
            ),
            "{e}"
        );
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .chars()
                .any(|c| ('а'..='я').contains(&c)),
            "{e}"
        );
    }
    // The shift ends: nobody at counter 1, op1 moves to counter 2, op2 takes counter 1.
    let (s, v) = put(c1, Value::Null).await;
    assert_eq!(
        (s, v["employee_name"].as_str()),
        (StatusCode::OK, Some("")),
        "{v}"
    );
    assert_eq!(put(c2, json!("op1")).await.0, StatusCode::OK);
    assert_eq!(put(c1, json!("op2")).await.0, StatusCode::OK);
    // Not in the middle of a visit.
    take(app, Some(&app.admin), "ALM-01", json!({"purpose": "issue"})).await;
    let (s, _) = app
        .post(
            &app.admin,
            &format!("/api/v1/counters/{c2}/call-next"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, e) = put(c2, json!("op2")).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("counter_busy")),
        "{e}"
    );
    // An organization's token of another branch does not even find the counter.
    let akim = app.token_for("AKIM").await;
    let (s, _) = app
        .post(
            &akim,
            &format!("/api/v1/counters/{c1}/employee"),
            json!({"employee": null}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Each change is in the counters' journals, with who made it.
    let mut changes = 0;
    for c in [c1, c2] {
        for a in app.store.counter_actions(c).await.unwrap() {
            if a.action == "counter.employee" {
                assert!(!a.actor.is_empty());
                changes += 1;
            }
        }
    }
    assert_eq!(changes, 4, "op1 at 1, nobody at 1, op1 at 2, op2 at 1");
}

crate::both!(
    the_employee_at_a_counter_changes_with_the_shift,
    a_ticket_about_to_be_overdue_is_raised_only_where_the_office_says_so,
    a_double_finish_finishes_once,
    an_office_and_its_counters_are_set_up_with_clear_refusals,
    a_visitor_is_called_served_and_finished_by_the_rule,
    strangers_and_closed_offices_are_refused,
    eight_counters_calling_at_once_never_call_a_ticket_twice,
);

mod limited {
    crate::both!(with two_tickets_a_minute; digital_tickets_are_rate_limited_and_kiosks_are_not);
    use super::{digital_tickets_are_rate_limited_and_kiosks_are_not, two_tickets_a_minute};
}
