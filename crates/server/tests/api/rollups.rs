//! The violations report's rollups (000 §12; issue 5) against the reference computation from
//! every application: after registrations, completions on time and late, suspensions,
//! executor changes, a deadline recomputation that moves applications to another month, a
//! late outage, and a rebuild — for several months and report moments.

use crate::support::{iin, stage, TestApp};
use jiff::{SignedDuration, Timestamp};
use qyzmet_domain::violation::Month;
use reqwest::StatusCode;
use serde_json::json;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

const MONTHS: [&str; 4] = ["2026-02", "2026-03", "2026-04", "2026-05"];

/// The report's cells through the rollups equal the reference computation, for every month
/// and several moments: the month's end itself, an hour and ten days after it (late
/// completions still ahead), and now. Returns how many cells were compared.
async fn agree(app: &TestApp, when: &str) -> usize {
    let mut compared = 0;
    for m in MONTHS {
        let month: Month = m.parse().unwrap();
        let end = month
            .end()
            .to_zoned(jiff::tz::TimeZone::get("Asia/Almaty").unwrap())
            .unwrap()
            .timestamp();
        for as_of in [
            end,
            end + SignedDuration::from_hours(1),
            end + SignedDuration::from_hours(24 * 10),
            Timestamp::now(),
        ] {
            let rolled = app.store.violation_cells(month, as_of).await.unwrap();
            let reference = app
                .store
                .violation_cells_from_applications(month, as_of)
                .await
                .unwrap();
            assert_eq!(rolled, reference, "{when}: {m} as of {as_of}");
            compared += rolled.len();
        }
    }
    compared
}

