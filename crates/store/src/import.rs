//! Bulk import of applications with their histories: the path for loading history from a
//! provider's legacy system, the demo data and the benchmark volumes. Each application and
//! event passes the same checks as through the API; the rows are written with multi-row
//! statements in one transaction per call.

use crate::chain;
use crate::convert::{list, parse, us};
use crate::error::{Result, StoreError};
use crate::ingest::CHUNK;
use crate::models::*;
use crate::projection::{project, DeadlineFacts, ProjectionRow};
use crate::{with_db, Store};
use jiff::Timestamp;
use qyzmet_domain::ids::ApplicationNumber;
use qyzmet_domain::stage::{Event, EventKind, History};
use qyzmet_domain::WorkingHours;
use rand::Rng;
use sqlx::{QueryBuilder, Row};
use std::collections::{HashMap, HashSet};

/// An application to import, with its events in any order.
#[derive(Debug, Clone)]
pub struct ImportedApplication {
    pub application: NewApplication,
    pub events: Vec<(Event, Option<String>)>,
}

struct OrgInfo {
    id: i64,
    path: String,
    working_hours: WorkingHours,
}

struct ServiceInfo {
    id: i64,
    org_code: String,
    acceptance_day_counted: bool,
    channels: Vec<String>,
    terms_version: i64,
    passport_version: Option<i64>,
    terms: Vec<TermVariant>,
}

/// A fully prepared row set of one application.
struct Prepared {
    number: i64,
    a: NewApplication,
    service: i64,
    terms_version: i64,
    passport_version: Option<i64>,
    variant: TermVariant,
    facts: DeadlineFacts,
    accept: (i64, String),
    exec: (i64, String),
    /// The executor it was registered with, when its history changed it.
    registered_exec: Option<i64>,
    /// Whether its history amends it (`crate::rollup::amends`).
    amended: bool,
    executor_person: Option<String>,
    projection: ProjectionRow,
    events: Vec<RecordedEvent>,
    hashes: Vec<String>,
    genesis: String,
    head: String,
}

