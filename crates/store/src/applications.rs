//! Registering applications (000 §7, §9–10) and reading them back: one with its timeline,
//! or a filtered, keyset-paginated list.

use crate::chain;
use crate::convert::us;
use crate::error::{Result, StoreError};
use crate::models::*;
use crate::projection::{project, DeadlineFacts};
use crate::rows::{
    AppRow, DeadlineChangeRow, EventRow, EvidenceRow, TermRow, APP_SELECT,
    APP_SELECT_WITH_HISTORY_PG,
};
use crate::{with_db, Store};
use jiff::Timestamp;
use qyzmet_domain::ids::{ApplicationNumber, TaxId};
use qyzmet_domain::stage::History;
use qyzmet_domain::WorkingHours;
use rand::Rng;
use sqlx::{FromRow, Row};

/// An application with its history and deadline changes, from their rows (both drivers).
pub(crate) fn detail(
    row: AppRow,
    events: Vec<EventRow>,
    changes: Vec<DeadlineChangeRow>,
    evidence: Vec<EvidenceRow>,
) -> Result<ApplicationDetail> {
    Ok(ApplicationDetail {
        evidence: evidence
            .into_iter()
            .map(EvidenceRow::into_model)
            .collect::<Result<_>>()?,
        application: row.into_model()?,
        events: events
            .into_iter()
            .map(EventRow::into_model)
            .collect::<Result<_>>()?,
        deadline_changes: changes
            .into_iter()
            .map(DeadlineChangeRow::into_model)
            .collect::<Result<_>>()?,
    })
}

fn random_number() -> ApplicationNumber {
    let mut rng = rand::rng();
    loop {
        if let Some(n) = ApplicationNumber::from_body(rng.random_range(0..1_000_000_000_000u64)) {
            return n;
        }
    }
}

/// The stored kind and digits of an applicant's IIN or BIN.
pub(crate) fn applicant_columns(id: &TaxId) -> (&'static str, String) {
    match id {
        TaxId::Iin(i) => ("iin", i.to_string()),
        TaxId::Bin(b) => ("bin", b.to_string()),
    }
}

/// The unique indexes a concurrent registration can win: the same `external_id` at the same
/// acceptance place, or (rarely) the same random number.
const REGISTRATION_RACES: &[&str] = &[
    "applications_external",
    "applications_number_key",
    "acceptances_office_id_request_key_key",
];

impl Store {
    /// Registers an application: fixes its acceptance, computes its planned date (000 §10)
    /// and records stage `accepted`. With an `external_id`, a retry returns the application
    /// registered first (`false`), and the same id with other content is a conflict.
    /// Two registrations with one `external_id` at once: the unique index lets the first
    /// commit, and the second runs again and finds it (`contention.rs`). The planned date is
    /// computed with the calendar stored when the registration commits (`calendar.rs`).
    #[tracing::instrument(skip_all, fields(service = %a.service))]
    pub async fn register(
        &self,
        a: &NewApplication,
        scope: &Scope,
        actor: &str,
        now: Timestamp,
        nearing_fraction: f64,
    ) -> Result<(Application, bool)> {
        let (app, created, _) = crate::contention::retrying!(
            "register",
            REGISTRATION_RACES,
            self.register_once(a, None, scope, actor, now, nearing_fraction)
        )?;
        Ok((app, created))
    }

    /// Registers the application of a complete, consented acceptance at the counter (001
    /// §15; ADR 0021) in the registration's own transaction, with the acceptance, its
    /// consents, its receipt and the counter's action. A retry with the acceptance's
    /// `request_key` returns the first.
    #[tracing::instrument(skip_all, fields(service = %a.service))]
    pub async fn accept(
        &self,
        a: &NewApplication,
        acceptance: &crate::front_office::NewAcceptance,
        scope: &Scope,
        actor: &str,
        now: Timestamp,
        nearing_fraction: f64,
    ) -> Result<crate::front_office::AcceptanceOutcome> {
        let (app, created, receipt) = crate::contention::retrying!(
            "accept",
            REGISTRATION_RACES,
            self.register_once(a, Some(acceptance), scope, actor, now, nearing_fraction)
        )?;
        // An acceptance always writes (or finds) its receipt.
        let receipt = receipt.ok_or(StoreError::NotFound("receipt"))?;
        Ok(crate::front_office::AcceptanceOutcome {
            public_id: receipt.acceptance.clone(),
            application: Some(app),
            receipt,
            created,
        })
    }

