//! The document checklist of an acceptance at the counter (001 §15.1, §15.6, §22): what the
//! service's passport requires of this applicant, what the employee received, and — computed,
//! never typed — what is missing. A package is complete when nothing is missing; otherwise the
//! refusal receipt names exactly the missing documents, so it cannot disagree with the
//! passport.
//!
//! - Documents obtained from an information system (`from_system`) are never asked for (001 §22):
//!   they are not on the checklist, and an entry for one is refused.
//! - A document required only of some applicants (its `who` is not blank) is on the checklist
//!   unless the employee marks it as not applying to this applicant; a document for everyone
//!   cannot be marked so.
//! - A document is received when at least the passport's number of copies is, in its form: a
//!   copy does not stand for a required original (an original stands for a copy); an identity
//!   document shown and handed back counts when shown.

use crate::passport::{DocumentForm, Passport, RequiredDocument};
use serde::{Deserialize, Serialize};

/// One line of the checklist: a document the passport asks this kind of applicant to bring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item<'a> {
    pub document: &'a RequiredDocument,
    /// Asked only of some applicants (the passport's `who`): the employee decides whether it
    /// applies.
    pub conditional: bool,
}

/// The checklist of a passport: its documents less those obtained from information systems.
pub fn items(passport: &Passport) -> Vec<Item<'_>> {
    passport
        .documents_to_bring()
        .map(|d| Item {
            document: d,
            conditional: !d.who.is_blank(),
        })
        .collect()
}

/// What the employee recorded of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presented {
    /// The passport's document code.
    pub code: String,
    /// In which form it was handed over.
    pub form: DocumentForm,
    /// How many.
    pub count: u8,
}

/// Why a presented package cannot be checked: a mistake of the entry, named by its place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChecklistError {
    /// `documents[i]`: no such document in the passport.
    #[error("documents[{0}]: unknown document")]
    Unknown(usize),
    /// `documents[i]`: obtained from an information system, never asked for (001 §22).
    #[error("documents[{0}]: obtained from an information system")]
    FromSystem(usize),
    /// `documents[i]`: the same document twice.
    #[error("documents[{0}]: listed twice")]
    Repeated(usize),
    /// `documents[i]`: a count of zero.
    #[error("documents[{0}]: count must be at least 1")]
    Zero(usize),
    /// `not_applicable[i]`: not a document asked only of some applicants.
    #[error("not_applicable[{0}]: not a conditional document of the passport")]
    NotConditional(usize),
}

/// A document the package lacks, and what of it is lacking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    pub code: String,
    /// Its form as the passport requires it.
    pub form: DocumentForm,
    /// How many the passport requires, and how many of the right form were received.
    pub required: u8,
    pub received: u8,
}

/// A document received, as the acceptance receipt lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Accepted {
    pub code: String,
    pub form: DocumentForm,
    pub count: u8,
}

/// The outcome of checking a package against the passport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Every document received, in the passport's order (also those beyond what it requires).
    pub accepted: Vec<Accepted>,
    /// Every required document not (fully) received, in the passport's order: empty when the
    /// package is complete.
    pub missing: Vec<Missing>,
}

