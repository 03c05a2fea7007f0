//! The violations report's rollups (000 §12; ADR 0009; migration 0009; docs/reports.md, "How
//! the figures are computed").
//!
//! An application counts in the report of the month its deadline falls in. Once that month
//! is over, an application completed on time is settled: every report computed afterwards
//! counts it as due and on time, whatever its moment. So per month, executing organization
//! and service the store keeps two running counts, `due` and `on_time`, and the list of the
//! month's other applications (open, or completed late) — its *cases*, which the report
//! judges one by one as of its moment, because their verdict depends on it (open or overdue,
//! suspended, completed after the moment, overdue days, an outage's technical cause).
//!
//! The rollups change in the transaction of every write that changes an application's
//! [`Standing`]: registration and import add one, an event or a deadline recomputation moves
//! it (a completion, a new deadline, another executor). Each write compares the standing it
//! read with the one it writes and applies the difference ([`RollupChanges`]); most events
//! change nothing and write nothing here.
//!
//! An application whose history has a suspension, a resumption or a change of executor is
//! *amended* (migration 0010): as of an earlier moment it may have been suspended or not,
//! had another executor, and had an earlier deadline, so neither the settled counts nor its
//! current row say how a report as of that moment counts it. It leaves the counts and the
//! cases, and is listed in `violation_amended` under every month its deadline may fall in as
//! of some moment (from its acceptance's month to its current deadline's: suspensions only
//! move a deadline later); each report recomputes it from its history as of its moment
//! (`crate::violations`).

use crate::convert::ts;
use crate::error::Result;
use crate::{with_db, Store};
use jiff::Timestamp;
use qyzmet_domain::stage::{EventKind, History};
use qyzmet_domain::violation::Month;
use qyzmet_domain::zone::local_date;
use sqlx::Row;
use std::collections::BTreeMap;

/// Applications read per page when the rollups are built from stored applications.
const BACKFILL_PAGE: i64 = 20_000;

/// Where an application stands in the rollups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Standing {
    /// `YYYY-MM` of the deadline's local date.
    pub month: String,
    pub exec_org_id: i64,
    pub service_id: i64,
    /// Completed at or before its deadline (rule 8): settled.
    pub on_time: bool,
    /// When amended, the month of its acceptance: the earliest its deadline can fall in as of
    /// any moment.
    pub amended_from: Option<String>,
}

/// `YYYY-MM` of an instant's local date.
pub(crate) fn month_of(t: Timestamp) -> String {
    Month::of(local_date(t)).to_string()
}

/// Whether a history makes an application amended: a suspension, a resumption or a change of
/// executor, any of which a report as of an earlier moment must see undone.
pub(crate) fn amends(history: &History) -> bool {
    history
        .events()
        .iter()
        .any(|e| !matches!(e.kind, EventKind::Stage { .. } | EventKind::Scanned { .. }))
}

impl Standing {
    /// The standing of an application never amended.
    pub(crate) fn of(
        deadline: Timestamp,
        completion: Option<Timestamp>,
        exec_org_id: i64,
        service_id: i64,
    ) -> Standing {
        Standing {
            month: month_of(deadline),
            exec_org_id,
            service_id,
            on_time: completion.is_some_and(|c| c <= deadline),
            amended_from: None,
        }
    }

    /// The same standing, amended when `history` [`amends`] it (accepted at `accepted_at`).
    pub(crate) fn with_history(mut self, history: &History) -> Standing {
        if amends(history) {
            self.amended_from = Some(month_of(history.accepted_at()));
        }
        self
    }

    /// Its case month when it is a case of the counts (not amended, not settled).
    fn case_month(&self) -> Option<&str> {
        (self.amended_from.is_none() && !self.on_time).then_some(self.month.as_str())
    }

    /// The months it is listed under as amended, in order.
    fn amended_months(&self) -> Vec<String> {
        let Some(from) = &self.amended_from else {
            return vec![];
        };
        let (Ok(mut m), Ok(last)) = (from.parse::<Month>(), self.month.parse::<Month>()) else {
            // Outside the years a month may have: listed under its deadline's month alone.
            return vec![self.month.clone()];
        };
        let mut months = vec![];
        while m <= last {
            months.push(m.to_string());
            m = Month::of(m.end());
        }
        if months.is_empty() {
            months.push(self.month.clone());
        }
        months
    }
}

/// The changes a write makes to the rollups, gathered over a batch and written at once.
#[derive(Debug, Default)]
pub(crate) struct RollupChanges {
    /// (month, executing organization, service) → (due, on time) to add; the keys sorted,
    /// so concurrent writers lock the rows in one order.
    cells: BTreeMap<(String, i64, i64), (i64, i64)>,
    /// Cases to put (application key, month), and applications no longer cases.
    put: Vec<(i64, String)>,
    drop: Vec<i64>,
    /// Amended applications whose months are (re)listed: their rows are deleted, then the
    /// `(month, application key)` rows of `amend` inserted.
    unamend: Vec<i64>,
    amend: Vec<(String, i64)>,
}

