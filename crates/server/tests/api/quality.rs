//! Service quality (003 annex) through the API: feedback per application and question, and
//! the annex table of a service and year, each current value checked by hand, and as CSV and
//! Excel files read back.

use crate::support::{stage, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn feedback(id: &str, question: &str, answer: Value) -> Value {
    let mut body = json!({"id": id, "question": question});
    for (k, v) in answer.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// (code, current, numerator, denominator, normative, target) of an indicator.
type Line = (String, Option<f64>, i64, i64, Option<f64>, Option<f64>);

fn table(v: &Value) -> Vec<Line> {
    v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["code"].as_str().unwrap().to_string(),
                i["current"].as_f64(),
                i["numerator"].as_i64().unwrap(),
                i["denominator"].as_i64().unwrap(),
                i["normative"].as_f64(),
                i["target"].as_f64(),
            )
        })
        .collect()
}

async fn feedback_makes_the_annex_table(app: &TestApp) {
    app.seed().await;
    let admin = app.admin.clone();
    let ala = app.token_for("MIN-ALA").await;
    // Three 2-hour applications in March: on time, late, still open past the deadline.
    let mut numbers = vec![];
    for (day, executed) in [
        ("10", Some("2026-03-10T11:00:00+05:00")),
        ("11", Some("2026-03-13T10:00:00+05:00")),
        ("12", None),
    ] {
        let a = app
            .register(
                &ala,
                "SVC-H2",
                "MIN-ALA",
                &format!("2026-03-{day}T10:00:00+05:00"),
            )
            .await;
        let n = a["number"].as_str().unwrap().to_string();
        if let Some(t) = executed {
            let (s, e) = app.event(&ala, &n, stage("executed", t)).await;
            assert_eq!(s, StatusCode::CREATED, "{e}");
        }
        numbers.push(n);
    }
    let path = |n: &str| format!("/api/v1/applications/{n}/feedback");
    let first = uuid();
    let answers = [
        (&numbers[0], first.clone(), "process", json!({"rating": 5})),
        (&numbers[1], uuid(), "process", json!({"rating": 3})),
        (
            &numbers[2],
            uuid(),
            "process",
            json!({"survey": "satisfied"}),
        ),
        (&numbers[0], uuid(), "courtesy", json!({"survey": "partly"})),
    ];
    for (n, id, q, answer) in &answers {
        let (s, f) = app
            .post(&ala, &path(n), feedback(id, q, answer.clone()))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{f}");
        assert_eq!(f["number"], n.as_str());
    }
    // A retry records nothing new; the same id with another answer, or a second answer to
    // the same question, is a conflict.
    let (s, f) = app
        .post(
            &ala,
            &path(&numbers[0]),
            feedback(&first, "process", json!({"rating": 5})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    assert_eq!(f["satisfied"], true);
    let (s, e) = app
        .post(
            &ala,
            &path(&numbers[0]),
            feedback(&first, "process", json!({"rating": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "feedback_id_conflict");
    let (s, e) = app
        .post(
            &ala,
            &path(&numbers[0]),
            feedback(&uuid(), "process", json!({"rating": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "feedback_already_given");
    assert_eq!(e["error"]["field"], "question");
    // Bad input: the field and the reason.
    for (body, field) in [
        (feedback(&uuid(), "process", json!({"rating": 6})), "rating"),
        (
            feedback(&uuid(), "process", json!({"rating": 4, "survey": "partly"})),
            "rating",
        ),
        (feedback(&uuid(), "process", json!({})), "rating"),
        (feedback(&uuid(), "speed", json!({"rating": 4})), "question"),
        (
            feedback(&uuid(), "process", json!({"survey": "so-so"})),
            "survey",
        ),
        (
            feedback("not-a-uuid", "process", json!({"rating": 4})),
            "id",
        ),
    ] {
        let (s, e) = app.post(&ala, &path(&numbers[1]), body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["error"]["field"], field, "{e}");
    }
    // Another branch of the tree does not see the application.
    let akim = app.token_for("AKIM").await;
    let (s, _) = app
        .post(
            &akim,
            &path(&numbers[0]),
            feedback(&uuid(), "complaint", json!({"rating": 5})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The annex table, by hand:
    // 1.1: one on time of three decided; 2.1: ratings 5 and 3 and "satisfied", two of three;
    // 3.1 and 4.1: no answers; 3.2: the service is on the portal; 5.1: "partly" is not
    // satisfied.
    let (s, t) = app
        .get(&admin, "/api/v1/services/SVC-H2/quality?year=2026")
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(
        table(&t),
        vec![
            ("1.1".to_string(), Some(33.3), 1, 3, None, None),
            ("2.1".to_string(), Some(66.7), 2, 3, None, None),
            ("3.1".to_string(), None, 0, 0, None, None),
            ("3.2".to_string(), Some(100.0), 1, 1, None, None),
            ("4.1".to_string(), None, 0, 0, None, None),
            ("5.1".to_string(), Some(0.0), 0, 1, None, None),
        ]
    );
    // Another year counts nothing.
    let (_, t) = app
        .get(&admin, "/api/v1/services/SVC-H2/quality?year=2025")
        .await;
    assert_eq!(table(&t)[1].3, 0);

    // Normative and target values, per service and year, by administrators.
    let (s, t) = app
        .send(
            reqwest::Method::PUT,
            Some(&admin),
            "/api/v1/services/SVC-H2/quality?year=2026",
            Some(&json!({"indicator": "1.1", "normative": 95.0, "target": 97.5})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(table(&t)[0].4, Some(95.0));
    assert_eq!(table(&t)[0].5, Some(97.5));
    let (_, t) = app
        .get(&admin, "/api/v1/services/SVC-H2/quality?year=2027")
        .await;
    assert_eq!(table(&t)[0].4, None, "set for 2026 only");
    let (s, e) = app
        .send(
            reqwest::Method::PUT,
            Some(&admin),
            "/api/v1/services/SVC-H2/quality?year=2026",
            Some(&json!({"indicator": "1.1", "normative": 120.0})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "normative");
    let (s, _) = app
        .send(
            reqwest::Method::PUT,
            Some(&ala),
            "/api/v1/services/SVC-H2/quality?year=2026",
            Some(&json!({"indicator": "1.1", "normative": 90.0})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = app
        .get(&admin, "/api/v1/services/SVC-H2/quality?year=1999")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["field"], "year");
    // An organization counts what its sub-tree executes: the akimat nothing.
    let (_, t) = app
        .get(&akim, "/api/v1/services/SVC-H2/quality?year=2026")
        .await;
    assert_eq!((table(&t)[0].3, table(&t)[1].3), (0, 0));

    // The annex table as files (format=csv|xlsx), headed in the Accept-Language, read back
    // with the JSON's values.
    let (_, annex) = app
        .get(&admin, "/api/v1/services/SVC-H2/quality?year=2026")
        .await;
    let indicators = annex["indicators"].as_array().unwrap();
    let file = |format: &'static str, lang: &'static str| {
        let req = app
            .client
            .get(app.url(&format!(
                "/api/v1/services/SVC-H2/quality?year=2026&format={format}"
            )))
            .bearer_auth(&admin)
            .header("Accept-Language", lang);
        async move {
            let resp = req.send().await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            assert_eq!(
                resp.headers()["content-disposition"],
                format!("attachment; filename=\"quality-SVC-H2-2026.{format}\"").as_str()
            );
            resp.bytes().await.unwrap().to_vec()
        }
    };
    let csv = file("csv", "ru").await;
    assert!(String::from_utf8_lossy(&csv).contains("Показатели качества"));
    annex_csv_matches(&csv, indicators);
    annex_xlsx_matches(file("xlsx", "kk").await, "Көрсеткіштер", indicators);
    annex_xlsx_matches(file("xlsx", "en").await, "Indicators", indicators);
    let (s, e) = app
        .get(
            &admin,
            "/api/v1/services/SVC-H2/quality?year=2026&format=pdf",
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "format");
}

/// The annex table as CSV: the caption, the header, a row per indicator with the JSON's
/// values (a value not set or not counted: an empty field).
pub fn annex_csv_matches(csv: &[u8], indicators: &[Value]) {
    let records: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert!(records[0][0].contains("SVC-H2"), "{records:?}");
    assert_eq!(records.len() - 2, indicators.len());
    let value = |s: &str| (!s.is_empty()).then(|| s.parse::<f64>().unwrap());
    for (row, i) in records[2..].iter().zip(indicators) {
        assert_eq!(row[0], i["code"].as_str().unwrap());
        assert_eq!(value(&row[2]), i["normative"].as_f64());
        assert_eq!(value(&row[3]), i["target"].as_f64());
        assert_eq!(value(&row[4]), i["current"].as_f64());
        assert_eq!(row[5], i["numerator"].to_string());
        assert_eq!(row[6], i["denominator"].to_string());
    }
}

/// The annex table as a workbook of one sheet named `sheet_name`: caption, header, then a row
/// per indicator whose values are number cells equal to the JSON's (empty when not set).
pub fn annex_xlsx_matches(xlsx: Vec<u8>, sheet_name: &str, indicators: &[Value]) {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    assert_eq!(book.sheet_names(), vec![sheet_name]);
    let sheet = book.worksheet_range(sheet_name).unwrap();
    assert_eq!(sheet.height() - 2, indicators.len());
    let num = |v: Option<&Data>| match v {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Empty) | None => None,
        other => panic!("{other:?} is not a number"),
    };
    for (r, i) in (2..sheet.height()).zip(indicators) {
        assert_eq!(
            sheet.get((r, 0)),
            Some(&Data::String(i["code"].as_str().unwrap().into()))
        );
        assert_eq!(num(sheet.get((r, 2))), i["normative"].as_f64());
        assert_eq!(num(sheet.get((r, 3))), i["target"].as_f64());
        assert_eq!(num(sheet.get((r, 4))), i["current"].as_f64());
        assert_eq!(num(sheet.get((r, 5))), i["numerator"].as_f64());
        assert_eq!(num(sheet.get((r, 6))), i["denominator"].as_f64());
    }
}

crate::both!(feedback_makes_the_annex_table);
