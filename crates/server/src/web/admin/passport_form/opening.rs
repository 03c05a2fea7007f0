//! The editor's form filled from a passport: the draft's, the newest edition's, or nobody's.

use super::{name_of, BreakRow, DocumentRow, ExtensionRow, GroundRow, LegalRow, NoticeRow};
use super::{PassportForm, ProviderRow, Row};
use qyzmet_domain::passport::{Ground, Passport};
use serde::Serialize;

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

fn names<T: Serialize>(vs: &[T]) -> Vec<String> {
    vs.iter().map(name_of).collect()
}

fn number<T: ToString>(n: Option<T>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}