impl RollupChanges {
    /// An application's standing changes from `old` (none when new) to `new`.
    pub(crate) fn change(&mut self, app_id: i64, old: Option<&Standing>, new: &Standing) {
        if old == Some(new) {
            return;
        }
        // The settled counts hold applications never amended.
        if let Some(o) = old.filter(|o| o.amended_from.is_none()) {
            let c = self
                .cells
                .entry((o.month.clone(), o.exec_org_id, o.service_id))
                .or_default();
            c.0 -= 1;
            c.1 -= i64::from(o.on_time);
        }
        if new.amended_from.is_none() {
            let c = self
                .cells
                .entry((new.month.clone(), new.exec_org_id, new.service_id))
                .or_default();
            c.0 += 1;
            c.1 += i64::from(new.on_time);
        }
        let old_case = old.and_then(Standing::case_month);
        match (old_case, new.case_month()) {
            (was, Some(m)) if was != Some(m) => self.put.push((app_id, m.to_string())),
            (Some(_), None) => self.drop.push(app_id),
            _ => {}
        }
        let old_months = old.map(Standing::amended_months).unwrap_or_default();
        let new_months = new.amended_months();
        if old_months != new_months {
            if !old_months.is_empty() {
                self.unamend.push(app_id);
            }
            self.amend
                .extend(new_months.into_iter().map(|m| (m, app_id)));
        }
    }

    /// The cells whose counts change, as `(month, org, service, due, on_time)` rows.
    pub(crate) fn cells(&self) -> Vec<(&str, i64, i64, i64, i64)> {
        self.cells
            .iter()
            .filter(|(_, d)| **d != (0, 0))
            .map(|((m, o, s), (due, on))| (m.as_str(), *o, *s, *due, *on))
            .collect()
    }

    pub(crate) fn put(&self) -> &[(i64, String)] {
        &self.put
    }

    pub(crate) fn dropped(&self) -> &[i64] {
        &self.drop
    }

    pub(crate) fn unamended(&self) -> &[i64] {
        &self.unamend
    }

    pub(crate) fn amended(&self) -> &[(String, i64)] {
        &self.amend
    }
}

/// Head of the multi-row cell update; `(month, exec_org_id, service_id, due, on_time)` rows
/// follow as `VALUES`, then [`CELL_ADD_TAIL`].
pub(crate) const CELL_ADD: &str =
    "INSERT INTO violation_rollups (month, exec_org_id, service_id, due, on_time) ";
pub(crate) const CELL_ADD_TAIL: &str = " ON CONFLICT (month, exec_org_id, service_id) DO UPDATE \
    SET due = violation_rollups.due + excluded.due, \
    on_time = violation_rollups.on_time + excluded.on_time";
/// Head of the multi-row case insert; `(app_id, month)` rows follow, then [`CASE_PUT_TAIL`].
pub(crate) const CASE_PUT: &str = "INSERT INTO violation_cases (app_id, month) ";
pub(crate) const CASE_PUT_TAIL: &str = " ON CONFLICT (app_id) DO UPDATE SET month = excluded.month";
/// Head of the case delete; a list of application keys follows, then `)`.
pub(crate) const CASE_DROP: &str = "DELETE FROM violation_cases WHERE app_id IN (";
/// Head of the delete of amended applications' months; a list of keys follows, then `)`.
pub(crate) const AMENDED_DROP: &str = "DELETE FROM violation_amended WHERE app_id IN (";
/// Head of the insert of amended applications' months; `(month, app_id)` rows follow.
pub(crate) const AMENDED_PUT: &str = "INSERT INTO violation_amended (month, app_id) ";

/// Writes rollup changes inside the transaction `$tx` (sqlx, either backend).
macro_rules! write_rollups {
    ($tx:expr, $changes:expr) => {{
        let changes: &$crate::rollup::RollupChanges = $changes;
        let cells = changes.cells();
        for chunk in cells.chunks($crate::ingest::CHUNK) {
            let mut qb = sqlx::QueryBuilder::new($crate::rollup::CELL_ADD);
            qb.push_values(chunk, |mut b, (month, org, service, due, on_time)| {
                b.push_bind(month.to_string())
                    .push_bind(*org)
                    .push_bind(*service)
                    .push_bind(*due)
                    .push_bind(*on_time);
            });
            qb.push($crate::rollup::CELL_ADD_TAIL);
            qb.build().execute(&mut *$tx).await?;
        }
        for chunk in changes.put().chunks($crate::ingest::CHUNK) {
            let mut qb = sqlx::QueryBuilder::new($crate::rollup::CASE_PUT);
            qb.push_values(chunk, |mut b, (app_id, month)| {
                b.push_bind(*app_id).push_bind(month.clone());
            });
            qb.push($crate::rollup::CASE_PUT_TAIL);
            qb.build().execute(&mut *$tx).await?;
        }
        $crate::rollup::delete_in!($tx, $crate::rollup::CASE_DROP, changes.dropped());
        $crate::rollup::write_amended!($tx, changes)
    }};
}
pub(crate) use write_rollups;