async fn rollups_agree_with_every_application(app: &TestApp) {
    app.seed().await;
    let admin = app.admin.clone();
    let plan = [
        ("SVC-WD5", "MIN-AST"),
        ("ARCH-001", "AKIM-ARC"),
        ("SVC-H2", "MIN-ALA"),
        ("SVC-M30", "MIN-ALA"),
        ("SVC-WD1C", "MIN-AST"),
    ];
    let first = at("2026-02-16T10:00:00+05:00");
    let mut numbers = vec![];
    for i in 0..40u32 {
        let (service, executor) = plan[i as usize % plan.len()];
        // Acceptances spread over 2026-02-16 … 2026-04-12, at varying hours.
        let accepted = first
            + SignedDuration::from_hours(i64::from(i) * 34 + i64::from(i % 7))
            + SignedDuration::from_mins(i64::from(i % 3) * 20);
        let a = app
            .register(&admin, service, executor, &accepted.to_string())
            .await;
        let n = a["number"].as_str().unwrap().to_string();
        let deadline = at(a["deadline"].as_str().unwrap());
        let event = |kind: serde_json::Value| {
            let mut e = kind;
            e["id"] = json!(uuid::Uuid::new_v4().to_string());
            e
        };
        match i % 6 {
            // Completed on time, then closed.
            0 => {
                let done = accepted + SignedDuration::from_mins(20);
                let (s, e) = app
                    .event(&admin, &n, stage("executed", &done.to_string()))
                    .await;
                assert_eq!(s, StatusCode::CREATED, "{e}");
                let closed = done + SignedDuration::from_hours(30);
                let (s, e) = app
                    .event(
                        &admin,
                        &n,
                        event(
                            json!({"type": "stage", "stage": "closed", "outcome": "issued",
                            "occurred_at": closed.to_string()}),
                        ),
                    )
                    .await;
                assert_eq!(s, StatusCode::CREATED, "{e}");
            }
            // Completed late, weeks after its deadline (after some report moments).
            1 => {
                let done = deadline + SignedDuration::from_hours(24 * 20 + 3);
                let (s, e) = app
                    .event(&admin, &n, stage("executed", &done.to_string()))
                    .await;
                assert_eq!(s, StatusCode::CREATED, "{e}");
            }
            // Handed to another executor, then completed on time there.
            2 => {
                let other = if executor == "MIN-ALA" {
                    "MIN-AST"
                } else {
                    "MIN-ALA"
                };
                let moved = accepted + SignedDuration::from_mins(5);
                let (s, e) = app
                    .event(
                        &admin,
                        &n,
                        event(json!({"type": "executor_changed", "executor": other,
                            "occurred_at": moved.to_string()})),
                    )
                    .await;
                assert_eq!(s, StatusCode::CREATED, "{e}");
                let done = accepted + SignedDuration::from_mins(25);
                let (s, e) = app
                    .event(&admin, &n, stage("executed", &done.to_string()))
                    .await;
                assert_eq!(s, StatusCode::CREATED, "{e}");
            }
            // Suspended and left so.
            3 => {
                let (s, e) = app
                    .event(
                        &admin,
                        &n,
                        event(
                            json!({"type": "suspended", "reason": "request to an archive (003 §17)",
                            "occurred_at": (accepted + SignedDuration::from_mins(10)).to_string()}),
                        ),
                    )
                    .await;
                assert_eq!(s, StatusCode::CREATED, "{e}");
            }
            // Completed a minute after its deadline.
            4 => {
                let done = deadline + SignedDuration::from_mins(1);
                let (s, e) = app
                    .event(&admin, &n, stage("executed", &done.to_string()))
                    .await;
                assert_eq!(s, StatusCode::CREATED, "{e}");
            }
            // Left open.
            _ => {}
        }
        numbers.push(n);
    }
    // Due on 2026-03-31 (a Tuesday: one working day, the acceptance day counted), open.
    let last_day = app
        .register(&admin, "SVC-WD1C", "MIN-AST", "2026-03-31T10:00:00+05:00")
        .await;
    assert_eq!(last_day["planned_date"], "2026-03-31");
    numbers.push(last_day["number"].as_str().unwrap().to_string());
    let cells = agree(app, "after the events").await;
    assert!(cells > 20, "the months have cells to compare: {cells}");

    // A day off on 2026-03-31 (a Tuesday) moves the working-day deadlines of the open
    // applications due that day into April (a recomputation through the projections).
    let (s, r) = app
        .send(
            reqwest::Method::PUT,
            Some(&admin),
            "/api/v1/calendar/2026-03-31",
            Some(&json!({"kind": "day_off", "name": "Test day off", "source": "test"})),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert!(r["changed"].as_i64().unwrap() > 0, "deadlines moved: {r}");
    let (_, moved) = app
        .get(
            &admin,
            &format!("/api/v1/applications/{}", numbers.last().unwrap()),
        )
        .await;
    assert_eq!(moved["planned_date"], "2026-04-01", "into April");
    agree(app, "after a day off").await;

    // An outage registered late: the rollups do not hold the technical cause, the cases do.
    let (s, o) = app
        .post(
            &admin,
            "/api/v1/outages",
            json!({"started_at": "2026-03-02T08:00:00+05:00", "ended_at": "2026-03-20T10:00:00+05:00",
                "systems": ["egov_gateway"], "operator": "NIT", "description": "test"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    agree(app, "after a late outage").await;
    let march: Month = "2026-03".parse().unwrap();
    let technical: i64 = app
        .store
        .violation_cells(march, Timestamp::now())
        .await
        .unwrap()
        .iter()
        .map(|c| c.figures.technical)
        .sum();
    assert!(technical > 0, "the outage touches March's violations");

    // New applications after all that, then a rebuild from scratch: the same cells.
    for i in 0..3u32 {
        let (s, a) = app
            .post(
                &admin,
                "/api/v1/applications",
                json!({"service_code": "SVC-WD5",
                "applicant": {"iin": iin(700 + i), "last_name": "Нұрланов", "first_name": "Асқар"},
                "channel": "provider", "acceptance_place": "MIN-AST", "executor": "MIN-AST",
                "accepted_at": format!("2026-04-2{i}T10:00:00+05:00")}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
    }
    let mut before = vec![];
    for m in MONTHS {
        before.push(
            app.store
                .violation_cells(m.parse().unwrap(), Timestamp::now())
                .await
                .unwrap(),
        );
    }
    let counted = app.store.rebuild_violation_rollups().await.unwrap();
    assert_eq!(counted, numbers.len() as u64 + 3);
    for (m, before) in MONTHS.iter().zip(before) {
        let after = app
            .store
            .violation_cells(m.parse().unwrap(), Timestamp::now())
            .await
            .unwrap();
        assert_eq!(after, before, "{m} after a rebuild");
    }
    agree(app, "after a rebuild").await;
}

crate::both!(rollups_agree_with_every_application);
