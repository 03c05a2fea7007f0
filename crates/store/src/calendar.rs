//! The production calendar as stored (seeded from the shipped data, editable), its upgrade to
//! the calendar a new release ships, and the recomputation of open applications' planned
//! dates when an entry changes.
//!
//! A stored day belongs to the shipped calendar until an administrator edits it: seeding
//! writes no `calendar_changes` row, an administrator's edit writes one under the
//! administrator's name, and the upgrade writes one under [`SHIPPED_CALENDAR_ACTOR`]. At
//! start-up [`Store::sync_shipped_calendar`] rewrites every day that still belongs to the
//! shipped calendar and differs from the one this release ships (issue 15, finding 9: a
//! corrected entry must reach databases seeded by an earlier release), and leaves the days an
//! administrator edited as they are.
//!
//! A deadline is computed with the calendar stored when its transaction runs, never with a
//! node's copy of it: that copy may predate an edit (this node's, a moment ago, or another
//! node's, until its next poll), and a deadline computed with it would overwrite the one the
//! edit recomputed (issue 15). So every write that computes a deadline reads the calendar's
//! stamp inside its transaction, under the calendar's lock held shared on PostgreSQL
//! ([`crate::contention`]), and an edit — an administrator's or the shipped calendar's —
//! holds that lock exclusive: a write either commits before the edit starts (and the edit
//! recomputes what it wrote) or runs after the edit committed, with the edited calendar. The
//! calendar itself is read again only when the stamp moved ([`CalendarCache`]).

use crate::convert::{date, us};
use crate::error::Result;
use crate::ingest::{load_states, write_projections, AppState};
use crate::models::{CalendarEditResult, CalendarSync};
use crate::projection::{project, ProjectionRow};
use crate::rows::CalendarRow;
use crate::{with_db, Store};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use qyzmet_domain::calendar::{CalendarEntry, DayKind};
use qyzmet_domain::{zone, ProductionCalendar};
use sqlx::{QueryBuilder, Row};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

/// The stored calendar's stamp: it moves with every edit (a removal touches another row).
pub(crate) const STAMP: &str =
    "SELECT COUNT(*) AS n, COALESCE(MAX(updated_at), 0) AS at FROM calendar_entries";
/// Every stored entry, in date order.
pub(crate) const ENTRIES: &str = "SELECT day, kind, name, source, name_kk, name_ru, source_kk, \
     source_ru FROM calendar_entries ORDER BY day";

/// A stored calendar and the stamp it was read at.
type Stamped = ((i64, i64), Arc<ProductionCalendar>);

/// The stored calendar as last read, with the stamp it was read at; shared by the clones of
/// a store.
#[derive(Clone, Debug, Default)]
pub(crate) struct CalendarCache(Arc<Mutex<Option<Stamped>>>);

impl CalendarCache {
    /// The calendar read at `stamp`, if that is the one kept.
    pub(crate) fn at(&self, stamp: (i64, i64)) -> Option<Arc<ProductionCalendar>> {
        let kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        kept.as_ref()
            .filter(|(s, _)| *s == stamp)
            .map(|(_, c)| c.clone())
    }

    /// Keeps the calendar read at `stamp`, and returns it.
    pub(crate) fn keep(
        &self,
        stamp: (i64, i64),
        rows: Vec<CalendarRow>,
    ) -> Result<Arc<ProductionCalendar>> {
        let calendar = Arc::new(ProductionCalendar::new(entries(rows)?));
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some((stamp, calendar.clone()));
        Ok(calendar)
    }
}

