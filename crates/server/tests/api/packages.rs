//! Document packages through the API (001 §15.9, ADR 0021), on both backends: a package's
//! four scans in order, each an event of the application's history, the two that stand for
//! stages recording them (handed to the provider ⇒ sent for execution, issued ⇒ closed as
//! issued); a scan out of order or repeated refused with the reason; a code that is no label,
//! an application without a paper package and another organization's package refused; eight
//! concurrent scans of one package record one; the label is a PDF.

use crate::support::{iin, TestApp};
use qyzmet_domain::front_office::package;
use qyzmet_domain::ids::ApplicationNumber;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// The front office of GOV-1 the packages are scanned at.
const OFFICE: &str = "PKG-01";

/// Registers an application accepted at the State Corporation's branch GOV-1 for the
/// ministry's unit MIN-AST; `paper`: its documents travel on paper. Returns its barcode and
/// number.
pub async fn accepted(app: &TestApp, paper: bool) -> (String, String) {
    let (s, body) = app
        .post(
            &app.admin,
            "/api/v1/applications",
            json!({"service_code": "SVC-WD5",
                   "applicant": {"iin": iin(17), "last_name": "Ахметов", "first_name": "Айбек"},
                   "channel": "state_corp", "paper": paper, "acceptance_place": "GOV-1",
                   "executor": "MIN-AST", "accepted_at": jiff::Timestamp::now().to_string()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let number = body["number"].as_str().unwrap().to_string();
    if paper {
        consent(app, &number).await;
    }
    let code = package::barcode(ApplicationNumber::parse(&number).unwrap());
    (code, number)
}

/// Records the applicant's two consents (001 §7, §8): without them the package is not sent.
pub async fn consent(app: &TestApp, number: &str) {
    let (s, c) = app
        .post(
            &app.admin,
            &format!("/api/v1/applications/{number}/consents"),
            json!({"consents": [
                {"kind": "personal_data", "source": "paper", "source_id": "F-1"},
                {"kind": "protected_data", "source": "egov_sms", "source_id": "SMS-1"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["items"].as_array().unwrap().len(), 2, "{c}");
}

async fn scan(app: &TestApp, token: &str, code: &str, body: Value) -> (StatusCode, Value) {
    app.post(token, &format!("/api/v1/packages/{code}/scans"), body)
        .await
}

async fn a_package_goes_there_and_back_and_to_the_applicant(app: &TestApp) {
    crate::front_office::office(app, OFFICE, 1).await;
    let office = app.token_for("GOV-1").await;
    let provider = app.token_for("MIN-AST").await;
    let (code, number) = accepted(app, true).await;

    let (s, p) = app.get(&office, &format!("/api/v1/packages/{code}")).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(
        (p["application"].as_str(), p["whereabouts"].as_str()),
        (Some(number.as_str()), Some("at_office"))
    );
    assert_eq!(p["expected"], json!(["to_provider"]));

    // Back from the provider before it went there: refused, saying what may come.
    let (s, e) = scan(
        app,
        &office,
        &code,
        json!({"kind": "from_provider", "office": OFFICE}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "scan_out_of_order");
    assert_eq!(e["error"]["field"], "kind");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("to_provider"),
        "{e}"
    );

    // (i) handed to the provider at the office (named: nothing tells where this package is
    // yet); the stage follows.
    let (s, e) = scan(app, &office, &code, json!({"kind": "to_provider"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "office");
    let (s, r) = scan(
        app,
        &office,
        &code,
        json!({"kind": "to_provider", "office": OFFICE}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["scan"]["office"], OFFICE);
    assert_eq!(r["whereabouts"], "with_provider");
    let (_, a) = app
        .get(&office, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(a["stage"], "sent_for_execution", "{a}");

    // The same scan again: told, in the caller's language, and nothing more recorded.
    let (s, e) = app
        .send(
            Method::POST,
            Some(&office),
            &format!("/api/v1/packages/{code}/scans"),
            Some(&json!({"kind": "to_provider"})),
            Some("ru"),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "scan_already");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("уже"),
        "{e}"
    );

    // (ii) the provider's system hands it back at the office.
    let (s, r) = scan(
        app,
        &provider,
        &code,
        json!({"kind": "from_provider", "office": OFFICE}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    // (iii) the issue desk, (iv) the applicant, where the package is: the application closes
    // as issued.
    for kind in ["to_issue_desk", "issued"] {
        let (s, r) = scan(app, &office, &code, json!({"kind": kind})).await;
        assert_eq!(s, StatusCode::CREATED, "{kind}: {r}");
    }
    let (_, a) = app
        .get(&office, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(
        (a["stage"].as_str(), a["outcome"].as_str()),
        (Some("closed"), Some("issued")),
        "{a}"
    );
    // Each scan is in the application's history, with the office; the stages beside them.
    let h = &a["events"];
    let items = h.as_array().expect("history");
    let scans: Vec<(&str, &str)> = items
        .iter()
        .filter(|e| e["type"] == "scanned")
        .map(|e| (e["scan"].as_str().unwrap(), e["office"].as_str().unwrap()))
        .collect();
    assert_eq!(
        scans,
        [
            ("to_provider", OFFICE),
            ("from_provider", OFFICE),
            ("to_issue_desk", OFFICE),
            ("issued", OFFICE)
        ]
    );
    assert_eq!(
        items.iter().filter(|e| e["type"] == "stage").count(),
        2,
        "{h}"
    );

    let (s, p) = app
        .get(&provider, &format!("/api/v1/packages/{code}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["whereabouts"], "issued");
    assert_eq!(p["expected"], json!([]));
    assert_eq!(p["scans"].as_array().unwrap().len(), 4);
    // Its way is over: nothing more.
    let (s, e) = scan(app, &office, &code, json!({"kind": "returned"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "scan_out_of_order");
}

async fn codes_that_name_no_package_are_refused(app: &TestApp) {
    crate::front_office::office(app, OFFICE, 1).await;
    let office = app.token_for("GOV-1").await;
    let akimat = app.token_for("AKIM").await;
    // Not a qyzmet label: another code met on the desk.
    for bad in ["4870001234567", "QZ123", "QZ2612000000420x"] {
        let (s, e) = scan(app, &office, bad, json!({"kind": "to_provider"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {e}");
        assert_eq!(e["error"]["code"], "not_a_package");
        assert_eq!(e["error"]["field"], "barcode");
    }
    // A label whose check digit fails (a misread, a forgery) names no package.
    let (code, _) = accepted(app, true).await;
    let last = code.chars().last().unwrap().to_digit(10).unwrap();
    let wrong = format!("{}{}", &code[..code.len() - 1], (last + 1) % 10);
    let (s, e) = scan(app, &office, &wrong, json!({"kind": "to_provider"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    assert_eq!(e["error"]["code"], "package_not_found");
    // Another organization's package is not in its reach.
    let (s, e) = scan(app, &akimat, &code, json!({"kind": "to_provider"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    assert_eq!(e["error"]["code"], "package_not_found");
    let (s, _) = app.get(&akimat, &format!("/api/v1/packages/{code}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Documents that did not travel on paper have no package.
    let (electronic, _) = accepted(app, false).await;
    let (s, e) = scan(app, &office, &electronic, json!({"kind": "to_provider"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    assert_eq!(e["error"]["code"], "package_not_found");
    // A kind that is none, an office that does not exist.
    let (s, e) = scan(app, &office, &code, json!({"kind": "lost"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "kind");
    let (s, e) = scan(
        app,
        &office,
        &code,
        json!({"kind": "to_provider", "office": "NOWHERE"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "office");
    // Nothing of it was recorded.
    let (_, p) = app.get(&office, &format!("/api/v1/packages/{code}")).await;
    assert_eq!(p["whereabouts"], "at_office", "{p}");
}

async fn eight_readers_at_once_record_one_scan(app: &TestApp) {
    crate::front_office::office(app, OFFICE, 1).await;
    let office = app.token_for("GOV-1").await;
    let (code, number) = accepted(app, true).await;
    let results = futures::future::join_all((0..8).map(|_| {
        scan(
            app,
            &office,
            &code,
            json!({"kind": "to_provider", "office": OFFICE}),
        )
    }))
    .await;
    let created = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{results:?}");
    for (s, v) in results.iter().filter(|(s, _)| *s != StatusCode::CREATED) {
        assert_eq!(*s, StatusCode::CONFLICT, "{v}");
        assert_eq!(v["error"]["code"], "scan_already", "{v}");
    }
    let (_, a) = app
        .get(&office, &format!("/api/v1/applications/{number}"))
        .await;
    let h = &a["events"];
    let kinds: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["scanned", "stage"], "{h}");
}

async fn the_label_is_a_pdf(app: &TestApp) {
    crate::front_office::office(app, OFFICE, 1).await;
    let office = app.token_for("GOV-1").await;
    let (code, _) = accepted(app, true).await;
    let resp = app
        .client
        .get(app.url(&format!("/api/v1/packages/{code}/label?format=pdf")))
        .bearer_auth(&office)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let bytes = resp.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let (s, e) = app
        .get(
            &office,
            &format!("/api/v1/packages/{code}/label?format=png"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
}

crate::both!(
    a_package_goes_there_and_back_and_to_the_applicant,
    codes_that_name_no_package_are_refused,
    eight_readers_at_once_record_one_scan,
    the_label_is_a_pdf,
    a_package_is_not_sent_without_both_consents,
);

async fn a_package_is_not_sent_without_both_consents(app: &TestApp) {
    crate::front_office::office(app, OFFICE, 1).await;
    let office = app.token_for("GOV-1").await;
    let (s, body) = app
        .post(
            &app.admin,
            "/api/v1/applications",
            json!({"service_code": "SVC-WD5",
                   "applicant": {"iin": iin(17), "last_name": "Ахметов", "first_name": "Айбек"},
                   "channel": "state_corp", "paper": true, "acceptance_place": "GOV-1",
                   "executor": "MIN-AST", "accepted_at": jiff::Timestamp::now().to_string()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let number = body["number"].as_str().unwrap();
    let code = package::barcode(ApplicationNumber::parse(number).unwrap());
    // One consent of the two: still refused, naming the one lacking.
    let (s, _) = app
        .post(
            &office,
            &format!("/api/v1/applications/{number}/consents"),
            json!({"consents": [{"kind": "personal_data", "source": "paper", "source_id": "F-7"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, e) = scan(
        app,
        &office,
        &code,
        json!({"kind": "to_provider", "office": OFFICE}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "consent_missing");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("the use of legally protected data:"),
        "{e}"
    );
    let (_, a) = app
        .get(&office, &format!("/api/v1/applications/{number}"))
        .await;
    assert_eq!(a["stage"], "accepted", "nothing sent: {a}");
    // Both: sent.
    let (s, c) = app
        .post(
            &office,
            &format!("/api/v1/applications/{number}/consents"),
            json!({"consents": [{"kind": "protected_data", "source": "egov_sms", "source_id": "S-9"},
                                {"kind": "personal_data", "source": "egov_sms", "source_id": "other"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    // The consent on record stays as it was given first.
    let first = c["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "personal_data")
        .unwrap();
    assert_eq!(first["source_id"], "F-7");
    let (s, r) = scan(
        app,
        &office,
        &code,
        json!({"kind": "to_provider", "office": OFFICE}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
}
