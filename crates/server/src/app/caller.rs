//! The caller of a use case: a provider system's token or a workstation user, with the
//! organization sub-tree it reaches and its signature policy. Roles are checked here, in one
//! place, for every face (API, workstation, CLI).

use super::error::AppError;
use qyzmet_store::{OrgSigner, Scope, Session, TokenInfo, UserRole};

/// Who is calling: a provider system's token or a workstation user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Token {
        id: i64,
        admin: bool,
    },
    User {
        id: i64,
        role: UserRole,
    },
    /// The machine's operator at the command line (`qyzmet admin …`), with the
    /// operating-system user's name: acts as an administrator.
    Console {
        os_user: String,
    },
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

    /// The machine's operator at the command line, as `os_user`: an administrator over
    /// every organization, audited as `cli:<os_user>`.
    pub fn console(os_user: &str) -> Caller {
        Caller {
            principal: Principal::Console {
                os_user: os_user.to_string(),
            },
            scope: Scope::Admin,
            signer: None,
        }
    }

    /// The workstation user's id, if the caller is one.
    pub fn user_id(&self) -> Option<i64> {
        match &self.principal {
            Principal::User { id, .. } => Some(*id),
            _ => None,
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
            Principal::Console { os_user } => format!("cli:{os_user}"),
        }
    }

    /// The workstation role, if a user.
    pub fn role(&self) -> Option<UserRole> {
        match &self.principal {
            Principal::User { role, .. } => Some(*role),
            Principal::Token { .. } | Principal::Console { .. } => None,
        }
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        match &self.principal {
            Principal::Token { admin: true, .. }
            | Principal::Console { .. }
            | Principal::User {
                role: UserRole::Administrator,
                ..
            } => Ok(()),
            _ => Err(AppError::forbidden("admin_required")),
        }
    }

    /// Registering applications and recording their stages: analysts only read.
    pub fn require_writer(&self) -> Result<(), AppError> {
        match self.role() {
            Some(UserRole::Analyst) => Err(AppError::forbidden("read_only")),
            _ => Ok(()),
        }
    }

    /// Reassigning the executor: operators may not, their supervisors may (tokens speak for
    /// a provider's system, which decides for itself).
    pub fn require_reassign(&self) -> Result<(), AppError> {
        match self.role() {
            Some(UserRole::Operator) => Err(AppError::forbidden("supervisor_required")),
            _ => self.require_writer(),
        }
    }
}
