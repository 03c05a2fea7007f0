//! Data in the reader's language (issue 16, B.8), on both backends: the production calendar's
//! names and legal sources in Kazakh, Russian and English over the API (the English `name` and
//! `source` kept for older readers) and on the administrator's year view; an edit's
//! translations kept; and a database seeded before the translations existed gets them from the
//! shipped calendar when a node opens it, leaving an administrator's day as it was; term
//! variants named in each language (kept across a new version of the terms) and information
//! systems shown by their names on the administrator's pages; how a planned date was derived,
//! told in the reader's language on the application's page.

use crate::browser::{user, Browser, PASSWORD};
use crate::support::TestApp;
use qyzmet_store::UserRole;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The API's entry of `date` in `cal` (the body of `GET /api/v1/calendar`).
fn entry<'a>(cal: &'a Value, date: &str) -> &'a Value {
    cal["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["date"] == date)
        .unwrap_or_else(|| panic!("no entry for {date}: {cal}"))
}

/// A browser signed in as a new user `name` of `role` (at `org`), reading Russian, from `home`.
async fn reading_russian<'a>(
    app: &'a TestApp,
    name: &str,
    role: UserRole,
    org: Option<&str>,
    home: &str,
) -> Browser<'a> {
    user(app, name, role, org).await;
    let mut b = Browser::new(app);
    let page = b.sign_in(name, PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let csrf = b.csrf(home).await;
    b.post(
        "/account/language",
        &[("csrf", &csrf), ("lang", "ru"), ("back", home)],
    )
    .await;
    b
}

