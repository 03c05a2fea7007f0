//! The application list: a page of the applications a caller sees, in the list's order, after
//! a keyset cursor (the operator's inbox, the analyst's drill-down, `GET /api/v1/applications`).
//!
//! An organization sees the applications accepted OR executed in its sub-tree. Asked as one
//! statement, that OR of two path ranges ordered by acceptance makes the database read every
//! application of the sub-tree and sort them (seconds at a million rows, BENCHMARKS issue 4).
//! So a sub-tree's page is read per organization instead: for each organization of the
//! sub-tree, the first `limit + 1` applications accepted there and those executed there, each
//! an equality on the path and a range of an index already in the list's order
//! (`(accept_path, accepted_at, number)` and the like, migration 0006); the union of those
//! short runs holds the page, which the statement then sorts and cuts. Its cost follows the
//! organizations of the sub-tree and the page size, not the applications the sub-tree holds.
//!
//! Every filter is applied inside each run, so the merged page is exactly the page the single
//! statement would give. A sub-tree of more than [`MAX_RUNS`] runs falls back to the single
//! statement (a whole ministry of hundreds of units, seen by few).
//!
//! A search (issue 16 B.2, migration 0012): a number or an IIN/BIN is narrower than any
//! sub-tree, so its list is the single statement on the search's own index, the sub-tree a
//! condition on the rows it finds. A surname is read in runs like the plain list, each on
//! `(path, last_name_key, accepted_at, number)`: an equality on both, in the list's order. A page may be asked for by its number
//! (an offset, the workstation's page links) besides the cursor (the API), and the list's
//! total is counted up to a bound ([`Store::count_listed`]).

use crate::convert::{path_end, us};
use crate::error::Result;
use crate::models::*;
use crate::rows::{AppRow, APP_SELECT};
use crate::{with_db, Store};
use sqlx::{Database, Encode, QueryBuilder, Row, Type};

/// The most per-organization runs one page is read from before the single statement is used.
const MAX_RUNS: usize = 400;

/// Which path an index run is an equality on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathColumn {
    Accept,
    Exec,
}

impl PathColumn {
    fn name(self) -> &'static str {
        match self {
            PathColumn::Accept => "a.accept_path",
            PathColumn::Exec => "a.exec_path",
        }
    }
}

/// One index run: the applications whose `column` is exactly `path`.
type Run = (PathColumn, String);

impl Store {
    /// A page of applications in the filter's order, after `cursor`.
    #[tracing::instrument(skip_all)]
    pub async fn applications(
        &self,
        filter: &ApplicationFilter,
        scope: &Scope,
        cursor: Option<ListCursor>,
        limit: i64,
    ) -> Result<(Vec<Application>, Option<ListCursor>)> {
        self.applications_from(filter, scope, cursor, 0, limit)
            .await
    }

