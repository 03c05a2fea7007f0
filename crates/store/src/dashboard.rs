//! The analysts' dashboard (issue 4): counts by stage, open overdue and nearing applications
//! by executing organization and by service, and accepted, completed and overdue applications
//! per local day. Each figure is the count of a list the application filter can show.

use crate::convert::{path_end, us};
use crate::error::Result;
use crate::{with_db, Store};
use jiff::Timestamp;
use sqlx::Row;

/// Open (pending) applications past their deadline and nearing it, under one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alerts<K> {
    pub key: K,
    pub pending: i64,
    pub overdue: i64,
    pub nearing: i64,
}

/// Counts of one local day (`day` is days since 1970-01-01 in the given offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayCounts {
    pub day: i64,
    pub accepted: i64,
    pub completed: i64,
    /// Applications whose deadline fell that day and passed before completion.
    pub overdue: i64,
}

/// Completions in a period: how many, and how many before their deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Completions {
    pub completed: i64,
    pub on_time: i64,
}

/// The condition `exec_path` in the sub-tree at `within` (every application without one), and
/// its bounds to bind as `$3`, `$4` (or `$1`, `$2`: `first` is the first placeholder's number).
fn sub_tree(within: Option<&str>, column: &str, first: u8) -> (String, Option<(String, String)>) {
    match within {
        Some(p) => (
            format!(" AND {column} >= ${first} AND {column} < ${}", first + 1),
            Some((p.to_string(), path_end(p))),
        ),
        None => (String::new(), None),
    }
}

const ALERT_SUMS: &str = "COUNT(*) AS pending, \
     SUM(CASE WHEN overdue THEN 1 ELSE 0 END) AS overdue, \
     SUM(CASE WHEN nearing AND NOT overdue THEN 1 ELSE 0 END) AS nearing";

impl Store {
    /// Applications by current stage (every one, open or closed), executed within a sub-tree
    /// (everywhere without one).
    pub async fn count_by_stage(&self, within: Option<&str>) -> Result<Vec<(String, i64)>> {
        let (cond, bounds) = sub_tree(within, "exec_path", 1);
        let sql = format!(
            "SELECT stage, COUNT(*) AS n FROM applications WHERE TRUE{cond} \
             GROUP BY stage ORDER BY stage"
        );
        with_db!(self, |read, _write| {
            let mut q = sqlx::query(&sql);
            if let Some((a, b)) = &bounds {
                q = q.bind(a.clone()).bind(b.clone());
            }
            let rows = q.fetch_all(read).await?;
            rows.iter()
                .map(|r| Ok((r.try_get("stage")?, r.try_get("n")?)))
                .collect()
        })
    }

    /// Open applications by executing organization's path, within a sub-tree.
    pub async fn alerts_by_executor(&self, within: Option<&str>) -> Result<Vec<Alerts<String>>> {
        let (from, to) = match within {
            Some(p) => (p.to_string(), path_end(p)),
            None => ("/".to_string(), path_end("/")),
        };
        with_db!(self, |read, _write| {
            let rows = sqlx::query(&format!(
                "SELECT exec_path AS k, {ALERT_SUMS} FROM applications \
                 WHERE pending = TRUE AND exec_path >= $1 AND exec_path < $2 GROUP BY exec_path"
            ))
            .bind(from)
            .bind(to)
            .fetch_all(read)
            .await?;
            rows.iter().map(alerts_of::<_, String>).collect()
        })
    }

    /// Open applications by service code, executed within a sub-tree (everywhere without one).
    pub async fn alerts_by_service(&self, within: Option<&str>) -> Result<Vec<Alerts<String>>> {
        let (cond, bounds) = sub_tree(within, "a.exec_path", 1);
        let sql = format!(
            "SELECT s.code AS k, {ALERT_SUMS} FROM applications a \
             JOIN services s ON s.id = a.service_id WHERE a.pending = TRUE{cond} \
             GROUP BY s.code ORDER BY s.code"
        );
        with_db!(self, |read, _write| {
            let mut q = sqlx::query(&sql);
            if let Some((a, b)) = &bounds {
                q = q.bind(a.clone()).bind(b.clone());
            }
            let rows = q.fetch_all(read).await?;
            rows.iter().map(alerts_of::<_, String>).collect()
        })
    }

