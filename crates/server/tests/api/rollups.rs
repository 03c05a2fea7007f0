//! The violations report's rollups (000 §12; issue 5) against the reference computation from
//! every application: after registrations, completions on time and late, suspensions,
//! executor changes, a deadline recomputation that moves applications to another month, a
//! late outage, and a rebuild — for several months and report moments.

use crate::support::{iin, stage, TestApp};
use jiff::{SignedDuration, Timestamp};
use qyzmet_domain::violation::{Month, Verdict};
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
                // Another organization that delivers the service (B.5).
                let other = match executor {
                    "MIN-ALA" => "MIN-AST",
                    "AKIM-ARC" => "AKIM",
                    _ => "MIN-ALA",
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

/// A revision of a past month judges every application by its history as of the report's
/// moment T, not by its state today (issue 15, finding 8): an application open and overdue
/// at T and suspended a moment after T stays a violation (with its technical cause and
/// overdue days) for its executor, the executor's parents and its service; one handed to
/// another executor after T counts where it was at T; one suspended before T and resumed
/// after T (which moved its deadline out of the month) was running at T. So revising the
/// month as of T after those events changes nothing, and the rollups, the reference
/// computation and the applications behind the figures agree at T.
async fn a_revision_judges_each_case_as_of_its_moment(app: &TestApp) {
    app.seed().await;
    let admin = app.admin.clone();
    let march: Month = "2026-03".parse().unwrap();
    let (s, o) = app
        .post(
            &admin,
            "/api/v1/outages",
            json!({"started_at": "2026-03-10T12:00:00+05:00", "ended_at": "2026-03-11T12:00:00+05:00",
                "systems": ["egov_gateway"], "operator": "NIT", "description": "test"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    // Five working days from 10 March: due on 17 March, all three open at the month's end.
    let mut numbers = vec![];
    for hour in ["09", "10", "11"] {
        let a = app
            .register(
                &admin,
                "SVC-WD5",
                "MIN-AST",
                &format!("2026-03-10T{hour}:00:00+05:00"),
            )
            .await;
        assert_eq!(a["planned_date"], "2026-03-17");
        numbers.push(a["number"].as_str().unwrap().to_string());
    }
    let (suspended_after, moved_after, resumed_after) = (&numbers[0], &numbers[1], &numbers[2]);
    let event = |body: serde_json::Value| {
        let mut e = body;
        e["id"] = json!(uuid::Uuid::new_v4().to_string());
        e
    };
    let (s, e) = app
        .event(
            &admin,
            resumed_after,
            event(
                json!({"type": "suspended", "reason": "request to an archive (003 §17)",
                "occurred_at": "2026-03-12T10:00:00+05:00"}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");

    // Version 1, as of now (T).
    let (s, v1) = app
        .post(
            &admin,
            "/api/v1/reports/violations/generate",
            json!({"month": "2026-03"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v1}");
    let t = app
        .store
        .violation_report_versions(march)
        .await
        .unwrap()
        .remove(0)
        .as_of;
    let first = app
        .store
        .stored_violations_report(march, Some(1), None)
        .await
        .unwrap()
        .unwrap();
    let own = |r: &qyzmet_store::ViolationsReport, code: &str| {
        let row = r
            .organizations
            .iter()
            .find(|o| o.code.as_str() == code)
            .unwrap();
        (row.own, row.total)
    };
    let (ast, _) = own(&first, "MIN-AST");
    assert_eq!(
        (ast.due, ast.violations, ast.technical, ast.open_overdue),
        (3, 2, 2, 2),
        "{ast:?}"
    );
    let days = ast.overdue_days;
    assert!(days > 200, "overdue since 17 March: {days}");

    // Three seconds after T: one suspended, one handed to another executor, one resumed
    // (its deadline moves by the nine months it was suspended, out of March).
    let later = (t + SignedDuration::from_secs(3)).to_string();
    for (n, body) in [
        (
            suspended_after,
            json!({"type": "suspended", "reason": "request to an archive (003 §17)", "occurred_at": later}),
        ),
        (
            moved_after,
            json!({"type": "executor_changed", "executor": "MIN-ALA", "occurred_at": later}),
        ),
        (
            resumed_after,
            json!({"type": "resumed", "occurred_at": later}),
        ),
    ] {
        let (s, e) = app.event(&admin, n, event(body)).await;
        assert_eq!(s, StatusCode::CREATED, "{e}");
    }
    let (_, resumed) = app
        .get(&admin, &format!("/api/v1/applications/{resumed_after}"))
        .await;
    assert_ne!(
        resumed["planned_date"].as_str().unwrap().get(..7),
        Some("2026-03"),
        "the resumption moved its deadline out of March: {resumed}"
    );

    // The revision as of T finds nothing to change.
    let (s, v2) = app
        .post(
            &admin,
            "/api/v1/reports/violations/generate",
            json!({"month": "2026-03"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "no new version: {v2}");
    assert_eq!(v2["latest"]["version"], 1, "{v2}");
    let rolled = app.store.violation_cells(march, t).await.unwrap();
    let reference = app
        .store
        .violation_cells_from_applications(march, t)
        .await
        .unwrap();
    assert_eq!(rolled, reference);
    let again = app.store.violations_report(march, t, None).await.unwrap();
    for code in ["MIN-AST", "MIN-COM", "MIN", "MIN-ALA"] {
        assert_eq!(own(&again, code), own(&first, code), "{code} as of T");
    }
    assert_eq!(again.services, first.services);
    // The applications behind MIN-AST's figures as of T: all three, two of them overdue.
    let ast_path = again
        .organizations
        .iter()
        .find(|o| o.code.as_str() == "MIN-AST")
        .unwrap()
        .path
        .clone();
    let exact = app
        .store
        .violation_applications(march, t, Some(&ast_path), true, None)
        .await
        .unwrap();
    assert_eq!(exact.len(), 3, "{exact:?}");
    let overdue = exact
        .iter()
        .filter(|j| matches!(j.verdict, Verdict::Violation { open: true, .. }))
        .count();
    assert_eq!(overdue, 2);

    // A minute after T the picture is another: one suspended (running), one elsewhere, one
    // out of March. (The events may still lie ahead of the clock: they are dated T + 3 s.)
    let now = app
        .store
        .violations_report(march, t + SignedDuration::from_mins(1), None)
        .await
        .unwrap();
    let (ast_now, _) = own(&now, "MIN-AST");
    let (ala_now, _) = own(&now, "MIN-ALA");
    assert_eq!((ast_now.due, ast_now.violations), (1, 0), "{ast_now:?}");
    assert_eq!((ala_now.due, ala_now.violations), (1, 1), "{ala_now:?}");
    agree(app, "after the events after T").await;
}

crate::both!(
    rollups_agree_with_every_application,
    a_revision_judges_each_case_as_of_its_moment
);