/// The calendar deadlines are computed with inside the transaction `$tx` (sqlx, either
/// backend): the one stored now, after taking the calendar's lock shared
/// ([`Store::calendar_shared`]: one round trip with the stamp). `$cache` is the store's
/// [`CalendarCache`].
macro_rules! calendar_in_force {
    // The calendar at a stamp already read under the lock (kept, or read now).
    (stamped $tx:expr, $cache:expr, $stamp:expr) => {{
        let cache: &$crate::calendar::CalendarCache = $cache;
        let stamp: (i64, i64) = $stamp;
        match cache.at(stamp) {
            Some(c) => Ok::<_, $crate::StoreError>(c),
            None => {
                let rows =
                    sqlx::query_as::<_, $crate::rows::CalendarRow>($crate::calendar::ENTRIES)
                        .fetch_all(&mut *$tx)
                        .await?;
                cache.keep(stamp, rows)
            }
        }
    }};
    ($tx:expr, $cache:expr, $shared:expr) => {{
        let sql = format!("{}{}", $shared, $crate::calendar::STAMP);
        // Through `Executor`: `RawSql::fetch_all` leaves the future not provably `Send`.
        let rows = sqlx::Executor::fetch_all(&mut *$tx, sqlx::raw_sql(&sql)).await?;
        let stamp: (i64, i64) = match rows.last() {
            Some(r) => (sqlx::Row::try_get(r, "n")?, sqlx::Row::try_get(r, "at")?),
            None => return Err($crate::StoreError::NotFound("calendar stamp")),
        };
        $crate::calendar::calendar_in_force!(stamped $tx, $cache, stamp)
    }};
}
pub(crate) use calendar_in_force;

/// The stored calendar inside `conn`'s open transaction (SQLite's native writer, which
/// excludes every other writer: no lock to take).
pub(crate) fn calendar_in_force_native(
    conn: &rusqlite::Connection,
    cache: &CalendarCache,
) -> Result<Arc<ProductionCalendar>> {
    let stamp: (i64, i64) = conn
        .prepare_cached(STAMP)?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    match cache.at(stamp) {
        Some(c) => Ok(c),
        None => cache.keep(stamp, crate::native::fetch_all(conn, ENTRIES, [])?),
    }
}

/// The actor recorded for the days the shipped calendar writes into an existing database.
pub const SHIPPED_CALENDAR_ACTOR: &str = "shipped-calendar";

fn kind_str(k: DayKind) -> &'static str {
    match k {
        DayKind::DayOff => "day_off",
        DayKind::WorkingDay => "working_day",
    }
}

fn parse_kind(s: &str) -> Result<DayKind> {
    match s {
        "day_off" => Ok(DayKind::DayOff),
        "working_day" => Ok(DayKind::WorkingDay),
        other => Err(crate::StoreError::Corrupt {
            column: "calendar_entries.kind",
            detail: other.into(),
        }),
    }
}

/// The calendar's next stamp inside the transaction `$tx`, which holds the calendar's lock
/// exclusive: `$now` in microseconds, moved past the last stamp even when this node's clock is
/// behind the last editor's, since every node's copy and every store's cache must see the
/// change.
macro_rules! next_stamp {
    ($tx:expr, $now:expr) => {{
        let last: i64 = sqlx::query(STAMP)
            .fetch_one(&mut *$tx)
            .await?
            .try_get("at")?;
        us($now).max(last + 1)
    }};
}

