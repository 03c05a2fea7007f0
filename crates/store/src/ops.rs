//! Operations: health, the overdue sweep (000 §11) and its lease, outages (000 §12), the
//! personal-data access audit, and counts for metrics.

use crate::convert::{join, us};
use crate::error::Result;
use crate::models::*;
use crate::rows::OutageRow;
use crate::{with_db, Store};
use jiff::Timestamp;
use sqlx::{QueryBuilder, Row};

/// Refuses, inside the transaction `$tx`, systems that are not registered.
macro_rules! check_systems {
    ($tx:expr, $systems:expr) => {
        if !$systems.is_empty() {
            let mut qb =
                QueryBuilder::new("SELECT COUNT(*) AS n FROM information_systems WHERE code IN (");
            let mut sep = qb.separated(", ");
            for s in &$systems {
                sep.push_bind(s.clone());
            }
            qb.push(")");
            let n: i64 = qb.build().fetch_one(&mut *$tx).await?.try_get("n")?;
            if n as usize != $systems.len() {
                return Err(crate::StoreError::Invalid {
                    code: "unknown_information_system",
                    field: "systems",
                });
            }
        }
    };
}

impl Store {
    /// Whether the database answers.
    pub async fn ping(&self) -> Result<()> {
        with_db!(self, |read, _write| {
            sqlx::query("SELECT 1").execute(read).await?;
            Ok(())
        })
    }

