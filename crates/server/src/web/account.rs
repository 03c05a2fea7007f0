//! Signing in and out, the language of the workstation (remembered per user) and password
//! changes. The rules live in `accounts`; this module is their pages.

use super::session::{
    client_of, cookie, peer_of, same_secret, set_cookie, visitor_lang, Staff, LANG_COOKIE,
    PRE_COOKIE, SESSION_COOKIE,
};
use super::{home_of, render, render_status, safe_next, see_other, Ui, WebError};
use crate::app::accounts::{self, AccountError, SignInError, SESSION_TTL};
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use jiff::Timestamp;
use serde::Deserialize;

/// `/`: the role's home, or the sign-in form.
pub async fn home(staff: Result<Staff, WebError>) -> Response {
    match staff {
        Ok(s) => see_other(home_of(s.role())),
        Err(e @ WebError::PasswordChange) => e.into_response(),
        Err(_) => see_other("/sign-in"),
    }
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    ui: Ui,
    pre: String,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SignInQuery {
    next: Option<String>,
    lang: Option<String>,
}

fn random_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn sign_in_page(
    state: &AppState,
    lang: Lang,
    next: String,
    username: String,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let pre = random_token();
    let mut ui = Ui::anonymous(lang);
    ui.path = "/sign-in".into();
    let page = SignInPage {
        ui,
        pre: pre.clone(),
        next,
        username,
        error,
    };
    let mut resp = render_status(status, &page);
    set_cookie(&mut resp, state, PRE_COOKIE, &pre, 3600, true);
    resp
}

/// The sign-in form; `?lang=ru` switches its language (remembered in a cookie until the user
/// signs in, when the user's own choice takes over).
pub async fn sign_in_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<SignInQuery>,
) -> Response {
    let chosen = q.lang.as_deref().and_then(Lang::from_code);
    let lang = chosen.unwrap_or_else(|| visitor_lang(&headers));
    let next = q.next.filter(|n| safe_next(n)).unwrap_or_default();
    let mut resp = sign_in_page(&state, lang, next, String::new(), None, StatusCode::OK);
    if let Some(l) = chosen {
        set_cookie(&mut resp, &state, LANG_COOKIE, l.code(), 31_536_000, false);
    }
    resp
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    username: String,
    password: String,
    #[serde(default)]
    pre: String,
    #[serde(default)]
    next: String,
}

/// Signs in: on success the session cookie is set and the user goes where they were going
/// (or to the role's home); a refusal re-shows the form with the reason.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    Form(form): Form<SignInForm>,
) -> Response {
    let lang = visitor_lang(&headers);
    let pre_ok = cookie(&headers, PRE_COOKIE)
        .is_some_and(|c| !form.pre.is_empty() && same_secret(c, &form.pre));
    if !pre_ok {
        return WebError::Csrf(Box::new(Ui::anonymous(lang))).into_response();
    }
    let now = Timestamp::now();
    let refused = |key: &str, status| {
        let ui = Ui::anonymous(lang);
        sign_in_page(
            &state,
            lang,
            form.next.clone(),
            form.username.clone(),
            Some(ui.t(key)),
            status,
        )
    };
    let too_many = |retry_after: std::time::Duration| {
        let mut resp = refused("sign-in-throttled", StatusCode::TOO_MANY_REQUESTS);
        resp.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(retry_after.as_secs().max(1)),
        );
        resp
    };
    // Throttled before anything else (issue 15, finding 5): per client address and per
    // username typed, known or not, so the answer is the same for both.
    let typed = form.username.trim().to_lowercase();
    if let Err(t) = state.sign_in_throttle.check(&typed, &peer_of(&extensions)) {
        return too_many(t.retry_after);
    }
    match accounts::sign_in(
        &state.store,
        &state.hashing,
        &form.username,
        &form.password,
        &client_of(&headers, &extensions),
        now,
    )
    .await
    {
        Ok(signed) => {
            let to = if signed.user.must_change_password {
                super::PASSWORD_PAGE.to_string()
            } else if safe_next(&form.next) && form.next != "/" {
                form.next.clone()
            } else {
                home_of(signed.user.role).to_string()
            };
            let mut resp = see_other(&to);
            set_cookie(
                &mut resp,
                &state,
                SESSION_COOKIE,
                &signed.secret,
                SESSION_TTL.as_secs(),
                true,
            );
            set_cookie(&mut resp, &state, PRE_COOKIE, "", 0, true);
            resp
        }
        // One answer for an unknown username, a wrong password and a locked account.
        Err(SignInError::Invalid | SignInError::Locked) => {
            refused("sign-in-invalid", StatusCode::UNAUTHORIZED)
        }
        Err(SignInError::Busy(b)) => too_many(b.retry_after),
        Err(SignInError::Store(e @ qyzmet_store::StoreError::Unavailable(_))) => {
            WebError::from_store(&Ui::anonymous(lang), e).into_response()
        }
        Err(SignInError::Store(e)) => {
            tracing::error!(error = %e, "sign-in failed");
            refused("page-internal-text", StatusCode::SERVICE_UNAVAILABLE)
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Signs out: the session is closed in the database (on every node) and the cookie dropped.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    staff: Staff,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        if let Err(e) = accounts::sign_out(&state.store, secret, Timestamp::now()).await {
            return Err(WebError::from_store(&staff.ui, e));
        }
    }
    let mut resp = see_other("/sign-in");
    set_cookie(&mut resp, &state, SESSION_COOKIE, "", 0, true);
    Ok(resp)
}

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    csrf: String,
    lang: String,
    #[serde(default)]
    back: String,
}

