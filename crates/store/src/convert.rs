//! Conversions between stored primitives (microseconds, ISO dates, comma lists) and domain
//! values; a stored value that does not parse is reported as corruption, never ignored.

use crate::error::{Result, StoreError};
use jiff::civil::Date;
use jiff::Timestamp;
use std::str::FromStr;

pub fn ts(column: &'static str, us: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(us).map_err(|e| StoreError::Corrupt {
        column,
        detail: e.to_string(),
    })
}

pub fn opt_ts(column: &'static str, us: Option<i64>) -> Result<Option<Timestamp>> {
    us.map(|v| ts(column, v)).transpose()
}

pub fn us(t: Timestamp) -> i64 {
    t.as_microsecond()
}

pub fn date(column: &'static str, s: &str) -> Result<Date> {
    s.parse().map_err(|e: jiff::Error| StoreError::Corrupt {
        column,
        detail: e.to_string(),
    })
}

pub fn parse<T: FromStr>(column: &'static str, s: &str) -> Result<T> {
    s.parse().map_err(|_| StoreError::Corrupt {
        column,
        detail: format!("unexpected value {s:?}"),
    })
}

pub fn list(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn join<T: AsRef<str>>(items: &[T]) -> String {
    items
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(",")
}

/// The exclusive upper bound of a sub-tree's path range: '/1/7/' → '/1/70' ('0' follows '/').
pub fn path_end(path: &str) -> String {
    let mut end = path.trim_end_matches('/').to_string();
    end.push('0');
    end
}

/// Maps a unique-constraint violation to a conflict with the given code and field.
pub fn unique_to_conflict(e: sqlx::Error, code: &'static str, field: &'static str) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict {
            code,
            field: Some(field),
        },
        _ => e.into(),
    }
}

/// `head`, the binds of `keys` separated by commas, then `tail`: a query over an `IN (…)`
/// list, for either backend.
pub(crate) fn keys_query<'a, DB>(
    head: &str,
    keys: &'a [i64],
    tail: &str,
) -> sqlx::QueryBuilder<'a, DB>
where
    DB: sqlx::Database,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let mut qb = sqlx::QueryBuilder::new(head);
    let mut sep = qb.separated(", ");
    for k in keys {
        sep.push_bind(*k);
    }
    qb.push(tail);
    qb
}
