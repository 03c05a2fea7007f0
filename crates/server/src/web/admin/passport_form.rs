//! The passport editor's form (issue 17; 003 §1–26): a [`Passport`] as the form's fields and
//! back. Each control is named by the path [`Passport::check`] names its field by
//! (`documents[2].name.kk`, `providers[0].schedule.breaks[1]`), so a problem finds its control
//! and the control its problem; a text in three languages is three controls (`….kk`, `….ru`,
//! `….en`), a set of choices one name sent once per checked box.
//!
//! The form keeps what was typed as typed (a number that is none, hours written wrong), so a
//! refused form is shown again as it was sent; [`PassportForm::passport`] reads the passport
//! out of it with the refusals of what it could not read. Repeating groups (providers and
//! their breaks, legal references, documents, grounds, notices, life situations' extensions)
//! grow by one empty row when asked (`add`) and lose the rows whose `remove` box is checked;
//! rows left wholly empty are not saved. The passport into the form: `opening`; out of it:
//! `reading`.

use qyzmet_domain::passport::{Complaints, Texts, LIST_MAX};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;

/// A form as sent: every value of every name, in order.
#[derive(Debug, Default)]
pub struct Sent(HashMap<String, Vec<String>>);

impl Sent {
    pub fn new(pairs: Vec<(String, String)>) -> Sent {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in pairs {
            m.entry(k).or_default().push(v);
        }
        Sent(m)
    }

    /// The first value of `name`, empty when absent.
    pub fn one(&self, name: &str) -> String {
        self.0
            .get(name)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.get(name).cloned().unwrap_or_default()
    }

    /// Whether a checkbox `name` was checked.
    pub fn checked(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    fn texts(&self, path: &str) -> Texts {
        Texts {
            kk: self.one(&format!("{path}.kk")),
            ru: self.one(&format!("{path}.ru")),
            en: self.one(&format!("{path}.en")),
        }
    }

    /// The paths of the rows of the group `path` the form has (`path[0]`, `path[1]`…).
    fn paths(&self, path: &str) -> Vec<String> {
        (0..self.rows(path))
            .map(|i| format!("{path}[{i}]"))
            .collect()
    }

    /// How many rows of the group `path` the form has: one more than the highest index of a
    /// name `path[i]…`, at most [`LIST_MAX`].
    fn rows(&self, path: &str) -> usize {
        let open = format!("{path}[");
        self.0
            .keys()
            .filter_map(|k| k.strip_prefix(&open))
            .filter_map(|rest| rest.split_once(']'))
            .filter_map(|(i, _)| i.parse::<usize>().ok())
            .filter(|i| *i < LIST_MAX)
            .map(|i| i + 1)
            .max()
            .unwrap_or(0)
    }
}

/// A row of a repeating group: its path (`documents[2]`), whether it was just added (its
/// first control takes the focus) and whether its `remove` box was checked.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub p: String,
    /// Its place in the group, from 1.
    pub n: usize,
    pub fresh: bool,
    pub remove: bool,
}

