//! The derivation's notes read back into their parts (issue 16, B.8), so that every reader can
//! be told how a planned date was derived in their own language. [`crate::deadline`] writes
//! each note in English from a fixed set of sentences; this module knows those sentences, and
//! gives the sentence's key and the values in it (dates as `YYYY-MM-DD`, local date-times as
//! `YYYY-MM-DDTHH:MM:SS`, term units as stored). Notes stored by any release read the same way,
//! since the sentences are the stored text itself; a note that matches none (written by a
//! release with another sentence) is shown as it is. The domain's tests hold every note
//! `deadline::compute` writes to one of these sentences.

/// A note's sentence and the values in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteParts {
    /// The sentence, e.g. `working-days`; a message `note-<key>` says it in each language.
    pub key: &'static str,
    /// The values by name, in the order they appear.
    pub args: Vec<(&'static str, String)>,
}

/// Each sentence: its key and its English pattern, `{name}` for a value and `{_}` for a
/// value that is not kept (the weekday, which the date gives). Where one pattern is another's
/// prefix with more values, the longer comes first.
const SENTENCES: [(&str, &str); 18] = [
    ("term", "term {amount} {unit}"),
    ("received", "received {received} local time (Asia/Almaty)"),
    (
        "within",
        "received {_} {date} {time} within working hours {hours} of a working day: accepted then",
    ),
    (
        "before-start",
        "received {_} {date} {time} (before {start}): accepted at {_} {accepted} {accepted_time}",
    ),
    (
        "after-end",
        "received {_} {date} {time} (at or after the end of working hours {end}): accepted at {_} {accepted} {accepted_time}",
    ),
    (
        "day-off",
        "received {_} {date} {time} (day off): accepted at {_} {accepted} {accepted_time}",
    ),
    (
        "paper",
        "via the State Corporation with documents on paper, the acceptance day never counts (001 §25): counting starts {_} {start}",
    ),
    (
        "counted",
        "the service standard counts the acceptance day: counting starts {_} {start}",
    ),
    (
        "not-counted",
        "the acceptance day is not counted: counting starts {_} {start}",
    ),
    (
        "suspended-time",
        "{n} suspension(s): term lengthened by the suspended time, {seconds}s (~{minutes} min)",
    ),
    (
        "suspended-days",
        "{n} suspension(s): term lengthened by {days} {unit} day(s)",
    ),
    (
        "no-day",
        "no {unit} day to count (term of 0): planned date is the acceptance day",
    ),
    (
        "working-days",
        "{n} working day(s) counted from {_} {start}, {skipped} day(s) off skipped: planned {_} {planned}",
    ),
    (
        "calendar-day-off",
        "calendar day {n} counted from {_} {start} is {_} {last}, a day off: planned the next working day {_} {planned}",
    ),
    (
        "calendar-day-working",
        "calendar day {n} counted from {_} {start} is {_} {planned}, a working day: planned {_}",
    ),
    (
        "due",
        "due by the end of the planned date: {planned} 23:59:59 Asia/Almaty",
    ),
    (
        "elapsed-suspended",
        "effective acceptance {accepted} + {amount} {unit} + {seconds}s suspended = {deadline} (the deadline); planned date {planned}",
    ),
    (
        "elapsed",
        "effective acceptance {accepted} + {amount} {unit} = {deadline} (the deadline); planned date {planned}",
    ),
];

/// The sentence `note` says and its values; `None` for a note of no known sentence.
pub fn parts(note: &str) -> Option<NoteParts> {
    SENTENCES
        .iter()
        .find_map(|(key, pattern)| matched(pattern, note).map(|args| NoteParts { key, args }))
}

