//! Request extractors that fail with [`ApiError`]s naming the field: malformed JSON (trailing
//! data after the body included) is 400, a well-formed body with a wrong field is 422, a body
//! over the limit is 413.

use super::error::ApiError;
use crate::app::decode;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

/// A JSON body deserialized with the path of the failing field.
pub struct ApiJson<T>(pub T);

/// Maps a JSON error at `path` into 400 (syntax) or 422 (shape).
pub fn json_error(err: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    decode::json_error(err).into()
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "json_required",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e: BytesRejection| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
                } else {
                    ApiError::bad_request("malformed_json").arg("detail", e.body_text())
                }
            })?;
        // Every body of this API is a JSON object. Serde would read an array into a struct
        // field by field, so anything else is refused as a whole here: 400 when it is not
        // JSON at all, 422 when it is JSON of another shape.
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
        if first != Some(b'{') {
            return Err(
                match serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
                    Ok(_) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body")
                        .arg("detail", "expected a JSON object"),
                    Err(e) => {
                        let detail = e.to_string();
                        ApiError::bad_request("malformed_json").arg(
                            "detail",
                            detail.split(" at line ").next().unwrap_or(&detail),
                        )
                    }
                },
            );
        }
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut *de).map_err(json_error)?;
        // A body is one JSON value: whitespace may follow it, nothing else. Without this,
        // `{…}{…}` or `{…} x` was read as its first object and the rest ignored.
        de.end().map_err(|e| {
            let detail = e.to_string();
            ApiError::bad_request("malformed_json").arg(
                "detail",
                detail.split(" at line ").next().unwrap_or(&detail),
            )
        })?;
        Ok(ApiJson(value))
    }
}

/// Query parameters with a 422 naming the parameter at fault.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|e| {
                let field = e.path().to_string();
                let detail = e.into_inner().to_string();
                if let Some(name) = detail
                    .strip_prefix("missing field `")
                    .and_then(|r| r.split('`').next())
                {
                    return ApiError::invalid(name.to_string(), "required");
                }
                ApiError::invalid(
                    if field == "." { String::new() } else { field },
                    "invalid_value",
                )
                .arg("detail", detail)
            })
    }
}

// --- Path parameters as the JSON error -------------------------------------------------------

/// Path parameters whose rejection is the API's JSON error naming the parameter (axum's own
/// `Path` answers in plain text): 422 `path_invalid` when a segment cannot be read as its type
/// (an id that is not an integer, bytes that are not UTF-8). What a well-formed segment means
/// is the handler's to judge: a malformed application number or code finds nothing (404).
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::path::ErrorKind;
        use axum::extract::rejection::PathRejection;
        use axum::extract::{Path, RawPathParams};

        let err = match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => return Ok(ApiPath(value)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => e,
            Err(other) => {
                // A handler asking for parameters its route does not have: a programming error.
                tracing::error!(error = %other.body_text(), "path parameters missing");
                return Err(ApiError::internal());
            }
        };
        // The parameter's name: from the error when it says, else the route's only parameter
        // or the one at the failing index.
        let names: Vec<String> = RawPathParams::from_request_parts(parts, state)
            .await
            .map(|p| p.iter().map(|(k, _)| k.to_string()).collect())
            .unwrap_or_default();
        let field = match err.into_kind() {
            ErrorKind::ParseErrorAtKey { key, .. }
            | ErrorKind::InvalidUtf8InPathParam { key }
            | ErrorKind::DeserializeError { key, .. } => key,
            ErrorKind::ParseErrorAtIndex { index, .. } => {
                names.get(index).cloned().unwrap_or_default()
            }
            ErrorKind::UnsupportedType { name } => {
                tracing::error!(name, "unsupported path parameter type");
                return Err(ApiError::internal());
            }
            _ if names.len() == 1 => names[0].clone(),
            _ => String::new(),
        };
        Err(ApiError::invalid(field, "path_invalid"))
    }
}