impl Row {
    fn read(sent: &Sent, p: String) -> Row {
        Row {
            remove: sent.checked(&format!("{p}.remove")),
            p,
            n: 0,
            fresh: false,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct BreakRow {
    pub row: Row,
    pub hours: String,
}

/// 003 §1: a place of service.
#[derive(Debug, Clone, Default)]
pub struct ProviderRow {
    pub row: Row,
    pub organization: String,
    pub address: Texts,
    pub days: Vec<String>,
    pub hours: String,
    pub breaks: Vec<BreakRow>,
    pub note: Texts,
}

/// 003 §3.
#[derive(Debug, Clone, Default)]
pub struct LegalRow {
    pub row: Row,
    pub act: Texts,
    pub article: String,
}

/// 003 §11.
#[derive(Debug, Clone, Default)]
pub struct DocumentRow {
    pub row: Row,
    pub code: String,
    pub name: Texts,
    pub form: String,
    pub copies: String,
    pub who: Texts,
    pub from_system: String,
    pub requirements: Texts,
}

/// 003 §17.
#[derive(Debug, Clone, Default)]
pub struct GroundRow {
    pub row: Row,
    pub code: String,
    pub text: Texts,
    pub legal_reference: String,
}

/// 000 §2.
#[derive(Debug, Clone, Default)]
pub struct NoticeRow {
    pub row: Row,
    pub stage: String,
    pub message: Texts,
}

/// A field of a later standard.
#[derive(Debug, Clone, Default)]
pub struct ExtensionRow {
    pub row: Row,
    pub name: String,
    pub text: Texts,
}

/// The passport as the editor's controls hold it.
#[derive(Debug, Clone, Default)]
pub struct PassportForm {
    /// The draft's revision it was opened from; empty when it starts a new draft.
    pub revision: String,
    pub providers: Vec<ProviderRow>,
    pub automation: String,
    pub legal_basis: Vec<LegalRow>,
    pub information_sources: Texts,
    pub result_name: Texts,
    pub result_forms: Vec<String>,
    pub individuals: bool,
    pub legal_entities: bool,
    pub recipients: Texts,
    pub counted_from: String,
    pub max_wait: String,
    pub max_service: String,
    pub terms_other: Texts,
    pub paid: bool,
    pub amount: String,
    pub fee_description: Texts,
    pub payment_form: Texts,
    pub receipt: Texts,
    pub expedited: bool,
    pub expedited_amount: String,
    pub expedited_conditions: Texts,
    pub pre_registration: bool,
    pub pre_registration_text: Texts,
    pub place_conditions: Texts,
    pub information_online: bool,
    pub life_situations: Vec<String>,
    pub documents: Vec<DocumentRow>,
    pub forms: Texts,
    pub where_to_submit: Texts,
    pub internal_procedure: Texts,
    pub confirmation: Texts,
    pub delivery: Vec<String>,
    pub suspension_grounds: Vec<GroundRow>,
    pub refusal_grounds: Vec<GroundRow>,
    pub principles: Texts,
    pub complaints: Complaints,
    pub appeal_organization: String,
    pub informing: Vec<NoticeRow>,
    pub extensions: Vec<ExtensionRow>,
}

/// The snake_case name serde gives a value of an enum.
pub fn name_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn parse_enum<T: DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_string())).ok()
}

fn texts_blank(ts: &[&Texts]) -> bool {
    ts.iter().all(|t| t.is_blank())
}

fn lines_blank(ls: &[&str]) -> bool {
    ls.iter().all(|l| l.trim().is_empty())
}

impl PassportForm {
    /// The form as sent, rows and all (removed and empty ones too: [`Self::tidy`] drops them).
    pub fn read(s: &Sent) -> PassportForm {
        let rows = |path: &str| s.paths(path);
        let mut f = PassportForm {
            revision: s.one("revision"),
            providers: rows("providers")
                .into_iter()
                .map(|p| ProviderRow {
                    organization: s.one(&format!("{p}.organization")),
                    address: s.texts(&format!("{p}.address")),
                    days: s.all(&format!("{p}.schedule.days")),
                    hours: s.one(&format!("{p}.schedule.hours")),
                    breaks: rows(&format!("{p}.schedule.breaks"))
                        .into_iter()
                        .map(|b| BreakRow {
                            hours: s.one(&b),
                            row: Row::read(s, b),
                        })
                        .collect(),
                    note: s.texts(&format!("{p}.schedule.note")),
                    row: Row::read(s, p),
                })
                .collect(),
            automation: s.one("automation"),
            legal_basis: rows("legal_basis")
                .into_iter()
                .map(|p| LegalRow {
                    act: s.texts(&format!("{p}.act")),
                    article: s.one(&format!("{p}.article")),
                    row: Row::read(s, p),
                })
                .collect(),
            information_sources: s.texts("information_sources"),
            result_name: s.texts("result.name"),
            result_forms: s.all("result.forms"),
            individuals: s.checked("recipients.individuals"),
            legal_entities: s.checked("recipients.legal_entities"),
            recipients: s.texts("recipients.description"),
            counted_from: s.one("terms.counted_from"),
            max_wait: s.one("terms.max_wait_minutes"),
            max_service: s.one("terms.max_service_minutes"),
            terms_other: s.texts("terms.other"),
            paid: s.checked("fee.paid"),
            amount: s.one("fee.amount_kzt"),
            fee_description: s.texts("fee.description"),
            payment_form: s.texts("fee.payment_form"),
            receipt: s.texts("fee.receipt"),
            expedited: s.checked("expedited.offered"),
            expedited_amount: s.one("expedited.amount_kzt"),
            expedited_conditions: s.texts("expedited.conditions"),
            pre_registration: s.checked("pre_registration.offered"),
            pre_registration_text: s.texts("pre_registration"),
            place_conditions: s.texts("place_conditions"),
            information_online: s.checked("information_online"),
            life_situations: s.all("life_situations"),
            documents: rows("documents")
                .into_iter()
                .map(|p| DocumentRow {
                    code: s.one(&format!("{p}.code")),
                    name: s.texts(&format!("{p}.name")),
                    form: s.one(&format!("{p}.form")),
                    copies: s.one(&format!("{p}.copies")),
                    who: s.texts(&format!("{p}.who")),
                    from_system: s.one(&format!("{p}.from_system")),
                    requirements: s.texts(&format!("{p}.requirements")),
                    row: Row::read(s, p),
                })
                .collect(),
            forms: s.texts("forms"),
            where_to_submit: s.texts("where_to_submit"),
            internal_procedure: s.texts("internal_procedure"),
            confirmation: s.texts("confirmation"),
            delivery: s.all("delivery"),
            suspension_grounds: read_grounds(s, "suspension_grounds"),
            refusal_grounds: read_grounds(s, "refusal_grounds"),
            principles: s.texts("principles"),
            complaints: Complaints {
                help: s.texts("complaints.help"),
                appeal: s.texts("complaints.appeal"),
                appeal_organization: None,
                improper_service: s.texts("complaints.improper_service"),
                documents: s.texts("complaints.documents"),
                acknowledgement: s.texts("complaints.acknowledgement"),
                other: s.texts("complaints.other"),
            },
            appeal_organization: s.one("complaints.appeal_organization"),
            informing: rows("informing")
                .into_iter()
                .map(|p| NoticeRow {
                    stage: s.one(&format!("{p}.stage")),
                    message: s.texts(&format!("{p}.message")),
                    row: Row::read(s, p),
                })
                .collect(),
            extensions: rows("extensions")
                .into_iter()
                .map(|p| ExtensionRow {
                    name: s.one(&format!("{p}.name")),
                    text: s.texts(&format!("{p}.text")),
                    row: Row::read(s, p),
                })
                .collect(),
        };
        f.number_rows();
        f
    }

