//! Storage of results not collected (001 §20, decision Q2; ADR 0021), on both backends: a
//! service's storage term set by an administrator (audited); a package back from the provider
//! on the office's shelf with its term computed from the later of its arrival and the
//! receipt's date; the daily job run with the clock moved — a week before the term ends the
//! applicant is reminded through the outbox, once however often the job runs, and on the day
//! the result is due; issued, it leaves the shelf.

use crate::support::{iin, TestApp};
use jiff::civil::Date;
use qyzmet_domain::front_office::package;
use qyzmet_domain::front_office::storage::{self, StorageClass};
use qyzmet_domain::ids::ApplicationNumber;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const OFFICE: &str = "STO-01";

/// 10:00 in Almaty on `day`.
fn at(day: Date) -> jiff::Timestamp {
    day.at(10, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::get("Asia/Almaty").unwrap())
        .unwrap()
        .timestamp()
}

async fn a_result_not_collected_is_kept_reminded_and_due(app: &TestApp) {
    crate::front_office::office(app, OFFICE, 1).await;
    let staff = app.token_for("GOV-1").await;

    // Passports and identity cards: a year.
    let (s, e) = app
        .send(
            Method::PUT,
            Some(&staff),
            "/api/v1/services/SVC-WD5/storage",
            Some(&json!({"storage_class": "keep_year", "source": "Бұйрық № 3"})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, t) = app
        .send(
            Method::PUT,
            Some(&app.admin),
            "/api/v1/services/SVC-WD5/storage",
            Some(&json!({"storage_class": "keep_year", "source": "Бұйрық № 3"})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    let (_, t) = app.get(&staff, "/api/v1/services/SVC-WD5/storage").await;
    assert_eq!(
        (t["storage_class"].as_str(), t["source"].as_str()),
        (Some("keep_year"), Some("Бұйрық № 3"))
    );
    let (_, rule) = app.get(&staff, "/api/v1/services/ARCH-001/storage").await;
    assert_eq!(rule["storage_class"], "return_after_month", "{rule}");

    // A paper application with the applicant's e-mail, there and back.
    let (s, a) = app
        .post(
            &app.admin,
            "/api/v1/applications",
            json!({"service_code": "SVC-WD5",
                   "applicant": {"iin": iin(17), "last_name": "Ахметов", "first_name": "Айбек",
                                 "contact": {"email": "aibek@mail.kz", "language": "ru"}},
                   "channel": "state_corp", "paper": true, "acceptance_place": "GOV-1",
                   "executor": "MIN-AST", "accepted_at": jiff::Timestamp::now().to_string()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let number = a["number"].as_str().unwrap().to_string();
    crate::packages::consent(app, &number).await;
    let code = package::barcode(ApplicationNumber::parse(&number).unwrap());
    for kind in ["to_provider", "from_provider"] {
        let (s, r) = app
            .post(
                &staff,
                &format!("/api/v1/packages/{code}/scans"),
                json!({"kind": kind, "office": OFFICE}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
    }

    // On the shelf: kept from the receipt's date (later than today's arrival), a year.
    let (s, shelf) = app
        .get(&staff, &format!("/api/v1/offices/{OFFICE}/storage"))
        .await;
    assert_eq!(s, StatusCode::OK, "{shelf}");
    let items = shelf["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{shelf}");
    let kept = &items[0];
    let planned: Date = a["planned_date"].as_str().unwrap().parse().unwrap();
    let today = qyzmet_domain::zone::local_date(jiff::Timestamp::now());
    let start = storage::start(today, planned);
    let due = storage::due(
        StorageClass::KeepYear,
        start,
        &qyzmet_domain::ProductionCalendar::kazakhstan(),
    )
    .date();
    assert_eq!(kept["storage_start"], start.to_string(), "{kept}");
    assert_eq!(
        (kept["due"]["kind"].as_str(), kept["due"]["on"].as_str()),
        (Some("return"), Some(due.to_string().as_str())),
        "{kept}"
    );
    assert_eq!(
        (kept["due_now"].as_bool(), shelf["due"].as_u64()),
        (Some(false), Some(0))
    );
    // Not yet past the receipt's date (the planned date is ahead); on the due day it is.
    assert_eq!(
        (
            kept["past_issue_date"].as_bool(),
            shelf["past_issue_date"].as_u64()
        ),
        (Some(planned < today), Some(u64::from(planned < today)))
    );
    let (_, then) = app
        .get(
            &staff,
            &format!("/api/v1/offices/{OFFICE}/storage?on={due}"),
        )
        .await;
    assert_eq!(
        (then["items"][0]["due_now"].as_bool(), then["due"].as_u64()),
        (Some(true), Some(1)),
        "{then}"
    );
    assert_eq!(then["past_issue_date"], 1, "{then}");
    let akimat = app.token_for("AKIM").await;
    let (s, _) = app
        .get(&akimat, &format!("/api/v1/offices/{OFFICE}/storage"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The job, with the clock moved: nothing before the week; the week's reminder once; on the
    // day, due.
    let (_, state, _) = qyzmet_server::build(app.config.clone(), app.store.clone())
        .await
        .unwrap();
    let ttl = jiff::SignedDuration::from_hours(1);
    let run = |when| {
        let state = state.clone();
        async move {
            qyzmet_server::jobs::run_storage_once(&state, "test-node", ttl, when)
                .await
                .unwrap()
                .expect("the lease")
        }
    };
    let week = due.checked_sub(jiff::Span::new().days(7)).unwrap();
    let r = run(at(week.yesterday().unwrap())).await;
    assert_eq!((r.kept, r.due, r.reminded), (1, 0, 0), "{r:?}");
    let r = run(at(week)).await;
    assert_eq!((r.kept, r.due, r.reminded), (1, 0, 1), "{r:?}");
    let r = run(at(week)).await;
    assert_eq!(r.reminded, 0, "once: {r:?}");
    let (_, mail) = app
        .get(
            &app.admin,
            &format!("/api/v1/outbox?number={number}&channel=email"),
        )
        .await;
    let reminder: Vec<&Value> = mail["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["key"].as_str().unwrap().starts_with("storage:"))
        .collect();
    assert_eq!(reminder.len(), 1, "{mail}");
    assert!(
        reminder[0]["subject"].as_str().unwrap().contains(&number),
        "{mail}"
    );
    let r = run(at(due)).await;
    assert_eq!((r.due, r.reminded), (1, 0), "{r:?}");

    // Issued: off the shelf.
    let (s, r) = app
        .post(
            &staff,
            &format!("/api/v1/packages/{code}/scans"),
            json!({"kind": "issued"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let (_, shelf) = app
        .get(&staff, &format!("/api/v1/offices/{OFFICE}/storage"))
        .await;
    assert_eq!(shelf["items"], json!([]), "{shelf}");
}

crate::both!(a_result_not_collected_is_kept_reminded_and_due);
