//! The catalogue as one file (issue 17, point 2): its export, and its import as a ministry
//! loads its services in bulk, for the API and the command line alike (administrators).
//!
//! The file (JSON, or CSV: `catalogue_csv`) holds everything an empty database needs: the
//! organizations the services name with their ancestors, the information systems they name,
//! the services with every version of their terms, and every version of their passports. An
//! import checks each record by the rules of the endpoints that write it one by one
//! (organization and service requests, `Passport::check`), then loads all of it in one
//! transaction (`Store::load_catalogue`): all or nothing, idempotent, audited once.

use super::catalogue_csv;
pub use super::catalogue_file::*;
use super::organizations::Names;
use super::services::TermView;
use crate::app::{now, AppError, Caller, ErrorKind};
use qyzmet_store::{LoadOutcome, LoadReport, Store};
use std::collections::{BTreeSet, HashMap, HashSet};

/// What an import answers: done (or a dry run), with its counts, or refused with every
/// problem found (nothing written).
#[derive(Debug, Clone)]
pub enum ImportAnswer {
    Done(LoadReport),
    Refused(Vec<Problem>),
}

/// An import's file as received.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    Json(&'a [u8]),
    Csv(&'a [u8]),
}

/// The most problems an answer lists (a file of another shape would list every row).
const MAX_PROBLEMS: usize = 200;

/// The whole catalogue as a file (administrators).
pub async fn export(store: &Store, caller: &Caller) -> Result<CatalogueFile, AppError> {
    caller.require_admin()?;
    // The file is read in several queries; it is one state of the catalogue when its
    // generation (bumped by every write of a service, an organization or a passport) did not
    // move meanwhile. Else it is read again; a catalogue written without pause for five reads
    // is answered as unavailable (try again).
    for _ in 0..5 {
        let before = store.catalogue_stamp().await?;
        let file = read(store).await?;
        if store.catalogue_stamp().await? == before {
            return Ok(file);
        }
    }
    Err(AppError::unavailable())
}

/// The catalogue as a file, read in several queries.
async fn read(store: &Store) -> Result<CatalogueFile, AppError> {
    let at = now();
    let mut services = store.every_service().await?;
    services.sort_by(|a, b| a.code.as_ref().cmp(b.code.as_ref()));
    let mut named_orgs: BTreeSet<String> = BTreeSet::new();
    let mut named_systems: BTreeSet<String> = BTreeSet::new();
    let mut entries = Vec::with_capacity(services.len());
    for s in &services {
        let mut terms = store.terms_history(&s.code).await?.unwrap_or_default();
        terms.sort_by_key(|t| t.version);
        let mut passports = store.passport_versions(&s.code).await?;
        passports.sort_by_key(|p| p.version);
        named_orgs.insert(s.organization_code.to_string());
        named_systems.extend(s.depends_on.iter().cloned());
        for p in &passports {
            named_orgs.extend(p.passport.providers.iter().map(|x| x.organization.clone()));
            named_orgs.extend(p.passport.complaints.appeal_organization.iter().cloned());
            named_systems.extend(
                p.passport
                    .documents
                    .iter()
                    .filter_map(|d| d.from_system.clone()),
            );
        }
        entries.push(ServiceEntry {
            code: s.code.to_string(),
            organization: s.organization_code.to_string(),
            name: Names::from(&s.name),
            acceptance_day_counted: s.acceptance_day_counted,
            channels: s.channels.iter().map(|c| c.as_str().to_string()).collect(),
            depends_on: s.depends_on.clone(),
            terms: terms
                .iter()
                .map(|t| TermsEntry {
                    version: t.version,
                    effective_from: t.effective_from.to_string(),
                    legal_basis: t.legal_basis.clone(),
                    variants: t.terms.iter().map(term_view).collect(),
                })
                .collect(),
            passports: passports
                .iter()
                .map(|p| PassportEntry {
                    version: p.version,
                    state: p.state.as_str().to_string(),
                    valid_from: p.valid_from.map(|d| d.to_string()),
                    approving_act: p.approving_act.clone(),
                    passport: p.passport.clone(),
                })
                .collect(),
        });
    }
    // The organizations named and their ancestors, parents first, in the order of their
    // codes from the root (the same in every database, whatever its ids).
    let orgs = store.every_organization(None).await?;
    let by_code: HashMap<String, &qyzmet_store::Organization> =
        orgs.iter().map(|o| (o.code.to_string(), o)).collect();
    let chain = |code: &str| {
        let mut out = vec![code.to_string()];
        let mut at = by_code.get(code).and_then(|o| o.parent_code.clone());
        while let Some(p) = at {
            out.push(p.to_string());
            at = by_code.get(p.as_ref()).and_then(|o| o.parent_code.clone());
        }
        out.reverse();
        out
    };
    let mut wanted: Vec<Vec<String>> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for code in &named_orgs {
        let c = chain(code);
        for i in 1..=c.len() {
            if by_code.contains_key(&c[i - 1]) && seen.insert(c[i - 1].clone()) {
                wanted.push(c[..i].to_vec());
            }
        }
    }
    wanted.sort();
    let organizations = wanted
        .iter()
        .filter_map(|c| by_code.get(c.last()?.as_str()))
        .map(|o| OrganizationEntry {
            code: o.code.to_string(),
            parent: o.parent_code.as_ref().map(|p| p.to_string()),
            kind: o.kind.as_str().to_string(),
            bin: o.bin.to_string(),
            name: Names::from(&o.name),
            working_hours: o.working_hours.to_string(),
            signature_policy: Some(o.signature_policy.as_str().to_string()),
        })
        .collect();
    let information_systems = store
        .information_systems()
        .await?
        .into_iter()
        .filter(|s| named_systems.contains(&s.code))
        .map(|s| SystemEntry {
            name: Names::from(&s.name),
            code: s.code,
            operator: s.operator,
        })
        .collect();
    Ok(CatalogueFile {
        format: FORMAT.to_string(),
        exported_at: Some(at.to_string()),
        organizations,
        information_systems,
        services: entries,
    })
}

