//! Receipts' seals through the public API (001 §15.5–6, ADR 0021), on both backends: the key
//! is published; the text of a genuine receipt's QR code is checked as genuine with its fields;
//! one with a changed issue date, one sealed by another key and text that is no receipt are
//! told apart; no token is needed; a text beyond the limit is refused by its field.

use crate::support::TestApp;
use qyzmet_domain::front_office::receipt::{ReceiptKind, Sealed, VERSION};
use qyzmet_signature::{sealed_token, SealKey};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn line(issue: &str) -> String {
    Sealed {
        id: "2f6c1a52-0c0e-4a57-9a52-2b8a3b1f0a11".into(),
        kind: ReceiptKind::Refusal,
        application: None,
        applied_at: "2026-12-07T05:10:42Z".parse().unwrap(),
        issue_date: Some(issue.parse().unwrap()),
        office: "AST-01".into(),
        accepted: vec!["id".into()],
        missing: vec!["application".into()],
    }
    .line()
    .unwrap()
}

async fn check(app: &TestApp, token: &str) -> (StatusCode, Value) {
    app.send(
        Method::POST,
        None,
        "/api/v1/public/receipts/check",
        Some(&json!({ "token": token })),
        Some("ru"),
    )
    .await
}

async fn a_receipts_seal_is_checked_by_anyone(app: &TestApp) {
    let (s, key) = app
        .send(Method::GET, None, "/api/v1/public/receipts/key", None, None)
        .await;
    assert_eq!(s, StatusCode::OK, "{key}");
    // The server's own key, as the file it keeps holds it.
    let server = SealKey::load(&app.config.ledger_key_file).unwrap();
    assert_eq!(key["key_id"], server.key_id());
    assert!(key["public_key_pem"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN PUBLIC KEY-----"));

    let genuine = sealed_token::seal(&server, VERSION, &line("2026-12-22")).unwrap();
    let (s, v) = check(app, &genuine).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["genuine"], true, "{v}");
    assert_eq!(v["receipt"]["kind"], "refusal");
    assert_eq!(v["receipt"]["issue_date"], "2026-12-22");
    assert_eq!(v["receipt"]["missing"], json!(["application"]));

    // The issue date changed under the genuine signature.
    let other_line = sealed_token::seal(&server, VERSION, &line("2026-12-10")).unwrap();
    let forged = format!(
        "{VERSION}.{}.{}",
        other_line.split('.').nth(1).unwrap(),
        genuine.rsplit('.').next().unwrap()
    );
    for (token, reason) in [
        (forged, "altered"),
        (
            sealed_token::seal(&SealKey::generate().unwrap(), VERSION, &line("2026-12-22"))
                .unwrap(),
            "altered",
        ),
        ("hello".to_string(), "not_a_receipt"),
    ] {
        let (s, v) = check(app, &token).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["genuine"].as_bool(), v["reason"].as_str()),
            (Some(false), Some(reason)),
            "{v}"
        );
        assert!(v["receipt"].is_null());
    }
    let (s, e) = check(app, &"x".repeat(2001)).await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("token")),
        "{e}"
    );
    assert!(
        e["error"]["message"].as_str().unwrap().contains("2000"),
        "{e}"
    );
}

/// The public page `/verify`: a genuine receipt's fields in the reader's language, a changed
/// one told as such; no sign-in.
async fn the_verify_page_tells_a_genuine_receipt_from_an_altered_one(app: &TestApp) {
    let page = |lang: &'static str| async move {
        let resp = app
            .client
            .get(app.url(&format!("/verify?lang={lang}")))
            .send()
            .await
            .unwrap();
        (resp.status(), resp.text().await.unwrap())
    };
    let (s, html) = page("kk").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Қолхатты тексеру"), "{html}");
    let server = SealKey::load(&app.config.ledger_key_file).ok();
    // The key is made on first use: ask for it once, then read it.
    let (s, _) = app
        .send(Method::GET, None, "/api/v1/public/receipts/key", None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let server = server.unwrap_or_else(|| SealKey::load(&app.config.ledger_key_file).unwrap());
    let genuine = sealed_token::seal(&server, VERSION, &line("2026-12-22")).unwrap();
    let post = |token: String| async move {
        let resp = app
            .client
            .post(app.url("/verify"))
            .header("Accept-Language", "ru")
            .form(&[("token", token)])
            .send()
            .await
            .unwrap();
        (resp.status(), resp.text().await.unwrap())
    };
    let (s, html) = post(genuine.clone()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("data-testid=\"verify-genuine\""), "{html}");
    assert!(html.contains("Расписка подлинная"), "{html}");
    assert!(html.contains("2026-12-22"), "{html}");
    assert!(html.contains("об отказе в приёме документов"), "{html}");
    // The date changed under the genuine signature.
    let changed = sealed_token::seal(&server, VERSION, &line("2026-12-10")).unwrap();
    let forged = format!(
        "{VERSION}.{}.{}",
        changed.split('.').nth(1).unwrap(),
        genuine.rsplit('.').next().unwrap()
    );
    let (s, html) = post(forged).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("data-testid=\"verify-refused\""), "{html}");
    assert!(html.contains("Расписка не подлинная"), "{html}");
    assert!(!html.contains("verify-genuine\""), "{html}");
    let (_, html) = post("hello".into()).await;
    assert!(html.contains("Это не QR-код расписки qyzmet"), "{html}");
}

crate::both!(
    a_receipts_seal_is_checked_by_anyone,
    the_verify_page_tells_a_genuine_receipt_from_an_altered_one,
);