/// Deletes the rows of the application keys `$ids` (`$head`: a delete ending in `IN (`).
macro_rules! delete_in {
    ($tx:expr, $head:expr, $ids:expr) => {{
        let ids: &[i64] = $ids;
        for chunk in ids.chunks($crate::ingest::CHUNK) {
            let mut qb = sqlx::QueryBuilder::new($head);
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(")");
            qb.build().execute(&mut *$tx).await?;
        }
    }};
}
pub(crate) use delete_in;

/// Relists the amended applications' months of rollup changes inside `$tx` (sqlx, either
/// backend): their rows deleted, then the new ones inserted.
macro_rules! write_amended {
    ($tx:expr, $changes:expr) => {{
        let changes: &$crate::rollup::RollupChanges = $changes;
        $crate::rollup::delete_in!($tx, $crate::rollup::AMENDED_DROP, changes.unamended());
        for chunk in changes.amended().chunks($crate::ingest::CHUNK) {
            let mut qb = sqlx::QueryBuilder::new($crate::rollup::AMENDED_PUT);
            qb.push_values(chunk, |mut b, (month, app_id)| {
                b.push_bind(month.clone()).push_bind(*app_id);
            });
            qb.build().execute(&mut *$tx).await?;
        }
        Ok::<_, $crate::StoreError>(())
    }};
}
pub(crate) use write_amended;

impl Store {
    /// Builds the rollups from the applications already stored, once: when migration 0009
    /// finds a database with applications (it marks the rollups as still to be built). One
    /// transaction; on PostgreSQL it holds writes to applications off meanwhile, so no
    /// change is counted twice. Returns the number of applications counted.
    pub(crate) async fn rollup_backfill(&self) -> Result<u64> {
        self.build_rollups(false).await
    }

    /// Rebuilds the violations report's rollups from the applications, in one transaction
    /// (a repair: `qyzmet report rebuild-rollups`). Returns the number of applications
    /// counted.
    pub async fn rebuild_violation_rollups(&self) -> Result<u64> {
        self.build_rollups(true).await
    }