impl Store {
    /// Imports applications atomically; an invalid one fails the whole call, naming it by
    /// position. Returns the numbers given, in order. Deadlines are computed with the
    /// calendar stored when the import runs (`calendar.rs`).
    #[tracing::instrument(skip_all, fields(n = apps.len()))]
    pub async fn import_applications(
        &self,
        apps: &[ImportedApplication],
        actor: &str,
        now: Timestamp,
        nearing_fraction: f64,
    ) -> Result<Vec<ApplicationNumber>> {
        let (calendars, shared) = (self.calendar_cache(), self.calendar_shared());
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let calendar = crate::calendar::calendar_in_force!(tx, calendars, shared)?;
            let mut orgs: HashMap<String, OrgInfo> = HashMap::new();
            for r in sqlx::query("SELECT id, code, path, working_hours FROM organizations")
                .fetch_all(&mut *tx)
                .await?
            {
                let wh: String = r.try_get("working_hours")?;
                orgs.insert(
                    r.try_get("code")?,
                    OrgInfo {
                        id: r.try_get("id")?,
                        path: r.try_get("path")?,
                        working_hours: parse("organizations.working_hours", &wh)?,
                    },
                );
            }
            let mut services: HashMap<String, ServiceInfo> = HashMap::new();
            // The terms in force on the day of the import, as a registration that day takes.
            let in_force = crate::rows::terms_in_force(qyzmet_domain::zone::local_date(now));
            // And the passport in force then (issue 17): the grounds its events may name.
            let passport =
                crate::passports::passport_in_force(qyzmet_domain::zone::local_date(now));
            for r in sqlx::query(&format!(
                "SELECT s.id, s.code, o.code AS org_code, s.acceptance_day_counted, s.channels, \
                 {in_force} AS terms_version, {passport} AS passport_version \
                 FROM services s JOIN organizations o ON o.id = s.organization_id"
            ))
            .fetch_all(&mut *tx)
            .await?
            {
                let channels: String = r.try_get("channels")?;
                services.insert(
                    r.try_get("code")?,
                    ServiceInfo {
                        id: r.try_get("id")?,
                        org_code: r.try_get("org_code")?,
                        acceptance_day_counted: r.try_get("acceptance_day_counted")?,
                        channels: list(&channels),
                        terms_version: r.try_get("terms_version")?,
                        passport_version: r.try_get("passport_version")?,
                        terms: vec![],
                    },
                );
            }
            for r in sqlx::query(&format!(
                "SELECT s.code, t.variant, t.amount, t.unit FROM service_terms t JOIN services s \
                 ON s.id = t.service_id AND t.version = {in_force} ORDER BY t.service_id, t.position"
            ))
            .fetch_all(&mut *tx)
            .await?
            {
                let code: String = r.try_get("code")?;
                let unit: String = r.try_get("unit")?;
                let term = crate::rows::term(r.try_get("amount")?, &unit)?;
                if let Some(s) = services.get_mut(&code) {
                    s.terms.push(TermVariant {
                        variant: r.try_get("variant")?,
                        term,
                        name: LocalizedName::default(),
                    });
                }
            }

            // Numbers: random, then re-drawn where they collide with stored or drawn ones.
            let mut rng = rand::rng();
            let mut draw = || loop {
                if let Some(n) =
                    ApplicationNumber::from_body(rng.random_range(0..1_000_000_000_000u64))
                {
                    return n.as_i64();
                }
            };
            let mut numbers: Vec<i64> = (0..apps.len()).map(|_| draw()).collect();
            loop {
                let mut taken: HashSet<i64> = HashSet::new();
                for chunk in numbers.chunks(CHUNK) {
                    let mut qb =
                        QueryBuilder::new("SELECT number FROM applications WHERE number IN (");
                    let mut sep = qb.separated(", ");
                    for n in chunk {
                        sep.push_bind(*n);
                    }
                    qb.push(")");
                    for r in qb.build().fetch_all(&mut *tx).await? {
                        taken.insert(r.try_get("number")?);
                    }
                }
                let mut seen: HashSet<i64> = HashSet::new();
                let mut redrawn = false;
                for n in numbers.iter_mut() {
                    if taken.contains(n) || !seen.insert(*n) {
                        *n = draw();
                        redrawn = true;
                    }
                }
                if !redrawn {
                    break;
                }
            }

            let mut prepared: Vec<Prepared> = Vec::with_capacity(apps.len());
            for (i, (item, number)) in apps.iter().zip(&numbers).enumerate() {
                let invalid = |field: &'static str, code: &'static str| {
                    tracing::warn!(index = i, field, code, "import refused");
                    StoreError::Invalid { code, field }
                };
                let a = &item.application;
                let svc = services
                    .get(a.service.as_ref())
                    .ok_or_else(|| invalid("service_code", "unknown_service"))?;
                if !svc.channels.iter().any(|c| c == a.channel.as_str()) {
                    return Err(invalid("channel", "channel_not_offered"));
                }
                let variant = match &a.term_variant {
                    None => svc.terms.first(),
                    Some(v) => svc.terms.iter().find(|t| &t.variant == v),
                }
                .cloned()
                .ok_or_else(|| invalid("term_variant", "unknown_term_variant"))?;
                let accept = orgs
                    .get(a.acceptance_place.as_ref())
                    .ok_or_else(|| invalid("acceptance_place", "unknown_organization"))?;
                let exec_code = a
                    .executor
                    .as_ref()
                    .map(|e| e.to_string())
                    .unwrap_or_else(|| svc.org_code.clone());
                let mut exec = orgs
                    .get(&exec_code)
                    .ok_or_else(|| invalid("executor", "unknown_organization"))?;
                let registered_exec = exec.id;
                let mut executor_person = a.executor_person.clone();
                let facts = DeadlineFacts {
                    accepted_at: a.accepted_at,
                    term: variant.term,
                    acceptance_day_counted: svc.acceptance_day_counted,
                    paper_via_state_corp: a.paper && a.channel == Channel::StateCorp,
                    working_hours: exec.working_hours,
                };
                let (_, applicant_id) = crate::applications::applicant_columns(&a.applicant.id);
                let genesis =
                    chain::genesis(*number, a.service.as_ref(), a.accepted_at, &applicant_id);
                let mut head = genesis.clone();
                let mut history = History::new(a.accepted_at);
                let mut events = Vec::with_capacity(item.events.len());
                let mut hashes = Vec::with_capacity(item.events.len());
                let mut ordered = item.events.clone();
                ordered.sort_by_key(|(e, _)| e.occurred_at);
                for (seq, (event, person)) in ordered.into_iter().enumerate() {
                    history.push(event.clone()).map_err(|r| {
                        tracing::warn!(index = i, code = r.code(), "import refused an event");
                        StoreError::Invalid {
                            code: r.code(),
                            field: "events",
                        }
                    })?;
                    if let EventKind::ExecutorChanged { executor } = &event.kind {
                        exec = orgs
                            .get(executor)
                            .ok_or_else(|| invalid("executor", "unknown_organization"))?;
                        executor_person = person.clone();
                    }
                    let content = chain::content_hash(*number, &event, person.as_deref());
                    head = chain::link(&head, &content, now);
                    hashes.push(content);
                    events.push(RecordedEvent {
                        number: ApplicationNumber::from_i64(*number)
                            .ok_or(StoreError::NotFound("number"))?,
                        seq: seq as i64 + 1,
                        event,
                        executor_person: person,
                        recorded_at: now,
                        actor: actor.to_string(),
                        chain_hash: head.clone(),
                    });
                }
                let projection = project(&calendar, &facts, &history, now, nearing_fraction, true);
                prepared.push(Prepared {
                    number: *number,
                    a: a.clone(),
                    service: svc.id,
                    terms_version: svc.terms_version,
                    passport_version: svc.passport_version,
                    variant,
                    facts,
                    accept: (accept.id, accept.path.clone()),
                    exec: (exec.id, exec.path.clone()),
                    registered_exec: (exec.id != registered_exec).then_some(registered_exec),
                    amended: crate::rollup::amends(&history),
                    executor_person,
                    projection,
                    events,
                    hashes,
                    genesis,
                    head,
                });
            }

            // 45 columns a row: 500 rows stay under SQLite's bound-parameter limit. The
            // internal keys the database assigns come back for the history rows.
            let mut app_ids: HashMap<i64, i64> = HashMap::with_capacity(prepared.len());
            for chunk in prepared.chunks(CHUNK) {
                let mut qb = QueryBuilder::new(
                    "INSERT INTO applications (number, service_id, terms_version, term_variant, term_amount, \
                     term_unit, acceptance_day_counted, paper, channel, applicant_kind, applicant_id, last_name, \
                     first_name, middle_name, accept_org_id, accept_path, exec_org_id, exec_path, executor_person, \
                     working_hours, external_id, accepted_at, effective_acceptance, planned_date, deadline, \
                     original_planned_date, stage, stage_no, outcome, actual_completion, closed_at, \
                     suspended, overdue, overdue_seconds, nearing, nearing_at, pending, event_count, head_hash, \
                     recorded_at, updated_at, registered_exec_org_id, last_name_key, passport_version) ",
                );
                qb.push_values(chunk, |mut b, p| {
                    let (kind, id) = crate::applications::applicant_columns(&p.a.applicant.id);
                    let pr = &p.projection;
                    b.push_bind(p.number)
                        .push_bind(p.service)
                        .push_bind(p.terms_version)
                        .push_bind(p.variant.variant.clone())
                        .push_bind(i64::from(p.variant.term.amount))
                        .push_bind(p.variant.term.unit.as_str())
                        .push_bind(p.facts.acceptance_day_counted)
                        .push_bind(p.a.paper)
                        .push_bind(p.a.channel.as_str())
                        .push_bind(kind)
                        .push_bind(id)
                        .push_bind(p.a.applicant.last_name.clone())
                        .push_bind(p.a.applicant.first_name.clone())
                        .push_bind(p.a.applicant.middle_name.clone())
                        .push_bind(p.accept.0)
                        .push_bind(p.accept.1.clone())
                        .push_bind(p.exec.0)
                        .push_bind(p.exec.1.clone())
                        .push_bind(p.executor_person.clone())
                        .push_bind(p.facts.working_hours.to_string())
                        .push_bind(p.a.external_id.clone())
                        .push_bind(us(p.a.accepted_at))
                        .push_bind(us(pr.effective_acceptance))
                        .push_bind(pr.planned_date.to_string())
                        .push_bind(us(pr.deadline))
                        .push_bind(pr.planned_date.to_string())
                        .push_bind(pr.stage.as_str())
                        .push_bind(i64::from(pr.stage.number()))
                        .push_bind(pr.outcome.map(|o| o.as_str()))
                        .push_bind(pr.actual_completion.map(us))
                        .push_bind(pr.closed_at.map(us))
                        .push_bind(pr.suspended)
                        .push_bind(pr.overdue)
                        .push_bind(pr.overdue_seconds)
                        .push_bind(pr.nearing)
                        .push_bind(us(pr.nearing_at))
                        .push_bind(pr.pending())
                        .push_bind(p.events.len() as i64)
                        .push_bind(p.head.clone())
                        .push_bind(us(now))
                        .push_bind(us(now))
                        .push_bind(p.registered_exec)
                        .push_bind(qyzmet_domain::search::name_key(&p.a.applicant.last_name))
                        .push_bind(p.passport_version);
                });
                qb.push(" RETURNING id, number");
                for r in qb.build().fetch_all(&mut *tx).await.map_err(|e| {
                    crate::convert::unique_to_conflict(e, "external_id_taken", "external_id")
                })? {
                    app_ids.insert(r.try_get("number")?, r.try_get("id")?);
                }
            }
            // Each application's derivation and history rows, under its internal key.
            let mut rollup = crate::rollup::RollupChanges::default();
            for p in &prepared {
                let app_id = *app_ids
                    .get(&p.number)
                    .ok_or(StoreError::NotFound("application"))?;
                let pr = &p.projection;
                let mut standing = crate::rollup::Standing::of(
                    pr.deadline,
                    pr.actual_completion,
                    p.exec.0,
                    p.service,
                );
                if p.amended {
                    standing.amended_from = Some(crate::rollup::month_of(p.a.accepted_at));
                }
                rollup.change(app_id, None, &standing);
            }
            crate::rollup::write_rollups!(tx, &rollup)?;
            let mut derivations: Vec<(i64, &str)> = Vec::with_capacity(prepared.len());
            let mut rows: Vec<(i64, &RecordedEvent, &str)> = Vec::new();
            for p in &prepared {
                let app_id = *app_ids
                    .get(&p.number)
                    .ok_or(StoreError::NotFound("application"))?;
                derivations.push((app_id, p.projection.derivation.as_deref().unwrap_or("{}")));
                rows.extend(
                    p.events
                        .iter()
                        .zip(p.hashes.iter().map(String::as_str))
                        .map(|(e, h)| (app_id, e, h)),
                );
            }
            // Contacts are kept for the stages still to come; an import writes no messages
            // (it loads history: what happened before was told, or not, by the old system).
            let contacts: Vec<(i64, &qyzmet_domain::contact::Contact)> = prepared
                .iter()
                .filter_map(|p| Some((*app_ids.get(&p.number)?, p.a.contact.as_ref()?)))
                .collect();
            for chunk in contacts.chunks(CHUNK) {
                let mut qb = QueryBuilder::new(
                    "INSERT INTO applicant_contacts (app_id, email, phone, language) ",
                );
                qb.push_values(chunk, |mut b, (id, c)| {
                    b.push_bind(*id)
                        .push_bind(c.email.as_ref().map(|e| e.as_str().to_string()))
                        .push_bind(c.phone.as_ref().map(|p| p.digits().to_string()))
                        .push_bind(c.language.as_str());
                });
                qb.build().execute(&mut *tx).await?;
            }
            for chunk in derivations.chunks(CHUNK) {
                let mut qb =
                    QueryBuilder::new("INSERT INTO application_derivations (app_id, derivation) ");
                qb.push_values(chunk, |mut b, (id, d)| {
                    b.push_bind(*id).push_bind(d.to_string());
                });
                qb.build().execute(&mut *tx).await?;
            }
            crate::ingest::insert_events!(tx, &rows).map_err(|e| {
                crate::contention::unique_as_conflict(e, &[], "event_id_conflict", "events")
            })?;
            // Each registration, then its events, in the order given.
            let mut leaves = Vec::with_capacity(prepared.len() + rows.len());
            for p in &prepared {
                let app_id = *app_ids
                    .get(&p.number)
                    .ok_or(StoreError::NotFound("application"))?;
                leaves.push(crate::ledger::NewLeaf {
                    app_id,
                    number: p.number,
                    seq: 0,
                    event_id: None,
                    chain_hash: p.genesis.clone(),
                });
                leaves.extend(p.events.iter().map(|e| crate::ledger::NewLeaf {
                    app_id,
                    number: p.number,
                    seq: e.seq,
                    event_id: Some(e.event.id.to_string()),
                    chain_hash: e.chain_hash.clone(),
                }));
            }
            crate::ledger::append!(tx, &leaves)?;
            tx.commit().await?;
            numbers
                .iter()
                .map(|n| ApplicationNumber::from_i64(*n).ok_or(StoreError::NotFound("number")))
                .collect()
        })
    }
}