    /// Drops the rows whose `remove` box is checked and, when `empty` too, the rows left
    /// wholly empty; then numbers the rest again.
    pub fn tidy(&mut self, empty: bool) {
        let keep = |r: &Row, blank: bool| !(r.remove || (empty && blank));
        self.providers.retain(|v| {
            keep(
                &v.row,
                // The hours a new place is offered with do not make it written.
                v.organization.trim().is_empty()
                    && texts_blank(&[&v.address, &v.note])
                    && v.breaks.iter().all(|b| b.hours.trim().is_empty()),
            )
        });
        for v in &mut self.providers {
            v.breaks.retain(|b| keep(&b.row, b.hours.trim().is_empty()));
        }
        self.legal_basis
            .retain(|r| keep(&r.row, r.act.is_blank() && r.article.trim().is_empty()));
        self.documents.retain(|d| {
            keep(
                &d.row,
                lines_blank(&[&d.code, &d.from_system])
                    && texts_blank(&[&d.name, &d.who, &d.requirements]),
            )
        });
        for g in [&mut self.suspension_grounds, &mut self.refusal_grounds] {
            g.retain(|g| {
                keep(
                    &g.row,
                    lines_blank(&[&g.code, &g.legal_reference]) && g.text.is_blank(),
                )
            });
        }
        self.informing
            .retain(|n| keep(&n.row, n.message.is_blank()));
        self.extensions
            .retain(|x| keep(&x.row, x.name.trim().is_empty() && x.text.is_blank()));
        self.number_rows();
    }

    /// Adds an empty row to the group `group` (`documents`, `providers[1].schedule.breaks`);
    /// `false` when there is no such group or it is full.
    pub fn add(&mut self, group: &str) -> bool {
        fn push<T: Default>(rows: &mut Vec<T>, fresh: impl Fn(&mut T)) -> bool {
            if rows.len() >= LIST_MAX {
                return false;
            }
            let mut r = T::default();
            fresh(&mut r);
            rows.push(r);
            true
        }
        let added = match group {
            "providers" => push(&mut self.providers, |r| {
                r.row.fresh = true;
                r.hours = "09:00-18:00".into();
            }),
            "legal_basis" => push(&mut self.legal_basis, |r| r.row.fresh = true),
            "documents" => push(&mut self.documents, |r| {
                r.row.fresh = true;
                r.copies = "1".into();
            }),
            "suspension_grounds" => push(&mut self.suspension_grounds, |r| r.row.fresh = true),
            "refusal_grounds" => push(&mut self.refusal_grounds, |r| r.row.fresh = true),
            "informing" => push(&mut self.informing, |r| r.row.fresh = true),
            "extensions" => push(&mut self.extensions, |r| r.row.fresh = true),
            other => {
                let Some(i) = other
                    .strip_prefix("providers[")
                    .and_then(|r| r.strip_suffix("].schedule.breaks"))
                    .and_then(|i| i.parse::<usize>().ok())
                else {
                    return false;
                };
                match self.providers.get_mut(i) {
                    Some(v) => push(&mut v.breaks, |r| r.row.fresh = true),
                    None => false,
                }
            }
        };
        self.number_rows();
        added
    }

