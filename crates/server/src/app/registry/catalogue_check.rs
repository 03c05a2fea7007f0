//! The checks of a catalogue file before it is loaded (issue 17, point 2): each record by
//! the rules of the endpoint that writes it one by one (an organization's and a service's
//! requests, the terms' variants, `Passport::check`), and across records (codes unique,
//! versions in order, the organizations a passport names in the file or the registry); each
//! problem named where its reader finds it (`catalogue_io::Origins`).

use super::catalogue_file::{CatalogueFile, Origins, Problem};
use super::organizations::NewOrganizationRequest;
use super::services::{validate_channels, validate_systems, validate_terms};
use crate::app::validate as v;
use crate::app::AppError;
use qyzmet_domain::passport::Strictness;
use qyzmet_store::{
    CatalogueLoad, LoadOrganization, LoadPassport, LoadService, LoadSystem, LoadTerms, NewService,
    Publication, SignaturePolicy, Store,
};
use std::collections::{HashMap, HashSet};

/// Checks every record of `file` by the rules of the endpoints that write it, and names
/// each problem where `origins` says it is.
pub async fn check(
    store: &Store,
    file: &CatalogueFile,
    origins: &Origins,
) -> Result<Result<CatalogueLoad, Vec<Problem>>, AppError> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut load = CatalogueLoad::default();
    let at = |list: &Vec<String>, i: usize| list.get(i).cloned().unwrap_or_default();

    let mut codes: HashSet<&str> = HashSet::new();
    for (i, s) in file.information_systems.iter().enumerate() {
        let here = at(&origins.systems, i);
        let checked = (|| {
            let code = v::text("code", &s.code, 64)?;
            if !codes.insert(s.code.as_str()) {
                return Err(AppError::invalid("code", "duplicate"));
            }
            Ok(qyzmet_store::InformationSystem {
                code,
                name: s.name.validate("name")?,
                operator: optional_line("operator", &s.operator, 500)?,
            })
        })();
        match checked {
            Ok(system) => load.systems.push(LoadSystem { at: here, system }),
            Err(e) => problems.push(Problem::new(here, e)),
        }
    }

    let mut org_codes: HashSet<&str> = HashSet::new();
    let mut orgs: Vec<LoadOrganization> = Vec::new();
    let policies: Vec<&str> = SignaturePolicy::ALL.iter().map(|p| p.as_str()).collect();
    for (i, o) in file.organizations.iter().enumerate() {
        let here = at(&origins.organizations, i);
        let checked = (|| {
            if !org_codes.insert(o.code.as_str()) {
                return Err(AppError::invalid("code", "duplicate"));
            }
            let organization = NewOrganizationRequest {
                code: o.code.clone(),
                parent: o.parent.clone(),
                kind: o.kind.clone(),
                bin: o.bin.clone(),
                name: o.name.clone(),
                working_hours: Some(o.working_hours.clone()),
            }
            .validate()?;
            let signature_policy = match o.signature_policy.as_deref() {
                None | Some("") => SignaturePolicy::Optional,
                Some(p) => v::one_of("signature_policy", p, &policies)?,
            };
            Ok(LoadOrganization {
                at: here.clone(),
                organization,
                signature_policy,
            })
        })();
        match checked {
            Ok(org) => orgs.push(org),
            Err(e) => problems.push(Problem::new(here, e)),
        }
    }
    load.organizations = parents_first(orgs);

    // The organizations a passport names must be in the file or the registry.
    let mut known: HashMap<String, bool> =
        org_codes.iter().map(|c| (c.to_string(), true)).collect();
    let mut service_codes: HashSet<&str> = HashSet::new();
    for (i, s) in file.services.iter().enumerate() {
        let here = at(&origins.services, i);
        if !service_codes.insert(s.code.as_str()) {
            problems.push(Problem::new(here, AppError::invalid("code", "duplicate")));
            continue;
        }
        let head = (|| {
            if s.terms.is_empty() {
                return Err(AppError::invalid("terms", "empty"));
            }
            Ok(NewService {
                code: v::service_code("code", &s.code)?,
                organization: v::org_code("organization", &s.organization)?,
                name: s.name.validate("name")?,
                acceptance_day_counted: s.acceptance_day_counted,
                channels: validate_channels(&s.channels)?,
                depends_on: validate_systems(&s.depends_on)?,
                terms: vec![],
            })
        })();
        let service = match head {
            Ok(service) => service,
            Err(e) => {
                problems.push(Problem::new(here, e));
                continue;
            }
        };
        let mut terms = Vec::new();
        for (j, t) in s.terms.iter().enumerate() {
            let there = origins
                .terms
                .get(i)
                .and_then(|t| t.get(j))
                .cloned()
                .unwrap_or_default();
            let checked = (|| {
                if t.version != j as i64 + 1 {
                    return Err(AppError::invalid("version", "terms_version_out_of_order")
                        .arg("service", &s.code)
                        .arg("version", t.version));
                }
                Ok(LoadTerms {
                    at: there.clone(),
                    version: t.version,
                    effective_from: v::date("effective_from", &t.effective_from)?,
                    legal_basis: optional_line("legal_basis", &t.legal_basis, 1000)?,
                    terms: validate_terms("variants", &t.variants)?,
                })
            })();
            match checked {
                Ok(t) => terms.push(t),
                Err(e) => problems.push(Problem::new(there, e)),
            }
        }
        let mut passports = Vec::new();
        let mut last: (i64, Option<jiff::civil::Date>, bool) = (0, None, false);
        for (j, p) in s.passports.iter().enumerate() {
            let origin = origins
                .passports
                .get(i)
                .and_then(|t| t.get(j))
                .cloned()
                .unwrap_or_default();
            let before = problems.len();
            let order = |code: &str| {
                Problem::new(
                    origin.at.clone(),
                    AppError::invalid("version", code)
                        .arg("service", &s.code)
                        .arg("version", p.version),
                )
            };
            let publication = match p.state.as_str() {
                "published" => {
                    let checked = (|| {
                        let day = p.valid_from.as_deref().unwrap_or_default();
                        Ok::<_, AppError>(Publication {
                            valid_from: v::date("valid_from", day)?,
                            approving_act: v::text("approving_act", &p.approving_act, 1000)?,
                        })
                    })();
                    match checked {
                        Ok(publ) => Some(publ),
                        Err(e) => {
                            problems.push(Problem::new(origin.at.clone(), e));
                            continue;
                        }
                    }
                }
                "draft" => None,
                other => {
                    problems.push(Problem::new(
                        origin.at.clone(),
                        AppError::invalid("state", "invalid_value").arg("detail", other),
                    ));
                    continue;
                }
            };
            let day = publication.as_ref().map(|x| x.valid_from);
            if p.version <= last.0 || last.2 || (day.is_some() && day <= last.1) {
                problems.push(order("passport_version_out_of_order"));
            }
            last = (p.version, day.or(last.1), publication.is_none());
            let strictness = if publication.is_some() {
                Strictness::Publish
            } else {
                Strictness::Draft
            };
            for e in super::passports::problems(&p.passport, strictness) {
                let field = e.field.clone().unwrap_or_default();
                let field = field
                    .strip_prefix("passport.")
                    .unwrap_or(&field)
                    .to_string();
                let (row, column) = origin.locate(&field);
                problems.push(Problem::new(row, relabel(e, column)));
            }
            for (field, code) in super::passports::named_organizations(&p.passport) {
                let found = match known.get(&code) {
                    Some(f) => *f,
                    None => {
                        let f = match qyzmet_domain::ids::OrgCode::parse(&code) {
                            Ok(c) => store.organization(&c).await?.is_some(),
                            Err(_) => false,
                        };
                        known.insert(code.clone(), f);
                        f
                    }
                };
                if !found {
                    let (row, column) = origin.locate(&field);
                    problems.push(Problem::new(
                        row,
                        AppError::invalid(column, "unknown_organization"),
                    ));
                }
            }
            if problems.len() == before {
                passports.push(LoadPassport {
                    at: origin.at.clone(),
                    version: p.version,
                    publication,
                    passport: p.passport.clone(),
                });
            }
        }
        load.services.push(LoadService {
            at: here,
            service,
            terms,
            passports,
        });
    }
    Ok(if problems.is_empty() {
        Ok(load)
    } else {
        Err(problems)
    })
}

