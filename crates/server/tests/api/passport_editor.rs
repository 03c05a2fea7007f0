//! The passport editor on the administrator's pages (issue 17, point 2; 003 §1–26), on both
//! backends, as a browser without a script uses it: the form opens with the published
//! edition's values, grows a row when asked, saves the draft (read back through the API field
//! by field), refuses an invalid draft with its problems at their fields and saves nothing,
//! refuses an edit made from an older revision while keeping what was typed, and is the
//! administrators' only.

use crate::browser::{user, Browser, PASSWORD};
use crate::passports::complete_passport;
use crate::support::TestApp;
use qyzmet_store::UserRole;
use reqwest::StatusCode;
use serde_json::{json, Value};

const EDIT: &str = "/admin/services/SVC-WD5/passport/edit";

/// What a browser sends for the form `id` of `html` as it stands: its inputs (checkboxes only
/// when checked, no buttons), text areas and selects (the selected option, else the first).
fn form_of(html: &str, id: &str) -> Vec<(String, String)> {
    let start = html
        .find(&format!("<form id=\"{id}\""))
        .unwrap_or_else(|| panic!("no form {id}"));
    let end = start + html[start..].find("</form>").expect("the form ends");
    let form = &html[start..end];
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let tag_end = rest.find('>').expect("a tag ends");
        let tag = &rest[..tag_end];
        let name = attr(tag, "name");
        if let Some(t) = tag.strip_prefix("input ") {
            let kind = attr(t, "type").unwrap_or_else(|| "text".into());
            let checked = t.contains(" checked");
            match (name, kind.as_str()) {
                (Some(n), "checkbox") if checked => {
                    out.push((n, attr(t, "value").unwrap_or_else(|| "on".into())))
                }
                (Some(_), "checkbox" | "submit") | (None, _) => {}
                (Some(n), _) => out.push((n, attr(t, "value").unwrap_or_default())),
            }
        } else if tag.starts_with("textarea ") {
            let body = &rest[tag_end + 1..];
            let close = body.find("</textarea>").expect("a text area ends");
            if let Some(n) = name {
                out.push((n, unescape(&body[..close])));
            }
        } else if tag.starts_with("select ") {
            let body = &rest[tag_end + 1..];
            let close = body.find("</select>").expect("a select ends");
            let options: Vec<&str> = body[..close].split("<option ").skip(1).collect();
            let chosen = options
                .iter()
                .find(|o| o.split('>').next().unwrap_or("").contains(" selected"))
                .or(options.first());
            if let (Some(n), Some(o)) = (name, chosen) {
                out.push((n, attr(o, "value").unwrap_or_default()));
            }
        }
    }
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let mut from = 0;
    while let Some(i) = tag[from..].find(&key) {
        let at = from + i;
        // A whole attribute name, not the tail of another (`aria-describedby` vs `by`).
        if at == 0 || tag.as_bytes()[at - 1] == b' ' {
            let v = &tag[at + key.len()..];
            return Some(unescape(&v[..v.find('"')?]));
        }
        from = at + key.len();
    }
    None
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// `form` with `name` set to `value` (added when absent).
fn set(form: &mut Vec<(String, String)>, name: &str, value: &str) {
    match form.iter_mut().find(|(k, _)| k == name) {
        Some((_, v)) => *v = value.to_string(),
        None => form.push((name.to_string(), value.to_string())),
    }
}

async fn post(b: &mut Browser<'_>, form: &[(String, String)]) -> crate::browser::Page {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post(EDIT, &pairs).await
}

async fn draft(app: &TestApp) -> (StatusCode, Value) {
    app.get(
        &app.admin,
        "/api/v1/services/SVC-WD5/passport?version=draft",
    )
    .await
}

