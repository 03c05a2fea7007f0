//! The checker over synthetic histories built with the real hash functions: tamperings the
//! database tests do not reach (renumbering, moves between applications, the ledger's own
//! rows) are each named once.

use super::check::Checker;
use super::records::{link, AppRecord, CheckpointRecord, EventRecord, Header, LedgerRecord};
use super::report::{AuditReport, FindingKind, NoSealKeys, SealCheck, SealKeys};
use crate::ledger::{next_head, GENESIS_HEAD};
use crate::models::Checkpoint;

/// Signatures of the test: the hex SHA-256 of the message under key id "k".
struct TestKeys;

fn sign(msg: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(msg))
}

impl SealKeys for TestKeys {
    fn check(&self, key_id: &str, message: &[u8], signature: &str) -> SealCheck {
        match key_id {
            "k" if sign(message) == signature => SealCheck::Valid,
            "k" => SealCheck::Invalid,
            _ => SealCheck::UnknownKey,
        }
    }
}

/// A finding as `(kind, number, seq, event id)`.
type Named = (FindingKind, Option<i64>, Option<i64>, Option<String>);

struct Hist {
    apps: Vec<AppRecord>,
    events: Vec<EventRecord>,
    ledger: Vec<LedgerRecord>,
    checkpoints: Vec<CheckpointRecord>,
    head: (i64, String),
}

fn event_id(app: i64, seq: i64) -> String {
    uuid::Uuid::from_u128(((app as u128) << 64) | seq as u128).to_string()
}

impl Hist {
    /// `apps` applications of `events` events each, their ledger entries interleaved.
    fn new(apps: i64, events: i64) -> Hist {
        let t0 = 1_700_000_000_000_000i64;
        let mut h = Hist {
            apps: vec![],
            events: vec![],
            ledger: vec![],
            checkpoints: vec![],
            head: (0, GENESIS_HEAD.into()),
        };
        for a in 1..=apps {
            let number = 1000 + a;
            let at = jiff::Timestamp::from_microsecond(t0).unwrap();
            let genesis = crate::chain::genesis(number, "SVC", at, "900101300017");
            h.apps.push(AppRecord {
                app_id: a,
                number,
                service_code: "SVC".into(),
                accepted_at: t0,
                genesis: genesis.clone(),
                event_count: events,
                head_hash: genesis.clone(),
            });
            h.ledger.push(LedgerRecord {
                position: 0,
                app_id: a,
                number,
                seq: 0,
                event_id: None,
                chain_hash: genesis,
                head: String::new(),
            });
        }
        for s in 1..=events {
            for a in 1..=apps {
                let number = 1000 + a;
                let mut e = EventRecord {
                    app_id: a,
                    id: event_id(a, s),
                    number,
                    seq: s,
                    kind: "resumed".into(),
                    stage: None,
                    outcome: None,
                    reason: Some(format!("r{s}")),
                    executor: None,
                    executor_person: None,
                    occurred_at: t0 + s * 1000,
                    recorded_at: t0 + s * 2000,
                    actor: "test".into(),
                    content_hash: String::new(),
                    chain_hash: String::new(),
                    ground: None,
                    scan: None,
                    office: None,
                };
                e.content_hash = e.recomputed_content_hash().unwrap();
                h.events.push(e);
                h.ledger.push(LedgerRecord {
                    position: 0,
                    app_id: a,
                    number,
                    seq: s,
                    event_id: Some(event_id(a, s)),
                    chain_hash: String::new(),
                    head: String::new(),
                });
            }
        }
        for a in 1..=apps {
            h.relink(a);
        }
        for l in h.ledger.iter_mut() {
            let e = h.events.iter().find(|e| Some(&e.id) == l.event_id.as_ref());
            if let Some(e) = e {
                l.chain_hash = e.chain_hash.clone();
            }
        }
        h.reledger(1);
        h
    }

    /// What an attacker with the database does after changing an application's events:
    /// recompute its chain (seqs as stored), head and count.
    fn relink(&mut self, app_id: i64) {
        let Some(app) = self.apps.iter_mut().find(|a| a.app_id == app_id) else {
            return;
        };
        let mut mine: Vec<&mut EventRecord> = self
            .events
            .iter_mut()
            .filter(|e| e.app_id == app_id)
            .collect();
        mine.sort_by_key(|e| e.seq);
        let mut prev = app.genesis.clone();
        for e in mine.iter_mut() {
            e.chain_hash = link(&prev, &e.content_hash, e.recorded_at).unwrap();
            prev = e.chain_hash.clone();
        }
        app.head_hash = prev;
        app.event_count = mine.len() as i64;
    }

