//! The outbox rows of a batch through rusqlite (SQLite's ingest path): the statements and
//! decisions of [`crate::informing::batch::write_outbox!`], in the batch's transaction.

use super::{in_list, value_groups};
use crate::error::Result;
use crate::informing::batch as b;
use crate::ingest::CHUNK;
use jiff::Timestamp;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use std::collections::HashMap;

/// Writes the outbox rows of `changes` inside `conn`'s open transaction; returns how many.
pub(crate) fn write(
    conn: &Connection,
    cache: &crate::passports::PassportCache,
    changes: &[b::Change],
    now: Timestamp,
) -> Result<usize> {
    let mut hooks = Vec::new();
    {
        let mut stmt = conn.prepare_cached(b::HOOKS_SELECT)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            hooks.push(b::Hook {
                id: r.get(0)?,
                path: r.get(1)?,
            });
        }
    }
    let mut ids: Vec<i64> = changes
        .iter()
        .filter(|c| c.stage.is_some())
        .map(|c| c.app_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut contacts = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let sql = format!("{}{})", b::CONTACTS_SELECT, in_list(chunk.len()));
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(chunk))?;
        while let Some(r) = rows.next()? {
            let language: String = r.get(3)?;
            let a = b::Addressee {
                app_id: r.get(0)?,
                email: r.get(1)?,
                phone: r.get(2)?,
                language: b::language(&language),
                service_id: r.get(4)?,
                passport_version: r.get(5)?,
                service_kk: r.get(6)?,
                service_ru: r.get(7)?,
            };
            contacts.insert(a.app_id, a);
        }
    }
    let keys = b::passport_keys(&contacts);
    let found = if keys.is_empty() {
        HashMap::new()
    } else {
        super::ingest::published_passports(conn, cache, &keys)?
    };
    let rows = b::rows(changes, &contacts, &found, &hooks);
    let now_us = crate::convert::us(now);
    for chunk in rows.chunks(CHUNK) {
        let mut values = Vec::with_capacity(chunk.len() * 12);
        for r in chunk {
            values.extend([
                Value::Text(r.key.clone()),
                Value::Text(r.channel.to_string()),
                Value::Integer(r.app_id),
                r.webhook_id.map_or(Value::Null, Value::Integer),
                Value::Text(r.recipient.clone()),
                Value::Text(r.subject.clone()),
                Value::Text(r.body.clone()),
                Value::Text("pending".into()),
                Value::Integer(0),
                Value::Integer(now_us),
                Value::Integer(now_us),
                Value::Integer(now_us),
            ]);
        }
        let sql = format!(
            "{}VALUES {}{}",
            b::OUTBOX_INSERT,
            value_groups(chunk.len(), 12),
            b::OUTBOX_INSERT_TAIL
        );
        conn.prepare_cached(&sql)?
            .execute(params_from_iter(values))?;
    }
    Ok(rows.len())
}
