//! The workstation's own answers outside its routes (issue 16, B.10), on both backends: an
//! unknown address is a 404 page in the user's language (the session's, else the language
//! cookie's, else Accept-Language, Kazakh by default) with the way home, while an unknown
//! address under `/api/` keeps the API's JSON error; the icon is served like the other assets.

use crate::both;
use crate::browser::{user, Browser, PASSWORD};
use crate::support::TestApp;
use qyzmet_store::UserRole;
use reqwest::StatusCode;
use serde_json::Value;

/// A GET of `path` with these headers, redirects not followed.
async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut req = client.get(app.url(path));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

/// Asserts a 404 page in `lang` (its title `title`) and returns its HTML.
async fn not_found_page(resp: reqwest::Response, lang: &str, title: &str) -> String {
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let kind = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("text/html"), "{kind}");
    // A page like the others: its security headers too.
    assert!(resp.headers().contains_key("content-security-policy"));
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let html = resp.text().await.unwrap();
    assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
    assert!(html.contains("data-testid=\"not-found\""), "{html}");
    assert!(html.contains(&format!("<h1>{title}</h1>")), "{html}");
    assert!(html.contains("<a href=\"/\">"), "the way home: {html}");
    assert!(html.contains("/assets/favicon.svg"), "the icon is linked");
    html
}

async fn unknown_pages_answer_in_the_users_language(app: &TestApp) {
    app.seed().await;
    // A visitor: Accept-Language, Kazakh without one (and for a language the system lacks).
    for (accept, lang, title) in [
        (None, "kk", "Табылмады"),
        (Some("de-DE,de;q=0.9"), "kk", "Табылмады"),
        (Some("ru-RU,ru;q=0.9,en;q=0.5"), "ru", "Не найдено"),
        (Some("en-GB,en;q=0.8"), "en", "Not found"),
    ] {
        for path in [
            "/nowhere",
            "/work/applications/1/nothing/here",
            "/assets/x/y",
        ] {
            let headers: Vec<(&str, &str)> = accept
                .map(|a| vec![("accept-language", a)])
                .unwrap_or_default();
            let html = not_found_page(get(app, path, &headers).await, lang, title).await;
            assert!(
                !html.contains("data-testid=\"user\""),
                "nobody is signed in"
            );
        }
    }
    // The language chosen before signing in outweighs the header.
    let resp = get(
        app,
        "/nowhere",
        &[("cookie", "qyzmet_lang=en"), ("accept-language", "ru")],
    )
    .await;
    not_found_page(resp, "en", "Not found").await;

    // A signed-in user: the language of the account, with the header of the workstation.
    user(app, "op.404", UserRole::Operator, Some("MIN-AST")).await;
    let mut b = Browser::new(app);
    b.sign_in("op.404", PASSWORD).await;
    let csrf = b.csrf("/work").await;
    b.post(
        "/account/language",
        &[("csrf", &csrf), ("lang", "en"), ("back", "/work")],
    )
    .await;
    let cookie = b
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let resp = get(
        app,
        "/work/nothing",
        &[("cookie", &cookie), ("accept-language", "ru")],
    )
    .await;
    let html = not_found_page(resp, "en", "Not found").await;
    assert!(html.contains("data-testid=\"user\">op.404<"), "{html}");
    // A POST to no route is no different.
    let page = b.post("/nowhere", &[("csrf", &csrf)]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.html.contains("<html lang=\"en\">"));
    // A form's address opened as a link: 405 with the methods it takes, as the same page.
    let resp = get(
        app,
        "/sign-out",
        &[("cookie", &cookie), ("accept-language", "ru")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(resp.headers()["allow"], "POST");
    let html = resp.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(html.contains("data-testid=\"not-found\""), "{html}");
    let resp = get(app, "/account/language", &[("accept-language", "ru")]).await;
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    let html = resp.text().await.unwrap();
    assert!(html.contains("<html lang=\"ru\">"), "{html}");
}

async fn unknown_api_routes_keep_the_json_error(app: &TestApp) {
    app.seed().await;
    for (path, accept, message) in [
        ("/api/v1/nothing", "ru", "ничего не найдено"),
        ("/api/v2/applications", "en", "Nothing was found"),
        ("/api", "en", "Nothing was found"),
        ("/api/", "kk", "ештеңе табылмады"),
    ] {
        let resp = get(app, path, &[("accept-language", accept)]).await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
        let kind = resp.headers()["content-type"].to_str().unwrap().to_string();
        assert!(kind.starts_with("application/json"), "{path}: {kind}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found", "{path}: {body}");
        let text = body["error"]["message"].as_str().unwrap_or_default();
        assert!(text.contains(message), "{path}: {body}");
    }
    // A wrong method on an API route is still the API's.
    let resp = reqwest::Client::new()
        .delete(app.url("/api/v1/applications"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

async fn the_icon_is_served_and_cached(app: &TestApp) {
    for path in ["/assets/favicon.svg", "/favicon.ico"] {
        let resp = get(app, path, &[]).await;
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        assert_eq!(resp.headers()["content-type"], "image/svg+xml", "{path}");
        assert_eq!(
            resp.headers()["cache-control"],
            "public, max-age=86400",
            "{path}"
        );
        assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
        let body = resp.text().await.unwrap();
        assert!(body.starts_with("<svg "), "{path}: {body}");
        assert!(!body.contains("<script"), "{path}");
    }
    let sign_in = get(app, "/sign-in", &[]).await.text().await.unwrap();
    assert!(
        sign_in.contains("<link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">"),
        "{sign_in}"
    );
}

both!(
    unknown_pages_answer_in_the_users_language,
    unknown_api_routes_keep_the_json_error,
    the_icon_is_served_and_cached,
);
