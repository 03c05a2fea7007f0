//! The violations report's page (000 §12) and the quality annex page (003 annex) of the
//! workstation (issue 5), over HTTP as a browser sends them, on both backends: the page's
//! figures, charts and files equal the API's for the same month and version; the trend has
//! twelve months and marks those without a stored report; every figure's link lists as many
//! applications as it counts; applicants are masked for analysts and an administrator's
//! unmasked view is audited; roles and bad input are refused with a page.

use crate::browser::{user, Browser, Page};
use crate::support::{iin, stage, TestApp};
use qyzmet_store::UserRole;
use reqwest::StatusCode;
use serde_json::{json, Value};

const FIGURES: [&str; 6] = [
    "due",
    "on_time",
    "violations",
    "technical",
    "open_overdue",
    "overdue_days",
];

fn figures(v: &Value) -> [i64; 6] {
    FIGURES.map(|k| v[k].as_i64().unwrap_or_else(|| panic!("{k} in {v}")))
}

/// The value of attribute `name` in the first tag of `tag`.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let head = &tag[..tag.find('>').unwrap_or(tag.len())];
    let start = head.find(&key)? + key.len();
    let end = head[start..].find('"')?;
    // The templates escape `&` in attributes (as `&#38;`, or `&amp;` where written so).
    Some(
        head[start..start + end]
            .replace("&#38;", "&")
            .replace("&amp;", "&"),
    )
}

/// The element of `html` that opens with `open` (e.g. `<table id="x"`), up to `close`.
fn element<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html
        .find(open)
        .unwrap_or_else(|| panic!("no {open} in the page"));
    let end = html[start..].find(close).map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// The integer a cell shows (digits only: thousands are separated by the language).
fn number(text: &str) -> i64 {
    let mut inside = false;
    let mut digits = String::new();
    for c in text.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside && c.is_ascii_digit() => digits.push(c),
            _ => {}
        }
    }
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number in {text}"))
}

/// A figure's cell: its scope (`own`, `total`, or none), figure, value and link.
struct Cell {
    scope: Option<String>,
    figure: String,
    value: i64,
    href: Option<String>,
}

/// The rows (`<tr data-code=…>`) of a table and their figure cells.
fn table(html: &str, id: &str) -> Vec<(String, Vec<Cell>)> {
    let t = element(html, &format!("<table id=\"{id}\""), "</table>");
    t.split("<tr data-code=\"")
        .skip(1)
        .map(|row| {
            let code = row[..row.find('"').unwrap()].to_string();
            let cells = row
                .split("<td class=\"num\"")
                .skip(1)
                .map(|td| {
                    let td = &td[..td.find("</td>").unwrap()];
                    let tag = format!("<td{td}");
                    Cell {
                        scope: attr(&tag, "data-scope"),
                        figure: attr(&tag, "data-figure").unwrap(),
                        value: number(&td[td.find('>').unwrap() + 1..]),
                        href: td
                            .find("<a href=\"")
                            .map(|i| attr(&td[i..], "href").unwrap()),
                    }
                })
                .collect();
            (code, cells)
        })
        .collect()
}

/// The `<g class="…">` groups of an SVG chart, as their opening tags.
fn groups(html: &str, svg_id: &str, class: &str) -> Vec<String> {
    let svg = element(html, &format!("<svg id=\"{svg_id}\""), "</svg>");
    svg.split(&format!("<g class=\"{class}\""))
        .skip(1)
        .map(|g| format!("<g {}", &g[..g.find('>').unwrap() + 1]))
        .collect()
}

fn text_of(html: &str, testid: &str) -> String {
    let el = element(html, &format!("data-testid=\"{testid}\""), "</");
    el[el.find('>').unwrap() + 1..].trim().to_string()
}

async fn staff(app: &TestApp) {
    app.seed().await;
    user(app, "analyst", UserRole::Analyst, None).await;
    user(app, "admin", UserRole::Administrator, None).await;
    user(app, "op.ast", UserRole::Operator, Some("MIN-AST")).await;
}