    /// Positions and heads recomputed from `from` (1-based index into the rows).
    fn reledger(&mut self, from: usize) {
        let mut head = if from <= 1 {
            GENESIS_HEAD.to_string()
        } else {
            self.ledger[from - 2].head.clone()
        };
        for (i, l) in self.ledger.iter_mut().enumerate().skip(from - 1) {
            l.position = i as i64 + 1;
            head = next_head(
                &head,
                &crate::ledger::leaf(l.number, l.seq, l.event_id.as_deref(), &l.chain_hash),
            );
            l.head = head.clone();
        }
        self.head = (self.ledger.len() as i64, head);
    }

    fn checkpoint(&mut self, position: i64) {
        let head = self.ledger[position as usize - 1].head.clone();
        let at = jiff::Timestamp::from_microsecond(1_800_000_000_000_000).unwrap();
        self.checkpoints.push(CheckpointRecord {
            position,
            signature: sign(&Checkpoint::message(position, &head, at)),
            head,
            signed_at: at.as_microsecond(),
            key_id: "k".into(),
        });
    }

    fn event(&mut self, app: i64, seq: i64) -> &mut EventRecord {
        self.events
            .iter_mut()
            .find(|e| e.app_id == app && e.seq == seq)
            .unwrap()
    }

    fn report(&self, keys: &dyn SealKeys) -> AuditReport {
        let mut c = Checker::new(keys);
        c.header(&Header {
            format: super::FORMAT.into(),
            backend: "test".into(),
            exported_at: "now".into(),
            ledger_position: self.head.0,
            ledger_head: self.head.1.clone(),
        });
        let mut cps = self.checkpoints.clone();
        cps.sort_by_key(|c| c.position);
        let mut cps = cps.into_iter().peekable();
        for l in &self.ledger {
            while let Some(cp) = cps.next_if(|cp| cp.position <= l.position) {
                c.checkpoint(cp);
            }
            c.ledger(l.clone());
        }
        for cp in cps {
            c.checkpoint(cp);
        }
        c.end_ledger();
        let mut ids: Vec<i64> = self
            .apps
            .iter()
            .map(|a| a.app_id)
            .chain(self.events.iter().map(|e| e.app_id))
            .chain(self.ledger.iter().map(|l| l.app_id))
            .collect();
        ids.sort();
        ids.dedup();
        for id in ids {
            c.group(
                self.apps.iter().find(|a| a.app_id == id).cloned(),
                self.events
                    .iter()
                    .filter(|e| e.app_id == id)
                    .cloned()
                    .collect(),
                self.ledger
                    .iter()
                    .filter(|l| l.app_id == id)
                    .cloned()
                    .collect(),
            );
        }
        c.finish()
    }

    /// The findings as `(kind, number, seq, event)`, checked with the test keys.
    fn found(&self) -> Vec<Named> {
        self.report(&TestKeys)
            .findings
            .into_iter()
            .map(|f| (f.kind, f.number, f.seq, f.event_id))
            .collect()
    }
}

#[test]
fn an_untouched_history_is_clean() {
    let mut h = Hist::new(3, 4);
    h.checkpoint(10);
    h.checkpoint(15);
    let r = h.report(&TestKeys);
    assert!(r.clean(), "{:?}", r.findings);
    assert_eq!(r.summary.applications, 3);
    assert_eq!(r.summary.events, 12);
    assert_eq!(r.summary.ledger_entries, 15);
    assert_eq!(r.summary.checkpoints_valid, 2);
    assert_eq!(r.summary.last_matching_checkpoint, Some(15));
    let r = h.report(&NoSealKeys);
    assert!(r.clean());
    assert_eq!(r.summary.checkpoints_unchecked, 2);
}

#[test]
fn a_deletion_with_the_later_events_renumbered_and_relinked_is_one_deletion() {
    let mut h = Hist::new(2, 5);
    h.events.retain(|e| !(e.app_id == 1 && e.seq == 2));
    for e in h.events.iter_mut().filter(|e| e.app_id == 1 && e.seq > 2) {
        e.seq -= 1;
    }
    h.relink(1);
    assert_eq!(
        h.found(),
        vec![(
            FindingKind::Deleted,
            Some(1001),
            Some(2),
            Some(event_id(1, 2))
        )]
    );
}

#[test]
fn an_insertion_in_the_middle_with_renumbering_is_one_insertion() {
    let mut h = Hist::new(2, 4);
    for e in h.events.iter_mut().filter(|e| e.app_id == 2 && e.seq >= 2) {
        e.seq += 1;
    }
    let mut forged = h.event(2, 1).clone();
    forged.id = event_id(9, 9);
    forged.seq = 2;
    forged.reason = Some("forged".into());
    forged.content_hash = forged.recomputed_content_hash().unwrap();
    h.events.push(forged);
    h.relink(2);
    assert_eq!(
        h.found(),
        vec![(
            FindingKind::Inserted,
            Some(1002),
            Some(2),
            Some(event_id(9, 9))
        )]
    );
}

