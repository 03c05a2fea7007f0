//! The check of one application against its ledger entries (see [`super::check`]): events
//! matched to entries by id, each checked against the ledger's chain hashes on both sides of
//! it; what is missing, extra, moved or changed named once.

use super::check::{at_entry, finding, Checker};
use super::records::{link, AppRecord, EventRecord, LedgerRecord};
use super::report::{Finding, FindingKind};
use std::collections::{HashMap, HashSet};

/// The check of one application that has both its row and ledger entries.
pub(super) struct AppCheck<'c, 'k, 'a> {
    checker: &'c mut Checker<'k>,
    app: &'a AppRecord,
    events: &'a [EventRecord],
    ledger: &'a [LedgerRecord],
    /// The number the ledger recorded (the authentic one).
    number: i64,
    pub(super) findings: Vec<Finding>,
    pub(super) missing: Vec<(String, Finding)>,
    pub(super) extra: Vec<(String, Finding)>,
}

impl<'c, 'k, 'a> AppCheck<'c, 'k, 'a> {
    pub(super) fn new(
        checker: &'c mut Checker<'k>,
        app: &'a AppRecord,
        events: &'a [EventRecord],
        ledger: &'a [LedgerRecord],
    ) -> Self {
        let number = ledger
            .iter()
            .find(|l| l.seq == 0)
            .or(ledger.first())
            .map_or(app.number, |l| l.number);
        AppCheck {
            checker,
            app,
            events,
            ledger,
            number,
            findings: vec![],
            missing: vec![],
            extra: vec![],
        }
    }

    fn event_finding(&self, kind: FindingKind, seq: i64, id: &str, detail: String) -> Finding {
        Finding {
            kind,
            number: Some(self.number),
            seq: Some(seq),
            event_id: Some(id.to_string()),
            position: None,
            detail,
        }
    }