/// Sets (`Some(&CalendarEntry)`) or removes (`None`) the stored entry of the day `$day_s`
/// inside the transaction `$tx` (either backend), stamped `$stamp` ([`next_stamp!`]). A
/// removal bumps the stamp on the last row, since the removed row can no longer carry it:
/// other nodes must reload.
macro_rules! write_entry {
    ($tx:expr, $day_s:expr, $entry:expr, $stamp:expr) => {
        match $entry {
            Some(e) => {
                sqlx::query(
                    "INSERT INTO calendar_entries (day, kind, name, source, updated_at, name_kk, name_ru, \
                     source_kk, source_ru) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
                     source = excluded.source, updated_at = excluded.updated_at, \
                     name_kk = excluded.name_kk, name_ru = excluded.name_ru, \
                     source_kk = excluded.source_kk, source_ru = excluded.source_ru",
                )
                .bind($day_s)
                .bind(kind_str(e.kind))
                .bind(&e.name)
                .bind(&e.source)
                .bind($stamp)
                .bind(&e.name_kk)
                .bind(&e.name_ru)
                .bind(&e.source_kk)
                .bind(&e.source_ru)
                .execute(&mut *$tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM calendar_entries WHERE day = $1")
                    .bind($day_s)
                    .execute(&mut *$tx)
                    .await?;
                sqlx::query("UPDATE calendar_entries SET updated_at = $1 WHERE day = (SELECT MAX(day) FROM calendar_entries)")
                    .bind($stamp)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
    };
}

/// Records a day's change in `calendar_changes` inside `$tx`: the old and new kinds, the new
/// entry's source, who made it, and how many planned dates it changed.
macro_rules! record_change {
    ($tx:expr, $day_s:expr, $old_kind:expr, $entry:expr, $actor:expr, $now:expr, $changed:expr) => {
        sqlx::query(
            "INSERT INTO calendar_changes (day, old_kind, new_kind, source, actor, changed_at, recomputed) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($day_s)
        .bind($old_kind)
        .bind($entry.map(|e: &CalendarEntry| kind_str(e.kind)))
        .bind($entry.map(|e: &CalendarEntry| e.source.clone()).unwrap_or_default())
        .bind($actor)
        .bind(us($now))
        .bind($changed)
        .execute(&mut *$tx)
        .await?
    };
}

/// Stored rows as calendar entries.
fn entries(rows: Vec<CalendarRow>) -> Result<Vec<CalendarEntry>> {
    rows.into_iter()
        .map(|r| {
            Ok(CalendarEntry {
                date: date("calendar_entries.day", &r.day)?,
                kind: parse_kind(&r.kind)?,
                name: r.name,
                source: r.source,
                name_kk: r.name_kk,
                name_ru: r.name_ru,
                source_kk: r.source_kk,
                source_ru: r.source_ru,
            })
        })
        .collect()
}

impl Store {
    /// The stored calendar entries, in date order.
    pub async fn calendar_entries(&self) -> Result<Vec<CalendarEntry>> {
        with_db!(self, |read, _write| {
            entries(
                sqlx::query_as::<_, CalendarRow>(ENTRIES)
                    .fetch_all(read)
                    .await?,
            )
        })
    }

    /// The statement that takes the calendar's lock shared for the rest of the transaction,
    /// followed by `; ` (PostgreSQL), or nothing (SQLite's single writer needs no lock).
    pub(crate) fn calendar_shared(&self) -> String {
        match self {
            Store::Sqlite(_) => String::new(),
            Store::Postgres(_) => format!(
                "SELECT pg_advisory_xact_lock_shared({}); ",
                crate::contention::CALENDAR_LOCK
            ),
        }
    }

    /// The statement that takes the calendar's lock exclusive for the rest of the
    /// transaction (PostgreSQL), or none (SQLite's single writer needs no lock).
    fn calendar_exclusive(&self) -> Option<String> {
        match self {
            Store::Sqlite(_) => None,
            Store::Postgres(_) => Some(format!(
                "SELECT pg_advisory_xact_lock({})",
                crate::contention::CALENDAR_LOCK
            )),
        }
    }

    /// The store's copy of the stored calendar.
    pub(crate) fn calendar_cache(&self) -> &CalendarCache {
        match self {
            Store::Sqlite(db) => &db.calendars,
            Store::Postgres(db) => &db.calendars,
        }
    }

    /// A stamp that changes whenever the stored calendar changes: nodes poll it to reload.
    pub async fn calendar_stamp(&self) -> Result<(i64, i64)> {
        with_db!(self, |read, _write| {
            let row = sqlx::query(STAMP).fetch_one(read).await?;
            Ok((row.try_get::<i64, _>("n")?, row.try_get::<i64, _>("at")?))
        })
    }

    /// Seeds the calendar with the shipped entries when it is empty. Returns how many were added.
    pub async fn seed_calendar(&self, entries: &[CalendarEntry], now: Timestamp) -> Result<u64> {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM calendar_entries")
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
            if n > 0 {
                return Ok(0);
            }
            for chunk in entries.chunks(500) {
                let mut qb = QueryBuilder::new(
                    "INSERT INTO calendar_entries (day, kind, name, source, updated_at, name_kk, \
                     name_ru, source_kk, source_ru) ",
                );
                qb.push_values(chunk, |mut b, e| {
                    b.push_bind(e.date.to_string())
                        .push_bind(kind_str(e.kind))
                        .push_bind(e.name.clone())
                        .push_bind(e.source.clone())
                        .push_bind(us(now))
                        .push_bind(e.name_kk.clone())
                        .push_bind(e.name_ru.clone())
                        .push_bind(e.source_kk.clone())
                        .push_bind(e.source_ru.clone());
                });
                qb.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(entries.len() as u64)
        })
    }

    /// Sets (`Some`) or removes (`None`, back to the weekly pattern) the entry of `day`, and
    /// recomputes every pending application whose deadline may depend on that day, keeping
    /// the old planned date and the reason in `deadline_changes`. The recomputation uses the
    /// calendar as stored with the edit, and the edit holds the calendar's lock exclusive
    /// until it commits: two edits at once both count, and no deadline is computed meanwhile
    /// with the calendar before it (see the module's header). The applications are locked
    /// before their histories are read, so an event recorded meanwhile is kept.
    #[tracing::instrument(skip_all, fields(day = %day))]
    pub async fn edit_calendar(
        &self,
        day: Date,
        entry: Option<&CalendarEntry>,
        actor: &str,
        now: Timestamp,
        nearing_fraction: f64,
    ) -> Result<CalendarEditResult> {
        let reason = match entry {
            Some(e) => format!("calendar: {}", described(day, e)),
            None => format!("calendar: entry for {day} removed"),
        };
        let edit = DayEdit {
            day,
            entry,
            actor,
            reason: &reason,
            audit: None,
        };
        crate::contention::retrying!(
            "edit_calendar",
            &[],
            self.edit_day(&edit, now, nearing_fraction)
        )
    }

    /// [`Store::edit_calendar`] with its reason given, and, when `edit.audit` is set, the
    /// audit entry written in the same transaction. One attempt: callers retry.
    async fn edit_day(
        &self,
        edit: &DayEdit<'_>,
        now: Timestamp,
        nearing_fraction: f64,
    ) -> Result<CalendarEditResult> {
        let DayEdit {
            day,
            entry,
            actor,
            reason,
            audit,
        } = *edit;
        let day_s = day.to_string();
        // Pending applications accepted by the end of that day and not planned before it
        // (a day off before the effective acceptance or after the planned date changes nothing).
        let day_end = day
            .checked_add(1.day())
            .ok()
            .and_then(|d| d.to_zoned(zone::almaty().clone()).ok())
            .map(|z| z.timestamp())
            .unwrap_or(now);
        let from = day.checked_sub(1.day()).unwrap_or(day).to_string();
        let lock = self.row_lock();
        let exclusive = self.calendar_exclusive();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            if let Some(sql) = &exclusive {
                sqlx::query(sql).execute(&mut *tx).await?;
            }
            let stamped = next_stamp!(tx, now);
            let old: Option<String> =
                sqlx::query("SELECT kind FROM calendar_entries WHERE day = $1")
                    .bind(&day_s)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| r.try_get("kind"))
                    .transpose()?;
            write_entry!(tx, &day_s, entry, stamped);
            // The calendar with this edit and every one before it.
            let calendar = ProductionCalendar::new(entries(
                sqlx::query_as::<_, CalendarRow>(ENTRIES)
                    .fetch_all(&mut *tx)
                    .await?,
            )?);
            let numbers: Vec<i64> = sqlx::query(
                "SELECT number FROM applications WHERE pending = TRUE AND accepted_at < $1 \
                 AND planned_date >= $2 ORDER BY number",
            )
            .bind(us(day_end))
            .bind(&from)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("number"))
            .collect::<std::result::Result<_, _>>()?;
            // Locked, and read again under the lock: an event committed meanwhile is kept.
            let (states, _) = load_states!(tx, &numbers, lock, &[])?;
            let recomputed: Vec<(&AppState, ProjectionRow)> = states
                .values()
                .map(|s| {
                    (
                        s,
                        project(&calendar, &s.facts, &s.history, now, nearing_fraction, true),
                    )
                })
                .collect();
            let changed: Vec<(&AppState, &ProjectionRow)> = recomputed
                .iter()
                .filter(|(s, p)| {
                    p.planned_date != s.old_planned_date || p.deadline != s.old_deadline
                })
                .map(|(s, p)| (*s, p))
                .collect();
            for chunk in changed.chunks(crate::ingest::CHUNK) {
                let mut qb = QueryBuilder::new(
                    "INSERT INTO deadline_changes (number, old_planned_date, new_planned_date, old_deadline, \
                     new_deadline, reason, changed_at) ",
                );
                qb.push_values(chunk.iter(), |mut b, (s, p)| {
                    b.push_bind(s.number)
                        .push_bind(s.old_planned_date.to_string())
                        .push_bind(p.planned_date.to_string())
                        .push_bind(us(s.old_deadline))
                        .push_bind(us(p.deadline))
                        .push_bind(reason.to_string())
                        .push_bind(us(now));
                });
                qb.build().execute(&mut *tx).await?;
            }
            write_projections!(tx, &changed, now)?;
            for chunk in changed.chunks(crate::ingest::CHUNK) {
                let mut qb = QueryBuilder::new(
                    "UPDATE applications SET deadline_change_count = deadline_change_count + 1 WHERE number IN (",
                );
                let mut sep = qb.separated(", ");
                for (s, _) in chunk {
                    sep.push_bind(s.number);
                }
                qb.push(")");
                qb.build().execute(&mut *tx).await?;
            }
            record_change!(tx, &day_s, old, entry, actor, now, changed.len() as i64);
            if let Some(action) = audit {
                let detail = format!("{reason}; changed {} of {}", changed.len(), numbers.len());
                crate::audit_in!(tx, now, actor, action, format!("calendar:{day}"), detail);
            }
            tx.commit().await?;
            Ok(CalendarEditResult {
                day,
                recomputed: numbers.len() as u64,
                changed: changed.len() as u64,
            })
        })
    }

    /// Brings the stored calendar up to `shipped` (the entries this release ships, expanded
    /// from `data/calendar/kazakhstan.toml`): every day that still belongs to the shipped
    /// calendar and differs from it is rewritten (added, changed or removed), each change is
    /// recorded in `calendar_changes` and audited under [`SHIPPED_CALENDAR_ACTOR`], and a
    /// change of a day's working status recomputes the pending applications that depend on
    /// it, keeping the old planned date and the reason. Days an administrator edited last are
    /// left as they are and listed in `kept`. Idempotent: a second run changes nothing.
    pub async fn sync_shipped_calendar(
        &self,
        shipped: &[CalendarEntry],
        now: Timestamp,
        nearing_fraction: f64,
    ) -> Result<CalendarSync> {
        let stored = self.calendar_entries().await?;
        let edited = self.days_edited_by_administrators().await?;
        let plan = SyncPlan::new(&stored, shipped, &edited);
        let mut result = CalendarSync {
            kept: plan.kept.clone(),
            ..CalendarSync::default()
        };
        if !plan.quiet.is_empty() {
            result.updated = self.write_quiet_days(&plan.quiet, now).await?;
        }
        for (day, entry) in &plan.working_changes {
            let reason = shipped_reason(*day, entry.as_ref());
            let edit = DayEdit {
                day: *day,
                entry: entry.as_ref(),
                actor: SHIPPED_CALENDAR_ACTOR,
                reason: &reason,
                audit: Some(SHIPPED_AUDIT_ACTION),
            };
            let r = crate::contention::retrying!(
                "sync_shipped_calendar",
                &[],
                self.edit_day(&edit, now, nearing_fraction)
            )?;
            result.recomputed.push(r);
        }
        Ok(result)
    }

    /// The days whose last recorded change was made by someone other than the shipped
    /// calendar (an administrator, through the API, the workstation or the CLI).
    async fn days_edited_by_administrators(&self) -> Result<BTreeSet<Date>> {
        let rows: Vec<(String, String)> = with_db!(self, |read, _write| {
            sqlx::query("SELECT day, actor FROM calendar_changes ORDER BY id")
                .fetch_all(read)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("day")?, r.try_get("actor")?)))
                .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?
        });
        let mut last: BTreeMap<Date, bool> = BTreeMap::new();
        for (day, actor) in rows {
            last.insert(
                date("calendar_changes.day", &day)?,
                actor != SHIPPED_CALENDAR_ACTOR,
            );
        }
        Ok(last
            .into_iter()
            .filter_map(|(d, by_admin)| by_admin.then_some(d))
            .collect())
    }

    /// Writes the shipped days that do not change any day's working status, with their
    /// `calendar_changes` rows and audit entries, in one transaction. No deadline depends on
    /// them, so nothing is recomputed.
    async fn write_quiet_days(
        &self,
        days: &[(Date, Option<CalendarEntry>, Option<DayKind>)],
        now: Timestamp,
    ) -> Result<u64> {
        let exclusive = self.calendar_exclusive();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            if let Some(sql) = &exclusive {
                sqlx::query(sql).execute(&mut *tx).await?;
            }
            let stamped = next_stamp!(tx, now);
            for (day, entry, old_kind) in days {
                let day_s = day.to_string();
                let entry = entry.as_ref();
                write_entry!(tx, &day_s, entry, stamped);
                let old_kind = old_kind.map(kind_str);
                record_change!(
                    tx,
                    &day_s,
                    old_kind,
                    entry,
                    SHIPPED_CALENDAR_ACTOR,
                    now,
                    0i64
                );
                let detail = shipped_reason(*day, entry);
                crate::audit_in!(
                    tx,
                    now,
                    SHIPPED_CALENDAR_ACTOR,
                    SHIPPED_AUDIT_ACTION,
                    format!("calendar:{day}"),
                    detail
                );
            }
            tx.commit().await?;
            Ok(days.len() as u64)
        })
    }
}

