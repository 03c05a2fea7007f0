//! The export file: written from the database's snapshot line by line, and read back into
//! the checker. Reading keeps the ledger entries in memory, grouped by application (about
//! 200 bytes each), because the file holds them once, in position order; applications and
//! their events stream through.

use super::check::Checker;
use super::read::{Group, Sink};
use super::records::{CheckpointRecord, ExportCounts, Header, LedgerRecord, Line};
use super::report::{AuditReport, SealKeys};
use super::{AuditError, FORMAT};
use crate::Store;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};

/// Writes the lines of an export.
struct Writer<W: Write> {
    out: W,
    counts: ExportCounts,
}

impl<W: Write> Writer<W> {
    fn line(&mut self, line: &Line) -> Result<(), AuditError> {
        serde_json::to_writer(&mut self.out, line).map_err(std::io::Error::from)?;
        self.out.write_all(b"\n")?;
        Ok(())
    }
}

impl<W: Write> Sink for Writer<W> {
    fn header(&mut self, h: &Header) -> Result<(), AuditError> {
        self.line(&Line::Header(h.clone()))
    }
    fn checkpoint(&mut self, c: CheckpointRecord) -> Result<(), AuditError> {
        self.counts.checkpoints += 1;
        self.line(&Line::Checkpoint(c))
    }
    fn ledger(&mut self, r: LedgerRecord) -> Result<(), AuditError> {
        self.counts.ledger += 1;
        self.line(&Line::Ledger(r))
    }
    fn end_ledger(&mut self) -> Result<(), AuditError> {
        Ok(())
    }
    fn wants_group_ledger(&self) -> bool {
        false
    }
    fn group(&mut self, _app_id: i64, g: Group) -> Result<(), AuditError> {
        if let Some(a) = g.app {
            self.counts.applications += 1;
            self.line(&Line::Application(a))?;
        }
        for e in g.events {
            self.counts.events += 1;
            self.line(&Line::Event(Box::new(e)))?;
        }
        Ok(())
    }
}

impl Store {
    /// Writes the history — applications, events, ledger and checkpoints as one snapshot — to
    /// `out` as JSON Lines (see [`super::records`]). The applicants' IINs are not written.
    #[tracing::instrument(skip_all)]
    pub async fn export_history<W: Write>(&self, out: W) -> Result<ExportCounts, AuditError> {
        let mut w = Writer {
            out,
            counts: ExportCounts::default(),
        };
        self.read_history(&mut w).await?;
        let counts = w.counts;
        w.line(&Line::End(counts))?;
        w.out.flush()?;
        Ok(counts)
    }
}

/// Where the reader is in the file.
#[derive(PartialEq, Eq)]
enum Part {
    Start,
    Ledger,
    Applications,
    Ended,
}

/// The application being read: its key, row and events.
type Current = (i64, Group);

