//! Loading a ministry's catalogue in bulk (issue 17, point 2): organizations, information
//! systems, services with every version of their terms, and their passports' versions, in
//! one transaction. What is already stored as given is left; what differs where an edit
//! may change it is changed; what a published record fixes (a published passport version, a
//! version of terms, an organization's parent) is a conflict when it differs. A dry run does
//! all of it and rolls back.
//!
//! Two loads at once take turns (an advisory lock on PostgreSQL, the one writer on SQLite),
//! so the second finds the first one's rows and changes nothing.

use crate::catalogue_load::{load_passports, load_terms};
use crate::convert::{join, list, us};
use crate::error::Result;
use crate::models::*;
use crate::passports::Publication;
use crate::{with_db, Store};
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::passport::Passport;
use sqlx::Row;

/// The advisory lock key of catalogue loads ("qyzmcat\0" as a big-endian integer).
const CATALOGUE_LOCK: i64 = 0x7179_7a6d_6361_7400;

/// An organization to load, with where the caller found it (`organizations[3]`, `row 7`).
#[derive(Debug, Clone)]
pub struct LoadOrganization {
    pub at: String,
    pub organization: NewOrganization,
    pub signature_policy: SignaturePolicy,
}

/// An information system to load.
#[derive(Debug, Clone)]
pub struct LoadSystem {
    pub at: String,
    pub system: InformationSystem,
}

/// One version of a service's terms to load.
#[derive(Debug, Clone)]
pub struct LoadTerms {
    pub at: String,
    pub version: i64,
    pub effective_from: Date,
    pub legal_basis: String,
    pub terms: Vec<TermVariant>,
}

/// One version of a service's passport to load: published (with its publication) or the
/// draft.
#[derive(Debug, Clone)]
pub struct LoadPassport {
    pub at: String,
    pub version: i64,
    pub publication: Option<Publication>,
    pub passport: Passport,
}

/// A service to load. `service.terms` is not read: its terms are `terms`, every version,
/// numbered 1, 2, … in order.
#[derive(Debug, Clone)]
pub struct LoadService {
    pub at: String,
    pub service: NewService,
    pub terms: Vec<LoadTerms>,
    pub passports: Vec<LoadPassport>,
}

/// A whole catalogue to load; organizations come after their parents.
#[derive(Debug, Clone, Default)]
pub struct CatalogueLoad {
    pub organizations: Vec<LoadOrganization>,
    pub systems: Vec<LoadSystem>,
    pub services: Vec<LoadService>,
}

/// How many records of a kind a load created, changed and left as they were.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub created: u64,
    pub changed: u64,
    pub unchanged: u64,
}

impl Tally {
    fn add(&mut self, created: bool, changed: bool) {
        match (created, changed) {
            (true, _) => self.created += 1,
            (false, true) => self.changed += 1,
            (false, false) => self.unchanged += 1,
        }
    }
}

/// What a load did (or, dry, would do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub organizations: Tally,
    pub information_systems: Tally,
    pub services: Tally,
    pub term_versions: Tally,
    pub passport_versions: Tally,
}

impl LoadReport {
    /// Records created or changed.
    pub fn changes(&self) -> u64 {
        [
            self.organizations,
            self.information_systems,
            self.services,
            self.term_versions,
            self.passport_versions,
        ]
        .iter()
        .map(|t| t.created + t.changed)
        .sum()
    }

    fn summary(&self) -> String {
        let t = |n: &str, t: &Tally| {
            format!(
                "{n}: {} created, {} changed, {} unchanged",
                t.created, t.changed, t.unchanged
            )
        };
        [
            t("organizations", &self.organizations),
            t("information_systems", &self.information_systems),
            t("services", &self.services),
            t("term_versions", &self.term_versions),
            t("passport_versions", &self.passport_versions),
        ]
        .join("; ")
    }
}

/// Why a record of the load was refused: where it is, the field, a stable code and the
/// message's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    pub at: String,
    pub field: String,
    pub code: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl LoadProblem {
    pub(crate) fn new(at: &str, field: impl Into<String>, code: &'static str) -> Self {
        LoadProblem {
            at: at.to_string(),
            field: field.into(),
            code,
            args: vec![],
        }
    }

    pub(crate) fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}

/// A load done (or its dry run), or refused with every problem found: nothing written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadOutcome {
    Done(LoadReport),
    Refused(Vec<LoadProblem>),
}