/// A published edition in the order the page lists choices (as a browser sends them back).
async fn published(app: &TestApp) -> Value {
    let mut p = complete_passport("MIN");
    p["result"]["forms"] = json!(["paper", "electronic"]);
    p["expedited"] =
        json!({"amount_kzt": 3000, "conditions": {"kk": "бір күнде", "ru": "за один день"}});
    p["extensions"] = json!({"digital_channel": {"kk": "цифрлық арна", "ru": "цифровой канал"}});
    let (s, d) = app
        .send(
            reqwest::Method::PUT,
            Some(&app.admin),
            "/api/v1/services/SVC-WD5/passport",
            Some(&json!({"passport": p})),
            Some("en"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let (s, v) = app
        .post(
            &app.admin,
            "/api/v1/services/SVC-WD5/passport/publish",
            json!({"revision": d["revision"], "approving_act": "Order No. 1"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["passport"].clone()
}

/// An administrator opens the editor on the published edition, adds a document and removes
/// one, saves; the draft read back through the API is the edition with those changes, field
/// by field, and its write is audited.
async fn an_administrator_writes_a_draft_in_the_editor(app: &TestApp) {
    app.seed().await;
    user(app, "admin", UserRole::Administrator, None).await;
    let before = published(app).await;
    let mut b = Browser::new(app);
    assert_eq!(
        b.sign_in("admin", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let page = b.get("/admin/services/SVC-WD5/passport").await;
    assert!(
        page.html.contains(&format!("href=\"{EDIT}\"")),
        "a link to the editor"
    );

    let page = b.get(EDIT).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("data-testid=\"editor-start\""));
    // The published edition's values, each in its control.
    let form = form_of(&page.html, "passport-editor");
    let value = |form: &[(String, String)], name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no control {name}"))
    };
    assert_eq!(value(&form, "revision"), "", "no draft yet");
    assert_eq!(value(&form, "providers[0].organization"), "MIN");
    assert_eq!(value(&form, "providers[0].schedule.hours"), "09:00-18:30");
    assert_eq!(
        value(&form, "providers[0].schedule.breaks[0]"),
        "13:00-14:30"
    );
    assert_eq!(value(&form, "documents[1].code"), "identity");
    assert_eq!(
        value(&form, "documents[1].form"),
        "original_for_identification"
    );
    assert_eq!(value(&form, "documents[1].from_system"), "ГБД ФЛ");
    assert_eq!(value(&form, "documents[0].name.ru"), "заявление (рус.)");
    assert_eq!(value(&form, "terms.max_wait_minutes"), "15");
    assert_eq!(value(&form, "automation"), "partly");
    assert_eq!(value(&form, "expedited.amount_kzt"), "3000");
    assert_eq!(value(&form, "extensions[0].name"), "digital_channel");
    assert_eq!(
        value(&form, "informing[0].message.kk"),
        "{number} өтініміңіз дайын: {status_url}"
    );
    let days: Vec<_> = form
        .iter()
        .filter(|(k, _)| k == "providers[0].schedule.days")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(days, ["mon", "tue", "wed", "thu", "fri"]);

    // "Add a document": the form comes back with one more (empty) row; nothing is saved.
    let mut sent = form.clone();
    set(&mut sent, "add", "documents");
    let grown = post(&mut b, &sent).await;
    assert_eq!(grown.status, StatusCode::OK, "{}", grown.html);
    assert!(grown.html.contains("name=\"documents[2].code\""));
    assert_eq!(draft(app).await.0, StatusCode::NOT_FOUND, "nothing saved");
    let mut form = form_of(&grown.html, "passport-editor");
    assert_eq!(value(&form, "documents[2].copies"), "1");
    set(&mut form, "documents[2].code", "photo");
    set(&mut form, "documents[2].name.kk", "фотосурет");
    set(&mut form, "documents[2].name.ru", "фотография");
    set(&mut form, "documents[2].form", "copy");
    set(&mut form, "documents[2].copies", "2");
    set(&mut form, "documents[0].remove", "1");
    set(&mut form, "fee.paid", "1");
    set(&mut form, "fee.amount_kzt", "1 500");
    set(&mut form, "fee.payment_form.ru", "через банк");
    let saved = post(&mut b, &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    assert_eq!(saved.location, "/admin/services/SVC-WD5/passport?saved=1");
    assert!(b
        .get(&saved.location)
        .await
        .html
        .contains("data-testid=\"passport-notice\""));

    let (s, d) = draft(app).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["revision"], 1);
    let mut expected = before.clone();
    expected["documents"] = json!([
        before["documents"][1],
        {"code": "photo", "name": {"kk": "фотосурет", "ru": "фотография", "en": ""},
         "form": "copy", "copies": 2, "who": {"kk": "", "ru": "", "en": ""}, "from_system": null,
         "requirements": {"kk": "", "ru": "", "en": ""}}
    ]);
    expected["fee"]["paid"] = json!(true);
    expected["fee"]["amount_kzt"] = json!(1500);
    expected["fee"]["payment_form"]["ru"] = json!("через банк");
    let (got, want) = (
        d["passport"].as_object().unwrap(),
        expected.as_object().unwrap(),
    );
    for (field, v) in want {
        assert_eq!(got.get(field), Some(v), "003 field {field}");
    }
    assert_eq!(got.len(), want.len());

    let actions: Vec<String> = app
        .store
        .audit_of("service:SVC-WD5", 50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions.iter().filter(|a| *a == "passport.draft").count(),
        2,
        "the published edition's draft and the editor's: {actions:?}"
    );

    // Opened again, the editor starts from the draft and carries its revision.
    let page = b.get(EDIT).await;
    let form = form_of(&page.html, "passport-editor");
    assert_eq!(value(&form, "revision"), "1");
    assert_eq!(value(&form, "documents[1].code"), "photo");
}

/// An invalid draft: every problem listed above the form and beside its field, what was typed
/// kept, nothing saved. An edit from an older revision: refused with a message in the user's
/// language, the input kept; sent again, it is saved.
async fn the_editor_refuses_an_invalid_or_stale_draft(app: &TestApp) {
    app.seed().await;
    user(app, "admin", UserRole::Administrator, None).await;
    user(app, "op.ast", UserRole::Operator, Some("MIN-AST")).await;
    published(app).await;
    let mut b = Browser::new(app);
    b.sign_in("admin", PASSWORD).await;
    let csrf = b.csrf(EDIT).await;
    b.post(
        "/account/language",
        &[("csrf", &csrf), ("lang", "ru"), ("back", EDIT)],
    )
    .await;
    let page = b.get(EDIT).await;
    let form = form_of(&page.html, "passport-editor");

    let mut bad = form.clone();
    set(&mut bad, "documents[0].code", "код документа");
    set(&mut bad, "terms.max_wait_minutes", "пятнадцать");
    set(&mut bad, "providers[0].schedule.breaks[0]", "08:00-09:30");
    set(&mut bad, "forms.ru", "a\u{202E}b");
    let refused = post(&mut b, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = &refused.html;
    assert!(html.contains("data-testid=\"error-summary\""), "{html}");
    for id in [
        "f-documents-0-code",
        "f-terms-max_wait_minutes",
        "f-providers-0-schedule-breaks-0",
        "f-forms-ru",
    ] {
        assert!(
            html.contains(&format!("href=\"#{id}\"")),
            "{id} in the summary"
        );
        assert!(
            html.contains(&format!("id=\"{id}-error\"")),
            "{id} beside its field"
        );
        assert!(
            html.contains(&format!("aria-describedby=\"{id}-error\"")),
            "{id} tied to its message"
        );
    }
    // In the user's language, the field in words.
    assert!(html.contains("целым числом"), "{html}");
    assert!(!html.contains(">passport."), "no paths shown");
    let kept = form_of(html, "passport-editor");
    assert_eq!(
        kept.iter()
            .find(|(k, _)| k == "documents[0].code")
            .unwrap()
            .1,
        "код документа",
        "what was typed is kept"
    );
    assert_eq!(draft(app).await.0, StatusCode::NOT_FOUND, "nothing saved");

    // Two administrators open the draft at revision 1; the first saves, the second is told.
    let saved = post(&mut b, &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let page = b.get(EDIT).await;
    let opened = form_of(&page.html, "passport-editor");
    let mut first = opened.clone();
    set(&mut first, "forms.ru", "бланк первого");
    let mut second = opened.clone();
    set(&mut second, "forms.ru", "бланк второго");
    assert_eq!(post(&mut b, &first).await.status, StatusCode::SEE_OTHER);
    let stale = post(&mut b, &second).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.html);
    assert!(stale.html.contains("data-testid=\"editor-stale\""));
    assert!(
        stale.html.contains("Другой администратор"),
        "{}",
        stale.html
    );
    let (_, d) = draft(app).await;
    assert_eq!(d["passport"]["forms"]["ru"], "бланк первого");
    let again = form_of(&stale.html, "passport-editor");
    assert_eq!(
        again.iter().find(|(k, _)| k == "forms.ru").unwrap().1,
        "бланк второго",
        "the input is kept"
    );
    assert_eq!(
        again.iter().find(|(k, _)| k == "revision").unwrap().1,
        d["revision"].to_string(),
        "now from the stored revision"
    );
    assert_eq!(post(&mut b, &again).await.status, StatusCode::SEE_OTHER);
    let (_, d) = draft(app).await;
    assert_eq!(d["passport"]["forms"]["ru"], "бланк второго");

    // Nobody but an administrator.
    let mut op = Browser::new(app);
    op.sign_in("op.ast", PASSWORD).await;
    assert_eq!(op.get(EDIT).await.status, StatusCode::FORBIDDEN);
    let csrf = op.csrf("/work").await;
    let r = op
        .post(EDIT, &[("csrf", &csrf), ("documents[0].code", "x")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

crate::both!(
    an_administrator_writes_a_draft_in_the_editor,
    the_editor_refuses_an_invalid_or_stale_draft
);
