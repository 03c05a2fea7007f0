//! The workstation over HTTP as a browser sends it (issue 4), on both backends: sign-in and
//! its cookies, CSRF on every form, roles and organization scope enforced by the server,
//! registration and the six stages through the forms, the language remembered per user.
//! The browser itself (Chromium) is driven by `tests/e2e`.

use crate::both;
use crate::browser::{user, Browser, Page, PASSWORD};
use crate::support::{iin, TestApp};
use qyzmet_store::UserRole;
use reqwest::StatusCode;

async fn staff(app: &TestApp) {
    app.seed().await;
    user(app, "op.ast", UserRole::Operator, Some("MIN-AST")).await;
    user(app, "sup.ast", UserRole::Supervisor, Some("MIN-AST")).await;
    user(app, "op.ala", UserRole::Operator, Some("MIN-ALA")).await;
    user(app, "analyst", UserRole::Analyst, None).await;
    user(app, "admin", UserRole::Administrator, None).await;
}

/// Registers through the form; returns the application's number.
async fn register(b: &mut Browser<'_>, tax_id: &str) -> Page {
    let page = b.get("/work/new").await;
    let csrf = page.field("csrf");
    let external = page.field("external_id");
    b.post(
        "/work/new",
        &[
            ("csrf", &csrf),
            ("external_id", &external),
            ("service_code", "SVC-WD5"),
            ("tax_id", tax_id),
            ("last_name", "Ахметов"),
            ("first_name", "Айбек"),
            ("channel", "provider"),
            ("accepted_at", "2026-11-02T10:00"),
        ],
    )
    .await
}

