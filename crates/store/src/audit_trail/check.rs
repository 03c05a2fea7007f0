//! The checker of the history: fed the ledger in position order (checkpoints merged in before
//! the entry at their position), then each application with its events and ledger entries,
//! it names every tampering once.
//!
//! The ledger is the anchor. Each event is matched to its ledger entry by id and checked
//! against the ledger's chain hashes on both sides of it, never against its stored
//! neighbours, so an edit, a deletion, an insertion or a reordering shows as that one event,
//! not as a cascade of broken links after it. The ledger is itself checked by recomputing its
//! heads and comparing them with the signed checkpoints; where it is shown rewritten, a
//! disagreement between it and an application is laid at the ledger's door.

use super::app_check::AppCheck;
use super::records::{AppRecord, CheckpointRecord, EventRecord, Header, LedgerRecord};
use super::report::{AuditReport, Finding, FindingKind, SealCheck, SealKeys, Summary};
use crate::ledger::{next_head, GENESIS_HEAD};
use crate::models::Checkpoint;
use std::collections::{HashMap, VecDeque};

/// A ledger entry whose head did not recompute from the one before, waiting for the next
/// entry to tell whether its head alone was altered.
struct Held {
    row: LedgerRecord,
    computed: String,
}

/// A break in the ledger's chain of heads: the entries that may have been rewritten.
struct Break {
    candidates: Vec<i64>,
    finding: Finding,
    explained: bool,
}

/// The first checkpoint the ledger does not match.
struct BadCheckpoint {
    finding: Finding,
    later: u64,
    explained: bool,
}

/// The checker; see the module documentation for the order it is fed in.
pub struct Checker<'k> {
    keys: &'k dyn SealKeys,
    summary: Summary,
    head_row: Option<(i64, String)>,
    last_pos: i64,
    last_head: String,
    /// The stored head of the entry before; none right after a gap (nothing to check with).
    prev_head: Option<String>,
    held: Option<Held>,
    pending: VecDeque<CheckpointRecord>,
    cp_good: i64,
    cp_bad: Option<BadCheckpoint>,
    breaks: Vec<Break>,
    findings: Vec<Finding>,
    /// Events the ledger recorded that were not found in their application, by id.
    missing: HashMap<String, Finding>,
    /// Events found that the ledger did not record in their application, by id.
    extra: HashMap<String, Finding>,
    /// Whether ledger positions are missing (an event outside the ledger may be one of them).
    gaps: bool,
}

pub(super) fn finding(
    kind: FindingKind,
    number: Option<i64>,
    detail: impl Into<String>,
) -> Finding {
    Finding {
        kind,
        number,
        seq: None,
        event_id: None,
        position: None,
        detail: detail.into(),
    }
}

pub(super) fn at_entry(kind: FindingKind, l: &LedgerRecord, detail: impl Into<String>) -> Finding {
    Finding {
        kind,
        number: Some(l.number),
        seq: Some(l.seq),
        event_id: l.event_id.clone(),
        position: Some(l.position),
        detail: detail.into(),
    }
}

fn micros(us: i64) -> String {
    jiff::Timestamp::from_microsecond(us).map_or_else(|_| format!("{us} µs"), |t| t.to_string())
}

