//! What a receipt's seal covers (001 §15.5–6, ADR 0021): the fields a reader of a paper receipt
//! checks — its id and kind, the application, when it was applied for, the date the result will
//! be issued, the office, the documents accepted and those missing — as one compact, canonical
//! line. The server signs the line with its sealing key; the QR code carries line and signature,
//! so that anyone with the published key verifies the receipt offline, and a changed date or
//! document breaks it. Pure: building and reading the line; signing is the signature crate's.
//!
//! The line: `QZR1|id|kind|application|applied_at|issue_date|office|accepted|missing`, absent
//! values as `-`, document codes joined by `,`, the moment in UTC seconds (RFC 3339).

use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The version tag that opens every sealed line.
pub const VERSION: &str = "QZR1";

/// An acceptance receipt (the documents accepted) or a refusal receipt (the documents missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptKind {
    Acceptance,
    Refusal,
}

impl ReceiptKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptKind::Acceptance => "acceptance",
            ReceiptKind::Refusal => "refusal",
        }
    }

    pub fn parse(s: &str) -> Option<ReceiptKind> {
        match s {
            "acceptance" => Some(ReceiptKind::Acceptance),
            "refusal" => Some(ReceiptKind::Refusal),
            _ => None,
        }
    }
}

/// The sealed fields of a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The receipt's public id.
    pub id: String,
    pub kind: ReceiptKind,
    /// The application's number (an acceptance receipt).
    pub application: Option<String>,
    /// When the application was made (001 §15.5(c)); to the second.
    pub applied_at: Timestamp,
    /// When the result will be issued (001 §15.5(d)).
    pub issue_date: Option<Date>,
    /// The office's code.
    pub office: String,
    /// The documents' codes, in the passport's order.
    pub accepted: Vec<String>,
    pub missing: Vec<String>,
}

