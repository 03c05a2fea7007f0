//! The documentation against what it documents: docs/signatures.md run as written (its shell
//! blocks of section 2 sign events with the openssl CLI and send them with curl to a real
//! server, and both are recorded as signed); every regulation clause the repository cites
//! described in docs/regulations.md; the OpenAPI document against the router. (README's API
//! quick start runs in the command's suite, `crates/cli/tests/readme.rs`, beside the binary
//! and its demo data.)

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

    const METHODS: [&str; 5] = ["get", "put", "patch", "post", "delete"];

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
                assert!(
                    at == "path" || at == "query" || at == "header",
                    "{name}: {p}"
                );
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
                        "{name}: a query or header parameter cannot be null: {p}"
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

/// Every clause of a regulation cited anywhere in the repository (`000 §6`, `003 §7(2)`,
/// `000 §7, §9–10`) has a heading in docs/regulations.md (issue 16, A.5), so that a clone has
/// no dangling reference; and the documentation no longer sends the reader outside the
/// repository for them.
mod regulations {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    /// A regulation's number (`000`…) and a top-level clause.
    type Clause = (String, u32);

    /// The clauses cited in `text`, each with the byte offset of its `§`. A citation is a
    /// regulation's three digits, a space and `§`, then a clause or a range (`10–11`, `6-8`)
    /// with any sub-items (`.5`, `(2)(3)`); `, §9` / ` and §9` / `/§9` right after it cite
    /// more clauses of the same regulation.
    fn citations(text: &str) -> Vec<(Clause, usize)> {
        let mut found = vec![];
        // The regulation of the citation that ended at this offset, for `, §…` after it.
        let mut previous: Option<(String, usize)> = None;
        for (at, _) in text.match_indices('§') {
            let before = &text[..at];
            let regulation = before
                .strip_suffix(' ')
                .filter(|b| b.len() >= 3 && b.is_char_boundary(b.len() - 3))
                .and_then(|b| {
                    let (head, digits) = b.split_at(b.len() - 3);
                    let standalone = head
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric());
                    (digits.bytes().all(|d| d.is_ascii_digit()) && standalone)
                        .then(|| digits.to_string())
                })
                .or_else(|| {
                    let (reg, end) = previous.as_ref()?;
                    let between = text.get(*end..at)?;
                    [", ", "/", " and ", ", and "]
                        .contains(&between)
                        .then(|| reg.clone())
                });
            let Some(regulation) = regulation else {
                continue;
            };
            let rest = &text[at + '§'.len_utf8()..];
            let number = |s: &str| {
                let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
                Some((digits.parse::<u32>().ok()?, digits.len()))
            };
            let Some((first, mut len)) = number(rest) else {
                continue;
            };
            let mut last = first;
            for dash in ["–", "-"] {
                if let Some((end, n)) = rest[len..].strip_prefix(dash).and_then(number) {
                    if end > first {
                        last = end;
                        len += dash.len() + n;
                    }
                    break;
                }
            }
            // Sub-items: `.5`, `(2)`, `(b)`.
            loop {
                let tail = &rest[len..];
                if let Some((_, n)) = tail.strip_prefix('.').and_then(number) {
                    len += 1 + n;
                } else if let Some(close) = tail
                    .strip_prefix('(')
                    .and_then(|t| t.find(')'))
                    .filter(|&c| c > 0 && tail[1..1 + c].chars().all(char::is_alphanumeric))
                {
                    len += close + 2;
                } else {
                    break;
                }
            }
            for clause in first..=last {
                found.push(((regulation.clone(), clause), at));
            }
            previous = Some((regulation, at + '§'.len_utf8() + len));
        }
        found
    }

    #[test]
    fn citations_are_read_as_written() {
        let read = |t: &str| -> Vec<String> {
            citations(t)
                .into_iter()
                .map(|((r, c), _)| format!("{r} §{c}"))
                .collect()
        };
        assert_eq!(
            read("(000 §7, §9–10; 003 §7(2)(3) and 001 §15.5), 004 §6-8."),
            [
                "000 §7", "000 §9", "000 §10", "003 §7", "001 §15", "004 §6", "004 §7", "004 §8"
            ]
        );
        assert_eq!(
            read("RFC 9110 §15.5.6, docs/signatures.md §5, x000 §1, 000 §12's day"),
            ["000 §12"]
        );
    }

    fn root() -> PathBuf {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        root.canonicalize().unwrap_or(root)
    }

    /// The repository's text files that may cite a clause: sources, templates, migrations,
    /// locales, documentation, data and scripts (not build output, dependencies or databases).
    fn sources() -> Vec<PathBuf> {
        const TEXT: [&str; 14] = [
            "rs", "md", "ftl", "html", "css", "js", "mjs", "toml", "sql", "sh", "py", "lua",
            "json", "txt",
        ];
        fn walk(dir: &Path, top: bool, files: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if path.is_dir() {
                    if !name.starts_with('.')
                        && !["target", "node_modules"].contains(&name.as_str())
                    {
                        walk(&path, false, files);
                    }
                } else if path
                    .extension()
                    .is_some_and(|e| TEXT.contains(&e.to_string_lossy().as_ref()))
                    || (!top && path.extension().is_none() && dir.ends_with("scripts"))
                {
                    files.push(path);
                }
            }
        }
        let root = root();
        let mut files = vec![];
        for top in ["README.md", "BENCHMARKS.md"] {
            files.push(root.join(top));
        }
        for dir in [
            "crates", "docs", "locales", "data", "scripts", "bench", "tests", ".ci",
        ] {
            walk(&root.join(dir), false, &mut files);
        }
        // The data directory of a checkout that ran the server holds more than the shipped
        // data: only what is beside the calendar and the demo registry counts.
        files.retain(|f| {
            !f.starts_with(root.join("data"))
                || f.starts_with(root.join("data/calendar"))
                || f.starts_with(root.join("data/demo"))
        });
        files
    }

    /// The clauses docs/regulations.md describes: those its headings name.
    fn described() -> BTreeSet<Clause> {
        let page = std::fs::read_to_string(root().join("docs/regulations.md"))
            .expect("docs/regulations.md");
        page.lines()
            .filter(|l| l.starts_with('#'))
            .flat_map(|l| citations(l).into_iter().map(|(c, _)| c))
            .collect()
    }

    #[test]
    fn every_cited_clause_is_described() {
        let described = described();
        assert!(
            described.contains(&("000".into(), 6)),
            "docs/regulations.md's headings were not read: {described:?}"
        );
        let root = root();
        let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut cited = 0;
        for file in sources() {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let name = file
                .strip_prefix(&root)
                .unwrap_or(&file)
                .display()
                .to_string();
            for ((regulation, clause), at) in citations(&text) {
                cited += 1;
                if !described.contains(&(regulation.clone(), clause)) {
                    let line = text[..at].lines().count().max(1);
                    missing
                        .entry(format!("{regulation} §{clause}"))
                        .or_default()
                        .push(format!("{name}:{line}"));
                }
            }
        }
        assert!(
            cited > 100,
            "only {cited} citations found: is the scan reading the tree?"
        );
        assert!(
            missing.is_empty(),
            "clauses cited but not described by a heading of docs/regulations.md:\n{}",
            missing
                .iter()
                .map(|(c, at)| format!("  {c}: {}", at.join(", ")))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    /// The anchor GitHub gives a heading: lowercase, letters, digits, `-` and `_` kept,
    /// spaces made `-`, everything else dropped.
    fn slug(heading: &str) -> String {
        heading
            .trim_start_matches('#')
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn links_into_the_regulations_find_their_heading() {
        let root = root();
        let page = std::fs::read_to_string(root.join("docs/regulations.md")).unwrap();
        let anchors: BTreeSet<String> = page
            .lines()
            .filter(|l| l.starts_with('#'))
            .map(slug)
            .collect();
        assert!(anchors.contains("000-6-the-six-stages"), "{anchors:?}");
        let mut broken = vec![];
        for file in sources()
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "md"))
        {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let own = file.ends_with("docs/regulations.md");
            for (at, link) in text
                .match_indices("regulations.md#")
                .chain(text.match_indices("](#").filter(|_| own))
            {
                let anchor: String = text[at + link.len()..]
                    .chars()
                    .take_while(|c| !matches!(c, ')' | ' ' | '`' | '"' | '\n'))
                    .collect();
                if !anchors.contains(&anchor) {
                    let name = file.strip_prefix(&root).unwrap_or(&file);
                    broken.push(format!("{}: #{anchor}", name.display()));
                }
            }
        }
        assert!(
            broken.is_empty(),
            "links to no heading of docs/regulations.md: {broken:?}"
        );
    }

    #[test]
    fn the_documentation_cites_no_clause_outside_the_repository() {
        let root = root();
        let mut pages = vec![root.join("README.md")];
        pages.extend(
            sources()
                .into_iter()
                .filter(|f| f.starts_with(root.join("docs"))),
        );
        for page in pages {
            let text = std::fs::read_to_string(&page).unwrap();
            assert!(
                !text.contains("shared/MISSION.md"),
                "{} sends the reader to ../shared/MISSION.md: link docs/regulations.md",
                page.display()
            );
        }
    }
}