    /// One transaction of [`Store::register`] (and of [`Store::accept`], with the acceptance:
    /// then the receipt written or found).
    async fn register_once(
        &self,
        a: &NewApplication,
        acceptance: Option<&crate::front_office::NewAcceptance>,
        scope: &Scope,
        actor: &str,
        now: Timestamp,
        nearing_fraction: f64,
    ) -> Result<(Application, bool, Option<crate::front_office::Receipt>)> {
        let (applicant_kind, applicant_id) = applicant_columns(&a.applicant.id);
        let (calendars, shared) = (self.calendar_cache(), self.calendar_shared());
        let (share, _) = self.service_locks();
        let passports = self.passport_cache();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            if let Some(acc) = acceptance {
                if let Some(prior) =
                    crate::front_office::prior_acceptance!(tx, acc.office_id, &acc.request_key)
                {
                    return match prior.application {
                        Some(app) => Ok((app, false, Some(prior.receipt))),
                        None => Err(StoreError::Conflict {
                            code: "request_key_used",
                            field: Some("request_key"),
                        }),
                    };
                }
            }
            let calendar = crate::calendar::calendar_in_force!(tx, calendars, shared)?;
            // The terms in force on the day of registration (a change dated ahead waits), and
            // the provider's path: the executor must be in its sub-tree (issue 16 B.5).
            let svc = sqlx::query(&format!(
                "SELECT s.id, s.acceptance_day_counted, s.channels, {} AS terms_version, \
                 {} AS passport_version, o.code AS org_code, o.path AS provider_path \
                 FROM services s JOIN organizations o ON o.id = s.organization_id \
                 WHERE s.code = $1{share}",
                crate::rows::terms_in_force(qyzmet_domain::zone::local_date(now)),
                crate::passports::passport_in_force(qyzmet_domain::zone::local_date(now))
            ))
            .bind(a.service.as_ref())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::Invalid {
                code: "unknown_service",
                field: "service_code",
            })?;
            let service_id: i64 = svc.try_get("id")?;
            let terms_version: i64 = svc.try_get("terms_version")?;
            let passport_version: Option<i64> = svc.try_get("passport_version")?;
            let channels: String = svc.try_get("channels")?;
            if !crate::convert::list(&channels)
                .iter()
                .any(|c| c == a.channel.as_str())
            {
                return Err(StoreError::Invalid {
                    code: "channel_not_offered",
                    field: "channel",
                });
            }
            let terms = sqlx::query_as::<_, TermRow>(&format!(
                "SELECT {} FROM service_terms t \
                 WHERE t.service_id = $1 AND t.version = $2 ORDER BY t.position",
                crate::rows::TERM_COLUMNS
            ))
            .bind(service_id)
            .bind(terms_version)
            .fetch_all(&mut *tx)
            .await?;
            let chosen = match &a.term_variant {
                None => terms.first(),
                Some(v) => terms.iter().find(|t| &t.variant == v),
            }
            .cloned()
            .ok_or(StoreError::Invalid {
                code: "unknown_term_variant",
                field: "term_variant",
            })?
            .into_model()?;

