//! Rows as the database returns them (plain primitives, decoded the same way by both
//! backends), and their conversion into the validated models.

use crate::convert::{date, list, opt_ts, parse, ts};
use crate::error::{Result, StoreError};
use crate::models::*;
use qyzmet_domain::front_office::package::Scan;
use qyzmet_domain::ids::{ApplicationNumber, Bin, Iin, OrgCode, ServiceCode, TaxId};
use qyzmet_domain::stage::{Event, EventKind};
use qyzmet_domain::{Term, TermUnit, WorkingHours};

/// Declares a row struct decoded by column name by both drivers: sqlx (`FromRow`) and rusqlite
/// ([`FromNative`](crate::native::FromNative)), so the two cannot disagree on a column.
macro_rules! row {
    ($(#[$m:meta])* $vis:vis struct $name:ident { $($fvis:vis $f:ident : $t:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(sqlx::FromRow)]
        $vis struct $name { $($fvis $f: $t),* }
        impl $crate::native::FromNative for $name {
            const COLUMNS: &'static [&'static str] = &[$(stringify!($f)),*];
            fn from_native(r: &rusqlite::Row<'_>, at: &[usize]) -> rusqlite::Result<Self> {
                // A missing position reads past the last column: an error, never a panic.
                let mut at = at.iter().copied();
                Ok($name { $($f: r.get(at.next().unwrap_or(usize::MAX))?),* })
            }
        }
    };
}
pub(crate) use row;

fn corrupt(column: &'static str, detail: impl ToString) -> StoreError {
    StoreError::Corrupt {
        column,
        detail: detail.to_string(),
    }
}

fn org_code(column: &'static str, s: &str) -> Result<OrgCode> {
    OrgCode::parse(s).map_err(|e| corrupt(column, e))
}

#[derive(sqlx::FromRow)]
pub struct OrgRow {
    pub id: i64,
    pub code: String,
    pub parent_code: Option<String>,
    pub path: String,
    pub kind: String,
    pub bin: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub working_hours: String,
    pub signature_policy: String,
    pub created_at: i64,
    pub revision: i64,
}

pub const ORG_SELECT: &str = "SELECT o.id, o.code, p.code AS parent_code, o.path, o.kind, o.bin, \
     o.name_kk, o.name_ru, o.name_en, o.working_hours, o.signature_policy, o.created_at, \
     o.revision FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id";