/// The values of `pattern` in `text` when the text is of that pattern: each value runs to the
/// first occurrence of the literal after it (the last to the end) and holds no space (no
/// value of a note does); values named `_` are dropped.
fn matched(pattern: &str, text: &str) -> Option<Vec<(&'static str, String)>> {
    let mut args = Vec::new();
    let mut rest = text;
    let mut pat = pattern;
    loop {
        let Some(open) = pat.find('{') else {
            return (rest == pat).then_some(args);
        };
        rest = rest.strip_prefix(&pat[..open])?;
        let close = open + pat[open..].find('}')?;
        let name = &pat[open + 1..close];
        pat = &pat[close + 1..];
        let literal_end = pat.find('{').unwrap_or(pat.len());
        let literal = &pat[..literal_end];
        let value = if literal.is_empty() {
            if !pat.is_empty() {
                return None; // two values side by side: not a pattern of ours
            }
            let v = rest;
            rest = "";
            v
        } else {
            let at = rest.find(literal)?;
            let v = &rest[..at];
            rest = &rest[at..];
            v
        };
        if value.is_empty() || value.contains(' ') {
            return None;
        }
        if name != "_" {
            args.push((static_name(name)?, value.to_string()));
        }
    }
}

/// The value names of [`SENTENCES`], as `'static` strings.
fn static_name(name: &str) -> Option<&'static str> {
    const NAMES: [&str; 20] = [
        "amount",
        "unit",
        "received",
        "date",
        "time",
        "hours",
        "start",
        "accepted",
        "accepted_time",
        "end",
        "n",
        "seconds",
        "minutes",
        "days",
        "skipped",
        "planned",
        "last",
        "deadline",
        "term",
        "why",
    ];
    NAMES.into_iter().find(|n| *n == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::ProductionCalendar;
    use crate::deadline::{compute, DeadlineRules, Suspension};
    use crate::term::{Term, TermUnit};
    use jiff::Timestamp;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_note_reads_back_into_its_values() {
        let p = parts(
            "5 working day(s) counted from Mon 2026-03-23, 3 day(s) off skipped: planned Wed 2026-04-01",
        )
        .unwrap();
        assert_eq!(p.key, "working-days");
        assert_eq!(
            p.args,
            vec![
                ("n", "5".to_string()),
                ("start", "2026-03-23".to_string()),
                ("skipped", "3".to_string()),
                ("planned", "2026-04-01".to_string()),
            ]
        );
        let p = parts("term 2 hours").unwrap();
        assert_eq!(p.key, "term");
        assert_eq!(parts("something else entirely"), None);
        assert_eq!(parts("term 2 hours and more"), None);
    }

    /// Every note `compute` writes, for every unit, every rule of acceptance, suspensions and
    /// the State Corporation's paper, is one of the sentences.
    #[test]
    fn every_note_compute_writes_reads_back() {
        let cal = ProductionCalendar::kazakhstan();
        let received = [
            "2026-03-20T05:00:00Z", // Fri 10:00: within the hours
            "2026-03-20T02:00:00Z", // Fri 07:00: before the start
            "2026-03-20T14:00:00Z", // Fri 19:00: after the end
            "2026-03-21T05:00:00Z", // Sat: a day off
        ];
        let units = [
            Term::new(5, TermUnit::WorkingDays),
            Term::new(15, TermUnit::CalendarDays),
            Term::new(9, TermUnit::CalendarDays),
            Term::new(0, TermUnit::WorkingDays),
            Term::new(2, TermUnit::Hours),
            Term::new(30, TermUnit::Minutes),
        ];
        let suspended = [Suspension {
            from: at("2026-03-26T05:00:00Z"),
            until: at("2026-03-30T05:00:00Z"),
        }];
        let mut keys = std::collections::BTreeSet::new();
        for r in received {
            for term in units {
                for (counted, paper) in [(false, false), (true, false), (false, true)] {
                    for s in [&[][..], &suspended[..]] {
                        let rules = DeadlineRules {
                            acceptance_day_counted: counted,
                            paper_via_state_corp: paper,
                            ..DeadlineRules::default()
                        };
                        let d = compute(&cal, at(r), term, &rules, s);
                        for rule in &d.derivation.rules {
                            let p = parts(&rule.note)
                                .unwrap_or_else(|| panic!("rule {}: {}", rule.rule, rule.note));
                            keys.insert(p.key);
                        }
                    }
                }
            }
        }
        let all: std::collections::BTreeSet<&str> = SENTENCES.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, all, "every sentence is written by some case");
    }
}
