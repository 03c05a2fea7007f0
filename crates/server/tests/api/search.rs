//! Issue 16 B.2 and B.5 through the API: the list's search (a number with or without dashes,
//! an IIN/BIN, a surname in any case) within the caller's scope, its refusals
//! with their field; and the executor rule (the executor of a registration, and the new one
//! of a reassignment, deliver the service: its responsible organization or one under it).

use crate::support::{bin, iin, stage, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Registers at MIN-AST an application of SVC-WD5 for the applicant with tax id `id`
/// (`iin` or `bin`) and surname `last_name`; returns its number.
async fn register(app: &TestApp, tok: &str, key: &str, id: &str, last_name: &str) -> String {
    let (s, b) = app
        .post(
            tok,
            "/api/v1/applications",
            json!({"service_code": "SVC-WD5", "channel": "provider",
                   "applicant": {key: id, "last_name": last_name, "first_name": "Айбек"},
                   "acceptance_place": "MIN-AST", "executor": "MIN-AST",
                   "accepted_at": "2026-03-20T10:00:00+05:00"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    b["number"].as_str().unwrap().to_string()
}

/// The numbers of the list `/api/v1/applications?q=…` (URL-encoded), or the refusal.
async fn search(app: &TestApp, tok: &str, q: &str) -> (StatusCode, Value, Vec<String>) {
    let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
    let (s, b) = app
        .get(tok, &format!("/api/v1/applications?q={q}&limit=100"))
        .await;
    let numbers = b["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|a| a["number"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    (s, b, numbers)
}

async fn search_finds_by_number_tax_id_and_surname(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN-AST").await;
    let a = register(app, &tok, "iin", &iin(21), "Әбдірахманов").await;
    let b = register(app, &tok, "iin", &iin(22), "Әбдіров").await;
    let c = register(app, &tok, "bin", &bin(23), "Семёнов").await;
    let d = register(app, &tok, "iin", &iin(21), "Омаров").await;

    // A number, plain and grouped with dashes as the workstation prints it.
    let (s, body, found) = search(app, &tok, &a).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(found, vec![a.clone()]);
    let dashed = format!("{}-{}-{}-{}", &a[0..4], &a[4..8], &a[8..12], &a[12..]);
    assert_eq!(search(app, &tok, &dashed).await.2, vec![a.clone()]);

    // An IIN: both applications of that applicant, newest first (same acceptance: by number).
    let mut by_iin = search(app, &tok, &iin(21)).await.2;
    by_iin.sort();
    let mut expected = vec![a.clone(), d.clone()];
    expected.sort();
    assert_eq!(by_iin, expected);
    // A BIN.
    assert_eq!(search(app, &tok, &bin(23)).await.2, vec![c.clone()]);

    // The whole surname, in any case; Kazakh letters fold; «ё» is «е»; a part finds nothing.
    assert_eq!(search(app, &tok, "ӘБДІРАХМАНОВ").await.2, vec![a.clone()]);
    assert_eq!(search(app, &tok, "әбдіров").await.2, vec![b.clone()]);
    assert_eq!(search(app, &tok, "семенов").await.2, vec![c.clone()]);
    assert!(search(app, &tok, "Әбді").await.2.is_empty());
    assert!(search(app, &tok, "Жұмабаев").await.2.is_empty());

    // Another organization's token sees none of them, whatever it searches for.
    let other = app.token_for("AKIM").await;
    assert!(search(app, &other, &a).await.2.is_empty());
    assert!(search(app, &other, &iin(21)).await.2.is_empty());
    assert!(search(app, &other, "Әбдірахманов").await.2.is_empty());

    // The search is audited by its kind, never with what was typed.
    let trail = app.store.audit_of("applications", 500).await.unwrap();
    assert!(trail
        .iter()
        .any(|e| e.action == "application.search.applicant"
            && e.detail.contains(a.as_str())
            && !e.detail.contains(&iin(21))));
    assert!(trail
        .iter()
        .any(|e| e.action == "application.search.surname" && !e.detail.contains("Әбді")));
}

async fn a_search_that_means_nothing_is_refused_with_its_field(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN-AST").await;
    for (q, code) in [
        ("1234567890124", "search_number_invalid"),
        ("123456789012", "search_tax_id_invalid"),
        ("12345", "search_digits"),
        ("Ахметов 1", "search_digits"),
        ("А", "search_too_short"),
    ] {
        let (s, body, _) = search(app, &tok, q).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {body}");
        assert_eq!(body["error"]["code"], code, "{q}: {body}");
        assert_eq!(body["error"]["field"], "q", "{q}: {body}");
    }
}

async fn the_executor_delivers_the_service(app: &TestApp) {
    app.seed().await;
    let admin = app.admin.clone();
    // ARCH-001 is the akimat's (AKIM, with AKIM-ARC under it): no unit of the ministry
    // delivers it.
    for executor in ["MIN-AST", "MIN"] {
        let (s, b) = app
            .post(
                &admin,
                "/api/v1/applications",
                json!({"service_code": "ARCH-001", "channel": "provider",
                       "applicant": {"iin": iin(31), "last_name": "Ахметов", "first_name": "Айбек"},
                       "acceptance_place": "GOV-1", "executor": executor,
                       "accepted_at": "2026-03-20T10:00:00+05:00"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{executor}: {b}");
        assert_eq!(b["error"]["code"], "executor_not_provider", "{b}");
        assert_eq!(b["error"]["field"], "executor", "{b}");
    }
    // Accepted at the State Corporation, executed by the provider: allowed.
    let (s, b) = app
        .post(
            &admin,
            "/api/v1/applications",
            json!({"service_code": "ARCH-001", "channel": "state_corp",
                   "applicant": {"iin": iin(31), "last_name": "Ахметов", "first_name": "Айбек"},
                   "acceptance_place": "GOV-1", "executor": "AKIM-ARC",
                   "accepted_at": "2026-03-20T10:00:00+05:00"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let number = b["number"].as_str().unwrap().to_string();
    // A reassignment to an organization that does not deliver it is refused, item by item;
    // nothing is recorded.
    let (s, b) = app
        .event(
            &admin,
            &number,
            json!({"id": uuid::Uuid::new_v4().to_string(), "type": "executor_changed",
                   "executor": "MIN-ALA", "occurred_at": "2026-03-20T11:00:00+05:00"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(b["error"]["code"], "executor_not_provider", "{b}");
    let (_, d) = app
        .get(&admin, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(d["executor"], "AKIM-ARC", "{d}");
    // To the akimat itself, which delivers it too: recorded.
    let (s, b) = app
        .event(
            &admin,
            &number,
            json!({"id": uuid::Uuid::new_v4().to_string(), "type": "executor_changed",
                   "executor": "AKIM", "occurred_at": "2026-03-20T10:20:00+05:00"}),
        )
        .await;
    assert!(s.is_success(), "{b}");
    // Moving on is still possible.
    let (s, b) = app
        .event(
            &admin,
            &number,
            stage("sent_for_execution", "2026-03-20T10:30:00+05:00"),
        )
        .await;
    assert!(s.is_success(), "{b}");
}

crate::both!(
    search_finds_by_number_tax_id_and_surname,
    a_search_that_means_nothing_is_refused_with_its_field,
    the_executor_delivers_the_service,
);
