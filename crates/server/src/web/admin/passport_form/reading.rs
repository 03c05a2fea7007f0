//! The passport out of the editor's form: what the controls hold, read as a [`Passport`],
//! with the refusals of what could not be read (a number that is none, hours written wrong, a
//! choice not offered), each at its control's path.

use super::{parse_enum, GroundRow, PassportForm};
use crate::app::AppError;
use qyzmet_domain::passport::{
    Automation, Complaints, Day, Delivery, DocumentForm, Expedited, Fee, Ground, LegalReference,
    LifeSituation, Passport, ProviderPlace, Recipients, RequiredDocument, ResultForm, Schedule,
    ServiceResult, StageNotice, TermStart, Terms,
};
use qyzmet_domain::stage::Stage;
use qyzmet_domain::working_hours::WorkingHours;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

impl PassportForm {
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

fn grounds(rows: &[GroundRow]) -> Vec<Ground> {
    rows.iter()
        .map(|g| Ground {
            code: g.code.trim().to_string(),
            text: g.text.clone(),
            legal_reference: g.legal_reference.trim().to_string(),
        })
        .collect()
}
