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

/// A result back at the office two months ago, its receipt's date long past: due for return.
/// The register scans it `returned` and is read back as the sealed PDF; a retry answers the
/// same register; nothing more is due after it.
async fn due_results_are_returned_with_a_sealed_register(app: &TestApp) {
    crate::front_office::office(app, OFFICE, 1).await;
    let staff = app.token_for("GOV-1").await;
    let accepted = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 75);
    let (s, a) = app
        .post(
            &app.admin,
            "/api/v1/applications",
            json!({"service_code": "ARCH-001",
                   "applicant": {"iin": iin(21), "last_name": "Ахметов", "first_name": "Айбек"},
                   "channel": "state_corp", "paper": true, "acceptance_place": "GOV-1",
                   "executor": "AKIM-ARC", "accepted_at": accepted.to_string()}),
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
    // Not due today: nothing to return.
    let key = uuid::Uuid::new_v4().to_string();
    let path = format!("/api/v1/offices/{OFFICE}/returns");
    let (s, e) = app.post(&staff, &path, json!({"request_key": key})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "nothing_to_return");
    // The package came back sixty days ago (the clock of its scans moved back; the chain is
    // not what this test reads).
    let n = ApplicationNumber::parse(&number).unwrap().as_i64();
    app.store
        .execute_raw(&format!(
            "UPDATE events SET occurred_at = occurred_at - {} \
             WHERE kind = 'scanned' AND app_id = (SELECT id FROM applications WHERE number = {n})",
            60_i64 * 86_400 * 1_000_000
        ))
        .await
        .unwrap();
    let (_, shelf) = app
        .get(&staff, &format!("/api/v1/offices/{OFFICE}/storage"))
        .await;
    assert_eq!(shelf["due"], 1, "{shelf}");
    assert_eq!(shelf["items"][0]["executor"], "AKIM-ARC", "{shelf}");
    // A day ahead cannot be returned on.
    let tomorrow = qyzmet_domain::zone::local_date(jiff::Timestamp::now())
        .tomorrow()
        .unwrap();
    let (s, e) = app
        .post(&staff, &path, json!({"on": tomorrow.to_string()}))
        .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("on")),
        "{e}"
    );
    let akimat = app.token_for("AKIM").await;
    let (s, _) = app.post(&akimat, &path, json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let key = uuid::Uuid::new_v4().to_string();
    let (s, r) = app.post(&staff, &path, json!({"request_key": key})).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(
        (
            r["returned"].as_u64(),
            r["items"][0]["application"].as_str(),
            r["items"][0]["state"].as_str()
        ),
        (Some(1), Some(number.as_str()), Some("returned")),
        "{r}"
    );
    let (_, p) = app.get(&staff, &format!("/api/v1/packages/{code}")).await;
    assert_eq!(p["whereabouts"], "returned_unclaimed", "{p}");
    let (_, shelf) = app
        .get(&staff, &format!("/api/v1/offices/{OFFICE}/storage"))
        .await;
    assert_eq!(shelf["items"], json!([]), "{shelf}");
    // The retry: the same register, no second scan.
    let (s, again) = app.post(&staff, &path, json!({"request_key": key})).await;
    assert_eq!(s, StatusCode::OK, "{again}");
    assert_eq!(again["id"], r["id"]);
    let (_, app_view) = app
        .get(&staff, &format!("/api/v1/applications/{number}"))
        .await;
    let returned = app_view["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "scanned" && e["scan"] == "returned")
        .count();
    assert_eq!(returned, 1);
    // Read back: JSON, and the PDF with its Kazakh title and the application.
    let id = r["id"].as_str().unwrap();
    let (s, j) = app.get(&staff, &format!("/api/v1/returns/{id}")).await;
    assert_eq!(
        (s, j["seal"].as_str()),
        (StatusCode::OK, r["seal"].as_str()),
        "{j}"
    );
    let (s, _) = app.get(&akimat, &format!("/api/v1/returns/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let resp = app
        .client
        .get(app.url(&format!("/api/v1/returns/{id}?format=pdf")))
        .bearer_auth(&staff)
        .header("Accept-Language", "kk")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let pdf = resp.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("register.pdf");
    std::fs::write(&file, &pdf).unwrap();
    match std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
    {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("қайтару тізілімі"), "{text}");
            assert!(text.contains(&number), "{text}");
        }
        _ if std::env::var("CI").is_ok() => panic!("pdftotext (poppler-utils) is required"),
        _ => {}
    }
}

crate::both!(
    a_result_not_collected_is_kept_reminded_and_due,
    due_results_are_returned_with_a_sealed_register,
);