            let accept =
                sqlx::query("SELECT id, path, working_hours FROM organizations WHERE code = $1")
                    .bind(a.acceptance_place.as_ref())
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::Invalid {
                        code: "unknown_organization",
                        field: "acceptance_place",
                    })?;
            let exec_code: String = match &a.executor {
                Some(e) => e.to_string(),
                None => svc.try_get("org_code")?,
            };
            let exec =
                sqlx::query("SELECT id, path, working_hours FROM organizations WHERE code = $1")
                    .bind(&exec_code)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::Invalid {
                        code: "unknown_organization",
                        field: "executor",
                    })?;
            let accept_id: i64 = accept.try_get("id")?;
            let accept_path: String = accept.try_get("path")?;
            let exec_id: i64 = exec.try_get("id")?;
            let exec_path: String = exec.try_get("path")?;
            if !scope.sees(&accept_path, &exec_path) {
                return Err(StoreError::Forbidden {
                    field: "acceptance_place",
                });
            }
            // The executor delivers the service: its provider or an organization under it
            // (issue 16 B.5).
            let provider_path: String = svc.try_get("provider_path")?;
            if !exec_path.starts_with(&provider_path) {
                return Err(StoreError::Invalid {
                    code: "executor_not_provider",
                    field: "executor",
                });
            }

            if let Some(ext) = &a.external_id {
                let prior = sqlx::query_as::<_, AppRow>(&format!(
                    "{APP_SELECT} WHERE a.accept_org_id = $1 AND a.external_id = $2"
                ))
                .bind(accept_id)
                .bind(ext)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(prior) = prior {
                    let same = prior.service_code == a.service.as_ref()
                        && prior.applicant_id == applicant_id
                        && prior.accepted_at == us(a.accepted_at);
                    if same {
                        return Ok((prior.into_model()?, false, None));
                    }
                    return Err(StoreError::Conflict {
                        code: "external_id_taken",
                        field: Some("external_id"),
                    });
                }
            }

            let number = loop {
                let candidate = random_number();
                let taken = sqlx::query("SELECT 1 AS one FROM applications WHERE number = $1")
                    .bind(candidate.as_i64())
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_none() {
                    break candidate;
                }
            };
            let working_hours: WorkingHours = crate::convert::parse(
                "organizations.working_hours",
                &exec.try_get::<String, _>("working_hours")?,
            )?;
            let facts = DeadlineFacts {
                accepted_at: a.accepted_at,
                term: chosen.term,
                acceptance_day_counted: svc.try_get("acceptance_day_counted")?,
                paper_via_state_corp: a.paper && a.channel == Channel::StateCorp,
                working_hours,
            };
            let history = History::new(a.accepted_at);
            let p = project(&calendar, &facts, &history, now, nearing_fraction, true);
            let genesis = chain::genesis(
                number.as_i64(),
                a.service.as_ref(),
                a.accepted_at,
                &applicant_id,
            );
            let inserted = sqlx::query(
                "INSERT INTO applications (number, service_id, terms_version, term_variant, term_amount, \
                 term_unit, acceptance_day_counted, paper, channel, applicant_kind, applicant_id, last_name, \
                 first_name, middle_name, accept_org_id, accept_path, exec_org_id, exec_path, executor_person, \
                 working_hours, external_id, accepted_at, effective_acceptance, planned_date, deadline, \
                 original_planned_date, stage, stage_no, outcome, actual_completion, closed_at, \
                 suspended, overdue, overdue_seconds, nearing, nearing_at, pending, event_count, head_hash, \
                 recorded_at, updated_at, last_name_key, passport_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
                 $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $24, \
                 $26, $27, NULL, NULL, NULL, $28, $29, $30, $31, $32, $33, 0, $34, $35, $35, $36, $37) \
                 RETURNING id",
            )
            .bind(number.as_i64())
            .bind(service_id)
            .bind(terms_version)
            .bind(&chosen.variant)
            .bind(i64::from(chosen.term.amount))
            .bind(chosen.term.unit.as_str())
            .bind(facts.acceptance_day_counted)
            .bind(a.paper)
            .bind(a.channel.as_str())
            .bind(applicant_kind)
            .bind(&applicant_id)
            .bind(&a.applicant.last_name)
            .bind(&a.applicant.first_name)
            .bind(&a.applicant.middle_name)
            .bind(accept_id)
            .bind(&accept_path)
            .bind(exec_id)
            .bind(&exec_path)
            .bind(&a.executor_person)
            .bind(working_hours.to_string())
            .bind(&a.external_id)
            .bind(us(a.accepted_at))
            .bind(us(p.effective_acceptance))
            .bind(p.planned_date.to_string())
            .bind(us(p.deadline))
            .bind(p.stage.as_str())
            .bind(i64::from(p.stage.number()))
            .bind(p.suspended)
            .bind(p.overdue)
            .bind(p.overdue_seconds)
            .bind(p.nearing)
            .bind(us(p.nearing_at))
            .bind(p.pending())
            .bind(&genesis)
            .bind(us(now))
            .bind(qyzmet_domain::search::name_key(&a.applicant.last_name))
            .bind(passport_version)
            .fetch_one(&mut *tx)
            .await?;
            let app_id: i64 = inserted.try_get("id")?;
            let mut rollup = crate::rollup::RollupChanges::default();
            rollup.change(
                app_id,
                None,
                &crate::rollup::Standing::of(p.deadline, None, exec_id, service_id),
            );
            crate::rollup::write_rollups!(tx, &rollup)?;
            sqlx::query("INSERT INTO application_derivations (app_id, derivation) VALUES ($1, $2)")
                .bind(app_id)
                .bind(p.derivation.as_deref().unwrap_or("{}"))
                .execute(&mut *tx)
                .await?;
            if let Some(c) = &a.contact {
                sqlx::query(
                    "INSERT INTO applicant_contacts (app_id, email, phone, language) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(app_id)
                .bind(c.email.as_ref().map(|e| e.as_str().to_string()))
                .bind(c.phone.as_ref().map(|p| p.digits().to_string()))
                .bind(c.language.as_str())
                .execute(&mut *tx)
                .await?;
            }
            // The registration reaches stage 1 (000 §6): the applicant's notice, the webhooks.
            let registered = crate::informing::batch::Change::registration(
                app_id,
                number,
                &accept_path,
                &exec_path,
                p.planned_date.to_string(),
                a,
            );
            crate::informing::batch::write_outbox!(tx, passports, &[registered], now)?;
            crate::audit_in!(
                tx,
                now,
                actor,
                "application.register",
                number.to_string(),
                a.service.to_string()
            );
            let app = sqlx::query_as::<_, AppRow>(&format!("{APP_SELECT} WHERE a.number = $1"))
                .bind(number.as_i64())
                .fetch_one(&mut *tx)
                .await?
                .into_model()?;
            if let Some(sig) = &a.signature {
                crate::ingest::insert_signatures!(tx, &[(app_id, 0, sig)])?;
            }
            let receipt = match acceptance {
                Some(acc) => {
                    crate::front_office::write_acceptance!(
                        tx,
                        acc,
                        service_id,
                        Some((app_id, number, p.planned_date.to_string())),
                        actor,
                        now
                    );
                    Some(crate::front_office::receipt_in!(tx, &acc.receipt.id)?)
                }
                None => None,
            };
            // Last: the ledger's lock is held only until the commit.
            crate::ledger::append!(
                tx,
                &[crate::ledger::NewLeaf {
                    app_id,
                    number: number.as_i64(),
                    seq: 0,
                    event_id: None,
                    chain_hash: genesis.clone(),
                }]
            )?;
            tx.commit().await?;
            Ok((app, true, receipt))
        })
    }

    /// One application with its history and deadline changes, if the scope sees it.
    #[tracing::instrument(skip_all)]
    pub async fn application(
        &self,
        number: ApplicationNumber,
        scope: &Scope,
    ) -> Result<ApplicationDetail> {
        let db = match self {
            Store::Sqlite(db) => return db.native.application(number, scope),
            Store::Postgres(db) => db,
        };
        // One connection for the whole read, and the history in the same round trip.
        let mut conn = db.pool.acquire().await?;
        let Some(found) = sqlx::query(&format!("{APP_SELECT_WITH_HISTORY_PG} WHERE a.number = $1"))
            .bind(number.as_i64())
            .fetch_optional(&mut *conn)
            .await?
        else {
            return Err(StoreError::NotFound("application"));
        };
        let row = AppRow::from_row(&found)?;
        if !scope.sees(&row.accept_path, &row.exec_path) {
            return Err(StoreError::NotFound("application"));
        }
        let history: String = found.try_get("history")?;
        let events: Vec<EventRow> =
            serde_json::from_str(&history).map_err(|e| StoreError::Corrupt {
                column: "events",
                detail: e.to_string(),
            })?;
        let evidence: String = found.try_get("evidence")?;
        let evidence: Vec<EvidenceRow> =
            serde_json::from_str(&evidence).map_err(|e| StoreError::Corrupt {
                column: "ledger",
                detail: e.to_string(),
            })?;
        // Most applications never had their deadline changed: skip the query then.
        let changes = if row.deadline_change_count == 0 {
            vec![]
        } else {
            sqlx::query_as::<_, DeadlineChangeRow>(
                "SELECT old_planned_date, new_planned_date, old_deadline, new_deadline, reason, \
                 changed_at FROM deadline_changes WHERE number = $1 ORDER BY id",
            )
            .bind(number.as_i64())
            .fetch_all(&mut *conn)
            .await?
        };
        drop(conn);
        detail(row, events, changes, evidence)
    }
}
