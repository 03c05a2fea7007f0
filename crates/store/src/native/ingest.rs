//! A batch of events applied through rusqlite (SQLite's ingest path): the same steps,
//! statements and decisions as the sqlx path in [`crate::ingest`], in one transaction.

use super::{fetch_all, in_list, value_groups};
use crate::convert::us;
use crate::error::{Result, StoreError};
use crate::ingest::{
    decide, event_columns, project_dirty, AppState, BatchKeys, StateRow, CHUNK, DERIVATION_UPDATE,
    DERIVATION_UPDATE_TAIL, EVENT_COLUMNS, EVENT_INSERT, PROJECTION_UPDATE,
    PROJECTION_UPDATE_QUIET, PROJECTION_UPDATE_TAIL, STATE_COLUMNS,
};
use crate::models::*;
use crate::projection::ProjectionRow;
use crate::rollup::{
    RollupChanges, AMENDED_DROP, AMENDED_PUT, CASE_DROP, CASE_PUT, CASE_PUT_TAIL, CELL_ADD,
    CELL_ADD_TAIL,
};
use crate::rows::EventRow;
use jiff::Timestamp;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use std::collections::HashMap;

/// Applies `items` inside `conn`'s open transaction; the caller commits.
#[allow(clippy::too_many_arguments)]
pub(crate) fn apply(
    conn: &Connection,
    items: &[IncomingEvent],
    keys: &BatchKeys,
    scope: &Scope,
    actor: &str,
    calendars: &crate::calendar::CalendarCache,
    passports: &crate::passports::PassportCache,
    now: Timestamp,
    nearing_fraction: f64,
) -> Result<Vec<EventResult>> {
    let calendar = crate::calendar::calendar_in_force_native(conn, calendars)?;
    let mut known: HashMap<String, (i64, String, RecordedEvent)> = HashMap::new();
    for chunk in keys.ids.chunks(CHUNK) {
        let sql = format!(
            "SELECT * FROM events WHERE id IN ({})",
            in_list(chunk.len())
        );
        for row in fetch_all::<EventRow>(conn, &sql, params_from_iter(chunk))? {
            let (id, number, hash) = (row.id.clone(), row.number, row.content_hash.clone());
            known.insert(id, (number, hash, row.into_model()?));
        }
    }
    let mut refs = crate::ingest::References::default();
    if !keys.executor_codes.is_empty() {
        let sql = format!(
            "SELECT id, code, path FROM organizations WHERE code IN ({})",
            in_list(keys.executor_codes.len())
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(&keys.executor_codes))?;
        while let Some(r) = rows.next()? {
            refs.named
                .insert(r.get("code")?, (r.get("id")?, r.get("path")?));
        }
    }
    let mut states = load_states(conn, &keys.numbers)?;
    if !refs.named.is_empty() && !states.is_empty() {
        let services: Vec<i64> = states.values().map(|s| s.standing.service_id).collect();
        let sql = format!(
            "SELECT s.id, o.path FROM services s \
             JOIN organizations o ON o.id = s.organization_id WHERE s.id IN ({})",
            in_list(services.len())
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(&services))?;
        while let Some(r) = rows.next()? {
            refs.providers.insert(r.get(0)?, r.get(1)?);
        }
    }
    let wanted = crate::ingest::passport_keys(items, &states);
    if !wanted.is_empty() {
        refs.passports = published_passports(conn, passports, &wanted)?;
    }
    let (results, fresh) = decide(items, &mut states, &mut known, &refs, scope, actor, now);
    if fresh.is_empty() {
        // Nothing new: the transaction commits empty (idempotent retries, all rejected).
        return Ok(results);
    }
    let rows: Vec<(i64, &RecordedEvent, &str)> = fresh
        .iter()
        .map(|r| (r.app_id, &r.recorded, r.content_hash.as_str()))
        .collect();
    insert_events(conn, &rows)?;
    let projections = project_dirty(&states, &calendar, now, nearing_fraction);
    let pairs: Vec<(&AppState, &ProjectionRow)> =
        projections.iter().map(|(s, p)| (*s, p)).collect();
    write_projections(conn, &pairs, now)?;
    insert_signatures(conn, &crate::ingest::signature_rows(&fresh))?;
    let planned = crate::informing::batch::planned_dates(&projections);
    let changes = crate::informing::batch::changes_of(&fresh, &states, &planned);
    super::outbox::write(conn, passports, &changes, now)?;
    let leaves: Vec<_> = fresh.iter().map(crate::ingest::NewEventRow::leaf).collect();
    crate::ledger::append_native(conn, &leaves)?;
    Ok(results)
}

