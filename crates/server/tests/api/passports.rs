//! Service passports (issue 17; 003 §1–26), on both backends, through the API: a draft is
//! written (incomplete but valid), told what keeps it from publication in the reader's
//! language, published from a day under its approving act, and versioned; an application
//! keeps the version in force when it was registered; a later version dated ahead waits for
//! its day; two versions are compared field by field; only administrators write, and an
//! edit made from an older revision is refused — also when two arrive at once.

use crate::browser::{user, Browser, PASSWORD};
use crate::support::TestApp;
use qyzmet_store::UserRole;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A text in Kazakh and Russian (English left empty, as the applicant's languages are).
fn kr(s: &str) -> Value {
    json!({"kk": format!("{s} (қаз.)"), "ru": format!("{s} (рус.)")})
}

/// A passport complete enough to publish, for a service of `org`.
pub fn complete_passport(org: &str) -> Value {
    json!({
        "providers": [{"organization": org, "address": kr("Астана, Мәңгілік Ел 8"),
            "schedule": {"days": ["mon", "tue", "wed", "thu", "fri"], "hours": "09:00-18:30",
                         "breaks": ["13:00-14:30"]}}],
        "automation": "partly",
        "legal_basis": [{"act": kr("Закон о государственных услугах"), "article": "10"}],
        "information_sources": kr("egov.kz, 1414"),
        "result": {"name": kr("справка"), "forms": ["electronic", "paper"]},
        "recipients": {"individuals": true, "legal_entities": false, "description": kr("физические лица")},
        "terms": {"counted_from": "documents", "max_wait_minutes": 15, "max_service_minutes": 20},
        "fee": {"paid": false},
        "place_conditions": kr("пандус, зал ожидания"),
        "information_online": true,
        "life_situations": ["archives"],
        "documents": [
            {"code": "application", "name": kr("заявление"), "form": "original", "copies": 1},
            {"code": "identity", "name": kr("удостоверение личности"),
             "form": "original_for_identification", "from_system": "ГБД ФЛ"}
        ],
        "forms": kr("бланк на egov.kz"),
        "where_to_submit": kr("кабинет 101"),
        "internal_procedure": kr("регистрация, исполнение, выдача"),
        "confirmation": kr("расписка с датой выдачи"),
        "delivery": ["in_person", "portal"],
        "suspension_grounds": [],
        "refusal_grounds": [{"code": "false-data", "text": kr("недостоверные сведения"),
                             "legal_reference": "Закон о госуслугах, ст. 19-1"}],
        "principles": kr("вежливость, полнота информации"),
        "complaints": {"help": kr("1414"), "appeal": kr("министерство"),
            "improper_service": kr("руководитель"), "documents": kr("жалоба"),
            "acknowledgement": kr("талон с датой ответа")},
        "informing": [{"stage": "ready_for_issue",
            "message": {"kk": "{number} өтініміңіз дайын: {status_url}",
                        "ru": "Заявка {number} готова: {status_url}"}}]
    })
}

async fn put(
    app: &TestApp,
    token: &str,
    code: &str,
    body: Value,
    lang: &str,
) -> (StatusCode, Value) {
    app.send(
        Method::PUT,
        Some(token),
        &format!("/api/v1/services/{code}/passport"),
        Some(&body),
        Some(lang),
    )
    .await
}

async fn publish(app: &TestApp, code: &str, body: Value) -> (StatusCode, Value) {
    app.post(
        &app.admin,
        &format!("/api/v1/services/{code}/passport/publish"),
        body,
    )
    .await
}

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Asia/Almaty").unwrap())
        .date()
}