fn term_view(t: &qyzmet_store::TermVariant) -> TermView {
    TermView {
        variant: t.variant.clone(),
        amount: i64::from(t.term.amount),
        unit: t.term.unit.as_str().to_string(),
        name: (t.name != Default::default()).then(|| Names::from(&t.name)),
    }
}

/// The export as CSV (UTF-8 with a byte-order mark, for spreadsheets).
pub async fn export_csv(store: &Store, caller: &Caller) -> Result<Vec<u8>, AppError> {
    let file = export(store, caller).await?;
    catalogue_csv::write(&file)
}

/// Imports a catalogue file (administrators): checks every record, then loads all of it in
/// one transaction, or nothing; `dry_run` answers what it would do and writes nothing.
pub async fn import(
    store: &Store,
    caller: &Caller,
    source: Source<'_>,
    dry_run: bool,
) -> Result<ImportAnswer, AppError> {
    caller.require_admin()?;
    let (file, origins) = match source {
        Source::Json(bytes) => {
            let de = &mut serde_json::Deserializer::from_slice(bytes);
            let file: CatalogueFile = serde_path_to_error::deserialize(&mut *de)
                .map_err(crate::app::decode::json_error)?;
            de.end().map_err(|_| {
                AppError::malformed("malformed_json").arg("detail", "trailing data")
            })?;
            let origins = Origins::json(&file);
            (file, origins)
        }
        Source::Csv(bytes) => match catalogue_csv::read(bytes) {
            Ok(read) => read,
            Err(problems) => return Ok(ImportAnswer::Refused(problems)),
        },
    };
    if file.format != FORMAT {
        return Err(AppError::invalid("format", "catalogue_format_unknown").arg("format", FORMAT));
    }
    let load = match super::catalogue_check::check(store, &file, &origins).await? {
        Ok(load) => load,
        Err(mut problems) => {
            problems.truncate(MAX_PROBLEMS);
            return Ok(ImportAnswer::Refused(problems));
        }
    };
    match store
        .load_catalogue(&load, dry_run, &caller.actor(), now())
        .await?
    {
        LoadOutcome::Done(report) => Ok(ImportAnswer::Done(report)),
        LoadOutcome::Refused(found) => Ok(ImportAnswer::Refused(
            found
                .into_iter()
                .take(MAX_PROBLEMS)
                .map(|p| {
                    let kind = if p.code.starts_with("unknown_") {
                        ErrorKind::Invalid
                    } else {
                        ErrorKind::Conflict
                    };
                    let mut error = AppError::new(kind, p.code).with_field(p.field);
                    error.args.extend(p.args);
                    Problem::new(p.at, error)
                })
                .collect(),
        )),
    }
}