fn number_of(location: &str) -> String {
    location
        .trim_start_matches("/work/applications/")
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

async fn sign_in_is_hardened(app: &TestApp) {
    staff(app).await;
    let mut b = Browser::new(app);
    // Not signed in: to the sign-in form, which comes back afterwards.
    let page = b.get("/work").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location, "/sign-in?next=%2Fwork");
    // A sign-in form not issued by the server (no double-submit cookie) is refused.
    let mut stranger = Browser::new(app);
    let forged = stranger
        .post(
            "/sign-in",
            &[("username", "op.ast"), ("password", PASSWORD), ("pre", "x")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // A wrong password: the form again, with the reason, in Kazakh by default.
    let wrong = b.sign_in("op.ast", "wrong password!!").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.html.contains("role=\"alert\""), "{}", wrong.html);
    assert!(wrong.html.contains("<html lang=\"kk\">"));
    let ok = b.sign_in("op.ast", PASSWORD).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html);
    assert_eq!(ok.location, "/work");
    let cookie = ok
        .set_cookies
        .iter()
        .find(|c| c.starts_with("qyzmet_session="))
        .expect("session cookie");
    for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} missing: {cookie}");
    }
    // Pages carry the security headers.
    let inbox = b.get("/work").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert!(inbox.html.contains("id=\"inbox\""));
    // A form without this session's token changes nothing.
    let refused = b
        .post("/account/language", &[("lang", "ru"), ("csrf", "forged")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(b.get("/work").await.html.contains("<html lang=\"kk\">"));
    // Signing out closes the session in the database: the old cookie no longer works.
    let old = b.cookies.clone();
    let csrf = b.csrf("/work").await;
    let out = b.post("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    b.cookies = old;
    assert_eq!(b.get("/work").await.status, StatusCode::SEE_OTHER);
}

async fn roles_and_scope_are_enforced(app: &TestApp) {
    staff(app).await;
    let mut op = Browser::new(app);
    op.sign_in("op.ast", PASSWORD).await;
    for path in [
        "/admin",
        "/admin/users",
        "/analytics",
        "/analytics/applications",
    ] {
        let page = op.get(path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.html.contains("data-testid=\"forbidden\""));
    }
    let registered = register(&mut op, &iin(17)).await;
    assert_eq!(
        registered.status,
        StatusCode::SEE_OTHER,
        "{}",
        registered.html
    );
    let number = number_of(&registered.location);

    // The analyst reads everything and changes nothing.
    let mut analyst = Browser::new(app);
    assert_eq!(
        analyst.sign_in("analyst", PASSWORD).await.location,
        "/analytics"
    );
    assert_eq!(analyst.get("/work/new").await.status, StatusCode::FORBIDDEN);
    let page = analyst
        .get(&format!("/analytics/applications/{number}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.html.contains("id=\"stage-form\""));
    let csrf = analyst.csrf("/analytics").await;
    let id = uuid::Uuid::now_v7().to_string();
    let attempt = analyst
        .post(
            &format!("/work/applications/{number}/stage"),
            &[
                ("csrf", &csrf),
                ("event_id", &id),
                ("stage", "sent_for_execution"),
            ],
        )
        .await;
    assert_eq!(attempt.status, StatusCode::FORBIDDEN);

    // Another organization's operator does not see it, nor can act on it.
    let mut other = Browser::new(app);
    other.sign_in("op.ala", PASSWORD).await;
    assert_eq!(
        other
            .get(&format!("/work/applications/{number}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let csrf = other.csrf("/work").await;
    let attempt = other
        .post(
            &format!("/work/applications/{number}/stage"),
            &[
                ("csrf", &csrf),
                ("event_id", &id),
                ("stage", "sent_for_execution"),
            ],
        )
        .await;
    assert_eq!(attempt.status, StatusCode::NOT_FOUND);

    // Reassigning is the supervisor's: the operator's form is refused, the supervisor's taken.
    let csrf = op.csrf("/work").await;
    let reassign = |id: String| {
        vec![
            ("csrf".to_string(), csrf.clone()),
            ("event_id".to_string(), id),
            ("executor".to_string(), "MIN-AST".to_string()),
        ]
    };
    let form = reassign(uuid::Uuid::now_v7().to_string());
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = op
        .post(&format!("/work/applications/{number}/reassign"), &pairs)
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let mut sup = Browser::new(app);
    sup.sign_in("sup.ast", PASSWORD).await;
    let csrf = sup.csrf("/work").await;
    let id = uuid::Uuid::now_v7().to_string();
    let page = sup
        .post(
            &format!("/work/applications/{number}/reassign"),
            &[("csrf", &csrf), ("event_id", &id), ("executor", "MIN-AST")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    // Nothing was recorded but the supervisor's change.
    let (_, detail) = app
        .get(&app.admin, &format!("/api/v1/applications/{number}"))
        .await;
    let events = detail["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{detail}");
    assert_eq!(events[0]["type"], "executor_changed");
}

async fn an_application_is_registered_and_completed_through_the_forms(app: &TestApp) {
    staff(app).await;
    let mut b = Browser::new(app);
    b.sign_in("op.ast", PASSWORD).await;
    // A mistyped IIN: the form again with the reason at the field, and nothing stored.
    let bad = register(&mut b, "900101300018").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = bad
        .html
        .split("id=\"tax_id-error\"")
        .nth(1)
        .and_then(|s| s.split("</p>").next())
        .unwrap_or_default();
    assert!(error.contains("ЖСН"), "{error}");
    let (_, list) = app.get(&app.admin, "/api/v1/applications").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    // As typed: the check answers with the same reason.
    let check = b.get("/work/check-tax-id?tax_id=900101300018").await;
    assert!(check.html.contains("class=\"invalid\""), "{}", check.html);
    let check = b
        .get(&format!("/work/check-tax-id?tax_id={}", iin(17)))
        .await;
    assert!(check.html.contains("class=\"valid\""), "{}", check.html);

    let ok = register(&mut b, &iin(17)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html);
    let number = number_of(&ok.location);
    let page = b.get(&ok.location).await;
    assert!(page.html.contains(&format!("data-value=\"{number}\"")));
    assert!(page.html.contains("data-testid=\"planned-date\""));
    assert!(page.html.contains("id=\"derivation\""));

    for stage in [
        "sent_for_execution",
        "taken_into_work",
        "executed",
        "ready_for_issue",
    ] {
        let page = b.get(&format!("/work/applications/{number}")).await;
        let (csrf, id) = (page.field("csrf"), page.field("event_id"));
        let form = [
            ("csrf", csrf.as_str()),
            ("event_id", id.as_str()),
            ("stage", stage),
        ];
        let done = b
            .post(&format!("/work/applications/{number}/stage"), &form)
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{stage}: {}", done.html);
        // The same form sent again (a double click, or a retry a second later, when "now"
        // is another moment) records nothing more.
        if stage == "sent_for_execution" {
            tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        }
        let again = b
            .post(&format!("/work/applications/{number}/stage"), &form)
            .await;
        assert_eq!(
            again.status,
            StatusCode::SEE_OTHER,
            "{stage} again: {}",
            again.html
        );
        let page = b.get(&format!("/work/applications/{number}")).await;
        assert!(page
            .html
            .contains(&format!("data-testid=\"stage\" data-value=\"{stage}\"")));
    }
    // A refusal needs its reason.
    let page = b.get(&format!("/work/applications/{number}")).await;
    let (csrf, id) = (page.field("csrf"), page.field("event_id"));
    let no_reason = b
        .post(
            &format!("/work/applications/{number}/close"),
            &[
                ("csrf", &csrf),
                ("event_id", &id),
                ("outcome", "refused"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.html.contains("role=\"alert\""));
    // Issue 16, B1: the refused form comes back as chosen: still "refused" (it used to reset
    // to "issued", and the next click recorded the wrong outcome).
    assert!(
        no_reason
            .html
            .contains("<option value=\"refused\" selected>"),
        "{}",
        no_reason.html
    );
    assert!(!no_reason
        .html
        .contains("<option value=\"issued\" selected>"));
    // A refusal for another field keeps the typed reason too.
    let future = b
        .post(
            &format!("/work/applications/{number}/close"),
            &[
                ("csrf", &csrf),
                ("event_id", &id),
                ("outcome", "refused"),
                ("reason", "Incomplete documents"),
                ("occurred_at", "2099-01-01T10:00"),
            ],
        )
        .await;
    assert_eq!(
        future.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        future.html
    );
    assert!(future.html.contains("<option value=\"refused\" selected>"));
    assert!(
        future.html.contains(">Incomplete documents</textarea>"),
        "{}",
        future.html
    );
    let closed = b
        .post(
            &format!("/work/applications/{number}/close"),
            &[
                ("csrf", &csrf),
                ("event_id", &id),
                ("outcome", "refused"),
                ("reason", "Incomplete documents"),
            ],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.html);
    let (_, detail) = app
        .get(&app.admin, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(detail["stage"], "closed");
    assert_eq!(detail["outcome"], "refused");
    let events = detail["events"].as_array().unwrap();
    assert_eq!(events.len(), 5, "one event per form: {detail}");
    // Recorded in the user's name (an id, never a person's data).
    let stored = app
        .store
        .application(number.parse().unwrap(), &qyzmet_store::Scope::Admin)
        .await
        .unwrap();
    let op_id = app
        .store
        .credentials("op.ast")
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    assert!(
        stored
            .events
            .iter()
            .all(|e| e.actor == format!("user:{op_id}")),
        "{:?}",
        stored.events.iter().map(|e| &e.actor).collect::<Vec<_>>()
    );
    // Each action is audited with who, what, when and from where.
    let mut audit = vec![];
    for _ in 0..50 {
        audit = app.store.audit_of(&number, 100).await.unwrap();
        // The audit queue writes in the background: wait for the last action's entry.
        if audit.iter().any(|e| e.action == "web.close") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let web: Vec<_> = audit
        .iter()
        .filter(|e| e.action.starts_with("web."))
        .collect();
    let actions: Vec<&str> = web.iter().map(|e| e.action.as_str()).collect();
    for action in ["web.register", "web.stage", "web.close"] {
        assert!(
            actions.contains(&action),
            "{action} not audited: {actions:?}"
        );
    }
    assert!(
        web.iter()
            .all(|e| e.actor == format!("user:{op_id}") && e.detail.contains("peer=127.0.0.1")),
        "{web:?}"
    );
    // The history names the user, not an id.
    let page = b.get(&format!("/work/applications/{number}")).await;
    assert!(page.html.contains("<td>op.ast</td>"), "{}", page.html);
}

async fn the_language_is_remembered_per_user(app: &TestApp) {
    staff(app).await;
    let mut b = Browser::new(app);
    b.sign_in("op.ast", PASSWORD).await;
    let page = b.get("/work").await;
    assert!(page.html.contains("<h1>Өтініштер</h1>"), "{}", page.html);
    let csrf = page.field("csrf");
    let switched = b
        .post(
            "/account/language",
            &[("csrf", &csrf), ("lang", "ru"), ("back", "/work")],
        )
        .await;
    assert_eq!(switched.location, "/work");
    assert!(b.get("/work").await.html.contains("<h1>Заявки</h1>"));
    // The switcher's way back keeps the page's filters and order.
    let filtered = b.get("/work?pending=on&sort=due").await;
    assert_eq!(
        filtered
            .field("back")
            .replace("&amp;", "&")
            .replace("&#38;", "&"),
        "/work?pending=on&sort=due"
    );
    // Another device, another session: still Russian.
    let mut other = Browser::new(app);
    other.sign_in("op.ast", PASSWORD).await;
    let page = other.get("/work").await;
    assert!(page.html.contains("<html lang=\"ru\">"));
    let csrf = page.field("csrf");
    other
        .post(
            "/account/language",
            &[("csrf", &csrf), ("lang", "en"), ("back", "/work")],
        )
        .await;
    assert!(other
        .get("/work")
        .await
        .html
        .contains("<h1>Applications</h1>"));
}

/// The inbox's two orders page through every application once, in order.
async fn lists_page_in_either_order(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN").await;
    for day in ["02", "05", "03", "04", "06"] {
        app.register(
            &tok,
            "SVC-WD5",
            "MIN-AST",
            &format!("2026-11-{day}T10:00:00+05:00"),
        )
        .await;
    }
    for (sort, key) in [("newest", "accepted_at"), ("due", "planned_date")] {
        let mut seen: Vec<String> = vec![];
        let mut keys: Vec<String> = vec![];
        let mut path = format!("/api/v1/applications?sort={sort}&limit=2");
        loop {
            let (s, page) = app.get(&tok, &path).await;
            assert_eq!(s, StatusCode::OK, "{page}");
            for item in page["items"].as_array().unwrap() {
                seen.push(item["number"].as_str().unwrap().to_string());
                keys.push(item[key].as_str().unwrap().to_string());
            }
            match page["next"].as_str() {
                Some(next) => {
                    path = format!("/api/v1/applications?sort={sort}&limit=2&cursor={next}")
                }
                None => break,
            }
        }
        assert_eq!(seen.len(), 5, "{sort}: {seen:?}");
        let mut sorted = keys.clone();
        sorted.sort();
        if sort == "newest" {
            sorted.reverse();
        }
        assert_eq!(keys, sorted, "{sort}");
    }
    let (s, body) = app.get(&tok, "/api/v1/applications?sort=soon").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "sort");
    // A cursor of one order is refused in the other.
    let (_, page) = app.get(&tok, "/api/v1/applications?sort=due&limit=2").await;
    let next = page["next"].as_str().unwrap();
    let (s, _) = app
        .get(
            &tok,
            &format!("/api/v1/applications?sort=newest&cursor={next}"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The links of a page whose anchor carries `marker`, with the numbers they show.
fn figures(html: &str, marker: &str) -> Vec<(String, usize)> {
    html.split("<a href=\"")
        .skip(1)
        .filter_map(|piece| {
            let (href, rest) = piece.split_once('"')?;
            let rest = rest.strip_prefix(marker)?;
            let text = rest.split_once('>')?.1.split('<').next()?;
            let n = text.replace(['\u{a0}', ',', ' '], "").parse().ok()?;
            Some((href.replace("&amp;", "&").replace("&#38;", "&"), n))
        })
        .collect()
}

/// Every figure of the dashboard is the length of the list it links to.
async fn dashboard_figures_match_their_lists(app: &TestApp) {
    staff(app).await;
    let tok = app.token_for("MIN").await;
    // Long overdue (accepted in January, five working days) and a fresh one, accepted an hour
    // ago (a fixed "recent" date would itself fall overdue as the calendar moves on).
    let fresh = (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1))
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(5)))
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string();
    for (place, accepted_at) in [
        ("MIN-AST", "2026-01-05T10:00:00+05:00"),
        ("MIN-AST", "2026-01-06T10:00:00+05:00"),
        ("MIN-ALA", "2026-01-07T10:00:00+05:00"),
        ("MIN-AST", fresh.as_str()),
    ] {
        app.register(&tok, "SVC-WD5", place, accepted_at).await;
    }
    let mut b = Browser::new(app);
    b.sign_in("analyst", PASSWORD).await;
    let mut checked = 0;
    for page_path in ["/analytics", "/analytics?org=MIN"] {
        let page = b.get(page_path).await;
        assert_eq!(page.status, StatusCode::OK);
        let links = figures(&page.html, " data-testid=\"overdue-link\"");
        assert!(!links.is_empty(), "{}", page.html);
        for (href, shown) in links {
            let list = b.get(&href).await;
            assert_eq!(list.status, StatusCode::OK, "{href}");
            let rows = list.html.matches("<tr data-number=").count();
            assert_eq!(rows, shown, "{href}");
            checked += usize::from(shown > 0);
        }
    }
    assert!(checked >= 2, "no overdue figure was above zero");
    // The root figure of the ministry counts its units' applications.
    let page = b.get("/analytics").await;
    let min = figures(&page.html, " data-testid=\"overdue-link\"")
        .into_iter()
        .find(|(h, _)| h.contains("executor=MIN&"))
        .expect("the ministry's row");
    assert_eq!(min.1, 3);
}

/// The text of the element that follows `marker` up to its closing `tag`.
fn text_after<'h>(html: &'h str, marker: &str, tag: &str) -> &'h str {
    html.split(marker)
        .nth(1)
        .and_then(|s| s.split(tag).next())
        .unwrap_or_default()
}

/// Issue 16, B.4: the application page says where an application stands against its
/// deadline and why — which stage was missed and by how much, in the term's own measure;
/// late or on time after closing; suspensions as bands of the timeline; an outage that
/// overlapped a violation; and the registration as the history's first entry.
async fn the_page_says_why_an_application_is_late(app: &TestApp) {
    use crate::support::stage;
    use serde_json::json;
    staff(app).await;
    let token = app.token_for("MIN-AST").await;
    let mut b = Browser::new(app);
    b.sign_in("op.ast", PASSWORD).await;
    let csrf = b.csrf("/work").await;
    b.post(
        "/account/language",
        &[("csrf", &csrf), ("lang", "en"), ("back", "/work")],
    )
    .await;
    // Five working days from Monday 2 November 2026, the acceptance day not counted: due by
    // Monday 9 November, 23:59:59.
    let accepted = "2026-11-02T10:00:00+05:00";

    // Open and past its deadline: the completion (stage 4) was missed, by working days.
    let open = app.register(&token, "SVC-WD5", "MIN-AST", accepted).await;
    let open = open["number"].as_str().unwrap().to_string();
    // An outage of a system the service depends on, inside its term: a technical cause.
    app.store
        .create_outage(
            &qyzmet_store::NewOutage {
                started_at: "2026-11-05T10:00:00+05:00".parse().unwrap(),
                ended_at: Some("2026-11-05T12:00:00+05:00".parse().unwrap()),
                all_systems: false,
                systems: vec!["egov_gateway".into()],
                operator: "NIT".into(),
                description: "gateway down".into(),
            },
            "test",
            "2026-11-05T12:30:00+05:00".parse().unwrap(),
        )
        .await
        .unwrap();
    let page = b.get(&format!("/work/applications/{open}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let why = text_after(&page.html, "data-testid=\"why\"", ">");
    assert!(why.contains("data-status=\"overdue\""), "{why}");
    assert!(why.contains("data-stage=\"executed\""), "{why}");
    assert!(why.contains("data-late-unit=\"working_days\""), "{why}");
    let late: u32 = text_after(why, "data-late=\"", "\"").parse().unwrap();
    assert!(late >= 1, "{why}");
    let headline = text_after(&page.html, "data-testid=\"why-headline\">", "</span>");
    assert!(
        headline.starts_with("Overdue: stage 4 “Executed” was due by 9 November 2026 23:59"),
        "{headline}"
    );
    assert!(
        headline.contains(&format!("late by {late} working day")),
        "{headline}"
    );
    let reasons = text_after(&page.html, "data-testid=\"why-reasons\"", "</ul>");
    assert!(reasons.contains("An outage of egov_gateway"), "{reasons}");
    assert!(reasons.contains("technical cause"), "{reasons}");
    // The registration is the history's first entry, with the planned date it computed.
    let rows = text_after(&page.html, "<table id=\"history\"", "</tbody>");
    let first = text_after(rows, "<tbody>", "</tr>");
    assert!(first.contains("data-testid=\"registration\""), "{first}");
    assert!(
        first.contains("Registered (stage 1 “Accepted”)") && first.contains("9 November 2026"),
        "{first}"
    );
    assert!(first.contains("2 November 2026 10:00"), "{first}");

    // Completed on Monday 16 November, closed the day after: late by 5 working days (10–13
    // and 16 November), 7 calendar days.
    let late = app.register(&token, "SVC-WD5", "MIN-AST", accepted).await;
    let late = late["number"].as_str().unwrap().to_string();
    for body in [
        stage("executed", "2026-11-16T10:00:00+05:00"),
        json!({"id": uuid::Uuid::new_v4().to_string(), "type": "stage", "stage": "closed",
               "outcome": "issued", "occurred_at": "2026-11-17T10:00:00+05:00"}),
    ] {
        let (s, body) = app.event(&token, &late, body).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
    }
    let page = b.get(&format!("/work/applications/{late}")).await;
    let why = text_after(&page.html, "data-testid=\"why\"", ">");
    assert!(why.contains("data-status=\"late\""), "{why}");
    assert!(why.contains("data-late=\"5\""), "{why}");
    let headline = text_after(&page.html, "data-testid=\"why-headline\">", "</span>");
    assert!(
        headline.contains("Completed late")
            && headline.contains("16 November 2026 10:00")
            && headline.contains("5 working days (7 calendar days) after the deadline"),
        "{headline}"
    );
    assert!(
        page.html.contains("Closed on 17 November 2026 10:00"),
        "{}",
        page.html
    );

    // Suspended on Wednesday 4 November, resumed on Friday 6: two working days added, the
    // deadline moves to Wednesday 11 November, and a completion on 11 November is on time.
    let paused = app.register(&token, "SVC-WD5", "MIN-AST", accepted).await;
    let paused = paused["number"].as_str().unwrap().to_string();
    for body in [
        json!({"id": uuid::Uuid::new_v4().to_string(), "type": "suspended",
               "reason": "Documents requested", "occurred_at": "2026-11-04T10:00:00+05:00"}),
        json!({"id": uuid::Uuid::new_v4().to_string(), "type": "resumed",
               "reason": "Documents received", "occurred_at": "2026-11-06T10:00:00+05:00"}),
        stage("executed", "2026-11-11T12:00:00+05:00"),
    ] {
        let (s, body) = app.event(&token, &paused, body).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
    }
    let page = b.get(&format!("/work/applications/{paused}")).await;
    let why = text_after(&page.html, "data-testid=\"why\"", ">");
    assert!(why.contains("data-status=\"on_time\""), "{why}");
    let band = text_after(&page.html, "data-testid=\"suspension-band\"", "</li>");
    assert!(band.contains("Suspended"), "{band}");
    assert!(
        band.contains("4 November 2026 10:00 – 6 November 2026 10:00"),
        "{band}"
    );
    assert!(band.contains("Reason: Documents requested"), "{band}");
    assert!(band.contains("On resumption: Documents received"), "{band}");
    assert!(
        band.contains("added 2 (working days) to the term"),
        "{band}"
    );
    // Not colour alone: the band says in words what it is, screen readers included.
    assert!(band.contains("class=\"visually-hidden\""), "{band}");
    let reasons = text_after(&page.html, "data-testid=\"why-reasons\"", "</ul>");
    assert!(
        reasons.contains("the deadline moved by 2 (working days)"),
        "{reasons}"
    );
    assert!(!reasons.contains("technical cause"), "on time: {reasons}");
    // Registered a minute ago: open, its clock running, the deadline ahead.
    let recent = (jiff::Timestamp::now() - jiff::SignedDuration::from_secs(60)).to_string();
    let running = app.register(&token, "SVC-WD5", "MIN-AST", &recent).await;
    let running = running["number"].as_str().unwrap().to_string();
    let page = b.get(&format!("/work/applications/{running}")).await;
    let why = text_after(&page.html, "data-testid=\"why\"", ">");
    assert!(why.contains("data-status=\"running\""), "{why}");
    assert!(why.contains("data-late=\"\""), "{why}");
    let headline = text_after(&page.html, "data-testid=\"why-headline\">", "</span>");
    assert!(
        headline.starts_with("Open and on time: stage 4 “Executed” is due by")
            && headline.contains("working days left after today"),
        "{headline}"
    );
    // In Kazakh and Russian too.
    for (lang, words) in [("kk", "Мерзімінде орындалды"), ("ru", "Исполнено в срок")]
    {
        let csrf = b.csrf("/work").await;
        b.post(
            "/account/language",
            &[("csrf", &csrf), ("lang", lang), ("back", "/work")],
        )
        .await;
        let page = b.get(&format!("/work/applications/{paused}")).await;
        let headline = text_after(&page.html, "data-testid=\"why-headline\">", "</span>");
        assert!(headline.starts_with(words), "{lang}: {headline}");
    }
}

/// The links of a page and, for a tile, the number it shows (`tile-value`).
fn tiles(html: &str) -> Vec<(String, Option<usize>)> {
    html.split("<a href=\"")
        .skip(1)
        .filter_map(|piece| {
            let (href, rest) = piece.split_once('"')?;
            let head = rest.split("</a>").next()?;
            let n = head
                .split_once("class=\"tile-value\">")
                .and_then(|(_, v)| v.split('<').next())
                .and_then(|v| v.replace(['\u{a0}', ',', ' '], "").parse().ok());
            Some((href.replace("&amp;", "&").replace("&#38;", "&"), n))
        })
        .collect()
}

/// Issue 16, B.3: with an organization chosen, every figure of the dashboard (tiles,
/// headline, tables, chart) is of its sub-tree, the page says so, and each count is the
/// length of the list it links to; without one, the page says the figures are national.
async fn the_dashboard_follows_the_chosen_organization(app: &TestApp) {
    staff(app).await;
    let tok = app.token_for("MIN").await;
    for (place, accepted_at) in [
        ("MIN-AST", "2026-01-05T10:00:00+05:00"),
        ("MIN-ALA", "2026-01-07T10:00:00+05:00"),
        ("MIN-ALA", "2026-01-08T10:00:00+05:00"),
    ] {
        app.register(&tok, "SVC-WD5", place, accepted_at).await;
    }
    let mut b = Browser::new(app);
    b.sign_in("analyst", PASSWORD).await;
    let national = b.get("/analytics").await;
    assert_eq!(national.status, StatusCode::OK);
    assert!(
        national.html.contains("data-scope=\"national\""),
        "{}",
        national.html
    );
    let stage_sum = |html: &str| -> usize {
        tiles(html)
            .into_iter()
            .filter(|(h, _)| h.contains("stage="))
            .filter_map(|(_, n)| n)
            .sum()
    };
    assert_eq!(stage_sum(&national.html), 3);
    let page = b.get("/analytics?org=MIN-ALA").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("data-scope=\"organization\""),
        "{}",
        page.html
    );
    assert_eq!(
        stage_sum(&page.html),
        2,
        "the stages count the sub-tree only"
    );
    let links: Vec<(String, Option<usize>)> = tiles(&page.html)
        .into_iter()
        .filter(|(h, _)| h.starts_with("/analytics/applications?"))
        .collect();
    assert!(
        links.len() > 10,
        "tiles, tables and the chart link to lists"
    );
    for (href, _) in &links {
        assert!(
            href.contains("executor=MIN-ALA"),
            "{href} is not of the sub-tree"
        );
    }
    let mut followed = 0;
    for (href, shown) in links.iter().filter_map(|(h, n)| n.map(|n| (h, n))) {
        let list = b.get(href).await;
        assert_eq!(list.status, StatusCode::OK, "{href}");
        assert_eq!(
            list.html.matches("<tr data-number=").count(),
            shown,
            "{href}"
        );
        followed += 1;
    }
    assert!(followed >= 8, "the stage and headline tiles: {followed}");
    // The headline: both applications of the branch are open and long overdue.
    let overdue = tiles(&page.html)
        .into_iter()
        .find(|(h, n)| h.contains("overdue=true") && h.contains("pending=true") && n.is_some())
        .expect("the headline's open overdue figure");
    assert_eq!(overdue.1, Some(2));
    // An organization outside the registry is no page.
    assert_eq!(
        b.get("/analytics?org=NOPE").await.status,
        StatusCode::NOT_FOUND
    );
}

both!(
    dashboard_figures_match_their_lists,
    the_dashboard_follows_the_chosen_organization,
    lists_page_in_either_order,
    sign_in_is_hardened,
    roles_and_scope_are_enforced,
    an_application_is_registered_and_completed_through_the_forms,
    the_language_is_remembered_per_user,
    the_page_says_why_an_application_is_late,
);
