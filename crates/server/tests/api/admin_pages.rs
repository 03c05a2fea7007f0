//! The administrator's forms over HTTP as a browser sends them (issue 4), on both backends:
//! the production calendar's year view and its edits (which move the planned dates that
//! depend on the day), outages, services with their term variants, organizations and their
//! signature policy. Each goes through the API's core, so the API sees the result; only an
//! administrator may send them, and only with the session's form token.

use crate::browser::{user, Browser, Page, PASSWORD};
use crate::support::{bin, TestApp};
use qyzmet_store::UserRole;
use reqwest::StatusCode;
use serde_json::Value;

async fn admins(app: &TestApp) {
    app.seed().await;
    user(app, "admin", UserRole::Administrator, None).await;
    user(app, "op.ast", UserRole::Operator, Some("MIN-AST")).await;
    user(app, "analyst", UserRole::Analyst, None).await;
}

async fn signed_in<'a>(app: &'a TestApp, username: &str) -> Browser<'a> {
    let mut b = Browser::new(app);
    let page = b.sign_in(username, PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    b
}

/// The text of the element whose id is `id` (up to its closing tag), tags removed.
fn text_of(page: &Page, id: &str) -> String {
    let key = format!("id=\"{id}\"");
    let Some(start) = page.html.find(&key) else {
        return String::new();
    };
    let rest = &page.html[start..];
    let open_end = rest.find('>').map(|i| i + 1).unwrap_or(0);
    let body = &rest[open_end..];
    let end = body.find("</p>").unwrap_or(body.len());
    body[..end].trim().to_string()
}

/// The opening tag of the month grid's cell of `date`.
fn day_cell(page: &Page, date: &str) -> String {
    let key = format!("data-date=\"{date}\" data-status=");
    let start = page
        .html
        .find(&key)
        .unwrap_or_else(|| panic!("no cell for {date}"));
    let tag_start = page.html[..start].rfind("<td").unwrap();
    let end = start + page.html[start..].find('>').unwrap();
    page.html[tag_start..=end].to_string()
}