    /// A page of applications in the filter's order, after `cursor` and then `offset` more.
    #[tracing::instrument(skip_all)]
    pub async fn applications_from(
        &self,
        filter: &ApplicationFilter,
        scope: &Scope,
        cursor: Option<ListCursor>,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Application>, Option<ListCursor>)> {
        let offset = offset.max(0);
        let runs = match filter.search {
            // A number or an applicant: a handful of rows, found by their own index.
            Some(ApplicationSearch::Number(_) | ApplicationSearch::Applicant(_)) => None,
            // A surname within a sub-tree: per organization, on (path, surname key, accepted
            // at) — its runs are in the list's order, as without a search.
            Some(ApplicationSearch::Surname(_)) | None => self.runs(filter, scope).await?,
        };
        if runs.as_ref().is_some_and(|r| r.is_empty()) {
            return Ok((vec![], None));
        }
        // SQLite keeps no statistics: inside a run, a path range of the other filters must not
        // be taken for the run's index (a unary `+` makes a term unusable by any index).
        let plain = if matches!(self, Store::Sqlite(_)) {
            "+"
        } else {
            ""
        };
        // Likewise a search over the single statement: its index, not a path range's, finds
        // the rows.
        let outer_plain = if filter.search.is_some() { plain } else { "" };
        let order = filter.order;
        with_db!(self, |read, _write| {
            let mut qb = QueryBuilder::new(APP_SELECT);
            match &runs {
                None => {
                    qb.push(" WHERE 1 = 1");
                    push_conditions(&mut qb, filter, scope, cursor.as_ref(), None, outer_plain);
                }
                Some(runs) => {
                    qb.push(" WHERE a.id IN (SELECT id FROM (");
                    for (i, (column, path)) in runs.iter().enumerate() {
                        if i > 0 {
                            qb.push(" UNION ");
                        }
                        qb.push(
                            "SELECT * FROM (SELECT a.id, a.accepted_at, a.planned_date, a.number \
                             FROM applications a WHERE ",
                        );
                        qb.push(column.name()).push(" = ").push_bind(path.clone());
                        let run = Some((*column, path.as_str()));
                        push_conditions(&mut qb, filter, scope, cursor.as_ref(), run, plain);
                        qb.push(order_by(order, "a.")).push_bind(offset + limit + 1);
                        qb.push(") AS run").push(i);
                    }
                    qb.push(") AS runs")
                        .push(order_by(order, ""))
                        .push_bind(offset + limit + 1)
                        .push(")");
                }
            }
            qb.push(order_by(order, "a.")).push_bind(limit + 1);
            if offset > 0 {
                qb.push(" OFFSET ").push_bind(offset);
            }
            let mut rows: Vec<AppRow> = qb.build_query_as().fetch_all(read).await?;
            let more = rows.len() as i64 > limit;
            rows.truncate(limit as usize);
            let items = rows
                .into_iter()
                .map(AppRow::into_model)
                .collect::<Result<Vec<Application>>>()?;
            let next = if more {
                items.last().map(|a| match order {
                    ListOrder::NewestFirst => ListCursor::Newest {
                        accepted_at_us: a.accepted_at.as_microsecond(),
                        number: a.number.as_i64(),
                    },
                    ListOrder::DueFirst => ListCursor::Due {
                        planned_date: a.planned_date,
                        number: a.number.as_i64(),
                    },
                })
            } else {
                None
            };
            Ok((items, next))
        })
    }

    /// How many applications the list of `filter` holds in `scope`, counted up to `bound`
    /// (a count of a whole ministry's million would cost more than the page it heads) and
    /// within `budget`: a count that would take longer (a rare flag over a big sub-tree, read
    /// row by row) is abandoned — SQLite's progress handler interrupts it, PostgreSQL's
    /// `statement_timeout` cancels it — and `None` says the total is unknown. The workstation
    /// then says "more than" what it has seen, and its page links stop at the next page.
    #[tracing::instrument(skip_all)]
    pub async fn count_listed(
        &self,
        filter: &ApplicationFilter,
        scope: &Scope,
        bound: i64,
        budget: std::time::Duration,
    ) -> Result<Option<ListTotal>> {
        let plain = match (self, &filter.search) {
            (Store::Sqlite(_), Some(_)) => "+",
            _ => "",
        };
        let counted = |n: i64| ListTotal {
            count: n.min(bound),
            more: n > bound,
        };
        // A surname within a sub-tree is counted per organization, as its page is read.
        let runs = match filter.search {
            Some(ApplicationSearch::Surname(_)) => self.runs(filter, scope).await?,
            _ => None,
        };
        let run_plain = if matches!(self, Store::Sqlite(_)) {
            "+"
        } else {
            ""
        };
        match self {
            Store::Sqlite(db) => {
                let mut qb = count_query(runs.as_deref(), filter, scope, bound, plain, run_plain);
                let mut conn = crate::budget::Budgeted::acquire(&db.read, budget).await?;
                let n = qb.build().fetch_one(conn.connection()).await;
                conn.finish().await?;
                match n {
                    Ok(row) => Ok(Some(counted(row.try_get("n")?))),
                    Err(e) if crate::budget::interrupted(&e) => Ok(None),
                    Err(e) => Err(e.into()),
                }
            }
            Store::Postgres(db) => {
                let mut tx = db.pool.begin().await?;
                sqlx::query(&format!(
                    "SET LOCAL statement_timeout = {}",
                    budget.as_millis().max(1)
                ))
                .execute(&mut *tx)
                .await?;
                let mut qb = count_query(runs.as_deref(), filter, scope, bound, plain, run_plain);
                let n = qb.build().fetch_one(&mut *tx).await;
                match n {
                    Ok(row) => {
                        tx.commit().await?;
                        Ok(Some(counted(row.try_get("n")?)))
                    }
                    Err(e) if crate::budget::cancelled(&e) => {
                        tx.rollback().await?;
                        Ok(None)
                    }
                    Err(e) => Err(e.into()),
                }
            }
        }
    }

