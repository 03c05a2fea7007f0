//! User administration (issue 16, B.6) over HTTP as a browser sends it, on both backends:
//! the list and its search, a user's profile, role and organization, block (the user's
//! sessions end and sign-in is refused) and unblock, unlock after repeated failures, a
//! password reset that forces a change at the next sign-in; every change audited, an
//! administrator unable to block or demote themselves, other roles refused.

use crate::both;
use crate::browser::{post_when_released, user, Browser, Page, PASSWORD};
use crate::support::TestApp;
use qyzmet_server::config::Config;
use qyzmet_store::UserRole;
use reqwest::StatusCode;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Barrier;

/// Sign-in throttles out of the way (one username signs in a dozen times here), and a queue
/// for every concurrent sign-in at the hashing pool.
fn roomy(c: &mut Config) {
    c.sign_in_per_account_per_minute = 10_000;
    c.sign_in_per_client_per_minute = 10_000;
    c.hashing_queue = 1_000;
    c.hashing_max_wait_ms = 120_000;
}

async fn staff(app: &TestApp) -> (i64, i64) {
    app.seed().await;
    user(app, "op.ast", UserRole::Operator, Some("MIN-AST")).await;
    user(app, "analyst", UserRole::Analyst, None).await;
    user(app, "admin", UserRole::Administrator, None).await;
    let id = |name: &'static str| async move { app.store.user_id(name).await.unwrap().unwrap() };
    (id("op.ast").await, id("admin").await)
}

/// Posts the user page's form `action` for user `id` with `fields`.
async fn act(b: &mut Browser<'_>, id: i64, action: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = b.csrf(&format!("/admin/users/{id}")).await;
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    b.post(&format!("/admin/users/{id}/{action}"), &form).await
}

async fn actions_of(app: &TestApp, id: i64) -> Vec<(String, String, String)> {
    app.store
        .audit_of(&format!("user:{id}"), 1_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.actor, e.action, e.detail))
        .collect()
}

