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
//! rows left wholly empty are not saved.

use crate::app::AppError;
use qyzmet_domain::passport::{
    Automation, Complaints, Day, Delivery, DocumentForm, Expedited, Fee, Ground, LegalReference,
    LifeSituation, Passport, ProviderPlace, Recipients, RequiredDocument, ResultForm, Schedule,
    ServiceResult, StageNotice, TermStart, Terms, Texts, LIST_MAX,
};
use qyzmet_domain::stage::Stage;
use qyzmet_domain::working_hours::WorkingHours;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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

fn names<T: Serialize>(vs: &[T]) -> Vec<String> {
    vs.iter().map(name_of).collect()
}

fn parse_enum<T: DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_string())).ok()
}

fn number<T: ToString>(n: Option<T>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn texts_blank(ts: &[&Texts]) -> bool {
    ts.iter().all(|t| t.is_blank())
}

fn lines_blank(ls: &[&str]) -> bool {
    ls.iter().all(|l| l.trim().is_empty())
}

impl PassportForm {
    /// The form of `passport`, opened from the draft's `revision` (none for a new draft).
    pub fn of(passport: &Passport, revision: Option<i64>) -> PassportForm {
        let row = Row::default;
        let p = passport;
        let mut f = PassportForm {
            revision: number(revision),
            providers: p
                .providers
                .iter()
                .map(|v| ProviderRow {
                    row: row(),
                    organization: v.organization.clone(),
                    address: v.address.clone(),
                    days: names(&v.schedule.days),
                    hours: v.schedule.hours.to_string(),
                    breaks: v
                        .schedule
                        .breaks
                        .iter()
                        .map(|b| BreakRow {
                            row: row(),
                            hours: b.to_string(),
                        })
                        .collect(),
                    note: v.schedule.note.clone(),
                })
                .collect(),
            automation: name_of(&p.automation),
            legal_basis: p
                .legal_basis
                .iter()
                .map(|r| LegalRow {
                    row: row(),
                    act: r.act.clone(),
                    article: r.article.clone(),
                })
                .collect(),
            information_sources: p.information_sources.clone(),
            result_name: p.result.name.clone(),
            result_forms: names(&p.result.forms),
            individuals: p.recipients.individuals,
            legal_entities: p.recipients.legal_entities,
            recipients: p.recipients.description.clone(),
            counted_from: name_of(&p.terms.counted_from),
            max_wait: number(p.terms.max_wait_minutes),
            max_service: number(p.terms.max_service_minutes),
            terms_other: p.terms.other.clone(),
            paid: p.fee.paid,
            amount: number(p.fee.amount_kzt),
            fee_description: p.fee.description.clone(),
            payment_form: p.fee.payment_form.clone(),
            receipt: p.fee.receipt.clone(),
            expedited: p.expedited.is_some(),
            expedited_amount: number(p.expedited.as_ref().and_then(|e| e.amount_kzt)),
            expedited_conditions: p
                .expedited
                .as_ref()
                .map(|e| e.conditions.clone())
                .unwrap_or_default(),
            pre_registration: p.pre_registration.is_some(),
            pre_registration_text: p.pre_registration.clone().unwrap_or_default(),
            place_conditions: p.place_conditions.clone(),
            information_online: p.information_online,
            life_situations: names(&p.life_situations),
            documents: p
                .documents
                .iter()
                .map(|d| DocumentRow {
                    row: row(),
                    code: d.code.clone(),
                    name: d.name.clone(),
                    form: name_of(&d.form),
                    copies: d.copies.to_string(),
                    who: d.who.clone(),
                    from_system: d.from_system.clone().unwrap_or_default(),
                    requirements: d.requirements.clone(),
                })
                .collect(),
            forms: p.forms.clone(),
            where_to_submit: p.where_to_submit.clone(),
            internal_procedure: p.internal_procedure.clone(),
            confirmation: p.confirmation.clone(),
            delivery: names(&p.delivery),
            suspension_grounds: ground_rows(&p.suspension_grounds),
            refusal_grounds: ground_rows(&p.refusal_grounds),
            principles: p.principles.clone(),
            complaints: p.complaints.clone(),
            appeal_organization: p.complaints.appeal_organization.clone().unwrap_or_default(),
            informing: p
                .informing
                .iter()
                .map(|n| NoticeRow {
                    row: row(),
                    stage: name_of(&n.stage),
                    message: n.message.clone(),
                })
                .collect(),
            extensions: p
                .extensions
                .iter()
                .map(|(name, text)| ExtensionRow {
                    row: row(),
                    name: name.clone(),
                    text: text.clone(),
                })
                .collect(),
        };
        f.number_rows();
        f
    }

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

    /// The passport the form holds, and the refusals of what it could not read (a number that
    /// is none, hours written wrong, a choice not offered), each at its control's path under
    /// `passport.`; what could not be read is left out of the passport.
    pub fn passport(&self) -> (Passport, Vec<AppError>) {
        let mut errors = Vec::new();
        let mut fail = |path: &str, code: &str| {
            errors.push(AppError::invalid(format!("passport.{path}"), code));
        };
        let providers = self
            .providers
            .iter()
            .map(|v| {
                let p = &v.row.p;
                let hours = match v.hours.trim() {
                    "" => {
                        fail(&format!("{p}.schedule.hours"), "required");
                        None
                    }
                    h => h.parse::<WorkingHours>().ok().or_else(|| {
                        fail(&format!("{p}.schedule.hours"), "working_hours_invalid");
                        None
                    }),
                };
                let breaks = v
                    .breaks
                    .iter()
                    .filter_map(|b| {
                        b.hours.trim().parse::<WorkingHours>().ok().or_else(|| {
                            fail(&b.row.p, "working_hours_invalid");
                            None
                        })
                    })
                    .collect();
                ProviderPlace {
                    organization: v.organization.trim().to_string(),
                    address: v.address.clone(),
                    schedule: Schedule {
                        days: v.days.iter().filter_map(|d| parse_enum::<Day>(d)).collect(),
                        hours: hours.unwrap_or_else(default_hours),
                        breaks,
                        note: v.note.clone(),
                    },
                }
            })
            .collect();
        let automation = parse_enum::<Automation>(&self.automation).unwrap_or_else(|| {
            fail("automation", "enum_invalid");
            Automation::default()
        });
        let counted_from = parse_enum::<TermStart>(&self.counted_from).unwrap_or_else(|| {
            fail("terms.counted_from", "enum_invalid");
            TermStart::default()
        });
        let documents = self
            .documents
            .iter()
            .map(|d| {
                let p = &d.row.p;
                let form = parse_enum::<DocumentForm>(&d.form).unwrap_or_else(|| {
                    fail(&format!("{p}.form"), "enum_invalid");
                    DocumentForm::default()
                });
                let copies = match d.copies.trim() {
                    "" => 1,
                    c => c.parse::<u8>().unwrap_or_else(|_| {
                        fail(&format!("{p}.copies"), "number_invalid");
                        1
                    }),
                };
                RequiredDocument {
                    code: d.code.trim().to_string(),
                    name: d.name.clone(),
                    form,
                    copies,
                    who: d.who.clone(),
                    from_system: Some(d.from_system.trim().to_string()).filter(|s| !s.is_empty()),
                    requirements: d.requirements.clone(),
                }
            })
            .collect();
        let informing = self
            .informing
            .iter()
            .filter_map(|n| match parse_enum::<Stage>(&n.stage) {
                Some(stage) => Some(StageNotice {
                    stage,
                    message: n.message.clone(),
                }),
                None => {
                    fail(&format!("{}.stage", n.row.p), "enum_invalid");
                    None
                }
            })
            .collect();
        let mut opt_number = |path: &str, s: &str| -> Option<u64> {
            let s = s.trim().replace([' ', '\u{a0}'], "");
            if s.is_empty() {
                return None;
            }
            s.parse::<u64>().ok().or_else(|| {
                fail(path, "number_invalid");
                None
            })
        };
        let max_wait = opt_number("terms.max_wait_minutes", &self.max_wait);
        let max_service = opt_number("terms.max_service_minutes", &self.max_service);
        let amount = opt_number("fee.amount_kzt", &self.amount);
        let expedited_amount = opt_number("expedited.amount_kzt", &self.expedited_amount);
        let minutes = |m: Option<u64>| m.map(|m| u32::try_from(m).unwrap_or(u32::MAX));
        let mut extensions = BTreeMap::new();
        for x in &self.extensions {
            extensions.insert(x.name.trim().to_string(), x.text.clone());
        }
        let passport = Passport {
            providers,
            automation,
            legal_basis: self
                .legal_basis
                .iter()
                .map(|r| LegalReference {
                    act: r.act.clone(),
                    article: r.article.trim().to_string(),
                })
                .collect(),
            information_sources: self.information_sources.clone(),
            result: ServiceResult {
                name: self.result_name.clone(),
                forms: chosen::<ResultForm>(&self.result_forms),
            },
            recipients: Recipients {
                individuals: self.individuals,
                legal_entities: self.legal_entities,
                description: self.recipients.clone(),
            },
            terms: Terms {
                counted_from,
                max_wait_minutes: minutes(max_wait),
                max_service_minutes: minutes(max_service),
                other: self.terms_other.clone(),
            },
            fee: Fee {
                paid: self.paid,
                amount_kzt: amount,
                description: self.fee_description.clone(),
                payment_form: self.payment_form.clone(),
                receipt: self.receipt.clone(),
            },
            expedited: self.expedited.then(|| Expedited {
                amount_kzt: expedited_amount,
                conditions: self.expedited_conditions.clone(),
            }),
            pre_registration: self
                .pre_registration
                .then(|| self.pre_registration_text.clone()),
            place_conditions: self.place_conditions.clone(),
            information_online: self.information_online,
            life_situations: chosen::<LifeSituation>(&self.life_situations),
            documents,
            forms: self.forms.clone(),
            where_to_submit: self.where_to_submit.clone(),
            internal_procedure: self.internal_procedure.clone(),
            confirmation: self.confirmation.clone(),
            delivery: chosen::<Delivery>(&self.delivery),
            suspension_grounds: grounds(&self.suspension_grounds),
            refusal_grounds: grounds(&self.refusal_grounds),
            principles: self.principles.clone(),
            complaints: Complaints {
                appeal_organization: Some(self.appeal_organization.trim().to_string())
                    .filter(|o| !o.is_empty()),
                ..self.complaints.clone()
            },
            informing,
            extensions,
        };
        (passport, errors)
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

/// The working hours a place is given while its own cannot be read.
fn default_hours() -> WorkingHours {
    "09:00-18:00".parse().expect("valid hours")
}

/// The values of a set of checkboxes that are values of `T`, in `T`'s order, once each.
fn chosen<T: DeserializeOwned + Ord>(sent: &[String]) -> Vec<T> {
    let mut v: Vec<T> = sent.iter().filter_map(|s| parse_enum(s)).collect();
    v.sort();
    v.dedup();
    v
}

fn ground_rows(gs: &[Ground]) -> Vec<GroundRow> {
    gs.iter()
        .map(|g| GroundRow {
            row: Row::default(),
            code: g.code.clone(),
            text: g.text.clone(),
            legal_reference: g.legal_reference.clone(),
        })
        .collect()
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

fn grounds(rows: &[GroundRow]) -> Vec<Ground> {
    rows.iter()
        .map(|g| Ground {
            code: g.code.trim().to_string(),
            text: g.text.clone(),
            legal_reference: g.legal_reference.trim().to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> Passport {
        let json = r#"{
          "providers": [{"organization": "MIN", "address": {"kk": "мекенжай", "ru": "адрес"},
             "schedule": {"days": ["mon", "fri"], "hours": "09:00-18:30", "breaks": ["13:00-14:00"],
                          "note": {"ru": "суббота"}}}],
          "automation": "fully",
          "legal_basis": [{"act": {"kk": "заң", "ru": "закон"}, "article": "10"}],
          "information_sources": {"ru": "egov"},
          "result": {"name": {"ru": "справка"}, "forms": ["paper", "electronic"]},
          "recipients": {"individuals": true, "legal_entities": true, "description": {"ru": "все"}},
          "terms": {"counted_from": "application", "max_wait_minutes": 15},
          "fee": {"paid": true, "amount_kzt": 1500, "payment_form": {"ru": "банк"}},
          "expedited": {"amount_kzt": 3000, "conditions": {"ru": "за день"}},
          "pre_registration": {"ru": "через портал"},
          "place_conditions": {"ru": "пандус"},
          "information_online": true,
          "life_situations": ["housing", "archives"],
          "documents": [{"code": "id", "name": {"ru": "удостоверение"},
             "form": "original_for_identification", "copies": 2, "from_system": "ГБД ФЛ"}],
          "forms": {"ru": "бланк"}, "where_to_submit": {"ru": "окно 1"},
          "internal_procedure": {"ru": "порядок"}, "confirmation": {"ru": "расписка"},
          "delivery": ["in_person", "email"],
          "suspension_grounds": [{"code": "s1", "text": {"ru": "основание"}, "legal_reference": "ст. 1"}],
          "refusal_grounds": [{"code": "r1", "text": {"ru": "отказ"}, "legal_reference": "ст. 2"}],
          "principles": {"ru": "принципы"},
          "complaints": {"help": {"ru": "1414"}, "appeal": {"ru": "министерство"},
             "appeal_organization": "MIN", "improper_service": {"ru": "руководитель"},
             "documents": {"ru": "жалоба"}, "acknowledgement": {"ru": "талон"}},
          "informing": [{"stage": "ready_for_issue", "message": {"ru": "Заявка {number} готова"}}],
          "extensions": {"digital": {"ru": "цифровой"}}
        }"#;
        serde_json::from_str(json).unwrap()
    }

    /// The pairs a browser sends for `form` (003 §1–26): every control of the page.
    fn pairs(p: &Passport) -> Vec<(String, String)> {
        let mut out = vec![];
        let v = serde_json::to_value(p).unwrap();
        flatten("", &v, &mut out);
        out
    }

    fn flatten(path: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        use serde_json::Value as V;
        let at = |k: &str| {
            if path.is_empty() {
                k.to_string()
            } else {
                format!("{path}.{k}")
            }
        };
        match v {
            V::Object(m) => {
                for (k, x) in m {
                    flatten(&at(k), x, out);
                }
            }
            V::Array(xs) if xs.iter().all(|x| x.is_string()) => {
                let list = path.ends_with("days")
                    || path.ends_with("forms")
                    || path == "delivery"
                    || path == "life_situations";
                for (i, x) in xs.iter().enumerate() {
                    let k = if list {
                        path.to_string()
                    } else {
                        format!("{path}[{i}]")
                    };
                    out.push((k, x.as_str().unwrap().to_string()));
                }
            }
            V::Array(xs) => {
                for (i, x) in xs.iter().enumerate() {
                    flatten(&format!("{path}[{i}]"), x, out);
                }
            }
            V::Bool(true) => out.push((path.to_string(), "1".into())),
            V::Bool(false) | V::Null => {}
            V::String(s) => out.push((path.to_string(), s.clone())),
            V::Number(n) => out.push((path.to_string(), n.to_string())),
        }
    }

    #[test]
    fn a_passport_goes_to_the_form_and_back_unchanged() {
        let p = complete();
        let (back, errors) = PassportForm::of(&p, Some(3)).passport();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(back, p);
    }

    #[test]
    fn a_form_as_sent_reads_back_as_the_passport() {
        let p = complete();
        let mut sent = pairs(&p);
        // Extensions are rows of name and text; offered options are marked.
        sent.retain(|(k, _)| !k.starts_with("extensions.") && !k.starts_with("expedited"));
        sent.push(("extensions[0].name".into(), "digital".into()));
        sent.push(("extensions[0].text.ru".into(), "цифровой".into()));
        sent.push(("expedited.offered".into(), "1".into()));
        sent.push(("expedited.amount_kzt".into(), "3 000".into()));
        sent.push(("expedited.conditions.ru".into(), "за день".into()));
        sent.push(("pre_registration.offered".into(), "1".into()));
        let mut f = PassportForm::read(&Sent::new(sent));
        f.tidy(true);
        let (back, errors) = f.passport();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(back, p);
    }

    #[test]
    fn rows_are_added_removed_and_empty_ones_left_out() {
        let mut f = PassportForm::of(&complete(), None);
        assert!(f.add("documents"));
        assert!(f.add("providers[0].schedule.breaks"));
        assert!(!f.add("providers[7].schedule.breaks"));
        assert!(!f.add("nothing"));
        assert_eq!(f.documents[1].row.p, "documents[1]");
        assert!(f.documents[1].row.fresh);
        assert_eq!(
            f.providers[0].breaks[1].row.p,
            "providers[0].schedule.breaks[1]"
        );
        f.documents[0].row.remove = true;
        f.tidy(false);
        assert_eq!(f.documents.len(), 1, "the empty row stays while editing");
        f.tidy(true);
        assert!(f.documents.is_empty());
        assert_eq!(f.providers[0].breaks.len(), 1);
    }

    #[test]
    fn what_cannot_be_read_is_refused_at_its_control() {
        let mut f = PassportForm::of(&complete(), None);
        f.documents[0].copies = "two".into();
        f.providers[0].hours = "9-18".into();
        f.providers[0].breaks[0].hours = String::new();
        f.max_wait = "1.5".into();
        let (_, errors) = f.passport();
        let got: Vec<_> = errors
            .iter()
            .map(|e| (e.field.clone().unwrap(), e.code.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "passport.providers[0].schedule.hours".into(),
                    "working_hours_invalid"
                ),
                (
                    "passport.providers[0].schedule.breaks[0]".into(),
                    "working_hours_invalid"
                ),
                ("passport.documents[0].copies".into(), "number_invalid"),
                ("passport.terms.max_wait_minutes".into(), "number_invalid"),
            ]
        );
    }

    #[test]
    fn problems_are_listed_as_the_form_is_read() {
        assert!(place_of("terms.max_wait_minutes") < place_of("documents[0].code"));
        assert!(place_of("documents[0].name.kk") < place_of("documents[1].code"));
        assert!(place_of("providers[3].schedule.hours") < place_of("automation"));
    }

    #[test]
    fn an_extensions_problem_finds_its_row() {
        let f = PassportForm::of(&complete(), None);
        assert_eq!(
            f.path_of("extensions.digital.kk", "text_bidi_control"),
            "extensions[0].text.kk"
        );
        assert_eq!(
            f.path_of("extensions.digital", "bad_code"),
            "extensions[0].name"
        );
        assert_eq!(
            f.path_of("documents[0].code", "bad_code"),
            "documents[0].code"
        );
    }
}
