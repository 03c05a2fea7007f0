//! The search keys of applicants' surnames (migration 0012, issue 16 B.2): written with each
//! application; those of applications written before the migration are computed here, once.

use crate::error::Result;
use crate::{with_db, Store};
use sqlx::Row;

/// Applications keyed per transaction by [`Store::search_backfill`].
const BATCH: i64 = 2000;

impl Store {
    /// Keys the surnames of the applications written before migration 0012, in batches of
    /// [`BATCH`], each its own transaction; returns how many were keyed (0 once done, at the
    /// cost of one index probe). The key is computed here, not by the database's `lower()`,
    /// which follows the locale on PostgreSQL and knows only ASCII on SQLite.
    pub(crate) async fn search_backfill(&self) -> Result<u64> {
        let mut keyed = 0u64;
        loop {
            let n = with_db!(self, |_read, write| {
                let mut tx = write.begin().await?;
                let rows = sqlx::query(
                    "SELECT id, last_name FROM applications WHERE last_name_key IS NULL LIMIT $1",
                )
                .bind(BATCH)
                .fetch_all(&mut *tx)
                .await?;
                for row in &rows {
                    let name: String = row.try_get("last_name")?;
                    sqlx::query("UPDATE applications SET last_name_key = $1 WHERE id = $2")
                        .bind(qyzmet_domain::search::name_key(&name))
                        .bind(row.try_get::<i64, _>("id")?)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok::<_, crate::StoreError>(rows.len() as u64)
            })?;
            keyed += n;
            if n < BATCH as u64 {
                return Ok(keyed);
            }
        }
    }
}