impl Store {
    /// Loads a catalogue in one transaction (see the module's description); on any problem
    /// nothing is written and every problem found is returned. Audited (`catalogue.import`,
    /// with the counts) unless dry.
    #[tracing::instrument(skip_all, fields(services = load.services.len(), dry_run))]
    pub async fn load_catalogue(
        &self,
        load: &CatalogueLoad,
        dry_run: bool,
        actor: &str,
        now: Timestamp,
    ) -> Result<LoadOutcome> {
        let postgres = matches!(self, Store::Postgres(_));
        let (_, lock) = self.service_locks();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            if postgres {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(CATALOGUE_LOCK)
                    .execute(&mut *tx)
                    .await?;
            }
            let mut report = LoadReport::default();
            let mut problems: Vec<LoadProblem> = Vec::new();

            for s in &load.systems {
                let sys = &s.system;
                let old = sqlx::query(
                    "SELECT name_kk, name_ru, name_en, operator FROM information_systems \
                     WHERE code = $1",
                )
                .bind(&sys.code)
                .fetch_optional(&mut *tx)
                .await?;
                let same = match &old {
                    Some(r) => {
                        LocalizedName {
                            kk: r.try_get("name_kk")?,
                            ru: r.try_get("name_ru")?,
                            en: r.try_get("name_en")?,
                        } == sys.name
                            && r.try_get::<String, _>("operator")? == sys.operator
                    }
                    None => false,
                };
                if !same {
                    sqlx::query(
                        "INSERT INTO information_systems (code, name_kk, name_ru, name_en, operator) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO UPDATE SET \
                         name_kk = excluded.name_kk, name_ru = excluded.name_ru, \
                         name_en = excluded.name_en, operator = excluded.operator",
                    )
                    .bind(&sys.code)
                    .bind(&sys.name.kk)
                    .bind(&sys.name.ru)
                    .bind(&sys.name.en)
                    .bind(&sys.operator)
                    .execute(&mut *tx)
                    .await?;
                }
                report
                    .information_systems
                    .add(old.is_none(), old.is_some() && !same);
            }

            for item in &load.organizations {
                let (at, o) = (item.at.as_str(), &item.organization);
                let old = sqlx::query(
                    "SELECT o.id, p.code AS parent_code, o.kind, o.bin, o.name_kk, o.name_ru, \
                     o.name_en, o.working_hours, o.signature_policy FROM organizations o \
                     LEFT JOIN organizations p ON p.id = o.parent_id WHERE o.code = $1",
                )
                .bind(o.code.as_ref())
                .fetch_optional(&mut *tx)
                .await?;
                let bin = o.bin.to_string();
                let taken: Option<String> = sqlx::query_scalar(
                    "SELECT code FROM organizations WHERE bin = $1 AND code <> $2",
                )
                .bind(&bin)
                .bind(o.code.as_ref())
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(other) = taken {
                    problems.push(
                        LoadProblem::new(at, "bin", "organization_bin_taken")
                            .arg("organization", other),
                    );
                    continue;
                }
                let Some(old) = old else {
                    let parent: Option<(i64, String)> = match &o.parent {
                        None => None,
                        Some(p) => {
                            let row =
                                sqlx::query("SELECT id, path FROM organizations WHERE code = $1")
                                    .bind(p.as_ref())
                                    .fetch_optional(&mut *tx)
                                    .await?;
                            match row {
                                Some(r) => Some((r.try_get("id")?, r.try_get("path")?)),
                                None => {
                                    problems.push(LoadProblem::new(
                                        at,
                                        "parent",
                                        "unknown_organization",
                                    ));
                                    continue;
                                }
                            }
                        }
                    };
                    crate::registry::insert_organization!(
                        tx,
                        o,
                        parent,
                        item.signature_policy,
                        now
                    )?;
                    report.organizations.add(true, false);
                    continue;
                };
                let parent: Option<String> = old.try_get("parent_code")?;
                if parent.as_deref() != o.parent.as_ref().map(|p| p.as_ref()) {
                    problems.push(
                        LoadProblem::new(at, "parent", "organization_parent_differs")
                            .arg("organization", &o.code)
                            .arg("stored", parent.unwrap_or_else(|| "-".into())),
                    );
                    continue;
                }
                if old.try_get::<String, _>("kind")? != o.kind.as_str() {
                    problems.push(
                        LoadProblem::new(at, "kind", "organization_kind_differs")
                            .arg("organization", &o.code),
                    );
                    continue;
                }
                let same = old.try_get::<String, _>("bin")? == bin
                    && old.try_get::<String, _>("name_kk")? == o.name.kk
                    && old.try_get::<String, _>("name_ru")? == o.name.ru
                    && old.try_get::<String, _>("name_en")? == o.name.en
                    && old.try_get::<String, _>("working_hours")? == o.working_hours.to_string()
                    && old.try_get::<String, _>("signature_policy")?
                        == item.signature_policy.as_str();
                if !same {
                    sqlx::query(
                        "UPDATE organizations SET bin = $1, name_kk = $2, name_ru = $3, \
                         name_en = $4, working_hours = $5, signature_policy = $6, \
                         revision = revision + 1 WHERE id = $7",
                    )
                    .bind(&bin)
                    .bind(&o.name.kk)
                    .bind(&o.name.ru)
                    .bind(&o.name.en)
                    .bind(o.working_hours.to_string())
                    .bind(item.signature_policy.as_str())
                    .bind(old.try_get::<i64, _>("id")?)
                    .execute(&mut *tx)
                    .await?;
                }
                report.organizations.add(false, !same);
            }

            for item in &load.services {
                let (at, s) = (item.at.as_str(), &item.service);
                let org_id: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM organizations WHERE code = $1")
                        .bind(s.organization.as_ref())
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some(org_id) = org_id else {
                    problems.push(LoadProblem::new(at, "organization", "unknown_organization"));
                    continue;
                };
                let mut unknown = Vec::new();
                for code in &s.depends_on {
                    let known =
                        sqlx::query("SELECT 1 AS one FROM information_systems WHERE code = $1")
                            .bind(code)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if known.is_none() {
                        unknown.push(code.clone());
                    }
                }
                if !unknown.is_empty() {
                    problems.push(
                        LoadProblem::new(at, "depends_on", "unknown_information_system")
                            .arg("systems", unknown.join(", ")),
                    );
                    continue;
                }
                let channels: Vec<&str> = s.channels.iter().map(|c| c.as_str()).collect();
                let (channels, systems) = (join(&channels), join(&s.depends_on));
                let old = sqlx::query(&format!(
                    "SELECT s.id, s.organization_id, s.name_kk, s.name_ru, s.name_en, \
                     s.acceptance_day_counted, s.channels, s.depends_on FROM services s \
                     WHERE s.code = $1{lock}"
                ))
                .bind(s.code.as_ref())
                .fetch_optional(&mut *tx)
                .await?;
                let (id, created) = match old {
                    None => {
                        let id = crate::registry::insert_service!(tx, s, org_id, 0_i64, now)?;
                        report.services.add(true, false);
                        (id, true)
                    }
                    Some(old) => {
                        let id: i64 = old.try_get("id")?;
                        let same = old.try_get::<i64, _>("organization_id")? == org_id
                            && old.try_get::<String, _>("name_kk")? == s.name.kk
                            && old.try_get::<String, _>("name_ru")? == s.name.ru
                            && old.try_get::<String, _>("name_en")? == s.name.en
                            && old.try_get::<bool, _>("acceptance_day_counted")?
                                == s.acceptance_day_counted
                            && list(&old.try_get::<String, _>("channels")?) == list(&channels)
                            && old.try_get::<String, _>("depends_on")? == systems;
                        if !same {
                            if old.try_get::<i64, _>("organization_id")? != org_id {
                                let used = sqlx::query(
                                    "SELECT 1 AS one FROM applications WHERE service_id = $1 LIMIT 1",
                                )
                                .bind(id)
                                .fetch_optional(&mut *tx)
                                .await?;
                                if used.is_some() {
                                    problems.push(
                                        LoadProblem::new(
                                            at,
                                            "organization",
                                            "service_has_applications",
                                        )
                                        .arg("service", &s.code),
                                    );
                                    continue;
                                }
                            }
                            sqlx::query(
                                "UPDATE services SET organization_id = $1, name_kk = $2, \
                                 name_ru = $3, name_en = $4, acceptance_day_counted = $5, \
                                 channels = $6, depends_on = $7, revision = revision + 1, \
                                 updated_at = $8 WHERE id = $9",
                            )
                            .bind(org_id)
                            .bind(&s.name.kk)
                            .bind(&s.name.ru)
                            .bind(&s.name.en)
                            .bind(s.acceptance_day_counted)
                            .bind(&channels)
                            .bind(&systems)
                            .bind(us(now))
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        }
                        report.services.add(false, !same);
                        (id, false)
                    }
                };
                load_terms!(tx, id, created, item, actor, now, report, problems);
                load_passports!(tx, id, item, actor, now, report, problems);
            }

            if !problems.is_empty() {
                tx.rollback().await?;
                return Ok(LoadOutcome::Refused(problems));
            }
            if dry_run {
                tx.rollback().await?;
                return Ok(LoadOutcome::Done(report));
            }
            crate::audit_in!(
                tx,
                now,
                actor,
                "catalogue.import",
                "catalogue",
                Some(report.summary())
            );
            tx.commit().await?;
            Ok(LoadOutcome::Done(report))
        })
    }
}
