//! Moments and dates at the edge (issue 15, finding 3): a year before the production
//! calendar, a year far ahead, offsets no time zone uses, dates out of the supported years,
//! in bodies, query parameters and paths, refused naming the field with nothing stored.

use super::{calendar_day, counts, events_of, outage, registration, seeded, with};
use crate::both;
use crate::support::{stage, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Hostile moments: a year before the production calendar, a year far ahead, offsets that
/// are no UTC offset.
fn hostile_moments() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        ("year 0001", "0001-11-20T10:00:00+05:00", "before_calendar"),
        (
            "before 2020",
            "2019-12-31T12:00:00+05:00",
            "before_calendar",
        ),
        ("year 9999", "9999-11-20T10:00:00+05:00", "in_future"),
        (
            "offset +25:00",
            "2026-11-20T10:00:00+25:00",
            "offset_invalid",
        ),
        (
            "offset +14:30",
            "2026-11-20T10:00:00+14:30",
            "offset_invalid",
        ),
        (
            "offset -12:30",
            "2026-11-20T10:00:00-12:30",
            "offset_invalid",
        ),
        (
            "offset +24:00",
            "2026-11-20T10:00:00+24:00",
            "offset_invalid",
        ),
        (
            "offset with seconds",
            "2026-11-20T10:00:00+05:00:30",
            "offset_invalid",
        ),
        ("not a moment", "2026-11-20 sometime", "timestamp_invalid"),
        (
            "NUL in a moment",
            "2026-11-20T10:00:00\u{0}+05:00",
            "timestamp_invalid",
        ),
    ]
}

/// Every reported moment is refused outside the sane range, naming its field.
async fn impossible_moments_are_refused(app: &TestApp) {
    let (token, number) = seeded(app).await;
    let before = counts(app).await;
    let history = events_of(app, &number).await;
    let post = reqwest::Method::POST;
    let targets: Vec<(reqwest::Method, String, Value, &str, &str, bool)> = vec![
        (
            post.clone(),
            "/api/v1/applications".into(),
            registration(),
            "/accepted_at",
            "accepted_at",
            false,
        ),
        (
            post.clone(),
            format!("/api/v1/applications/{number}/events"),
            stage("sent_for_execution", "2026-11-20T11:00:00+05:00"),
            "/occurred_at",
            "occurred_at",
            false,
        ),
        (
            post.clone(),
            format!("/api/v1/applications/{number}/feedback"),
            json!({"id": uuid::Uuid::now_v7().to_string(), "question": "process", "rating": 5,
                   "given_at": "2026-11-21T10:00:00+05:00"}),
            "/given_at",
            "given_at",
            false,
        ),
        (
            post.clone(),
            "/api/v1/outages".into(),
            outage(),
            "/started_at",
            "started_at",
            true,
        ),
        (
            post.clone(),
            "/api/v1/outages".into(),
            outage(),
            "/ended_at",
            "ended_at",
            true,
        ),
    ];
    for (method, path, body, at, field, admin) in &targets {
        let who = if *admin { &app.admin } else { &token };
        for (what, moment, code) in hostile_moments() {
            let body = with(body, at, json!(moment));
            let (s, answer) = app
                .send(method.clone(), Some(who), path, Some(&body), Some("en"))
                .await;
            let what = format!("{path} {field} {what}");
            // An outage's end must also follow its start; year 0001 is refused before that.
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {answer}");
            assert_eq!(answer["error"]["code"], code, "{what}: {answer}");
            assert_eq!(answer["error"]["field"], *field, "{what}: {answer}");
        }
    }
    assert_eq!(counts(app).await, before, "nothing stored");
    assert_eq!(events_of(app, &number).await, history, "no event stored");
}

/// Dates and instants in query parameters and paths: out of the supported years, or with an
/// impossible offset, are refused naming the parameter; nothing is changed.
async fn dates_in_queries_and_paths_are_checked(app: &TestApp) {
    app.seed().await;
    let before = counts(app).await;
    let get = |path: &'static str| async move { app.get(&app.admin, path).await };
    for (path, code, field) in [
        (
            "/api/v1/applications?planned_from=0001-01-01",
            "date_out_of_range",
            "planned_from",
        ),
        (
            "/api/v1/applications?planned_to=9999-12-31",
            "date_out_of_range",
            "planned_to",
        ),
        (
            "/api/v1/applications?accepted_from=0001-01-01T00:00:00Z",
            "date_out_of_range",
            "accepted_from",
        ),
        (
            "/api/v1/applications?deadline_to=2026-01-01T00:00:00%2B25:00",
            "offset_invalid",
            "deadline_to",
        ),
        (
            "/api/v1/outages?from=2026-01-01T00:00:00%2B14:30",
            "offset_invalid",
            "from",
        ),
        (
            "/api/v1/outages?to=0001-01-01T00:00:00Z",
            "date_out_of_range",
            "to",
        ),
        ("/api/v1/calendar?year=1", "year_invalid", "year"),
        ("/api/v1/calendar?year=9999", "year_invalid", "year"),
        (
            "/api/v1/calendar/deadline?accepted_at=0001-01-01T10:00:00%2B05:00&term=5&unit=working_days",
            "before_calendar",
            "accepted_at",
        ),
        (
            "/api/v1/calendar/deadline?accepted_at=2026-01-01T10:00:00%2B25:00&term=5&unit=working_days",
            "offset_invalid",
            "accepted_at",
        ),
        (
            "/api/v1/reports/violations?month=0001-01",
            "month_invalid",
            "month",
        ),
    ] {
        let (s, answer) = get(path).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {answer}");
        assert_eq!(answer["error"]["code"], code, "{path}: {answer}");
        assert_eq!(answer["error"]["field"], field, "{path}: {answer}");
    }
    let put = reqwest::Method::PUT;
    for (date, code) in [
        ("0001-01-01", "date_out_of_range"),
        ("9999-12-31", "date_out_of_range"),
        ("2026-02-30", "date_invalid"),
    ] {
        let path = format!("/api/v1/calendar/{date}");
        let (s, answer) = app
            .send(
                put.clone(),
                Some(&app.admin),
                &path,
                Some(&calendar_day()),
                Some("en"),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {answer}");
        assert_eq!(answer["error"]["code"], code, "{path}: {answer}");
        assert_eq!(answer["error"]["field"], "date", "{path}: {answer}");
    }
    assert_eq!(counts(app).await, before, "nothing changed");
}

both!(
    impossible_moments_are_refused,
    dates_in_queries_and_paths_are_checked,
);
