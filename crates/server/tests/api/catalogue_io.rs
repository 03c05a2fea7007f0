//! The catalogue's export and import (issue 17, point 2), on both backends, through the API:
//! a registry with passports (003 §11 documents, 003 §17 grounds) is exported, imported into
//! an empty server and exported again, identical, as JSON and as CSV; a dry run writes
//! nothing; a second import changes nothing; a bad row is named with its field and reason in
//! the caller's language; a published version stored otherwise is refused and nothing is
//! written; only administrators export and import; two imports at once end as one.

use crate::passports::complete_passport;
use crate::support::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A server of the same backend as `app`, empty.
async fn fresh(app: &TestApp) -> TestApp {
    match app.store.backend_name() {
        "postgres" => TestApp::postgres().await.expect("postgres configured"),
        _ => TestApp::sqlite().await,
    }
}

/// The registry of `TestApp::seed` with passports: published versions, a draft after one, a
/// second version of terms, and the grounds and documents a ministry keeps.
async fn demo_like(app: &TestApp) {
    app.seed().await;
    for (svc, org) in [
        ("SVC-WD5", "MIN"),
        ("ARCH-001", "AKIM"),
        ("SVC-H2", "MIN-COM"),
    ] {
        let mut p = complete_passport(org);
        p["suspension_grounds"] = json!([{"code": "check", "text": {"kk": "тексеру", "ru": "проверка"},
            "legal_reference": "ст. 5"}]);
        p["complaints"]["appeal_organization"] = json!("GOV-1");
        let (s, d) = app
            .send(
                Method::PUT,
                Some(&app.admin),
                &format!("/api/v1/services/{svc}/passport"),
                Some(&json!({"passport": p})),
                Some("en"),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        let (s, d) = app
            .post(
                &app.admin,
                &format!("/api/v1/services/{svc}/passport/publish"),
                json!({"revision": d["revision"], "approving_act": "Приказ № 1 от 01.01.2026"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
    }
    // A draft of version 2 of one, with another document.
    let mut p = complete_passport("MIN");
    p["documents"][1]["name"] = json!({"kk": "жеке куәлік", "ru": "удостоверение", "en": "ID"});
    let (s, d) = app
        .send(
            Method::PUT,
            Some(&app.admin),
            "/api/v1/services/SVC-WD5/passport",
            Some(&json!({"passport": p})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let (s, d) = app
        .send(
            Method::PUT,
            Some(&app.admin),
            "/api/v1/services/ARCH-001/terms",
            Some(
                &json!({"terms": [{"variant": "standard", "amount": 10, "unit": "calendar_days",
                "name": {"kk": "стандарт", "ru": "стандарт", "en": "standard"}}],
                "legal_basis": "Приказ № 2"}),
            ),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
}

/// The export in `format`, as text.
async fn export(app: &TestApp, format: &str) -> String {
    let resp = app
        .client
        .get(app.url(&format!("/api/v1/catalogue/export?format={format}")))
        .bearer_auth(&app.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.text().await.unwrap()
}

/// The JSON export without its time.
async fn export_json(app: &TestApp) -> Value {
    let mut v: Value = serde_json::from_str(&export(app, "json").await).unwrap();
    v.as_object_mut().unwrap().remove("exported_at");
    v
}

/// The CSV export without its catalogue row (the time).
async fn export_csv(app: &TestApp) -> String {
    let text = export(app, "csv").await;
    assert!(
        text.starts_with('\u{feff}'),
        "a byte-order mark for spreadsheets"
    );
    text.lines()
        .filter(|l| !l.starts_with("catalogue,"))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn import(
    app: &TestApp,
    token: &str,
    body: &str,
    kind: &str,
    query: &str,
    lang: &str,
) -> (StatusCode, Value) {
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/catalogue/import{query}")))
        .bearer_auth(token)
        .header("Content-Type", kind)
        .header("Accept-Language", lang)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

const JSON: &str = "application/json";
const CSV: &str = "text/csv";

async fn a_catalogue_round_trips_as_json_and_csv(app: &TestApp) {
    demo_like(app).await;
    let original = export_json(app).await;
    assert_eq!(original["format"], "qyzmet-catalogue/1");
    assert_eq!(original["services"].as_array().unwrap().len(), 5);
    let wd5 = &original["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "SVC-WD5")
        .unwrap()["passports"];
    assert_eq!(wd5[0]["state"], "published", "{wd5}");
    assert_eq!(wd5[1]["state"], "draft", "{wd5}");
    let codes: Vec<&str> = original["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    // Named by a service or a passport, with their ancestors; parents first.
    assert!(
        codes.contains(&"GOV-1") && codes.contains(&"MIN"),
        "{codes:?}"
    );
    assert!(codes.iter().position(|c| *c == "MIN") < codes.iter().position(|c| *c == "MIN-COM"));

    let text = export(app, "json").await;
    let b = fresh(app).await;
    let (s, r) = import(&b, &b.admin, &text, JSON, "", "en").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["services"]["created"], 5, "{r}");
    assert_eq!(r["passport_versions"]["created"], 4, "{r}");
    assert_eq!(r["term_versions"]["created"], 6, "{r}");
    assert_eq!(export_json(&b).await, original);
    assert_eq!(export_csv(&b).await, export_csv(app).await);

    let csv = export(app, "csv").await;
    let c = fresh(app).await;
    let (s, r) = import(&c, &c.admin, &csv, CSV, "", "en").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(export_csv(&c).await, export_csv(app).await);
    assert_eq!(export_json(&c).await, original);
    b.stop().await;
    c.stop().await;
}

async fn a_dry_run_writes_nothing_and_a_second_import_changes_nothing(app: &TestApp) {
    demo_like(app).await;
    let text = export(app, "json").await;
    let b = fresh(app).await;
    let (s, dry) = import(&b, &b.admin, &text, JSON, "?dry_run=true", "en").await;
    assert_eq!(s, StatusCode::OK, "{dry}");
    assert_eq!(dry["dry_run"], true);
    assert!(dry["changes"].as_u64().unwrap() > 0, "{dry}");
    let empty = export_json(&b).await;
    assert_eq!(empty["services"], json!([]), "a dry run writes nothing");
    assert!(b.store.audit_of("catalogue", 10).await.unwrap().is_empty());

    let (s, first) = import(&b, &b.admin, &text, JSON, "", "en").await;
    assert_eq!(s, StatusCode::OK, "{first}");
    assert_eq!(
        first["changes"], dry["changes"],
        "the dry run said what the import did"
    );
    let (s, second) = import(&b, &b.admin, &text, JSON, "", "en").await;
    assert_eq!(s, StatusCode::OK, "{second}");
    assert_eq!(second["changes"], 0, "{second}");
    assert_eq!(second["services"]["unchanged"], 5, "{second}");
    // The CSV of the same catalogue changes nothing either.
    let (s, third) = import(&b, &b.admin, &export(app, "csv").await, CSV, "", "en").await;
    assert_eq!(s, StatusCode::OK, "{third}");
    assert_eq!(third["changes"], 0, "{third}");
    let audit = b.store.audit_of("catalogue", 10).await.unwrap();
    assert_eq!(audit.len(), 3, "one entry per import");
    assert_eq!(audit[0].action, "catalogue.import");
    assert!(
        audit[0].detail.contains("services: 5 created"),
        "{}",
        audit[0].detail
    );
    b.stop().await;
}

async fn a_bad_row_is_named_with_its_field_and_reason(app: &TestApp) {
    demo_like(app).await;
    let csv = export(app, "csv").await;
    // The first document row: its code broken.
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with("document,"))
        .unwrap();
    lines[i] = lines[i].replacen(",application,", ",bad code!,", 1);
    let broken = lines.join("\n");
    let b = fresh(app).await;
    let mut messages = Vec::new();
    for lang in ["kk", "ru"] {
        let (s, r) = import(&b, &b.admin, &broken, CSV, "", lang).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
        assert_eq!(r["error"]["code"], "catalogue_refused", "{r}");
        let p = &r["problems"][0];
        // The header is row 1, as a spreadsheet numbers it.
        assert_eq!(p["where"], format!("row {}", i + 1), "{r}");
        assert_eq!(p["field"], "code", "{r}");
        assert_eq!(p["code"], "bad_code", "{r}");
        messages.push(p["message"].as_str().unwrap().to_string());
    }
    assert_ne!(messages[0], messages[1], "in Kazakh, then in Russian");
    assert!(messages[1].contains("Код"), "{}", messages[1]);
    // The same in JSON: a path.
    let mut file: Value = serde_json::from_str(&export(app, "json").await).unwrap();
    file["services"][0]["name"]["ru"] = json!("");
    file["services"][1]["passports"][0]["passport"]["documents"][0]["code"] = json!("bad code!");
    let (s, r) = import(&b, &b.admin, &file.to_string(), JSON, "", "ru").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    let problems = r["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["where"] == "services[0]" && p["field"] == "name.ru"),
        "{r}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p["where"] == "services[1].passports[0]"
                && p["field"] == "passport.documents[0].code"
                && p["code"] == "bad_code"),
        "{r}"
    );
    assert_eq!(
        export_json(&b).await["organizations"],
        json!([]),
        "nothing written"
    );
    b.stop().await;
}

async fn a_conflicting_published_version_is_refused_and_nothing_written(app: &TestApp) {
    demo_like(app).await;
    let text = export(app, "json").await;
    let b = fresh(app).await;
    let (s, r) = import(&b, &b.admin, &text, JSON, "", "en").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let before = export_json(&b).await;
    let mut file: Value = serde_json::from_str(&text).unwrap();
    let services = file["services"].as_array_mut().unwrap();
    let i = services.iter().position(|s| s["code"] == "SVC-H2").unwrap();
    services[i]["passports"][0]["passport"]["place_conditions"]["ru"] = json!("другое");
    // Something new beside it, which must not be written either.
    file["organizations"].as_array_mut().unwrap().push(
        json!({"code": "NEW-ORG", "kind": "department",
        "bin": crate::support::bin(900), "name": {"kk": "ж", "ru": "н", "en": "n"},
        "working_hours": "09:00-18:00"}),
    );
    let (s, r) = import(&b, &b.admin, &file.to_string(), JSON, "", "en").await;
    assert_eq!(s, StatusCode::CONFLICT, "{r}");
    let p = &r["problems"][0];
    assert_eq!(p["code"], "passport_version_differs", "{r}");
    assert_eq!(p["where"], format!("services[{i}].passports[0]"), "{r}");
    let message = p["message"].as_str().unwrap();
    assert!(
        message.contains("SVC-H2") && message.contains("Version 1"),
        "{message}"
    );
    assert_eq!(export_json(&b).await, before, "nothing written");
    let (s, _) = b.get(&b.admin, "/api/v1/organizations/NEW-ORG").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    b.stop().await;
}

async fn only_administrators_export_and_import(app: &TestApp) {
    app.seed().await;
    let own = app.token_for("MIN").await;
    for format in ["json", "csv"] {
        let (s, e) = app
            .get(&own, &format!("/api/v1/catalogue/export?format={format}"))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    }
    let text = export(app, "json").await;
    let (s, e) = import(app, &own, &text, JSON, "", "en").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, e) = import(app, &app.admin, &text, "text/plain", "", "en").await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{e}");
    let (s, e) = app
        .get(&app.admin, "/api/v1/catalogue/export?format=xml")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
}

async fn two_imports_at_once_end_as_one(app: &TestApp) {
    demo_like(app).await;
    let text = export(app, "json").await;
    let b = fresh(app).await;
    let (s, dry) = import(&b, &b.admin, &text, JSON, "?dry_run=true", "en").await;
    assert_eq!(s, StatusCode::OK, "{dry}");
    let (one, two) = tokio::join!(
        import(&b, &b.admin, &text, JSON, "", "en"),
        import(&b, &b.admin, &text, JSON, "", "en")
    );
    assert_eq!(one.0, StatusCode::OK, "{}", one.1);
    assert_eq!(two.0, StatusCode::OK, "{}", two.1);
    let changes = [
        one.1["changes"].as_u64().unwrap(),
        two.1["changes"].as_u64().unwrap(),
    ];
    assert!(
        changes.contains(&0),
        "the second found the first one's rows: {changes:?}"
    );
    assert_eq!(changes[0] + changes[1], dry["changes"].as_u64().unwrap());
    assert_eq!(export_json(&b).await, export_json(app).await);
    b.stop().await;
}

crate::both!(
    a_catalogue_round_trips_as_json_and_csv,
    a_dry_run_writes_nothing_and_a_second_import_changes_nothing,
    a_bad_row_is_named_with_its_field_and_reason,
    a_conflicting_published_version_is_refused_and_nothing_written,
    only_administrators_export_and_import,
    two_imports_at_once_end_as_one,
);
