//! Registration, reading, listing, validation and scoping of applications.

use crate::support::{iin, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn registration(service: &str, place: &str, accepted_at: &str) -> Value {
    json!({"service_code": service, "applicant": {"iin": iin(17), "last_name": "Ахметов", "first_name": "Айбек", "middle_name": "Серікұлы"},
           "channel": "provider", "acceptance_place": place, "executor": place, "accepted_at": accepted_at})
}

/// MISSION worked example 1 through the API (000 §10: the planned date is computed on
/// registration), and the timeline and derivation of GET.
async fn registration_computes_the_planned_date(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN-AST").await;
    let a = app
        .register(&tok, "SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00")
        .await;
    assert_eq!(a["planned_date"], "2026-04-01");
    assert_eq!(a["deadline"], "2026-04-01T23:59:59+05:00");
    assert_eq!(a["stage"], "accepted");
    assert_eq!(
        a["overdue"], true,
        "2026-04-01 is long past and nothing was executed"
    );
    let number = a["number"].as_str().unwrap();
    assert_eq!(number.len(), 13);

    // Worked example 2: received on the portal on Saturday 2026-03-07.
    let (s, b) = app
        .post(&tok, "/api/v1/applications", json!({"service_code": "SVC-WD5", "channel": "portal",
            "applicant": {"iin": iin(5), "last_name": "A", "first_name": "B"},
            "acceptance_place": "MIN-AST", "executor": "MIN-AST", "accepted_at": "2026-03-07T22:00:00+05:00"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["effective_acceptance"], "2026-03-10T09:00:00+05:00");
    assert_eq!(b["planned_date"], "2026-03-17");

    let (s, d) = app
        .get(&tok, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["applicant"]["iin"], iin(17));
    assert_eq!(d["timeline"].as_array().unwrap().len(), 6);
    assert_eq!(d["timeline"][0]["actual"], "2026-03-20T10:00:00+05:00");
    assert_eq!(d["timeline"][3]["planned"], "2026-04-01T23:59:59+05:00");
    assert!(
        d["derivation"]["rules"].as_array().unwrap().len() >= 4,
        "{}",
        d["derivation"]
    );
    assert!(d["derivation"]["calendar_version"].is_string());
    // The dashed form finds it too; a mistyped number (one digit changed) finds nothing.
    let dashed = d["number_formatted"].as_str().unwrap().to_string();
    let (s, _) = app
        .get(&tok, &format!("/api/v1/applications/{dashed}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let mut typo: Vec<u8> = number.bytes().collect();
    typo[5] = if typo[5] == b'9' { b'0' } else { typo[5] + 1 };
    let (s, body) = app
        .get(
            &tok,
            &format!("/api/v1/applications/{}", String::from_utf8(typo).unwrap()),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{body}");

    // Reading applicant data is audited (the queue is flushed within moments).
    let mut audited = vec![];
    for _ in 0..50 {
        audited = app.store.audit_of(number, 10).await.unwrap();
        if audited.iter().any(|e| e.action == "application.read") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        audited.iter().any(|e| e.action == "application.register"),
        "{audited:?}"
    );
    assert!(
        audited.iter().any(|e| e.action == "application.read"),
        "{audited:?}"
    );
}

async fn bad_input_is_refused_field_by_field(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN").await;
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            {
                let mut b = registration("SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00");
                b["applicant"]["iin"] = json!("900101300016");
                b
            },
            "applicant.iin",
            "id_checksum",
        ),
        (
            {
                let mut b = registration("SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00");
                b["applicant"]["iin"] = json!("90010130001");
                b
            },
            "applicant.iin",
            "id_length",
        ),
        (
            {
                let mut b = registration("SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00");
                b["applicant"].as_object_mut().unwrap().remove("iin");
                b
            },
            "applicant.iin",
            "iin_or_bin_required",
        ),
        (
            {
                let mut b = registration("SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00");
                b["applicant"]["last_name"] = json!("  ");
                b
            },
            "applicant.last_name",
            "empty",
        ),
        (
            registration("NOPE", "MIN-AST", "2026-03-20T10:00:00+05:00"),
            "service_code",
            "unknown_service",
        ),
        (
            registration("SVC-WD5", "MIN-XXX", "2026-03-20T10:00:00+05:00"),
            "acceptance_place",
            "unknown_organization",
        ),
        (
            registration("SVC-WD5", "MIN-AST", "20.03.2026 10:00"),
            "accepted_at",
            "timestamp_invalid",
        ),
        (
            registration("SVC-WD5", "MIN-AST", "2099-03-20T10:00:00+05:00"),
            "accepted_at",
            "in_future",
        ),
        (
            {
                let mut b = registration("SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00");
                b["channel"] = json!("fax");
                b
            },
            "channel",
            "enum_invalid",
        ),
        (
            {
                let mut b = registration("SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00");
                b.as_object_mut().unwrap().remove("executor");
                b
            },
            "executor",
            "required",
        ),
        (
            {
                let mut b = registration("SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00");
                b["paper"] = json!("yes");
                b
            },
            "paper",
            "invalid_value",
        ),
    ];
    for (body, field, code) in cases {
        let (s, resp) = app.post(&tok, "/api/v1/applications", body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {resp}");
        assert_eq!(resp["error"]["field"], field, "{resp}");
        assert_eq!(resp["error"]["code"], code, "{resp}");
    }
    // Malformed JSON is 400; the message follows Accept-Language.
    let resp = app
        .client
        .post(app.url("/api/v1/applications"))
        .bearer_auth(&tok)
        .header("content-type", "application/json")
        .body("{\"service_code\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    // Well-formed JSON of the wrong shape altogether is 422 with its own code.
    let (s, resp) = app.post(&tok, "/api/v1/applications", json!([1, 2])).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{resp}");
    assert_eq!(resp["error"]["code"], "invalid_body");
    assert!(resp["error"]["field"].is_null());
    let mut messages = vec![];
    for lang in ["kk", "ru", "en"] {
        let mut b = registration("SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00");
        b["applicant"]["iin"] = json!("900101300016");
        let (_, resp) = app
            .send(
                reqwest::Method::POST,
                Some(&tok),
                "/api/v1/applications",
                Some(&b),
                Some(lang),
            )
            .await;
        messages.push(resp["error"]["message"].as_str().unwrap().to_string());
    }
    assert!(
        messages[0].contains("ЖСН") || messages[0].contains("БСН"),
        "Kazakh names the IIN: {}",
        messages[0]
    );
    assert!(
        messages[1].contains("ИИН") || messages[1].contains("БИН"),
        "Russian names the IIN: {}",
        messages[1]
    );
    assert!(
        messages[2].contains("IIN") || messages[2].contains("BIN"),
        "{}",
        messages[2]
    );
    // Nothing was written by any refused request.
    assert_eq!(app.store.count_applications().await.unwrap(), 0);
}

async fn tokens_see_only_their_subtree(app: &TestApp) {
    app.seed().await;
    let ast = app.token_for("MIN-AST").await;
    let ala = app.token_for("MIN-ALA").await;
    let ministry = app.token_for("MIN").await;
    let a = app
        .register(&ast, "SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00")
        .await;
    let number = a["number"].as_str().unwrap();
    // Another branch of the tree: 404, the same answer as for a number that does not exist.
    let (s, body) = app
        .get(&ala, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "application_not_found");
    let (s, _) = app
        .event(
            &ala,
            number,
            crate::support::stage("executed", "2026-03-21T10:00:00+05:00"),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The ministry above sees it, and so does the admin.
    let (s, _) = app
        .get(&ministry, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app
        .get(&app.admin, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    // Registering at an acceptance place outside the token's sub-tree is forbidden.
    let (s, body) = app
        .post(
            &ala,
            "/api/v1/applications",
            registration("SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    // Lists are scoped too.
    let (_, list) = app.get(&ala, "/api/v1/applications").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    let (_, list) = app.get(&ministry, "/api/v1/applications").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

async fn external_id_makes_registration_idempotent(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN-AST").await;
    let mut body = registration("SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00");
    body["external_id"] = json!("legacy-42");
    let (s1, first) = app.post(&tok, "/api/v1/applications", body.clone()).await;
    let (s2, second) = app.post(&tok, "/api/v1/applications", body.clone()).await;
    assert_eq!(s1, StatusCode::CREATED);
    assert_eq!(s2, StatusCode::OK);
    assert_eq!(first["number"], second["number"]);
    // The retry showed the applicant again: audited as a read of the application.
    let number = first["number"].as_str().unwrap().replace('-', "");
    let reads = app
        .store
        .audit_of(&number, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "application.read")
        .count();
    assert_eq!(reads, 1, "the retried registration's read is audited");
    body["applicant"]["iin"] = json!(iin(99));
    let (s3, third) = app.post(&tok, "/api/v1/applications", body).await;
    assert_eq!(s3, StatusCode::CONFLICT, "{third}");
    assert_eq!(third["error"]["field"], "external_id");
    assert_eq!(app.store.count_applications().await.unwrap(), 1);
}

async fn list_filters_and_paginates(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN").await;
    let mut numbers = vec![];
    for day in 2..9 {
        let a = app
            .register(
                &tok,
                "SVC-WD5",
                "MIN-AST",
                &format!("2026-11-{day:02}T10:00:00+05:00"),
            )
            .await;
        numbers.push(a["number"].as_str().unwrap().to_string());
    }
    let b = app
        .register(&tok, "SVC-H2", "MIN-ALA", "2026-11-03T10:00:00+05:00")
        .await;
    let mut seen = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/applications?limit=3&service=SVC-WD5&cursor={c}"),
            None => "/api/v1/applications?limit=3&service=SVC-WD5".into(),
        };
        let (s, page) = app.get(&tok, &path).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        for item in page["items"].as_array().unwrap() {
            seen.push(item["number"].as_str().unwrap().to_string());
        }
        match page["next"].as_str() {
            Some(n) => cursor = Some(n.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7, "each exactly once");
    let mut expected = numbers.clone();
    expected.reverse();
    assert_eq!(seen, expected, "newest acceptance first");
    let (_, by_org) = app
        .get(&tok, "/api/v1/applications?organization=MIN-ALA")
        .await;
    let items = by_org["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["number"], b["number"]);
    let (_, ranged) = app
        .get(&tok, "/api/v1/applications?accepted_from=2026-11-04T00:00:00%2B05:00&accepted_to=2026-11-06T00:00:00%2B05:00")
        .await;
    assert_eq!(ranged["items"].as_array().unwrap().len(), 2);
    let (s, bad) = app.get(&tok, "/api/v1/applications?limit=0").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["error"]["field"], "limit");
    let (s, bad) = app.get(&tok, "/api/v1/applications?stage=finished").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["error"]["field"], "stage");
    let (s, bad) = app.get(&tok, "/api/v1/applications?cursor=garbage").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["error"]["field"], "cursor");
}

/// Whether organization `code` is `root` or below it in the seed's tree.
fn under(code: &str, root: &str) -> bool {
    let parent = |c: &str| match c {
        "MIN-COM" => Some("MIN"),
        "MIN-AST" | "MIN-ALA" => Some("MIN-COM"),
        "AKIM-ARC" => Some("AKIM"),
        _ => None,
    };
    let mut at = Some(code);
    while let Some(c) = at {
        if c == root {
            return true;
        }
        at = parent(c);
    }
    false
}

/// Every page of `path` (limit 2, following `next`), as application numbers.
async fn all_pages(app: &TestApp, token: &str, path: &str) -> Vec<String> {
    let mut seen = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}&limit=2&cursor={c}"),
            None => format!("{path}&limit=2"),
        };
        let (s, page) = app.get(token, &url).await;
        assert_eq!(s, StatusCode::OK, "{url}: {page}");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        for item in items {
            seen.push(item["number"].as_str().unwrap().to_string());
        }
        match page["next"].as_str() {
            Some(n) => cursor = Some(n.to_string()),
            None => break,
        }
    }
    seen
}

/// A sub-tree's list is read per organization and merged (listing.rs); it must be exactly
/// the list one statement over the whole table gives: every application once, whether it
/// was accepted, executed or both in the sub-tree, ties on the order's key broken by number,
/// in both orders, with the other filters applied, across pages.
async fn sub_tree_lists_match_the_whole_table(app: &TestApp) {
    app.seed().await;
    let admin = app.admin.clone();
    // (acceptance place, executor, service, accepted at): crossing the tree's branches, with
    // equal acceptance times and equal planned dates in different organizations; each
    // executor delivers its service (B.5: SVC-WD5 is the ministry's, ARCH-001 the akimat's).
    let plan = [
        ("MIN-AST", "MIN-AST", "SVC-WD5", "2026-11-02T10:00:00+05:00"),
        ("MIN-AST", "MIN-ALA", "SVC-WD5", "2026-11-03T10:00:00+05:00"),
        ("GOV-1", "MIN-AST", "SVC-WD5", "2026-11-04T10:00:00+05:00"),
        (
            "MIN-ALA",
            "AKIM-ARC",
            "ARCH-001",
            "2026-11-04T10:00:00+05:00",
        ),
        ("GOV-1", "AKIM-ARC", "ARCH-001", "2026-11-05T10:00:00+05:00"),
        ("MIN", "MIN", "SVC-WD5", "2026-11-06T10:00:00+05:00"),
        ("MIN-COM", "MIN-ALA", "SVC-WD5", "2026-11-06T10:00:00+05:00"),
        (
            "AKIM-ARC",
            "MIN-ALA",
            "SVC-WD5",
            "2026-11-07T10:00:00+05:00",
        ),
        ("MIN-AST", "MIN-AST", "SVC-WD5", "2026-11-09T10:00:00+05:00"),
        ("MIN-ALA", "MIN-ALA", "SVC-WD5", "2026-11-09T10:00:00+05:00"),
    ];
    let mut places = std::collections::HashMap::new();
    for (i, (place, executor, service, at)) in plan.iter().enumerate() {
        let (s, a) = app
            .post(&admin, "/api/v1/applications", json!({"service_code": service,
                "applicant": {"iin": iin(30 + i as u32), "last_name": "Сейітов", "first_name": "Ерлан"},
                "channel": "provider", "acceptance_place": place, "executor": executor, "accepted_at": at}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        places.insert(
            a["number"].as_str().unwrap().to_string(),
            (*place, *executor, *service),
        );
    }
    let ministry = app.token_for("MIN").await;
    // (the ministry's query, which applications of the whole table it must show)
    type Keep = fn(&str, &str, &str) -> bool;
    let cases: [(&str, Keep); 5] = [
        ("", |p, e, _| under(p, "MIN") || under(e, "MIN")),
        ("&organization=AKIM", |p, e, _| {
            (under(p, "MIN") || under(e, "MIN")) && (under(p, "AKIM") || under(e, "AKIM"))
        }),
        ("&organization=MIN-COM", |p, e, _| {
            under(p, "MIN-COM") || under(e, "MIN-COM")
        }),
        ("&executor=MIN-ALA", |_, e, _| under(e, "MIN-ALA")),
        ("&service=ARCH-001", |p, e, s| {
            (under(p, "MIN") || under(e, "MIN")) && s == "ARCH-001"
        }),
    ];
    for sort in ["newest", "due"] {
        // The oracle: the administrator's unfiltered list, one statement over the table.
        let whole = all_pages(app, &admin, &format!("/api/v1/applications?sort={sort}")).await;
        assert_eq!(whole.len(), plan.len(), "{sort}");
        for (query, keep) in cases {
            let expected: Vec<String> = whole
                .iter()
                .filter(|n| {
                    let (p, e, s) = places[n.as_str()];
                    keep(p, e, s)
                })
                .cloned()
                .collect();
            assert!(!expected.is_empty(), "{sort}{query}");
            let got = all_pages(
                app,
                &ministry,
                &format!("/api/v1/applications?sort={sort}{query}"),
            )
            .await;
            assert_eq!(got, expected, "sort={sort}{query}");
        }
    }
    // A sub-tree without applications gives an empty page.
    let (s, page) = app
        .get(
            &admin,
            "/api/v1/applications?organization=GOV-1&executor=MIN-AST&stage=executed",
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert_eq!(page["items"].as_array().unwrap().len(), 0);
    assert!(page["next"].is_null());
}

crate::both!(
    registration_computes_the_planned_date,
    bad_input_is_refused_field_by_field,
    tokens_see_only_their_subtree,
    external_id_makes_registration_idempotent,
    list_filters_and_paginates,
    sub_tree_lists_match_the_whole_table,
);
