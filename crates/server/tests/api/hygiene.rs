//! Input hygiene at the edge (issue 15, finding 3; DESIGN "Validated newtypes"): hostile text
//! (NUL and other control characters, bidi overrides, noncharacters, invisible-only values,
//! over-long values), impossible moments (year 0001, year 9999, offsets that are no UTC
//! offset) and JSON with trailing data are refused with 400/422 naming the field, on both
//! backends alike, in the caller's language, with nothing stored; one bad batch item never
//! sinks the valid ones; legitimate Kazakh, Russian and accented names keep working.
//! This file: text at every field, in the API and the workstation's forms; `moments`: dates
//! and instants; `bodies`: JSON bodies, batches and the store's defence in depth.

mod bodies;
mod moments;

use crate::both;
use crate::browser::{user, Browser, PASSWORD};
use crate::support::{bin, iin, stage, TestApp};
use qyzmet_store::UserRole;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A hostile text: what it is, the value, the error code, and what the English message must
/// show of it (the offending character's position and code point).
struct Hostile {
    what: &'static str,
    value: String,
    code: &'static str,
    shows: Option<String>,
}

fn h(what: &'static str, value: &str, code: &'static str, shows: Option<&str>) -> Hostile {
    Hostile {
        what,
        value: value.to_string(),
        code,
        shows: shows.map(str::to_string),
    }
}

/// Hostile values for any text field of at most `max` characters; `multi_line` fields take
/// newlines and tabs, single-line fields refuse them; a blank optional field is absent.
fn hostile(max: usize, multi_line: bool, optional: bool) -> Vec<Hostile> {
    let control = "text_control_character";
    let mut v = vec![
        h("NUL", "Ах\u{0}метов", control, Some("character 3 (U+0000)")),
        h("BEL", "Ахметов\u{7}", control, Some("character 8 (U+0007)")),
        h(
            "DEL",
            "\u{7f}Ахметов",
            control,
            Some("character 1 (U+007F)"),
        ),
        h("NEL (C1)", "Ахметов\u{85}x", control, Some("(U+0085)")),
        h("escape", "\u{1b}[31mred", control, Some("(U+001B)")),
        h("line separator", "a\u{2028}b", control, Some("(U+2028)")),
        h("lone CR", "a\rb", control, Some("character 2 (U+000D)")),
        h(
            "RLO",
            "Ахметов\u{202E}вотемхА",
            "text_bidi_control",
            Some("character 8 (U+202E)"),
        ),
        h(
            "LRI",
            "\u{2066}Ахметов",
            "text_bidi_control",
            Some("(U+2066)"),
        ),
        h(
            "PDF",
            "Ахметов\u{202C}",
            "text_bidi_control",
            Some("(U+202C)"),
        ),
        h(
            "noncharacter",
            "Ахметов\u{FFFF}",
            "text_noncharacter",
            Some("(U+FFFF)"),
        ),
        h(
            "noncharacter FDD0",
            "\u{FDD0}x",
            "text_noncharacter",
            Some("(U+FDD0)"),
        ),
        h("only ZWSP", "\u{200B}", "text_invisible", None),
        h(
            "only ZWSP and ZWJ",
            " \u{200B}\u{200D} ",
            "text_invisible",
            None,
        ),
        h(
            "only Hangul filler",
            "\u{3164}\u{3164}",
            "text_invisible",
            None,
        ),
        h("only halfwidth filler", "\u{FFA0}", "text_invisible", None),
        h("only BOM", "\u{FEFF}", "text_invisible", None),
        h("only soft hyphen", "\u{AD}", "text_invisible", None),
        h("lone combining mark", "\u{0301}", "text_invisible", None),
        h("only Braille blank", "\u{2800}", "text_invisible", None),
        h(
            "only variation selector",
            "\u{FE0F}",
            "text_invisible",
            None,
        ),
        h(
            "only word joiner and LRM",
            "\u{2060}\u{200E}",
            "text_invisible",
            None,
        ),
        h(
            "too long",
            &"я".repeat(max + 1),
            "too_long",
            Some(&max.to_string()),
        ),
    ];
    if !optional {
        v.push(h("only NBSP", "\u{A0}\u{A0}", "empty", None));
        v.push(h("only ideographic space", "\u{3000}", "empty", None));
    }
    if !multi_line {
        v.push(h("tab", "a\tb", control, Some("character 2 (U+0009)")));
        v.push(h("newline", "a\nb", control, Some("character 2 (U+000A)")));
    }
    v
}