    pub(super) fn run(&mut self) {
        let (app, events, ledger) = (self.app, self.events, self.ledger);
        // The registration.
        let registration = ledger.iter().find(|l| l.seq == 0);
        let mut disturbed = false;
        match registration {
            Some(l0) if l0.chain_hash != app.genesis => {
                let mut f = at_entry(
                    FindingKind::Edited,
                    l0,
                    "the registration (number, service, acceptance time or applicant) was \
                     changed: it no longer hashes to what the ledger recorded",
                );
                f.event_id = None;
                let f = self.checker.attribute(
                    f,
                    l0.position,
                    "its registration hash disagrees with the application",
                );
                self.findings.push(f);
                disturbed = true;
            }
            Some(_) => {}
            None => self.findings.push(finding(
                FindingKind::Ledger,
                Some(self.number),
                "the application's registration is missing from the ledger",
            )),
        }
        // The ledger's chain hash before each seq it recorded.
        let chain_at: HashMap<i64, &str> = ledger
            .iter()
            .map(|l| (l.seq, l.chain_hash.as_str()))
            .collect();
        let ledger_before = |seq: i64| {
            if seq == 1 {
                Some(chain_at.get(&0).copied().unwrap_or(app.genesis.as_str()))
            } else {
                chain_at.get(&(seq - 1)).copied()
            }
        };
        let stored_at: HashMap<i64, &EventRecord> = events.iter().map(|e| (e.seq, e)).collect();
        let by_id: HashMap<&str, &LedgerRecord> = ledger
            .iter()
            .filter(|l| l.seq > 0)
            .map(|l| (l.event_id.as_deref().unwrap_or(""), l))
            .collect();
        let mut matched: Vec<(&EventRecord, &LedgerRecord)> = vec![];
        let mut extras: Vec<&EventRecord> = vec![];
        for e in events {
            match by_id.get(e.id.as_str()) {
                Some(l) => matched.push((e, l)),
                None => extras.push(e),
            }
        }
        let found: HashSet<&str> = matched.iter().map(|(e, _)| e.id.as_str()).collect();
        let mut missing: Vec<&LedgerRecord> = ledger
            .iter()
            .filter(|l| l.seq > 0 && !found.contains(l.event_id.as_deref().unwrap_or("")))
            .collect();
        // An event at the seq of a missing entry that hashes to that entry: its id changed.
        let anchored = |e: &EventRecord, l: &LedgerRecord| -> bool {
            let Some(content) = e.recomputed_content_hash() else {
                return false;
            };
            ledger_before(l.seq)
                .and_then(|prev| link(prev, &content, e.recorded_at))
                .is_some_and(|c| c == l.chain_hash)
        };
        let mut renamed: Vec<(&EventRecord, &LedgerRecord)> = vec![];
        missing.retain(
            |l| match extras.iter().position(|x| x.seq == l.seq && anchored(x, l)) {
                Some(i) => {
                    renamed.push((extras.remove(i), l));
                    false
                }
                None => true,
            },
        );
        for (e, l) in &renamed {
            let f = self.event_finding(
                FindingKind::Edited,
                e.seq,
                &e.id,
                format!(
                    "the event's id was changed: the ledger recorded {} for this seq",
                    l.event_id.as_deref().unwrap_or("-")
                ),
            );
            let f = self.checker.attribute(
                f,
                l.position,
                "the event id it records differs from the event's",
            );
            self.findings.push(f);
        }
        // Reordering: the matched events in stored order against the ledger's order.
        let order: Vec<i64> = matched.iter().map(|(_, l)| l.seq).collect();
        let keep = longest_increasing(&order);
        let reordered: HashSet<&str> = matched
            .iter()
            .zip(&keep)
            .filter(|(_, k)| !**k)
            .map(|((e, _), _)| e.id.as_str())
            .collect();
        let first_anomaly = missing
            .iter()
            .map(|l| l.seq)
            .chain(extras.iter().map(|e| e.seq))
            .chain(renamed.iter().map(|(e, _)| e.seq))
            .chain(
                matched
                    .iter()
                    .filter(|(e, _)| reordered.contains(e.id.as_str()))
                    .map(|(e, _)| e.seq),
            )
            .min();
        for (e, l) in &matched {
            disturbed |= first_anomaly.is_some_and(|s| s < e.seq.max(l.seq));
            let recomputed = e.recomputed_content_hash();
            let a = recomputed.as_deref().is_some_and(|c| {
                ledger_before(l.seq)
                    .and_then(|prev| link(prev, c, e.recorded_at))
                    .is_some_and(|x| x == l.chain_hash)
            });
            let content_ok = recomputed.as_deref() == Some(e.content_hash.as_str());
            if reordered.contains(e.id.as_str()) {
                self.findings.push(self.event_finding(
                    FindingKind::Reordered,
                    e.seq,
                    &e.id,
                    format!("recorded at seq {}, found at seq {}", l.seq, e.seq),
                ));
                if !a {
                    self.findings.push(
                        self.event_finding(
                            FindingKind::Edited,
                            e.seq,
                            &e.id,
                            "it was also changed: it no longer hashes to what the ledger recorded"
                                .into(),
                        ),
                    );
                }
                disturbed = true;
                continue;
            }
            let stored_prev = if e.seq == 1 {
                Some(app.genesis.as_str())
            } else {
                stored_at.get(&(e.seq - 1)).map(|p| p.chain_hash.as_str())
            };
            let self_consistent = content_ok
                && stored_prev
                    .and_then(|p| link(p, &e.content_hash, e.recorded_at))
                    .is_some_and(|x| x == e.chain_hash);
            let agrees = e.chain_hash == l.chain_hash;
            let intact = a || (self_consistent && agrees);
            if !intact {
                disturbed = true;
                if self_consistent {
                    let f = self.event_finding(
                        FindingKind::Edited,
                        e.seq,
                        &e.id,
                        "the event was rewritten with recomputed hashes: the application's \
                         chain disagrees with the ledger here"
                            .into(),
                    );
                    let f = self.checker.attribute(
                        f,
                        l.position,
                        "it disagrees with the application's intact chain",
                    );
                    self.findings.push(f);
                } else {
                    let detail = match &recomputed {
                        None => {
                            "the stored event is no longer a valid event (its kind, stage, \
                                 outcome or id was altered)"
                        }
                        Some(_) if !content_ok => {
                            "the event's content (stage, outcome, reason, \
                                                  times or executor) differs from its recorded hash"
                        }
                        Some(_) => {
                            "the event's content or recording time was changed (its \
                                    stored hash recomputed to match): it no longer hashes to \
                                    what the ledger recorded"
                        }
                    };
                    let mut f =
                        self.event_finding(FindingKind::Edited, e.seq, &e.id, detail.into());
                    f.position = Some(l.position);
                    self.findings.push(f);
                }
            } else if !content_ok {
                disturbed = true;
                self.findings.push(self.event_finding(
                    FindingKind::Edited,
                    e.seq,
                    &e.id,
                    "its stored content hash was altered".into(),
                ));
            } else if !agrees && !disturbed {
                disturbed = true;
                self.findings.push(self.event_finding(
                    FindingKind::Edited,
                    e.seq,
                    &e.id,
                    "its stored chain hash was altered".into(),
                ));
            }
        }
        // Holes in the stored seqs that no missing entry explains.
        let explained: HashSet<i64> = missing.iter().map(|l| l.seq).collect();
        let max_seq = events.last().map_or(0, |e| e.seq);
        for seq in 1..max_seq {
            if !stored_at.contains_key(&seq) && !explained.contains(&seq) {
                let mut f = finding(
                    FindingKind::Deleted,
                    Some(self.number),
                    format!("seq {seq} is missing from the application's history"),
                );
                f.seq = Some(seq);
                self.findings.push(f);
            }
        }
        for l in missing {
            let id = l.event_id.clone().unwrap_or_default();
            let f = at_entry(
                FindingKind::Deleted,
                l,
                format!(
                    "the event was deleted: the ledger recorded it at position {}",
                    l.position
                ),
            );
            self.missing.push((id, f));
        }
        for e in extras {
            let f = self.event_finding(
                FindingKind::Inserted,
                e.seq,
                &e.id,
                "the event is not in the ledger: added outside the server".into(),
            );
            self.extra.push((e.id.clone(), f));
        }
    }
}

/// Which items of `seq` belong to one longest strictly increasing subsequence (the rest are
/// the fewest that must have moved).
fn longest_increasing(seq: &[i64]) -> Vec<bool> {
    let mut tails: Vec<usize> = vec![];
    let mut prev: Vec<Option<usize>> = vec![None; seq.len()];
    for (i, &v) in seq.iter().enumerate() {
        let k = tails.partition_point(|&t| seq[t] < v);
        if k > 0 {
            prev[i] = Some(tails[k - 1]);
        }
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut keep = vec![false; seq.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        keep[i] = true;
        at = prev[i];
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_increasing_keeps_all_but_the_moved() {
        assert_eq!(longest_increasing(&[1, 2, 3]), vec![true; 3]);
        assert_eq!(
            longest_increasing(&[1, 3, 2, 4]),
            vec![true, false, true, true]
        );
        assert_eq!(
            longest_increasing(&[4, 1, 2, 3]),
            vec![false, true, true, true]
        );
        assert!(longest_increasing(&[]).is_empty());
    }
}
