//! The use cases: one typed command or query for every write and read that the provider API,
//! the workstation and the command line perform. Each owns its validation (field and reason),
//! authorization (role and organization scope), audit and transaction, and answers with
//! [`AppError`] in the domain's words. `api/`, `web/` and the CLI are adapters over these
//! functions: they turn a request, a form or a command line into the typed command and the
//! result into JSON, a page or a line of output (docs/architecture.md).
//!
//! One module per context (../shared/DESIGN.md "Contexts"): [`registry`] (organizations,
//! services, the production calendar), [`monitoring`] (applications, their events and
//! deadlines, outages, reports, quality), [`accounts`] (staff, sessions, tokens), [`informing`]
//! (outbox, webhooks), [`front_office`] (offices, counters, the queue).

pub mod accounts;
pub mod caller;
pub mod decode;
pub mod error;
pub mod front_office;
pub mod informing;
pub mod monitoring;
pub mod paging;
pub mod registry;
pub mod schema;
pub mod validate;

pub use caller::{Caller, Principal};
pub use error::{AppError, ErrorKind};

use crate::state::AppState;
use jiff::Timestamp;
use qyzmet_store::AuditEntry;

/// The current instant (one place, so a use case uses one `now` throughout).
pub fn now() -> Timestamp {
    Timestamp::now()
}

/// A change made by `caller` in the audit log. Changes are audited after their commit,
/// through the audit queue (ADR 0002); reads of personal data are audited durably before the
/// answer instead (ADR 0011), with [`crate::audit::AuditQueue::record`].
pub(crate) async fn audit_change(
    state: &AppState,
    caller: &Caller,
    at: Timestamp,
    action: &str,
    subject: String,
    detail: String,
) {
    state
        .audit
        .record_action(AuditEntry {
            at,
            actor: caller.actor(),
            action: action.into(),
            subject,
            detail,
        })
        .await;
}