/// `"{day} is now a day off (name; source)"`, for reasons and audit details.
fn described(day: Date, e: &CalendarEntry) -> String {
    format!(
        "{} is now a {} ({}; {})",
        day,
        kind_str(e.kind).replace('_', " "),
        e.name,
        e.source
    )
}

/// Why the shipped calendar rewrote `day`, for the deadline changes and the audit.
fn shipped_reason(day: Date, entry: Option<&CalendarEntry>) -> String {
    match entry {
        Some(e) => format!("calendar: the shipped calendar corrects {}", described(day, e)),
        None => format!(
            "calendar: the shipped calendar corrects {day}: its entry is removed, the weekly pattern applies"
        ),
    }
}

/// One day's edit: what the day becomes, who made it and why.
#[derive(Clone, Copy)]
struct DayEdit<'a> {
    day: Date,
    entry: Option<&'a CalendarEntry>,
    actor: &'a str,
    /// Recorded with every planned date the edit changes.
    reason: &'a str,
    /// The audit action to record in the edit's transaction; `None` when the caller audits.
    audit: Option<&'a str>,
}

/// The audit action of a day the shipped calendar rewrote.
const SHIPPED_AUDIT_ACTION: &str = "calendar.shipped";

/// What the shipped calendar changes in a stored one.
#[derive(Debug)]
struct SyncPlan {
    /// Changes that leave every day's working status as it was: (day, new entry, old kind).
    quiet: Vec<(Date, Option<CalendarEntry>, Option<DayKind>)>,
    /// Changes of a day's working status, in date order.
    working_changes: Vec<(Date, Option<CalendarEntry>)>,
    /// Days that differ from the shipped calendar but were edited by an administrator.
    kept: Vec<Date>,
}

