//! Registry, tokens and scoping.

use crate::support::{bin, TestApp};
use reqwest::StatusCode;
use serde_json::json;

async fn registry_lists_and_validates(app: &TestApp) {
    app.seed().await;
    let (s, body) = app.get(&app.admin, "/api/v1/organizations?limit=3").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["items"].as_array().unwrap().len(), 3);
    let next = body["next"].as_str().expect("a next page").to_string();
    let (_, page2) = app
        .get(
            &app.admin,
            &format!("/api/v1/organizations?limit=3&cursor={next}"),
        )
        .await;
    let (_, page3) = app
        .get(
            &app.admin,
            &format!(
                "/api/v1/organizations?limit=3&cursor={}",
                page2["next"].as_str().unwrap()
            ),
        )
        .await;
    let mut codes: Vec<String> = [&body, &page2, &page3]
        .iter()
        .flat_map(|p| {
            p["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["code"].as_str().unwrap().to_string())
        })
        .collect();
    assert!(
        page3["next"].is_null(),
        "7 organizations fit three pages of 3"
    );
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 7, "every organization exactly once: {codes:?}");

    // A duplicate code is a conflict naming the field; a bad BIN is 422 naming it.
    let (s, body) = app
        .post(
            &app.admin,
            "/api/v1/organizations",
            json!({"code": "MIN", "kind": "department", "bin": bin(900),
            "name": {"kk": "a", "ru": "b", "en": "c"}}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["field"], "code");
    let (s, body) = app
        .post(
            &app.admin,
            "/api/v1/organizations",
            json!({"code": "NEW", "kind": "department", "bin": "940140000386",
            "name": {"kk": "a", "ru": "b", "en": "c"}}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "bin");
    assert_eq!(body["error"]["code"], "id_checksum");
    let (s, body) = app
        .post(
            &app.admin,
            "/api/v1/organizations",
            json!({"code": "NEW", "kind": "ministry", "bin": bin(901),
            "name": {"kk": "a", "ru": "b", "en": "c"}}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "kind");
    let (s, body) = app
        .post(
            &app.admin,
            "/api/v1/organizations",
            json!({"code": "NEW", "parent": "NOPE", "kind": "department", "bin": bin(902),
            "name": {"kk": "a", "ru": "b", "en": "c"}}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "parent");

    // A service with a zero term or an unknown unit is refused with the field's path.
    let (s, body) = app
        .post(&app.admin, "/api/v1/services", json!({"code": "BAD", "organization": "MIN", "channels": ["provider"],
            "terms": [{"variant": "standard", "amount": 0, "unit": "working_days"}], "name": {"kk": "a", "ru": "b", "en": "c"}}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "terms[0].amount");
    let (s, body) = app
        .post(&app.admin, "/api/v1/services", json!({"code": "BAD", "organization": "MIN", "channels": ["provider"],
            "terms": [{"variant": "standard", "amount": 3, "unit": "fortnights"}], "name": {"kk": "a", "ru": "b", "en": "c"}}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "terms[0].unit", "{body}");
    let (s, _) = app.get(&app.admin, "/api/v1/services").await;
    assert_eq!(s, StatusCode::OK);
}

async fn tokens_and_roles(app: &TestApp) {
    app.seed().await;
    let (s, body) = app
        .send(
            reqwest::Method::GET,
            None,
            "/api/v1/applications",
            None,
            Some("ru"),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
    let (s, _) = app.get("qz_not-a-real-token", "/api/v1/applications").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Organization tokens cannot change the registry or register outages.
    let org = app.token_for("MIN-AST").await;
    let (s, body) = app
        .post(
            &org,
            "/api/v1/organizations",
            json!({"code": "X", "kind": "department", "bin": bin(950),
            "name": {"kk": "a", "ru": "b", "en": "c"}}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "admin_required");
    let (s, _) = app
        .post(
            &org,
            "/api/v1/outages",
            json!({"started_at": "2026-01-05T10:00:00+05:00", "all_systems": true,
            "operator": "NIT", "description": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Tokens are stored hashed: the secret is nowhere in the database.
    let found = app.store.token(&org).await.unwrap();
    assert!(
        found.is_none(),
        "a lookup by the secret itself must find nothing"
    );
    // An organization token sees its sub-tree of the registry only.
    let com = app.token_for("MIN-COM").await;
    let (_, body) = app.get(&com, "/api/v1/organizations").await;
    let codes: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["MIN-COM", "MIN-AST", "MIN-ALA"]);
}

async fn service_terms_are_versioned(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("AKIM").await;
    let before = app
        .register(&tok, "ARCH-001", "AKIM-ARC", "2026-03-02T10:00:00+05:00")
        .await;
    let (s, body) = app
        .send(
            reqwest::Method::PUT,
            Some(&app.admin),
            "/api/v1/services/ARCH-001/terms",
            Some(
                &json!({"terms": [{"variant": "standard", "amount": 10, "unit": "calendar_days"}],
                        "legal_basis": "Order No. 1"}),
            ),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["terms_version"], 2);
    let after = app
        .register(&tok, "ARCH-001", "AKIM-ARC", "2026-03-02T10:00:00+05:00")
        .await;
    assert_eq!(before["term"]["amount"], 15);
    assert_eq!(before["term"]["version"], 1);
    assert_eq!(after["term"]["amount"], 10);
    assert_eq!(after["term"]["version"], 2);
    // The earlier application keeps its term and planned date.
    let (_, again) = app
        .get(
            &tok,
            &format!(
                "/api/v1/applications/{}",
                before["number"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(again["planned_date"], before["planned_date"]);
    assert_eq!(again["term"]["amount"], 15);
    // The removed variant is no longer offered to new registrations.
    let (s, body) = app
        .post(&tok, "/api/v1/applications", json!({"service_code": "ARCH-001", "term_variant": "archive_request",
            "applicant": {"iin": crate::support::iin(3), "last_name": "A", "first_name": "B"}, "channel": "provider",
            "acceptance_place": "AKIM-ARC", "executor": "AKIM-ARC", "accepted_at": "2026-03-02T10:00:00+05:00"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "term_variant");
}

crate::both!(
    registry_lists_and_validates,
    tokens_and_roles,
    service_terms_are_versioned
);