    /// Builds the rollups: when `reset`, from scratch; else only if still to be built.
    async fn build_rollups(&self, reset: bool) -> Result<u64> {
        let postgres = self.backend_name() == "postgres";
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let claimed = sqlx::query(if reset {
                "UPDATE violation_rollup_state SET backfill = FALSE WHERE id = 1"
            } else {
                "UPDATE violation_rollup_state SET backfill = FALSE \
                 WHERE id = 1 AND backfill = TRUE"
            })
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                tx.rollback().await?;
                return Ok(0);
            }
            if postgres {
                sqlx::query("LOCK TABLE applications IN SHARE MODE")
                    .execute(&mut *tx)
                    .await?;
            }
            if reset {
                sqlx::query("DELETE FROM violation_amended")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM violation_cases")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM violation_rollups")
                    .execute(&mut *tx)
                    .await?;
            }
            let mut after: i64 = 0;
            let mut n: u64 = 0;
            loop {
                let rows = sqlx::query(
                    "SELECT id, accepted_at, deadline, actual_completion, exec_org_id, service_id, \
                     EXISTS (SELECT 1 FROM events e WHERE e.app_id = applications.id \
                     AND e.kind NOT IN ('stage', 'scanned')) AS amended \
                     FROM applications WHERE id > $1 ORDER BY id LIMIT $2",
                )
                .bind(after)
                .bind(BACKFILL_PAGE)
                .fetch_all(&mut *tx)
                .await?;
                let Some(last) = rows.last() else { break };
                after = last.try_get("id")?;
                let mut changes = RollupChanges::default();
                for r in &rows {
                    let mut standing = Standing::of(
                        ts("deadline", r.try_get("deadline")?)?,
                        r.try_get::<Option<i64>, _>("actual_completion")?
                            .map(|c| ts("actual_completion", c))
                            .transpose()?,
                        r.try_get("exec_org_id")?,
                        r.try_get("service_id")?,
                    );
                    if r.try_get::<bool, _>("amended")? {
                        standing.amended_from =
                            Some(month_of(ts("accepted_at", r.try_get("accepted_at")?)?));
                    }
                    changes.change(r.try_get("id")?, None, &standing);
                }
                write_rollups!(tx, &changes)?;
                n += rows.len() as u64;
            }
            tx.commit().await?;
            if n > 0 || reset {
                tracing::info!(applications = n, "violation report rollups built");
            }
            Ok(n)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn the_month_is_the_deadline_s_local_date() {
        // 2026-03-31 19:30 UTC is 2026-04-01 00:30 in Asia/Almaty (UTC+5).
        let s = Standing::of(at("2026-03-31T19:30:00Z"), None, 1, 2);
        assert_eq!(s.month, "2026-04");
        let s = Standing::of(at("2026-03-31T18:59:59Z"), None, 1, 2);
        assert_eq!(s.month, "2026-03");
    }

    #[test]
    fn on_time_is_completion_at_or_before_the_deadline() {
        let d = at("2026-04-10T18:59:59Z");
        assert!(Standing::of(d, Some(d), 1, 2).on_time);
        assert!(!Standing::of(d, Some(at("2026-04-10T19:00:00Z")), 1, 2).on_time);
        assert!(!Standing::of(d, None, 1, 2).on_time);
    }

    #[test]
    fn changes_move_counts_and_cases() {
        let d = at("2026-04-10T18:59:59Z");
        let open = Standing::of(d, None, 1, 2);
        let done = Standing::of(d, Some(d), 1, 2);
        let moved = Standing::of(d, None, 3, 2);
        let mut c = RollupChanges::default();
        c.change(10, None, &open); // registered: due (+1), a case
        c.change(11, Some(&open), &done); // completed on time: no longer a case
        c.change(12, Some(&open), &moved); // another executor (-1 here, +1 there): still a case
        c.change(13, Some(&open), &open); // nothing
        assert_eq!(
            c.cells(),
            vec![("2026-04", 1, 2, 0, 1), ("2026-04", 3, 2, 1, 0)]
        );
        assert_eq!(c.put(), &[(10, "2026-04".to_string())]);
        assert_eq!(c.dropped(), &[11]);
        // A new deadline in another month moves the case.
        let mut c = RollupChanges::default();
        let later = Standing::of(at("2026-05-04T18:59:59Z"), None, 1, 2);
        c.change(14, Some(&open), &later);
        assert_eq!(c.put(), &[(14, "2026-05".to_string())]);
        assert_eq!(
            c.cells(),
            vec![("2026-04", 1, 2, -1, 0), ("2026-05", 1, 2, 1, 0)]
        );
    }

    /// An application amended (finding 8 of issue 15) leaves the counts and the cases and is
    /// listed under every month from its acceptance's to its deadline's; a later deadline
    /// relists it; an unchanged one writes nothing.
    #[test]
    fn amended_applications_are_listed_apart() {
        let d = at("2026-04-10T18:59:59Z");
        let open = Standing::of(d, None, 1, 2);
        let mut amended = open.clone();
        amended.amended_from = Some("2026-02".into());
        let mut c = RollupChanges::default();
        c.change(20, Some(&open), &amended);
        assert_eq!(c.cells(), vec![("2026-04", 1, 2, -1, 0)]);
        assert_eq!(c.dropped(), &[20]);
        assert!(c.unamended().is_empty());
        assert_eq!(
            c.amended(),
            &[
                ("2026-02".to_string(), 20),
                ("2026-03".to_string(), 20),
                ("2026-04".to_string(), 20)
            ]
        );
        // Settled on time before it was amended: the on-time count goes too.
        let mut c = RollupChanges::default();
        let done = Standing::of(d, Some(d), 1, 2);
        let mut done_amended = done.clone();
        done_amended.amended_from = Some("2026-04".into());
        c.change(21, Some(&done), &done_amended);
        assert_eq!(c.cells(), vec![("2026-04", 1, 2, -1, -1)]);
        assert!(c.dropped().is_empty() && c.put().is_empty());
        assert_eq!(c.amended(), &[("2026-04".to_string(), 21)]);
        // Resumed: its deadline moves to May; relisted, counts untouched.
        let mut later = Standing::of(at("2026-05-04T18:59:59Z"), None, 3, 2);
        later.amended_from = Some("2026-02".into());
        let mut c = RollupChanges::default();
        c.change(20, Some(&amended), &later);
        assert!(c.cells().is_empty() && c.put().is_empty() && c.dropped().is_empty());
        assert_eq!(c.unamended(), &[20]);
        assert_eq!(c.amended().len(), 4);
        // Completed in the same month under the same executor: nothing to write.
        let mut c = RollupChanges::default();
        let mut completed = amended.clone();
        completed.on_time = true;
        c.change(20, Some(&amended), &completed);
        assert!(c.cells().is_empty() && c.unamended().is_empty() && c.amended().is_empty());
    }
}
