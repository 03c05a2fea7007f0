//! What an audit reports: findings (one per tampering, named by number, seq, event id and
//! ledger position, never by a stored value), the summary of what was read, and the keys
//! checkpoint signatures are checked with.

use serde::Serialize;

/// What a finding says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// An event (or a registration) whose content, time, id or hashes were changed.
    Edited,
    /// An event or an application the ledger recorded that is gone, or a hole in a history.
    Deleted,
    /// An event found at another place than the one the ledger recorded.
    Reordered,
    /// An event or an application the ledger never recorded.
    Inserted,
    /// The ledger itself: a missing or rewritten entry, a head or checkpoint that differs.
    Ledger,
    /// A checkpoint whose signature does not verify, or that an unknown key signed.
    Signature,
    /// An application's head hash or event count that disagrees with its events.
    Head,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Edited => "edited",
            FindingKind::Deleted => "deleted",
            FindingKind::Reordered => "reordered",
            FindingKind::Inserted => "inserted",
            FindingKind::Ledger => "ledger",
            FindingKind::Signature => "signature",
            FindingKind::Head => "head",
        }
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One tampering, named by what identifies it; the detail never quotes a stored value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    /// The application's public number (as the ledger recorded it, where it did).
    pub number: Option<i64>,
    pub seq: Option<i64>,
    pub event_id: Option<String>,
    /// The ledger position concerned, if any.
    pub position: Option<i64>,
    pub detail: String,
}

impl std::fmt::Display for Finding {
    /// `kind<TAB>number=N<TAB>seq=S<TAB>event=ID<TAB>detail`, `-` for what does not apply.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fn or_dash<T: std::fmt::Display>(v: &Option<T>) -> String {
            v.as_ref().map_or_else(|| "-".to_string(), T::to_string)
        }
        write!(
            f,
            "{}\tnumber={}\tseq={}\tevent={}\t{}",
            self.kind,
            or_dash(&self.number),
            or_dash(&self.seq),
            or_dash(&self.event_id),
            self.detail
        )
    }
}

/// The verdict of a checkpoint's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealCheck {
    Valid,
    Invalid,
    /// Signed with a key that is not among those given.
    UnknownKey,
    /// No key to check with.
    Unchecked,
}

/// The public keys checkpoints are checked with (the store does not know the algorithm).
pub trait SealKeys {
    fn check(&self, key_id: &str, message: &[u8], signature: &str) -> SealCheck;
}

/// No keys: checkpoint signatures are not checked (their heads still are).
pub struct NoSealKeys;

impl SealKeys for NoSealKeys {
    fn check(&self, _: &str, _: &[u8], _: &str) -> SealCheck {
        SealCheck::Unchecked
    }
}

/// What was looked at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub backend: String,
    pub exported_at: String,
    pub applications: u64,
    pub events: u64,
    pub ledger_entries: u64,
    pub ledger_position: i64,
    pub checkpoints: u64,
    /// Checkpoints whose signature verified.
    pub checkpoints_valid: u64,
    /// Checkpoints whose signature could not be checked for want of a key.
    pub checkpoints_unchecked: u64,
    /// The last checkpoint the ledger matches, before any that it does not.
    pub last_matching_checkpoint: Option<i64>,
}

/// The audit's result.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditReport {
    pub summary: Summary,
    pub findings: Vec<Finding>,
}

impl AuditReport {
    pub fn clean(&self) -> bool {
        self.findings.is_empty()
    }
}