impl OrgRow {
    pub fn into_model(self) -> Result<Organization> {
        Ok(Organization {
            id: self.id,
            code: org_code("organizations.code", &self.code)?,
            parent_code: self
                .parent_code
                .as_deref()
                .map(|c| org_code("organizations.code", c))
                .transpose()?,
            path: self.path,
            kind: parse("organizations.kind", &self.kind)?,
            bin: Bin::parse(&self.bin).map_err(|e| corrupt("organizations.bin", e))?,
            name: LocalizedName {
                kk: self.name_kk,
                ru: self.name_ru,
                en: self.name_en,
            },
            signature_policy: parse("organizations.signature_policy", &self.signature_policy)?,
            working_hours: parse::<WorkingHours>(
                "organizations.working_hours",
                &self.working_hours,
            )?,
            created_at: ts("organizations.created_at", self.created_at)?,
            revision: self.revision,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct ServiceRow {
    pub id: i64,
    pub code: String,
    pub organization_code: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub acceptance_day_counted: bool,
    pub channels: String,
    pub depends_on: String,
    pub terms_version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub revision: i64,
}

/// The version of service `s`'s terms in force on `day` (Asia/Almaty): the highest whose
/// effective date is not after it (the first when none is yet, which only a service whose
/// first version is dated ahead has). Applications registered that day take it.
pub fn terms_in_force(day: jiff::civil::Date) -> String {
    // A date renders as `YYYY-MM-DD`: nothing to escape in the literal.
    format!(
        "COALESCE((SELECT MAX(v.version) FROM service_term_versions v \
         WHERE v.service_id = s.id AND v.effective_from <= '{day}'), 1)"
    )
}

/// The services (aliased `s`, their providers `o`) with the version of their terms in force
/// on `day`.
pub fn service_select(day: jiff::civil::Date) -> String {
    format!(
        "SELECT s.id, s.code, o.code AS organization_code, s.name_kk, s.name_ru, s.name_en, \
         s.acceptance_day_counted, s.channels, s.depends_on, {} AS terms_version, s.created_at, \
         s.updated_at, s.revision FROM services s JOIN organizations o ON o.id = s.organization_id",
        terms_in_force(day)
    )
}

#[derive(sqlx::FromRow, Clone)]
pub struct TermRow {
    pub service_id: i64,
    pub variant: String,
    pub amount: i64,
    pub unit: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
}

/// The columns of a [`TermRow`], of `service_terms` aliased `t`.
pub const TERM_COLUMNS: &str =
    "t.service_id, t.variant, t.amount, t.unit, t.name_kk, t.name_ru, t.name_en";

impl TermRow {
    pub fn into_model(self) -> Result<TermVariant> {
        Ok(TermVariant {
            variant: self.variant,
            term: term(self.amount, &self.unit)?,
            name: LocalizedName {
                kk: self.name_kk,
                ru: self.name_ru,
                en: self.name_en,
            },
        })
    }
}

pub fn term(amount: i64, unit: &str) -> Result<Term> {
    let unit: TermUnit = parse("term_unit", unit)?;
    let amount = u32::try_from(amount).map_err(|e| corrupt("term_amount", e))?;
    Ok(Term::new(amount, unit))
}

impl ServiceRow {
    pub fn into_model(self, terms: Vec<TermVariant>) -> Result<Service> {
        Ok(Service {
            id: self.id,
            code: ServiceCode::parse(&self.code).map_err(|e| corrupt("services.code", e))?,
            organization_code: org_code("organizations.code", &self.organization_code)?,
            name: LocalizedName {
                kk: self.name_kk,
                ru: self.name_ru,
                en: self.name_en,
            },
            acceptance_day_counted: self.acceptance_day_counted,
            channels: list(&self.channels)
                .iter()
                .map(|c| parse("services.channels", c))
                .collect::<Result<_>>()?,
            depends_on: list(&self.depends_on),
            terms_version: self.terms_version,
            terms,
            created_at: ts("services.created_at", self.created_at)?,
            updated_at: ts("services.updated_at", self.updated_at)?,
            revision: self.revision,
        })
    }
}

/// Columns of an application with the codes of the organizations and service it refers to.
macro_rules! app_columns {
    () => {
        "SELECT a.*, d.derivation, s.code AS service_code, ao.code AS accept_code, \
         eo.code AS exec_code"
    };
}
macro_rules! app_from {
    () => {
        " FROM applications a JOIN application_derivations d ON d.app_id = a.id \
         JOIN services s ON s.id = a.service_id JOIN organizations ao ON ao.id = a.accept_org_id \
         JOIN organizations eo ON eo.id = a.exec_org_id"
    };
}
pub const APP_SELECT: &str = concat!(app_columns!(), app_from!());
/// [`APP_SELECT`] with the application's history as a JSON array in column `history`
/// (PostgreSQL): one round trip for the lookup instead of two.
pub const APP_SELECT_WITH_HISTORY_PG: &str = concat!(
    app_columns!(),
    ", (SELECT COALESCE(json_agg(e ORDER BY e.seq), '[]')::text FROM events e \
     WHERE e.app_id = a.id) AS history",
    ", (SELECT COALESCE(json_agg(json_build_object('seq', l.seq, 'position', l.position, \
     'head', l.head, 'form', s.form, 'report', s.report) ORDER BY l.seq), '[]')::text \
     FROM ledger l LEFT JOIN event_signatures s ON s.app_id = l.app_id AND s.seq = l.seq \
     WHERE l.app_id = a.id) AS evidence",
    app_from!()
);

/// The ledger entries and signatures of an application (`?1`: its internal key).
pub const EVIDENCE_SELECT: &str = "SELECT l.seq, l.position, l.head, s.form, s.report \
     FROM ledger l LEFT JOIN event_signatures s ON s.app_id = l.app_id AND s.seq = l.seq \
     WHERE l.app_id = ?1 ORDER BY l.seq";

row!(
    /// What proves one entry of a history: its ledger entry and, if signed, its signature.
    #[derive(Clone, serde::Deserialize)]
    pub struct EvidenceRow {
        pub seq: i64,
        pub position: i64,
        pub head: String,
        pub form: Option<String>,
        pub report: Option<String>,
    }
);

impl EvidenceRow {
    pub fn into_model(self) -> Result<EventEvidence> {
        let signature = match (self.form, self.report) {
            (Some(form), Some(report)) => Some((
                form,
                serde_json::from_str(&report).map_err(|e| corrupt("event_signatures.report", e))?,
            )),
            _ => None,
        };
        Ok(EventEvidence {
            seq: self.seq,
            ledger: Some((self.position, self.head)),
            signature,
        })
    }
}

row!(
    pub struct AppRow {
        // The internal key (registration order); never shown.
        pub id: i64,
        pub number: i64,
        pub service_code: String,
        pub terms_version: i64,
        pub passport_version: Option<i64>,
        pub term_variant: String,
        pub term_amount: i64,
        pub term_unit: String,
        pub acceptance_day_counted: bool,
        pub paper: bool,
        pub channel: String,
        pub applicant_kind: String,
        pub applicant_id: String,
        pub last_name: String,
        pub first_name: String,
        pub middle_name: Option<String>,
        pub accept_code: String,
        pub accept_path: String,
        pub exec_code: String,
        pub exec_path: String,
        pub executor_person: Option<String>,
        pub working_hours: String,
        pub external_id: Option<String>,
        pub accepted_at: i64,
        pub effective_acceptance: i64,
        pub planned_date: String,
        pub deadline: i64,
        pub original_planned_date: String,
        pub derivation: String,
        pub stage: String,
        pub outcome: Option<String>,
        pub actual_completion: Option<i64>,
        pub closed_at: Option<i64>,
        pub suspended: bool,
        pub overdue: bool,
        pub overdue_seconds: i64,
        pub nearing: bool,
        pub event_count: i64,
        pub deadline_change_count: i64,
        pub head_hash: String,
        pub recorded_at: i64,
        pub updated_at: i64,
    }
);

pub fn tax_id(kind: &str, id: &str) -> Result<TaxId> {
    match kind {
        "iin" => Iin::parse(id)
            .map(TaxId::Iin)
            .map_err(|e| corrupt("applicant_id", e)),
        "bin" => Bin::parse(id)
            .map(TaxId::Bin)
            .map_err(|e| corrupt("applicant_id", e)),
        other => Err(corrupt("applicant_kind", other)),
    }
}

pub fn number(n: i64) -> Result<ApplicationNumber> {
    ApplicationNumber::from_i64(n).ok_or_else(|| corrupt("number", n))
}

impl AppRow {
    pub fn into_model(self) -> Result<Application> {
        Ok(Application {
            number: number(self.number)?,
            service_code: ServiceCode::parse(&self.service_code)
                .map_err(|e| corrupt("services.code", e))?,
            terms_version: self.terms_version,
            passport_version: self.passport_version,
            term_variant: self.term_variant,
            term: term(self.term_amount, &self.term_unit)?,
            acceptance_day_counted: self.acceptance_day_counted,
            paper: self.paper,
            channel: parse("applications.channel", &self.channel)?,
            applicant: Applicant {
                id: tax_id(&self.applicant_kind, &self.applicant_id)?,
                last_name: self.last_name,
                first_name: self.first_name,
                middle_name: self.middle_name,
            },
            acceptance_place: org_code("organizations.code", &self.accept_code)?,
            executor: org_code("organizations.code", &self.exec_code)?,
            executor_person: self.executor_person,
            working_hours: parse("applications.working_hours", &self.working_hours)?,
            external_id: self.external_id,
            accepted_at: ts("accepted_at", self.accepted_at)?,
            effective_acceptance: ts("effective_acceptance", self.effective_acceptance)?,
            planned_date: date("planned_date", &self.planned_date)?,
            deadline: ts("deadline", self.deadline)?,
            original_planned_date: date("original_planned_date", &self.original_planned_date)?,
            derivation: serde_json::from_str(&self.derivation)
                .map_err(|e| corrupt("derivation", e))?,
            stage: parse("stage", &self.stage)?,
            outcome: self
                .outcome
                .as_deref()
                .map(|o| parse("outcome", o))
                .transpose()?,
            actual_completion: opt_ts("actual_completion", self.actual_completion)?,
            closed_at: opt_ts("closed_at", self.closed_at)?,
            suspended: self.suspended,
            overdue: self.overdue,
            overdue_seconds: self.overdue_seconds,
            nearing: self.nearing,
            event_count: self.event_count,
            head_hash: self.head_hash,
            recorded_at: ts("recorded_at", self.recorded_at)?,
            updated_at: ts("updated_at", self.updated_at)?,
        })
    }
}

row!(
    #[derive(Clone, serde::Deserialize)]
    pub struct EventRow {
        pub id: String,
        pub number: i64,
        pub seq: i64,
        pub kind: String,
        pub stage: Option<String>,
        pub outcome: Option<String>,
        pub reason: Option<String>,
        pub executor: Option<String>,
        pub executor_person: Option<String>,
        pub occurred_at: i64,
        pub recorded_at: i64,
        pub actor: String,
        pub content_hash: String,
        pub chain_hash: String,
        pub ground: Option<String>,
        pub scan: Option<String>,
        pub office: Option<String>,
    }
);

impl EventRow {
    pub fn event(&self) -> Result<Event> {
        let kind =
            match self.kind.as_str() {
                "stage" => EventKind::Stage {
                    stage: parse("events.stage", self.stage.as_deref().unwrap_or(""))?,
                    outcome: self
                        .outcome
                        .as_deref()
                        .map(|o| parse("events.outcome", o))
                        .transpose()?,
                    reason: self.reason.clone(),
                    ground: self.ground.clone(),
                },
                "suspended" => EventKind::Suspended {
                    reason: self.reason.clone().unwrap_or_default(),
                    ground: self.ground.clone(),
                },
                "resumed" => EventKind::Resumed {
                    reason: self.reason.clone(),
                },
                "executor_changed" => EventKind::ExecutorChanged {
                    executor: self.executor.clone().unwrap_or_default(),
                },
                "scanned" => EventKind::Scanned {
                    scan: self.scan.as_deref().and_then(Scan::parse).ok_or_else(|| {
                        corrupt("events.scan", self.scan.as_deref().unwrap_or(""))
                    })?,
                    office: self.office.clone().unwrap_or_default(),
                },
                other => return Err(corrupt("events.kind", other)),
            };
        Ok(Event {
            id: parse("events.id", &self.id)?,
            occurred_at: ts("events.occurred_at", self.occurred_at)?,
            kind,
        })
    }

    pub fn into_model(self) -> Result<RecordedEvent> {
        Ok(RecordedEvent {
            number: number(self.number)?,
            seq: self.seq,
            event: self.event()?,
            executor_person: self.executor_person.clone(),
            recorded_at: ts("events.recorded_at", self.recorded_at)?,
            actor: self.actor,
            chain_hash: self.chain_hash,
        })
    }
}

row!(
    pub struct DeadlineChangeRow {
        pub old_planned_date: String,
        pub new_planned_date: String,
        pub old_deadline: i64,
        pub new_deadline: i64,
        pub reason: String,
        pub changed_at: i64,
    }
);

impl DeadlineChangeRow {
    pub fn into_model(self) -> Result<DeadlineChange> {
        Ok(DeadlineChange {
            old_planned_date: date("old_planned_date", &self.old_planned_date)?,
            new_planned_date: date("new_planned_date", &self.new_planned_date)?,
            old_deadline: ts("old_deadline", self.old_deadline)?,
            new_deadline: ts("new_deadline", self.new_deadline)?,
            reason: self.reason,
            changed_at: ts("changed_at", self.changed_at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct OutageRow {
    pub id: i64,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub all_systems: bool,
    pub systems: String,
    pub operator: String,
    pub description: String,
    pub recorded_by: String,
    pub recorded_at: i64,
}

impl OutageRow {
    pub fn into_model(self) -> Result<Outage> {
        Ok(Outage {
            id: self.id,
            started_at: ts("outages.started_at", self.started_at)?,
            ended_at: opt_ts("outages.ended_at", self.ended_at)?,
            all_systems: self.all_systems,
            systems: list(&self.systems),
            operator: self.operator,
            description: self.description,
            recorded_by: self.recorded_by,
            recorded_at: ts("outages.recorded_at", self.recorded_at)?,
        })
    }
}

row!(
    pub struct CalendarRow {
        pub day: String,
        pub kind: String,
        pub name: String,
        pub source: String,
        pub name_kk: String,
        pub name_ru: String,
        pub source_kk: String,
        pub source_ru: String,
    }
);