/// Checks an export read from `input`; checkpoint signatures with `keys`. A file that is not
/// an export, or is cut short, is an error, not a finding.
pub fn verify_file(input: impl BufRead, keys: &dyn SealKeys) -> Result<AuditReport, AuditError> {
    let mut checker = Checker::new(keys);
    let mut ledger: BTreeMap<i64, Vec<LedgerRecord>> = BTreeMap::new();
    let mut part = Part::Start;
    let mut current: Option<Current> = None;
    let mut seen = ExportCounts::default();
    let mut n: u64 = 0;
    let format = |line: u64, detail: String| AuditError::Format { line, detail };
    for text in input.lines() {
        let text = text?;
        n += 1;
        if text.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(&text).map_err(|e| format(n, e.to_string()))?;
        if part == Part::Ended {
            return Err(format(n, "lines after the end line".into()));
        }
        match line {
            Line::Header(h) if part == Part::Start => {
                if h.format != FORMAT {
                    return Err(format(
                        n,
                        format!("format {:?}, expected {FORMAT:?}", h.format),
                    ));
                }
                checker.header(&h);
                part = Part::Ledger;
            }
            _ if part == Part::Start => {
                return Err(format(
                    n,
                    "the file does not start with a header line".into(),
                ))
            }
            Line::Header(_) => return Err(format(n, "a second header line".into())),
            Line::Checkpoint(c) if part == Part::Ledger => {
                seen.checkpoints += 1;
                checker.checkpoint(c);
            }
            Line::Ledger(r) if part == Part::Ledger => {
                seen.ledger += 1;
                // The applications' check needs no head: not kept.
                ledger.entry(r.app_id).or_default().push(LedgerRecord {
                    head: String::new(),
                    event_id: r.event_id.clone(),
                    chain_hash: r.chain_hash.clone(),
                    ..r
                });
                checker.ledger(r);
            }
            Line::Checkpoint(_) | Line::Ledger(_) => {
                return Err(format(n, "a ledger line after the applications".into()))
            }
            Line::Application(a) => {
                if part == Part::Ledger {
                    checker.end_ledger();
                    part = Part::Applications;
                }
                seen.applications += 1;
                let id = a.app_id;
                let g =
                    open(&mut current, id, &mut checker, &mut ledger).map_err(|d| format(n, d))?;
                if g.app.is_some() || !g.events.is_empty() {
                    return Err(format(n, "an application line after its events".into()));
                }
                g.app = Some(a);
            }
            Line::Event(e) => {
                if part == Part::Ledger {
                    checker.end_ledger();
                    part = Part::Applications;
                }
                seen.events += 1;
                open(&mut current, e.app_id, &mut checker, &mut ledger)
                    .map_err(|d| format(n, d))?
                    .events
                    .push(*e);
            }
            Line::End(counts) => {
                if part == Part::Ledger {
                    checker.end_ledger();
                }
                if counts != seen {
                    return Err(format(
                        n,
                        format!("the end line counts {counts:?}, the file holds {seen:?}"),
                    ));
                }
                part = Part::Ended;
            }
        }
    }
    if part != Part::Ended {
        return Err(format(
            n,
            "the file ends before its end line: it was cut short".into(),
        ));
    }
    if let Some((id, g)) = current.take() {
        close(id, g, &mut checker, &mut ledger);
    }
    // Ledger entries of applications with no rows left at all.
    for (_, entries) in std::mem::take(&mut ledger) {
        checker.group(None, vec![], entries);
    }
    Ok(checker.finish())
}

/// The group of application `id`, closing the one before; keys must ascend.
fn open<'c>(
    current: &'c mut Option<Current>,
    id: i64,
    checker: &mut Checker<'_>,
    ledger: &mut BTreeMap<i64, Vec<LedgerRecord>>,
) -> Result<&'c mut Group, String> {
    match current.take() {
        Some((cur, g)) if cur == id => {
            *current = Some((cur, g));
        }
        Some((cur, _)) if cur > id => {
            return Err(format!("applications out of order (key {id} after {cur})"))
        }
        previous => {
            if let Some((cur, g)) = previous {
                close(cur, g, checker, ledger);
            }
            *current = Some((
                id,
                Group {
                    app: None,
                    events: vec![],
                    ledger: vec![],
                },
            ));
        }
    }
    match current {
        Some((_, g)) => Ok(g),
        None => Err("internal: no current application".into()),
    }
}

fn close(
    id: i64,
    g: Group,
    checker: &mut Checker<'_>,
    ledger: &mut BTreeMap<i64, Vec<LedgerRecord>>,
) {
    // Ledger entries of keys below this one that have no rows: deleted applications.
    let below: Vec<i64> = ledger.range(..id).map(|(k, _)| *k).collect();
    for k in below {
        if let Some(entries) = ledger.remove(&k) {
            checker.group(None, vec![], entries);
        }
    }
    checker.group(g.app, g.events, ledger.remove(&id).unwrap_or_default());
}