    /// The per-organization runs that together hold every application the list may show,
    /// the fewest of those its sub-tree filters allow; `None` when nothing narrows the list
    /// to a sub-tree, or when the narrowest is too big to read per organization.
    async fn runs(&self, filter: &ApplicationFilter, scope: &Scope) -> Result<Option<Vec<Run>>> {
        // Each sub-tree filter alone is a cover: an application the list shows is accepted or
        // executed in the scope's sub-tree, likewise the organization filter's, and executed
        // in the executor filter's.
        let mut covers: Vec<(&str, &[PathColumn])> = vec![];
        const BOTH: &[PathColumn] = &[PathColumn::Accept, PathColumn::Exec];
        if let Scope::Organization { path, .. } = scope {
            covers.push((path, BOTH));
        }
        if let Some(path) = &filter.organization_path {
            covers.push((path, BOTH));
        }
        if let Some(path) = &filter.executor_path {
            covers.push((path, &[PathColumn::Exec]));
        }
        let mut best: Option<Vec<Run>> = None;
        for (path, columns) in covers {
            let orgs = self.sub_tree_paths(path).await?;
            let runs: Vec<Run> = orgs
                .iter()
                .flat_map(|p| columns.iter().map(move |c| (*c, p.clone())))
                .collect();
            if best.as_ref().is_none_or(|b| runs.len() < b.len()) {
                best = Some(runs);
            }
        }
        Ok(best.filter(|runs| runs.len() <= MAX_RUNS))
    }

    /// The paths of the organizations in the sub-tree rooted at `path`, the root included.
    async fn sub_tree_paths(&self, path: &str) -> Result<Vec<String>> {
        with_db!(self, |read, _write| {
            let rows = sqlx::query(
                "SELECT path FROM organizations WHERE path >= $1 AND path < $2 ORDER BY path",
            )
            .bind(path)
            .bind(path_end(path))
            .fetch_all(read)
            .await?;
            rows.iter()
                .map(|r| Ok(r.try_get::<String, _>("path")?))
                .collect::<Result<Vec<String>>>()
        })
    }
}

/// ` ORDER BY … LIMIT ` in the list's order, columns prefixed with `prefix`.
fn order_by(order: ListOrder, prefix: &str) -> String {
    match order {
        ListOrder::NewestFirst => {
            format!(" ORDER BY {prefix}accepted_at DESC, {prefix}number DESC LIMIT ")
        }
        ListOrder::DueFirst => {
            format!(" ORDER BY {prefix}planned_date ASC, {prefix}number ASC LIMIT ")
        }
    }
}

/// The statement counting the list up to `bound` (one more row tells there are more): over
/// the whole table, or the union of `runs` each cut at `bound + 1` (see
/// [`Store::count_listed`]).
fn count_query<'a, DB>(
    runs: Option<&[Run]>,
    filter: &ApplicationFilter,
    scope: &Scope,
    bound: i64,
    plain: &str,
    run_plain: &str,
) -> QueryBuilder<'a, DB>
where
    DB: Database,
    String: Encode<'a, DB> + Type<DB>,
    i64: Encode<'a, DB> + Type<DB>,
{
    let mut qb = QueryBuilder::new("SELECT COUNT(*) AS n FROM (");
    match runs {
        Some(runs) if !runs.is_empty() => {
            for (i, (column, path)) in runs.iter().enumerate() {
                if i > 0 {
                    qb.push(" UNION ");
                }
                qb.push("SELECT * FROM (SELECT a.id FROM applications a WHERE ");
                qb.push(column.name()).push(" = ").push_bind(path.clone());
                let run = Some((*column, path.as_str()));
                push_conditions(&mut qb, filter, scope, None, run, run_plain);
                qb.push(" LIMIT ").push_bind(bound + 1);
                qb.push(") AS run").push(i);
            }
        }
        _ => {
            qb.push("SELECT 1 FROM applications a WHERE 1 = 1");
            push_conditions(&mut qb, filter, scope, None, None, plain);
            qb.push(" LIMIT ").push_bind(bound + 1);
        }
    }
    qb.push(") AS counted");
    qb
}

