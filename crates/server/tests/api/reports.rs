//! The violations report of 000 §12 through `GET /api/v1/reports/violations`: its figures
//! equal an independent computation (written here, from each application as the API shows
//! it, following MISSION.md's definitions) and the hand-checked values of a small month.

use crate::support::{iin, stage, TestApp};
use jiff::civil::Date;
use jiff::Timestamp;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashMap;

/// (due, on_time, violations, technical, open_overdue, overdue_days)
type F = [i64; 6];

fn figures(v: &Value) -> F {
    [
        "due",
        "on_time",
        "violations",
        "technical",
        "open_overdue",
        "overdue_days",
    ]
    .map(|k| v[k].as_i64().unwrap_or_else(|| panic!("{k} in {v}")))
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// The local (Almaty, +05:00) date of an instant the API wrote in local time.
fn local_date(s: &str) -> Date {
    s[..10].parse().unwrap()
}

/// The seed's tree, child → parent.
fn parent(code: &str) -> Option<&'static str> {
    match code {
        "MIN-COM" => Some("MIN"),
        "MIN-AST" | "MIN-ALA" => Some("MIN-COM"),
        "AKIM-ARC" => Some("AKIM"),
        _ => None,
    }
}

async fn month_is_counted_as_mission_defines(app: &TestApp) {
    app.seed().await;
    let admin = app.admin.clone();
    // (service, executor, accepted at, executed at)
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
        ("SVC-WD5", "MIN-AST", "2026-03-30T10:00:00+05:00", None),
        ("SVC-WD5", "MIN-AST", "2026-02-23T10:00:00+05:00", None),
        ("SVC-H2", "MIN-ALA", "2026-03-31T23:00:00+05:00", None),
    ];
    let mut numbers = vec![];
    for (i, (service, executor, accepted, executed)) in plan.iter().enumerate() {
        let (s, a) = app
            .post(&admin, "/api/v1/applications", json!({"service_code": service,
                "applicant": {"iin": iin(40 + i as u32), "last_name": "Нұрланов", "first_name": "Асқар"},
                "channel": "provider", "acceptance_place": executor, "executor": executor,
                "accepted_at": accepted}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        let number = a["number"].as_str().unwrap().to_string();
        if let Some(t) = executed {
            let (s, e) = app.event(&admin, &number, stage("executed", t)).await;
            assert_eq!(s, StatusCode::CREATED, "{e}");
        }
        numbers.push(number);
    }
    // egov_gateway (every seeded service depends on it) down on the 13th, 08:00–10:00: inside
    // the archive request's window (2nd to 17th), outside the 2-hour ones'. archive_is (no
    // service depends on it) down during the second 2-hour application.
    for (systems, start, end) in [
        (
            ["egov_gateway"],
            "2026-03-13T08:00:00+05:00",
            "2026-03-13T10:00:00+05:00",
        ),
        (
            ["archive_is"],
            "2026-03-11T10:30:00+05:00",
            "2026-03-11T11:00:00+05:00",
        ),
    ] {
        let (s, o) = app
            .post(
                &admin,
                "/api/v1/outages",
                json!({"started_at": start, "ended_at": end,
                "systems": systems, "operator": "NIT", "description": "test"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{o}");
    }

    let (s, report) = app
        .get(&admin, "/api/v1/reports/violations?month=2026-03")
        .await;
    assert_eq!(s, StatusCode::OK, "{report}");
    assert_eq!(report["month"], "2026-03");
    assert_eq!(report["due_by"], "2026-04-15");
    let as_of = at(report["as_of"].as_str().unwrap());

    // The independent computation, from each application as the API shows it.
    let mut own: HashMap<String, F> = HashMap::new();
    let mut by_service: HashMap<String, F> = HashMap::new();
    let window_hit = |from: Timestamp, to: Timestamp| {
        // The egov_gateway outage only: archive_is is no service's dependency.
        at("2026-03-13T08:00:00+05:00") <= to && at("2026-03-13T10:00:00+05:00") >= from
    };
    for n in &numbers {
        let (_, a) = app.get(&admin, &format!("/api/v1/applications/{n}")).await;
        let deadline = a["deadline"].as_str().unwrap();
        if !deadline.starts_with("2026-03-") {
            continue;
        }
        let planned = local_date(a["planned_date"].as_str().unwrap());
        let mut f: F = [1, 0, 0, 0, 0, 0];
        match a["actual_completion"].as_str() {
            Some(done) if at(done) <= at(deadline) => f[1] = 1,
            done => {
                if done.is_none() && as_of <= at(deadline) {
                    panic!("every March deadline has passed");
                }
                f[2] = 1;
                let late_date = match done {
                    Some(d) => local_date(d),
                    None => {
                        f[4] = 1;
                        as_of
                            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(5)))
                            .date()
                    }
                };
                f[5] = (late_date - planned).get_days().max(0) as i64;
                let from = at(a["effective_acceptance"].as_str().unwrap());
                f[3] = i64::from(window_hit(from, at(deadline)));
            }
        }
        for (map, key) in [
            (&mut own, a["executor"].as_str().unwrap().to_string()),
            (
                &mut by_service,
                a["service_code"].as_str().unwrap().to_string(),
            ),
        ] {
            let e = map.entry(key).or_default();
            for k in 0..6 {
                e[k] += f[k];
            }
        }
    }
    let orgs = report["organizations"].as_array().unwrap();
    assert_eq!(
        orgs.len(),
        7,
        "every organization, with or without applications"
    );
    for o in orgs {
        let code = o["code"].as_str().unwrap();
        assert_eq!(o["parent"].as_str(), parent(code), "{code}");
        let expected_own = own.get(code).copied().unwrap_or_default();
        assert_eq!(figures(&o["own"]), expected_own, "{code} own");
        let mut expected_total = [0; 6];
        for (c, f) in &own {
            let mut at_ = Some(c.as_str());
            while let Some(x) = at_ {
                if x == code {
                    for k in 0..6 {
                        expected_total[k] += f[k];
                    }
                }
                at_ = parent(x);
            }
        }
        assert_eq!(figures(&o["total"]), expected_total, "{code} total");
    }
    let services = report["services"].as_array().unwrap();
    assert_eq!(services.len(), by_service.len());
    for s in services {
        let code = s["code"].as_str().unwrap();
        assert_eq!(figures(&s["figures"]), by_service[code], "{code}");
    }

    // The same month checked by hand.
    let row = |code: &str| orgs.iter().find(|o| o["code"] == code).unwrap().clone();
    let ala = figures(&row("MIN-ALA")["own"]);
    assert_eq!(
        &ala[..5],
        &[3, 1, 2, 0, 1],
        "2-hour: on time, 2 days late, still open"
    );
    assert_eq!(
        figures(&row("AKIM-ARC")["own"])[..5],
        [1, 0, 1, 1, 0],
        "the archive request: late, with egov_gateway down in its window"
    );
    // Received on the 31st after hours: accepted on 1 April at 09:00, due 11:00 (rule 3, 7):
    // April's report, not March's (MIN-ALA's three above are its March ones).
    assert_eq!(figures(&row("GOV-1")["own"])[0], 0);
    assert_eq!(
        figures(&row("MIN")["total"]),
        figures(&row("MIN-COM")["total"]),
        "MIN executes nothing itself"
    );
    assert_eq!(figures(&row("MIN")["own"]), [0; 6]);

    // Every figure's list of applications holds as many as the figure counts.
    let names = ["due", "on_time", "violations", "technical", "open_overdue"];
    for o in orgs {
        let code = o["code"].as_str().unwrap();
        for scope in ["own", "total"] {
            let f = figures(&o[scope]);
            for (k, figure) in names.iter().enumerate() {
                let (s, page) = app
                    .get(&admin, &format!(
                        "/api/v1/reports/violations/applications?month=2026-03&organization={code}&scope={scope}&figure={figure}&limit=500"
                    ))
                    .await;
                assert_eq!(s, StatusCode::OK, "{page}");
                assert_eq!(
                    page["count"].as_i64(),
                    Some(f[k]),
                    "{code} {scope} {figure}"
                );
                assert_eq!(page["items"].as_array().unwrap().len() as i64, f[k]);
            }
        }
    }
    for sv in services {
        let code = sv["code"].as_str().unwrap();
        let (_, page) = app
            .get(&admin, &format!(
                "/api/v1/reports/violations/applications?month=2026-03&service={code}&figure=violations"
            ))
            .await;
        assert_eq!(
            page["count"].as_i64(),
            Some(figures(&sv["figures"])[2]),
            "{code}"
        );
    }
    // Paged one at a time: every application once; the administrator sees the applicant.
    let mut seen = vec![];
    let mut next: Option<String> = None;
    loop {
        let mut path = "/api/v1/reports/violations/applications?month=2026-03&organization=MIN-ALA&scope=own&limit=1".to_string();
        if let Some(c) = &next {
            path.push_str(&format!("&cursor={c}"));
        }
        let (_, page) = app.get(&admin, &path).await;
        for i in page["items"].as_array().unwrap() {
            assert_eq!(i["applicant"]["last_name"], "Нұрланов");
            assert_eq!(i["applicant"]["masked"], false);
            seen.push(i["number"].as_str().unwrap().to_string());
        }
        match page["next"].as_str() {
            Some(c) => next = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 3);
    seen.dedup();
    assert_eq!(seen.len(), 3);
    let open = app
        .get(&admin, "/api/v1/reports/violations/applications?month=2026-03&organization=MIN-ALA&scope=own&figure=open_overdue")
        .await
        .1;
    assert_eq!(open["items"][0]["verdict"], "violation");
    assert_eq!(open["items"][0]["open"], true);
    // Refused: another branch's organization; `own` without an organization; a figure that
    // does not exist.
    let ast = app.token_for("MIN-AST").await;
    let (s, _) = app
        .get(
            &ast,
            "/api/v1/reports/violations/applications?month=2026-03&organization=MIN-ALA",
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = app
        .get(
            &admin,
            "/api/v1/reports/violations/applications?month=2026-03&scope=own",
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["field"], "organization");
    let (s, e) = app
        .get(
            &admin,
            "/api/v1/reports/violations/applications?month=2026-03&figure=late",
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["field"], "figure");

    // The same figures as CSV and Excel, read back, headed in the caller's language.
    files_read_back_the_same_figures(app, &admin, orgs, services).await;

    // An organization's token sees its sub-tree only.
    let com = app.token_for("MIN-COM").await;
    let (s, scoped) = app
        .get(&com, "/api/v1/reports/violations?month=2026-03")
        .await;
    assert_eq!(s, StatusCode::OK, "{scoped}");
    let codes: Vec<&str> = scoped["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 3, "{codes:?}");
    assert!(codes
        .iter()
        .all(|c| ["MIN-COM", "MIN-AST", "MIN-ALA"].contains(c)));
    assert!(scoped["services"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["code"] != "ARCH-001"));

    // Bad input: the field and the reason, in the caller's language.
    let (s, bad) = app
        .get(&admin, "/api/v1/reports/violations?month=2026-3")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["error"]["field"], "month");
    assert_eq!(bad["error"]["code"], "month_invalid");
    let (s, bad) = app
        .get(
            &admin,
            "/api/v1/reports/violations?month=2026-03&format=pdf",
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["error"]["field"], "format");
}

/// A file of the report, with its content type, in `lang`.
async fn file(app: &TestApp, token: &str, format: &str, lang: &str) -> (String, Vec<u8>) {
    let resp = app
        .client
        .get(app.url(&format!(
            "/api/v1/reports/violations?month=2026-03&format={format}"
        )))
        .bearer_auth(token)
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let disposition = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"violations-2026-03.{format}\"")
    );
    let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
    (ct, resp.bytes().await.unwrap().to_vec())
}

/// A CSV file's lines (the caption's one field, the table's), as the csv crate reads them.
fn csv_records(csv: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

async fn files_read_back_the_same_figures(
    app: &TestApp,
    token: &str,
    orgs: &[Value],
    services: &[Value],
) {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    // CSV, in Russian: the caption, the header, then own and total rows per organization,
    // a row per service, and the totals row (issue 16 added the name after the code, the
    // share on time after the figures and the totals row).
    let (ct, csv) = file(app, token, "csv", "ru").await;
    assert_eq!(ct, "text/csv; charset=utf-8");
    let records = csv_records(&csv);
    assert!(
        records[0][0].contains("Нарушения сроков, 2026-03"),
        "{records:?}"
    );
    assert_eq!(
        records[1][..5],
        [
            "Строка",
            "Код",
            "Наименование",
            "Вышестоящая",
            "Со сроком в месяце"
        ]
    );
    let rows = &records[2..];
    assert_eq!(rows.len(), orgs.len() * 2 + services.len() + 1);
    for o in orgs {
        let code = o["code"].as_str().unwrap();
        for (kind, key) in [
            ("организация, собственные", "own"),
            ("организация, всего", "total"),
        ] {
            let row = rows
                .iter()
                .find(|r| r[0] == kind && r[1] == code)
                .unwrap_or_else(|| panic!("{kind} {code}"));
            let got: Vec<i64> = row[4..10].iter().map(|v| v.parse().unwrap()).collect();
            assert_eq!(got, figures(&o[key]).to_vec(), "{kind} {code}");
        }
    }
    for sv in services {
        let code = sv["code"].as_str().unwrap();
        let row = rows
            .iter()
            .find(|r| r[0] == "услуга" && r[1] == code)
            .unwrap();
        let got: Vec<i64> = row[4..10].iter().map(|v| v.parse().unwrap()).collect();
        assert_eq!(got, figures(&sv["figures"]).to_vec(), "{code}");
    }

    // Excel, in Kazakh: one sheet per view, numbers stored as numbers, the totals row last.
    let (ct, xlsx) = file(app, token, "xlsx", "kk").await;
    assert_eq!(
        ct,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    assert_eq!(book.sheet_names(), vec!["Ұйымдар", "Қызметтер"]);
    let sheet = book.worksheet_range("Ұйымдар").unwrap();
    let cell = |r: usize, c: usize| sheet.get((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(1, 0), Data::String("Коды".into()));
    let mut seen = 0;
    for r in 2..sheet.height() - 1 {
        let Data::String(code) = cell(r, 0) else {
            panic!("row {r}: {:?}", cell(r, 0))
        };
        let o = orgs.iter().find(|o| o["code"] == code.as_str()).unwrap();
        // Code, name, parent; own: six figures and the share on time; total: the same.
        let numbers: Vec<i64> = (3..9)
            .chain(10..16)
            .map(|c| match cell(r, c) {
                Data::Float(f) => f as i64,
                other => panic!("{code} column {c}: {other:?} is not a number"),
            })
            .collect();
        assert_eq!(numbers[..6], figures(&o["own"]), "{code} own");
        assert_eq!(numbers[6..], figures(&o["total"]), "{code} total");
        seen += 1;
    }
    assert_eq!(seen, orgs.len());
    let sheet = book.worksheet_range("Қызметтер").unwrap();
    assert_eq!(sheet.height() - 3, services.len());
    for r in 2..sheet.height() - 1 {
        let Some(Data::String(code)) = sheet.get((r, 0)) else {
            panic!("row {r}")
        };
        let sv = services
            .iter()
            .find(|s| s["code"] == code.as_str())
            .unwrap();
        let numbers: Vec<i64> = (2..8)
            .map(|c| match sheet.get((r, c)) {
                Some(Data::Float(f)) => *f as i64,
                other => panic!("{code} column {c}: {other:?} is not a number"),
            })
            .collect();
        assert_eq!(numbers, figures(&sv["figures"]).to_vec(), "{code}");
    }
    files_open_in_excel(app, token).await;
}

/// The files as people open them in Excel (issue 16, B.9): the CSV starts with a UTF-8 byte
/// order mark; organizations and services are named beside their codes in the reader's
/// language; each row has its share on time; the totals row is the sum of the rows; the
/// workbook's header row has an autofilter and stays in view, and its columns are as wide as
/// their headers.
async fn files_open_in_excel(app: &TestApp, token: &str) {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    use std::io::Read;
    let (_, csv) = file(app, token, "csv", "en").await;
    assert_eq!(csv[..3], [0xEF, 0xBB, 0xBF], "the CSV starts with a BOM");
    let records = csv_records(&csv);
    assert!(
        records[0][0].starts_with("Deadline violations, 2026-03 (March 2026)"),
        "{records:?}"
    );
    assert_eq!(records[1][2], "Name");
    assert_eq!(records[1][10], "% on time");
    let rows = &records[2..records.len() - 1];
    let totals = &records[records.len() - 1];
    assert_eq!(totals[0], "all, total");
    let number = |v: &str| v.parse::<i64>().unwrap();
    let own: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[0] == "organization, own")
        .collect();
    let by_service: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "service").collect();
    for c in 4..10 {
        let sum: i64 = own.iter().map(|r| number(&r[c])).sum();
        assert_eq!(
            number(&totals[c]),
            sum,
            "column {c}: the organizations' own rows"
        );
        let sum: i64 = by_service.iter().map(|r| number(&r[c])).sum();
        assert_eq!(number(&totals[c]), sum, "column {c}: the services' rows");
    }
    assert!(
        number(&totals[4]) > 0,
        "the month has applications: {totals:?}"
    );
    for r in rows.iter().chain([totals]) {
        let (on_time, violations) = (number(&r[5]), number(&r[6]));
        let shown = &r[10];
        if on_time + violations == 0 {
            assert_eq!(shown, "", "{r:?}");
        } else {
            let expected = (on_time as f64 * 1000.0 / (on_time + violations) as f64).round() / 10.0;
            assert_eq!(shown.parse::<f64>().unwrap(), expected, "{r:?}");
        }
    }
    let ast = rows
        .iter()
        .find(|r| r[0] == "organization, own" && r[1] == "MIN-AST")
        .unwrap();
    assert_eq!(ast[2], "MIN-AST en");
    assert_eq!(ast[3], "MIN-COM");

    // The workbook in Russian: names, percentages, totals.
    let (_, xlsx) = file(app, token, "xlsx", "ru").await;
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx.clone())).unwrap();
    let sheet = book.worksheet_range("Организации").unwrap();
    let cell = |r: usize, c: usize| sheet.get((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(1, 1), Data::String("Наименование".into()));
    assert_eq!(cell(1, 9), Data::String("Собственные: % в срок".into()));
    let last = sheet.height() - 1;
    assert_eq!(cell(last, 0), Data::String("Итого".into()));
    for c in (3..9).chain(10..16) {
        let sum: f64 = (2..last)
            .map(|r| match cell(r, if c < 9 { c } else { c - 7 }) {
                Data::Float(f) => f,
                other => panic!("row {r} column {c}: {other:?}"),
            })
            .sum();
        assert_eq!(
            cell(last, c),
            Data::Float(sum),
            "column {c}: the own figures summed"
        );
    }
    for r in 2..=last {
        let (on_time, violations) = match (cell(r, 4), cell(r, 5)) {
            (Data::Float(a), Data::Float(b)) => (a, b),
            other => panic!("row {r}: {other:?}"),
        };
        match cell(r, 9) {
            Data::Float(share) => {
                let expected = (on_time * 1000.0 / (on_time + violations)).round() / 1000.0;
                assert!(
                    (share - expected).abs() < 1e-9,
                    "row {r}: {share} {expected}"
                );
            }
            Data::Empty => assert_eq!(on_time + violations, 0.0, "row {r}"),
            other => panic!("row {r}: {other:?}"),
        }
    }
    let names: Vec<String> = (2..last)
        .map(|r| match cell(r, 1) {
            Data::String(s) => s,
            other => panic!("row {r}: {other:?}"),
        })
        .collect();
    assert!(names.iter().all(|n| n.ends_with(" ru")), "{names:?}");
    let sheet = book.worksheet_range("Услуги").unwrap();
    let last = sheet.height() - 1;
    assert_eq!(sheet.get((last, 0)), Some(&Data::String("Итого".into())));
    for c in 2..8 {
        let sum: f64 = (2..last)
            .map(|r| match sheet.get((r, c)) {
                Some(Data::Float(f)) => *f,
                other => panic!("row {r} column {c}: {other:?}"),
            })
            .sum();
        assert_eq!(sheet.get((last, c)), Some(&Data::Float(sum)), "column {c}");
    }
    assert!(matches!(sheet.get((2, 1)), Some(Data::String(n)) if n.ends_with(" ru")));

    // Inside the file: each sheet filters its header row, keeps it in view, and sizes every
    // column to at least its header.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    for sheet in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
        let mut xml = String::new();
        zip.by_name(sheet)
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let filter = xml
            .split("<autoFilter ref=\"")
            .nth(1)
            .unwrap_or_else(|| panic!("{sheet} has no autofilter"));
        assert!(
            filter.starts_with("A2:"),
            "{sheet}: the filter starts at the header: {filter}"
        );
        assert!(
            xml.contains("state=\"frozen\""),
            "{sheet}: the header is frozen"
        );
        assert!(
            xml.contains("topLeftCell=\"C3\""),
            "{sheet}: the codes and names stay in view"
        );
        assert!(
            xml.contains("<cols>") && xml.contains("customWidth=\"1\""),
            "{sheet}: the columns are sized"
        );
    }
}

/// Asks for a month's report to be generated.
async fn generate(app: &TestApp, token: &str, month: &str) -> (StatusCode, Value) {
    app.post(
        token,
        "/api/v1/reports/violations/generate",
        json!({ "month": month }),
    )
    .await
}

/// The stored versions of March 2026.
async fn versions(app: &TestApp, token: &str) -> Vec<Value> {
    let (s, v) = app
        .get(token, "/api/v1/reports/violations/versions?month=2026-03")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.as_array().unwrap().clone()
}

/// Stored versions: the job of the 1st generates the previous month once however many nodes
/// run it; a generation that changes nothing stores nothing; late events and late outages
/// make new versions as of the first one's moment; versions never change; delivery after the
/// 15th is flagged.
async fn reports_are_versioned_and_generated_once(app: &TestApp) {
    use qyzmet_server::jobs::run_report_job_once;
    app.seed().await;
    let admin = app.admin.clone();
    // Open and past its deadline at the start of April: a violation still open.
    let (s, a) = app
        .post(
            &admin,
            "/api/v1/applications",
            json!({"service_code": "SVC-H2",
            "applicant": {"iin": iin(60), "last_name": "Әлиев", "first_name": "Дәурен"},
            "channel": "provider", "acceptance_place": "MIN-ALA", "executor": "MIN-ALA",
            "accepted_at": "2026-03-11T10:00:00+05:00"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let number = a["number"].as_str().unwrap().to_string();

    // The job on 1 April, 00:10, on two nodes at once: one of them generates March.
    let first = at("2026-04-01T00:10:00+05:00");
    let ttl = jiff::SignedDuration::from_mins(30);
    let (ra, rb) = tokio::join!(
        run_report_job_once(&app.store, "node-a", first, ttl, true),
        run_report_job_once(&app.store, "node-b", first, ttl, true)
    );
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    // Whichever won the lease keeps it; the other stays out.
    let holder = if ra.is_some() { "node-a" } else { "node-b" };
    let runs: Vec<_> = [ra, rb].into_iter().flatten().collect();
    assert_eq!(runs.len(), 1, "exactly one node ran the job: {runs:?}");
    assert_eq!(
        runs[0].scheduled.map(|m| m.to_string()).as_deref(),
        Some("2026-03")
    );
    // Its next run (the same node) finds March done and changes nothing; the other node is
    // still kept out.
    let other = if holder == "node-a" {
        "node-b"
    } else {
        "node-a"
    };
    assert!(run_report_job_once(&app.store, other, first, ttl, true)
        .await
        .unwrap()
        .is_none());
    let again = run_report_job_once(&app.store, holder, first, ttl, true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.scheduled, None);
    assert!(again.revised.is_empty());

    let v = versions(app, &admin).await;
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["version"], 1);
    assert_eq!(v[0]["cause"], "schedule");
    assert_eq!(v[0]["as_of"], "2026-04-01T00:10:00+05:00");
    assert_eq!(v[0]["delivered_late"], false);
    assert!(v[0]["generated_by"]
        .as_str()
        .unwrap()
        .starts_with("node:node-"));
    let ala = |report: &Value| {
        let row = report["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["code"] == "MIN-ALA")
            .unwrap()
            .clone();
        figures(&row["own"])
    };
    let (_, v1) = app
        .get(&admin, "/api/v1/reports/violations?month=2026-03")
        .await;
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["delivered_at"], "2026-04-01T00:10:00+05:00");
    // Open at the report's moment: overdue from the 11th to 1 April, 21 days.
    assert_eq!(ala(&v1), [1, 0, 1, 0, 1, 21]);

    // Asked again with nothing new: no new version.
    let (s, g) = generate(app, &admin, "2026-03").await;
    assert_eq!(s, StatusCode::OK, "{g}");
    assert_eq!(g["created"], false);
    assert_eq!(g["latest"]["version"], 1);

    // A late event: executed on 20 March, recorded now. The revision, as of the first
    // version's moment, sees a late completion (9 days) instead of an open one.
    let (s, e) = app
        .event(
            &admin,
            &number,
            stage("executed", "2026-03-20T10:00:00+05:00"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let (s, g) = generate(app, &admin, "2026-03").await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    assert_eq!(g["latest"]["version"], 2);
    assert_eq!(g["latest"]["cause"], "demand");
    assert_eq!(g["latest"]["as_of"], "2026-04-01T00:10:00+05:00");
    let (_, v2) = app
        .get(&admin, "/api/v1/reports/violations?month=2026-03")
        .await;
    assert_eq!(ala(&v2), [1, 0, 1, 0, 0, 9]);
    // Version 1 is kept as delivered.
    let (_, old) = app
        .get(&admin, "/api/v1/reports/violations?month=2026-03&version=1")
        .await;
    assert_eq!(ala(&old), [1, 0, 1, 0, 1, 21]);
    assert_eq!(old["delivered_at"], v2["delivered_at"]);

    // A late outage of a system the service depends on, inside the window, written by
    // another way than the API (an import, say): the job's revision makes version 3 with the
    // violation counted as technical.
    let outage = app
        .store
        .create_outage(
            &qyzmet_store::NewOutage {
                started_at: at("2026-03-11T10:30:00+05:00"),
                ended_at: Some(at("2026-03-11T11:00:00+05:00")),
                all_systems: false,
                systems: vec!["egov_gateway".into()],
                operator: "NIT".into(),
                description: "registered late".into(),
            },
            "test",
            at("2026-04-02T08:00:00+05:00"),
        )
        .await
        .unwrap();
    let later = at("2026-04-02T09:00:00+05:00");
    let run = run_report_job_once(&app.store, holder, later, ttl, true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        run.revised
            .iter()
            .map(|m| m.to_string())
            .collect::<Vec<_>>(),
        ["2026-03"]
    );
    let v = versions(app, &admin).await;
    assert_eq!(v.len(), 3);
    assert_eq!(v[2]["cause"], "revision");
    let (_, v3) = app
        .get(&admin, "/api/v1/reports/violations?month=2026-03")
        .await;
    assert_eq!(v3["version"], 3);
    assert_eq!(ala(&v3), [1, 0, 1, 1, 0, 9]);
    // `live` computes now: as of now, whatever is stored.
    let (_, live) = app
        .get(&admin, "/api/v1/reports/violations?month=2026-03&live=true")
        .await;
    assert!(live["version"].is_null());
    assert_eq!(ala(&live), [1, 0, 1, 1, 0, 9]);

    // What changed from version 1 to 3: MIN-ALA (and its ancestors' totals) and SVC-H2.
    let (s, c) = app
        .get(
            &admin,
            "/api/v1/reports/violations/compare?month=2026-03&from=1&to=3",
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["from"]["version"], 1);
    assert_eq!(c["to"]["version"], 3);
    let changed: Vec<&str> = c["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(changed, ["MIN", "MIN-COM", "MIN-ALA"]);
    let ala_change = &c["organizations"][2];
    assert_eq!(figures(&ala_change["own"]), [0, 0, 0, 1, -1, -12]);
    assert_eq!(figures(&ala_change["total"]), [0, 0, 0, 1, -1, -12]);
    assert!(c["organizations"][0]["own"]["due"] == 0);
    assert_eq!(c["services"].as_array().unwrap().len(), 1);
    assert_eq!(c["services"][0]["code"], "SVC-H2");
    assert_eq!(figures(&c["services"][0]["own"]), [0, 0, 0, 1, -1, -12]);
    let (s, _) = app
        .get(
            &admin,
            "/api/v1/reports/violations/compare?month=2026-03&from=1&to=7",
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The outage corrected through the API, to after the application's deadline: the
    // reports it touches are revised at once, in the background (version 4, not technical).
    let moved = json!({"started_at": "2026-03-11T12:30:00+05:00",
        "ended_at": "2026-03-11T13:00:00+05:00", "systems": ["egov_gateway"],
        "operator": "NIT", "description": "corrected: after the deadline"});
    let put = |token: String, path: String, body: Value| async move {
        app.send(
            reqwest::Method::PUT,
            Some(&token),
            &path,
            Some(&body),
            Some("en"),
        )
        .await
    };
    let outage_path = format!("/api/v1/outages/{}", outage.id);
    let (s, o) = put(admin.clone(), outage_path.clone(), moved.clone()).await;
    assert_eq!(s, StatusCode::OK, "{o}");
    assert_eq!(o["started_at"], "2026-03-11T12:30:00+05:00");
    let mut v = versions(app, &admin).await;
    for _ in 0..100 {
        if v.len() == 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        v = versions(app, &admin).await;
    }
    assert_eq!(v.len(), 4, "the change revised March: {v:?}");
    assert_eq!(v[3]["cause"], "revision");
    assert_eq!(v[3]["generated_by"], format!("outage:{}", outage.id));
    let (_, v4) = app
        .get(&admin, "/api/v1/reports/violations?month=2026-03")
        .await;
    assert_eq!(ala(&v4), [1, 0, 1, 0, 0, 9]);
    // Refused: an unknown outage, an end before the start, a token that is not an
    // administrator's.
    let (s, e) = put(
        admin.clone(),
        "/api/v1/outages/999999".into(),
        moved.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    assert_eq!(e["error"]["code"], "outage_not_found");
    let mut backwards = moved.clone();
    backwards["ended_at"] = json!("2026-03-11T12:00:00+05:00");
    let (s, e) = put(admin.clone(), outage_path.clone(), backwards).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "ended_at");
    let (s, _) = put(app.token_for("MIN").await, outage_path.clone(), moved).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Stored versions are immutable, in the database itself.
    for sql in [
        "UPDATE violation_reports SET cause = 'forged'",
        "DELETE FROM violation_reports",
    ] {
        assert!(app.store.execute_raw(sql).await.is_err(), "{sql}");
    }
    assert_eq!(versions(app, &admin).await.len(), 4);

    // A month first generated after the 15th of the next one is flagged late.
    let (s, g) = generate(app, &admin, "2026-01").await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    assert_eq!(g["latest"]["delivered_late"], true);

    // Errors: an unknown version; a token that may not generate.
    let (s, e) = app
        .get(&admin, "/api/v1/reports/violations?month=2026-03&version=9")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    assert_eq!(e["error"]["code"], "report_version_not_found");
    let ala_token = app.token_for("MIN-ALA").await;
    let (s, _) = generate(app, &ala_token, "2026-03").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A scoped token reads the stored version, cut to its sub-tree.
    let (s, scoped) = app
        .get(&ala_token, "/api/v1/reports/violations?month=2026-03")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(scoped["version"], 4);
    assert_eq!(scoped["organizations"].as_array().unwrap().len(), 1);
}

crate::both!(
    month_is_counted_as_mission_defines,
    reports_are_versioned_and_generated_once
);
