//! Acceptance at the counter through the API (001 §7–8, §14–17, §22; ADR 0021), on both
//! backends: the checklist from the service's passport; an incomplete package refused with a
//! receipt naming exactly what the passport requires and did not come (sealed, read back as a
//! PDF with pdftotext); a payment short of the fee refused; a complete package without consent
//! refused with nothing written; a complete, consented one registered with its receipt (the
//! issue date is the planned date), its package ready to be sent; a retry returns the first,
//! also when eight arrive at once; the identification's refusals by their fields.

use crate::support::{iin, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

const SERVICE: &str = "SVC-WD5";
const OFFICE: &str = "ACC-01";

fn kr(s: &str) -> Value {
    json!({"kk": format!("{s} (қаз.)"), "ru": format!("{s} (рус.)")})
}

/// The seeded registry, an office of GOV-1, and a passport in force for SVC-WD5 asking for an
/// application form, two photo copies, a privilege document (of some applicants only) and a
/// fee of 1,476 tenge; the identity document comes from an information system.
pub(crate) async fn setup(app: &TestApp) -> Vec<i64> {
    let counters = crate::front_office::office(app, OFFICE, 1).await;
    let mut p = crate::passports::complete_passport("MIN");
    p["fee"] = json!({"paid": true, "amount_kzt": 1476, "description": kr("мемлекеттік баж"),
                      "payment_form": kr("банк"), "receipt": kr("түбіртек")});
    p["documents"] = json!([
        {"code": "application", "name": {"kk": "Өтініш", "ru": "Заявление"}, "form": "original", "copies": 1},
        {"code": "identity", "name": kr("удостоверение личности"),
         "form": "original_for_identification", "from_system": "ГБД ФЛ"},
        {"code": "photo", "name": {"kk": "Фотосурет 3×4", "ru": "Фотография 3×4"}, "form": "copy", "copies": 2},
        {"code": "privilege", "name": {"kk": "Жеңілдікті растайтын құжат", "ru": "Документ о льготе"},
         "form": "original", "copies": 1, "who": kr("льготники")}
    ]);
    let (s, d) = app
        .send(
            reqwest::Method::PUT,
            Some(&app.admin),
            &format!("/api/v1/services/{SERVICE}/passport"),
            Some(&json!({"passport": p})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let (s, v) = app
        .post(
            &app.admin,
            &format!("/api/v1/services/{SERVICE}/passport/publish"),
            json!({"revision": d["revision"], "approving_act": "Бұйрық № 1"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    counters
}

fn consents() -> Value {
    json!([{"kind": "personal_data", "source": "paper", "source_id": "F-1"},
           {"kind": "protected_data", "source": "egov_sms", "source_id": "SMS-1"}])
}

/// An acceptance request: the applicant identified by an identity card, `documents` handed over.
pub(crate) fn request(documents: Value) -> Value {
    json!({"office": OFFICE, "service_code": SERVICE, "language": "kk",
           "applicant": {"iin": iin(17), "last_name": "Ахметов", "first_name": "Айбек"},
           "identification": {"document": "identity_card", "number": "045612378"},
           "documents": documents, "paid_kzt": 1476, "consents": consents()})
}

pub(crate) fn complete() -> Value {
    json!([{"code": "application", "form": "original", "count": 1},
           {"code": "photo", "form": "copy", "count": 2}])
}

fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.pdf");
    std::fs::write(&file, pdf).unwrap();
    match std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
    {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ if std::env::var("CI").is_ok() => panic!("pdftotext (poppler-utils) is required"),
        _ => None,
    }
}

async fn get_pdf(app: &TestApp, token: &str, path: &str) -> Vec<u8> {
    let resp = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    resp.bytes().await.unwrap().to_vec()
}

async fn refused_then_accepted_with_receipts_that_match_the_passport(app: &TestApp) {
    let counters = setup(app).await;
    let staff = app.token_for("GOV-1").await;

    let (s, list) = app
        .get(&staff, &format!("/api/v1/services/{SERVICE}/checklist"))
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let codes: Vec<&str> = list["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["application", "photo", "privilege"], "{list}");
    assert_eq!(list["from_systems"][0]["code"], "identity");
    assert_eq!(list["fee"]["amount_kzt"], 1476);

    // One photo of two, and the privilege document not marked as not applying: refused, the
    // receipt naming both, at the counter.
    let mut r = request(
        json!([{"code": "application", "form": "original", "count": 1},
                                {"code": "photo", "form": "copy", "count": 1}]),
    );
    r["counter"] = json!(counters[0]);
    let (s, refused) = app.post(&staff, "/api/v1/acceptances", r).await;
    assert_eq!(s, StatusCode::CREATED, "{refused}");
    assert_eq!(refused["outcome"], "refused");
    assert!(refused["application"].is_null());
    let receipt = &refused["receipt"];
    assert_eq!(receipt["kind"], "refusal");
    let missing: Vec<(&str, &str)> = receipt["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        missing,
        [
            ("photo", "Фотосурет 3×4"),
            ("privilege", "Жеңілдікті растайтын құжат")
        ]
    );
    assert_eq!(receipt["missing"][0]["received"], 1);
    // Its seal holds: anyone checks it.
    let (s, check) = app
        .post(
            &staff,
            "/api/v1/public/receipts/check",
            json!({"token": receipt["seal"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(check["genuine"], true, "{check}");
    assert_eq!(check["receipt"]["missing"], json!(["photo", "privilege"]));
    // Printed on request, in Kazakh.
    let id = receipt["id"].as_str().unwrap();
    let pdf = get_pdf(app, &staff, &format!("/api/v1/receipts/{id}?format=pdf")).await;
    if let Some(text) = pdf_text(&pdf) {
        for words in [
            "Құжаттарды қабылдаудан бас тарту туралы қолхат",
            "Жеңілдікті растайтын құжат",
            OFFICE,
        ] {
            assert!(text.contains(words), "{words:?} not in {text}");
        }
    }

    // Complete, but a payment short of the fee: refused, naming the fee.
    let mut short = request(complete());
    short["not_applicable"] = json!(["privilege"]);
    short["paid_kzt"] = json!(1000);
    let (s, v) = app.post(&staff, "/api/v1/acceptances", short).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["outcome"], "refused");
    assert_eq!(v["receipt"]["missing"][0]["code"], "fee");

    // Complete, without consent: refused by the field, nothing written.
    let mut unconsented = request(complete());
    unconsented["not_applicable"] = json!(["privilege"]);
    unconsented["consents"] =
        json!([{"kind": "personal_data", "source": "paper", "source_id": "F"}]);
    let (s, e) = app.post(&staff, "/api/v1/acceptances", unconsented).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        (e["error"]["code"].as_str(), e["error"]["field"].as_str()),
        (Some("consent_missing"), Some("consents"))
    );
    let (_, apps) = app.get(&staff, "/api/v1/applications").await;
    assert_eq!(apps["items"].as_array().unwrap().len(), 0, "{apps}");

    // Complete and consented: registered, with its receipt.
    let key = uuid::Uuid::new_v4().to_string();
    let mut ok = request(complete());
    ok["not_applicable"] = json!(["privilege"]);
    ok["request_key"] = json!(key);
    ok["language"] = json!("ru");
    let (s, accepted) = app.post(&staff, "/api/v1/acceptances", ok.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{accepted}");
    assert_eq!(accepted["outcome"], "accepted");
    let a = &accepted["application"];
    assert_eq!(
        (
            a["channel"].as_str(),
            a["paper"].as_bool(),
            a["acceptance_place"].as_str()
        ),
        (Some("state_corp"), Some(true), Some("GOV-1")),
        "{a}"
    );
    let number = a["number"].as_str().unwrap();
    let receipt = &accepted["receipt"];
    assert_eq!(receipt["kind"], "acceptance");
    assert_eq!(receipt["application"], a["number"]);
    assert_eq!(receipt["issue_date"], a["planned_date"]);
    assert_eq!(receipt["accepted"][0]["name"], "Заявление");
    assert_eq!(receipt["missing"], json!([]));
    assert_eq!(accepted["package"], format!("QZ{number}"));

    // A retry: the same acceptance, not a second application.
    let (s, again) = app.post(&staff, "/api/v1/acceptances", ok).await;
    assert_eq!(s, StatusCode::OK, "{again}");
    assert_eq!(again["acceptance"], accepted["acceptance"]);
    assert_eq!(again["application"]["number"], a["number"]);

    // The application's receipt, as JSON and printed in Russian; its consents; its package
    // goes to the provider at once.
    let (s, by_app) = app
        .get(&staff, &format!("/api/v1/applications/{number}/receipt"))
        .await;
    assert_eq!(s, StatusCode::OK, "{by_app}");
    assert_eq!(by_app["id"], receipt["id"]);
    let pdf = get_pdf(
        app,
        &staff,
        &format!("/api/v1/applications/{number}/receipt?format=pdf"),
    )
    .await;
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("Расписка о приёме документов"), "{text}");
        assert!(text.contains(number), "{text}");
    }
    let (_, c) = app
        .get(&staff, &format!("/api/v1/applications/{number}/consents"))
        .await;
    assert_eq!(c["items"].as_array().unwrap().len(), 2, "{c}");
    let (s, scan) = app
        .post(
            &staff,
            &format!("/api/v1/packages/QZ{number}/scans"),
            json!({"kind": "to_provider"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{scan}");
    let (s, list) = app
        .get(&staff, &format!("/api/v1/applications/{number}/checklist"))
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list["documents"].as_array().unwrap().len(), 3);

    // Outside the branch: neither accept nor read.
    let akimat = app.token_for("AKIM").await;
    let (s, _) = app
        .post(&akimat, "/api/v1/acceptances", request(complete()))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .get(
            &akimat,
            &format!("/api/v1/receipts/{}", receipt["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn entries_that_cannot_be_are_refused_by_their_fields(app: &TestApp) {
    setup(app).await;
    let staff = app.token_for("GOV-1").await;
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            {
                let mut r = request(complete());
                r["documents"][0]["code"] = json!("identity");
                r
            },
            "documents[0].code",
            "document_from_system",
        ),
        (
            {
                let mut r = request(complete());
                r["documents"][1]["code"] = json!("passport-photo");
                r
            },
            "documents[1].code",
            "unknown_document",
        ),
        (
            {
                let mut r = request(complete());
                r["not_applicable"] = json!(["application"]);
                r
            },
            "not_applicable[0]",
            "not_conditional",
        ),
        (
            {
                let mut r = request(complete());
                r["identification"]["representative"] = json!({
                    "iin": iin(23), "last_name": "Серікова", "first_name": "Дана",
                    "power_of_attorney": {"notarised": true, "number": "N-17",
                                          "issued_on": "2025-01-10", "valid_until": "2026-01-10"}});
                r
            },
            "identification.representative.power_of_attorney.valid_until",
            "power_of_attorney_expired",
        ),
        (
            {
                let mut r = request(complete());
                r["identification"]["document"] = json!("library_card");
                r
            },
            "identification.document",
            "enum_invalid",
        ),
        (
            {
                let mut r = request(complete());
                r["applicant"]["iin"] = json!("900101300018");
                r
            },
            "applicant.iin",
            "id_checksum",
        ),
    ];
    for (body, field, code) in cases {
        let (s, e) = app.post(&staff, "/api/v1/acceptances", body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {e}");
        assert_eq!(
            (e["error"]["field"].as_str(), e["error"]["code"].as_str()),
            (Some(field), Some(code)),
            "{e}"
        );
    }
    // A representative with a valid power of attorney is accepted.
    let mut r = request(complete());
    r["not_applicable"] = json!(["privilege"]);
    r["identification"]["representative"] = json!({
        "iin": iin(23), "last_name": "Серікова", "first_name": "Дана",
        "power_of_attorney": {"notarised": false, "number": "N-18",
                              "issued_on": "2026-01-10", "valid_until": "2099-01-10"}});
    let (s, v) = app.post(&staff, "/api/v1/acceptances", r).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["outcome"], "accepted");
}

async fn eight_retries_at_once_make_one_application(app: &TestApp) {
    setup(app).await;
    let staff = app.token_for("GOV-1").await;
    let mut r = request(complete());
    r["not_applicable"] = json!(["privilege"]);
    r["request_key"] = json!(uuid::Uuid::new_v4().to_string());
    let results = futures::future::join_all(
        (0..8).map(|_| app.post(&staff, "/api/v1/acceptances", r.clone())),
    )
    .await;
    let created = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{results:?}");
    let numbers: std::collections::HashSet<&str> = results
        .iter()
        .map(|(s, v)| {
            assert!(s.is_success(), "{v}");
            v["application"]["number"].as_str().unwrap()
        })
        .collect();
    assert_eq!(numbers.len(), 1, "{results:?}");
    let (_, apps) = app.get(&staff, "/api/v1/applications").await;
    assert_eq!(apps["items"].as_array().unwrap().len(), 1, "{apps}");
}

/// The receipt goes to the applicant electronically by default (001 §15.5): the e-mail with the
/// application's number, the issue date and the rating link, the SMS short — outbox rows
/// written with the acceptance. The identification is read back masked, and the read is
/// audited.
async fn the_receipt_is_sent_and_the_identification_read_masked(app: &TestApp) {
    setup(app).await;
    let staff = app.token_for("GOV-1").await;
    let mut r = request(complete());
    r["not_applicable"] = json!(["privilege"]);
    r["language"] = json!("ru");
    r["applicant"]["contact"] =
        json!({"email": "aibek@mail.kz", "phone": "+7 701 234 56 78", "language": "ru"});
    r["identification"]["representative"] = json!({"iin": iin(41), "last_name": "Сейітов",
        "first_name": "Ерлан", "power_of_attorney": {"notarised": true, "number": "ДОВ-77",
        "issued_on": "2026-01-05", "valid_until": "2030-01-01"}});
    let (s, a) = app.post(&staff, "/api/v1/acceptances", r).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let number = a["application"]["number"].as_str().unwrap().to_string();
    let planned = a["application"]["planned_date"]
        .as_str()
        .unwrap()
        .to_string();

    let (s, o) = app
        .get(&app.admin, &format!("/api/v1/outbox?number={number}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{o}");
    let receipts: Vec<&Value> = o["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["key"].as_str().unwrap().starts_with("receipt:"))
        .collect();
    let channels: Vec<&str> = receipts
        .iter()
        .map(|m| m["channel"].as_str().unwrap())
        .collect();
    assert_eq!(channels.len(), 2, "{o}");
    assert!(
        channels.contains(&"email") && channels.contains(&"sms"),
        "{o}"
    );
    let mail = receipts.iter().find(|m| m["channel"] == "email").unwrap();
    assert!(
        mail["subject"].as_str().unwrap().contains(&number),
        "{mail}"
    );
    // The body as it will be sent (the list shows no bodies).
    let stored = app
        .store
        .outbox(&qyzmet_store::OutboxFilter {
            state: None,
            channel: Some("email".into()),
            number: Some(qyzmet_domain::ids::ApplicationNumber::parse(&number).unwrap()),
            before: None,
            limit: 10,
        })
        .await
        .unwrap();
    let body = &stored
        .iter()
        .find(|m| m.key.starts_with("receipt:"))
        .expect("the e-mailed receipt")
        .body;
    assert!(body.contains(&number) && body.contains(&planned), "{body}");
    assert!(
        body.contains("Оцените") && body.contains("/rate/QZT2."),
        "in Russian, with the rating link: {body}"
    );
    assert!(
        !body.contains("{number}") && !body.contains("{issue_date}"),
        "{body}"
    );

    // Masked, and the read audited.
    let id = a["acceptance"].as_str().unwrap();
    let (s, i) = app
        .get(&staff, &format!("/api/v1/acceptances/{id}/identification"))
        .await;
    assert_eq!(s, StatusCode::OK, "{i}");
    assert_eq!(i["document"], "identity_card");
    assert_eq!(i["number"], "••••••378", "{i}");
    let rep = &i["representative"];
    assert_eq!(
        (rep["name"].as_str(), rep["power_of_attorney"].as_str()),
        (Some("С. Ерлан"), Some("ДОВ-77")),
        "{i}"
    );
    assert!(rep["iin"].as_str().unwrap().starts_with("••••••••"), "{i}");
    assert!(!i.to_string().contains(&iin(41)), "{i}");
    let audited = app.store.audit_of(&number, 20).await.unwrap();
    assert!(
        audited
            .iter()
            .any(|e| e.action == "acceptance.identification.read"),
        "{audited:?}"
    );
    let akimat = app.token_for("AKIM").await;
    let (s, _) = app
        .get(&akimat, &format!("/api/v1/acceptances/{id}/identification"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

/// A certified copy of an original (001 §17): kept with the application for one of its
/// passport's documents, sealed; the same file again is the same copy; the file read back byte
/// for byte with its seal, the read audited; what is not a PDF, PNG or JPEG, or a document the
/// passport does not name, refused; another organization sees nothing.
async fn a_certified_copy_is_kept_sealed_and_read_back(app: &TestApp) {
    use base64::Engine;
    setup(app).await;
    let staff = app.token_for("GOV-1").await;
    let mut r = request(complete());
    r["not_applicable"] = json!(["privilege"]);
    let (s, a) = app.post(&staff, "/api/v1/acceptances", r).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let number = a["application"]["number"].as_str().unwrap().to_string();
    let path = format!("/api/v1/applications/{number}/copies");
    let png: Vec<u8> = [b"\x89PNG\r\n\x1a\n".as_slice(), &[7u8; 300]].concat();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&png);

    let (s, e) = app
        .post(
            &staff,
            &path,
            json!({"document": "passport-of-mars", "content_base64": b64}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("document")),
        "{e}"
    );
    let text = base64::engine::general_purpose::STANDARD.encode(b"just text");
    let (s, e) = app
        .post(
            &staff,
            &path,
            json!({"document": "application", "content_base64": text}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("media_type_unsupported")
        ),
        "{e}"
    );

    let (s, c) = app
        .post(
            &staff,
            &path,
            json!({"document": "application", "content_base64": b64}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(
        (
            c["media_type"].as_str(),
            c["certified"].as_str(),
            c["size"].as_i64()
        ),
        (
            Some("image/png"),
            Some("copy_from_original"),
            Some(png.len() as i64)
        )
    );
    assert!(c["seal"].as_str().unwrap().starts_with("QZC1."), "{c}");
    let (s, again) = app
        .post(
            &staff,
            &path,
            json!({"document": "application", "content_base64": b64}),
        )
        .await;
    assert_eq!(
        (s, again["id"].as_str()),
        (StatusCode::OK, c["id"].as_str()),
        "{again}"
    );
    let (_, list) = app.get(&staff, &path).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");

    let id = c["id"].as_str().unwrap();
    let resp = app
        .client
        .get(app.url(&format!("/api/v1/copies/{id}")))
        .bearer_auth(&staff)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(resp.headers()["x-qyzmet-seal"], c["seal"].as_str().unwrap());
    assert_eq!(resp.bytes().await.unwrap().as_ref(), png.as_slice());
    let audited = app.store.audit_of(&number, 20).await.unwrap();
    assert!(
        audited.iter().any(|e| e.action == "copy.read"),
        "{audited:?}"
    );

    let akimat = app.token_for("AKIM").await;
    let (s, _) = app.get(&akimat, &format!("/api/v1/copies/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, none) = app.get(&akimat, &path).await;
    assert_eq!(none["items"], json!([]), "{none}");
}

crate::both!(
    a_certified_copy_is_kept_sealed_and_read_back,
    the_receipt_is_sent_and_the_identification_read_masked,
    refused_then_accepted_with_receipts_that_match_the_passport,
    entries_that_cannot_be_are_refused_by_their_fields,
    eight_retries_at_once_make_one_application,
);