/// Switches the user's language and remembers it with the user (any device, any node).
pub async fn set_language(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<LanguageForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    let lang = Lang::from_code(&form.lang)
        .ok_or_else(|| WebError::NotFound(Box::new(staff.ui.clone())))?;
    state
        .store
        .set_user_language(staff.session.user.id, lang.code())
        .await
        .map_err(|e| WebError::from_store(&staff.ui, e))?;
    staff
        .audit(&state, "user.language", &staff.caller.actor(), lang.code())
        .await;
    let back = if safe_next(&form.back) {
        form.back
    } else {
        home_of(staff.role()).to_string()
    };
    Ok(see_other(&back))
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    ui: Ui,
    error: Option<String>,
    done: bool,
    /// The password was set by an administrator and must be changed before anything else.
    forced: bool,
}

pub async fn password_form(staff: Staff) -> Response {
    render(&PasswordPage {
        forced: staff.session.user.must_change_password,
        ui: staff.ui,
        error: None,
        done: false,
    })
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    current: String,
    new: String,
    repeat: String,
}

/// Changes the password: the current one is asked again, the new one must pass the rules;
/// the user's other sessions are closed.
pub async fn change_password(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf)?;
    let ui = staff.ui.clone();
    let forced = staff.session.user.must_change_password;
    // The form again with a message; 429 when the hashing pool is saturated.
    let fail_with = |status: StatusCode, key: &str| {
        Ok(render_status(
            status,
            &PasswordPage {
                ui: ui.clone(),
                error: Some(ui.t(key)),
                done: false,
                forced,
            },
        ))
    };
    let fail = |key: &str| fail_with(StatusCode::UNPROCESSABLE_ENTITY, key);
    let internal = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "password change failed");
        WebError::Internal(Box::new(ui.clone()))
    };
    let username = staff.session.user.username.clone();
    let creds = state
        .store
        .credentials(&username)
        .await
        .map_err(|e| WebError::from_store(&ui, e))?;
    // On the hashing pool, as signing in (a stolen session must not flood it either).
    let current_ok = match &creds {
        Some(c) => match state.hashing.verify(&form.current, &c.password_hash).await {
            Ok(ok) => ok,
            Err(_) => return fail_with(StatusCode::TOO_MANY_REQUESTS, "sign-in-throttled"),
        },
        None => false,
    };
    if !current_ok {
        return fail("password-current-wrong");
    }
    if form.new != form.repeat {
        return fail("password-mismatch");
    }
    // A password an administrator set is replaced, not kept.
    if forced && form.new == form.current {
        return fail("password-same");
    }
    match accounts::check_password(&form.new, &username) {
        Err(AccountError::PasswordTooShort) => return fail("password-too-short"),
        Err(_) => return fail("password-weak"),
        Ok(()) => {}
    }
    let hash = match state.hashing.hash(&form.new).await {
        Ok(h) => h.map_err(|e| internal(&e))?,
        Err(_) => return fail_with(StatusCode::TOO_MANY_REQUESTS, "sign-in-throttled"),
    };
    state
        .store
        .set_password(
            staff.session.user.id,
            &hash,
            &staff.session_hash,
            &staff.caller.actor(),
            Timestamp::now(),
        )
        .await
        .map_err(|e| WebError::from_store(&ui, e))?;
    Ok(render(&PasswordPage {
        ui,
        error: None,
        done: true,
        forced: false,
    }))
}