    /// Takes or renews the lease of `job` for `holder` until `now + ttl`; true when held.
    /// Exactly one holder gets it while it has not expired.
    pub async fn acquire_lease(
        &self,
        job: &str,
        holder: &str,
        now: Timestamp,
        ttl: jiff::SignedDuration,
    ) -> Result<bool> {
        let until = now.checked_add(ttl).unwrap_or(now);
        with_db!(self, |_read, write| {
            let done = sqlx::query(
                "INSERT INTO job_leases (job, holder, expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
                 WHERE job_leases.expires_at < $4 OR job_leases.holder = excluded.holder",
            )
            .bind(job)
            .bind(holder)
            .bind(us(until))
            .bind(us(now))
            .execute(write)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Gives the lease up so another node may take it at once.
    pub async fn release_lease(&self, job: &str, holder: &str) -> Result<()> {
        with_db!(self, |_read, write| {
            sqlx::query("DELETE FROM job_leases WHERE job = $1 AND holder = $2")
                .bind(job)
                .bind(holder)
                .execute(write)
                .await?;
            Ok(())
        })
    }

    /// Moves pending applications into overdue and nearing as time passes (000 §11).
    /// Set-based: two updates over partial indexes of the applications whose clock runs, so
    /// each application is written once when it becomes overdue and once when it becomes
    /// nearing, never again by the sweep. The running overdue duration of an open overdue
    /// application is computed when it is read ([`Application::at`]).
    ///
    /// The updates are conditional: on PostgreSQL a row an event changed meanwhile is judged
    /// again as that event left it, so the sweep never writes back a stale state. There they
    /// also lock their rows in ascending number first, the order every writer of applications
    /// follows (`contention.rs`): in the table's order they could deadlock with a batch.
    #[tracing::instrument(skip_all)]
    pub async fn sweep(&self, now: Timestamp) -> Result<SweepCounts> {
        crate::contention::retrying!("sweep", &[], self.sweep_once(now))
    }

    async fn sweep_once(&self, now: Timestamp) -> Result<SweepCounts> {
        const OVERDUE: &str = "pending = TRUE AND suspended = FALSE AND overdue = FALSE \
            AND deadline < $1";
        const NEARING: &str = "pending = TRUE AND suspended = FALSE AND overdue = FALSE \
            AND nearing = FALSE AND nearing_at <= $1";
        const SET_OVERDUE: &str = "overdue = TRUE, nearing = FALSE, \
            overdue_seconds = ($1 - deadline) / 1000000, updated_at = $1";
        const SET_NEARING: &str = "nearing = TRUE, updated_at = $1";
        let (overdue, nearing) = match self {
            Store::Sqlite(_) => (
                format!("UPDATE applications SET {SET_OVERDUE} WHERE {OVERDUE}"),
                format!("UPDATE applications SET {SET_NEARING} WHERE {NEARING}"),
            ),
            Store::Postgres(_) => {
                let locked = |cond: &str, set: &str| {
                    format!(
                        "WITH due AS MATERIALIZED (SELECT id FROM applications WHERE {cond} \
                         ORDER BY number FOR NO KEY UPDATE) \
                         UPDATE applications SET {set} FROM due WHERE applications.id = due.id"
                    )
                };
                (locked(OVERDUE, SET_OVERDUE), locked(NEARING, SET_NEARING))
            }
        };
        let t = us(now);
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let became_overdue = sqlx::query(&overdue)
                .bind(t)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let became_nearing = sqlx::query(&nearing)
                .bind(t)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(SweepCounts {
                became_overdue,
                became_nearing,
            })
        })
    }

    /// Pending applications already overdue (the open-overdue gauge).
    pub async fn count_open_overdue(&self) -> Result<i64> {
        with_db!(self, |read, _write| {
            Ok(sqlx::query(
                "SELECT COUNT(*) AS n FROM applications WHERE pending = TRUE AND overdue = TRUE",
            )
            .fetch_one(read)
            .await?
            .try_get("n")?)
        })
    }

    /// All applications (for progress and benchmarks).
    /// The internal keys of the applications with these numbers, as `(key, number)` in key
    /// order; unknown numbers are left out. For diagnostics and benchmarks.
    pub async fn application_keys(&self, numbers: &[i64]) -> Result<Vec<(i64, i64)>> {
        with_db!(self, |read, _write| {
            let mut out = Vec::with_capacity(numbers.len());
            for chunk in numbers.chunks(crate::ingest::CHUNK) {
                let mut qb =
                    QueryBuilder::new("SELECT id, number FROM applications WHERE number IN (");
                let mut sep = qb.separated(", ");
                for n in chunk {
                    sep.push_bind(*n);
                }
                qb.push(")");
                for r in qb.build().fetch_all(read).await? {
                    out.push((r.try_get("id")?, r.try_get("number")?));
                }
            }
            out.sort_unstable();
            Ok(out)
        })
    }

    /// Refreshes the query planner's statistics after a bulk load. PostgreSQL plans from
    /// sampled statistics that autovacuum refreshes only about once a minute: during a fill
    /// of a million rows they describe a much smaller table, and an indexed `IN` lookup
    /// became a sequential scan of ~1 s. SQLite keeps no statistics unless asked to.
    pub async fn refresh_statistics(&self) -> Result<()> {
        if let Store::Postgres(db) = self {
            sqlx::query(
                "ANALYZE applications, application_derivations, events, ledger, event_signatures",
            )
            .execute(&db.pool)
            .await?;
        }
        Ok(())
    }

    pub async fn count_applications(&self) -> Result<i64> {
        with_db!(self, |read, _write| {
            Ok(sqlx::query("SELECT COUNT(*) AS n FROM applications")
                .fetch_one(read)
                .await?
                .try_get("n")?)
        })
    }

    pub async fn create_outage(
        &self,
        o: &NewOutage,
        recorded_by: &str,
        now: Timestamp,
    ) -> Result<Outage> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            check_systems!(tx, o.systems);
            let row = sqlx::query_as::<_, OutageRow>(
                "INSERT INTO outages (started_at, ended_at, all_systems, systems, operator, description, \
                 recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
            )
            .bind(us(o.started_at))
            .bind(o.ended_at.map(us))
            .bind(o.all_systems)
            .bind(join(&o.systems))
            .bind(&o.operator)
            .bind(&o.description)
            .bind(recorded_by)
            .bind(us(now))
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            row.into_model()
        })
    }

    /// Changes an outage (its times, systems, operator or description); the change and the
    /// values it replaced are audited in the same transaction.
    pub async fn update_outage(
        &self,
        id: i64,
        o: &NewOutage,
        actor: &str,
        now: Timestamp,
    ) -> Result<(Outage, Outage)> {
        // Locked: of two changes at once, the second reads (audits, and has revised) what
        // the first wrote, not what both replaced.
        let lock = self.row_lock();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let Some(before) = sqlx::query_as::<_, OutageRow>(&format!(
                "SELECT * FROM outages WHERE id = $1{lock}"
            ))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            else {
                return Err(crate::StoreError::NotFound("outage"));
            };
            check_systems!(tx, o.systems);
            let row = sqlx::query_as::<_, OutageRow>(
                "UPDATE outages SET started_at = $1, ended_at = $2, all_systems = $3, systems = $4, \
                 operator = $5, description = $6 WHERE id = $7 RETURNING *",
            )
            .bind(us(o.started_at))
            .bind(o.ended_at.map(us))
            .bind(o.all_systems)
            .bind(join(&o.systems))
            .bind(&o.operator)
            .bind(&o.description)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let detail = format!(
                "was {}..{} {}",
                before.started_at,
                before.ended_at.map(|e| e.to_string()).unwrap_or_default(),
                if before.all_systems {
                    "all systems".to_string()
                } else {
                    before.systems.clone()
                }
            );
            crate::audit_in!(
                tx,
                now,
                actor,
                "outage.update",
                format!("outage:{id}"),
                detail
            );
            tx.commit().await?;
            Ok((before.into_model()?, row.into_model()?))
        })
    }

    /// Outages overlapping [from, to), newest first, before id `before`.
    pub async fn outages(
        &self,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Outage>> {
        with_db!(self, |read, _write| {
            let mut qb = QueryBuilder::new("SELECT * FROM outages WHERE 1 = 1");
            if let Some(f) = from {
                qb.push(" AND (ended_at IS NULL OR ended_at > ")
                    .push_bind(us(f))
                    .push(")");
            }
            if let Some(t) = to {
                qb.push(" AND started_at < ").push_bind(us(t));
            }
            if let Some(b) = before {
                qb.push(" AND id < ").push_bind(b);
            }
            qb.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
            qb.build_query_as::<OutageRow>()
                .fetch_all(read)
                .await?
                .into_iter()
                .map(OutageRow::into_model)
                .collect()
        })
    }

    /// Appends entries to the access audit, in one transaction: a batch of the group commit
    /// (the server's `audit` writer). One statement for any number of entries on PostgreSQL
    /// (arrays, so one prepared statement serves every batch size), on the audit's own
    /// connections (`AUDIT_CONNECTIONS`); on SQLite the rusqlite writer, which takes turns
    /// with the other writes (ADR 0003).
    pub async fn append_audit(&self, entries: &[AuditEntry]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let n = entries.len();
        let (mut at, mut actor, mut action, mut subject, mut detail) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for e in entries {
            at.push(us(e.at));
            actor.push(e.actor.clone());
            action.push(e.action.clone());
            subject.push(e.subject.clone());
            detail.push(e.detail.clone());
        }
        match self {
            Store::Postgres(db) => {
                sqlx::query(
                    "INSERT INTO audit_log (at, actor, action, subject, detail) \
                     SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])",
                )
                .bind(at)
                .bind(actor)
                .bind(action)
                .bind(subject)
                .bind(detail)
                .execute(&db.audit)
                .await?;
                Ok(())
            }
            Store::Sqlite(db) => {
                db.native
                    .write(&db.write, move |tx| {
                        let mut insert = tx.prepare_cached(
                            "INSERT INTO audit_log (at, actor, action, subject, detail) \
                             VALUES (?1, ?2, ?3, ?4, ?5)",
                        )?;
                        for i in 0..n {
                            insert.execute(rusqlite::params![
                                at[i], actor[i], action[i], subject[i], detail[i]
                            ])?;
                        }
                        Ok(())
                    })
                    .await
            }
        }
    }

    /// Audit entries about a subject (e.g. an application number), oldest first.
    pub async fn audit_of(&self, subject: &str, limit: i64) -> Result<Vec<AuditEntry>> {
        with_db!(self, |read, _write| {
            let rows = sqlx::query("SELECT at, actor, action, subject, detail FROM audit_log WHERE subject = $1 ORDER BY id LIMIT $2")
                .bind(subject)
                .bind(limit)
                .fetch_all(read)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(AuditEntry {
                        at: crate::convert::ts("audit_log.at", r.try_get("at")?)?,
                        actor: r.try_get("actor")?,
                        action: r.try_get("action")?,
                        subject: r.try_get("subject")?,
                        detail: r.try_get("detail")?,
                    })
                })
                .collect()
        })
    }

    /// Who registered application `number` (the actor of its `application.register` audit
    /// entry, written in the registration's transaction at `recorded_at`, the application's
    /// own `recorded_at`); `None` when it was registered without one (bulk import) or the
    /// entry is gone. Found through the index on the entries' time, not a scan.
    pub async fn registered_by(
        &self,
        number: &str,
        recorded_at: Timestamp,
    ) -> Result<Option<String>> {
        with_db!(self, |read, _write| {
            let row = sqlx::query(
                "SELECT actor FROM audit_log WHERE at = $1 AND subject = $2 \
                 AND action = 'application.register' ORDER BY id LIMIT 1",
            )
            .bind(us(recorded_at))
            .bind(number)
            .fetch_optional(read)
            .await?;
            Ok(match row {
                Some(r) => Some(r.try_get("actor")?),
                None => None,
            })
        })
    }
}

impl Store {
    /// Runs one statement outside a transaction (administration: e.g. CREATE DATABASE on
    /// PostgreSQL, which cannot run inside one). Not for request handling.
    pub async fn execute_raw(&self, sql: &str) -> Result<()> {
        with_db!(self, |_read, write| {
            sqlx::raw_sql(sql).execute(write).await?;
            Ok(())
        })
    }
}