/// Why a line cannot be made or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    /// A value holds a separator (`|`, `,`), is empty, or is `-`: it could not be read back
    /// unambiguously.
    #[error("{0}: not a value a sealed line can hold")]
    Value(&'static str),
    /// Not a sealed line of this version.
    #[error("not a qyzmet receipt line ({0})")]
    Malformed(&'static str),
}

fn plain(field: &'static str, v: &str) -> Result<(), ReceiptError> {
    if v.is_empty() || v == "-" || v.contains(['|', ',']) || v.chars().any(char::is_control) {
        Err(ReceiptError::Value(field))
    } else {
        Ok(())
    }
}

fn codes(field: &'static str, v: &[String]) -> Result<String, ReceiptError> {
    for c in v {
        plain(field, c)?;
    }
    Ok(if v.is_empty() {
        "-".into()
    } else {
        v.join(",")
    })
}

impl Sealed {
    /// The canonical line the seal signs.
    pub fn line(&self) -> Result<String, ReceiptError> {
        plain("id", &self.id)?;
        plain("office", &self.office)?;
        if let Some(a) = &self.application {
            plain("application", a)?;
        }
        let at = Timestamp::from_second(self.applied_at.as_second())
            .map_err(|_| ReceiptError::Value("applied_at"))?;
        Ok(format!(
            "{VERSION}|{}|{}|{}|{}|{}|{}|{}|{}",
            self.id,
            self.kind.as_str(),
            self.application.as_deref().unwrap_or("-"),
            at,
            self.issue_date
                .map_or_else(|| "-".into(), |d| d.to_string()),
            self.office,
            codes("accepted", &self.accepted)?,
            codes("missing", &self.missing)?,
        ))
    }

    /// Reads a line back.
    pub fn parse(line: &str) -> Result<Sealed, ReceiptError> {
        let parts: Vec<&str> = line.split('|').collect();
        let [version, id, kind, application, at, issue, office, accepted, missing] = parts[..]
        else {
            return Err(ReceiptError::Malformed("fields"));
        };
        if version != VERSION {
            return Err(ReceiptError::Malformed("version"));
        }
        let opt = |s: &str| (s != "-").then(|| s.to_string());
        let list = |s: &str| -> Vec<String> {
            if s == "-" {
                Vec::new()
            } else {
                s.split(',').map(str::to_string).collect()
            }
        };
        let sealed = Sealed {
            id: id.into(),
            kind: ReceiptKind::parse(kind).ok_or(ReceiptError::Malformed("kind"))?,
            application: opt(application),
            applied_at: at
                .parse()
                .map_err(|_| ReceiptError::Malformed("applied_at"))?,
            issue_date: match issue {
                "-" => None,
                d => Some(
                    d.parse()
                        .map_err(|_| ReceiptError::Malformed("issue_date"))?,
                ),
            },
            office: office.into(),
            accepted: list(accepted),
            missing: list(missing),
        };
        // Only canonical lines are read: what would be written again is what was read.
        if sealed.line().as_deref() != Ok(line) {
            return Err(ReceiptError::Malformed("not canonical"));
        }
        Ok(sealed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn sample() -> Sealed {
        Sealed {
            id: "2f6c1a52-0c0e-4a57-9a52-2b8a3b1f0a11".into(),
            kind: ReceiptKind::Acceptance,
            application: Some("2612-0000-0042-5".into()),
            applied_at: "2026-12-07T05:10:42.731Z".parse().unwrap(),
            issue_date: Some(date(2026, 12, 22)),
            office: "AST-01".into(),
            accepted: vec!["application".into(), "id".into()],
            missing: vec![],
        }
    }

    #[test]
    fn the_line_is_compact_and_reads_back() {
        let line = sample().line().unwrap();
        assert_eq!(
            line,
            "QZR1|2f6c1a52-0c0e-4a57-9a52-2b8a3b1f0a11|acceptance|2612-0000-0042-5|\
             2026-12-07T05:10:42Z|2026-12-22|AST-01|application,id|-"
        );
        let back = Sealed::parse(&line).unwrap();
        assert_eq!(back.applied_at, "2026-12-07T05:10:42Z".parse().unwrap());
        assert_eq!(back.line().unwrap(), line);
    }

    #[test]
    fn a_refusal_has_no_application_and_names_the_missing() {
        let r = Sealed {
            kind: ReceiptKind::Refusal,
            application: None,
            issue_date: None,
            accepted: vec!["id".into()],
            missing: vec!["application".into(), "privilege".into()],
            applied_at: "2026-12-07T05:10:42Z".parse().unwrap(),
            ..sample()
        };
        let line = r.line().unwrap();
        assert!(
            line.ends_with("|refusal|-|2026-12-07T05:10:42Z|-|AST-01|id|application,privilege"),
            "{line}"
        );
        assert_eq!(Sealed::parse(&line).unwrap(), r);
    }

    #[test]
    fn values_that_could_not_be_read_back_are_refused() {
        let mut s = sample();
        s.accepted = vec!["a,b".into()];
        assert_eq!(s.line(), Err(ReceiptError::Value("accepted")));
        let mut s = sample();
        s.office = "A|B".into();
        assert_eq!(s.line(), Err(ReceiptError::Value("office")));
        for bad in [
            "QZR2|x|acceptance|-|2026-12-07T05:10:42Z|-|AST-01|-|-",
            "QZR1|x|gift|-|2026-12-07T05:10:42Z|-|AST-01|-|-",
            "QZR1|x|acceptance|-|yesterday|-|AST-01|-|-",
            "QZR1|x|acceptance|-|2026-12-07T05:10:42.5Z|-|AST-01|-|-",
            "QZR1|x|acceptance",
        ] {
            assert!(Sealed::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn every_line_reads_back_to_itself(
            id in "[a-z0-9-]{1,36}", refusal in any::<bool>(), app in proptest::option::of("[0-9-]{1,20}"),
            secs in 1_600_000_000i64..2_000_000_000, days in proptest::option::of(0i32..3000),
            office in "[A-Z0-9-]{1,12}",
            accepted in proptest::collection::vec("[a-z_0-9]{1,12}", 0..6),
            missing in proptest::collection::vec("[a-z_0-9]{1,12}", 0..6),
        ) {
            prop_assume!(id != "-" && office != "-");
            let s = Sealed {
                id, kind: if refusal { ReceiptKind::Refusal } else { ReceiptKind::Acceptance },
                application: app.filter(|a| a != "-"),
                applied_at: Timestamp::from_second(secs).unwrap(),
                issue_date: days.map(|d| date(2026, 1, 1).checked_add(jiff::Span::new().days(d)).unwrap()),
                office, accepted, missing,
            };
            let line = s.line().unwrap();
            prop_assert_eq!(Sealed::parse(&line).unwrap(), s);
        }
    }
}
