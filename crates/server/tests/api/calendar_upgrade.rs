//! A corrected shipped calendar reaches an existing database (issue 15, finding 9): a database
//! seeded by an earlier release (2024-06-17 a day off, sources "to verify") is brought up to
//! the shipped calendar when a node opens it, the applications whose deadline depended on a
//! corrected day are recomputed with the reason kept, and a day an administrator edited is
//! left as the administrator set it.

use crate::support::TestApp;
use jiff::civil::date;
use qyzmet_domain::calendar::{CalendarEntry, DayKind};
use qyzmet_domain::ProductionCalendar;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::BTreeMap;

/// What the shipped calendar of an earlier release left in the database: Kurban ait 2024 on
/// Monday 17 June, nothing on Sunday 16 June, and a source "to verify".
const EARLIER_RELEASE: &str = "\
    DELETE FROM calendar_entries WHERE day = '2024-06-16';\n\
    INSERT INTO calendar_entries (day, kind, name, source, updated_at) VALUES ('2024-06-17', \
      'day_off', 'Kurban ait, first day', 'Labour Code art. 84; date per Ministry of Labour \
      with QMDB as reported (Monday; newsroom.kz, 2024)', 1);\n\
    UPDATE calendar_entries SET source = 'Government decree on transfer of days off in 2020 \
      (number to verify), as published on primeminister.kz' WHERE day = '2020-01-03';";

fn by_date(entries: Vec<CalendarEntry>) -> BTreeMap<jiff::civil::Date, CalendarEntry> {
    entries.into_iter().map(|e| (e.date, e)).collect()
}

async fn a_corrected_shipped_entry_reaches_an_existing_database(app: &TestApp) {
    app.seed().await;
    app.store.execute_raw(EARLIER_RELEASE).await.unwrap();
    // An administrator made Nauryz day 3 of 2026 a working day; the edit also makes this node
    // reload the calendar, so it now counts with what the earlier release shipped.
    let (s, r) = app
        .send(
            reqwest::Method::PUT,
            Some(&app.admin),
            "/api/v1/calendar/2026-03-23",
            Some(
                &json!({"kind": "working_day", "name": "Worked (test)", "source": "Order (test)"}),
            ),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");

    // Five working days from Fri 2024-06-14 10:00: with 17 June off, 18-21 and 24 June.
    let tok = app.token_for("MIN-AST").await;
    let a = app
        .register(&tok, "SVC-WD5", "MIN-AST", "2024-06-14T10:00:00+05:00")
        .await;
    let number = a["number"].as_str().unwrap().to_string();
    assert_eq!(a["planned_date"], "2024-06-24", "{a}");

    // The next release opens the database.
    let reopened = qyzmet_server::open_store(&app.config).await.unwrap();
    reopened.close().await;

    let (s, d) = app
        .get(&tok, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["planned_date"], "2024-06-21", "{d}");
    assert_eq!(d["original_planned_date"], "2024-06-24", "{d}");
    let changes = d["deadline_changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{d}");
    let reason = changes[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("2024-06-17") && reason.contains("shipped"),
        "{reason}"
    );

    let shipped = by_date(ProductionCalendar::default_entries());
    let mut stored = by_date(app.store.calendar_entries().await.unwrap());
    assert!(
        !stored.contains_key(&date(2024, 6, 17)),
        "17 June is worked"
    );
    let kurban = &stored[&date(2024, 6, 16)];
    assert_eq!(kurban.kind, DayKind::DayOff);
    assert!(kurban.source.contains("07.06.2024"), "{}", kurban.source);
    // The administrator's edit is kept; every other day is the shipped one, sources included.
    let kept = stored.remove(&date(2026, 3, 23)).unwrap();
    assert_eq!(kept.kind, DayKind::WorkingDay);
    assert_eq!(kept.source, "Order (test)");
    let mut expected = shipped.clone();
    expected.remove(&date(2026, 3, 23));
    assert_eq!(stored, expected);

    // Each correction is audited under the shipped calendar's name.
    let audit = app.store.audit_of("calendar:2024-06-17", 10).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "calendar.shipped" && e.actor == "shipped-calendar"),
        "{audit:?}"
    );

    // Opening the database again changes nothing.
    let shipped: Vec<CalendarEntry> = shipped.into_values().collect();
    let again = app
        .store
        .sync_shipped_calendar(&shipped, jiff::Timestamp::now(), 0.8)
        .await
        .unwrap();
    assert_eq!(again.updated, 0, "{again:?}");
    assert!(again.recomputed.is_empty(), "{again:?}");
    assert_eq!(again.kept, vec![date(2026, 3, 23)]);
    let (_, d) = app
        .get(&tok, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(d["deadline_changes"].as_array().unwrap().len(), 1, "{d}");
}

crate::both!(a_corrected_shipped_entry_reaches_an_existing_database);
