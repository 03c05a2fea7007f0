//! The API's one error type: a use case's [`AppError`] with its HTTP status, or a refusal of
//! the API's own (a body that is no JSON, a method the route lacks). Handlers return [`ApiError`] unrendered; the `localize`
//! middleware renders it as `{"error": {code, message, field}}` in the request's language
//! (Accept-Language: kk, ru, en). A 500 is logged with its cause and says nothing inside.

use crate::app::error::{render_message, with_path};
use crate::app::{AppError, ErrorKind};
use crate::i18n::Lang;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use qyzmet_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error with its HTTP status, a stable code, the field at fault and message arguments.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub field: Option<String>,
    pub args: Vec<(&'static str, String)>,
}

/// The error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
    /// Every problem of a catalogue import refused (`catalogue_refused`), each where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<ImportProblemView>>,
}

#[derive(Debug, Serialize, ToSchema, Clone)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `out_of_order`.
    pub code: String,
    /// Human-readable message in the request's language.
    pub message: String,
    /// The request field at fault, as a path (`applicant.iin`, `events[3].occurred_at`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    /// 429 with `Retry-After`: a per-client limit (`code` says which) was reached, and `wait`
    /// is how long until one more is allowed.
    pub fn throttled(code: &str, wait: std::time::Duration) -> Response {
        let mut resp = ApiError::new(StatusCode::TOO_MANY_REQUESTS, code)
            .arg("seconds", wait.as_secs())
            .into_response();
        resp.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(wait.as_secs().max(1)),
        );
        resp
    }

    pub fn new(status: StatusCode, code: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.into(),
            field: None,
            args: vec![],
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        let f = field.into();
        self.args.push(("field", f.clone()));
        self.field = Some(f);
        self
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// 422: `field` is invalid for reason `code`.
    pub fn invalid(field: impl Into<String>, code: &str) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code).with_field(field)
    }

    pub fn bad_request(code: &str) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, code)
    }

    pub fn not_found(code: &str) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, code)
    }

    pub fn unauthorized() -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized")
    }

    pub fn internal() -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
    }

    /// The rendered detail in `lang`. The message names the field in words, followed by its
    /// path for the client's developer ("the applicant's IIN (applicant.iin)"); `field` is the
    /// path.
    pub fn detail(&self, lang: Lang) -> ErrorDetail {
        ErrorDetail {
            code: self.code.clone(),
            message: render_message(lang, &self.code, &self.args, with_path),
            field: self.field.clone(),
        }
    }

    pub fn render(&self, lang: Lang) -> Response {
        (
            self.status,
            Json(ErrorBody {
                error: self.detail(lang),
                problems: None,
            }),
        )
            .into_response()
    }
}

impl IntoResponse for ApiError {
    /// Renders in Kazakh and carries the error so `localize` can re-render it.
    fn into_response(self) -> Response {
        let mut resp = self.render(Lang::Kk);
        resp.extensions_mut().insert(self);
        resp
    }
}

/// Re-renders API errors in the request's language, and gives JSON bodies to the
/// framework's own 404 and 405 answers.
pub async fn localize(req: Request, next: Next) -> Response {
    let lang = Lang::from_headers(req.headers());
    let resp = next.run(req).await;
    if let Some(err) = resp.extensions().get::<ApiError>() {
        // The body again in the request's language; the headers the handler set besides the
        // body's own (a `Retry-After`, a `WWW-Authenticate`) stay.
        let mut fresh = err.render(lang);
        let own: Vec<_> = fresh.headers().keys().cloned().collect();
        for (name, value) in resp.headers() {
            if !own.contains(name) {
                fresh.headers_mut().append(name.clone(), value.clone());
            }
        }
        return fresh;
    }
    // The router's own 404 and 405 have no body; pages (the workstation's) and JSON errors
    // have one.
    let has_body = resp
        .headers()
        .contains_key(axum::http::header::CONTENT_TYPE);
    match resp.status() {
        StatusCode::NOT_FOUND if !has_body => ApiError::not_found("not_found").render(lang),
        StatusCode::METHOD_NOT_ALLOWED if !has_body => {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").render(lang)
        }
        _ => resp,
    }
}

impl From<AppError> for ApiError {
    /// A use case's refusal as the API answers it: the kind decides the status.
    fn from(e: AppError) -> Self {
        let status = match e.kind {
            ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::Malformed => StatusCode::BAD_REQUEST,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError {
            status,
            code: e.code,
            field: e.field,
            args: e.args,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        AppError::from(e).into()
    }
}

/// One problem of a file a request carried (the catalogue import's).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportProblemView {
    /// Where: a JSON path (`services[3].passports[1]`) or a CSV row (`row 17`).
    #[serde(rename = "where")]
    pub at: String,
    /// The field there (a JSON path within the record, or a CSV column).
    pub field: Option<String>,
    /// Stable reason code: `required`, `passport_version_differs`, …
    pub code: String,
    /// In the request's language.
    pub message: String,
}
