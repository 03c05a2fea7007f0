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
use qyzmet_store::{OrgSigner, Scope, Session, TokenInfo, UserRole};
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

/// Who is calling: a provider system's token or a workstation user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Token { id: i64, admin: bool },
    User { id: i64, role: UserRole },
}

/// The authenticated caller of a request, whether through the API or the workstation: the
/// same handlers' cores serve both, so roles and scope are enforced in one place.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub scope: Scope,
    /// The caller's organization as a signer: its BIN and signature policy (none for
    /// administrators and analysts).
    pub signer: Option<OrgSigner>,
}

impl Caller {
    pub fn of_token(token: TokenInfo) -> Caller {
        Caller {
            principal: Principal::Token {
                id: token.id,
                admin: matches!(token.scope, Scope::Admin),
            },
            scope: token.scope,
            signer: token.signer,
        }
    }

    pub fn of_session(session: &Session) -> Caller {
        Caller {
            principal: Principal::User {
                id: session.user.id,
                role: session.user.role,
            },
            scope: session.scope.clone(),
            signer: session.signer.clone(),
        }
    }

    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The actor recorded in histories and the audit: the token or the user's id, never a
    /// person's data.
    pub fn actor(&self) -> String {
        match &self.principal {
            Principal::Token { id, .. } => format!("token:{id}"),
            Principal::User { id, .. } => format!("user:{id}"),
        }
    }

    /// The workstation role, if a user.
    pub fn role(&self) -> Option<UserRole> {
        match &self.principal {
            Principal::User { role, .. } => Some(*role),
            Principal::Token { .. } => None,
        }
    }

    pub fn require_admin(&self) -> Result<(), ApiError> {
        match &self.principal {
            Principal::Token { admin: true, .. }
            | Principal::User {
                role: UserRole::Administrator,
                ..
            } => Ok(()),
            _ => Err(ApiError::forbidden("admin_required")),
        }
    }

    /// Registering applications and recording their stages: analysts only read.
    pub fn require_writer(&self) -> Result<(), ApiError> {
        match self.role() {
            Some(UserRole::Analyst) => Err(ApiError::forbidden("read_only")),
            _ => Ok(()),
        }
    }

    /// Reassigning the executor: operators may not, their supervisors may (tokens speak for
    /// a provider's system, which decides for itself).
    pub fn require_reassign(&self) -> Result<(), ApiError> {
        match self.role() {
            Some(UserRole::Operator) => Err(ApiError::forbidden("supervisor_required")),
            _ => self.require_writer(),
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
        Ok(Caller::of_token(token))
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
