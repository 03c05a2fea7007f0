//! Grounds of suspensions and refusals (issue 17; 003 §17), on both backends: a suspension or
//! a refusal names a ground of the passport version its application was registered under; the
//! ground is recorded and read back with its text in the reader's language and its legal
//! reference; an unknown ground, or one on any other event, is refused with the field named;
//! an application keeps its version's grounds after a new version is published; the API takes
//! events without a ground, the workstation asks for one; the history still verifies.

use crate::both;
use crate::browser::{user, Browser, PASSWORD};
use crate::passports::complete_passport;
use crate::support::{iin, stage, TestApp};
use jiff::Timestamp;
use qyzmet_domain::ids::ServiceCode;
use qyzmet_domain::passport::Passport;
use qyzmet_store::audit_trail::NoSealKeys;
use qyzmet_store::{Publication, UserRole};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const SVC: &str = "SVC-WD5";

fn ground([code, kk, ru, reference]: [&str; 4]) -> Value {
    json!({"code": code, "text": {"kk": kk, "ru": ru, "en": ""}, "legal_reference": reference})
}

/// A passport of the ministry with one suspension ground and the refusal ground
/// `false-data`.
fn with_grounds(suspension: [&str; 4]) -> Value {
    let mut body = complete_passport("MIN");
    body["suspension_grounds"] = json!([ground(suspension)]);
    body["refusal_grounds"] = json!([ground([
        "false-data",
        "Анық емес мәліметтер",
        "Недостоверные сведения",
        "Закон о госуслугах, ст. 19-1",
    ])]);
    body
}

/// Version 1 of SVC-WD5's passport, in force since yesterday (written through the store: the
/// API publishes from today on), with a ground for suspension and one for refusal.
async fn version_1(app: &TestApp) {
    app.seed().await;
    let body = with_grounds([
        "archive-request",
        "Басқа мемлекеттік органнан мәлімет сұрату",
        "Запрос сведений в другом государственном органе",
        "Закон о госуслугах, ст. 5, п. 2",
    ]);
    let passport: Passport = serde_json::from_value(body).unwrap();
    let code = ServiceCode::parse(SVC).unwrap();
    let now = Timestamp::now();
    let draft = app
        .store
        .save_passport_draft(&code, None, &passport, "test", now)
        .await
        .unwrap();
    let yesterday = qyzmet_domain::zone::local_date(now).yesterday().unwrap();
    app.store
        .publish_passport(
            &code,
            draft.revision,
            &Publication {
                valid_from: yesterday,
                approving_act: "Приказ № 1".into(),
            },
            "test",
            now,
        )
        .await
        .unwrap();
}

fn suspended(reason: &str, ground: Option<&str>) -> Value {
    let mut e = json!({"id": uuid::Uuid::now_v7().to_string(), "type": "suspended",
        "reason": reason, "occurred_at": Timestamp::now().to_string()});
    if let Some(g) = ground {
        e["ground"] = json!(g);
    }
    e
}

fn resumed() -> Value {
    json!({"id": uuid::Uuid::now_v7().to_string(), "type": "resumed",
        "occurred_at": Timestamp::now().to_string()})
}

/// POSTs an event of `number` in `lang`.
async fn event_in(
    app: &TestApp,
    token: &str,
    number: &str,
    body: Value,
    lang: &str,
) -> (StatusCode, Value) {
    app.send(
        Method::POST,
        Some(token),
        &format!("/api/v1/applications/{number}/events"),
        Some(&body),
        Some(lang),
    )
    .await
}

async fn detail_in(app: &TestApp, token: &str, number: &str, lang: &str) -> Value {
    let (s, d) = app
        .send(
            Method::GET,
            Some(token),
            &format!("/api/v1/applications/{number}"),
            None,
            Some(lang),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    d
}

async fn registered(app: &TestApp, token: &str) -> String {
    let a = app
        .register(token, SVC, "MIN-AST", &Timestamp::now().to_string())
        .await;
    a["number"].as_str().unwrap().to_string()
}

/// Posts `body` (in `lang`) and expects it refused on `field` with `code`; returns the error.
async fn refused(
    app: &TestApp,
    token: &str,
    number: &str,
    body: Value,
    lang: &str,
    (field, code): (&str, &str),
) -> Value {
    let (s, e) = event_in(app, token, number, body, lang).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], field, "{e}");
    assert_eq!(e["error"]["code"], code, "{e}");
    e
}

/// Posts `body` and expects it recorded; returns the event.
async fn recorded(app: &TestApp, token: &str, number: &str, body: Value) -> Value {
    let (s, r) = app.event(token, number, body).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    r
}

const UNKNOWN: (&str, &str) = ("ground", "unknown_ground");
const NOT_APPLICABLE: (&str, &str) = ("ground", "ground_not_applicable");