impl Verdict {
    pub fn complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// Whether `got` of a document handed over in form `given` satisfies a requirement of `form`.
fn satisfies(required: DocumentForm, given: DocumentForm) -> bool {
    use DocumentForm::*;
    match required {
        Original => given == Original,
        Copy => matches!(given, Copy | Original),
        OriginalForIdentification => matches!(given, OriginalForIdentification | Original),
    }
}

/// Checks `presented` against `passport`, with the conditional documents in `not_applicable`
/// (codes) not applying to this applicant.
pub fn check(
    passport: &Passport,
    presented: &[Presented],
    not_applicable: &[String],
) -> Result<Verdict, ChecklistError> {
    let find = |code: &str| passport.documents.iter().find(|d| d.code == code);
    for (i, p) in presented.iter().enumerate() {
        let doc = find(&p.code).ok_or(ChecklistError::Unknown(i))?;
        if doc.from_system.is_some() {
            return Err(ChecklistError::FromSystem(i));
        }
        if p.count == 0 {
            return Err(ChecklistError::Zero(i));
        }
        if presented[..i].iter().any(|q| q.code == p.code) {
            return Err(ChecklistError::Repeated(i));
        }
    }
    for (i, code) in not_applicable.iter().enumerate() {
        match find(code) {
            Some(d) if d.from_system.is_none() && !d.who.is_blank() => {}
            _ => return Err(ChecklistError::NotConditional(i)),
        }
    }
    let mut verdict = Verdict {
        accepted: Vec::new(),
        missing: Vec::new(),
    };
    for item in items(passport) {
        let doc = item.document;
        let got = presented.iter().find(|p| p.code == doc.code);
        if let Some(p) = got {
            verdict.accepted.push(Accepted {
                code: p.code.clone(),
                form: p.form,
                count: p.count,
            });
        }
        if item.conditional && not_applicable.contains(&doc.code) {
            continue;
        }
        let received = got
            .filter(|p| satisfies(doc.form, p.form))
            .map_or(0, |p| p.count);
        if received < doc.copies.max(1) {
            verdict.missing.push(Missing {
                code: doc.code.clone(),
                form: doc.form,
                required: doc.copies.max(1),
                received,
            });
        }
    }
    Ok(verdict)
}

/// The code the missing fee is named by in a refusal (no passport document has it: codes of
/// documents are the passport's own, and the editor refuses this one).
pub const FEE: &str = "fee";

/// The payment checked against the passport's fee (001 §15.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeCheck {
    /// Whether the service is paid at all.
    pub paid_service: bool,
    /// The fixed amount, in tenge (none: computed, which the employee checks by the
    /// passport's description).
    pub amount_kzt: Option<u64>,
    /// What the payment document shows.
    pub paid_kzt: Option<u64>,
    /// Whether the payment stands: a free service; a paid one with a payment of at least the
    /// fixed amount, or any payment when the amount is computed.
    pub satisfied: bool,
}