async fn planned_date(app: &TestApp, number: &str) -> Value {
    let (s, d) = app
        .get(&app.admin, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    d["planned_date"].clone()
}

/// Waits for the audit queue to write `action` about `subject`; returns its actor.
async fn audited(app: &TestApp, subject: &str, action: &str) -> String {
    for _ in 0..100 {
        let entries = app.store.audit_of(subject, 50).await.unwrap();
        if let Some(e) = entries.iter().find(|e| e.action == action) {
            return e.actor.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{action} on {subject} was not audited");
}

async fn user_actor(app: &TestApp, username: &str) -> String {
    let id = app
        .store
        .credentials(username)
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    format!("user:{id}")
}

async fn the_calendar_is_edited_in_the_year_view(app: &TestApp) {
    admins(app).await;
    let tok = app.token_for("MIN-AST").await;
    // Five working days from Mon 2026-11-23: planned Fri 27 Nov.
    let a = app
        .register(&tok, "SVC-WD5", "MIN-AST", "2026-11-20T10:00:00+05:00")
        .await;
    let number = a["number"].as_str().unwrap().to_string();
    assert_eq!(a["planned_date"], "2026-11-27");

    let mut b = signed_in(app, "admin").await;
    let year = b.get("/admin/calendar?year=2026").await;
    assert_eq!(year.status, StatusCode::OK);
    assert_eq!(year.html.matches("<table class=\"month\"").count(), 12);
    // Weeks start on Monday: 1 Nov 2026 is a Sunday, the seventh column of its first row.
    let november = year.html.split("id=\"month-11\"").nth(1).unwrap();
    let first_row = november.split("<tbody>").nth(1).unwrap();
    let first_row = first_row.split("</tr>").next().unwrap();
    assert_eq!(first_row.matches("<td class=\"none\"></td>").count(), 6);
    assert!(day_cell(&year, "2026-11-24").contains("data-status=\"working\""));
    assert!(day_cell(&year, "2026-11-28").contains("data-status=\"day_off\""));
    // Nauryz, from the shipped calendar, with its source in the tooltip.
    let nauryz = day_cell(&year, "2026-03-23");
    assert!(nauryz.contains("data-entry=\"day_off\""), "{nauryz}");
    // The form filled for a day: a working day is offered as a day off.
    let chosen = b.get("/admin/calendar?date=2026-11-24").await;
    assert!(chosen
        .html
        .contains("name=\"date\" type=\"date\" value=\"2026-11-24\""));
    assert!(chosen.html.contains("<option value=\"day_off\" selected>"));

    // No legal source: refused at the field, in the user's language (Kazakh), nothing saved.
    let csrf = year.field("csrf");
    let missing = b
        .post(
            "/admin/calendar",
            &[
                ("csrf", &csrf),
                ("date", "2026-11-24"),
                ("kind", "day_off"),
                ("name", "Test day off"),
                ("source", " "),
            ],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = text_of(&missing, "source-error");
    assert!(error.contains("Құқықтық негіз"), "{error}");
    assert!(missing
        .html
        .contains("id=\"source-error\" class=\"field-error\" role=\"alert\""));
    assert!(!missing
        .html
        .contains("id=\"name-error\" class=\"field-error\" role=\"alert\""));
    assert!(
        missing.html.contains("value=\"Test day off\""),
        "kept as typed"
    );
    assert_eq!(planned_date(app, &number).await, "2026-11-27");

    // With its source: the day is off, and the pending application's planned date moves.
    let saved = b
        .post(
            "/admin/calendar",
            &[
                ("csrf", &csrf),
                ("date", "2026-11-24"),
                ("kind", "day_off"),
                ("name", "Test day off"),
                ("source", "Government decree No. 1 (test)"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    assert!(
        saved
            .location
            .starts_with("/admin/calendar?year=2026&saved=2026-11-24"),
        "{}",
        saved.location
    );
    assert!(saved.location.contains("changed=1"), "{}", saved.location);
    let page = b.get(&saved.location).await;
    assert!(page.html.contains("data-testid=\"calendar-notice\""));
    let cell = day_cell(&page, "2026-11-24");
    assert!(cell.contains("data-status=\"day_off\""), "{cell}");
    assert!(cell.contains("data-entry=\"day_off\""), "{cell}");
    assert!(page.html.contains("Government decree No. 1 (test)"));
    assert_eq!(planned_date(app, &number).await, "2026-11-30");
    let (_, cal) = app.get(&tok, "/api/v1/calendar?year=2026").await;
    assert!(cal["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["date"] == "2026-11-24" && e["source"] == "Government decree No. 1 (test)"));
    let admin = user_actor(app, "admin").await;
    assert_eq!(
        audited(app, "calendar:2026-11-24", "calendar.set").await,
        admin
    );

    // Removed: the weekly pattern again, and the planned date back.
    let removed = b
        .post(
            "/admin/calendar/remove",
            &[("csrf", &csrf), ("date", "2026-11-24")],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.html);
    let page = b.get(&removed.location).await;
    assert!(day_cell(&page, "2026-11-24").contains("data-status=\"working\""));
    assert!(!day_cell(&page, "2026-11-24").contains("data-entry"));
    assert_eq!(planned_date(app, &number).await, "2026-11-27");
    assert_eq!(
        audited(app, "calendar:2026-11-24", "calendar.remove").await,
        admin
    );

    // A working Saturday (a transferred working day).
    let saturday = b
        .post(
            "/admin/calendar",
            &[
                ("csrf", &csrf),
                ("date", "2026-11-28"),
                ("kind", "working_day"),
                ("name", "Transferred working day"),
                ("source", "Order of the Minister of Labour No. 2 (test)"),
            ],
        )
        .await;
    assert_eq!(saturday.status, StatusCode::SEE_OTHER, "{}", saturday.html);
    let page = b.get("/admin/calendar?year=2026").await;
    let cell = day_cell(&page, "2026-11-28");
    assert!(cell.contains("data-status=\"working\""), "{cell}");
    assert!(cell.contains("data-entry=\"working_day\""), "{cell}");
    let (_, cal) = app.get(&tok, "/api/v1/calendar?year=2026").await;
    assert!(cal["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["date"] == "2026-11-28" && e["kind"] == "working_day"));
    // A date that is not one, at its field.
    let bad = b
        .post(
            "/admin/calendar",
            &[
                ("csrf", &csrf),
                ("date", "2026-02-30"),
                ("kind", "day_off"),
                ("name", "x"),
                ("source", "y"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!text_of(&bad, "date-error").is_empty(), "{}", bad.html);
}

async fn outages_are_registered_through_the_form(app: &TestApp) {
    admins(app).await;
    let mut b = signed_in(app, "admin").await;
    let page = b.get("/admin/outages").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("value=\"egov_gateway\""));
    let csrf = page.field("csrf");
    // The end before the start: at the end's field.
    let bad = b
        .post(
            "/admin/outages",
            &[
                ("csrf", &csrf),
                ("started_at", "2026-11-23T10:00"),
                ("ended_at", "2026-11-23T09:00"),
                ("systems", "egov_gateway"),
                ("operator", "NIT"),
                ("description", "Gateway down"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!text_of(&bad, "ended_at-error").is_empty(), "{}", bad.html);
    // Neither all systems nor any: at the systems.
    let none = b
        .post(
            "/admin/outages",
            &[
                ("csrf", &csrf),
                ("started_at", "2026-11-23T10:00"),
                ("operator", "NIT"),
                ("description", "Gateway down"),
            ],
        )
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!text_of(&none, "systems-error").is_empty());
    let (_, list) = app.get(&app.admin, "/api/v1/outages").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);

    let ok = b
        .post(
            "/admin/outages",
            &[
                ("csrf", &csrf),
                ("started_at", "2026-11-23T10:00"),
                ("ended_at", "2026-11-23T14:30"),
                ("systems", "egov_gateway"),
                ("systems", "archive_is"),
                ("operator", "NIT"),
                ("description", "Gateway and archive down"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html);
    let ongoing = b
        .post(
            "/admin/outages",
            &[
                ("csrf", &csrf),
                ("started_at", "2026-11-29T08:00"),
                ("ended_at", ""),
                ("all_systems", "true"),
                ("operator", "NIT"),
                ("description", "Data centre power"),
            ],
        )
        .await;
    assert_eq!(ongoing.status, StatusCode::SEE_OTHER, "{}", ongoing.html);
    let (_, list) = app.get(&app.admin, "/api/v1/outages").await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{list}");
    let gateway = items
        .iter()
        .find(|o| o["description"] == "Gateway and archive down")
        .unwrap();
    assert_eq!(gateway["started_at"], "2026-11-23T10:00:00+05:00");
    assert_eq!(gateway["ended_at"], "2026-11-23T14:30:00+05:00");
    assert_eq!(
        gateway["systems"],
        serde_json::json!(["egov_gateway", "archive_is"])
    );
    let power = items
        .iter()
        .find(|o| o["description"] == "Data centre power")
        .unwrap();
    assert_eq!(power["all_systems"], true);
    assert!(power["ended_at"].is_null());
    let page = b.get(&ongoing.location).await;
    assert!(page.html.contains("data-testid=\"outage-created\""));
    assert!(page.html.contains("Data centre power"));
    let id = power["id"].as_i64().unwrap();
    assert_eq!(
        audited(app, &format!("outage:{id}"), "outage.create").await,
        user_actor(app, "admin").await
    );

    // Changing one: the form opens filled from its line, a bad change is refused at its
    // field, a good one is saved and audited with what it replaced.
    let edit = b.get(&format!("/admin/outages/{id}")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit
        .html
        .contains(&format!("action=\"/admin/outages/{id}\"")));
    assert!(
        edit.html.contains("value=\"2026-11-29T08:00\""),
        "{}",
        edit.html
    );
    assert!(edit
        .html
        .contains(&format!("href=\"/admin/outages/{id}#outage-form\"")));
    let bad = b
        .post(
            &format!("/admin/outages/{id}"),
            &[
                ("csrf", &csrf),
                ("started_at", "2026-11-29T08:00"),
                ("ended_at", "2026-11-29T07:00"),
                ("all_systems", "true"),
                ("operator", "NIT"),
                ("description", "Data centre power"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!text_of(&bad, "ended_at-error").is_empty(), "{}", bad.html);
    let saved = b
        .post(
            &format!("/admin/outages/{id}"),
            &[
                ("csrf", &csrf),
                ("started_at", "2026-11-29T08:00"),
                ("ended_at", "2026-11-29T11:15"),
                ("systems", "egov_gateway"),
                ("operator", "NIT"),
                ("description", "Data centre power, gateway only"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let page = b.get(&saved.location).await;
    assert!(page.html.contains("data-testid=\"outage-updated\""));
    let (_, list) = app.get(&app.admin, "/api/v1/outages").await;
    let power = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(power["ended_at"], "2026-11-29T11:15:00+05:00");
    assert_eq!(power["all_systems"], false);
    assert_eq!(power["systems"], serde_json::json!(["egov_gateway"]));
    assert_eq!(
        audited(app, &format!("outage:{id}"), "outage.update").await,
        user_actor(app, "admin").await
    );
    let missing = b.get("/admin/outages/999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

async fn services_are_created_and_their_terms_changed(app: &TestApp) {
    admins(app).await;
    let mut b = signed_in(app, "admin").await;
    let page = b.get("/admin/services").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.field("csrf");
    let form = |amount: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("code", "SVC-NEW".to_string()),
            ("organization", "MIN-AST".to_string()),
            ("name_kk", "Жаңа қызмет".to_string()),
            ("name_ru", "Новая услуга".to_string()),
            ("name_en", "New service".to_string()),
            ("variant-0", "standard".to_string()),
            ("amount-0", "15".to_string()),
            ("unit-0", "calendar_days".to_string()),
            ("variant-1", "archive_request".to_string()),
            ("amount-1", amount.to_string()),
            ("unit-1", "calendar_days".to_string()),
            ("variant-2", String::new()),
            ("amount-2", String::new()),
            ("unit-2", "working_days".to_string()),
            ("channels", "provider".to_string()),
            ("channels", "portal".to_string()),
            ("depends_on", "archive_is".to_string()),
        ]
    };
    // An amount that is not a number: at its row's field; nothing created.
    let bad = form("thirty");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = b.post("/admin/services", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = text_of(&refused, "amount-1-error");
    assert!(error.contains("366"), "{error}");
    assert!(refused.html.contains("value=\"thirty\""), "kept as typed");
    let (_, list) = app.get(&app.admin, "/api/v1/services?limit=500").await;
    assert!(!list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["code"] == "SVC-NEW"));

    let good = form("30");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let created = b.post("/admin/services", &good).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    assert_eq!(created.location, "/admin/services/SVC-NEW?created=1");
    let svc = service(app, "SVC-NEW").await;
    assert_eq!(
        svc["terms"],
        serde_json::json!([
            {"variant": "standard", "amount": 15, "unit": "calendar_days"},
            {"variant": "archive_request", "amount": 30, "unit": "calendar_days"}
        ])
    );
    assert_eq!(svc["channels"], serde_json::json!(["provider", "portal"]));
    assert_eq!(svc["depends_on"], serde_json::json!(["archive_is"]));
    assert_eq!(svc["organization"], "MIN-AST");
    assert_eq!(svc["name"]["kk"], "Жаңа қызмет");
    // The same code again: at the code.
    let again = b.post("/admin/services", &good).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!text_of(&again, "code-error").is_empty());

    let page = b.get(&created.location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("data-variant=\"standard\""));
    assert!(page.html.contains("data-variant=\"archive_request\""));
    assert!(page
        .html
        .contains("data-testid=\"terms-version\" data-value=\"1\""));
    // The form comes filled with the variants in force.
    assert!(page
        .html
        .contains("name=\"variant-1\" value=\"archive_request\""));

    // A variant repeated: at the second one's field.
    let csrf = page.field("csrf");
    let dup = b
        .post(
            "/admin/services/SVC-NEW/terms",
            &[
                ("csrf", &csrf),
                ("variant-0", "standard"),
                ("amount-0", "5"),
                ("unit-0", "working_days"),
                ("variant-1", ""),
                ("amount-1", ""),
                ("unit-1", "working_days"),
                ("variant-2", "standard"),
                ("amount-2", "7"),
                ("unit-2", "working_days"),
            ],
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!text_of(&dup, "variant-2-error").is_empty(), "{}", dup.html);
    assert_eq!(service(app, "SVC-NEW").await["terms_version"], 1);

    let changed = b
        .post(
            "/admin/services/SVC-NEW/terms",
            &[
                ("csrf", &csrf),
                ("variant-0", "standard"),
                ("amount-0", "5"),
                ("unit-0", "working_days"),
                ("variant-1", "archive_request"),
                ("amount-1", "10"),
                ("unit-1", "working_days"),
                ("variant-2", ""),
                ("amount-2", ""),
                ("unit-2", "working_days"),
                ("effective_from", ""),
                ("legal_basis", "Order No. 1"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.html);
    let svc = service(app, "SVC-NEW").await;
    assert_eq!(svc["terms_version"], 2);
    assert_eq!(
        svc["terms"],
        serde_json::json!([
            {"variant": "standard", "amount": 5, "unit": "working_days"},
            {"variant": "archive_request", "amount": 10, "unit": "working_days"}
        ])
    );
    let page = b.get(&changed.location).await;
    assert!(page
        .html
        .contains("data-testid=\"terms-version\" data-value=\"2\""));
    let admin = user_actor(app, "admin").await;
    assert_eq!(
        audited(app, "service:SVC-NEW", "service.create").await,
        admin
    );
    assert_eq!(
        audited(app, "service:SVC-NEW", "service.terms").await,
        admin
    );
    // An unknown service has no page.
    assert_eq!(
        b.get("/admin/services/NO-SUCH").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn service(app: &TestApp, code: &str) -> Value {
    let (s, list) = app.get(&app.admin, "/api/v1/services?limit=500").await;
    assert_eq!(s, StatusCode::OK);
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == code)
        .cloned()
        .unwrap_or_else(|| panic!("no service {code}"))
}

async fn organizations_are_created_and_their_policy_set(app: &TestApp) {
    admins(app).await;
    let mut b = signed_in(app, "admin").await;
    let page = b.get("/admin/organizations").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.field("csrf");
    let good_bin = bin(500);
    let mut wrong_bin = good_bin.clone();
    let last = wrong_bin.pop().unwrap();
    wrong_bin.push(if last == '9' { '0' } else { '9' });
    let form = |bin: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("code", "MIN-KAR".to_string()),
            ("parent", "MIN-COM".to_string()),
            ("kind", "territorial_unit".to_string()),
            ("bin", bin.to_string()),
            ("name_kk", "Қарағанды бөлімшесі".to_string()),
            ("name_ru", "Карагандинское подразделение".to_string()),
            ("name_en", "Karaganda unit".to_string()),
            ("working_hours", "09:00-18:30".to_string()),
        ]
    };
    let bad = form(&wrong_bin);
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = b.post("/admin/organizations", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !text_of(&refused, "bin-error").is_empty(),
        "{}",
        refused.html
    );
    assert!(refused
        .html
        .contains("<details id=\"new-organization\" class=\"form-panel\" open>"));
    let (s, _) = app.get(&app.admin, "/api/v1/organizations/MIN-KAR").await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let good = form(&good_bin);
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let created = b.post("/admin/organizations", &good).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    assert_eq!(created.location, "/admin/organizations/MIN-KAR?created=1");
    let (s, org) = app.get(&app.admin, "/api/v1/organizations/MIN-KAR").await;
    assert_eq!(s, StatusCode::OK, "{org}");
    assert_eq!(org["parent"], "MIN-COM");
    assert_eq!(org["kind"], "territorial_unit");
    assert_eq!(org["working_hours"], "09:00-18:30");
    assert_eq!(org["signature_policy"], "optional");
    // In the tree under its parent's units.
    let tree = b.get("/admin/organizations").await;
    assert!(tree.html.contains("data-code=\"MIN-KAR\""));
    assert!(tree
        .html
        .contains("<td class=\"depth-2\"><a href=\"/admin/organizations/MIN-KAR\">"));
    // The same code again: at the code.
    let again = b.post("/admin/organizations", &good).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!text_of(&again, "code-error").is_empty());

    let page = b.get(&created.location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("data-testid=\"org-notice\""));
    let csrf = page.field("csrf");
    let set = b
        .post(
            "/admin/organizations/MIN-KAR/policy",
            &[("csrf", &csrf), ("signature_policy", "required")],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.html);
    let (_, org) = app.get(&app.admin, "/api/v1/organizations/MIN-KAR").await;
    assert_eq!(org["signature_policy"], "required");
    let page = b.get(&set.location).await;
    assert!(page
        .html
        .contains("name=\"signature_policy\" value=\"required\" checked"));
    let admin = user_actor(app, "admin").await;
    assert_eq!(
        audited(app, "organization:MIN-KAR", "organization.create").await,
        admin
    );
    assert_eq!(
        audited(app, "MIN-KAR", "organization.signature_policy").await,
        admin
    );
}

/// Every administrator's form, with the field values that would succeed.
fn admin_posts() -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    let s = |v: &str| v.to_string();
    vec![
        (
            "/admin/calendar",
            vec![
                ("date", s("2026-11-24")),
                ("kind", s("day_off")),
                ("name", s("x")),
                ("source", s("y")),
            ],
        ),
        ("/admin/calendar/remove", vec![("date", s("2026-03-23"))]),
        (
            "/admin/outages",
            vec![
                ("started_at", s("2026-11-23T10:00")),
                ("all_systems", s("true")),
                ("operator", s("NIT")),
                ("description", s("x")),
            ],
        ),
        (
            "/admin/services",
            vec![
                ("code", s("SVC-X")),
                ("organization", s("MIN")),
                ("name_kk", s("a")),
                ("name_ru", s("b")),
                ("name_en", s("c")),
                ("variant-0", s("standard")),
                ("amount-0", s("5")),
                ("unit-0", s("working_days")),
                ("channels", s("provider")),
            ],
        ),
        (
            "/admin/services/SVC-WD5/terms",
            vec![
                ("variant-0", s("standard")),
                ("amount-0", s("9")),
                ("unit-0", s("working_days")),
                ("legal_basis", s("Order No. 9")),
            ],
        ),
        (
            "/admin/organizations",
            vec![
                ("code", s("ORG-X")),
                ("kind", s("department")),
                ("bin", bin(900)),
                ("name_kk", s("a")),
                ("name_ru", s("b")),
                ("name_en", s("c")),
            ],
        ),
        (
            "/admin/organizations/MIN/policy",
            vec![("signature_policy", s("required"))],
        ),
    ]
}

/// What the forms would change, as the API reads it.
async fn registry_state(app: &TestApp) -> Value {
    let (_, cal) = app.get(&app.admin, "/api/v1/calendar").await;
    let (_, outages) = app.get(&app.admin, "/api/v1/outages").await;
    let (_, services) = app.get(&app.admin, "/api/v1/services?limit=500").await;
    let (_, orgs) = app.get(&app.admin, "/api/v1/organizations?limit=500").await;
    serde_json::json!({"calendar": cal, "outages": outages, "services": services, "organizations": orgs})
}

async fn only_administrators_change_and_only_with_the_form_token(app: &TestApp) {
    admins(app).await;
    let before = registry_state(app).await;
    for (username, home) in [("op.ast", "/work"), ("analyst", "/analytics")] {
        let mut b = signed_in(app, username).await;
        let csrf = b.csrf(home).await;
        assert!(!csrf.is_empty());
        assert_eq!(b.get("/admin/calendar").await.status, StatusCode::FORBIDDEN);
        for (path, fields) in admin_posts() {
            let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
            form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
            let page = b.post(path, &form).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{username} {path}");
            assert!(page.html.contains("data-testid=\"forbidden\""), "{path}");
        }
    }
    let mut admin = signed_in(app, "admin").await;
    for (path, fields) in admin_posts() {
        let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = admin.post(path, &form).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "no token: {path}");
        assert!(page.html.contains("data-testid=\"csrf\""), "{path}");
        let mut forged = vec![("csrf", "forged")];
        forged.extend(form.iter().copied());
        let page = admin.post(path, &forged).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "forged token: {path}");
    }
    assert_eq!(registry_state(app).await, before, "nothing changed");
    // The same forms with the token do change things (the refusals were for the token).
    let csrf = admin.csrf("/admin").await;
    for (path, fields) in admin_posts() {
        let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
        form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
        let page = admin.post(path, &form).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}: {}", page.html);
    }
    assert_ne!(registry_state(app).await, before);
}

crate::both!(
    the_calendar_is_edited_in_the_year_view,
    outages_are_registered_through_the_form,
    services_are_created_and_their_terms_changed,
    organizations_are_created_and_their_policy_set,
    only_administrators_change_and_only_with_the_form_token,
);