    /// Per local day in `[from, to)`: accepted, completed, and deadlines passed before
    /// completion, of the applications executed within a sub-tree (everywhere without one).
    /// `offset_secs` is the local zone's offset from UTC.
    pub async fn daily_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
        offset_secs: i64,
        within: Option<&str>,
    ) -> Result<Vec<DayCounts>> {
        let (from, to) = (us(from), us(to));
        let (cond, bounds) = sub_tree(within, "exec_path", 3);
        let day = |col: &str| format!("(({col} / 1000000) + {offset_secs}) / 86400");
        let queries = [
            format!(
                "SELECT {} AS d, COUNT(*) AS n FROM applications \
                 WHERE accepted_at >= $1 AND accepted_at < $2{cond} GROUP BY 1",
                day("accepted_at")
            ),
            format!(
                "SELECT {} AS d, COUNT(*) AS n FROM applications \
                 WHERE actual_completion >= $1 AND actual_completion < $2{cond} GROUP BY 1",
                day("actual_completion")
            ),
            format!(
                "SELECT {} AS d, COUNT(*) AS n FROM applications \
                 WHERE overdue = TRUE AND deadline >= $1 AND deadline < $2{cond} GROUP BY 1",
                day("deadline")
            ),
        ];
        let mut days: std::collections::BTreeMap<i64, DayCounts> = Default::default();
        for (i, q) in queries.iter().enumerate() {
            let rows: Vec<(i64, i64)> = with_db!(self, |read, _write| {
                let mut query = sqlx::query(q).bind(from).bind(to);
                if let Some((a, b)) = &bounds {
                    query = query.bind(a.clone()).bind(b.clone());
                }
                let rows = query.fetch_all(read).await?;
                rows.iter()
                    .map(|r| Ok((r.try_get::<i64, _>("d")?, r.try_get::<i64, _>("n")?)))
                    .collect::<Result<Vec<_>>>()?
            });
            for (d, n) in rows {
                let e = days.entry(d).or_insert(DayCounts {
                    day: d,
                    ..Default::default()
                });
                match i {
                    0 => e.accepted = n,
                    1 => e.completed = n,
                    _ => e.overdue = n,
                }
            }
        }
        Ok(days.into_values().collect())
    }

    /// Applications completed (stage 4 or later) in `[from, to)` and how many of them before
    /// their deadline, executed within a sub-tree (everywhere without one).
    pub async fn completions(
        &self,
        from: Timestamp,
        to: Timestamp,
        within: Option<&str>,
    ) -> Result<Completions> {
        let (from, to) = (us(from), us(to));
        let (cond, bounds) = sub_tree(within, "exec_path", 3);
        let sql = format!(
            "SELECT COUNT(*) AS n, SUM(CASE WHEN overdue THEN 0 ELSE 1 END) AS ok \
             FROM applications WHERE actual_completion >= $1 AND actual_completion < $2{cond}"
        );
        with_db!(self, |read, _write| {
            let mut q = sqlx::query(&sql).bind(from).bind(to);
            if let Some((a, b)) = &bounds {
                q = q.bind(a.clone()).bind(b.clone());
            }
            let r = q.fetch_one(read).await?;
            Ok(Completions {
                completed: r.try_get("n")?,
                on_time: r.try_get::<Option<i64>, _>("ok")?.unwrap_or(0),
            })
        })
    }
}

fn alerts_of<R: Row, K>(r: &R) -> Result<Alerts<K>>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> K: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    Ok(Alerts {
        key: r.try_get("k")?,
        pending: r.try_get("pending")?,
        overdue: r.try_get::<Option<i64>, _>("overdue")?.unwrap_or(0),
        nearing: r.try_get::<Option<i64>, _>("nearing")?.unwrap_or(0),
    })
}
