//! Cursor paging of lists: a page is `limit` rows and the opaque cursor of the next one.

use super::error::AppError;
use super::validate as v;
use base64::Engine;

pub fn encode_cursor(s: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

pub fn decode_cursor(c: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(c)
        .ok()?;
    String::from_utf8(bytes).ok()
}

/// Which page of a list sorted by row id: the size and the id after which it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: i64,
    pub after: i64,
}

impl PageRequest {
    /// From the `limit` and `cursor` parameters: 1–500 rows (50 by default), after the row
    /// the cursor names (from the start without one).
    pub fn of(limit: Option<i64>, cursor: Option<&str>) -> Result<PageRequest, AppError> {
        Ok(PageRequest {
            limit: v::limit("limit", limit)?,
            after: after_id(cursor)?,
        })
    }
}

/// The row id a cursor names (0 without one).
pub fn after_id(cursor: Option<&str>) -> Result<i64, AppError> {
    match cursor {
        None => Ok(0),
        Some(c) => decode_cursor(c)
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or_else(|| AppError::invalid("cursor", "cursor_invalid")),
    }
}

/// A page of rows and the cursor of the next page (absent on the last).
#[derive(Debug, Clone)]
pub struct Page<R> {
    pub items: Vec<R>,
    pub next: Option<String>,
}

impl<R> Page<R> {
    /// From `limit + 1` fetched rows: the extra row only says there is a next page.
    pub fn of(mut rows: Vec<R>, limit: i64, id: impl Fn(&R) -> i64) -> Self {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next = if more {
            rows.last().map(|r| encode_cursor(&id(r).to_string()))
        } else {
            None
        };
        Page { items: rows, next }
    }
}