async fn a_suspension_and_a_refusal_name_their_grounds(app: &TestApp) {
    version_1(app).await;
    let own = app.token_for("MIN").await;
    let number = registered(app, &own).await;
    let d = detail_in(app, &own, &number, "ru").await;
    assert_eq!(d["passport_version"], 1, "{d}");

    let body = suspended("запрос в архив", Some("archive-request"));
    let rec = recorded(app, &own, &number, body).await;
    assert_eq!(rec["ground"]["code"], "archive-request", "{rec}");

    // Read back in the reader's language, with its legal reference.
    for (lang, text) in [
        ("kk", "Басқа мемлекеттік органнан мәлімет сұрату"),
        ("ru", "Запрос сведений в другом государственном органе"),
    ] {
        let d = detail_in(app, &own, &number, lang).await;
        let g = &d["events"][0]["ground"];
        assert_eq!(g["code"], "archive-request", "{d}");
        assert_eq!(g["text"], text, "{d}");
        assert_eq!(
            g["legal_reference"], "Закон о госуслугах, ст. 5, п. 2",
            "{d}"
        );
        // The free text stays as typed, beside the ground.
        assert_eq!(d["events"][0]["reason"], "запрос в архив", "{d}");
    }
    // The public status names the ground in the applicant's language, never the reason.
    let (s, st) = app
        .send(
            Method::GET,
            None,
            &format!("/api/v1/public/status?number={number}&iin={}", iin(17)),
            None,
            Some("kk"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{st}");
    assert_eq!(st["next_step"], "suspended", "{st}");
    let words = st["next_step_text"].as_str().unwrap();
    assert!(
        words.contains("Басқа мемлекеттік органнан мәлімет сұрату"),
        "{words}"
    );
    assert!(!st.to_string().contains("запрос в архив"), "{st}");
    recorded(app, &own, &number, resumed()).await;

    // An unknown ground: refused with the field and a message in the reader's language.
    let body = suspended("x", Some("no-such-ground"));
    let e = refused(app, &own, &number, body, "ru", UNKNOWN).await;
    let message = e["error"]["message"].as_str().unwrap();
    assert!(message.contains("основание"), "{message}");
    assert!(!message.contains("unknown_ground"), "{message}");
    // A refusal ground is not a suspension ground (003 §17 keeps two lists), and a malformed
    // code names nothing either.
    for code in ["false-data", "a b"] {
        let body = suspended("x", Some(code));
        refused(app, &own, &number, body, "en", UNKNOWN).await;
    }

    // A ground on a plain stage, on a resumption, on an issue: not applicable.
    let now = Timestamp::now().to_string();
    let mut plain = stage("taken_into_work", &now);
    plain["ground"] = json!("archive-request");
    let mut resume = resumed();
    resume["ground"] = json!("archive-request");
    let mut issued = stage("closed", &now);
    issued["outcome"] = json!("issued");
    issued["ground"] = json!("false-data");
    for body in [plain, resume, issued] {
        refused(app, &own, &number, body, "kk", NOT_APPLICABLE).await;
    }

    // In a batch, the item is refused alone, its field under its index.
    let mut item = suspended("x", Some("no-such-ground"));
    item["number"] = json!(number);
    let (s, b) = app
        .post(&own, "/api/v1/events/batch", json!({"events": [item]}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["results"][0]["error"]["field"], "events[0].ground", "{b}");
    assert_eq!(b["results"][0]["error"]["code"], "unknown_ground", "{b}");

    // The API takes a suspension without a ground (a provider's system may not know the
    // codes), and a refusal with its ground.
    let r = recorded(app, &own, &number, suspended("без кода", None)).await;
    assert!(r.get("ground").is_none(), "{r}");
    recorded(app, &own, &number, resumed()).await;
    let mut refusal = stage("closed", &Timestamp::now().to_string());
    refusal["outcome"] = json!("refused");
    refusal["reason"] = json!("сведения не подтвердились");
    refusal["ground"] = json!("false-data");
    recorded(app, &own, &number, refusal).await;
    let d = detail_in(app, &own, &number, "ru").await;
    let last = d["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["ground"]["text"], "Недостоверные сведения", "{d}");
    assert_eq!(
        last["ground"]["legal_reference"],
        "Закон о госуслугах, ст. 19-1"
    );

    // Events with and without grounds: every chain and the ledger verify.
    let report = app.store.verify_history(&NoSealKeys).await.unwrap();
    assert!(report.clean(), "audit findings: {:?}", report.findings);
}

async fn an_application_keeps_the_grounds_of_its_version(app: &TestApp) {
    version_1(app).await;
    let own = app.token_for("MIN").await;
    let first = registered(app, &own).await;
    // Version 2, in force from today, replaces the suspension ground.
    let body = with_grounds([
        "expertise",
        "Сараптама",
        "Проведение экспертизы",
        "Закон о госуслугах, ст. 5, п. 3",
    ]);
    let (s, d2) = app
        .send(
            Method::PUT,
            Some(&app.admin),
            &format!("/api/v1/services/{SVC}/passport"),
            Some(&json!({"passport": body})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d2}");
    let today = qyzmet_domain::zone::local_date(Timestamp::now()).to_string();
    let (s, v2) = app
        .post(
            &app.admin,
            &format!("/api/v1/services/{SVC}/passport/publish"),
            json!({"revision": d2["revision"], "approving_act": "Приказ № 2", "valid_from": today}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v2}");
    let second = registered(app, &own).await;
    let d = detail_in(app, &own, &second, "en").await;
    assert_eq!(d["passport_version"], 2, "{d}");

    // The first keeps version 1's grounds; the second has version 2's; each is shown in the
    // words of its own version.
    for (number, other, own_code, text) in [
        (
            &first,
            "expertise",
            "archive-request",
            "Запрос сведений в другом государственном органе",
        ),
        (
            &second,
            "archive-request",
            "expertise",
            "Проведение экспертизы",
        ),
    ] {
        refused(
            app,
            &own,
            number,
            suspended("x", Some(other)),
            "en",
            UNKNOWN,
        )
        .await;
        recorded(app, &own, number, suspended("x", Some(own_code))).await;
        let d = detail_in(app, &own, number, "ru").await;
        assert_eq!(d["events"][0]["ground"]["text"], text, "{d}");
    }

    // An application without a passport knows no ground; without one it is recorded as ever.
    let other = app
        .register(&own, "SVC-H2", "MIN-AST", &Timestamp::now().to_string())
        .await;
    let other = other["number"].as_str().unwrap();
    let body = suspended("x", Some("archive-request"));
    refused(app, &own, other, body, "en", UNKNOWN).await;
    recorded(app, &own, other, suspended("x", None)).await;
    let report = app.store.verify_history(&NoSealKeys).await.unwrap();
    assert!(report.clean(), "audit findings: {:?}", report.findings);
}

/// The workstation's suspend form offers the passport's grounds in the operator's language,
/// with their legal references, and requires one; the refusal too.
async fn the_workstation_picks_a_ground(app: &TestApp) {
    version_1(app).await;
    user(app, "op.ast", UserRole::Operator, Some("MIN-AST")).await;
    let own = app.token_for("MIN").await;
    let number = registered(app, &own).await;
    let mut b = Browser::new(app);
    b.sign_in("op.ast", PASSWORD).await;
    let csrf = b.csrf("/work").await;
    let lang = b
        .post(
            "/account/language",
            &[("csrf", &csrf), ("lang", "ru"), ("back", "/work")],
        )
        .await;
    assert_eq!(lang.status, StatusCode::SEE_OTHER, "{}", lang.html);
    let path = format!("/work/applications/{number}");
    let page = b.get(&path).await;
    assert!(
        page.html
            .contains("<select id=\"suspend-ground\" name=\"ground\" required"),
        "{}",
        page.html
    );
    assert!(page.html.contains(
        "<option value=\"archive-request\">Запрос сведений в другом государственном органе \
         (Закон о госуслугах, ст. 5, п. 2)</option>"
    ));
    assert!(page.html.contains(
        "<option value=\"false-data\">Недостоверные сведения (Закон о госуслугах, ст. 19-1)</option>"
    ));

    // Without a ground: refused at the select, the typed reason kept; with one, recorded.
    // A refusal asks for its ground as the suspension does.
    for (action, fields, code) in [
        (
            "suspend",
            [("occurred_at", ""), ("reason", "ждём ответа")],
            "archive-request",
        ),
        (
            "close",
            [("outcome", "refused"), ("reason", "нет")],
            "false-data",
        ),
    ] {
        let page = b.get(&path).await;
        let (csrf, id) = (page.field("csrf"), page.field("event_id"));
        let mut form = vec![("csrf", csrf.as_str()), ("event_id", id.as_str())];
        form.extend(fields);
        let missing = b.post(&format!("{path}/{action}"), &form).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY, "{action}");
        let at_select =
            format!("id=\"{action}-ground-error\" class=\"field-error\" role=\"alert\"");
        assert!(missing.html.contains(&at_select), "{}", missing.html);
        let typed = format!(">{}</textarea>", fields[fields.len() - 1].1);
        assert!(missing.html.contains(&typed), "{}", missing.html);
        form.push(("ground", code));
        let ok = b.post(&format!("{path}/{action}"), &form).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html);
        if action == "suspend" {
            // The history and the timeline's band say the ground with its reference.
            let page = b.get(&path).await;
            let line = "<span data-testid=\"history-ground\">Запрос сведений в другом \
                        государственном органе (Закон о госуслугах, ст. 5, п. 2)</span>";
            assert!(page.html.contains(line), "{}", page.html);
            assert!(page.html.contains("data-testid=\"band-ground\""));
            recorded(app, &own, &number, resumed()).await;
        }
    }
    let d = detail_in(app, &own, &number, "kk").await;
    let last = d["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["outcome"], "refused", "{d}");
    assert_eq!(last["ground"]["text"], "Анық емес мәліметтер", "{d}");
}

both!(
    a_suspension_and_a_refusal_name_their_grounds,
    an_application_keeps_the_grounds_of_its_version,
    the_workstation_picks_a_ground,
);