async fn administration_through_the_pages(app: &TestApp) {
    let (op, admin_id) = staff(app).await;
    let mut operator = Browser::new(app);
    assert_eq!(operator.sign_in("op.ast", PASSWORD).await.location, "/work");
    let mut admin = Browser::new(app);
    admin.sign_in("admin", PASSWORD).await;
    let admin_actor = format!("user:{admin_id}");

    // The list: every user, a search by username, the last sign-in.
    let list = admin.get("/admin/users").await;
    assert_eq!(list.status, StatusCode::OK);
    for name in ["op.ast", "analyst", "admin"] {
        assert!(
            list.html.contains(&format!("data-username=\"{name}\"")),
            "{name}"
        );
    }
    let found = admin.get("/admin/users?q=OP.AST").await;
    assert!(found.html.contains("data-username=\"op.ast\""));
    assert!(!found.html.contains("data-username=\"analyst\""));

    // The profile: a name in Kazakh letters, found again in any case.
    let saved = act(
        &mut admin,
        op,
        "profile",
        &[("full_name", "Айгерім Сейітова"), ("position", "Бас маман")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    assert_eq!(saved.location, format!("/admin/users/{op}?done=profile"));
    let found = admin
        .get("/admin/users?q=%D0%90%D0%99%D0%93%D0%95%D0%A0%D0%86%D0%9C")
        .await;
    assert!(found.html.contains("data-username=\"op.ast\""), "АЙГЕРІМ");
    let page = admin.get(&format!("/admin/users/{op}")).await;
    assert!(page.html.contains("Бас маман"));
    let bad = act(&mut admin, op, "profile", &[("full_name", "a\u{202e}b")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad
        .html
        .contains("id=\"full_name-error\" class=\"field-error\" role=\"alert\""));

    // Role and organization: the role's rule on the organization, beside the field.
    let refused = act(
        &mut admin,
        op,
        "role",
        &[("role", "analyst"), ("organization", "MIN-AST")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .html
        .contains("id=\"organization-error\" class=\"field-error\" role=\"alert\""));
    let moved = act(
        &mut admin,
        op,
        "role",
        &[("role", "supervisor"), ("organization", "MIN-ALA")],
    )
    .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.html);
    let record = app.store.user_record(op).await.unwrap().unwrap();
    assert_eq!(record.user.role, UserRole::Supervisor);
    assert_eq!(record.user.organization.unwrap().as_ref(), "MIN-ALA");

    // An administrator can neither block nor demote themselves.
    let own = act(&mut admin, admin_id, "block", &[("reason", "test")]).await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(own.html.contains("data-testid=\"user-error\""));
    let own = act(&mut admin, admin_id, "role", &[("role", "analyst")]).await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(own
        .html
        .contains("id=\"role-error\" class=\"field-error\" role=\"alert\""));
    assert!(app
        .store
        .user_record(admin_id)
        .await
        .unwrap()
        .unwrap()
        .block
        .is_none());
    // Nor reset their own password (the password page is theirs).
    let own = act(&mut admin, admin_id, "password", &[]).await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!own.html.contains("data-testid=\"temporary-password\""));
    assert_eq!(
        admin.get("/admin/users").await.status,
        StatusCode::OK,
        "still signed in"
    );

    // Blocking: a reason is required; the user's session ends at once and sign-in is refused
    // with the answer of a wrong password.
    let no_reason = act(&mut admin, op, "block", &[("reason", "  ")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(operator.get("/work").await.status, StatusCode::OK);
    let blocked = act(&mut admin, op, "block", &[("reason", "left the agency")]).await;
    assert_eq!(blocked.status, StatusCode::SEE_OTHER, "{}", blocked.html);
    let after = operator.get("/work").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location.starts_with("/sign-in"), "{}", after.location);
    let mut again = Browser::new(app);
    let refused = again.sign_in("op.ast", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let mut stranger = Browser::new(app);
    let wrong = stranger.sign_in("op.ast", "not the password at all").await;
    assert_eq!(
        wrong.html,
        refused
            .html
            .replace(&refused.field("pre"), &wrong.field("pre"))
    );
    let list = admin.get("/admin/users?status=blocked").await;
    assert!(list
        .html
        .contains("data-username=\"op.ast\" data-status=\"blocked\""));
    assert!(!list.html.contains("data-username=\"admin\""));

    // Unblocking: the user signs in again.
    let unblocked = act(&mut admin, op, "unblock", &[]).await;
    assert_eq!(unblocked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        again.sign_in("op.ast", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );

    // Locked after five failures; unlocked by the administrator.
    let mut guesser = Browser::new(app);
    for _ in 0..5 {
        guesser.sign_in("op.ast", "wrong password again").await;
    }
    let list = admin.get("/admin/users?status=locked").await;
    assert!(list
        .html
        .contains("data-username=\"op.ast\" data-status=\"locked\""));
    assert_eq!(
        Browser::new(app).sign_in("op.ast", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        act(&mut admin, op, "unlock", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let mut fresh = Browser::new(app);
    assert_eq!(
        fresh.sign_in("op.ast", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );

    // A reset: the temporary password shown once, the sessions ended, a change forced.
    let reset = act(&mut admin, op, "password", &[]).await;
    assert_eq!(reset.status, StatusCode::OK);
    let marker = "data-testid=\"temporary-password\">";
    let start = reset.html.find(marker).expect("the temporary password") + marker.len();
    let temporary = reset.html[start..start + 19].to_string();
    assert!(!admin
        .get(&format!("/admin/users/{op}"))
        .await
        .html
        .contains(&temporary));
    assert_eq!(fresh.get("/work").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        Browser::new(app).sign_in("op.ast", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let mut forced = Browser::new(app);
    let signed = forced.sign_in("op.ast", &temporary).await;
    assert_eq!(signed.location, "/account/password");
    let elsewhere = forced.get("/work").await;
    assert_eq!(elsewhere.location, "/account/password");
    let form = forced.get("/account/password").await;
    assert!(form.html.contains("data-testid=\"password-forced\""));
    let csrf = form.field("csrf");
    let same = forced
        .post(
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current", &temporary),
                ("new", &temporary),
                ("repeat", &temporary),
            ],
        )
        .await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    let changed = forced
        .post(
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current", &temporary),
                ("new", "a new password of mine"),
                ("repeat", "a new password of mine"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.html);
    assert_eq!(forced.get("/work").await.status, StatusCode::OK);
    assert!(
        !app.store
            .user_record(op)
            .await
            .unwrap()
            .unwrap()
            .user
            .must_change_password
    );

    // Every change audited with the administrator as the actor; no name in the audit.
    let audited = actions_of(app, op).await;
    for action in [
        "user.profile",
        "user.role",
        "user.block",
        "user.unblock",
        "user.unlock",
        "user.password_reset",
    ] {
        assert!(
            audited
                .iter()
                .any(|(actor, a, _)| a == action && *actor == admin_actor),
            "{action}: {audited:?}"
        );
    }
    assert!(audited.iter().all(|(_, _, d)| !d.contains("Айгерім")));
    assert!(audited
        .iter()
        .any(|(_, a, d)| a == "user.block" && d.contains("sessions closed: 1")));
    let list = admin.get("/admin/users?q=op.ast").await;
    assert!(!list.html.contains("not yet signed in") && !list.html.contains("әлі кірмеген"));
}

async fn only_administrators_administer(app: &TestApp) {
    let (op, admin_id) = staff(app).await;
    let mut analyst = Browser::new(app);
    analyst.sign_in("analyst", PASSWORD).await;
    assert_eq!(
        analyst
            .get(&format!("/admin/users/{admin_id}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let csrf = analyst.csrf("/analytics").await;
    let forged = analyst
        .post(
            &format!("/admin/users/{op}/block"),
            &[("csrf", &csrf), ("reason", "x")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(app
        .store
        .user_record(op)
        .await
        .unwrap()
        .unwrap()
        .block
        .is_none());
    let mut admin = Browser::new(app);
    admin.sign_in("admin", PASSWORD).await;
    assert_eq!(
        admin.get("/admin/users/999999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        act(&mut admin, op, "explode", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    // Revoking a token asks first.
    let tokens = admin.get("/admin/tokens").await;
    assert!(
        !tokens.html.contains("action=\"/admin/tokens/revoke\"")
            || tokens.html.contains("data-confirm=\"")
    );
}

fn cookie_header(cookies: &HashMap<String, String>) -> String {
    cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Posts `form` to `url` with `cookie` once every poster has reached `barrier`; the answer's
/// status and the session cookie it set, if any.
async fn post_at(
    barrier: Arc<Barrier>,
    url: String,
    cookie: String,
    form: Vec<(&'static str, String)>,
) -> (StatusCode, Option<String>) {
    let resp = post_when_released(barrier, url, cookie, form).await;
    let session = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("qyzmet_session="))
        .and_then(|c| c.split(';').next())
        .filter(|v| !v.is_empty())
        .map(str::to_string);
    (resp.status(), session)
}

/// A block racing concurrent sign-ins of its user: whichever sign-in got in before the block
/// lost its session with it, none after it gets in, on either backend.
async fn a_block_racing_sign_ins_leaves_no_session(app: &TestApp) {
    const CLIENTS: usize = 8;
    let (op, _) = staff(app).await;
    let mut admin = Browser::new(app);
    admin.sign_in("admin", PASSWORD).await;
    let csrf = admin.csrf(&format!("/admin/users/{op}")).await;
    let barrier = Arc::new(Barrier::new(CLIENTS + 1));
    let mut sign_ins = Vec::new();
    for _ in 0..CLIENTS {
        let mut b = Browser::new(app);
        let pre = b.get("/sign-in").await.field("pre");
        let form = vec![
            ("username", "op.ast".to_string()),
            ("password", PASSWORD.to_string()),
            ("pre", pre),
        ];
        sign_ins.push(tokio::spawn(post_at(
            barrier.clone(),
            app.url("/sign-in"),
            cookie_header(&b.cookies),
            form,
        )));
    }
    let block = tokio::spawn(post_at(
        barrier,
        app.url(&format!("/admin/users/{op}/block")),
        cookie_header(&admin.cookies),
        vec![("csrf", csrf), ("reason", "a race".into())],
    ));
    assert_eq!(block.await.unwrap().0, StatusCode::SEE_OTHER);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut got_in = 0;
    for s in sign_ins {
        let (status, session) = s.await.unwrap();
        match status {
            StatusCode::SEE_OTHER => {
                got_in += 1;
                let session = session.expect("a session cookie");
                let after = client
                    .get(app.url("/work"))
                    .header("Cookie", format!("qyzmet_session={session}"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(
                    after.status(),
                    StatusCode::SEE_OTHER,
                    "the session outlived the block"
                );
                let to = after.headers()["location"].to_str().unwrap().to_string();
                assert!(to.starts_with("/sign-in"), "{to}");
            }
            StatusCode::UNAUTHORIZED => assert!(session.is_none()),
            other => panic!("sign-in answered {other}"),
        }
    }
    let closed = actions_of(app, op)
        .await
        .into_iter()
        .find(|(_, a, _)| a == "user.block")
        .expect("the block is audited")
        .2;
    // Every sign-in that got in did so before the block, which closed its session.
    let n: usize = closed
        .rsplit("sessions closed: ")
        .next()
        .and_then(|n| n.parse().ok())
        .expect("the number of sessions closed");
    assert_eq!(n, got_in, "{closed}");
    assert_eq!(
        Browser::new(app).sign_in("op.ast", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
}

both!(
    with roomy;
    a_block_racing_sign_ins_leaves_no_session,
    administration_through_the_pages,
    only_administrators_administer
);
