//! A paper package's way between the office and the provider (001 §15.9, ADR 0021): its
//! barcode, and the order of its scans — handed to the provider, received back, passed to the
//! issue desk, issued to the applicant, or returned to the provider unclaimed (001 §20). Each
//! scan is an event of the application's history; the order is this pure state machine, so a
//! scan out of order is refused with what was expected, and a scan already made is told so.

use crate::ids::ApplicationNumber;
use crate::stage::{Outcome, Stage};
use serde::{Deserialize, Serialize};

/// What a scan records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scan {
    /// (i) handed to the provider.
    ToProvider,
    /// (ii) received from the provider, the result inside.
    FromProvider,
    /// (iii) passed to the issue desk.
    ToIssueDesk,
    /// (iv) issued to the applicant.
    Issued,
    /// Returned to the provider as unclaimed (001 §20).
    Returned,
}

impl Scan {
    pub const ALL: [Scan; 5] = [
        Scan::ToProvider,
        Scan::FromProvider,
        Scan::ToIssueDesk,
        Scan::Issued,
        Scan::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scan::ToProvider => "to_provider",
            Scan::FromProvider => "from_provider",
            Scan::ToIssueDesk => "to_issue_desk",
            Scan::Issued => "issued",
            Scan::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<Scan> {
        Scan::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for Scan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a package is, after the scans so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Whereabouts {
    /// Accepted, at the office, not yet handed over.
    AtOffice,
    WithProvider,
    /// Back from the provider, at the office.
    BackAtOffice,
    AtIssueDesk,
    /// Handed to the applicant: its way is over.
    Issued,
    /// Returned to the provider unclaimed: its way is over.
    ReturnedUnclaimed,
}

/// Why a scan is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanRefused {
    /// This scan was already made (a second reader, a retry): nothing more is recorded.
    #[error("already scanned")]
    Already,
    /// Not the package's next step: `expected` lists what may come now (none: its way is over).
    #[error("out of order")]
    OutOfOrder { expected: Vec<Scan> },
}

/// The scans that may come next at `w`.
pub fn expected(w: Whereabouts) -> Vec<Scan> {
    match w {
        Whereabouts::AtOffice => vec![Scan::ToProvider],
        Whereabouts::WithProvider => vec![Scan::FromProvider],
        Whereabouts::BackAtOffice => vec![Scan::ToIssueDesk, Scan::Issued, Scan::Returned],
        Whereabouts::AtIssueDesk => vec![Scan::Issued, Scan::Returned],
        Whereabouts::Issued | Whereabouts::ReturnedUnclaimed => vec![],
    }
}

/// Where a package at `w` is after `scan`, given the scans it already had (`done`).
pub fn after(w: Whereabouts, done: &[Scan], scan: Scan) -> Result<Whereabouts, ScanRefused> {
    if done.contains(&scan) {
        return Err(ScanRefused::Already);
    }
    if !expected(w).contains(&scan) {
        return Err(ScanRefused::OutOfOrder {
            expected: expected(w),
        });
    }
    Ok(reached(scan))
}

/// Where a package is after an admitted `scan`: each scan leads to one place.
pub fn reached(scan: Scan) -> Whereabouts {
    match scan {
        Scan::ToProvider => Whereabouts::WithProvider,
        Scan::FromProvider => Whereabouts::BackAtOffice,
        Scan::ToIssueDesk => Whereabouts::AtIssueDesk,
        Scan::Issued => Whereabouts::Issued,
        Scan::Returned => Whereabouts::ReturnedUnclaimed,
    }
}

/// The stage a scan stands for (001 §15.9, no second entry): handed to the provider ⇒ sent
/// for execution; issued to the applicant ⇒ closed as issued. The others mark no stage.
pub fn stage_of(scan: Scan) -> Option<(Stage, Option<Outcome>)> {
    match scan {
        Scan::ToProvider => Some((Stage::SentForExecution, None)),
        Scan::Issued => Some((Stage::Closed, Some(Outcome::Issued))),
        Scan::FromProvider | Scan::ToIssueDesk | Scan::Returned => None,
    }
}

/// Where a package is after `scans`, in order; the first refused scan stops it.
pub fn replay(scans: &[Scan]) -> Result<Whereabouts, (usize, ScanRefused)> {
    let mut w = Whereabouts::AtOffice;
    for (i, s) in scans.iter().enumerate() {
        w = after(w, &scans[..i], *s).map_err(|e| (i, e))?;
    }
    Ok(w)
}

/// The prefix of a package's barcode: tells qyzmet's labels from other codes a reader meets
/// (an identity card's, a product's).
pub const PREFIX: &str = "QZ";

/// The barcode text of the package of application `n` (Code 128): the prefix and the
/// application's 13 digits, its Damm check digit included.
pub fn barcode(n: ApplicationNumber) -> String {
    format!("{PREFIX}{:013}", n.as_i64())
}

/// The application a barcode names; `None` for a code that is not a qyzmet package's (the
/// prefix, 13 digits, a valid check digit).
pub fn application_of(code: &str) -> Option<ApplicationNumber> {
    let digits = code.trim().strip_prefix(PREFIX)?;
    if digits.len() != 13 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    ApplicationNumber::parse(digits).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_way_there_and_back_and_to_the_applicant() {
        use Scan::*;
        assert_eq!(
            replay(&[ToProvider, FromProvider, ToIssueDesk, Issued]),
            Ok(Whereabouts::Issued)
        );
        // The issue desk may be the same counter: straight to the applicant.
        assert_eq!(
            replay(&[ToProvider, FromProvider, Issued]),
            Ok(Whereabouts::Issued)
        );
        // Not collected: back to the provider.
        assert_eq!(
            replay(&[ToProvider, FromProvider, ToIssueDesk, Returned]),
            Ok(Whereabouts::ReturnedUnclaimed)
        );
    }

    #[test]
    fn out_of_order_says_what_was_expected_and_a_repeat_is_told() {
        use Scan::*;
        assert_eq!(
            replay(&[FromProvider]),
            Err((
                0,
                ScanRefused::OutOfOrder {
                    expected: vec![ToProvider]
                }
            ))
        );
        assert_eq!(
            replay(&[ToProvider, Issued]),
            Err((
                1,
                ScanRefused::OutOfOrder {
                    expected: vec![FromProvider]
                }
            ))
        );
        assert_eq!(
            replay(&[ToProvider, ToProvider]),
            Err((1, ScanRefused::Already))
        );
        assert_eq!(
            replay(&[ToProvider, FromProvider, Issued, Returned]),
            Err((3, ScanRefused::OutOfOrder { expected: vec![] }))
        );
    }

    #[test]
    fn the_barcode_names_its_application_and_nothing_else_does() {
        let n = ApplicationNumber::from_body(261_200_000_042).unwrap();
        let code = barcode(n);
        assert_eq!(code.len(), 15);
        assert_eq!(code, format!("QZ261200000042{}", n.check_digit()));
        assert_eq!(application_of(&code), Some(n));
        assert_eq!(
            application_of(&format!(" {code}\n")),
            Some(n),
            "a reader's Enter"
        );
        let mut wrong = code.clone().into_bytes();
        let last = wrong.len() - 1;
        wrong[last] = if wrong[last] == b'9' {
            b'0'
        } else {
            wrong[last] + 1
        };
        assert_eq!(
            application_of(&String::from_utf8(wrong).unwrap()),
            None,
            "check digit"
        );
        for other in ["", "QZ", "4870001234567", "QZ12345", "XY2612000000425"] {
            assert_eq!(application_of(other), None, "{other}");
        }
    }

    proptest! {
        /// Whatever the scans, each kind is recorded at most once, and a package's way never
        /// goes on after it was issued or returned.
        #[test]
        fn each_scan_once_and_nothing_after_the_end(
            kinds in proptest::collection::vec(proptest::sample::select(Scan::ALL.to_vec()), 0..8)
        ) {
            let mut w = Whereabouts::AtOffice;
            let mut done: Vec<Scan> = Vec::new();
            for s in kinds {
                let ended = matches!(w, Whereabouts::Issued | Whereabouts::ReturnedUnclaimed);
                match after(w, &done, s) {
                    Ok(next) => {
                        prop_assert!(!ended);
                        prop_assert!(!done.contains(&s));
                        done.push(s);
                        w = next;
                    }
                    Err(ScanRefused::Already) => prop_assert!(done.contains(&s)),
                    Err(ScanRefused::OutOfOrder { expected: e }) => prop_assert!(!e.contains(&s)),
                }
            }
            prop_assert_eq!(replay(&done), Ok(w));
        }
    }
}