async fn a_passport_is_drafted_published_and_versioned(app: &TestApp) {
    app.seed().await;
    let svc = "SVC-WD5";
    let (s, e) = app
        .get(&app.admin, &format!("/api/v1/services/{svc}/passport"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    assert_eq!(e["error"]["code"], "passport_not_found", "{e}");

    // Only administrators write.
    let own = app.token_for("MIN").await;
    let (s, e) = put(
        app,
        &own,
        svc,
        json!({"passport": complete_passport("MIN")}),
        "en",
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");

    // A draft may be incomplete: it is saved, and its view says what keeps it from
    // publication, in the reader's language.
    let mut partial = complete_passport("MIN");
    partial["documents"][0]["name"]["kk"] = json!("");
    partial["complaints"]["acknowledgement"] = json!({});
    let (s, draft) = put(app, &app.admin, svc, json!({"passport": partial}), "ru").await;
    assert_eq!(s, StatusCode::OK, "{draft}");
    assert_eq!(draft["state"], "draft");
    assert_eq!(draft["version"], 1);
    assert_eq!(draft["revision"], 1);
    let problems: Vec<(&str, &str)> = draft["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["field"].as_str().unwrap(), p["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        problems,
        vec![
            ("passport.documents[0].name.kk", "language_missing"),
            ("passport.complaints.acknowledgement", "required"),
        ]
    );
    let message = draft["problems"][0]["message"].as_str().unwrap();
    assert!(
        message.chars().any(|c| ('а'..='я').contains(&c)),
        "a Russian message: {message}"
    );
    assert!(!message.contains("language_missing"), "{message}");
    assert!(
        message.contains("наименование документа на казахском языке"),
        "the field in words: {message}"
    );

    // But never invalid: a refusal names the field, and nothing is written.
    for (body, field, code) in [
        (
            {
                let mut p = complete_passport("MIN");
                p["forms"]["ru"] = json!("a\u{202E}b");
                p
            },
            "passport.forms.ru",
            "text_bidi_control",
        ),
        (
            complete_passport("NOBODY"),
            "passport.providers[0].organization",
            "unknown_organization",
        ),
        (
            {
                let mut p = complete_passport("MIN");
                p["documents"][1]["code"] = json!("application");
                p
            },
            "passport.documents[1].code",
            "duplicate",
        ),
    ] {
        let (s, e) = put(
            app,
            &app.admin,
            svc,
            json!({"revision": 1, "passport": body}),
            "en",
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {e}");
        assert_eq!(e["error"]["field"], field, "{e}");
        assert_eq!(e["error"]["code"], code, "{e}");
    }
    // A body of unknown fields is refused whole.
    let (s, e) = put(
        app,
        &app.admin,
        svc,
        json!({"revision": 1, "passport": {"fees": 1}}),
        "en",
    )
    .await;
    assert!(s.is_client_error(), "{e}");

    // A second draft is not started over the first.
    let (s, e) = put(
        app,
        &app.admin,
        svc,
        json!({"passport": complete_passport("MIN")}),
        "en",
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "stale_revision", "{e}");

    // Publication names the first thing missing and how many.
    let (s, e) = publish(
        app,
        svc,
        json!({"revision": 1, "approving_act": "Приказ № 1"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "passport_incomplete", "{e}");
    assert_eq!(e["error"]["field"], "passport.documents[0].name.kk", "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains('2'), "{e}");

    let (s, draft) = put(
        app,
        &app.admin,
        svc,
        json!({"revision": 1, "passport": complete_passport("MIN")}),
        "en",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{draft}");
    assert_eq!(draft["revision"], 2);
    assert_eq!(draft["problems"], json!([]), "{draft}");

    // Not from a day past, nor without its act.
    let yesterday = today().yesterday().unwrap().to_string();
    for (body, field) in [
        (
            json!({"revision": 2, "approving_act": "Приказ № 1", "valid_from": yesterday}),
            "valid_from",
        ),
        (
            json!({"revision": 2, "approving_act": " "}),
            "approving_act",
        ),
    ] {
        let (s, e) = publish(app, svc, body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["error"]["field"], field, "{e}");
    }
    let (s, e) = publish(
        app,
        svc,
        json!({"revision": 1, "approving_act": "Приказ № 1"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");

    let (s, v1) = publish(
        app,
        svc,
        json!({"revision": 2, "approving_act": "Приказ № 1"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v1}");
    assert_eq!(v1["state"], "published");
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["valid_from"], today().to_string());
    assert_eq!(v1["approving_act"], "Приказ № 1");
    assert!(v1.get("problems").is_none(), "{v1}");

    // Everyone with a token reads it; the draft is gone.
    let (s, read) = app
        .get(&own, &format!("/api/v1/services/{svc}/passport"))
        .await;
    assert_eq!(s, StatusCode::OK, "{read}");
    assert_eq!(read["passport"], v1["passport"]);
    assert_eq!(read["passport"]["documents"][1]["from_system"], "ГБД ФЛ");
    let (s, e) = app
        .get(
            &app.admin,
            &format!("/api/v1/services/{svc}/passport?version=draft"),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    let (s, e) = app
        .get(
            &own,
            &format!("/api/v1/services/{svc}/passport?version=draft"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");

    // An application registered now keeps version 1.
    let app1 = app
        .register(&own, svc, "MIN-AST", &jiff::Timestamp::now().to_string())
        .await;
    assert_eq!(app1["passport_version"], 1, "{app1}");

    // Version 2, a fee, in force from tomorrow: until then version 1 stays in force.
    let mut paid = complete_passport("MIN");
    paid["fee"] = json!({"paid": true, "amount_kzt": 1725, "payment_form": kr("банк")});
    let (s, d2) = put(app, &app.admin, svc, json!({"passport": paid}), "en").await;
    assert_eq!(s, StatusCode::OK, "{d2}");
    assert_eq!(d2["version"], 2);
    let tomorrow = today().tomorrow().unwrap().to_string();
    let (s, e) = publish(
        app,
        svc,
        json!({"revision": d2["revision"], "approving_act": "Приказ № 2", "valid_from": today().to_string()}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "valid_from_not_after_previous", "{e}");
    let (s, v2) = publish(
        app,
        svc,
        json!({"revision": d2["revision"], "approving_act": "Приказ № 2", "valid_from": tomorrow}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v2}");
    let (_, in_force) = app
        .get(&own, &format!("/api/v1/services/{svc}/passport"))
        .await;
    assert_eq!(in_force["version"], 1, "{in_force}");
    assert_eq!(in_force["valid_to"], today().to_string(), "{in_force}");
    let (_, second) = app
        .get(&own, &format!("/api/v1/services/{svc}/passport?version=2"))
        .await;
    assert_eq!(second["passport"]["fee"]["amount_kzt"], 1725, "{second}");
    let app2 = app
        .register(&own, svc, "MIN-AST", &jiff::Timestamp::now().to_string())
        .await;
    assert_eq!(app2["passport_version"], 1, "{app2}");

    let (s, list) = app
        .get(&own, &format!("/api/v1/services/{svc}/passport/versions"))
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let versions: Vec<(i64, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].as_i64().unwrap(), v["state"].as_str().unwrap()))
        .collect();
    assert_eq!(versions, vec![(2, "published"), (1, "published")]);

    // The diff names the field that changed, with both values.
    let (s, diff) = app
        .get(
            &own,
            &format!("/api/v1/services/{svc}/passport/diff?from=1&to=2"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{diff}");
    assert_eq!(diff.as_array().unwrap().len(), 1, "{diff}");
    assert_eq!(diff[0]["field"], "fee");
    assert_eq!(diff[0]["before"]["paid"], false);
    assert_eq!(diff[0]["after"]["amount_kzt"], 1725);

    // A draft discarded at its revision only.
    let (_, d3) = put(
        app,
        &app.admin,
        svc,
        json!({"passport": complete_passport("MIN")}),
        "en",
    )
    .await;
    assert_eq!(d3["version"], 3, "{d3}");
    let wrong = format!("/api/v1/services/{svc}/passport/draft?revision=7");
    let (s, e) = app
        .send(Method::DELETE, Some(&app.admin), &wrong, None, Some("en"))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let right = format!(
        "/api/v1/services/{svc}/passport/draft?revision={}",
        d3["revision"]
    );
    let (s, e) = app
        .send(Method::DELETE, Some(&own), &right, None, Some("en"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, e) = app
        .send(Method::DELETE, Some(&app.admin), &right, None, Some("en"))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{e}");
    let (s, _) = app
        .get(
            &app.admin,
            &format!("/api/v1/services/{svc}/passport?version=draft"),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Every write audited, in its transaction.
    let actions: Vec<String> = app
        .store
        .audit_of(&format!("service:{svc}"), 50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a.starts_with("passport."))
        .collect();
    for action in ["passport.draft", "passport.publish", "passport.discard"] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
    assert_eq!(
        actions.iter().filter(|a| *a == "passport.publish").count(),
        2
    );
}

/// Two administrators save the same draft at once from the same revision: one wins, the
/// other is told the draft moved on; the stored draft is the winner's.
async fn concurrent_edits_of_a_draft_do_not_overwrite_each_other(app: &TestApp) {
    app.seed().await;
    let svc = "SVC-WD5";
    let (s, d) = put(
        app,
        &app.admin,
        svc,
        json!({"passport": complete_passport("MIN")}),
        "en",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let edit = |forms: &str| {
        let mut p = complete_passport("MIN");
        p["forms"] = kr(forms);
        json!({"revision": 1, "passport": p})
    };
    let mut tasks = Vec::new();
    for i in 0..6 {
        let body = edit(&format!("бланк {i}"));
        let client = app.client.clone();
        let url = app.url(&format!("/api/v1/services/{svc}/passport"));
        let token = app.admin.clone();
        tasks.push(tokio::spawn(async move {
            let r = client
                .put(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        }));
    }
    let mut won = Vec::new();
    for t in tasks {
        let (s, body) = t.await.unwrap();
        match s {
            StatusCode::OK => won.push(body),
            StatusCode::CONFLICT => assert_eq!(body["error"]["code"], "stale_revision"),
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(won.len(), 1, "exactly one edit wins: {won:?}");
    let (_, now) = app
        .get(
            &app.admin,
            &format!("/api/v1/services/{svc}/passport?version=draft"),
        )
        .await;
    assert_eq!(now["revision"], 2);
    assert_eq!(now["passport"]["forms"], won[0]["passport"]["forms"]);
}

/// The administrator's page: the versions, what keeps the draft from publication in words,
/// publication refused until it is complete, then published; nobody else sees the page.
async fn an_administrator_checks_and_publishes_a_draft_on_the_page(app: &TestApp) {
    app.seed().await;
    user(app, "admin", UserRole::Administrator, None).await;
    user(app, "op.ast", UserRole::Operator, Some("MIN-AST")).await;
    let mut partial = complete_passport("MIN");
    partial["documents"][0]["name"]["kk"] = json!("");
    let (s, d) = put(
        app,
        &app.admin,
        "SVC-WD5",
        json!({"passport": partial}),
        "en",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{d}");

    let mut b = Browser::new(app);
    assert_eq!(
        b.sign_in("admin", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let page = b.get("/admin/services/SVC-WD5").await;
    assert!(
        page.html.contains("/admin/services/SVC-WD5/passport"),
        "a link to the passport"
    );
    let page = b.get("/admin/services/SVC-WD5/passport").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("data-testid=\"draft-problems\""),
        "{}",
        page.html
    );
    // The field in words (the user's language), not its path.
    assert!(!page.html.contains("documents[0]"), "{}", page.html);
    assert!(!page.html.contains("language_missing"), "{}", page.html);
    let csrf = b.csrf("/admin/services/SVC-WD5/passport").await;
    let refused = b
        .post(
            "/admin/services/SVC-WD5/passport/publish",
            &[
                ("csrf", &csrf),
                ("revision", "1"),
                ("approving_act", "Order No. 5"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("data-testid=\"passport-error\""));
    assert!(
        refused.html.contains("Order No. 5"),
        "the act typed is kept"
    );

    let (s, d) = put(
        app,
        &app.admin,
        "SVC-WD5",
        json!({"revision": 1, "passport": complete_passport("MIN")}),
        "en",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let page = b.get("/admin/services/SVC-WD5/passport").await;
    assert!(
        page.html.contains("data-testid=\"draft-ready\""),
        "{}",
        page.html
    );
    let done = b
        .post(
            "/admin/services/SVC-WD5/passport/publish",
            &[
                ("csrf", &csrf),
                ("revision", "2"),
                ("approving_act", "Order No. 5"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let page = b.get(&done.location).await;
    assert!(page.html.contains("data-testid=\"passport-notice\""));
    assert!(
        page.html
            .contains("data-version=\"1\" data-status=\"in-force\""),
        "{}",
        page.html
    );
    let (_, v) = app
        .get(&app.admin, "/api/v1/services/SVC-WD5/passport")
        .await;
    assert_eq!(v["approving_act"], "Order No. 5");

    // The public pages keep a signed-in user's header (their account, their menu).
    let public = b.get("/services").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(
        public.html.contains("data-testid=\"user\""),
        "{}",
        public.html
    );

    // Nobody else.
    let mut op = Browser::new(app);
    assert_eq!(
        op.sign_in("op.ast", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        op.get("/admin/services/SVC-WD5/passport").await.status,
        StatusCode::FORBIDDEN
    );
}

crate::both!(
    a_passport_is_drafted_published_and_versioned,
    concurrent_edits_of_a_draft_do_not_overwrite_each_other,
    an_administrator_checks_and_publishes_a_draft_on_the_page
);
