//! The violations report of 000 §12 through `GET /api/v1/reports/violations`: its figures
//! equal an independent computation (written here, from each application as the API shows
//! it, following MISSION.md's definitions) and the hand-checked values of a small month.

use crate::support::{iin, stage, TestApp};
use jiff::civil::Date;
use jiff::Timestamp;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashMap;

/// (due, on_time, violations, technical, open_overdue, overdue_days)
type F = [i64; 6];

fn figures(v: &Value) -> F {
    [
        "due",
        "on_time",
        "violations",
        "technical",
        "open_overdue",
        "overdue_days",
    ]
    .map(|k| v[k].as_i64().unwrap_or_else(|| panic!("{k} in {v}")))
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// The local (Almaty, +05:00) date of an instant the API wrote in local time.
fn local_date(s: &str) -> Date {
    s[..10].parse().unwrap()
}

/// The seed's tree, child → parent.
fn parent(code: &str) -> Option<&'static str> {
    match code {
        "MIN-COM" => Some("MIN"),
        "MIN-AST" | "MIN-ALA" => Some("MIN-COM"),
        "AKIM-ARC" => Some("AKIM"),
        _ => None,
    }
}

async fn month_is_counted_as_mission_defines(app: &TestApp) {
    app.seed().await;
    let admin = app.admin.clone();
    // (service, executor, accepted at, executed at)
    let plan: [(&str, &str, &str, Option<&str>); 8] = [
        (
            "SVC-H2",
            "MIN-ALA",
            "2026-03-10T10:00:00+05:00",
            Some("2026-03-10T11:00:00+05:00"),
        ),
        (
            "SVC-H2",
            "MIN-ALA",
            "2026-03-11T10:00:00+05:00",
            Some("2026-03-13T10:00:00+05:00"),
        ),
        ("SVC-H2", "MIN-ALA", "2026-03-12T10:00:00+05:00", None),
        (
            "ARCH-001",
            "AKIM-ARC",
            "2026-03-02T10:00:00+05:00",
            Some("2026-03-20T10:00:00+05:00"),
        ),
        (
            "SVC-WD5",
            "MIN-AST",
            "2026-03-02T10:00:00+05:00",
            Some("2026-03-03T10:00:00+05:00"),
        ),
        ("SVC-WD5", "MIN-AST", "2026-03-30T10:00:00+05:00", None),
        ("SVC-WD5", "MIN-AST", "2026-02-23T10:00:00+05:00", None),
        ("SVC-H2", "GOV-1", "2026-03-31T23:00:00+05:00", None),
    ];
    let mut numbers = vec![];
    for (i, (service, executor, accepted, executed)) in plan.iter().enumerate() {
        let (s, a) = app
            .post(&admin, "/api/v1/applications", json!({"service_code": service,
                "applicant": {"iin": iin(40 + i as u32), "last_name": "Нұрланов", "first_name": "Асқар"},
                "channel": "provider", "acceptance_place": executor, "executor": executor,
                "accepted_at": accepted}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        let number = a["number"].as_str().unwrap().to_string();
        if let Some(t) = executed {
            let (s, e) = app.event(&admin, &number, stage("executed", t)).await;
            assert_eq!(s, StatusCode::CREATED, "{e}");
        }
        numbers.push(number);
    }
    // egov_gateway (every seeded service depends on it) down on the 13th, 08:00–10:00: inside
    // the archive request's window (2nd to 17th), outside the 2-hour ones'. archive_is (no
    // service depends on it) down during the second 2-hour application.
    for (systems, start, end) in [
        (
            ["egov_gateway"],
            "2026-03-13T08:00:00+05:00",
            "2026-03-13T10:00:00+05:00",
        ),
        (
            ["archive_is"],
            "2026-03-11T10:30:00+05:00",
            "2026-03-11T11:00:00+05:00",
        ),
    ] {
        let (s, o) = app
            .post(
                &admin,
                "/api/v1/outages",
                json!({"started_at": start, "ended_at": end,
                "systems": systems, "operator": "NIT", "description": "test"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{o}");
    }

    let (s, report) = app
        .get(&admin, "/api/v1/reports/violations?month=2026-03")
        .await;
    assert_eq!(s, StatusCode::OK, "{report}");
    assert_eq!(report["month"], "2026-03");
    assert_eq!(report["due_by"], "2026-04-15");
    let as_of = at(report["as_of"].as_str().unwrap());

    // The independent computation, from each application as the API shows it.
    let mut own: HashMap<String, F> = HashMap::new();
    let mut by_service: HashMap<String, F> = HashMap::new();
    let window_hit = |from: Timestamp, to: Timestamp| {
        // The egov_gateway outage only: archive_is is no service's dependency.
        at("2026-03-13T08:00:00+05:00") <= to && at("2026-03-13T10:00:00+05:00") >= from
    };
    for n in &numbers {
        let (_, a) = app.get(&admin, &format!("/api/v1/applications/{n}")).await;
        let deadline = a["deadline"].as_str().unwrap();
        if !deadline.starts_with("2026-03-") {
            continue;
        }
        let planned = local_date(a["planned_date"].as_str().unwrap());
        let mut f: F = [1, 0, 0, 0, 0, 0];
        match a["actual_completion"].as_str() {
            Some(done) if at(done) <= at(deadline) => f[1] = 1,
            done => {
                if done.is_none() && as_of <= at(deadline) {
                    panic!("every March deadline has passed");
                }
                f[2] = 1;
                let late_date = match done {
                    Some(d) => local_date(d),
                    None => {
                        f[4] = 1;
                        as_of
                            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(5)))
                            .date()
                    }
                };
                f[5] = (late_date - planned).get_days().max(0) as i64;
                let from = at(a["effective_acceptance"].as_str().unwrap());
                f[3] = i64::from(window_hit(from, at(deadline)));
            }
        }
        for (map, key) in [
            (&mut own, a["executor"].as_str().unwrap().to_string()),
            (
                &mut by_service,
                a["service_code"].as_str().unwrap().to_string(),
            ),
        ] {
            let e = map.entry(key).or_default();
            for k in 0..6 {
                e[k] += f[k];
            }
        }
    }
    let orgs = report["organizations"].as_array().unwrap();
    assert_eq!(
        orgs.len(),
        7,
        "every organization, with or without applications"
    );
    for o in orgs {
        let code = o["code"].as_str().unwrap();
        assert_eq!(o["parent"].as_str(), parent(code), "{code}");
        let expected_own = own.get(code).copied().unwrap_or_default();
        assert_eq!(figures(&o["own"]), expected_own, "{code} own");
        let mut expected_total = [0; 6];
        for (c, f) in &own {
            let mut at_ = Some(c.as_str());
            while let Some(x) = at_ {
                if x == code {
                    for k in 0..6 {
                        expected_total[k] += f[k];
                    }
                }
                at_ = parent(x);
            }
        }
        assert_eq!(figures(&o["total"]), expected_total, "{code} total");
    }
    let services = report["services"].as_array().unwrap();
    assert_eq!(services.len(), by_service.len());
    for s in services {
        let code = s["code"].as_str().unwrap();
        assert_eq!(figures(&s["figures"]), by_service[code], "{code}");
    }

    // The same month checked by hand.
    let row = |code: &str| orgs.iter().find(|o| o["code"] == code).unwrap().clone();
    let ala = figures(&row("MIN-ALA")["own"]);
    assert_eq!(
        &ala[..5],
        &[3, 1, 2, 0, 1],
        "2-hour: on time, 2 days late, still open"
    );
    assert_eq!(
        figures(&row("AKIM-ARC")["own"])[..5],
        [1, 0, 1, 1, 0],
        "the archive request: late, with egov_gateway down in its window"
    );
    // Received on the 31st after hours: accepted on 1 April at 09:00, due 11:00 (rule 3, 7):
    // April's report, not March's.
    assert_eq!(figures(&row("GOV-1")["own"])[0], 0);
    assert_eq!(
        figures(&row("MIN")["total"]),
        figures(&row("MIN-COM")["total"]),
        "MIN executes nothing itself"
    );
    assert_eq!(figures(&row("MIN")["own"]), [0; 6]);

    // An organization's token sees its sub-tree only.
    let com = app.token_for("MIN-COM").await;
    let (s, scoped) = app
        .get(&com, "/api/v1/reports/violations?month=2026-03")
        .await;
    assert_eq!(s, StatusCode::OK, "{scoped}");
    let codes: Vec<&str> = scoped["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 3, "{codes:?}");
    assert!(codes
        .iter()
        .all(|c| ["MIN-COM", "MIN-AST", "MIN-ALA"].contains(c)));
    assert!(scoped["services"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["code"] != "ARCH-001"));

    // Bad input: the field and the reason, in the caller's language.
    let (s, bad) = app
        .get(&admin, "/api/v1/reports/violations?month=2026-3")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["error"]["field"], "month");
    assert_eq!(bad["error"]["code"], "month_invalid");
    let (s, bad) = app
        .get(
            &admin,
            "/api/v1/reports/violations?month=2026-03&format=pdf",
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["error"]["field"], "format");
}

crate::both!(month_is_counted_as_mission_defines);