/// March 2026: on time, late, open past the deadline, a late one with an outage in its
/// window (technical); May 2026: one open past its deadline, one on time. No April.
async fn months_of_applications(app: &TestApp) {
    let admin = app.admin.clone();
    // (service, executor, accepted, executed)
    let plan: [(&str, &str, &str, Option<&str>); 8] = [
        (
            "SVC-H2",
            "MIN-ALA",
            "2026-03-10T10:00:00+05:00",
            Some("2026-03-10T11:00:00+05:00"),
        ),
        (
            "SVC-H2",
            "MIN-ALA",
            "2026-03-11T10:00:00+05:00",
            Some("2026-03-13T10:00:00+05:00"),
        ),
        ("SVC-H2", "MIN-ALA", "2026-03-12T10:00:00+05:00", None),
        (
            "ARCH-001",
            "AKIM-ARC",
            "2026-03-02T10:00:00+05:00",
            Some("2026-03-20T10:00:00+05:00"),
        ),
        (
            "SVC-WD5",
            "MIN-AST",
            "2026-03-02T10:00:00+05:00",
            Some("2026-03-03T10:00:00+05:00"),
        ),
        ("SVC-WD5", "MIN-AST", "2026-03-10T10:00:00+05:00", None),
        ("SVC-H2", "MIN-ALA", "2026-05-12T10:00:00+05:00", None),
        (
            "SVC-WD5",
            "MIN-AST",
            "2026-05-04T10:00:00+05:00",
            Some("2026-05-05T10:00:00+05:00"),
        ),
    ];
    for (i, (service, executor, accepted, executed)) in plan.iter().enumerate() {
        let (s, a) = app
            .post(&admin, "/api/v1/applications", json!({"service_code": service,
                "applicant": {"iin": iin(70 + i as u32), "last_name": "Нұрланов", "first_name": "Асқар"},
                "channel": "provider", "acceptance_place": executor, "executor": executor,
                "accepted_at": accepted}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        if let Some(t) = executed {
            let number = a["number"].as_str().unwrap();
            let (s, e) = app.event(&admin, number, stage("executed", t)).await;
            assert_eq!(s, StatusCode::CREATED, "{e}");
        }
    }
    let (s, o) = app
        .post(
            &admin,
            "/api/v1/outages",
            json!({"started_at": "2026-03-13T08:00:00+05:00", "ended_at": "2026-03-13T10:00:00+05:00",
                   "systems": ["egov_gateway"], "operator": "NIT", "description": "test"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
}

/// March's first version as the job of 1 April makes it (delivered on time), May's on demand
/// now (delivered late).
async fn generate(app: &TestApp) {
    let march = "2026-03".parse().unwrap();
    app.store
        .generate_violations_report(
            march,
            "2026-04-01T00:10:00+05:00".parse().unwrap(),
            "schedule",
            "node:test",
        )
        .await
        .unwrap();
    let (s, g) = app
        .post(
            &app.admin,
            "/api/v1/reports/violations/generate",
            json!({"month": "2026-05"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
}

async fn signed_in<'a>(app: &'a TestApp, username: &str) -> Browser<'a> {
    let mut b = Browser::new(app);
    let page = b.sign_in(username, crate::browser::PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    b
}

async fn ok(b: &mut Browser<'_>, path: &str) -> Page {
    let page = b.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.html);
    page
}

async fn the_report_page_shows_the_api_figures(app: &TestApp) {
    staff(app).await;
    months_of_applications(app).await;
    generate(app).await;
    let (s, api) = app
        .get(&app.admin, "/api/v1/reports/violations?month=2026-03")
        .await;
    assert_eq!(s, StatusCode::OK, "{api}");
    assert_eq!(api["version"], 1);
    let orgs = api["organizations"].as_array().unwrap().clone();
    let services = api["services"].as_array().unwrap().clone();

    let mut analyst = signed_in(app, "analyst").await;
    // Linked from the dashboard and the navigation.
    let dashboard = ok(&mut analyst, "/analytics").await;
    assert!(dashboard
        .html
        .contains("href=\"/analytics/reports/violations\""));
    let page = ok(&mut analyst, "/analytics/reports/violations?month=2026-03").await;
    let html = &page.html;
    let head = element(html, "<section aria-labelledby=\"version-h\"", ">");
    assert_eq!(attr(head, "data-version").as_deref(), Some("1"));
    assert_eq!(attr(head, "data-month").as_deref(), Some("2026-03"));
    // Delivered on 1 April: by the 15th; the month picker offers the stored months.
    assert!(!html.contains("data-testid=\"delivered-late\""));
    assert!(html.contains("<option value=\"2026-05\""));
    assert!(html.contains("<option value=\"2026-03\" selected"));
    // The definitions, in Kazakh (the user's language), with the moment.
    assert!(html.contains("id=\"definitions\""));
    assert!(html.contains("Бұзушылық айы"), "the month of a violation");
    assert!(text_of(html, "help-as-of").contains("01.04.2026 00:10"));

    // The tables: every organization's own and total figures, every service's, as the API's.
    let rows = table(html, "report-organizations");
    assert_eq!(rows.len(), orgs.len());
    let mut links = vec![];
    for (code, cells) in &rows {
        let o = orgs.iter().find(|o| o["code"] == code.as_str()).unwrap();
        for scope in ["own", "total"] {
            let shown: Vec<i64> = cells
                .iter()
                .filter(|c| c.scope.as_deref() == Some(scope))
                .map(|c| c.value)
                .collect();
            assert_eq!(shown, figures(&o[scope]), "{code} {scope}");
        }
        for c in cells {
            // Every figure but a zero links to its list (a zero has none behind it).
            assert_eq!(c.href.is_some(), c.value != 0, "{code} {}", c.figure);
            if let Some(h) = &c.href {
                links.push((h.clone(), c.figure.clone(), c.value));
            }
        }
    }
    let service_rows = table(html, "report-services");
    assert_eq!(service_rows.len(), services.len());
    for (code, cells) in &service_rows {
        let sv = services
            .iter()
            .find(|s| s["code"] == code.as_str())
            .unwrap();
        let shown: Vec<i64> = cells.iter().map(|c| c.value).collect();
        assert_eq!(shown, figures(&sv["figures"]), "{code}");
        for c in cells {
            if let Some(h) = &c.href {
                links.push((h.clone(), c.figure.clone(), c.value));
            }
        }
    }
    assert!(html.contains("href=\"/analytics/services/SVC-H2/quality?year=2026\""));

    // The charts: the roots' totals, the services with violations, their numbers.
    let bars = groups(html, "chart-organizations", "bar-row");
    let roots: Vec<&Value> = orgs.iter().filter(|o| o["parent"].is_null()).collect();
    assert_eq!(bars.len(), roots.len());
    for o in roots {
        let bar = bars
            .iter()
            .find(|b| attr(b, "data-code").as_deref() == o["code"].as_str())
            .unwrap();
        let f = figures(&o["total"]);
        assert_eq!(attr(bar, "data-violations"), Some(f[2].to_string()));
        assert_eq!(attr(bar, "data-technical"), Some(f[3].to_string()));
    }
    let with_violations: Vec<&Value> = services
        .iter()
        .filter(|s| figures(&s["figures"])[2] > 0)
        .collect();
    let bars = groups(html, "chart-services", "bar-row");
    assert_eq!(bars.len(), with_violations.len());
    for sv in with_violations {
        let bar = bars
            .iter()
            .find(|b| attr(b, "data-code").as_deref() == sv["code"].as_str())
            .unwrap();
        assert_eq!(
            attr(bar, "data-violations"),
            Some(figures(&sv["figures"])[2].to_string())
        );
    }
    let akim_arc = &orgs.iter().find(|o| o["code"] == "AKIM").unwrap()["total"];
    assert_eq!(figures(akim_arc)[3], 1, "the outage makes a technical one");
    for id in ["chart-organizations", "chart-services", "chart-trend"] {
        let svg = element(html, &format!("<svg id=\"{id}\""), "</svg>");
        assert!(svg.contains(&format!("<title id=\"{id}-title\">")), "{id}");
        assert!(svg.contains(&format!("<desc id=\"{id}-desc\">")), "{id}");
        assert!(!svg.contains("style="), "{id}: no inline style (CSP)");
    }
    // Drilled into the ministry: its committee's total.
    let drilled = ok(
        &mut analyst,
        "/analytics/reports/violations?month=2026-03&version=1&org=MIN",
    )
    .await;
    let bars = groups(&drilled.html, "chart-organizations", "bar-row");
    let com = orgs.iter().find(|o| o["code"] == "MIN-COM").unwrap();
    assert_eq!(bars.len(), 1);
    assert_eq!(
        attr(&bars[0], "data-violations"),
        Some(figures(&com["total"])[2].to_string())
    );

    // Every figure's link lists as many applications as it counts (overdue days: the
    // violations whose days it sums); applicants masked for the analyst.
    assert!(links.len() > 20, "{} links", links.len());
    for (href, figure, value) in &links {
        let list = ok(&mut analyst, href).await;
        if figure == "overdue_days" {
            assert_eq!(
                number(&text_of(&list.html, "overdue-days")),
                *value,
                "{href}"
            );
        } else {
            assert_eq!(number(&text_of(&list.html, "count")), *value, "{href}");
            assert_eq!(
                list.html.matches("<tr data-number=\"").count() as i64,
                *value,
                "{href}"
            );
        }
        assert!(list.html.contains("data-testid=\"masked\""), "{href}");
        assert!(!list.html.contains("Нұрланов"), "{href}: a name unmasked");
        assert!(list.html.contains("Н******* А****"), "{href}");
        assert!(list.html.contains("href=\"/analytics/applications/"));
    }
    assert!(
        !app.store
            .audit_of("violations:2026-03", 50)
            .await
            .unwrap()
            .iter()
            .any(|e| e.action == "report.applications"),
        "masked pages are not audited as personal data"
    );

    // The administrator sees the applicants, and that page is audited with the numbers.
    let mut admin = signed_in(app, "admin").await;
    let list = ok(
        &mut admin,
        "/analytics/reports/violations/applications?month=2026-03&version=1&org=MIN-ALA&scope=own&figure=violations",
    )
    .await;
    assert!(list.html.contains("Нұрланов Асқар"), "{}", list.html);
    assert!(!list.html.contains("data-testid=\"masked\""));
    let id = app
        .store
        .credentials("admin")
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    let mut audited = false;
    for _ in 0..100 {
        let entries = app.store.audit_of("violations:2026-03", 50).await.unwrap();
        if entries
            .iter()
            .any(|e| e.action == "report.applications" && e.actor == format!("user:{id}"))
        {
            audited = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(audited, "the administrator's unmasked page is audited");

    // Paging: one page of 50 at most, and the next link when there is more (not here).
    assert!(!list.html.contains("rel=\"next\""));

    // The trend: twelve months ending in May; March and May stored, April and the rest not.
    let may = ok(&mut analyst, "/analytics/reports/violations?month=2026-05").await;
    let months = groups(&may.html, "chart-trend", "trend-month");
    assert_eq!(months.len(), 12);
    assert_eq!(attr(&months[0], "data-month").as_deref(), Some("2025-06"));
    assert_eq!(attr(&months[11], "data-month").as_deref(), Some("2026-05"));
    let (_, may_api) = app
        .get(&app.admin, "/api/v1/reports/violations?month=2026-05")
        .await;
    let sum = |report: &Value, k: usize| -> i64 {
        report["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| figures(&s["figures"])[k])
            .sum()
    };
    for m in &months {
        let month = attr(m, "data-month").unwrap();
        match month.as_str() {
            "2026-03" | "2026-05" => {
                let report = if month == "2026-03" { &api } else { &may_api };
                assert_eq!(attr(m, "data-violations"), Some(sum(report, 2).to_string()));
                assert_eq!(attr(m, "data-technical"), Some(sum(report, 3).to_string()));
            }
            _ => assert_eq!(attr(m, "data-missing").as_deref(), Some("true"), "{month}"),
        }
    }
    assert_eq!(
        may.html.matches("data-missing=\"true\"").count(),
        2 * 10,
        "ten missing months, in the chart and in its table"
    );
    // Generated in November for May: delivered after the 15th of June.
    assert!(may.html.contains("data-testid=\"delivered-late\""));

    // A month without a stored report: computed now, and said so.
    let april = ok(&mut analyst, "/analytics/reports/violations?month=2026-04").await;
    assert!(april.html.contains("data-version=\"live\""));
    assert!(april.html.contains("data-testid=\"live\""));

    // The files, headed in the user's language, read back with the same figures.
    files_read_back(&mut analyst, &orgs, &services).await;
}

async fn download(b: &mut Browser<'_>, path: &str) -> Vec<u8> {
    let page = b.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    page.html.into_bytes()
}

async fn files_read_back(b: &mut Browser<'_>, orgs: &[Value], services: &[Value]) {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let base = "/analytics/reports/violations/file?month=2026-03&version=1&format=";
    // Excel, in Kazakh: one sheet per view, figures as numbers, the totals row last (issue 16
    // added the name after the code, each scope's share on time and the totals row). (The
    // browser helper reads bodies as text, so the workbook is fetched raw.)
    let xlsx = raw(b, &format!("{base}xlsx")).await;
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    assert_eq!(book.sheet_names(), vec!["Ұйымдар", "Қызметтер"]);
    let sheet = book.worksheet_range("Ұйымдар").unwrap();
    assert_eq!(sheet.height() - 3, orgs.len());
    for r in 2..sheet.height() - 1 {
        let Some(Data::String(code)) = sheet.get((r, 0)) else {
            panic!("row {r}")
        };
        let o = orgs.iter().find(|o| o["code"] == code.as_str()).unwrap();
        let numbers: Vec<i64> = (3..9)
            .chain(10..16)
            .map(|c| match sheet.get((r, c)) {
                Some(Data::Float(f)) => *f as i64,
                other => panic!("{code} column {c}: {other:?}"),
            })
            .collect();
        assert_eq!(numbers[..6], figures(&o["own"]), "{code} own");
        assert_eq!(numbers[6..], figures(&o["total"]), "{code} total");
    }
    let sheet = book.worksheet_range("Қызметтер").unwrap();
    assert_eq!(sheet.height() - 3, services.len());

    // CSV: the caption, the header, then own and total rows per organization, a row per
    // service and the totals row.
    let csv = download(b, &format!("{base}csv")).await;
    let records: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.as_slice())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert!(records[0][0].contains("2026-03"), "{records:?}");
    assert_eq!(records.len() - 2, orgs.len() * 2 + services.len() + 1);
    for o in orgs {
        let code = o["code"].as_str().unwrap();
        for (kind, key) in [("ұйым, өзінікі", "own"), ("ұйым, барлығы", "total")]
        {
            let row = records
                .iter()
                .find(|r| r[0] == kind && r[1] == code)
                .unwrap_or_else(|| panic!("{kind} {code}"));
            let got: Vec<i64> = row[4..10].iter().map(|v| v.parse().unwrap()).collect();
            assert_eq!(got, figures(&o[key]).to_vec(), "{kind} {code}");
        }
    }

    // JSON: the API's own shape.
    let json: Value = serde_json::from_slice(&download(b, &format!("{base}json")).await).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["organizations"].as_array().unwrap().len(), orgs.len());
    for o in orgs {
        let mine = json["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["code"] == o["code"])
            .unwrap();
        assert_eq!(figures(&mine["total"]), figures(&o["total"]));
    }
}

/// A response body's bytes, with the browser's cookies.
async fn raw(b: &mut Browser<'_>, path: &str) -> Vec<u8> {
    let resp = b.raw(path).await;
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    let disposition = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename="),
        "{disposition}"
    );
    resp.bytes().await.unwrap().to_vec()
}

async fn the_report_pages_refuse_roles_and_bad_input(app: &TestApp) {
    staff(app).await;
    let mut op = signed_in(app, "op.ast").await;
    for path in [
        "/analytics/reports/violations?month=2026-03",
        "/analytics/reports/violations/file?month=2026-03&format=csv",
        "/analytics/reports/violations/applications?month=2026-03",
        "/analytics/services",
        "/analytics/services/SVC-H2/quality?year=2026",
        "/analytics/services/SVC-H2/quality/file?year=2026&format=csv",
    ] {
        let page = op.get(path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.html.contains("data-testid=\"forbidden\""), "{path}");
    }
    let mut analyst = signed_in(app, "analyst").await;
    for (path, status, says) in [
        (
            "/analytics/reports/violations?month=2026-13",
            StatusCode::BAD_REQUEST,
            "ЖЖЖЖ-АА",
        ),
        (
            "/analytics/reports/violations?month=March",
            StatusCode::BAD_REQUEST,
            "ЖЖЖЖ-АА",
        ),
        (
            "/analytics/reports/violations?month=2026-03&version=first",
            StatusCode::BAD_REQUEST,
            "",
        ),
        (
            "/analytics/reports/violations?month=2026-03&version=3",
            StatusCode::NOT_FOUND,
            "2026-03",
        ),
        (
            "/analytics/reports/violations?month=2026-03&org=NOPE",
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "/analytics/reports/violations/file?month=2026-03&format=pdf",
            StatusCode::BAD_REQUEST,
            "xlsx",
        ),
        (
            "/analytics/reports/violations/applications?month=2026-03&figure=late",
            StatusCode::BAD_REQUEST,
            "мерзімі өткен",
        ),
        (
            "/analytics/reports/violations/applications?month=2026-03&scope=own",
            StatusCode::BAD_REQUEST,
            "",
        ),
        (
            "/analytics/reports/violations/applications?month=2026-03&org=NOPE",
            StatusCode::BAD_REQUEST,
            "",
        ),
        (
            "/analytics/reports/violations/applications?month=2026-03&cursor=%%%",
            StatusCode::BAD_REQUEST,
            "",
        ),
        (
            "/analytics/services/SVC-H2/quality?year=twenty",
            StatusCode::BAD_REQUEST,
            "2000",
        ),
        (
            "/analytics/services/SVC-H2/quality?year=1999",
            StatusCode::BAD_REQUEST,
            "2000",
        ),
        (
            "/analytics/services/NOPE-1/quality?year=2026",
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "/analytics/services/SVC-H2/quality/file?year=2026&format=json",
            StatusCode::BAD_REQUEST,
            "csv",
        ),
    ] {
        let page = analyst.get(path).await;
        assert_eq!(page.status, status, "{path}: {}", page.html);
        assert!(page.html.contains("<html lang=\"kk\">"), "{path}");
        let testid = if status == StatusCode::NOT_FOUND {
            "not-found"
        } else {
            "bad-request"
        };
        assert!(
            page.html.contains(&format!("data-testid=\"{testid}\"")),
            "{path}"
        );
        assert!(page.html.contains(says), "{path}: {says}");
    }
    // In the user's language.
    let csrf = analyst.csrf("/analytics").await;
    analyst
        .post("/account/language", &[("csrf", &csrf), ("lang", "en")])
        .await;
    let page = analyst
        .get("/analytics/reports/violations?month=2026-13")
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.html.contains("must be a month written YYYY-MM"),
        "{}",
        page.html
    );
}

async fn the_quality_page_shows_the_api_annex(app: &TestApp) {
    staff(app).await;
    months_of_applications(app).await;
    let admin = app.admin.clone();
    // Feedback on two applications of SVC-H2, and a target set.
    let (_, list) = app
        .get(&admin, "/api/v1/applications?service=SVC-H2&limit=10")
        .await;
    let numbers: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["number"].as_str().unwrap().to_string())
        .collect();
    for (n, answer) in numbers
        .iter()
        .zip([json!({"rating": 5}), json!({"rating": 2})])
    {
        let mut body = json!({"id": uuid::Uuid::new_v4().to_string(), "question": "process"});
        for (k, v) in answer.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (s, f) = app
            .post(&admin, &format!("/api/v1/applications/{n}/feedback"), body)
            .await;
        assert_eq!(s, StatusCode::CREATED, "{f}");
    }
    let (s, t) = app
        .send(
            reqwest::Method::PUT,
            Some(&admin),
            "/api/v1/services/SVC-H2/quality?year=2026",
            Some(&json!({"indicator": "1.1", "normative": 95, "target": 97.5})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    let (s, api) = app
        .get(&admin, "/api/v1/services/SVC-H2/quality?year=2026")
        .await;
    assert_eq!(s, StatusCode::OK, "{api}");

    let mut analyst = signed_in(app, "analyst").await;
    let services = ok(&mut analyst, "/analytics/services").await;
    assert!(services
        .html
        .contains("href=\"/analytics/services/SVC-H2/quality?year=2026\""));
    let page = ok(&mut analyst, "/analytics/services/SVC-H2/quality?year=2026").await;
    let t = element(&page.html, "<table id=\"quality-annex\"", "</table>");
    let rows: Vec<&str> = t.split("<tr data-indicator=\"").skip(1).collect();
    let indicators = api["indicators"].as_array().unwrap();
    assert_eq!(rows.len(), indicators.len());
    for (row, i) in rows.iter().zip(indicators) {
        assert!(row.starts_with(i["code"].as_str().unwrap()), "{row}");
        let cell = |name: &str| {
            let td = element(row, &format!("data-value=\"{name}\""), "</td>");
            (
                td[td.find('>').unwrap() + 1..].trim().to_string(),
                format!("<td {td}"),
            )
        };
        // Percentages as the language writes them (Kazakh: a decimal comma).
        let percent = |v: &Value| match v.as_f64() {
            None => "—".to_string(),
            Some(x) if x.fract() == 0.0 => format!("{x:.0}"),
            Some(x) => format!("{x:.1}").replace('.', ","),
        };
        assert_eq!(cell("normative").0, percent(&i["normative"]), "{row}");
        assert_eq!(cell("target").0, percent(&i["target"]), "{row}");
        assert_eq!(cell("current").0, percent(&i["current"]), "{row}");
        let counted = cell("counted").1;
        assert_eq!(
            attr(&counted, "data-numerator"),
            Some(i["numerator"].to_string())
        );
        assert_eq!(
            attr(&counted, "data-denominator"),
            Some(i["denominator"].to_string())
        );
    }
    assert!(page.html.contains("97,5"), "the target");
    let process = indicators.iter().find(|i| i["code"] == "2.1").unwrap();
    assert_eq!(process["numerator"], 1);
    assert_eq!(process["denominator"], 2);

    // The files read back: the same values, headed in Kazakh.
    let xlsx = raw(
        &mut analyst,
        "/analytics/services/SVC-H2/quality/file?year=2026&format=xlsx",
    )
    .await;
    crate::quality::annex_xlsx_matches(xlsx, "Көрсеткіштер", indicators);
    let csv = download(
        &mut analyst,
        "/analytics/services/SVC-H2/quality/file?year=2026&format=csv",
    )
    .await;
    crate::quality::annex_csv_matches(&csv, indicators);
}

crate::both!(
    the_report_page_shows_the_api_figures,
    the_report_pages_refuse_roles_and_bad_input,
    the_quality_page_shows_the_api_annex,
);
