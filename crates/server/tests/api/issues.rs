//! The issue of results at the desk and the ratings of visits through the API (001 §18–19,
//! decision Q9), on both backends: the result goes only from the issue desk, to the person whose
//! identity document carries the applicant's IIN or to a representative with a power of
//! attorney in force; the issue closes the application as issued and is recorded once (a retry
//! answers the first issue; eight desks at once issue it once); its rating link opens the
//! visit, takes one rating, refuses a forged link, and the rating counts in the service's
//! quality indicators and the office's figures.

use crate::support::{iin, TestApp};
use reqwest::Method;
use reqwest::StatusCode;
use serde_json::{json, Value};

const OFFICE: &str = "ISS-01";

/// An application's package moved by scans up to the issue desk; its barcode and number.
async fn at_issue_desk(app: &TestApp, office: &str) -> (String, String) {
    let (code, number) = crate::packages::accepted(app, true).await;
    for kind in ["to_provider", "from_provider", "to_issue_desk"] {
        let (s, r) = app
            .post(
                office,
                &format!("/api/v1/packages/{code}/scans"),
                json!({"kind": kind, "office": OFFICE}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{kind}: {r}");
    }
    (code, number)
}

fn in_person(code: &str, iin: &str, key: &str) -> Value {
    json!({"request_key": key, "barcode": code, "office": OFFICE, "iin": iin,
           "identification": {"document": "identity_card", "number": "045112233"}})
}

async fn a_result_is_issued_to_the_applicant_once(app: &TestApp) {
    crate::front_office::office(app, OFFICE, 1).await;
    let office = app.token_for("GOV-1").await;
    let (code, number) = crate::packages::accepted(app, true).await;
    let key = uuid::Uuid::new_v4().to_string();

    // Not at the issue desk yet: refused, saying where it is.
    let (s, e) = app
        .post(&office, "/api/v1/issues", in_person(&code, &iin(17), &key))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "not_at_issue_desk");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at_office"),
        "{e}"
    );
    for kind in ["to_provider", "from_provider", "to_issue_desk"] {
        let (s, r) = app
            .post(
                &office,
                &format!("/api/v1/packages/{code}/scans"),
                json!({"kind": kind, "office": OFFICE}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{kind}: {r}");
    }
    // Another person's identity document: refused, nothing issued.
    let (s, e) = app
        .post(&office, "/api/v1/issues", in_person(&code, &iin(18), &key))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        (e["error"]["code"].as_str(), e["error"]["field"].as_str()),
        (Some("not_the_applicant"), Some("iin"))
    );
    // No IIN at all, and no representative: the field is named.
    let mut no_iin = in_person(&code, "", &key);
    no_iin.as_object_mut().unwrap().remove("iin");
    let (s, e) = app.post(&office, "/api/v1/issues", no_iin).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "iin");
    let (_, a) = app
        .get(&office, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(a["stage"], "sent_for_execution", "still open: {a}");

    // The applicant's own document: issued, the application closed as issued.
    let (s, i) = app
        .post(&office, "/api/v1/issues", in_person(&code, &iin(17), &key))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{i}");
    assert_eq!(
        (
            i["recipient"].as_str(),
            i["whereabouts"].as_str(),
            i["created"].as_bool()
        ),
        (Some("applicant"), Some("issued"), Some(true))
    );
    let (_, a) = app
        .get(&office, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(
        (a["stage"].as_str(), a["outcome"].as_str()),
        (Some("closed"), Some("issued")),
        "{a}"
    );
    let issued_scans = a["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "scanned" && e["scan"] == "issued")
        .count();
    assert_eq!(issued_scans, 1);

    // The retry (same key): the first issue, nothing written.
    let (s, again) = app
        .post(&office, "/api/v1/issues", in_person(&code, &iin(17), &key))
        .await;
    assert_eq!(s, StatusCode::OK, "{again}");
    assert_eq!(
        (again["id"].as_str(), again["created"].as_bool()),
        (i["id"].as_str(), Some(false))
    );
    // Another desk's try (another key): the package is gone.
    let other = uuid::Uuid::new_v4().to_string();
    let (s, e) = app
        .post(
            &office,
            "/api/v1/issues",
            in_person(&code, &iin(17), &other),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "not_at_issue_desk");
    let (_, after) = app
        .get(&office, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(after["events"], a["events"], "no event added");
}

async fn a_representative_needs_a_power_of_attorney_in_force(app: &TestApp) {
    crate::front_office::office(app, OFFICE, 1).await;
    let office = app.token_for("GOV-1").await;
    let (code, _) = at_issue_desk(app, &office).await;
    let today = jiff::Zoned::now().date();
    let rep = |valid_until: String| {
        json!({"barcode": code, "office": OFFICE,
               "identification": {"document": "passport", "number": "N1234567",
                 "representative": {"iin": iin(40), "last_name": "Сейітов", "first_name": "Ерлан",
                   "power_of_attorney": {"notarised": true, "number": "ДОВ-77",
                     "issued_on": today.yesterday().unwrap().to_string(), "valid_until": valid_until}}}})
    };
    let (s, e) = app
        .post(
            &office,
            "/api/v1/issues",
            rep(today.yesterday().unwrap().to_string()),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "power_of_attorney_expired");
    let (s, i) = app
        .post(
            &office,
            "/api/v1/issues",
            rep(today.tomorrow().unwrap().to_string()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{i}");
    assert_eq!(i["recipient"], "representative");
}

/// Eight desks issue one result at once, each with its own key: one issues it, the others are
/// told it is no longer at the desk (or was scanned so), and one `issued` scan is recorded.
async fn eight_desks_at_once_issue_one_result(app: &TestApp) {
    crate::front_office::office(app, OFFICE, 1).await;
    let office = app.token_for("GOV-1").await;
    let (code, number) = at_issue_desk(app, &office).await;
    let bodies: Vec<Value> = (0..8)
        .map(|_| in_person(&code, &iin(17), &uuid::Uuid::new_v4().to_string()))
        .collect();
    let results = futures::future::join_all(
        bodies
            .into_iter()
            .map(|b| app.post(&office, "/api/v1/issues", b)),
    )
    .await;
    let mut created = 0;
    for (s, b) in &results {
        match *s {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => assert!(
                ["not_at_issue_desk", "scan_already"]
                    .contains(&b["error"]["code"].as_str().unwrap()),
                "{b}"
            ),
            other => panic!("{other}: {b}"),
        }
    }
    assert_eq!(created, 1);
    let (_, a) = app
        .get(&office, &format!("/api/v1/applications/{number}"))
        .await;
    let issued = a["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "scanned" && e["scan"] == "issued")
        .count();
    assert_eq!(issued, 1, "{a}");
}

/// A scan sent twice with one key answers alike, recorded once.
async fn a_retried_scan_answers_as_the_first(app: &TestApp) {
    crate::front_office::office(app, OFFICE, 1).await;
    let office = app.token_for("GOV-1").await;
    let (code, number) = crate::packages::accepted(app, true).await;
    let body = json!({"kind": "to_provider", "office": OFFICE,
                      "request_key": uuid::Uuid::new_v4().to_string()});
    let path = format!("/api/v1/packages/{code}/scans");
    let (s1, r1) = app.post(&office, &path, body.clone()).await;
    let (s2, r2) = app.post(&office, &path, body.clone()).await;
    assert_eq!(
        (s1, s2),
        (StatusCode::CREATED, StatusCode::CREATED),
        "{r1} {r2}"
    );
    assert_eq!(r1["scan"]["seq"], r2["scan"]["seq"]);
    // The key again for another handover: refused, not taken for the first.
    let mut other = body;
    other["kind"] = json!("from_provider");
    let (s, e) = app.post(&office, &path, other).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("scan_key_used")),
        "{e}"
    );
    let (_, a) = app
        .get(&office, &format!("/api/v1/applications/{number}"))
        .await;
    let scans = a["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "scanned")
        .count();
    assert_eq!(scans, 1, "{a}");
}

async fn a_visit_is_rated_once_and_counts_in_the_indicators(app: &TestApp) {
    crate::front_office::office(app, OFFICE, 1).await;
    let office = app.token_for("GOV-1").await;
    let (code, _) = at_issue_desk(app, &office).await;
    let (s, i) = app
        .post(
            &office,
            "/api/v1/issues",
            in_person(&code, &iin(17), &uuid::Uuid::new_v4().to_string()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{i}");
    let link = i["rating_link"].as_str().unwrap();
    let token = link.rsplit('/').next().unwrap();
    assert!(token.starts_with("QZT2."), "{link}");

    // Public: the visit, without a token of the caller.
    let (s, v) = app
        .send(
            Method::GET,
            None,
            &format!("/api/v1/public/ratings/{token}"),
            None,
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (
            v["kind"].as_str(),
            v["rated"].as_bool(),
            v["office"].as_str()
        ),
        (Some("issue"), Some(false), Some(OFFICE))
    );
    // A forged link (a changed byte of the visit) names nothing.
    let mut forged = token.to_string();
    let at = forged.find('.').unwrap() + 3;
    let c = if &forged[at..at + 1] == "A" { "B" } else { "A" };
    forged.replace_range(at..at + 1, c);
    let (s, e) = app
        .send(
            Method::GET,
            None,
            &format!("/api/v1/public/ratings/{forged}"),
            None,
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    assert_eq!(e["error"]["code"], "rating_link_invalid");
    // Out of range, or an unknown answer: refused with the field.
    let path = format!("/api/v1/public/ratings/{token}");
    let (s, e) = app
        .send(
            Method::POST,
            None,
            &path,
            Some(&json!({"score": 6})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "score");
    let (s, e) = app
        .send(
            Method::POST,
            None,
            &path,
            Some(&json!({"score": 5, "courtesy": "great"})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "courtesy");

    let rating = json!({"score": 5, "information": "satisfied", "complaint": "partly",
                        "courtesy": "satisfied", "source": "tablet"});
    let (s, r) = app
        .send(Method::POST, None, &path, Some(&rating), Some("en"))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["rated"], true);
    let (s, e) = app
        .send(
            Method::POST,
            None,
            &path,
            Some(&json!({"score": 1})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "already_rated");

    // The service's indicators count it: 2.1 (score 5), 3.1 and 5.1 satisfied, 4.1 not
    // ("partly" is not satisfied).
    let year = jiff::Zoned::now().year();
    let (s, q) = app
        .get(
            &app.admin,
            &format!("/api/v1/services/SVC-WD5/quality?year={year}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{q}");
    let ind = |code: &str| {
        let i = q["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["code"] == code)
            .unwrap()
            .clone();
        (
            i["numerator"].as_i64().unwrap(),
            i["denominator"].as_i64().unwrap(),
        )
    };
    assert_eq!(ind("2.1"), (1, 1), "{q}");
    assert_eq!(ind("3.1"), (1, 1), "{q}");
    assert_eq!(ind("4.1"), (0, 1), "{q}");
    assert_eq!(ind("5.1"), (1, 1), "{q}");

    // The office's figures, by employee.
    let (s, o) = app
        .get(&office, &format!("/api/v1/offices/{OFFICE}/ratings"))
        .await;
    assert_eq!(s, StatusCode::OK, "{o}");
    assert_eq!(
        (
            o["total"]["ratings"].as_i64(),
            o["total"]["mean_score"].as_f64(),
            o["total"]["complaint"].as_f64()
        ),
        (Some(1), Some(5.0), Some(0.0)),
        "{o}"
    );
    assert_eq!(o["employees"].as_array().unwrap().len(), 1, "{o}");
    let (s, e) = app
        .get(
            &office,
            &format!("/api/v1/offices/{OFFICE}/ratings?from=&to="),
        )
        .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("from")),
        "{e}"
    );
    // Another organization's analyst does not see them.
    let akimat = app.token_for("AKIM").await;
    let (s, _) = app
        .get(&akimat, &format!("/api/v1/offices/{OFFICE}/ratings"))
        .await;
    assert!(
        matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{s}"
    );
}

crate::both!(
    a_result_is_issued_to_the_applicant_once,
    a_representative_needs_a_power_of_attorney_in_force,
    eight_desks_at_once_issue_one_result,
    a_retried_scan_answers_as_the_first,
    a_visit_is_rated_once_and_counts_in_the_indicators,
);