/// `body` with the value at the JSON pointer `at` replaced by `value`.
pub(super) fn with(body: &Value, at: &str, value: Value) -> Value {
    let mut b = body.clone();
    *b.pointer_mut(at)
        .unwrap_or_else(|| panic!("no {at} in {body}")) = value;
    b
}

/// A registration with `value` at the pointer `at`, sent in each language: every answer is
/// 422 with `code` at `field`, its message in that language naming the field, showing
/// `shows` (in English) and never `secret` (a part of the value).
async fn registration_refused_in_every_language(
    app: &TestApp,
    token: &str,
    (at, value, code, field, secret, shows): (&str, &str, &str, &str, Option<&str>, Option<&str>),
) {
    let body = with(&registration(), at, json!(value));
    let mut messages = Vec::new();
    for lang in ["kk", "ru", "en"] {
        let (s, answer) = app
            .send(
                reqwest::Method::POST,
                Some(token),
                "/api/v1/applications",
                Some(&body),
                Some(lang),
            )
            .await;
        let what = format!("{at} {lang}: {answer}");
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        assert_eq!(answer["error"]["code"], code, "{what}");
        assert_eq!(answer["error"]["field"], field, "{what}");
        let message = answer["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(field),
            "the message names the field: {what}"
        );
        assert!(!message.contains("error-"), "a message exists: {what}");
        if let Some(secret) = secret {
            assert!(!message.contains(secret), "the value is not echoed: {what}");
        }
        if let (Some(shows), "en") = (shows, lang) {
            assert!(message.contains(shows), "shows {shows}: {what}");
        }
        messages.push(message.to_string());
    }
    assert!(
        messages[0] != messages[1] && messages[1] != messages[2],
        "{messages:?}"
    );
}