#[test]
fn an_event_moved_to_another_application_is_one_move() {
    let mut h = Hist::new(3, 3);
    let e = h.event(1, 3);
    e.app_id = 3;
    e.number = 1003;
    e.seq = 4;
    h.relink(1);
    h.relink(3);
    let found = h.found();
    assert_eq!(
        found,
        vec![(
            FindingKind::Reordered,
            Some(1001),
            Some(3),
            Some(event_id(1, 3))
        )]
    );
    assert!(h.report(&TestKeys).findings[0]
        .detail
        .contains("found under application 1003"));
}

#[test]
fn a_thorough_edit_is_named_at_the_edited_event_only() {
    let mut h = Hist::new(2, 5);
    let e = h.event(2, 2);
    e.reason = Some("forged".into());
    e.content_hash = e.recomputed_content_hash().unwrap();
    h.relink(2);
    assert_eq!(
        h.found(),
        vec![(
            FindingKind::Edited,
            Some(1002),
            Some(2),
            Some(event_id(2, 2))
        )]
    );
}

#[test]
fn a_changed_event_id_and_changed_registration_are_edits() {
    let mut h = Hist::new(2, 3);
    h.event(1, 2).id = event_id(7, 7);
    assert_eq!(
        h.found(),
        vec![(
            FindingKind::Edited,
            Some(1001),
            Some(2),
            Some(event_id(7, 7))
        )]
    );
    let mut h = Hist::new(2, 3);
    h.apps[1].genesis = crate::chain::genesis(
        1002,
        "OTHER",
        jiff::Timestamp::from_microsecond(0).unwrap(),
        "1",
    );
    h.relink(2);
    assert_eq!(
        h.found(),
        vec![(FindingKind::Edited, Some(1002), Some(0), None)]
    );
}

#[test]
fn the_ledger_s_own_rows_are_checked() {
    // A head altered alone.
    let mut h = Hist::new(2, 3);
    h.ledger[3].head = "00".repeat(32);
    let r = h.report(&TestKeys);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    assert_eq!(r.findings[0].kind, FindingKind::Ledger);
    assert_eq!(r.findings[0].position, Some(4));
    assert!(r.findings[0].detail.contains("head stored"));
    // An entry deleted: the gap, and its event no longer in the ledger.
    let mut h = Hist::new(2, 3);
    h.ledger.remove(4);
    let found = h.found();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().any(|f| f.0 == FindingKind::Ledger));
    let r = h.report(&TestKeys);
    assert!(r
        .findings
        .iter()
        .any(|f| f.kind == FindingKind::Inserted && f.detail.contains("gap")));
    // The head row out of step.
    let mut h = Hist::new(1, 2);
    h.head.0 = 7;
    assert_eq!(h.found(), vec![(FindingKind::Ledger, None, None, None)]);
}

#[test]
fn truncation_after_a_checkpoint_is_caught_by_the_checkpoint() {
    let mut h = Hist::new(2, 3);
    h.checkpoint(8);
    // The last two events and their entries removed, the head row set back.
    h.ledger.truncate(6);
    h.events.retain(|e| e.seq < 3);
    h.relink(1);
    h.relink(2);
    h.reledger(1);
    let r = h.report(&TestKeys);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    assert_eq!(r.findings[0].kind, FindingKind::Ledger);
    assert!(r.findings[0].detail.contains("it ends at 6"));
}

#[test]
fn checkpoint_signatures_are_checked() {
    let mut h = Hist::new(1, 2);
    h.checkpoint(2);
    h.checkpoint(3);
    h.checkpoints[0].signature = "forged".into();
    h.checkpoints[1].key_id = "other".into();
    let kinds: Vec<FindingKind> = h
        .report(&TestKeys)
        .findings
        .iter()
        .map(|f| f.kind)
        .collect();
    assert_eq!(kinds, vec![FindingKind::Signature, FindingKind::Signature]);
    assert!(h.report(&NoSealKeys).clean());
}

#[test]
fn an_application_outside_the_ledger_is_one_insertion() {
    let mut h = Hist::new(2, 2);
    let mut forged = h.apps[1].clone();
    forged.app_id = 3;
    forged.number = 1003;
    h.apps.push(forged);
    let mut e = h.event(2, 1).clone();
    e.app_id = 3;
    e.id = event_id(3, 1);
    h.events.push(e);
    assert_eq!(
        h.found(),
        vec![(FindingKind::Inserted, Some(1003), None, None)]
    );
}
