//! The API's bearer-token authentication: the `Authorization` header resolved (through the
//! token cache) to the [`Caller`] of the use cases.

use crate::api::error::ApiError;
use crate::app::accounts::tokens::hash_token;
use crate::app::Caller;
use crate::state::AppState;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(ApiError::unauthorized)?;
        let secret = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(ApiError::unauthorized)?;
        let hash = hash_token(secret);
        let token = state
            .tokens
            .resolve(&state.store, &hash)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        Ok(Caller::of_token(token))
    }
}

/// A caller if the request carries credentials (which must then be valid), none if it carries
/// none: for what anyone may do, and a signed-in device does without limits (the kiosk).
impl OptionalFromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        if !parts
            .headers
            .contains_key(axum::http::header::AUTHORIZATION)
        {
            return Ok(None);
        }
        <Caller as FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}
