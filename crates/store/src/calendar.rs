//! The production calendar as stored (seeded from the shipped data, editable) and the
//! recomputation of open applications' planned dates when an entry changes.

use crate::convert::{date, us};
use crate::error::Result;
use crate::ingest::{load_states, write_projections, AppState};
use crate::models::CalendarEditResult;
use crate::projection::{project, ProjectionRow};
use crate::rows::CalendarRow;
use crate::{with_db, Store};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use qyzmet_domain::calendar::{CalendarEntry, DayKind};
use qyzmet_domain::{zone, ProductionCalendar};
use sqlx::{QueryBuilder, Row};

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

impl Store {
    /// The stored calendar entries, in date order.
    pub async fn calendar_entries(&self) -> Result<Vec<CalendarEntry>> {
        with_db!(self, |read, _write| {
            let rows = sqlx::query_as::<_, CalendarRow>(
                "SELECT day, kind, name, source FROM calendar_entries ORDER BY day",
            )
            .fetch_all(read)
            .await?;
            rows.into_iter()
                .map(|r| {
                    Ok(CalendarEntry {
                        date: date("calendar_entries.day", &r.day)?,
                        kind: parse_kind(&r.kind)?,
                        name: r.name,
                        source: r.source,
                    })
                })
                .collect()
        })
    }

    /// A stamp that changes whenever the stored calendar changes: nodes poll it to reload.
    pub async fn calendar_stamp(&self) -> Result<(i64, i64)> {
        with_db!(self, |read, _write| {
            let row = sqlx::query(
                "SELECT COUNT(*) AS n, COALESCE(MAX(updated_at), 0) AS at FROM calendar_entries",
            )
            .fetch_one(read)
            .await?;
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
                    "INSERT INTO calendar_entries (day, kind, name, source, updated_at) ",
                );
                qb.push_values(chunk, |mut b, e| {
                    b.push_bind(e.date.to_string())
                        .push_bind(kind_str(e.kind))
                        .push_bind(e.name.clone())
                        .push_bind(e.source.clone())
                        .push_bind(us(now));
                });
                qb.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(entries.len() as u64)
        })
    }

    /// Sets (`Some`) or removes (`None`, back to the weekly pattern) the entry of `day`, and
    /// recomputes every pending application whose deadline may depend on that day, keeping
    /// the old planned date and the reason in `deadline_changes`. `calendar` is the calendar
    /// with the edit applied.
    #[tracing::instrument(skip_all, fields(day = %day))]
    pub async fn edit_calendar(
        &self,
        day: Date,
        entry: Option<&CalendarEntry>,
        actor: &str,
        calendar: &ProductionCalendar,
        now: Timestamp,
        nearing_fraction: f64,
    ) -> Result<CalendarEditResult> {
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
        let reason = match entry {
            Some(e) => format!(
                "calendar: {} is now a {} ({}; {})",
                day,
                kind_str(e.kind).replace('_', " "),
                e.name,
                e.source
            ),
            None => format!("calendar: entry for {day} removed"),
        };
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let old: Option<String> =
                sqlx::query("SELECT kind FROM calendar_entries WHERE day = $1")
                    .bind(&day_s)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| r.try_get("kind"))
                    .transpose()?;
            match entry {
                Some(e) => {
                    sqlx::query(
                        "INSERT INTO calendar_entries (day, kind, name, source, updated_at) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
                         source = excluded.source, updated_at = excluded.updated_at",
                    )
                    .bind(&day_s)
                    .bind(kind_str(e.kind))
                    .bind(&e.name)
                    .bind(&e.source)
                    .bind(us(now))
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM calendar_entries WHERE day = $1")
                        .bind(&day_s)
                        .execute(&mut *tx)
                        .await?;
                    // Bump the stamp even though the row is gone: other nodes must reload.
                    sqlx::query("UPDATE calendar_entries SET updated_at = $1 WHERE day = (SELECT MAX(day) FROM calendar_entries)")
                        .bind(us(now))
                        .execute(&mut *tx)
                        .await?;
                }
            }
            let numbers: Vec<i64> = sqlx::query(
                "SELECT number FROM applications WHERE pending = TRUE AND accepted_at < $1 AND planned_date >= $2",
            )
            .bind(us(day_end))
            .bind(&from)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("number"))
            .collect::<std::result::Result<_, _>>()?;
            let states = load_states!(tx, &numbers)?;
            let recomputed: Vec<(&AppState, ProjectionRow)> = states
                .values()
                .map(|s| {
                    (
                        s,
                        project(calendar, &s.facts, &s.history, now, nearing_fraction, true),
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
                        .push_bind(reason.clone())
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
            sqlx::query(
                "INSERT INTO calendar_changes (day, old_kind, new_kind, source, actor, changed_at, recomputed) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&day_s)
            .bind(old)
            .bind(entry.map(|e| kind_str(e.kind)))
            .bind(entry.map(|e| e.source.clone()).unwrap_or_default())
            .bind(actor)
            .bind(us(now))
            .bind(changed.len() as i64)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(CalendarEditResult {
                day,
                recomputed: numbers.len() as u64,
                changed: changed.len() as u64,
            })
        })
    }
}