/// Appends ` AND …` for the scope, every filter and the cursor. Inside a `run` (its path
/// column equal to its path), the sub-tree conditions the run already implies are left out:
/// redundant ranges only mislead the planner's estimates. `plain` prefixes the path columns
/// of the sub-tree ranges that remain (see [`Store::applications`]).
fn push_conditions<'a, DB>(
    qb: &mut QueryBuilder<'a, DB>,
    filter: &ApplicationFilter,
    scope: &Scope,
    cursor: Option<&ListCursor>,
    run: Option<(PathColumn, &str)>,
    plain: &str,
) where
    DB: Database,
    String: Encode<'a, DB> + Type<DB>,
    i64: Encode<'a, DB> + Type<DB>,
{
    let implied = |sub_tree: &str, columns: &[PathColumn]| {
        run.is_some_and(|(column, path)| columns.contains(&column) && path.starts_with(sub_tree))
    };
    let within = |qb: &mut QueryBuilder<'a, DB>, path: &str| {
        if implied(path, &[PathColumn::Accept, PathColumn::Exec]) {
            return;
        }
        qb.push(format!(" AND (({plain}a.accept_path >= "))
            .push_bind(path.to_string());
        qb.push(format!(" AND {plain}a.accept_path < "))
            .push_bind(path_end(path));
        qb.push(format!(") OR ({plain}a.exec_path >= "))
            .push_bind(path.to_string());
        qb.push(format!(" AND {plain}a.exec_path < "))
            .push_bind(path_end(path));
        qb.push("))");
    };
    if let Scope::Organization { path, .. } = scope {
        within(qb, path);
    }
    if let Some(path) = &filter.organization_path {
        within(qb, path);
    }
    if let Some(path) = filter
        .executor_path
        .as_ref()
        .filter(|p| !implied(p, &[PathColumn::Exec]))
    {
        qb.push(format!(" AND {plain}a.exec_path >= "))
            .push_bind(path.clone());
        qb.push(format!(" AND {plain}a.exec_path < "))
            .push_bind(path_end(path));
    }
    if let Some(id) = filter.service_id {
        qb.push(" AND a.service_id = ").push_bind(id);
    }
    if let Some(stage) = filter.stage {
        qb.push(" AND a.stage = ")
            .push_bind(stage.as_str().to_string());
    }
    // Flags as literals, not parameters: a partial index (`WHERE pending = TRUE`) serves
    // only a statement whose text implies its condition.
    let literal = |v: bool| if v { "TRUE" } else { "FALSE" };
    if let Some(v) = filter.overdue {
        qb.push(" AND a.overdue = ").push(literal(v));
    }
    if let Some(v) = filter.nearing {
        qb.push(" AND a.nearing = ").push(literal(v));
    }
    if let Some(v) = filter.pending {
        qb.push(" AND a.pending = ").push(literal(v));
    }
    if let Some(t) = filter.accepted_from {
        qb.push(" AND a.accepted_at >= ").push_bind(us(t));
    }
    if let Some(t) = filter.accepted_to {
        qb.push(" AND a.accepted_at < ").push_bind(us(t));
    }
    if let Some(d) = filter.planned_from {
        qb.push(" AND a.planned_date >= ").push_bind(d.to_string());
    }
    if let Some(d) = filter.planned_to {
        qb.push(" AND a.planned_date <= ").push_bind(d.to_string());
    }
    if let Some(t) = filter.completed_from {
        qb.push(" AND a.actual_completion >= ").push_bind(us(t));
    }
    if let Some(t) = filter.completed_to {
        qb.push(" AND a.actual_completion < ").push_bind(us(t));
    }
    if let Some(t) = filter.deadline_from {
        qb.push(" AND a.deadline >= ").push_bind(us(t));
    }
    if let Some(t) = filter.deadline_to {
        qb.push(" AND a.deadline < ").push_bind(us(t));
    }
    match &filter.search {
        Some(ApplicationSearch::Number(n)) => {
            qb.push(" AND a.number = ").push_bind(n.as_i64());
        }
        Some(ApplicationSearch::Applicant(id)) => {
            qb.push(" AND a.applicant_id = ")
                .push_bind(crate::applications::applicant_columns(id).1);
        }
        Some(ApplicationSearch::Surname(key)) => {
            qb.push(" AND a.last_name_key = ").push_bind(key.clone());
        }
        None => {}
    }
    // Row values: both databases take them as one range of the index in the list's order.
    match cursor {
        Some(ListCursor::Newest {
            accepted_at_us,
            number,
        }) => {
            qb.push(" AND (a.accepted_at, a.number) < (")
                .push_bind(*accepted_at_us);
            qb.push(", ").push_bind(*number).push(")");
        }
        Some(ListCursor::Due {
            planned_date,
            number,
        }) => {
            qb.push(" AND (a.planned_date, a.number) > (")
                .push_bind(planned_date.to_string());
            qb.push(", ").push_bind(*number).push(")");
        }
        None => {}
    }
}