    /// Gives every row its path by its place.
    fn number_rows(&mut self) {
        for (i, v) in self.providers.iter_mut().enumerate() {
            v.row.p = format!("providers[{i}]");
            v.row.n = i + 1;
            for (j, b) in v.breaks.iter_mut().enumerate() {
                b.row.p = format!("providers[{i}].schedule.breaks[{j}]");
                b.row.n = j + 1;
            }
        }
        let number = |rows: &mut dyn Iterator<Item = &mut Row>, group: &str| {
            for (i, r) in rows.enumerate() {
                r.p = format!("{group}[{i}]");
                r.n = i + 1;
            }
        };
        number(
            &mut self.legal_basis.iter_mut().map(|r| &mut r.row),
            "legal_basis",
        );
        number(
            &mut self.documents.iter_mut().map(|r| &mut r.row),
            "documents",
        );
        number(
            &mut self.suspension_grounds.iter_mut().map(|r| &mut r.row),
            "suspension_grounds",
        );
        number(
            &mut self.refusal_grounds.iter_mut().map(|r| &mut r.row),
            "refusal_grounds",
        );
        number(
            &mut self.informing.iter_mut().map(|r| &mut r.row),
            "informing",
        );
        number(
            &mut self.extensions.iter_mut().map(|r| &mut r.row),
            "extensions",
        );
    }

    /// The form path of a problem's field (`extensions.NAME.kk` → `extensions[i].text.kk`,
    /// `extensions.NAME` → its name when the name is refused, else its text).
    pub fn path_of(&self, field: &str, code: &str) -> String {
        let Some(rest) = field.strip_prefix("extensions.") else {
            return field.to_string();
        };
        let found = self.extensions.iter().find_map(|x| {
            let name = x.name.trim();
            let tail = rest.strip_prefix(name)?;
            (tail.is_empty() || tail.starts_with('.')).then(|| (x.row.p.clone(), tail))
        });
        match found {
            Some((p, "")) if code == "bad_code" => format!("{p}.name"),
            Some((p, tail)) => format!("{p}.text{tail}"),
            None => "extensions".into(),
        }
    }
}

/// The top-level fields in the order the form shows them.
const ORDER: [&str; 25] = [
    "providers",
    "automation",
    "legal_basis",
    "information_sources",
    "result",
    "recipients",
    "terms",
    "fee",
    "expedited",
    "pre_registration",
    "place_conditions",
    "information_online",
    "life_situations",
    "documents",
    "forms",
    "where_to_submit",
    "internal_procedure",
    "confirmation",
    "delivery",
    "suspension_grounds",
    "refusal_grounds",
    "principles",
    "complaints",
    "informing",
    "extensions",
];

/// Where the control of `path` stands in the form: its top-level field's place, then its
/// row's, so that problems are listed as the form is read.
pub fn place_of(path: &str) -> (usize, usize) {
    let top = path.split(['.', '[']).next().unwrap_or(path);
    let rank = ORDER.iter().position(|f| *f == top).unwrap_or(ORDER.len());
    let row = path
        .split_once('[')
        .and_then(|(_, r)| r.split_once(']'))
        .and_then(|(i, _)| i.parse().ok())
        .unwrap_or(0);
    (rank, row)
}

fn read_grounds(s: &Sent, group: &str) -> Vec<GroundRow> {
    (0..s.rows(group))
        .map(|i| format!("{group}[{i}]"))
        .map(|p| GroundRow {
            code: s.one(&format!("{p}.code")),
            text: s.texts(&format!("{p}.text")),
            legal_reference: s.one(&format!("{p}.legal_reference")),
            row: Row::read(s, p),
        })
        .collect()
}

mod opening;
mod reading;
#[cfg(test)]
mod tests;
