//! The front office's pages (issue 18) on both backends through the real server: the kiosk
//! takes a ticket once however often its form is sent (the page's key), and refuses a forged
//! form; the counter's screen works the queue with the same rules as the API — an operator
//! reaches only their own counter (`not_your_counter`), a supervisor picks one of the branch;
//! the hall display, the digital ticket and a booking's page answer anyone, and 404 in the
//! reader's language for what does not exist.

use crate::browser::{user, Browser, PASSWORD};
use crate::front_office::office;
use crate::support::TestApp;
use qyzmet_store::UserRole;
use reqwest::StatusCode;
use serde_json::json;

async fn the_kiosk_and_the_counter_work_the_queue(app: &TestApp) {
    let counters = office(app, "PG-01", 2).await;
    user(app, "op1", UserRole::Operator, Some("GOV-1")).await;
    user(app, "op2", UserRole::Operator, Some("GOV-1")).await;
    user(app, "sup", UserRole::Supervisor, Some("GOV-1")).await;
    // The second counter is op1's.
    let (s, c) = app
        .post(
            &app.admin,
            "/api/v1/offices/PG-01/counters",
            json!({"window": 3, "purposes": ["acceptance"], "employee": "op1"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let mine = c["id"].as_i64().unwrap();

    // The kiosk, signed in by op2: one ticket however often the same page's form is sent.
    let mut kiosk = Browser::new(app);
    kiosk.sign_in("op2", PASSWORD).await;
    let page = kiosk.get("/kiosk/PG-01?lang=ru").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("Подача документов"),
        "Russian on request"
    );
    let (csrf, key) = (page.field("csrf"), page.field("key"));
    let form = [
        ("csrf", csrf.as_str()),
        ("key", key.as_str()),
        ("lang", "ru"),
        ("purpose", "acceptance"),
    ];
    let first = kiosk.post("/kiosk/PG-01/tickets", &form).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.html);
    assert!(
        first.html.contains("data-testid=\"printed-number\">A001<"),
        "{}",
        first.html
    );
    assert!(first.html.contains("<svg"), "the QR code");
    let again = kiosk.post("/kiosk/PG-01/tickets", &form).await;
    assert!(
        again.html.contains("data-testid=\"printed-number\">A001<"),
        "the same ticket"
    );
    let forged = [
        ("csrf", "forged"),
        ("key", "k2"),
        ("lang", "ru"),
        ("purpose", "acceptance"),
    ];
    let refused = kiosk.post("/kiosk/PG-01/tickets", &forged).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let bad = [
        ("csrf", csrf.as_str()),
        ("key", "k3"),
        ("lang", "ru"),
        ("purpose", "lunch"),
    ];
    let bad = kiosk.post("/kiosk/PG-01/tickets", &bad).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.html.contains("data-testid=\"kiosk-error\""),
        "{}",
        bad.html
    );

    // op1's own counter: open, call next (the kiosk's ticket), start, finish.
    let mut op1 = Browser::new(app);
    op1.sign_in("op1", PASSWORD).await;
    let screen = op1.get("/counter").await;
    assert_eq!(screen.status, StatusCode::OK);
    assert!(
        screen.html.contains(&format!("data-counter=\"{mine}\"")),
        "op1's counter"
    );
    let csrf = screen.field("csrf");
    for action in ["open", "call-next", "start"] {
        let p = op1
            .post(&format!("/counter/{mine}/{action}"), &[("csrf", &csrf)])
            .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{action}: {}", p.html);
    }
    let serving = op1.get("/counter").await;
    assert!(
        serving
            .html
            .contains("data-testid=\"current-number\">A001<"),
        "{}",
        serving.html
    );
    // Calling while serving is the API's refusal, on the screen, in the user's language.
    let busy = op1
        .post(&format!("/counter/{mine}/call-next"), &[("csrf", &csrf)])
        .await;
    assert_eq!(busy.status, StatusCode::CONFLICT);
    assert!(busy.html.contains("data-testid=\"counter-error\""));
    let done = op1
        .post(
            &format!("/counter/{mine}/finish"),
            &[("csrf", &csrf), ("outcome", "accepted")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);

    // Another operator's counter is not op1's; a supervisor picks any of the branch.
    let theirs = op1.get(&format!("/counter?id={}", counters[0])).await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);
    let acted = op1
        .post(
            &format!("/counter/{}/open", counters[0]),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(acted.status, StatusCode::FORBIDDEN, "not_your_counter");
    let mut sup = Browser::new(app);
    sup.sign_in("sup", PASSWORD).await;
    let choose = sup.get("/counter").await;
    assert!(
        choose.html.contains(&format!("/counter?id={mine}")),
        "{}",
        choose.html
    );
    assert_eq!(
        sup.get(&format!("/counter?id={mine}")).await.status,
        StatusCode::OK
    );

    // The public pages: anyone; unknown ones are 404 in the reader's language.
    let mut anyone = Browser::new(app);
    let hall = anyone.get("/display/PG-01").await;
    assert_eq!(hall.status, StatusCode::OK);
    assert!(hall.html.contains("/api/v1/offices/PG-01/display/stream"));
    assert_eq!(
        anyone.get("/display/NOPE").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anyone
            .get("/ticket/00000000-0000-0000-0000-000000000000")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anyone.get("/booking/not-a-link").await.status,
        StatusCode::NOT_FOUND
    );
    // The kiosk is the branch's: signed out it asks to sign in.
    let kiosk_out = anyone.get("/kiosk/PG-01").await;
    assert_eq!(kiosk_out.status, StatusCode::SEE_OTHER);
}

/// Two visits served at window 1, one not shown at window 2, one still waiting: the figures by
/// day, counter and service add up to them; the board shows who waits and which counter is
/// idle; the analyst's page lists them and its workbook reads back with the same numbers.
async fn the_queue_is_measured_and_watched(app: &TestApp) {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let counters = office(app, "PG-02", 2).await;
    let take = || async {
        let (s, t) = crate::front_office::take(
            app,
            Some(&app.admin),
            "PG-02",
            json!({"purpose": "acceptance", "service_code": "ARCH-001"}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{t}");
    };
    let act = |counter: i64, step: &'static str| async move {
        let (s, b) = app
            .post(
                &app.admin,
                &format!("/api/v1/counters/{counter}/{step}"),
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{step}: {b}");
    };
    for _ in 0..2 {
        take().await;
        for step in ["call-next", "start", "finish"] {
            act(counters[0], step).await;
        }
    }
    take().await;
    act(counters[1], "call-next").await;
    for _ in 0..2 {
        act(counters[1], "recall").await;
    }
    act(counters[1], "no-show").await;
    take().await;

    let today = qyzmet_domain::zone::local_date(jiff::Timestamp::now());
    let figures = |by: &'static str| async move {
        let (s, f) = app
            .get(
                &app.admin,
                &format!("/api/v1/offices/PG-02/figures?from={today}&to={today}&by={by}"),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{f}");
        f
    };
    let by_day = figures("day").await;
    let total = &by_day["total"];
    assert_eq!(
        (
            total["visits"].as_i64(),
            total["served"].as_i64(),
            total["no_shows"].as_i64()
        ),
        (Some(4), Some(2), Some(1))
    );
    assert_eq!(total["wait"]["count"], 3, "the waiting one has no wait yet");
    assert_eq!(by_day["rows"][0]["key"], today.to_string());
    let by_counter = figures("counter").await;
    let rows = by_counter["rows"].as_array().unwrap();
    let row = |window: &str| {
        rows.iter()
            .find(|r| r["label"].as_str().unwrap().ends_with(window))
            .unwrap()
            .clone()
    };
    assert_eq!(row("1")["figures"]["served"], 2);
    assert_eq!(row("2")["figures"]["no_shows"], 1);
    assert_eq!(
        rows.iter()
            .map(|r| r["figures"]["visits"].as_i64().unwrap())
            .sum::<i64>(),
        4
    );
    let by_service = figures("service").await;
    assert_eq!(by_service["rows"][0]["key"], "ARCH-001");
    let (s, e) = app
        .get(
            &app.admin,
            &format!("/api/v1/offices/PG-02/figures?from={today}&to=2020-01-01"),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str(), e["error"]["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("period_reversed"),
            Some("to")
        )
    );

    let (s, board) = app.get(&app.admin, "/api/v1/offices/PG-02/board").await;
    assert_eq!(s, StatusCode::OK, "{board}");
    assert_eq!(board["waiting"].as_array().unwrap().len(), 1);
    assert!(
        board["counters"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["idle"] == true),
        "{board}"
    );

    // The analyst's page and its workbook.
    user(app, "analyst1", UserRole::Analyst, None).await;
    let mut an = Browser::new(app);
    an.sign_in("analyst1", PASSWORD).await;
    let page = an
        .get(&format!(
            "/analytics/queue?office=PG-02&from={today}&to={today}&by=counter"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("data-testid=\"queue-total\""));
    let xlsx = an
        .raw(&format!(
            "/analytics/queue?office=PG-02&from={today}&to={today}&by=counter&format=xlsx"
        ))
        .await
        .bytes()
        .await
        .unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let last = sheet.height() - 1;
    assert_eq!(
        sheet.get((last, 1)),
        Some(&Data::Float(4.0)),
        "the totals row: 4 visits"
    );
    assert_eq!(sheet.get((last, 2)), Some(&Data::Float(2.0)), "2 served");
    let board_page = an.get("/office/PG-02/board").await;
    assert_eq!(board_page.status, StatusCode::OK);
    assert!(board_page.html.contains("data-testid=\"idle\""));
    // An operator of another branch's sub-tree cannot read them.
    let (s, _) = app
        .get(
            &app.token_for("MIN").await,
            "/api/v1/offices/PG-02/figures?from=2026-01-01&to=2026-01-02",
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let _ = counters;
}

crate::both!(
    the_kiosk_and_the_counter_work_the_queue,
    the_queue_is_measured_and_watched,
);
