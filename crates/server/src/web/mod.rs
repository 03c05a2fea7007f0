//! The workstation (000 §5, §9; issue 4): server-rendered pages for provider staff,
//! analysts and administrators, in Kazakh, Russian and English (001 §16, 004 §9).
//!
//! Pages are askama templates with htmx for the few live parts. Every action calls the same
//! cores as the API (`api::applications::register_application`, `api::events::record_event`
//! and the list and detail reads), with the signed-in user as the [`Caller`]: one
//! implementation of every rule, role and scope check, and of the audit.

pub mod account;
pub mod admin;
pub mod analytics;
pub mod application;
pub mod assets;
pub mod chart;
pub mod format;
pub mod front_office;
pub mod pager;
pub mod public;
pub mod quality;
pub mod rate;
pub mod register;
pub mod report;
pub mod report_chart;
pub mod report_figures;
pub mod session;
pub mod verify;
pub mod why;
pub mod work;

use crate::app::{AppError, ErrorKind};
use crate::i18n::{message, Lang};
use crate::state::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use qyzmet_store::{Session, UserRole};

/// What every page needs: the language, the user (if signed in), the form token and the
/// current path with its query (for the language switcher's way back).
#[derive(Debug, Clone)]
pub struct Ui {
    pub lang: Lang,
    pub user: Option<UserBadge>,
    pub csrf: String,
    pub path: String,
}

/// The signed-in user as the header shows them.
#[derive(Debug, Clone)]
pub struct UserBadge {
    pub username: String,
    pub role: UserRole,
    pub organization: Option<String>,
}

impl Ui {
    pub fn anonymous(lang: Lang) -> Ui {
        Ui {
            lang,
            user: None,
            csrf: String::new(),
            path: "/".into(),
        }
    }

    pub fn signed_in(lang: Lang, session: &Session, path: &str) -> Ui {
        Ui {
            lang,
            user: Some(UserBadge {
                username: session.user.username.clone(),
                role: session.user.role,
                organization: session.user.organization.as_ref().map(|c| c.to_string()),
            }),
            csrf: session.csrf_token.clone(),
            path: path.to_string(),
        }
    }

    /// The message `id` in the page's language.
    pub fn t(&self, id: &str) -> String {
        message(self.lang, id, &[])
    }

    /// The message `id` with one argument.
    pub fn t1(&self, id: &str, name: &str, value: &str) -> String {
        let name: &'static str = match name {
            "n" => "n",
            "value" => "value",
            "field" => "field",
            "name" => "name",
            _ => "arg",
        };
        message(self.lang, id, &[(name, value.to_string())])
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn languages(&self) -> [Lang; 3] {
        Lang::ALL
    }

    /// Where a visitor (not signed in) switches to `l`: this page in that language, the
    /// public pages and the sign-in page taking `?lang=`; the sign-in page from anywhere else.
    pub fn language_link(&self, l: &Lang) -> String {
        let here = self.path.split('?').next().unwrap_or("");
        let page = if here == "/sign-in"
            || here == "/status"
            || here.starts_with("/services")
            || here.starts_with("/ticket/")
            || here.starts_with("/display/")
            || here.starts_with("/booking/")
        {
            here
        } else {
            "/sign-in"
        };
        format!("{page}?lang={}", l.code())
    }

    pub fn role(&self) -> Option<UserRole> {
        self.user.as_ref().map(|u| u.role)
    }

    /// Whether the header shows the operator's, analyst's or administrator's menu.
    pub fn works(&self) -> bool {
        matches!(self.role(), Some(UserRole::Operator | UserRole::Supervisor))
    }

    pub fn analyses(&self) -> bool {
        matches!(
            self.role(),
            Some(UserRole::Analyst | UserRole::Administrator)
        )
    }

    pub fn administers(&self) -> bool {
        self.role() == Some(UserRole::Administrator)
    }

    pub fn number(&self, n: i64) -> String {
        format::number(self.lang, n)
    }

