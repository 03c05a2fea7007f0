//! The audit of the tamper-evident history (issue 3): export of every registration, event,
//! ledger entry and checkpoint to a JSON Lines file, and a checker that names every edited,
//! deleted, reordered or inserted event, over the database or over such a file.
//!
//! - [`records`]: what the file holds, line by line (the same structures the checker reads
//!   from the database);
//! - [`check`]: the pure checker (the ledger, then each application with `app_check`), and
//!   `report`: what it finds;
//! - `read`: one consistent snapshot of the database, streamed in pages;
//! - `file`: writing and reading the file.
//!
//! Personal data stays out of both the file and the findings: applications are exported with
//! their registration hash instead of the applicant's IIN, and findings name numbers, seqs,
//! event ids and positions, never a value of a field.

mod app_check;
pub mod check;
mod file;
mod read;
pub mod records;
mod report;
#[cfg(test)]
mod tests;

pub use file::verify_file;
pub use records::ExportCounts;
pub use report::{AuditReport, Finding, FindingKind, NoSealKeys, SealCheck, SealKeys, Summary};

use crate::error::StoreError;

/// What went wrong while auditing (not what the audit found: that is a [`Finding`]).
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing or reading the audit file: {0}")]
    Io(#[from] std::io::Error),
    /// The file is not an audit export of this format, or was cut short.
    #[error("audit file line {line}: {detail}")]
    Format { line: u64, detail: String },
}

impl From<sqlx::Error> for AuditError {
    fn from(e: sqlx::Error) -> Self {
        AuditError::Store(e.into())
    }
}

/// The format named in an export's header line.
pub const FORMAT: &str = "qyzmet-audit/1";