/// An application of `token`'s organization, accepted on 2026-11-20: its number.
pub(super) async fn registered(app: &TestApp, token: &str) -> String {
    app.register(token, "SVC-WD5", ORG, "2026-11-20T09:00:00+05:00")
        .await["number"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The seeded registry, a token of its organization and an application of it.
pub(super) async fn seeded(app: &TestApp) -> (String, String) {
    app.seed().await;
    let token = app.token_for(ORG).await;
    let number = registered(app, &token).await;
    (token, number)
}

/// Sends `body` as it is, as JSON.
pub(super) async fn raw(
    app: &TestApp,
    token: &str,
    path: &str,
    body: String,
) -> (StatusCode, Value) {
    let resp = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .header("Content-Type", "application/json")
        .header("Accept-Language", "en")
        .body(body)
        .send()
        .await
        .expect("request");
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// How many things of each kind are stored, as the API lists them.
pub(super) async fn counts(app: &TestApp) -> Value {
    let mut out = serde_json::Map::new();
    for (kind, path) in [
        ("applications", "/api/v1/applications?limit=500"),
        ("organizations", "/api/v1/organizations?limit=500"),
        ("services", "/api/v1/services?limit=500"),
        ("outages", "/api/v1/outages?limit=500"),
    ] {
        let (s, page) = app.get(&app.admin, path).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        out.insert(kind.into(), json!(page["items"].as_array().unwrap().len()));
    }
    let (_, cal) = app.get(&app.admin, "/api/v1/calendar").await;
    out.insert("calendar".into(), cal["version"].clone());
    Value::Object(out)
}

pub(super) async fn events_of(app: &TestApp, number: &str) -> usize {
    let (s, detail) = app
        .get(&app.admin, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{detail}");
    detail["events"].as_array().unwrap().len()
}

pub(super) const ORG: &str = "MIN-AST";

/// The optional text fields: blank is absent there, not empty (a suspension's absent reason
/// is then `required`).
const OPTIONAL: [&str; 5] = [
    "applicant.middle_name",
    "executor_person",
    "external_id",
    "term_variant",
    "reason",
];

pub(super) fn registration() -> Value {
    json!({"service_code": "SVC-WD5", "term_variant": "standard",
           "applicant": {"iin": iin(17), "last_name": "Ахметов", "first_name": "Айбек", "middle_name": "Серікұлы"},
           "channel": "provider", "acceptance_place": ORG, "executor": ORG, "executor_person": "Жұмабаев Н.",
           "accepted_at": "2026-11-20T10:00:00+05:00", "external_id": "ext-1"})
}

pub(super) fn organization() -> Value {
    json!({"code": "HYG-ORG", "kind": "other_provider", "bin": bin(555),
           "name": {"kk": "Тексеру", "ru": "Проверка", "en": "Check"}, "working_hours": "09:00-18:00"})
}

pub(super) fn service() -> Value {
    json!({"code": "HYG-SVC", "organization": ORG, "terms": [{"variant": "standard", "amount": 5, "unit": "working_days"}],
           "channels": ["provider"], "depends_on": ["egov_gateway"],
           "name": {"kk": "Қызмет", "ru": "Услуга", "en": "Service"}})
}

pub(super) fn outage() -> Value {
    json!({"started_at": "2026-11-23T10:00:00+05:00", "ended_at": "2026-11-23T12:00:00+05:00",
           "systems": ["egov_gateway"], "operator": "NIT", "description": "Шлюз істен шықты"})
}

pub(super) fn calendar_day() -> Value {
    json!({"kind": "day_off", "name": "Тексеру күні", "source": "Decree No. 1"})
}

/// A text field of an endpoint: where it is in the body, the field the error names, its
/// bound and whether it takes several lines.
struct TextField {
    method: reqwest::Method,
    path: String,
    body: Value,
    at: String,
    field: String,
    max: usize,
    multi_line: bool,
    admin: bool,
}

/// A row of the text fields' table: method, path, body, pointer, field, max, multi-line,
/// administrator's.
type Row<'a> = (
    &'a reqwest::Method,
    &'a str,
    Value,
    &'a str,
    &'a str,
    usize,
    bool,
    bool,
);

fn text_fields(number: &str) -> Vec<TextField> {
    let (post, put) = (reqwest::Method::POST, reqwest::Method::PUT);
    let events = format!("/api/v1/applications/{number}/events");
    let suspend = json!({"id": uuid::Uuid::now_v7().to_string(), "type": "suspended",
                          "reason": "Құжаттар жетіспейді", "occurred_at": "2026-11-20T11:00:00+05:00"});
    let reassign = json!({"id": uuid::Uuid::now_v7().to_string(), "type": "executor_changed",
                           "executor": "MIN-ALA", "executor_person": "Омаров Б.", "occurred_at": "2026-11-20T11:00:00+05:00"});
    let apps = "/api/v1/applications";
    let (orgs, services, outages) = (
        "/api/v1/organizations",
        "/api/v1/services",
        "/api/v1/outages",
    );
    let day = "/api/v1/calendar/2026-12-20";
    // (method, path, body, pointer, field, max, multi-line, administrator's)
    #[rustfmt::skip]
    let table: Vec<Row> = vec![
        (&post, apps, registration(), "/applicant/last_name", "applicant.last_name", 200, false, false),
        (&post, apps, registration(), "/applicant/first_name", "applicant.first_name", 200, false, false),
        (&post, apps, registration(), "/applicant/middle_name", "applicant.middle_name", 200, false, false),
        (&post, apps, registration(), "/executor_person", "executor_person", 200, false, false),
        (&post, apps, registration(), "/external_id", "external_id", 128, false, false),
        (&post, apps, registration(), "/term_variant", "term_variant", 64, false, false),
        (&post, &events, suspend, "/reason", "reason", 2000, true, false),
        (&post, &events, reassign, "/executor_person", "executor_person", 200, false, true),
        (&post, orgs, organization(), "/name/kk", "name.kk", 500, false, true),
        (&post, orgs, organization(), "/name/ru", "name.ru", 500, false, true),
        (&post, orgs, organization(), "/name/en", "name.en", 500, false, true),
        (&post, services, service(), "/name/kk", "name.kk", 500, false, true),
        (&post, services, service(), "/name/ru", "name.ru", 500, false, true),
        (&post, services, service(), "/name/en", "name.en", 500, false, true),
        (&post, services, service(), "/depends_on/0", "depends_on[0]", 64, false, true),
        (&post, outages, outage(), "/operator", "operator", 300, false, true),
        (&post, outages, outage(), "/description", "description", 4000, true, true),
        (&post, outages, outage(), "/systems/0", "systems[0]", 64, false, true),
        (&put, "/api/v1/outages/1", outage(), "/description", "description", 4000, true, true),
        (&put, day, calendar_day(), "/name", "name", 300, false, true),
        (&put, day, calendar_day(), "/source", "source", 500, false, true),
    ];
    table
        .into_iter()
        .map(
            |(method, path, body, at, field, max, multi_line, admin)| TextField {
                method: method.clone(),
                path: path.into(),
                body,
                at: at.into(),
                field: field.into(),
                max,
                multi_line,
                admin,
            },
        )
        .collect()
}

/// Every text field of every endpoint refuses every hostile value, the same way on both
/// backends, and stores nothing.
async fn hostile_text_is_refused_at_every_field(app: &TestApp) {
    let (token, number) = seeded(app).await;
    // The outage that PUT /api/v1/outages/1 changes.
    let (s, body) = app.post(&app.admin, "/api/v1/outages", outage()).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let before = counts(app).await;
    let history = events_of(app, &number).await;
    for f in text_fields(&number) {
        let who = if f.admin {
            app.admin.clone()
        } else {
            token.clone()
        };
        let optional = OPTIONAL.contains(&f.field.as_str());
        for bad in hostile(f.max, f.multi_line, optional) {
            let body = with(&f.body, &f.at, json!(bad.value));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            let what = format!("{} {} {}", f.path, f.field, bad.what);
            let (s, answer) = app
                .send(
                    f.method.clone(),
                    Some(&who),
                    &f.path,
                    Some(&body),
                    Some("en"),
                )
                .await;
            assert_eq!(s, status, "{what}: {answer}");
            assert_eq!(answer["error"]["code"], bad.code, "{what}: {answer}");
            assert_eq!(
                answer["error"]["field"],
                f.field.as_str(),
                "{what}: {answer}"
            );
            if let Some(shows) = &bad.shows {
                let message = answer["error"]["message"].as_str().unwrap();
                assert!(message.contains(shows), "{what}: {message}");
            }
        }
    }
    assert_eq!(counts(app).await, before, "nothing stored");
    assert_eq!(events_of(app, &number).await, history, "no event stored");
    // Messages in kk, ru and en, naming the field and the code point, never the value.
    for case in [
        (
            "/applicant/last_name",
            "Secretov\u{202E}",
            "text_bidi_control",
            "applicant.last_name",
            Some("Secretov"),
            Some("character 9 (U+202E)"),
        ),
        (
            "/applicant/first_name",
            "\u{3164}",
            "text_invisible",
            "applicant.first_name",
            None,
            None,
        ),
        (
            "/applicant/first_name",
            "Ай\u{0}бек",
            "text_control_character",
            "applicant.first_name",
            Some("Ай"),
            Some("character 3 (U+0000)"),
        ),
        (
            "/external_id",
            "e\u{FFFE}",
            "text_noncharacter",
            "external_id",
            None,
            Some("character 2 (U+FFFE)"),
        ),
        (
            "/accepted_at",
            "0001-11-20T10:00:00+05:00",
            "before_calendar",
            "accepted_at",
            None,
            Some("2020-01-01"),
        ),
        (
            "/accepted_at",
            "2026-11-20T10:00:00+25:00",
            "offset_invalid",
            "accepted_at",
            None,
            Some("+25:00"),
        ),
    ] {
        registration_refused_in_every_language(app, &token, case).await;
    }
    assert_eq!(counts(app).await, before, "nothing stored");
}

/// Kazakh, Russian, apostrophes, hyphens and combining marks are names; multi-line reasons
/// keep their lines; canonically equivalent spellings are stored as one (NFC).
async fn legitimate_text_keeps_working(app: &TestApp) {
    app.seed().await;
    let token = app.token_for(ORG).await;
    let mut body = registration();
    body["applicant"]["last_name"] = json!("  Әл-Фараби  ");
    body["applicant"]["first_name"] = json!("O'Brien");
    // Ё written as Е and a combining diaeresis: stored precomposed.
    body["applicant"]["middle_name"] = json!("Е\u{0308}лкин");
    body["executor_person"] = json!("Құрманғазы Сағырбайұлы (әғқңөұүһі)");
    body["external_id"] = json!("ext-\u{1F600}");
    let (s, app_view) = app.post(&token, "/api/v1/applications", body).await;
    assert_eq!(s, StatusCode::CREATED, "{app_view}");
    assert_eq!(app_view["applicant"]["last_name"], "Әл-Фараби");
    assert_eq!(app_view["applicant"]["first_name"], "O'Brien");
    assert_eq!(app_view["applicant"]["middle_name"], "\u{0401}лкин");
    assert_eq!(
        app_view["executor_person"],
        "Құрманғазы Сағырбайұлы (әғқңөұүһі)"
    );
    let number = app_view["number"].as_str().unwrap().to_string();
    // A name joined by ZWJ/ZWNJ or marked by an LRM is text with visible letters: accepted.
    let mut body = registration();
    body["applicant"]["iin"] = json!(iin(18));
    body["applicant"]["last_name"] = json!("می\u{200C}خواهم");
    body["applicant"]["first_name"] = json!("\u{200E}Айбек");
    body["external_id"] = json!("ext-2");
    let (s, answer) = app.post(&token, "/api/v1/applications", body).await;
    assert_eq!(s, StatusCode::CREATED, "{answer}");
    // A reason over several lines, with a tab.
    let reason = "Құжаттар жетіспейді:\r\n\t1) анықтама\n\t2) өтініш";
    let (s, ev) = app
        .event(
            &token,
            &number,
            json!({"id": uuid::Uuid::now_v7().to_string(), "type": "suspended", "reason": format!("  {reason}\n"),
                   "occurred_at": "2026-11-20T11:00:00+05:00"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ev}");
    assert_eq!(ev["reason"], reason);
    // Offsets at the ends of the real range, and a moment at the calendar's first instant.
    for (at, ext) in [
        ("2026-11-20T10:00:00+14:00", "ext-3"),
        ("2026-11-20T10:00:00-12:00", "ext-4"),
        ("2026-11-20T10:00:00+05:45", "ext-5"),
        ("2026-11-20T10:00:00Z", "ext-6"),
        ("2020-01-01T00:00:00+05:00", "ext-7"),
    ] {
        let mut body = registration();
        body["accepted_at"] = json!(at);
        body["external_id"] = json!(ext);
        let (s, answer) = app.post(&token, "/api/v1/applications", body).await;
        assert_eq!(s, StatusCode::CREATED, "{at}: {answer}");
    }
    // A body followed by whitespace is one JSON value.
    let (s, answer) = raw(
        app,
        &token,
        "/api/v1/applications",
        format!(
            "{} \r\n\t ",
            with(&registration(), "/external_id", json!("ext-8"))
        ),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{answer}");
}

/// The text of the element whose id is `id` in a page, up to its end.
fn error_at(html: &str, id: &str) -> String {
    html.split(&format!("id=\"{id}\""))
        .nth(1)
        .and_then(|s| s.split("</p>").next())
        .unwrap_or_default()
        .to_string()
}

/// The workstation's forms go through the same checks: the registration form shows the
/// reason at the field, the close and suspend forms at their reason; nothing is stored.
async fn workstation_forms_refuse_control_characters(app: &TestApp) {
    app.seed().await;
    user(app, "op.ast", UserRole::Operator, Some(ORG)).await;
    let mut b = Browser::new(app);
    b.sign_in("op.ast", PASSWORD).await;
    let page = b.get("/work/new").await;
    let (csrf, external) = (page.field("csrf"), page.field("external_id"));
    let tax_id = iin(17);
    let form = |last_name: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("external_id", external.clone()),
            ("service_code", "SVC-WD5".to_string()),
            ("tax_id", tax_id.clone()),
            ("last_name", last_name.to_string()),
            ("first_name", "Айбек".to_string()),
            ("channel", "provider".to_string()),
            ("accepted_at", "2026-11-20T10:00".to_string()),
        ]
    };
    let pairs = form("Ахме\u{1b}тов");
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let bad = b.post("/work/new", &pairs).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    let error = error_at(&bad.html, "last_name-error");
    assert!(error.contains("U+001B"), "{error}");
    let (_, list) = app.get(&app.admin, "/api/v1/applications").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    let pairs = form("Ахметов");
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let ok = b.post("/work/new", &pairs).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html);
    let number = ok
        .location
        .trim_start_matches("/work/applications/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let token = app.token_for(ORG).await;
    let mut history = events_of(app, &number).await;
    for (action, fields, id) in [
        (
            "suspend",
            vec![("reason", "Құжат\u{7}тар жоқ")],
            "suspend-reason-error",
        ),
        (
            "close",
            vec![("outcome", "refused"), ("reason", "Бас тарту\u{202E}")],
            "close-reason-error",
        ),
    ] {
        if action == "close" {
            // Closing is offered once the result is ready for issue.
            for (i, s) in [
                "sent_for_execution",
                "taken_into_work",
                "executed",
                "ready_for_issue",
            ]
            .into_iter()
            .enumerate()
            {
                let at = format!("2026-11-20T1{}:00:00+05:00", i + 1);
                let (status, body) = app.event(&token, &number, stage(s, &at)).await;
                assert_eq!(status, StatusCode::CREATED, "{body}");
                history += 1;
            }
        }
        let page = b.get(&format!("/work/applications/{number}")).await;
        let (csrf, event_id) = (page.field("csrf"), page.field("event_id"));
        let mut form = vec![("csrf", csrf.as_str()), ("event_id", event_id.as_str())];
        form.extend(fields);
        let bad = b
            .post(&format!("/work/applications/{number}/{action}"), &form)
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
        let error = error_at(&bad.html, id);
        assert!(error.contains("U+"), "{action}: {error} in {}", bad.html);
        assert_eq!(events_of(app, &number).await, history, "no event stored");
    }
    assert_eq!(events_of(app, &number).await, history, "no event stored");
}

/// The administrator's token form takes its label through the same checks.
async fn a_token_label_is_checked(app: &TestApp) {
    app.seed().await;
    user(app, "admin", UserRole::Administrator, None).await;
    let mut b = Browser::new(app);
    b.sign_in("admin", PASSWORD).await;
    let before = app.store.tokens().await.unwrap().len();
    let csrf = b.csrf("/admin/tokens").await;
    for (label, status, stored) in [
        ("ops\u{202E}", StatusCode::UNPROCESSABLE_ENTITY, 0),
        ("  Әкімдік жүйесі ", StatusCode::OK, 1),
    ] {
        let form = [("csrf", csrf.as_str()), ("admin", "on"), ("label", label)];
        let page = b.post("/admin/tokens", &form).await;
        assert_eq!(page.status, status, "{}", page.html);
        if stored == 0 {
            assert!(page.html.contains("U+202E"), "{}", page.html);
        }
        assert_eq!(app.store.tokens().await.unwrap().len(), before + stored);
    }
    let tokens = app.store.tokens().await.unwrap();
    assert!(tokens.iter().any(|t| t.label == "Әкімдік жүйесі"));
}

both!(
    a_token_label_is_checked,
    hostile_text_is_refused_at_every_field,
    legitimate_text_keeps_working,
    workstation_forms_refuse_control_characters,
);