impl SyncPlan {
    fn new(stored: &[CalendarEntry], shipped: &[CalendarEntry], edited: &BTreeSet<Date>) -> Self {
        let stored: BTreeMap<Date, &CalendarEntry> = stored.iter().map(|e| (e.date, e)).collect();
        let shipped: BTreeMap<Date, &CalendarEntry> = shipped.iter().map(|e| (e.date, e)).collect();
        let days: BTreeSet<Date> = stored.keys().chain(shipped.keys()).copied().collect();
        let mut changes: Vec<(Date, Option<CalendarEntry>)> = Vec::new();
        let mut kept = Vec::new();
        for day in days {
            let (old, new) = (stored.get(&day).copied(), shipped.get(&day).copied());
            if old == new {
                continue;
            }
            if edited.contains(&day) {
                kept.push(day);
            } else {
                changes.push((day, new.cloned()));
            }
        }
        let before = ProductionCalendar::new(stored.values().map(|e| (*e).clone()));
        let mut after = stored
            .iter()
            .map(|(d, e)| (*d, (*e).clone()))
            .collect::<BTreeMap<_, _>>();
        for (day, entry) in &changes {
            match entry {
                Some(e) => after.insert(*day, e.clone()),
                None => after.remove(day),
            };
        }
        let target = ProductionCalendar::new(after.into_values());
        let (mut quiet, mut working_changes) = (Vec::new(), Vec::new());
        for (day, entry) in changes {
            if before.is_working_day(day) == target.is_working_day(day) {
                let old_kind = stored.get(&day).map(|e| e.kind);
                quiet.push((day, entry, old_kind));
            } else {
                working_changes.push((day, entry));
            }
        }
        SyncPlan {
            quiet,
            working_changes,
            kept,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    fn entry(day: Date, kind: DayKind, source: &str) -> CalendarEntry {
        CalendarEntry {
            date: day,
            kind,
            name: "n".into(),
            source: source.into(),
            ..CalendarEntry::default()
        }
    }

    #[test]
    fn the_plan_separates_working_changes_quiet_rewrites_and_administrators_days() {
        let stored = [
            entry(d(2024, 6, 17), DayKind::DayOff, "old"), // Monday, no longer shipped
            entry(d(2024, 5, 8), DayKind::DayOff, "to verify"), // source corrected
            entry(d(2026, 3, 23), DayKind::WorkingDay, "admin"), // administrator's
            entry(d(2026, 3, 24), DayKind::DayOff, "same"), // unchanged
        ];
        let shipped = [
            entry(d(2024, 5, 8), DayKind::DayOff, "order No. 109"),
            entry(d(2024, 6, 16), DayKind::DayOff, "QMDB"), // a Sunday: no working change
            entry(d(2026, 3, 23), DayKind::DayOff, "law"),
            entry(d(2026, 3, 24), DayKind::DayOff, "same"),
        ];
        let edited = BTreeSet::from([d(2026, 3, 23)]);
        let plan = SyncPlan::new(&stored, &shipped, &edited);
        assert_eq!(plan.working_changes, vec![(d(2024, 6, 17), None)]);
        let quiet: Vec<_> = plan
            .quiet
            .iter()
            .map(|(day, e, old)| (*day, e.is_some(), *old))
            .collect();
        assert_eq!(
            quiet,
            vec![
                (d(2024, 5, 8), true, Some(DayKind::DayOff)),
                (d(2024, 6, 16), true, None),
            ]
        );
        assert_eq!(plan.kept, vec![d(2026, 3, 23)]);
        // Nothing to do when the stored calendar is the shipped one.
        let plan = SyncPlan::new(&shipped, &shipped, &BTreeSet::new());
        assert!(plan.quiet.is_empty() && plan.working_changes.is_empty() && plan.kept.is_empty());
    }
}
