//! The API's one error type. Handlers return [`ApiError`] unrendered; the `localize`
//! middleware renders it as `{"error": {code, message, field}}` in the request's language
//! (Accept-Language: kk, ru, en). A 500 is logged with its cause and says nothing inside.

use crate::i18n::{field_label, message, Lang};
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

    pub fn forbidden(code: &str) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, code)
    }

    pub fn internal() -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
    }

    /// Prefixes the field path, e.g. `occurred_at` → `events[3].occurred_at`.
    pub fn within(mut self, prefix: &str) -> Self {
        if let Some(f) = &self.field {
            let full = if f.is_empty() {
                prefix.to_string()
            } else {
                format!("{prefix}.{f}")
            };
            for (k, v) in self.args.iter_mut() {
                if *k == "field" {
                    *v = full.clone();
                }
            }
            self.field = Some(full);
        }
        self
    }

    /// The rendered detail in `lang`. The message names the field in words, followed by its
    /// path for the client's developer ("the applicant's IIN (applicant.iin)"); `field` is the
    /// path.
    pub fn detail(&self, lang: Lang) -> ErrorDetail {
        let named = |label: String, path: &str| format!("{label} ({path})");
        ErrorDetail {
            code: self.code.clone(),
            message: self.message_with(lang, named),
            field: self.field.clone(),
        }
    }

    /// The message in `lang` for people who do not read field paths (the workstation): the
    /// field in words only, where the locale names it.
    pub fn plain_message(&self, lang: Lang) -> String {
        self.message_with(lang, |label, _| label)
    }

    /// The message with its `field` argument replaced by `name(label, path)` wherever the
    /// locale has a label for the path.
    fn message_with(&self, lang: Lang, name: impl Fn(String, &str) -> String) -> String {
        let id = format!("error-{}", self.code.replace('_', "-"));
        let args: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(k, v)| match (*k, field_label(lang, v)) {
                ("field", Some(label)) => (*k, name(label, v)),
                _ => (*k, v.clone()),
            })
            .collect();
        // A label opening the message ("the applicant's IIN is …") opens a sentence.
        let text = message(lang, &id, &args);
        let mut chars = text.chars();
        match chars.next() {
            Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
            _ => text,
        }
    }

    pub fn render(&self, lang: Lang) -> Response {
        (
            self.status,
            Json(ErrorBody {
                error: self.detail(lang),
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
        return err.render(lang);
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

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => ApiError::not_found(&format!("{what}_not_found")),
            StoreError::Conflict { code, field } => {
                let err = ApiError::new(StatusCode::CONFLICT, code);
                match field {
                    Some(f) => err.with_field(f),
                    None => err,
                }
            }
            // A value the database refused names no field: the database does not say which.
            StoreError::Invalid { code, field: "" } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code)
            }
            StoreError::Invalid { code, field } => ApiError::invalid(field, code),
            StoreError::Forbidden { field } => {
                ApiError::forbidden("outside_scope").with_field(field)
            }
            StoreError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "database unavailable");
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "database_unavailable")
            }
            other => {
                tracing::error!(error = %other, "internal error");
                ApiError::internal()
            }
        }
    }
}