async fn the_calendar_speaks_each_language(app: &TestApp) {
    app.seed().await;
    let (s, cal) = app.get(&app.admin, "/api/v1/calendar?year=2026").await;
    assert_eq!(s, StatusCode::OK, "{cal}");
    // Every shipped entry: English (the old fields), Kazakh and Russian, names and sources.
    for e in cal["entries"].as_array().unwrap() {
        for field in [
            "name",
            "source",
            "name_kk",
            "name_ru",
            "source_kk",
            "source_ru",
        ] {
            assert!(
                !e[field].as_str().unwrap_or("").trim().is_empty(),
                "{field} of {e}"
            );
        }
    }
    // Tue 24 March 2026: the day off moved from Saturday 21 March, Nauryz.
    let moved = entry(&cal, "2026-03-24");
    assert!(
        moved["name"].as_str().unwrap().contains("Nauryz"),
        "{moved}"
    );
    assert!(
        moved["name_ru"]
            .as_str()
            .unwrap()
            .contains("Наурыз мейрамы"),
        "{moved}"
    );
    assert!(
        moved["name_ru"].as_str().unwrap().contains("21.03.2026"),
        "{moved}"
    );
    assert!(
        moved["source_ru"].as_str().unwrap().contains("Закон"),
        "{moved}"
    );
    assert!(
        moved["source_kk"].as_str().unwrap().contains("Заң"),
        "{moved}"
    );

    // An edit with its translations keeps them; one without them still answers in English.
    let (s, r) = app
        .send(
            reqwest::Method::PUT,
            Some(&app.admin),
            "/api/v1/calendar/2026-11-24",
            Some(&json!({
                "kind": "day_off", "name": "Test day off", "source": "Order No. 1 (test)",
                "name_kk": "Сынақ демалыс күні", "name_ru": "Тестовый выходной",
                "source_kk": "№ 1 бұйрық (сынақ)", "source_ru": "Приказ № 1 (тест)"
            })),
            Some("ru"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, r) = app
        .send(
            reqwest::Method::PUT,
            Some(&app.admin),
            "/api/v1/calendar/2026-11-25",
            Some(&json!({"kind": "day_off", "name": "Only English", "source": "Order No. 2"})),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (_, cal) = app.get(&app.admin, "/api/v1/calendar?year=2026").await;
    let edited = entry(&cal, "2026-11-24");
    assert_eq!(edited["name_ru"], "Тестовый выходной", "{edited}");
    assert_eq!(edited["source_kk"], "№ 1 бұйрық (сынақ)", "{edited}");
    assert_eq!(edited["name"], "Test day off", "{edited}");
    let english = entry(&cal, "2026-11-25");
    assert_eq!(english["name_kk"], "", "{english}");

    // The year view in Russian: the Russian name and source; the English where none is given.
    let mut b = reading_russian(
        app,
        "admin",
        UserRole::Administrator,
        None,
        "/admin/calendar",
    )
    .await;
    let year = b.get("/admin/calendar?year=2026").await;
    assert_eq!(year.status, StatusCode::OK);
    assert!(year.html.contains("Тестовый выходной"), "the Russian name");
    assert!(
        year.html.contains("Приказ № 1 (тест)"),
        "the Russian source"
    );
    assert!(
        year.html.contains("Only English"),
        "no translation: English"
    );
    assert!(
        year.html.contains("Наурыз мейрамы, 1-й день"),
        "the shipped entries in Russian"
    );
    assert!(
        !year.html.contains("Nauryz meiramy, day 1"),
        "not the English name"
    );
    // The form for an edited day comes filled with its translations.
    let form = b.get("/admin/calendar?date=2026-11-24").await;
    assert!(
        form.html.contains("value=\"Сынақ демалыс күні\""),
        "the Kazakh name in the form"
    );
}

async fn translations_reach_a_database_seeded_before_them(app: &TestApp) {
    app.seed().await;
    // An administrator's day, and the days as an earlier release stored them: English only.
    let (s, r) = app
        .send(
            reqwest::Method::PUT,
            Some(&app.admin),
            "/api/v1/calendar/2026-03-23",
            Some(&json!({"kind": "day_off", "name": "Edited (test)", "source": "Order (test)"})),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    app.store
        .execute_raw(
            "UPDATE calendar_entries SET name_kk = '', name_ru = '', source_kk = '', source_ru = ''",
        )
        .await
        .unwrap();

    let reopened = qyzmet_server::open_store(&app.config).await.unwrap();
    reopened.close().await;

    let stored = app.store.calendar_entries().await.unwrap();
    for e in &stored {
        if e.date == jiff::civil::date(2026, 3, 23) {
            assert_eq!(e.name, "Edited (test)");
            assert_eq!(e.name_ru, "", "the administrator's day is kept as it was");
            assert_eq!(e.name_in("ru"), "Edited (test)");
            continue;
        }
        assert!(!e.name_kk.is_empty() && !e.name_ru.is_empty(), "{e:?}");
        assert!(!e.source_kk.is_empty() && !e.source_ru.is_empty(), "{e:?}");
    }
}

async fn term_variants_and_systems_are_named(app: &TestApp) {
    app.seed().await;
    let named = json!({"kk": "Стандартты мерзім", "ru": "Стандартный срок", "en": "Standard term"});
    let (s, svc) = app
        .post(
            &app.admin,
            "/api/v1/services",
            json!({"code": "SVC-NAMED", "organization": "MIN-AST", "acceptance_day_counted": false,
                   "channels": ["provider"], "depends_on": ["egov_gateway"],
                   "name": {"kk": "Қызмет", "ru": "Услуга", "en": "Service"},
                   "terms": [{"variant": "standard", "amount": 5, "unit": "working_days", "name": named},
                             {"variant": "archive_request", "amount": 30, "unit": "calendar_days"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{svc}");
    assert_eq!(svc["terms"][0]["name"], named, "{svc}");
    assert!(
        svc["terms"][1].get("name").is_none(),
        "no name, no member: {svc}"
    );

    // A new version that leaves the names out keeps the name of the variant it keeps.
    let (s, svc) = app
        .send(
            reqwest::Method::PUT,
            Some(&app.admin),
            "/api/v1/services/SVC-NAMED/terms",
            Some(&json!({"terms": [{"variant": "standard", "amount": 7, "unit": "working_days"},
                                   {"variant": "reduced_term", "amount": 1, "unit": "working_days"}],
                         "legal_basis": "Order No. 1"})),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{svc}");
    assert_eq!(svc["terms_version"], 2, "{svc}");
    assert_eq!(svc["terms"][0]["amount"], 7, "{svc}");
    assert_eq!(svc["terms"][0]["name"], named, "the name is kept: {svc}");
    assert!(svc["terms"][1].get("name").is_none(), "{svc}");
    // A name that is not text is refused at its field, named in words in the message.
    let (s, e) = app
        .send(
            reqwest::Method::PUT,
            Some(&app.admin),
            "/api/v1/services/SVC-NAMED/terms",
            Some(
                &json!({"terms": [{"variant": "standard", "amount": 7, "unit": "working_days",
                                    "name": {"kk": " ", "ru": "Срок", "en": "Term"}}],
                        "legal_basis": "Order No. 1"}),
            ),
            Some("ru"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "terms[0].name.kk", "{e}");
    let message = e["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("аименование на казахском языке (запись № 1) (terms[0].name.kk)"),
        "{message}"
    );

    // The administrator's pages in Russian: the variant's name, the systems' names.
    let mut b = reading_russian(
        app,
        "admin",
        UserRole::Administrator,
        None,
        "/admin/services",
    )
    .await;
    let page = b.get("/admin/services/SVC-NAMED").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("Стандартный срок <code>standard</code>"),
        "{}",
        page.html
    );
    assert!(page.html.contains("<code>reduced_term</code>"));
    // The seeded systems are named after their codes; one named otherwise shows its name.
    app.store
        .upsert_information_system(&qyzmet_store::InformationSystem {
            code: "egov_gateway".into(),
            name: qyzmet_store::LocalizedName {
                kk: "Шлюз (kk)".into(),
                ru: "Шлюз электронного правительства".into(),
                en: "E-government gateway".into(),
            },
            operator: "NIT".into(),
        })
        .await
        .unwrap();
    let page = b.get("/admin/services/SVC-NAMED").await;
    assert!(
        page.html.contains("Шлюз электронного правительства"),
        "the service's systems by name"
    );
    let list = b.get("/admin/services").await;
    assert!(
        list.html.contains("Стандартный срок: 7"),
        "the list names the variant"
    );
    assert!(
        list.html.contains("Шлюз электронного правительства"),
        "the list names the systems"
    );
}

async fn the_derivation_is_told_in_the_readers_language(app: &TestApp) {
    app.seed().await;
    let tok = app.token_for("MIN-AST").await;
    // Five working days from Fri 2026-03-20 10:00: Nauryz moves days off; planned 1 April.
    let a = app
        .register(&tok, "SVC-WD5", "MIN-AST", "2026-03-20T10:00:00+05:00")
        .await;
    let number = a["number"].as_str().unwrap().to_string();
    let mut b = reading_russian(app, "op.ast", UserRole::Operator, Some("MIN-AST"), "/work").await;
    let page = b.get(&format!("/work/applications/{number}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let rules = page.html.split("class=\"rules\"").nth(1).unwrap();
    let rules = rules.split("</ol>").next().unwrap();
    assert!(rules.contains("отсчёт начинается Сб 21.03.2026"), "{rules}");
    assert!(rules.contains("плановая дата Ср 01.04.2026"), "{rules}");
    assert!(
        !rules.contains("lang=\"en\""),
        "no note left in English: {rules}"
    );
    assert!(!rules.contains("working day(s)"), "{rules}");

    // A day off added later moves the planned date; the page says why in Russian.
    let (s, r) = app
        .send(
            reqwest::Method::PUT,
            Some(&app.admin),
            "/api/v1/calendar/2026-03-31",
            Some(
                &json!({"kind": "day_off", "name": "Test day off", "source": "Order (test)",
                         "name_ru": "Тестовый выходной", "source_ru": "Приказ (тест)"}),
            ),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let page = b.get(&format!("/work/applications/{number}")).await;
    assert!(
        page.html.contains(
            "в производственном календаре Вт 31.03.2026 стал выходным днём (Тестовый выходной)"
        ),
        "{}",
        page.html
    );
    assert!(!page.html.contains("is now a day off"), "no English reason");
}

crate::both!(
    the_calendar_speaks_each_language,
    translations_reach_a_database_seeded_before_them,
    term_variants_and_systems_are_named,
    the_derivation_is_told_in_the_readers_language
);