/// Checks the payment shown (`paid_kzt`, from the payment document) against the fee.
pub fn fee(passport: &Passport, paid_kzt: Option<u64>) -> FeeCheck {
    let f = &passport.fee;
    let satisfied = !f.paid
        || match (f.amount_kzt, paid_kzt) {
            (_, None) => false,
            (Some(amount), Some(paid)) => paid >= amount,
            (None, Some(_)) => true,
        };
    FeeCheck {
        paid_service: f.paid,
        amount_kzt: f.amount_kzt.filter(|_| f.paid),
        paid_kzt,
        satisfied,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passport::Texts;
    use proptest::prelude::*;

    fn doc(
        code: &str,
        form: DocumentForm,
        copies: u8,
        who: &str,
        system: bool,
    ) -> RequiredDocument {
        RequiredDocument {
            code: code.into(),
            name: Texts::all(code),
            form,
            copies,
            who: if who.is_empty() {
                Texts::default()
            } else {
                Texts::all(who)
            },
            from_system: system.then(|| "GBD FL".to_string()),
            requirements: Texts::default(),
        }
    }

    fn passport(documents: Vec<RequiredDocument>) -> Passport {
        Passport {
            documents,
            ..Passport::default()
        }
    }

    fn given(code: &str, form: DocumentForm, count: u8) -> Presented {
        Presented {
            code: code.into(),
            form,
            count,
        }
    }

    fn sample() -> Passport {
        use DocumentForm::*;
        passport(vec![
            doc("application", Original, 1, "", false),
            doc("id", OriginalForIdentification, 1, "", false),
            doc("address", Original, 1, "", true),
            doc("privilege", Copy, 2, "persons with privileges", false),
        ])
    }

    #[test]
    fn a_complete_package_lacks_nothing_and_is_listed_as_received() {
        use DocumentForm::*;
        let v = check(
            &sample(),
            &[
                given("privilege", Copy, 2),
                given("application", Original, 1),
                given("id", OriginalForIdentification, 1),
            ],
            &[],
        )
        .unwrap();
        assert!(v.complete(), "{v:?}");
        let codes: Vec<&str> = v.accepted.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(
            codes,
            ["application", "id", "privilege"],
            "the passport's order"
        );
    }

    #[test]
    fn the_refusal_names_what_is_lacking_and_how_much() {
        use DocumentForm::*;
        let v = check(
            &sample(),
            &[given("application", Copy, 1), given("privilege", Copy, 1)],
            &[],
        )
        .unwrap();
        let missing: Vec<(&str, u8, u8)> = v
            .missing
            .iter()
            .map(|m| (m.code.as_str(), m.required, m.received))
            .collect();
        // A copy does not stand for the original; one of two copies is not enough.
        assert_eq!(
            missing,
            [("application", 1, 0), ("id", 1, 0), ("privilege", 2, 1)]
        );
    }

    #[test]
    fn a_conditional_document_may_be_marked_as_not_applying_and_no_other() {
        use DocumentForm::*;
        let got = [given("application", Original, 1), given("id", Original, 1)];
        let v = check(&sample(), &got, &["privilege".into()]).unwrap();
        assert!(v.complete(), "{v:?}");
        assert_eq!(
            check(&sample(), &got, &["application".into()]),
            Err(ChecklistError::NotConditional(0))
        );
        assert_eq!(
            check(&sample(), &got, &["address".into()]),
            Err(ChecklistError::NotConditional(0))
        );
    }

    #[test]
    fn a_paid_service_needs_its_payment_and_a_fixed_fee_in_full() {
        let mut p = passport(vec![]);
        assert!(fee(&p, None).satisfied, "a free service");
        p.fee.paid = true;
        p.fee.amount_kzt = Some(1_476);
        assert!(!fee(&p, None).satisfied);
        assert!(!fee(&p, Some(1_000)).satisfied);
        assert!(fee(&p, Some(1_476)).satisfied);
        // A fee computed by a rate: any payment shown; the employee checks its sum.
        p.fee.amount_kzt = None;
        assert!(fee(&p, Some(1)).satisfied);
        assert!(!fee(&p, None).satisfied);
    }

    #[test]
    fn entries_that_cannot_be_are_refused_by_their_place() {
        use DocumentForm::*;
        let p = sample();
        let ok = given("application", Original, 1);
        assert_eq!(
            check(&p, &[ok.clone(), given("nope", Original, 1)], &[]),
            Err(ChecklistError::Unknown(1))
        );
        assert_eq!(
            check(&p, &[given("address", Original, 1)], &[]),
            Err(ChecklistError::FromSystem(0)),
            "never asked for (001 §22)"
        );
        assert_eq!(
            check(&p, &[ok.clone(), ok.clone()], &[]),
            Err(ChecklistError::Repeated(1))
        );
        assert_eq!(
            check(&p, &[given("id", Original, 0)], &[]),
            Err(ChecklistError::Zero(0))
        );
    }

    fn form() -> impl Strategy<Value = DocumentForm> {
        prop_oneof![
            Just(DocumentForm::Original),
            Just(DocumentForm::Copy),
            Just(DocumentForm::OriginalForIdentification)
        ]
    }

    proptest! {
        /// Of the documents the passport requires of this applicant, each is either received
        /// (enough, in a form that stands for the required one) or missing — never both, never
        /// neither — and a document obtained from an information system is never missing.
        #[test]
        fn received_and_missing_make_up_exactly_what_is_required(
            docs in proptest::collection::vec((form(), 1u8..4, any::<bool>(), any::<bool>()), 1..8),
            got in proptest::collection::vec(proptest::option::of((form(), 1u8..5)), 8),
            skip in proptest::collection::vec(any::<bool>(), 8),
        ) {
            let p = passport(docs.iter().enumerate().map(|(i, (f, n, cond, sys))| {
                doc(&format!("d{i}"), *f, *n, if *cond { "some" } else { "" }, *sys)
            }).collect());
            let presented: Vec<Presented> = p.documents.iter().zip(&got)
                .filter(|(d, _)| d.from_system.is_none())
                .filter_map(|(d, g)| g.map(|(f, n)| given(&d.code, f, n)))
                .collect();
            let not_applicable: Vec<String> = p.documents.iter().zip(&skip)
                .filter(|(d, s)| **s && !d.who.is_blank() && d.from_system.is_none())
                .map(|(d, _)| d.code.clone())
                .collect();
            let v = check(&p, &presented, &not_applicable).unwrap();
            for d in &p.documents {
                let missing = v.missing.iter().any(|m| m.code == d.code);
                if d.from_system.is_some() || not_applicable.contains(&d.code) {
                    prop_assert!(!missing, "{} is not required", d.code);
                    continue;
                }
                let enough = presented.iter().any(|g| {
                    g.code == d.code && satisfies(d.form, g.form) && g.count >= d.copies
                });
                prop_assert_eq!(enough, !missing, "{}", d.code);
            }
            prop_assert_eq!(v.accepted.len(), presented.len());
        }
    }
}