    /// The name of a stage, outcome, channel or role in the page's language.
    pub fn term(&self, kind: &str, value: &str) -> String {
        message(
            self.lang,
            &format!("{kind}-{}", value.replace('_', "-")),
            &[],
        )
    }

    /// A use case's refusal in the page's language, the field in words.
    pub fn error_message(&self, err: &AppError) -> String {
        err.message(self.lang)
    }
}

/// Every organization of the registry, in id order.
pub async fn all_organizations(
    state: &AppState,
    ui: &Ui,
) -> Result<Vec<qyzmet_store::Organization>, WebError> {
    state
        .store
        .every_organization(None)
        .await
        .map_err(|e| WebError::from_app(ui, e.into()))
}

/// A registry name in `lang`.
pub fn localized(lang: Lang, name: &qyzmet_store::LocalizedName) -> String {
    match lang {
        Lang::Kk => name.kk.clone(),
        Lang::Ru => name.ru.clone(),
        Lang::En => name.en.clone(),
    }
}

/// The information systems of `codes` by their names in `lang` (the registry's names; a code
/// the registry does not know is shown as it is), joined by commas.
pub fn system_names(
    lang: Lang,
    registry: &[qyzmet_store::InformationSystem],
    codes: &[String],
) -> String {
    codes
        .iter()
        .map(|code| {
            registry
                .iter()
                .find(|s| &s.code == code)
                .map(|s| s.name.get(lang.code()).to_string())
                .unwrap_or_else(|| code.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The home of each role.
pub fn home_of(role: UserRole) -> &'static str {
    match role {
        UserRole::Operator | UserRole::Supervisor => "/work",
        UserRole::Analyst => "/analytics",
        UserRole::Administrator => "/admin",
    }
}

/// Where a user changes their password (and must, after a reset).
pub const PASSWORD_PAGE: &str = "/account/password";

/// The web layer's one error type: each renders as a page in the user's language (or a
/// redirect to the sign-in form).
#[derive(Debug)]
pub enum WebError {
    /// No session: to the sign-in form, then back to `next`.
    SignIn {
        next: String,
    },
    /// The password was set by an administrator: nothing but changing it until it is
    /// changed (issue 16, B.6).
    PasswordChange,
    Forbidden(Box<Ui>),
    NotFound(Box<Ui>),
    /// A form without this session's token (a forged or stale form).
    Csrf(Box<Ui>),
    /// A request the page cannot answer, with the reason in the user's language: 400 for a
    /// malformed query (a month that is no month), 404 for something named that does not
    /// exist (a version the month does not have).
    Refused(Box<Ui>, StatusCode, String),
    /// The database did not answer (issue 15): 503, nothing was changed.
    Unavailable(Box<Ui>),
    Internal(Box<Ui>),
}

impl WebError {
    /// A use case's refusal outside a form: 403 and 404 as pages, a bad request (400, or
    /// the API's 422) as a 400 page saying what is wrong, any other refusal with its status
    /// and reason, an unreachable database as 503, failures as failures.
    pub fn from_app(ui: &Ui, err: AppError) -> WebError {
        let refused =
            |status| WebError::Refused(Box::new(ui.clone()), status, ui.error_message(&err));
        match err.kind {
            ErrorKind::Unavailable => WebError::Unavailable(Box::new(ui.clone())),
            ErrorKind::Forbidden => WebError::Forbidden(Box::new(ui.clone())),
            ErrorKind::NotFound => WebError::NotFound(Box::new(ui.clone())),
            ErrorKind::Invalid | ErrorKind::Malformed => refused(StatusCode::BAD_REQUEST),
            ErrorKind::Unauthorized => refused(StatusCode::UNAUTHORIZED),
            ErrorKind::Conflict => refused(StatusCode::CONFLICT),
            ErrorKind::TooLarge => refused(StatusCode::PAYLOAD_TOO_LARGE),
            ErrorKind::Internal => {
                tracing::error!(code = %err.code, "web page failed");
                WebError::Internal(Box::new(ui.clone()))
            }
        }
    }

    /// The status a form re-shown with refusal `err` answers: 422 for a field's value, the
    /// refusal's own status otherwise.
    pub fn form_status(err: &AppError) -> StatusCode {
        match err.kind {
            ErrorKind::Invalid | ErrorKind::Malformed => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A store failure as a page: the database unreachable is 503, anything else 500 (the
    /// API's mapping, which logs it).
    pub fn from_store(ui: &Ui, err: qyzmet_store::StoreError) -> WebError {
        WebError::from_app(ui, err.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ui: &'a Ui,
    title: String,
    text: String,
    testid: &'static str,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut reason = None;
        let (status, ui, key, testid) = match self {
            WebError::SignIn { next } => {
                let target = if safe_next(&next) {
                    format!(
                        "/sign-in?next={}",
                        form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                    )
                } else {
                    "/sign-in".into()
                };
                return Redirect::to(&target).into_response();
            }
            WebError::PasswordChange => return Redirect::to(PASSWORD_PAGE).into_response(),
            WebError::Forbidden(ui) => (StatusCode::FORBIDDEN, ui, "page-forbidden", "forbidden"),
            WebError::NotFound(ui) => (StatusCode::NOT_FOUND, ui, "page-not-found", "not-found"),
            WebError::Csrf(ui) => (StatusCode::FORBIDDEN, ui, "page-csrf", "csrf"),
            WebError::Refused(ui, status, text) => {
                reason = Some(text);
                match status {
                    StatusCode::NOT_FOUND => (status, ui, "page-not-found", "not-found"),
                    _ => (status, ui, "page-bad-request", "bad-request"),
                }
            }
            WebError::Unavailable(ui) => (
                StatusCode::SERVICE_UNAVAILABLE,
                ui,
                "page-unavailable",
                "unavailable",
            ),
            WebError::Internal(ui) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ui,
                "page-internal",
                "internal",
            ),
        };
        let page = ErrorPage {
            title: ui.t(&format!("{key}-title")),
            text: reason.unwrap_or_else(|| ui.t(&format!("{key}-text"))),
            testid,
            ui: &ui,
        };
        (status, render(&page)).into_response()
    }
}

/// Any address no route answers. Outside the API: the 404 page in the user's language (the
/// session's, else the visitor's cookie or Accept-Language, Kazakh by default) with the way
/// home, and the header of a signed-in user. Under `/api/` the answer stays the API's JSON
/// error (`error::localize` writes it for a 404 without a body).
pub async fn not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
) -> Response {
    let path = req.uri().path();
    if path == "/api" || path.starts_with("/api/") {
        return StatusCode::NOT_FOUND.into_response();
    }
    WebError::NotFound(Box::new(page_ui(&state, req).await)).into_response()
}

/// A page's address asked with a method it does not take (a form's action opened as a
/// link): 405, with the methods it takes (`Allow`, set by the router), as the same page as
/// an unknown address, since for the user there is no page there.
pub async fn method_not_allowed(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
) -> Response {
    let mut resp = WebError::NotFound(Box::new(page_ui(&state, req).await)).into_response();
    *resp.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    resp
}

/// The page context of a request outside the routes: the signed-in user's, else a visitor's.
async fn page_ui(state: &AppState, req: axum::extract::Request) -> Ui {
    let (mut parts, _) = req.into_parts();
    match <session::Staff as axum::extract::FromRequestParts<AppState>>::from_request_parts(
        &mut parts, state,
    )
    .await
    {
        Ok(staff) => staff.ui,
        Err(_) => Ui::anonymous(session::visitor_lang(&parts.headers)),
    }
}

/// A page as HTML; a template that fails to render (it should not: they are typed) is a 500
/// without details.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// A page with a status other than 200 (a form re-shown with its errors is 422).
pub fn render_status(status: StatusCode, t: &impl Template) -> Response {
    let mut resp = render(t);
    if resp.status() == StatusCode::OK {
        *resp.status_mut() = status;
    }
    resp
}

/// A local path to return to after signing in or switching language: a same-origin
/// relative path and nothing a browser could read as another site (issue 15, finding 5).
/// Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\t/evil.example`
/// (the form's `next=/%09/evil.example`, decoded) is `//evil.example`, another host: only
/// printable ASCII without spaces or backslashes is allowed, after a single leading `/`.
pub fn safe_next(next: &str) -> bool {
    let mut chars = next.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/'))
        && next.len() <= 2048
        && next.chars().all(|c| c.is_ascii_graphic() && c != '\\')
}

/// After a POST: see the result with a GET (303), so a reload does not resubmit.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// Headers of every page: no framing (clickjacking), scripts and styles only from this
/// origin, forms only to it, no MIME sniffing, no referrer to other sites, no caching of
/// pages that show personal data.
pub async fn page_headers(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::http::header::{self, HeaderValue};
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let is_html = h
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if is_html {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                 frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    resp
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(account::home))
        .route(
            "/sign-in",
            get(account::sign_in_form).post(account::sign_in),
        )
        .route("/sign-out", post(account::sign_out))
        .route("/account/language", post(account::set_language))
        .route(
            "/account/password",
            get(account::password_form).post(account::change_password),
        )
        .route("/assets/{file}", get(assets::asset))
        .route("/favicon.ico", get(assets::favicon))
        .merge(public::router())
        .merge(verify::router())
        .merge(rate::router())
        .merge(front_office::router())
        .merge(work::router())
        .merge(analytics::router())
        .merge(admin::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(page_headers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::has_message;
    use std::path::Path;

    /// Every literal message id in the templates and the web code (`t("…")`, `t1("…", …)`).
    fn literal_ids() -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![];
        for dir in ["templates", "templates/admin", "src/web"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    files.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        let mut ids = vec![];
        for text in files {
            for marker in [".t(\"", ".t1(\""] {
                for piece in text.split(marker).skip(1) {
                    let id = piece.split('"').next().unwrap_or_default();
                    if !id.is_empty() && !id.contains('{') {
                        ids.push(id.to_string());
                    }
                }
            }
        }
        ids
    }

    /// Ids built at run time: the names of domain values, rules, months, error pages.
    fn built_ids() -> Vec<String> {
        let mut ids = vec![];
        let terms: [(&str, &[&str]); 7] = [
            ("stage", &crate::app::monitoring::events::STAGES),
            ("outcome", &["issued", "refused"]),
            ("channel", &["provider", "state_corp", "portal"]),
            (
                "unit",
                &["minutes", "hours", "working_days", "calendar_days"],
            ),
            (
                "org-kind",
                &[
                    "central_state_body",
                    "department",
                    "territorial_unit",
                    "subordinate_organization",
                    "local_executive_body",
                    "state_corp_branch",
                    "other_provider",
                ],
            ),
            ("day-kind", &["day_off", "working_day"]),
            (
                "role",
                &["administrator", "analyst", "operator", "supervisor"],
            ),
        ];
        for (kind, values) in terms {
            for v in values {
                ids.push(format!("{kind}-{}", v.replace('_', "-")));
            }
        }
        ids.extend((1..=10).map(|n| format!("rule-{n}")));
        ids.extend((1..=10).map(|n| format!("rule-{n}-text")));
        ids.extend((1..=12).map(|n| format!("month-short-{n}")));
        for page in [
            "forbidden",
            "not-found",
            "csrf",
            "internal",
            "bad-request",
            "unavailable",
        ] {
            ids.push(format!("page-{page}-title"));
            ids.push(format!("page-{page}-text"));
        }
        for t in ["time-left", "time-overdue"] {
            ids.push(format!("{t}-days"));
            ids.push(format!("{t}-hours"));
        }
        for field in [
            "service-code",
            "tax-id",
            "last-name",
            "first-name",
            "middle-name",
            "channel",
            "accepted-at",
        ] {
            ids.push(format!("label-{field}"));
        }
        for filter in [
            "executor",
            "organization",
            "service",
            "accepted-from",
            "accepted-to",
            "completed-from",
            "completed-to",
            "deadline-from",
            "deadline-to",
            "stage",
            "pending",
            "overdue",
            "nearing",
        ] {
            ids.push(format!("filter-{filter}"));
        }
        ids.extend(["error-read-only", "error-supervisor-required"].map(String::from));
        // The violations report's and the quality annex's pages (issue 5).
        for cause in ["schedule", "demand", "revision"] {
            ids.push(format!("report-cause-{cause}"));
        }
        for verdict in ["on-time", "running", "violation"] {
            ids.push(format!("report-verdict-{verdict}"));
        }
        for scope in ["own", "total"] {
            ids.push(format!("report-scope-{scope}"));
        }
        for (_, id) in report::FIGURES {
            ids.push(id.to_string());
        }
        for code in ["1-1", "2-1", "3-1", "3-2", "4-1", "5-1"] {
            ids.push(format!("quality-indicator-{code}"));
        }
        ids.extend(
            [
                "report-chart-bar",
                "report-chart-value",
                "report-chart-missing",
                "report-chart-own",
                "report-version-missing",
                "quality-counted-value",
            ]
            .map(String::from),
        );
        ids
    }

    /// A page never shows a bare message id: each one used exists in Kazakh, Russian and
    /// English.
    #[test]
    fn every_message_the_pages_use_exists_in_every_language() {
        let literal = literal_ids();
        assert!(literal.len() > 150, "found only {} ids", literal.len());
        let mut missing = vec![];
        for id in literal.iter().chain(built_ids().iter()) {
            for lang in Lang::ALL {
                if !has_message(lang, id) {
                    missing.push(format!("{id} ({})", lang.code()));
                }
            }
        }
        assert!(missing.is_empty(), "missing messages: {missing:?}");
    }

    /// A page handler's failure (500) and a missing page (404) are pages in the user's
    /// language with the way home, never the API's JSON nor a bare status.
    #[tokio::test]
    async fn a_failed_or_missing_page_is_a_page_in_the_users_language() {
        for lang in Lang::ALL {
            for (err, status, key) in [
                (
                    WebError::Internal(Box::new(Ui::anonymous(lang))),
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "page-internal-title",
                ),
                (
                    WebError::NotFound(Box::new(Ui::anonymous(lang))),
                    StatusCode::NOT_FOUND,
                    "page-not-found-title",
                ),
            ] {
                let resp = err.into_response();
                assert_eq!(resp.status(), status);
                let kind = resp.headers()[axum::http::header::CONTENT_TYPE].clone();
                assert!(kind.to_str().unwrap().starts_with("text/html"));
                let body = axum::body::to_bytes(resp.into_body(), 1 << 20)
                    .await
                    .unwrap();
                let html = String::from_utf8(body.to_vec()).unwrap();
                assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
                assert!(html.contains(&format!("<h1>{}</h1>", message(lang, key, &[]))));
                assert!(html.contains("<a href=\"/\">"), "{html}");
            }
        }
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert!(safe_next("/work?stage=closed"));
        assert!(!safe_next("//evil.example/"));
        assert!(!safe_next("https://evil.example/"));
        assert!(!safe_next("/\\evil.example"));
        // Issue 15, finding 5: what browsers strip or fold into `//`.
        for bad in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{a0}/evil.example",
            "\\/evil.example",
            " /work",
            "",
            "work",
            "javascript:alert(1)",
        ] {
            assert!(!safe_next(bad), "{bad:?}");
        }
        // Still percent-encoded, a tab is part of a local path.
        assert!(safe_next("/%09/evil.example"));
        assert!(safe_next("/applications/20261206-0001?tab=history#events"));
    }
}