/// A line that may be empty (a legal basis recorded before they were, an operator).
fn optional_line(field: &str, s: &str, max: usize) -> Result<String, AppError> {
    if s.is_empty() {
        Ok(String::new())
    } else {
        v::text(field, s, max)
    }
}

/// The refusal `e` with its field named `field`.
fn relabel(mut e: AppError, field: String) -> AppError {
    e.args.retain(|(k, _)| *k != "field");
    e.with_field(field)
}

/// The organizations reordered so that each comes after its parent when the file has both.
fn parents_first(mut rest: Vec<LoadOrganization>) -> Vec<LoadOrganization> {
    let mut out: Vec<LoadOrganization> = Vec::with_capacity(rest.len());
    while !rest.is_empty() {
        let waiting: HashSet<String> = rest
            .iter()
            .map(|o| o.organization.code.to_string())
            .collect();
        let (ready, wait): (Vec<_>, Vec<_>) = rest.into_iter().partition(|o| {
            o.organization
                .parent
                .as_ref()
                .is_none_or(|p| !waiting.contains(p.as_ref()))
        });
        if ready.is_empty() {
            // A cycle: left in the file's order, the store names the unknown parent.
            out.extend(wait);
            break;
        }
        out.extend(ready);
        rest = wait;
    }
    out
}