impl<'k> Checker<'k> {
    pub fn new(keys: &'k dyn SealKeys) -> Checker<'k> {
        Checker {
            keys,
            summary: Summary::default(),
            head_row: None,
            last_pos: 0,
            last_head: GENESIS_HEAD.to_string(),
            prev_head: Some(GENESIS_HEAD.to_string()),
            held: None,
            pending: VecDeque::new(),
            cp_good: 0,
            cp_bad: None,
            breaks: vec![],
            findings: vec![],
            missing: HashMap::new(),
            extra: HashMap::new(),
            gaps: false,
        }
    }

    pub fn header(&mut self, h: &Header) {
        self.summary.backend = h.backend.clone();
        self.summary.exported_at = h.exported_at.clone();
        self.head_row = Some((h.ledger_position, h.ledger_head.clone()));
    }

    /// A checkpoint, fed before the ledger entry at its position.
    pub fn checkpoint(&mut self, c: CheckpointRecord) {
        self.summary.checkpoints += 1;
        let check = match jiff::Timestamp::from_microsecond(c.signed_at) {
            Ok(t) => self.keys.check(
                &c.key_id,
                &Checkpoint::message(c.position, &c.head, t),
                &c.signature,
            ),
            Err(_) => SealCheck::Invalid,
        };
        let mut f = finding(FindingKind::Signature, None, "");
        f.position = Some(c.position);
        match check {
            SealCheck::Valid => self.summary.checkpoints_valid += 1,
            SealCheck::Unchecked => self.summary.checkpoints_unchecked += 1,
            SealCheck::Invalid => {
                f.detail = format!(
                    "the checkpoint at ledger position {} (signed at {}) does not verify with \
                     key {}: forged or altered",
                    c.position,
                    micros(c.signed_at),
                    c.key_id
                );
                self.findings.push(f);
                return;
            }
            SealCheck::UnknownKey => {
                f.detail = format!(
                    "the checkpoint at ledger position {} is signed with key {}, which is not \
                     among the public keys given",
                    c.position, c.key_id
                );
                self.findings.push(f);
                return;
            }
        }
        if c.position <= self.last_pos {
            let mut f = finding(
                FindingKind::Ledger,
                None,
                format!(
                    "the checkpoint at ledger position {} comes after that entry in the export",
                    c.position
                ),
            );
            f.position = Some(c.position);
            self.findings.push(f);
            return;
        }
        self.pending.push_back(c);
    }

    /// The next ledger entry, in position order.
    pub fn ledger(&mut self, r: LedgerRecord) {
        self.summary.ledger_entries += 1;
        let expected = self.last_pos + 1;
        if r.position < expected {
            self.findings.push(at_entry(
                FindingKind::Ledger,
                &r,
                format!(
                    "ledger position {} appears again or out of order",
                    r.position
                ),
            ));
            return;
        }
        if r.position > expected {
            self.flush_held();
            let mut f = finding(
                FindingKind::Ledger,
                None,
                format!(
                    "ledger positions {expected}..{} are missing: entries deleted",
                    r.position - 1
                ),
            );
            f.position = Some(expected);
            self.findings.push(f);
            self.prev_head = None;
            self.gaps = true;
        }
        while self
            .pending
            .front()
            .is_some_and(|c| c.position < r.position)
        {
            if let Some(c) = self.pending.pop_front() {
                self.compare_checkpoint(&c, None);
            }
        }
        self.step(&r);
        while self
            .pending
            .front()
            .is_some_and(|c| c.position == r.position)
        {
            if let Some(c) = self.pending.pop_front() {
                self.compare_checkpoint(&c, Some(&r.head));
            }
        }
        self.prev_head = Some(r.head.clone());
        self.last_pos = r.position;
        self.last_head = r.head;
    }

    /// Whether `r`'s head follows from the one before; a failure is held for one entry.
    fn step(&mut self, r: &LedgerRecord) {
        let leaf = r.leaf();
        if let Some(h) = self.held.take() {
            if next_head(&h.computed, &leaf) == r.head {
                self.breaks.push(Break {
                    candidates: vec![h.row.position],
                    finding: at_entry(
                        FindingKind::Ledger,
                        &h.row,
                        format!(
                            "the head stored at ledger position {} was altered",
                            h.row.position
                        ),
                    ),
                    explained: false,
                });
                return;
            }
            self.break_at(&h.row);
        }
        if let Some(prev) = &self.prev_head {
            let computed = next_head(prev, &leaf);
            if computed != r.head {
                self.held = Some(Held {
                    row: r.clone(),
                    computed,
                });
            }
        }
    }

    fn break_at(&mut self, row: &LedgerRecord) {
        self.breaks.push(Break {
            candidates: vec![row.position - 1, row.position],
            finding: at_entry(
                FindingKind::Ledger,
                row,
                format!(
                    "the ledger's chain of heads breaks at position {}: this entry, or the one \
                     before it with its head, was rewritten",
                    row.position
                ),
            ),
            explained: false,
        });
    }

    fn flush_held(&mut self) {
        if let Some(h) = self.held.take() {
            self.break_at(&h.row);
        }
    }

    fn compare_checkpoint(&mut self, c: &CheckpointRecord, stored: Option<&str>) {
        if stored == Some(c.head.as_str()) {
            if self.cp_bad.is_none() {
                self.cp_good = c.position;
                self.summary.last_matching_checkpoint = Some(c.position);
            }
            return;
        }
        match &mut self.cp_bad {
            Some(bad) => bad.later += 1,
            None => {
                let why = match stored {
                    Some(_) => format!(
                        "the ledger's head there differs: an entry between positions {} and {} \
                         was rewritten together with the heads after it",
                        self.cp_good + 1,
                        c.position
                    ),
                    None if c.position > self.last_pos => format!(
                        "the ledger has no entry at that position (it ends at {}): entries \
                         after it were removed",
                        self.last_pos
                    ),
                    None => "the ledger has no entry at that position".to_string(),
                };
                let mut f = finding(
                    FindingKind::Ledger,
                    None,
                    format!(
                        "the checkpoint at ledger position {} (signed at {}) does not match: {why}",
                        c.position,
                        micros(c.signed_at)
                    ),
                );
                f.position = Some(c.position);
                self.cp_bad = Some(BadCheckpoint {
                    finding: f,
                    later: 0,
                    explained: false,
                });
            }
        }
    }

    /// The ledger is over: what is still open is decided, and the head row compared.
    pub fn end_ledger(&mut self) {
        self.flush_held();
        while let Some(c) = self.pending.pop_front() {
            self.compare_checkpoint(&c, None);
        }
        self.summary.ledger_position = self.last_pos;
        if let Some((pos, head)) = self.head_row.clone() {
            if pos != self.last_pos || head != self.last_head {
                let mut f = finding(
                    FindingKind::Ledger,
                    None,
                    format!(
                        "the ledger's head row (position {pos}) does not match its last entry \
                         (position {})",
                        self.last_pos
                    ),
                );
                f.position = Some(pos);
                self.findings.push(f);
            }
        }
    }

    /// Why a disagreement at ledger `position` is the ledger's doing, if it is shown
    /// rewritten there (that finding is then folded into this one).
    fn ledger_suspect(&mut self, position: i64) -> Option<String> {
        if let Some(b) = self
            .breaks
            .iter_mut()
            .find(|b| b.candidates.contains(&position))
        {
            b.explained = true;
            return Some(format!(
                "the ledger's chain of heads breaks at position {}",
                b.finding.position.unwrap_or(position)
            ));
        }
        let good = self.cp_good;
        if let Some(bad) = &mut self.cp_bad {
            let at = bad.finding.position.unwrap_or(0);
            if position > good && position <= at {
                bad.explained = true;
                return Some(format!(
                    "the signed checkpoint at position {at} no longer matches the ledger"
                ));
            }
        }
        None
    }

    /// `f` (of `kind` when the application is to blame) or a ledger finding when the ledger
    /// is shown rewritten at `position`.
    pub(super) fn attribute(
        &mut self,
        mut f: Finding,
        position: i64,
        ledger_detail: &str,
    ) -> Finding {
        f.position = Some(position);
        if let Some(why) = self.ledger_suspect(position) {
            f.kind = FindingKind::Ledger;
            f.detail =
                format!("ledger entry at position {position} rewritten: {ledger_detail} ({why})");
        }
        f
    }

    /// One application's rows: `app` (none if its row is gone), its events and its ledger
    /// entries, all under the same internal key.
    pub fn group(
        &mut self,
        app: Option<AppRecord>,
        mut events: Vec<EventRecord>,
        mut ledger: Vec<LedgerRecord>,
    ) {
        self.summary.applications += u64::from(app.is_some());
        self.summary.events += events.len() as u64;
        events.sort_by_key(|e| e.seq);
        ledger.sort_by_key(|l| l.seq);
        let app = match (app, ledger.first()) {
            (None, Some(first)) => {
                let registered = ledger.iter().find(|l| l.seq == 0).unwrap_or(first);
                let recorded = ledger.iter().filter(|l| l.seq > 0).count();
                let mut f = at_entry(
                    FindingKind::Deleted,
                    registered,
                    format!(
                        "the application was deleted: the ledger recorded its registration at \
                         position {} and {recorded} events; {} of its event rows remain",
                        registered.position,
                        events.len()
                    ),
                );
                f.seq = None;
                f.event_id = None;
                self.findings.push(f);
                return;
            }
            (None, None) => {
                for e in events {
                    self.extra_event(&e, "not in the ledger, and its application does not exist");
                }
                return;
            }
            (Some(app), None) => {
                self.findings.push(finding(
                    FindingKind::Inserted,
                    Some(app.number),
                    format!(
                        "the application is not in the ledger: registered outside the server \
                         ({} event rows)",
                        events.len()
                    ),
                ));
                return;
            }
            (Some(app), Some(_)) => app,
        };
        let mut out = AppCheck::new(self, &app, &events, &ledger);
        out.run();
        let AppCheck {
            findings,
            missing,
            extra,
            ..
        } = out;
        let quiet = findings.is_empty() && missing.is_empty() && extra.is_empty();
        self.findings.extend(findings);
        self.missing.extend(missing);
        self.extra.extend(extra);
        if quiet {
            let head = events.last().map_or(&app.genesis, |e| &e.chain_hash);
            if *head != app.head_hash || app.event_count != events.len() as i64 {
                self.findings.push(finding(
                    FindingKind::Head,
                    Some(app.number),
                    format!(
                        "the application's head hash or event count ({}) disagrees with its {} \
                         events",
                        app.event_count,
                        events.len()
                    ),
                ));
            }
        }
    }

    fn extra_event(&mut self, e: &EventRecord, detail: &str) {
        self.extra.insert(
            e.id.clone(),
            Finding {
                kind: FindingKind::Inserted,
                number: Some(e.number),
                seq: Some(e.seq),
                event_id: Some(e.id.clone()),
                position: None,
                detail: detail.to_string(),
            },
        );
    }

    /// The report: deferred findings reconciled (an event missing from one application and
    /// found in another was moved), folded ledger findings dropped, the rest sorted.
    pub fn finish(mut self) -> AuditReport {
        let mut extra: Vec<(String, Finding)> = self.extra.drain().collect();
        extra.sort_by(|a, b| a.0.cmp(&b.0));
        for (id, inserted) in extra {
            match self.missing.remove(&id) {
                Some(deleted) => self.findings.push(Finding {
                    kind: FindingKind::Reordered,
                    detail: format!(
                        "recorded for application {} at seq {}, found under application {} at \
                         seq {}",
                        deleted.number.unwrap_or_default(),
                        deleted.seq.unwrap_or_default(),
                        inserted.number.unwrap_or_default(),
                        inserted.seq.unwrap_or_default()
                    ),
                    ..deleted
                }),
                None if self.gaps => self.findings.push(Finding {
                    detail: format!(
                        "{} (or its ledger entry was deleted: the ledger has a gap)",
                        inserted.detail
                    ),
                    ..inserted
                }),
                None => self.findings.push(inserted),
            }
        }
        self.findings.extend(self.missing.drain().map(|(_, f)| f));
        for b in self.breaks.drain(..).filter(|b| !b.explained) {
            self.findings.push(b.finding);
        }
        if let Some(mut bad) = self.cp_bad.take().filter(|b| !b.explained) {
            if bad.later > 0 {
                bad.finding.detail += &format!(" ({} later checkpoints differ too)", bad.later);
            }
            self.findings.push(bad.finding);
        }
        self.findings.sort_by(|a, b| {
            (a.number, a.seq, a.position, a.kind, &a.event_id).cmp(&(
                b.number,
                b.seq,
                b.position,
                b.kind,
                &b.event_id,
            ))
        });
        AuditReport {
            summary: self.summary,
            findings: self.findings,
        }
    }
}