/// The states of `numbers` (sorted) with their histories.
fn load_states(conn: &Connection, numbers: &[i64]) -> Result<HashMap<i64, AppState>> {
    let mut states: HashMap<i64, StateRow> = HashMap::with_capacity(numbers.len());
    let mut events: HashMap<i64, Vec<EventRow>> = HashMap::with_capacity(numbers.len());
    for chunk in numbers.chunks(CHUNK) {
        let list = in_list(chunk.len());
        let sql = format!("SELECT {STATE_COLUMNS} FROM applications WHERE number IN ({list})");
        let mut ids: Vec<i64> = Vec::with_capacity(chunk.len());
        for row in fetch_all::<StateRow>(conn, &sql, params_from_iter(chunk))? {
            ids.push(row.id);
            states.insert(row.number_key(), row);
        }
        if ids.is_empty() {
            continue;
        }
        ids.sort_unstable();
        let sql = format!(
            "SELECT * FROM events WHERE app_id IN ({}) ORDER BY app_id, seq",
            in_list(ids.len())
        );
        for row in fetch_all::<EventRow>(conn, &sql, params_from_iter(&ids))? {
            events.entry(row.number).or_default().push(row);
        }
    }
    states
        .into_iter()
        .map(|(n, row)| Ok((n, row.into_state(events.remove(&n).unwrap_or_default())?)))
        .collect()
}

/// The published passports of `keys`, through `cache` ([`crate::passports::published_passports!`]).
pub(crate) fn published_passports(
    conn: &Connection,
    cache: &crate::passports::PassportCache,
    keys: &[crate::passports::PassportKey],
) -> Result<HashMap<crate::passports::PassportKey, std::sync::Arc<qyzmet_domain::passport::Passport>>>
{
    let missing = cache.missing(keys);
    if !missing.is_empty() {
        let services = crate::passports::services_of(&missing);
        let sql = format!(
            "{}{})",
            crate::passports::PUBLISHED_HEAD,
            in_list(services.len())
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(&services))?;
        let mut read = Vec::new();
        while let Some(r) = rows.next()? {
            read.push((r.get(0)?, r.get(1)?, r.get(2)?));
        }
        cache.keep(read)?;
    }
    Ok(cache.get(keys))
}

fn text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::Text(s.to_string()))
}

fn int(i: Option<i64>) -> Value {
    i.map_or(Value::Null, Value::Integer)
}

/// Appends the recorded events; a reused id is a conflict.
fn insert_events(conn: &Connection, rows: &[(i64, &RecordedEvent, &str)]) -> Result<()> {
    for chunk in rows.chunks(CHUNK) {
        let mut values = Vec::with_capacity(chunk.len() * EVENT_COLUMNS);
        for (app_id, e, hash) in chunk {
            let (kind, stage, outcome, reason, executor) = event_columns(e);
            values.extend([
                Value::Integer(*app_id),
                Value::Text(e.event.id.to_string()),
                Value::Integer(e.number.as_i64()),
                Value::Integer(e.seq),
                Value::Text(kind.to_string()),
                text(stage),
                text(outcome),
                text(reason),
                text(executor),
                text(e.executor_person.as_deref()),
                Value::Integer(us(e.event.occurred_at)),
                Value::Integer(us(e.recorded_at)),
                Value::Text(e.actor.clone()),
                Value::Text(hash.to_string()),
                Value::Text(e.chain_hash.clone()),
                text(e.event.kind.ground()),
                text(crate::ingest::scan_columns(e).0),
                text(crate::ingest::scan_columns(e).1),
            ]);
        }
        let sql = format!(
            "{EVENT_INSERT}VALUES {}",
            value_groups(chunk.len(), EVENT_COLUMNS)
        );
        conn.prepare_cached(&sql)?
            .execute(params_from_iter(values))
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::Conflict {
                        code: "event_id_conflict",
                        field: Some("events"),
                    }
                } else {
                    e.into()
                }
            })?;
    }
    Ok(())
}

/// Keeps the signatures events arrived with.
fn insert_signatures(conn: &Connection, rows: &[(i64, i64, &SignatureEvidence)]) -> Result<()> {
    for chunk in rows.chunks(CHUNK) {
        let mut values = Vec::with_capacity(chunk.len() * 5);
        for (app_id, seq, s) in chunk {
            values.extend([
                Value::Integer(*app_id),
                Value::Integer(*seq),
                Value::Text(s.form.clone()),
                Value::Blob(s.cms.clone()),
                Value::Text(s.report.clone()),
            ]);
        }
        let sql = format!(
            "{}VALUES {}",
            crate::ingest::SIGNATURE_INSERT,
            value_groups(chunk.len(), 5)
        );
        conn.prepare_cached(&sql)?
            .execute(params_from_iter(values))?;
    }
    Ok(())
}

/// SQLITE_CONSTRAINT_UNIQUE or SQLITE_CONSTRAINT_PRIMARYKEY.
fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == 2067 || f.extended_code == 1555)
}

