//! Bearer tokens: generated with 256 bits of randomness, stored only as their SHA-256 hash,
//! each bound to an organization (its sub-tree) or marked administrator.
//!
//! SHA-256 rather than a password hash: the secret is random and long, so it cannot be
//! guessed from its hash, and a fast hash keeps authentication off the ingest hot path.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use qyzmet_store::{Scope, TokenInfo};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Prefix of every token, so a leaked one is recognisable by secret scanners.
pub const TOKEN_PREFIX: &str = "qz_";

/// A new random token secret.
pub fn generate_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "{TOKEN_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The stored form of a token secret.
pub fn hash_token(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: TokenInfo,
}

impl Caller {
    pub fn scope(&self) -> &Scope {
        &self.token.scope
    }

    /// The actor recorded in histories and the audit: the token, never a person's data.
    pub fn actor(&self) -> String {
        format!("token:{}", self.token.id)
    }

    pub fn require_admin(&self) -> Result<(), ApiError> {
        match self.token.scope {
            Scope::Admin => Ok(()),
            _ => Err(ApiError::forbidden("admin_required")),
        }
    }
}

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
        Ok(Caller { token })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let a = generate_token();
        let b = generate_token();
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() > 40);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), hash_token(&b));
        assert!(!hash_token(&a).contains(&a));
    }
}
