//! Organizations and services editable (issue 16, B.7), on both backends: through the API
//! (`PATCH`, a new version of the terms with its effective date and legal basis) and through
//! the administrator's forms. Only administrators edit; a field's refusal names it; an edit
//! made from an older revision is refused and changes nothing; every edit is audited with the
//! values before and after; the provider of a service with applications stays; the lists are
//! searched by code, BIN or name in any language, whatever the case.

use crate::browser::{user, Browser, PASSWORD};
use crate::support::{bin, TestApp};
use qyzmet_store::UserRole;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn patch(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    app.send(Method::PATCH, Some(token), path, Some(&body), Some("en"))
        .await
}

/// The audit entry `action` about `subject` (the audit of an edit is written in its
/// transaction: no waiting).
async fn audit_detail(app: &TestApp, subject: &str, action: &str) -> Value {
    let entries = app.store.audit_of(subject, 50).await.unwrap();
    let e = entries
        .iter()
        .rev()
        .find(|e| e.action == action)
        .unwrap_or_else(|| panic!("{action} on {subject} was not audited: {entries:?}"));
    serde_json::from_str(&e.detail).unwrap_or_else(|_| panic!("{}", e.detail))
}

async fn organizations_are_edited_through_the_api(app: &TestApp) {
    app.seed().await;
    let (s, org) = app.get(&app.admin, "/api/v1/organizations/MIN-AST").await;
    assert_eq!(s, StatusCode::OK, "{org}");
    assert_eq!(org["revision"], 1, "{org}");
    let names = json!({"kk": "Астана қаласының әділет департаменті",
                       "ru": "Департамент юстиции города Астаны",
                       "en": "Justice Department of Astana"});
    let edit =
        json!({"revision": 1, "name": names, "bin": bin(900), "working_hours": "08:30-17:30"});

    // Only administrators edit the registry.
    let own = app.token_for("MIN").await;
    let (s, e) = patch(app, &own, "/api/v1/organizations/MIN-AST", edit.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");

    // A refusal names its field and changes nothing.
    for (body, field, code) in [
        (
            json!({"revision": 1, "bin": "123456789012"}),
            "bin",
            "id_checksum",
        ),
        (
            json!({"revision": 1, "bin": bin(100)}),
            "bin",
            "organization_bin_taken",
        ),
        (
            json!({"revision": 1, "name": {"kk": " ", "ru": "а", "en": "b"}}),
            "name.kk",
            "",
        ),
        (
            json!({"revision": 1, "working_hours": "18:00-09:00"}),
            "working_hours",
            "working_hours_invalid",
        ),
    ] {
        let (s, e) = patch(
            app,
            &app.admin,
            "/api/v1/organizations/MIN-AST",
            body.clone(),
        )
        .await;
        assert!(s.is_client_error(), "{body}: {s} {e}");
        assert_eq!(e["error"]["field"], field, "{body}: {e}");
        if !code.is_empty() {
            assert!(
                e["error"]["code"].as_str().unwrap().starts_with(code),
                "{body}: {e}"
            );
        }
    }
    // The parent is not editable: the tree scopes tokens, users and reports.
    let (s, e) = patch(
        app,
        &app.admin,
        "/api/v1/organizations/MIN-AST",
        json!({"revision": 1, "parent": "AKIM"}),
    )
    .await;
    assert!(s.is_client_error(), "{e}");
    let (_, same) = app.get(&app.admin, "/api/v1/organizations/MIN-AST").await;
    assert_eq!(same, org, "nothing changed");

    let (s, edited) = patch(
        app,
        &app.admin,
        "/api/v1/organizations/MIN-AST",
        edit.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{edited}");
    assert_eq!(edited["name"], names);
    assert_eq!(edited["bin"], bin(900));
    assert_eq!(edited["working_hours"], "08:30-17:30");
    assert_eq!(edited["parent"], "MIN-COM");
    assert_eq!(edited["revision"], 2);

    // Sent again over the newer revision: refused, nothing overwritten.
    let stale = json!({"revision": 1, "name": {"kk": "x", "ru": "x", "en": "x"}});
    let (s, e) = patch(app, &app.admin, "/api/v1/organizations/MIN-AST", stale).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "stale_revision", "{e}");
    let (_, now) = app.get(&app.admin, "/api/v1/organizations/MIN-AST").await;
    assert_eq!(now["name"], names);

    // Audited with what changed, before and after.
    let d = audit_detail(app, "organization:MIN-AST", "organization.edit").await;
    assert_eq!(d["before"]["name.kk"], "MIN-AST kk", "{d}");
    assert_eq!(
        d["after"]["name.ru"], "Департамент юстиции города Астаны",
        "{d}"
    );
    assert_eq!(d["after"]["bin"], bin(900), "{d}");
    assert_eq!(d["before"]["working_hours"], "09:00-18:30", "{d}");

    // A field left out keeps its value.
    let (s, e) = patch(
        app,
        &app.admin,
        "/api/v1/organizations/MIN-AST",
        json!({"revision": 2, "working_hours": "09:00-18:00"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    assert_eq!(e["name"], names);
    assert_eq!(e["revision"], 3);
    // An unknown organization.
    let (s, _) = patch(
        app,
        &app.admin,
        "/api/v1/organizations/NOPE",
        json!({"revision": 1}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn services_are_edited_through_the_api(app: &TestApp) {
    app.seed().await;
    let names = json!({"kk": "Мұрағаттық анықтама беру", "ru": "Выдача архивной справки",
                       "en": "Issue of an archival certificate"});
    let edit = json!({"revision": 1, "name": names, "channels": ["provider", "portal"],
                      "depends_on": ["archive_is"]});
    let own = app.token_for("AKIM").await;
    let (s, e) = patch(app, &own, "/api/v1/services/ARCH-001", edit.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    for (body, field) in [
        (json!({"revision": 1, "channels": []}), "channels"),
        (json!({"revision": 1, "channels": ["fax"]}), "channels[0]"),
        (
            json!({"revision": 1, "depends_on": ["no_such_is"]}),
            "depends_on",
        ),
        (
            json!({"revision": 1, "organization": "NOPE"}),
            "organization",
        ),
        (
            json!({"revision": 1, "name": {"kk": "а", "ru": "", "en": "b"}}),
            "name.ru",
        ),
    ] {
        let (s, e) = patch(app, &app.admin, "/api/v1/services/ARCH-001", body.clone()).await;
        assert!(s.is_client_error(), "{body}: {s} {e}");
        assert_eq!(e["error"]["field"], field, "{body}: {e}");
    }
    let (s, svc) = patch(app, &app.admin, "/api/v1/services/ARCH-001", edit.clone()).await;
    assert_eq!(s, StatusCode::OK, "{svc}");
    assert_eq!(svc["name"], names);
    assert_eq!(svc["channels"], json!(["provider", "portal"]));
    assert_eq!(svc["depends_on"], json!(["archive_is"]));
    assert_eq!(svc["revision"], 2);
    assert_eq!(svc["terms_version"], 1, "an edit is no change of terms");
    let (s, e) = patch(app, &app.admin, "/api/v1/services/ARCH-001", edit).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "stale_revision");
    let d = audit_detail(app, "service:ARCH-001", "service.edit").await;
    assert_eq!(d["before"]["name.en"], "ARCH-001 en", "{d}");
    assert_eq!(d["after"]["name.kk"], "Мұрағаттық анықтама беру", "{d}");
    assert_eq!(d["before"]["channels"], "provider,state_corp,portal", "{d}");
    assert!(d["before"].get("organization").is_none(), "unchanged: {d}");

    // The provider changes while no application is registered…
    let (s, e) = patch(
        app,
        &app.admin,
        "/api/v1/services/SVC-H2",
        json!({"revision": 1, "organization": "MIN-AST"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    assert_eq!(e["organization"], "MIN-AST");
    // …and stays once one is: its places lie in the provider's sub-tree.
    let tok = app.token_for("AKIM").await;
    app.register(&tok, "ARCH-001", "AKIM-ARC", "2026-03-02T10:00:00+05:00")
        .await;
    let (s, e) = patch(
        app,
        &app.admin,
        "/api/v1/services/ARCH-001",
        json!({"revision": 2, "organization": "MIN-AST"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "service_has_applications", "{e}");
    assert_eq!(e["error"]["field"], "organization", "{e}");
    // The names still change.
    let (s, e) = patch(
        app,
        &app.admin,
        "/api/v1/services/ARCH-001",
        json!({"revision": 2, "name": {"kk": "а", "ru": "б", "en": "c"}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{e}");
}

async fn a_change_of_terms_has_its_date_and_legal_basis(app: &TestApp) {
    app.seed().await;
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Asia/Almaty").unwrap())
        .date();
    let terms = json!([{"variant": "standard", "amount": 10, "unit": "calendar_days"}]);
    let put = |body: Value| async move {
        app.send(
            Method::PUT,
            Some(&app.admin),
            "/api/v1/services/ARCH-001/terms",
            Some(&body),
            Some("en"),
        )
        .await
    };
    for (body, field) in [
        (json!({"terms": terms}), "legal_basis"),
        (json!({"terms": terms, "legal_basis": "  "}), "legal_basis"),
        (
            json!({"terms": terms, "legal_basis": "Order No. 5",
                   "effective_from": today.yesterday().unwrap().to_string()}),
            "effective_from",
        ),
    ] {
        let (s, e) = put(body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {e}");
        assert_eq!(e["error"]["field"], field, "{body}: {e}");
    }
    // Dated ahead: recorded, not yet in force; registrations keep the version in force.
    let ahead = today.checked_add(jiff::Span::new().days(10)).unwrap();
    let basis = "Order of the Minister No. 123 of 1 December 2026";
    let (s, svc) = put(json!({"terms": terms, "legal_basis": basis,
                              "effective_from": ahead.to_string()}))
    .await;
    assert_eq!(s, StatusCode::OK, "{svc}");
    assert_eq!(svc["terms_version"], 1, "{svc}");
    assert_eq!(svc["terms"][0]["amount"], 15, "{svc}");
    let tok = app.token_for("AKIM").await;
    let a = app
        .register(&tok, "ARCH-001", "AKIM-ARC", "2026-03-02T10:00:00+05:00")
        .await;
    assert_eq!(a["term"]["version"], 1, "{a}");
    assert_eq!(a["term"]["amount"], 15, "{a}");
    // The history lists it first, with its date and basis.
    let (s, h) = app.get(&tok, "/api/v1/services/ARCH-001/terms").await;
    assert_eq!(s, StatusCode::OK, "{h}");
    assert_eq!(h[0]["version"], 2, "{h}");
    assert_eq!(h[0]["effective_from"], ahead.to_string(), "{h}");
    assert_eq!(h[0]["legal_basis"], basis, "{h}");
    assert_eq!(h[0]["terms"][0]["amount"], 10, "{h}");
    assert_eq!(h[1]["version"], 1, "{h}");
    assert_eq!(h[1]["effective_from"], today.to_string(), "{h}");
    // A later change cannot take effect before it.
    let (s, e) = put(json!({"terms": terms, "legal_basis": basis})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "effective_before_latest", "{e}");
    // Another service, changed from today: in force at once.
    let (s, svc) = app
        .send(
            Method::PUT,
            Some(&app.admin),
            "/api/v1/services/SVC-WD5/terms",
            Some(
                &json!({"terms": [{"variant": "standard", "amount": 7, "unit": "working_days"}],
                         "legal_basis": basis, "effective_from": today.to_string()}),
            ),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{svc}");
    assert_eq!(svc["terms_version"], 2, "{svc}");
    let (s, _) = app.get(&tok, "/api/v1/services/NOPE/terms").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn the_registry_is_edited_and_searched_through_the_forms(app: &TestApp) {
    app.seed().await;
    user(app, "admin", UserRole::Administrator, None).await;
    user(app, "op.ast", UserRole::Operator, Some("MIN-AST")).await;
    let mut b = Browser::new(app);
    assert_eq!(
        b.sign_in("admin", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );

    let page = b.get("/admin/organizations/MIN-AST").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.field("csrf");
    assert_eq!(page.field("revision"), "1");
    assert_eq!(page.field("name_kk"), "MIN-AST kk");
    // A refusal beside its field, in the summary, and what was typed kept.
    let bad = b
        .post(
            "/admin/organizations/MIN-AST/edit",
            &[
                ("csrf", &csrf),
                ("revision", "1"),
                ("name_kk", "Әділет департаменті"),
                ("name_ru", "Департамент юстиции"),
                ("name_en", "Justice Department"),
                ("bin", "123456789012"),
                ("working_hours", "09:00-18:30"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    assert!(
        bad.html
            .contains("id=\"bin-error\" class=\"field-error\" role=\"alert\""),
        "{}",
        bad.html
    );
    assert!(bad.html.contains("data-testid=\"error-summary\""));
    assert!(bad.html.contains("href=\"#bin-error\""));
    assert_eq!(bad.field("name_kk"), "Әділет департаменті");
    let good = [
        ("csrf", csrf.as_str()),
        ("revision", "1"),
        ("name_kk", "Әділет департаменті"),
        ("name_ru", "Департамент Юстиции"),
        ("name_en", "Justice Department"),
        ("bin", &bin(900)),
        ("working_hours", "09:00-18:30"),
    ];
    let saved = b.post("/admin/organizations/MIN-AST/edit", &good).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let page = b.get(&saved.location).await;
    assert!(page.html.contains("data-testid=\"org-notice\""));
    assert!(page.html.contains("Әділет департаменті"));
    assert_eq!(page.field("revision"), "2");
    // The same form again, made from revision 1: refused, the stored values shown.
    let stale = b.post("/admin/organizations/MIN-AST/edit", &good).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.html.contains("data-testid=\"error-summary\""));
    assert_eq!(
        stale.field("revision"),
        "2",
        "the form may now be saved knowingly"
    );

    // Search: part of a name in any language, any case; the BIN; the code.
    for (q, hit) in [
        ("юстиции", "MIN-AST"),
        ("ӘДІЛЕТ", "MIN-AST"),
        (&bin(900) as &str, "MIN-AST"),
        ("akim-a", "AKIM-ARC"),
    ] {
        let found = b
            .get(&format!("/admin/organizations?q={}", urlencode(q)))
            .await;
        assert_eq!(found.status, StatusCode::OK);
        assert!(found.html.contains(&format!("data-code=\"{hit}\"")), "{q}");
        assert!(found.html.contains("data-testid=\"search-found\""), "{q}");
        assert!(!found.html.contains("<tr data-code=\"GOV-1\""), "{q}");
    }

    // A service's names, provider, channels and systems.
    let page = b.get("/admin/services/SVC-WD5").await;
    assert_eq!(page.field("revision"), "1");
    let bad = b
        .post(
            "/admin/services/SVC-WD5/edit",
            &[
                ("csrf", &csrf),
                ("revision", "1"),
                ("name_kk", "Анықтама"),
                ("name_ru", ""),
                ("name_en", "Certificate"),
                ("organization", "MIN-AST"),
                ("channels", "provider"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    assert!(bad
        .html
        .contains("id=\"name_ru-error\" class=\"field-error\" role=\"alert\""));
    assert_eq!(bad.field("name_kk"), "Анықтама");
    let saved = b
        .post(
            "/admin/services/SVC-WD5/edit",
            &[
                ("csrf", &csrf),
                ("revision", "1"),
                ("name_kk", "Анықтама беру"),
                ("name_ru", "Выдача справки"),
                ("name_en", "Issue of a certificate"),
                ("organization", "MIN-AST"),
                ("channels", "provider"),
                ("channels", "portal"),
                ("depends_on", "archive_is"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let (_, list) = app.get(&app.admin, "/api/v1/services?limit=500").await;
    let svc = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "SVC-WD5")
        .unwrap()
        .clone();
    assert_eq!(svc["name"]["ru"], "Выдача справки");
    assert_eq!(svc["channels"], json!(["provider", "portal"]));
    assert_eq!(svc["depends_on"], json!(["archive_is"]));
    let found = b
        .get("/admin/services?q=%D0%A1%D0%9F%D0%A0%D0%90%D0%92%D0%9A")
        .await; // СПРАВК
    assert!(
        found.html.contains("data-code=\"SVC-WD5\""),
        "{}",
        found.html
    );
    assert!(!found.html.contains("data-code=\"ARCH-001\""));

    // The terms' form asks for the legal basis and shows the history.
    let page = b.get("/admin/services/SVC-WD5").await;
    let no_basis = b
        .post(
            "/admin/services/SVC-WD5/terms",
            &[
                ("csrf", &csrf),
                ("variant-0", "standard"),
                ("amount-0", "6"),
                ("unit-0", "working_days"),
                ("effective_from", ""),
                ("legal_basis", ""),
            ],
        )
        .await;
    assert_eq!(no_basis.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_basis
        .html
        .contains("id=\"legal_basis-error\" class=\"field-error\" role=\"alert\""));
    assert!(no_basis.html.contains("name=\"amount-0\" value=\"6\""));
    assert!(page
        .html
        .contains("data-version=\"1\" data-status=\"in-force\""));
    let changed = b
        .post(
            "/admin/services/SVC-WD5/terms",
            &[
                ("csrf", &csrf),
                ("variant-0", "standard"),
                ("amount-0", "6"),
                ("unit-0", "working_days"),
                ("effective_from", ""),
                ("legal_basis", "Бұйрық № 7"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.html);
    let page = b.get("/admin/services/SVC-WD5").await;
    assert!(page
        .html
        .contains("data-version=\"2\" data-status=\"in-force\""));
    assert!(page.html.contains("Бұйрық № 7"));

    // Nobody else edits.
    let mut op = Browser::new(app);
    assert_eq!(
        op.sign_in("op.ast", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let csrf = op.csrf("/work").await;
    for path in [
        "/admin/organizations/MIN-AST/edit",
        "/admin/services/SVC-WD5/edit",
    ] {
        let r = op
            .post(
                path,
                &[("csrf", &csrf), ("revision", "2"), ("name_kk", "x")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

crate::both!(
    organizations_are_edited_through_the_api,
    services_are_edited_through_the_api,
    a_change_of_terms_has_its_date_and_legal_basis,
    the_registry_is_edited_and_searched_through_the_forms
);
