//! docs/signatures.md, run as written: its shell blocks of section 2 sign events with the
//! openssl CLI and send them with curl to a real server, and both are recorded as signed.

use crate::support::TestApp;
use reqwest::StatusCode;

/// The ```sh blocks of the guide's section 2 ("Signing with openssl"), in order.
fn signing_blocks() -> Vec<String> {
    let guide = include_str!("../../../../docs/signatures.md");
    let start = guide.find("## 2.").expect("section 2");
    let end = guide.find("## 3.").expect("section 3");
    let mut blocks = vec![];
    let mut rest = &guide[start..end];
    while let Some(at) = rest.find("```sh\n") {
        let body = &rest[at + 6..];
        let close = body.find("```").expect("closed block");
        blocks.push(body[..close].to_string());
        rest = &body[close + 3..];
    }
    blocks
}

async fn the_guide_signs_events_that_are_accepted(app: &TestApp) {
    let f = crate::signatures::fixture();
    let token = crate::signatures::setup(app, "required").await;
    let (s, reg) = app
        .post(
            &token,
            "/api/v1/applications",
            crate::signatures::attached(&f.pki, &f.good, &crate::signatures::registration()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{reg}");
    let number = reg["number"].as_str().unwrap().to_string();

    let blocks = signing_blocks();
    assert_eq!(blocks.len(), 3, "event, attached, detached: {blocks:?}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&f.good.cert, dir.path().join("me.crt")).unwrap();
    std::fs::copy(&f.good.key, dir.path().join("me.key")).unwrap();
    std::fs::copy(f.pki.intermediate(), dir.path().join("nca.crt")).unwrap();
    let script = format!("set -euo pipefail\n{}", blocks.join("\n"));
    let (dir_path, base, num, tok) = (
        dir.path().to_path_buf(),
        app.base.clone(),
        number.clone(),
        token.clone(),
    );
    // The server answers on this runtime: the commands run on a blocking thread.
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(dir_path)
            .env("QYZMET_URL", base)
            .env("QYZMET_TOKEN", tok)
            .env("NUMBER", num)
            .env("EMPLOYEE_IIN", crate::signatures::employee())
            .output()
            .expect("bash")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the guide's commands failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, detail) = app
        .get(&token, &format!("/api/v1/applications/{number}"))
        .await;
    let forms: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["signature"]["form"].as_str().unwrap_or("unsigned"))
        .collect();
    assert_eq!(forms, ["attached", "detached"], "{detail}");
    assert_eq!(detail["stage"], "taken_into_work");
}

crate::both!(with configure; the_guide_signs_events_that_are_accepted);

use crate::signatures::configure;

/// The OpenAPI document against the router and the handlers (issue 15, finding 7): every
/// route is documented and nothing else is, parameters are where the handlers read them, and
/// every operation lists the answers its extractors can give.
mod contract {
    use crate::support::TestApp;
    use qyzmet_server::config::Config;
    use reqwest::{Method, StatusCode};
    use serde_json::{json, Value};
    use std::collections::{BTreeMap, BTreeSet};

    /// Routes that are not the provider API's, each with why the document leaves it out.
    const NOT_IN_THE_DOCUMENT: [(&str, &str); 2] = [
        ("/api/openapi.json", "the document itself"),
        ("/api/docs", "the document as a page"),
    ];

    /// The paths the router serves, read from its `Debug` form (axum has no other way to list
    /// them). A change of that form fails the first assertion instead of passing silently.
    fn router_paths() -> BTreeSet<String> {
        let debug = format!("{:?}", qyzmet_server::routes());
        let mut paths = BTreeSet::new();
        let mut rest = debug.as_str();
        while let Some(at) = rest.find("\"/") {
            let tail = &rest[at + 1..];
            let end = tail.find('"').expect("closing quote");
            let path = &tail[..end];
            if !path.contains("__private__axum") {
                paths.insert(path.to_string());
            }
            rest = &tail[end..];
        }
        assert!(
            paths.contains("/api/v1/applications") && paths.contains("/healthz"),
            "the router's paths could not be read from its Debug form: {paths:?}"
        );
        paths
    }

    /// The routes the document must describe: the API and the operations endpoints, not the
    /// workstation's pages (HTML for browsers, tested by the browser suite).
    fn api_paths() -> BTreeSet<String> {
        router_paths()
            .into_iter()
            .filter(|p| {
                p.starts_with("/api/") || ["/healthz", "/readyz", "/metrics"].contains(&p.as_str())
            })
            .filter(|p| !NOT_IN_THE_DOCUMENT.iter().any(|(n, _)| n == p))
            .collect()
    }

    /// A concrete path for a template: each parameter gets a well-formed value.
    fn concrete(template: &str) -> String {
        template
            .replace("{code}", "X")
            .replace("{number}", "4037-5249-7754-3")
            .replace("{date}", "2026-01-01")
            .replace("{id}", "1")
    }

    async fn document(app: &TestApp) -> Value {
        let (s, doc) = app
            .send(Method::GET, None, "/api/openapi.json", None, None)
            .await;
        assert_eq!(s, StatusCode::OK);
        doc
    }

    /// The methods a 405 says the address serves, lowercase.
    fn allowed(resp: &reqwest::Response) -> BTreeSet<String> {
        resp.headers()
            .get("allow")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .split(',')
            .map(|m| m.trim().to_ascii_lowercase())
            .filter(|m| !m.is_empty())
            .collect()
    }

    const METHODS: [&str; 4] = ["get", "put", "post", "delete"];

    /// (path, method) → operation.
    fn operations(doc: &Value) -> BTreeMap<(String, String), Value> {
        let mut ops = BTreeMap::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("path item") {
                assert!(METHODS.contains(&method.as_str()), "{method} {path}");
                ops.insert((path.clone(), method.clone()), op.clone());
            }
        }
        ops
    }

    async fn every_route_is_documented_and_every_documented_operation_is_routed(app: &TestApp) {
        let doc = document(app).await;
        let documented: BTreeSet<String> =
            doc["paths"].as_object().unwrap().keys().cloned().collect();
        let routed = api_paths();
        assert_eq!(
            routed.difference(&documented).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "routes without documentation"
        );
        assert_eq!(
            documented.difference(&routed).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "documented paths the router does not serve"
        );
        // The methods of each path: a method no route has is answered 405 with the methods
        // the path does serve (RFC 9110 §15.5.6).
        let probe = Method::from_bytes(b"PROBE").unwrap();
        for path in &routed {
            let resp = app
                .client
                .request(probe.clone(), app.url(&concrete(path)))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
            let mut allow = allowed(&resp);
            allow.remove("head");
            let body: Value = resp.json().await.unwrap();
            assert_eq!(
                body["error"]["code"], "method_not_allowed",
                "{path}: {body}"
            );
            let documented: BTreeSet<String> = doc["paths"][path]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            assert_eq!(
                allow, documented,
                "{path}: served methods vs documented ones"
            );
        }
    }

    fn statuses(op: &Value) -> BTreeSet<String> {
        op["responses"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    }

    async fn every_operation_documents_what_its_extractors_answer(app: &TestApp) {
        let doc = document(app).await;
        for ((path, method), op) in operations(&doc) {
            let name = format!("{} {path}", method.to_uppercase());
            let got = statuses(&op);
            let has = |s: &str| got.contains(s);
            let secured = op.get("security").is_some();
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            if secured {
                assert!(
                    has("401") && has("503"),
                    "{name}: a token is looked up: {got:?}"
                );
            }
            if op.get("requestBody").is_some() {
                assert_eq!(op["requestBody"]["required"], true, "{name}");
                for s in ["400", "413", "415", "422"] {
                    assert!(has(s), "{name} reads a JSON body: {s} missing from {got:?}");
                }
            }
            if !params.is_empty() {
                assert!(
                    has("422"),
                    "{name} has parameters: 422 missing from {got:?}"
                );
            }
            // Path parameters are exactly the template's, each with its constraint.
            let template: BTreeSet<String> = path
                .split('/')
                .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
                .map(str::to_string)
                .collect();
            let in_path: BTreeSet<String> = params
                .iter()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(template, in_path, "{name}: path parameters");
            for p in &params {
                let at = p["in"].as_str().unwrap();
                assert!(at == "path" || at == "query", "{name}: {p}");
                if at == "path" {
                    let schema = &p["schema"];
                    assert!(
                        schema.get("pattern").is_some()
                            || schema.get("format").is_some()
                            || schema.get("enum").is_some(),
                        "{name}: path parameter without its constraint: {p}"
                    );
                } else {
                    assert!(
                        !p["schema"]["type"]
                            .as_array()
                            .is_some_and(|t| t.contains(&json!("null"))),
                        "{name}: a query parameter cannot be null: {p}"
                    );
                }
            }
            if !path.starts_with("/api/") {
                continue;
            }
            // Every error is the JSON error.
            for (status, resp) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    assert_eq!(
                        resp["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ErrorBody",
                        "{name} {status}"
                    );
                }
            }
            // What a request without a token gets is what the document says.
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let resp = app
                .client
                .request(m.clone(), app.url(&concrete(&path)))
                .send()
                .await
                .unwrap();
            if secured {
                assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{name}");
            } else {
                assert_ne!(resp.status(), StatusCode::UNAUTHORIZED, "{name}");
            }
            // A required query parameter is required: without any, the first missing one is
            // named.
            let required: Vec<&str> = params
                .iter()
                .filter(|p| p["in"] == "query" && p["required"] == true)
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            if method == "get" {
                // With every required one given (a well-formed value each) and without one of
                // them, that one is named; with all of them, none is said to be required.
                let sample = |p: &&Value| {
                    let schema = &p["schema"];
                    let v = match (schema["type"].as_str(), schema["format"].as_str()) {
                        (Some("integer"), _) => schema["minimum"].as_i64().unwrap_or(1).to_string(),
                        (_, Some("date-time")) => "2026-01-05T10:00:00+05:00".into(),
                        _ if p["name"] == "month" => "2026-01".into(),
                        _ if p["name"] == "unit" => "hours".into(),
                        _ => "x".into(),
                    };
                    format!("{}={v}", p["name"].as_str().unwrap())
                };
                let given: Vec<&Value> = params
                    .iter()
                    .filter(|p| p["in"] == "query" && p["required"] == true)
                    .collect();
                for skip in 0..=given.len() {
                    let query: Vec<String> = given
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != skip)
                        .map(|(_, p)| sample(p))
                        .collect();
                    let (_, body) = app
                        .send(
                            m.clone(),
                            Some(&app.admin),
                            &format!("{}?{}", concrete(&path), query.join("&")),
                            None,
                            Some("en"),
                        )
                        .await;
                    let said_required = body["error"]["code"] == "required";
                    assert_eq!(
                        said_required,
                        skip < given.len(),
                        "{name} without #{skip}: {body}"
                    );
                    if let Some(p) = given.get(skip) {
                        assert_eq!(body["error"]["field"], p["name"], "{name}: {body}");
                    }
                }
            }
            if !required.is_empty() && method == "get" {
                let (s, body) = app
                    .send(
                        m.clone(),
                        Some(&app.admin),
                        &concrete(&path),
                        None,
                        Some("en"),
                    )
                    .await;
                assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
                assert_eq!(body["error"]["code"], "required", "{name}: {body}");
                let field = body["error"]["field"].as_str().unwrap();
                assert!(required.contains(&field), "{name}: {field} vs {required:?}");
            }
            // And a query parameter the document does not declare is refused.
            if params.iter().any(|p| p["in"] == "query") && method == "get" {
                let (s, body) = app
                    .send(
                        m,
                        Some(&app.admin),
                        &format!("{}?undocumented=1", concrete(&path)),
                        None,
                        Some("en"),
                    )
                    .await;
                assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
            }
        }
    }

    async fn path_parameter_errors_are_the_json_error(app: &TestApp) {
        let outage = json!({"started_at": "2026-01-01T10:00:00+05:00", "all_systems": true,
                            "operator": "NIT", "description": "down"});
        let cases = [
            (Method::PUT, "/api/v1/outages/abc", Some(&outage), "id"),
            (
                Method::PUT,
                "/api/v1/outages/99999999999999999999",
                Some(&outage),
                "id",
            ),
            (Method::GET, "/api/v1/applications/%FF", None, "number"),
            (Method::GET, "/api/v1/organizations/%C0%AF", None, "code"),
            (Method::DELETE, "/api/v1/calendar/%FE", None, "date"),
        ];
        for (method, path, body, field) in cases {
            for (lang, word) in [("en", "parameter"), ("ru", "Параметр"), ("kk", "параметрі")]
            {
                let (s, answer) = app
                    .send(method.clone(), Some(&app.admin), path, body, Some(lang))
                    .await;
                assert_eq!(
                    s,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{method} {path}: {answer}"
                );
                assert_eq!(answer["error"]["code"], "path_invalid", "{path}: {answer}");
                assert_eq!(answer["error"]["field"], field, "{path}: {answer}");
                let message = answer["error"]["message"].as_str().unwrap();
                assert!(
                    message.contains(word) && message.contains(field),
                    "{lang}: {message}"
                );
            }
        }
        // A malformed application number or code finds nothing, as a mistyped one does.
        for path in [
            "/api/v1/applications/12ab",
            "/api/v1/organizations/-x-",
            "/api/v1/services/%20/quality?year=2026",
        ] {
            let (s, answer) = app.get(&app.admin, path).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {answer}");
            assert!(
                answer["error"]["code"]
                    .as_str()
                    .unwrap()
                    .ends_with("_not_found"),
                "{answer}"
            );
        }
    }

    /// A small body limit, so that a body over it is cheap to send.
    fn small_body_limit(c: &mut Config) {
        c.body_limit_bytes = 4096;
    }

    async fn the_frameworks_own_rejections_are_the_json_error(app: &TestApp) {
        // Method not allowed, with the methods that are.
        let resp = app
            .client
            .patch(app.url("/api/v1/applications"))
            .bearer_auth(&app.admin)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(
            allowed(&resp),
            BTreeSet::from(["get", "head", "post"].map(String::from))
        );
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"]["code"], "method_not_allowed");
        // No such address.
        let (s, body) = app.get(&app.admin, "/api/v1/nothing").await;
        assert_eq!(
            (s, &body["error"]["code"]),
            (StatusCode::NOT_FOUND, &json!("not_found"))
        );
        // No content type.
        let resp = app
            .client
            .post(app.url("/api/v1/outages"))
            .bearer_auth(&app.admin)
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"]["code"], "json_required");
        // Too large.
        let big = json!({"description": "x".repeat(8192)});
        let (s, body) = app.post(&app.admin, "/api/v1/outages", big).await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert_eq!(body["error"]["code"], "payload_too_large");
        // A query string that is not one.
        let (s, body) = app.get(&app.admin, "/api/v1/applications?limit=x").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], "limit");
    }

    /// The batch's `maxItems` is the node's configured limit.
    fn batch_of_five(c: &mut Config) {
        c.batch_limit = 5;
    }

    async fn the_batch_limit_in_the_document_is_the_configured_one(app: &TestApp) {
        let doc = document(app).await;
        let events = &doc["components"]["schemas"]["BatchRequest"]["properties"]["events"];
        assert_eq!(
            (events["minItems"].clone(), events["maxItems"].clone()),
            (json!(1), json!(5))
        );
    }

    crate::both!(
        every_route_is_documented_and_every_documented_operation_is_routed,
        every_operation_documents_what_its_extractors_answer,
        path_parameter_errors_are_the_json_error
    );

    mod small_bodies {
        use super::small_body_limit as configure;
        use super::the_frameworks_own_rejections_are_the_json_error;
        crate::both!(with configure; the_frameworks_own_rejections_are_the_json_error);
    }

    mod batch_limit {
        use super::batch_of_five as configure;
        use super::the_batch_limit_in_the_document_is_the_configured_one;
        crate::both!(with configure; the_batch_limit_in_the_document_is_the_configured_one);
    }
}
