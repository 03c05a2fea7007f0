//! Workstation sessions in the browser: the session cookie (its secret is stored only as a
//! hash, `accounts::session_hash`), the signed-in user as an extractor, role checks, and the
//! CSRF token every form carries.
//!
//! Cookies are `HttpOnly` (no script reads them), `SameSite=Lax` (no cross-site POST carries
//! them) and `Secure` unless configured off. Forms carry the session's CSRF token besides;
//! the sign-in form, which has no session yet, uses a double-submit cookie.

use super::{Ui, WebError};
use crate::app::accounts;
use crate::app::Caller;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use qyzmet_store::{Session, UserRole};

/// Who works the inbox: operators and supervisors.
pub const WORKERS: [UserRole; 2] = [UserRole::Operator, UserRole::Supervisor];

/// Who reads the dashboard, the reports and the quality annexes.
pub const ANALYSTS: [UserRole; 2] = [UserRole::Analyst, UserRole::Administrator];

/// The session cookie.
pub const SESSION_COOKIE: &str = "qyzmet_session";
/// The sign-in form's double-submit token.
pub const PRE_COOKIE: &str = "qyzmet_pre";
/// The language chosen before signing in.
pub const LANG_COOKIE: &str = "qyzmet_lang";

/// The value of cookie `name` in a request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Adds a `Set-Cookie` to a response; `max_age` 0 deletes the cookie.
pub fn set_cookie(
    resp: &mut Response,
    state: &AppState,
    name: &str,
    value: &str,
    max_age: i64,
    http_only: bool,
) {
    let mut c = format!("{name}={value}; Path=/; Max-Age={max_age}; SameSite=Lax");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if state.config.cookie_secure {
        c.push_str("; Secure");
    }
    if let Ok(v) = HeaderValue::from_str(&c) {
        resp.headers_mut().append(SET_COOKIE, v);
    }
}

/// Whether two secrets are equal, in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The language of a visitor without a session: the cookie, then Accept-Language.
pub fn visitor_lang(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(Lang::from_code)
        .unwrap_or_else(|| Lang::from_headers(headers))
}

/// The TCP peer's address alone (what the sign-in throttle counts by: a header could be
/// varied at will); empty when the server runs without connection info (tests' oneshot).
pub fn peer_of(extensions: &axum::http::Extensions) -> String {
    crate::throttle::peer(extensions)
}

/// Where a request came from, as audited: the peer's address, and the first address of
/// `X-Forwarded-For` when a proxy set one (kept apart: a client can forge that header).
pub fn client_of(parts_headers: &HeaderMap, extensions: &axum::http::Extensions) -> String {
    let peer = peer_of(extensions);
    let forwarded: Option<String> = parts_headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| {
            v.trim()
                .chars()
                .filter(|c| c.is_ascii_hexdigit() || matches!(c, '.' | ':'))
                .take(45)
                .collect()
        });
    match forwarded {
        Some(f) if !f.is_empty() => format!("peer={peer} forwarded-for={f}"),
        _ => format!("peer={peer}"),
    }
}

/// A signed-in workstation user: the session, the caller the API cores act for, and the
/// page context in the user's language.
pub struct Staff {
    pub session: Session,
    /// Where the request came from (`client_of`), for the audit.
    pub client: String,
    /// The stored hash of this session's cookie.
    pub session_hash: String,
    pub caller: Caller,
    pub ui: Ui,
}

impl Staff {
    pub fn role(&self) -> UserRole {
        self.session.user.role
    }

    /// Records what the user did, to what, and from where; durable before the page answers
    /// (a failure is logged: the action itself is done).
    pub async fn audit(&self, state: &AppState, action: &str, subject: &str, detail: &str) {
        state
            .audit
            .record_action(qyzmet_store::AuditEntry {
                at: jiff::Timestamp::now(),
                actor: self.caller.actor(),
                action: action.to_string(),
                subject: subject.to_string(),
                detail: if detail.is_empty() {
                    self.client.clone()
                } else {
                    format!("{detail}; {}", self.client)
                },
            })
            .await;
    }

    /// Refuses with 403 unless the user has one of `roles`.
    pub fn require(&self, roles: &[UserRole]) -> Result<(), WebError> {
        if roles.contains(&self.role()) {
            Ok(())
        } else {
            Err(WebError::Forbidden(Box::new(self.ui.clone())))
        }
    }

    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        if same_secret(token, &self.session.csrf_token) {
            Ok(())
        } else {
            Err(WebError::Csrf(Box::new(self.ui.clone())))
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let sign_in = || WebError::SignIn { next: next.clone() };
        let secret = cookie(&parts.headers, SESSION_COOKIE)
            .filter(|s| !s.is_empty())
            .ok_or_else(sign_in)?;
        let session = accounts::session(&state.store, secret, jiff::Timestamp::now())
            .await
            .map_err(|e| WebError::from_store(&Ui::anonymous(visitor_lang(&parts.headers)), e))?
            .ok_or_else(sign_in)?;
        // A password set by an administrator is changed before anything else: only the
        // password page, the language switch and signing out answer meanwhile.
        if session.user.must_change_password
            && !matches!(
                parts.uri.path(),
                super::PASSWORD_PAGE | "/account/language" | "/sign-out"
            )
        {
            return Err(WebError::PasswordChange);
        }
        let lang = Lang::from_code(&session.user.language).unwrap_or(Lang::Kk);
        // The way back of the language switcher keeps the page's filters and paging.
        let here = parts
            .uri
            .path_and_query()
            .map_or(parts.uri.path(), |p| p.as_str());
        let ui = Ui::signed_in(lang, &session, here);
        Ok(Staff {
            client: client_of(&parts.headers, &parts.extensions),
            session_hash: accounts::session_hash(secret),
            caller: Caller::of_session(&session),
            session,
            ui,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_static("a=1; qyzmet_session=abc; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
        assert!(!same_secret("", "a"));
    }
}