/// Writes the recomputed projections, in the column order of [`PROJECTION_UPDATE`].
fn write_projections(
    conn: &Connection,
    rows: &[(&AppState, &ProjectionRow)],
    now: Timestamp,
) -> Result<()> {
    let now_us = us(now);
    let (quiet, moved): (Vec<_>, Vec<_>) = rows.iter().partition(|(s, p)| s.quiet(p));
    for chunk in quiet.chunks(CHUNK) {
        let mut values = Vec::with_capacity(chunk.len() * 11);
        for (s, p) in chunk {
            values.extend([
                Value::Integer(s.id),
                text(s.executor_person.as_deref()),
                Value::Text(p.stage.as_str().to_string()),
                Value::Integer(i64::from(p.stage.number())),
                text(p.outcome.map(|o| o.as_str())),
                int(p.actual_completion.map(us)),
                int(p.closed_at.map(us)),
                Value::Integer(p.overdue_seconds),
                Value::Integer(s.event_count),
                Value::Text(s.head_hash.clone()),
                Value::Integer(now_us),
            ]);
        }
        let sql = format!(
            "{PROJECTION_UPDATE_QUIET}VALUES {}{PROJECTION_UPDATE_TAIL}",
            value_groups(chunk.len(), 11)
        );
        conn.prepare_cached(&sql)?
            .execute(params_from_iter(values))?;
    }
    for chunk in moved.chunks(CHUNK) {
        let mut values = Vec::with_capacity(chunk.len() * 21);
        for (s, p) in chunk {
            values.extend([
                Value::Integer(s.id),
                Value::Integer(s.exec_org_id),
                Value::Text(s.exec_path.clone()),
                text(s.executor_person.as_deref()),
                Value::Integer(us(p.effective_acceptance)),
                Value::Text(p.planned_date.to_string()),
                Value::Integer(us(p.deadline)),
                Value::Integer(us(p.nearing_at)),
                Value::Text(p.stage.as_str().to_string()),
                Value::Integer(i64::from(p.stage.number())),
                text(p.outcome.map(|o| o.as_str())),
                int(p.actual_completion.map(us)),
                int(p.closed_at.map(us)),
                Value::Integer(i64::from(p.suspended)),
                Value::Integer(i64::from(p.overdue)),
                Value::Integer(p.overdue_seconds),
                Value::Integer(i64::from(p.nearing)),
                Value::Integer(i64::from(p.pending())),
                Value::Integer(s.event_count),
                Value::Text(s.head_hash.clone()),
                Value::Integer(now_us),
            ]);
        }
        let sql = format!(
            "{PROJECTION_UPDATE}VALUES {}{PROJECTION_UPDATE_TAIL}",
            value_groups(chunk.len(), 21)
        );
        conn.prepare_cached(&sql)?
            .execute(params_from_iter(values))?;
    }
    let derived: Vec<(i64, &str)> = rows
        .iter()
        .filter_map(|(s, p)| p.derivation.as_deref().map(|d| (s.id, d)))
        .collect();
    for chunk in derived.chunks(CHUNK) {
        let values = chunk
            .iter()
            .flat_map(|(id, d)| [Value::Integer(*id), Value::Text(d.to_string())]);
        let sql = format!(
            "{DERIVATION_UPDATE}VALUES {}{DERIVATION_UPDATE_TAIL}",
            value_groups(chunk.len(), 2)
        );
        conn.prepare_cached(&sql)?
            .execute(params_from_iter(values))?;
    }
    write_rollups(conn, &crate::ingest::rollup_changes(rows))
}

/// Writes rollup changes, the statements of [`crate::rollup::write_rollups!`].
pub(crate) fn write_rollups(conn: &Connection, changes: &RollupChanges) -> Result<()> {
    let cells = changes.cells();
    for chunk in cells.chunks(CHUNK) {
        let values = chunk
            .iter()
            .flat_map(|(month, org, service, due, on_time)| {
                [
                    Value::Text(month.to_string()),
                    Value::Integer(*org),
                    Value::Integer(*service),
                    Value::Integer(*due),
                    Value::Integer(*on_time),
                ]
            });
        let sql = format!(
            "{CELL_ADD}VALUES {}{CELL_ADD_TAIL}",
            value_groups(chunk.len(), 5)
        );
        conn.prepare_cached(&sql)?
            .execute(params_from_iter(values))?;
    }
    for chunk in changes.put().chunks(CHUNK) {
        let values = chunk
            .iter()
            .flat_map(|(id, month)| [Value::Integer(*id), Value::Text(month.clone())]);
        let sql = format!(
            "{CASE_PUT}VALUES {}{CASE_PUT_TAIL}",
            value_groups(chunk.len(), 2)
        );
        conn.prepare_cached(&sql)?
            .execute(params_from_iter(values))?;
    }
    for (head, ids) in [
        (CASE_DROP, changes.dropped()),
        (AMENDED_DROP, changes.unamended()),
    ] {
        for chunk in ids.chunks(CHUNK) {
            let sql = format!("{head}{})", in_list(chunk.len()));
            conn.prepare_cached(&sql)?
                .execute(params_from_iter(chunk))?;
        }
    }
    for chunk in changes.amended().chunks(CHUNK) {
        let values = chunk
            .iter()
            .flat_map(|(month, id)| [Value::Text(month.clone()), Value::Integer(*id)]);
        let sql = format!("{AMENDED_PUT}VALUES {}", value_groups(chunk.len(), 2));
        conn.prepare_cached(&sql)?
            .execute(params_from_iter(values))?;
    }
    Ok(())
}
