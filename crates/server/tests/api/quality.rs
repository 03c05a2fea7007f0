//! Service quality (003 annex) through the API: feedback per application and question, and
//! the annex table of a service and year, each current value checked by hand.

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
}

crate::both!(feedback_makes_the_annex_table);
