//! The editor's form model: a passport to the form and back, rows added and removed, what
//! cannot be read refused at its control (003 §1–26).

use super::*;
use qyzmet_domain::passport::Passport;

fn complete() -> Passport {
    let json = r#"{
      "providers": [{"organization": "MIN", "address": {"kk": "мекенжай", "ru": "адрес"},
         "schedule": {"days": ["mon", "fri"], "hours": "09:00-18:30", "breaks": ["13:00-14:00"],
                      "note": {"ru": "суббота"}}}],
      "automation": "fully",
      "legal_basis": [{"act": {"kk": "заң", "ru": "закон"}, "article": "10"}],
      "information_sources": {"ru": "egov"},
      "result": {"name": {"ru": "справка"}, "forms": ["paper", "electronic"]},
      "recipients": {"individuals": true, "legal_entities": true, "description": {"ru": "все"}},
      "terms": {"counted_from": "application", "max_wait_minutes": 15},
      "fee": {"paid": true, "amount_kzt": 1500, "payment_form": {"ru": "банк"}},
      "expedited": {"amount_kzt": 3000, "conditions": {"ru": "за день"}},
      "pre_registration": {"ru": "через портал"},
      "place_conditions": {"ru": "пандус"},
      "information_online": true,
      "life_situations": ["housing", "archives"],
      "documents": [{"code": "id", "name": {"ru": "удостоверение"},
         "form": "original_for_identification", "copies": 2, "from_system": "ГБД ФЛ"}],
      "forms": {"ru": "бланк"}, "where_to_submit": {"ru": "окно 1"},
      "internal_procedure": {"ru": "порядок"}, "confirmation": {"ru": "расписка"},
      "delivery": ["in_person", "email"],
      "suspension_grounds": [{"code": "s1", "text": {"ru": "основание"}, "legal_reference": "ст. 1"}],
      "refusal_grounds": [{"code": "r1", "text": {"ru": "отказ"}, "legal_reference": "ст. 2"}],
      "principles": {"ru": "принципы"},
      "complaints": {"help": {"ru": "1414"}, "appeal": {"ru": "министерство"},
         "appeal_organization": "MIN", "improper_service": {"ru": "руководитель"},
         "documents": {"ru": "жалоба"}, "acknowledgement": {"ru": "талон"}},
      "informing": [{"stage": "ready_for_issue", "message": {"ru": "Заявка {number} готова"}}],
      "extensions": {"digital": {"ru": "цифровой"}}
    }"#;
    serde_json::from_str(json).unwrap()
}

/// The pairs a browser sends for `form` (003 §1–26): every control of the page.
fn pairs(p: &Passport) -> Vec<(String, String)> {
    let mut out = vec![];
    let v = serde_json::to_value(p).unwrap();
    flatten("", &v, &mut out);
    out
}

fn flatten(path: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
    use serde_json::Value as V;
    let at = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match v {
        V::Object(m) => {
            for (k, x) in m {
                flatten(&at(k), x, out);
            }
        }
        V::Array(xs) if xs.iter().all(|x| x.is_string()) => {
            let list = path.ends_with("days")
                || path.ends_with("forms")
                || path == "delivery"
                || path == "life_situations";
            for (i, x) in xs.iter().enumerate() {
                let k = if list {
                    path.to_string()
                } else {
                    format!("{path}[{i}]")
                };
                out.push((k, x.as_str().unwrap().to_string()));
            }
        }
        V::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                flatten(&format!("{path}[{i}]"), x, out);
            }
        }
        V::Bool(true) => out.push((path.to_string(), "1".into())),
        V::Bool(false) | V::Null => {}
        V::String(s) => out.push((path.to_string(), s.clone())),
        V::Number(n) => out.push((path.to_string(), n.to_string())),
    }
}

#[test]
fn a_passport_goes_to_the_form_and_back_unchanged() {
    let p = complete();
    let (back, errors) = PassportForm::of(&p, Some(3)).passport();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(back, p);
}

#[test]
fn a_form_as_sent_reads_back_as_the_passport() {
    let p = complete();
    let mut sent = pairs(&p);
    // Extensions are rows of name and text; offered options are marked.
    sent.retain(|(k, _)| !k.starts_with("extensions.") && !k.starts_with("expedited"));
    sent.push(("extensions[0].name".into(), "digital".into()));
    sent.push(("extensions[0].text.ru".into(), "цифровой".into()));
    sent.push(("expedited.offered".into(), "1".into()));
    sent.push(("expedited.amount_kzt".into(), "3 000".into()));
    sent.push(("expedited.conditions.ru".into(), "за день".into()));
    sent.push(("pre_registration.offered".into(), "1".into()));
    let mut f = PassportForm::read(&Sent::new(sent));
    f.tidy(true);
    let (back, errors) = f.passport();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(back, p);
}

#[test]
fn rows_are_added_removed_and_empty_ones_left_out() {
    let mut f = PassportForm::of(&complete(), None);
    assert!(f.add("documents"));
    assert!(f.add("providers[0].schedule.breaks"));
    assert!(!f.add("providers[7].schedule.breaks"));
    assert!(!f.add("nothing"));
    assert_eq!(f.documents[1].row.p, "documents[1]");
    assert!(f.documents[1].row.fresh);
    assert_eq!(
        f.providers[0].breaks[1].row.p,
        "providers[0].schedule.breaks[1]"
    );
    f.documents[0].row.remove = true;
    f.tidy(false);
    assert_eq!(f.documents.len(), 1, "the empty row stays while editing");
    f.tidy(true);
    assert!(f.documents.is_empty());
    assert_eq!(f.providers[0].breaks.len(), 1);
}

#[test]
fn what_cannot_be_read_is_refused_at_its_control() {
    let mut f = PassportForm::of(&complete(), None);
    f.documents[0].copies = "two".into();
    f.providers[0].hours = "9-18".into();
    f.providers[0].breaks[0].hours = String::new();
    f.max_wait = "1.5".into();
    let (_, errors) = f.passport();
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.field.clone().unwrap(), e.code.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "passport.providers[0].schedule.hours".into(),
                "working_hours_invalid"
            ),
            (
                "passport.providers[0].schedule.breaks[0]".into(),
                "working_hours_invalid"
            ),
            ("passport.documents[0].copies".into(), "number_invalid"),
            ("passport.terms.max_wait_minutes".into(), "number_invalid"),
        ]
    );
}

#[test]
fn problems_are_listed_as_the_form_is_read() {
    assert!(place_of("terms.max_wait_minutes") < place_of("documents[0].code"));
    assert!(place_of("documents[0].name.kk") < place_of("documents[1].code"));
    assert!(place_of("providers[3].schedule.hours") < place_of("automation"));
}

#[test]
fn an_extensions_problem_finds_its_row() {
    let f = PassportForm::of(&complete(), None);
    assert_eq!(
        f.path_of("extensions.digital.kk", "text_bidi_control"),
        "extensions[0].text.kk"
    );
    assert_eq!(
        f.path_of("extensions.digital", "bad_code"),
        "extensions[0].name"
    );
    assert_eq!(
        f.path_of("documents[0].code", "bad_code"),
        "documents[0].code"
    );
}
