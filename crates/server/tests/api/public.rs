//! What anyone may see without signing in (issue 17), on both backends, through the real
//! server: the status of an application by its number and the applicant's IIN/BIN (the same
//! 404 for a wrong IIN, a mistyped number and an unknown one; no name in the answer; limited
//! per client; audited without the IIN), and the public catalogue of services with a
//! published passport (search forgiving of endings, filters, a service's page).

use super::passports::complete_passport;
use crate::support::{iin, TestApp};
use qyzmet_server::config::Config;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Lookups a minute from one client in these tests.
const LOOKUPS: u32 = 6;

fn few_lookups(c: &mut Config) {
    c.status_lookups_per_client_per_minute = LOOKUPS;
}

async fn lookup(app: &TestApp, number: &str, id: &str, lang: &str) -> (StatusCode, Value) {
    app.send(
        Method::GET,
        None,
        &format!("/api/v1/public/status?number={number}&iin={id}"),
        None,
        Some(lang),
    )
    .await
}

async fn the_status_is_told_to_the_number_and_iin_together(app: &TestApp) {
    app.seed().await;
    let own = app.token_for("MIN").await;
    let registered = app
        .register(
            &own,
            "SVC-WD5",
            "MIN-AST",
            &jiff::Timestamp::now().to_string(),
        )
        .await;
    let number = registered["number"].as_str().unwrap().to_string();
    let applicant = iin(17);

    let (s, found) = lookup(
        app,
        registered["number_formatted"].as_str().unwrap(),
        &applicant,
        "ru",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{found}");
    assert_eq!(found["service_code"], "SVC-WD5");
    assert_eq!(found["stage"], "accepted");
    assert_eq!(found["next_step"], "wait");
    assert_eq!(found["office_code"], "MIN-AST");
    assert_eq!(found["planned_date"], registered["planned_date"]);
    assert_eq!(found["number"], registered["number_formatted"]);
    let text = found.to_string();
    for personal in ["Ахметов", "Айбек", applicant.as_str()] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
    assert!(
        found["stage_name"].as_str().unwrap().starts_with("Принят"),
        "{found}"
    );

    // A wrong IIN, a mistyped number and an unknown number: one answer.
    let mistyped = format!(
        "{}{}",
        &number[..12],
        (number.as_bytes()[12] - b'0' + 1) % 10
    );
    let (s1, wrong_iin) = lookup(app, &number, &iin(18), "en").await;
    let (s2, wrong_number) = lookup(app, &mistyped, &applicant, "en").await;
    let (s3, unknown) = lookup(app, "0000000000000", &applicant, "en").await;
    for (s, body) in [(s1, &wrong_iin), (s2, &wrong_number), (s3, &unknown)] {
        assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body, &wrong_iin, "the same answer");
        assert_eq!(body["error"]["code"], "status_not_found");
    }
    // The shape of what was typed is explained.
    let (s, e) = lookup(app, "12345", &applicant, "en").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "number");
    let (s, e) = lookup(app, &number, "12", "en").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "iin");

    // Every lookup audited, by number, without the IIN.
    let audit = app
        .store
        .audit_of(&format!("application:{number}"), 50)
        .await
        .unwrap();
    let lookups: Vec<&str> = audit
        .iter()
        .filter(|e| e.action == "application.status_lookup")
        .map(|e| e.detail.as_str())
        .collect();
    assert_eq!(lookups, vec!["found", "not found"], "{audit:?}");
    for e in &audit {
        assert!(!e.detail.contains(&applicant) && !e.subject.contains(&applicant));
    }

    // Limited per client: the six lookups so far were the minute's budget.
    let (s, e) = lookup(app, &number, &applicant, "en").await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{e}");
    assert_eq!(e["error"]["code"], "too_many_lookups");
    let resp = app
        .client
        .get(app.url(&format!(
            "/api/v1/public/status?number={number}&iin={applicant}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1, "{retry}");
    // The workstation's page says the same in words.
    let page = app
        .client
        .post(app.url("/status"))
        .header("Accept-Language", "ru")
        .form(&[("number", number.as_str()), ("iin", applicant.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Слишком много запросов"));
}

async fn html(app: &TestApp, path: &str) -> (StatusCode, String) {
    let r = app.client.get(app.url(path)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn the_catalogue_lists_services_with_a_passport_in_force(app: &TestApp) {
    app.seed().await;
    // No passport published yet: nothing listed, and a service's page is 404.
    let (s, page) = html(app, "/services?lang=en").await;
    assert_eq!(s, StatusCode::OK);
    assert!(!page.contains("data-service=\"SVC-WD5\""), "{page}");
    let (s, _) = html(app, "/services/SVC-WD5").await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let (s, d) = app
        .send(
            Method::PUT,
            Some(&app.admin),
            "/api/v1/services/SVC-WD5/passport",
            Some(&json!({"passport": complete_passport("MIN")})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let (s, p) = app
        .post(
            &app.admin,
            "/api/v1/services/SVC-WD5/passport/publish",
            json!({"revision": d["revision"], "approving_act": "Order No. 1"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");

    // Published: listed at once (the node's copy follows the stamp), found by a word of its
    // name with another ending, in any language, and kept out by a filter it fails.
    let (_, name) = app.get(&app.admin, "/api/v1/services?limit=500").await;
    let svc = name["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "SVC-WD5")
        .unwrap()
        .clone();
    let (_, page) = html(app, "/services").await;
    assert!(page.contains("data-service=\"SVC-WD5\""), "listed: {page}");
    let word = svc["name"]["ru"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let (_, found) = html(app, &format!("/services?q={word}")).await;
    assert!(
        found.contains("data-service=\"SVC-WD5\""),
        "found by {word}"
    );
    // A page number that means nothing is the first page; one past the end is the last.
    for q in [
        "/services?page=abc",
        "/services?page=999",
        "/services?page=-1",
    ] {
        let (s, page) = html(app, q).await;
        assert_eq!(s, StatusCode::OK, "{q}");
        assert!(page.contains("data-service=\"SVC-WD5\""), "{q}");
    }
    let (_, none) = html(app, "/services?q=квантовая+телепортация").await;
    assert!(
        !none.contains("data-service="),
        "nothing for an unknown name"
    );
    let (_, by_org) = html(app, "/services?organization=AKIM").await;
    assert!(
        !by_org.contains("data-service=\"SVC-WD5\""),
        "another organization's"
    );
    let (_, archives) = html(app, "/services?situation=archives").await;
    assert!(
        archives.contains("data-service=\"SVC-WD5\""),
        "its life situation"
    );
    let (_, health) = html(app, "/services?situation=health").await;
    assert!(!health.contains("data-service=\"SVC-WD5\""), "not another");

    // The service's page: what to bring (not what comes from a state database), the grounds
    // for refusal, how to complain.
    let (s, page) = html(app, "/services/SVC-WD5?lang=ru").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("заявление (рус.)"), "the document to bring");
    assert!(page.contains("data-testid=\"from-systems\""), "{page}");
    assert!(
        page.contains("недостоверные сведения (рус.)"),
        "the ground for refusal"
    );
    assert!(
        page.contains("талон с датой ответа (рус.)"),
        "the complaint's acknowledgement"
    );
    let (_, kk) = html(app, "/services/SVC-WD5?lang=kk").await;
    assert!(kk.contains("заявление (қаз.)"), "in Kazakh");
}

crate::both!(with few_lookups; the_status_is_told_to_the_number_and_iin_together);

mod catalogue {
    crate::both!(the_catalogue_lists_services_with_a_passport_in_force);
    use super::the_catalogue_lists_services_with_a_passport_in_force;
}
