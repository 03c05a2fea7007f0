//! Typed commands from JSON: a serde error becomes an [`AppError`] naming the field at
//! fault by its path (`events[3].occurred_at`). Used by the API's extractors and by the use
//! cases that open a signed envelope, whose content is JSON.

use super::error::AppError;
use serde::de::DeserializeOwned;

/// Maps a JSON error at `path` into 400 (syntax) or 422 (shape).
pub fn json_error(err: serde_path_to_error::Error<serde_json::Error>) -> AppError {
    let path = err.path().to_string();
    let inner = err.into_inner();
    let detail = inner.to_string();
    let detail = detail
        .split(" at line ")
        .next()
        .unwrap_or(&detail)
        .to_string();
    match inner.classify() {
        serde_json::error::Category::Data => {
            let field = if path == "." { String::new() } else { path };
            if let Some(name) = detail
                .strip_prefix("missing field `")
                .and_then(|r| r.split('`').next())
            {
                let full = if field.is_empty() {
                    name.to_string()
                } else {
                    format!("{field}.{name}")
                };
                return AppError::invalid(full, "required");
            }
            if field.is_empty() {
                return AppError::rejected("invalid_body").arg("detail", detail);
            }
            AppError::invalid(field, "invalid_value").arg("detail", detail)
        }
        _ => AppError::malformed("malformed_json").arg("detail", detail),
    }
}

/// Parses a JSON value, naming the failing field.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    serde_path_to_error::deserialize(value).map_err(json_error)
}
