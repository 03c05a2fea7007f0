//! One application with its history, read through rusqlite (SQLite's lookup path).

use super::{fetch_all, NativeDb};
use crate::error::{Result, StoreError};
use crate::models::{ApplicationDetail, Scope};
use crate::rows::{AppRow, DeadlineChangeRow, EventRow, EvidenceRow, APP_SELECT, EVIDENCE_SELECT};
use qyzmet_domain::ids::ApplicationNumber;

impl NativeDb {
    /// The application `number` as `scope` sees it (outside the scope: not found), in one
    /// snapshot.
    pub(crate) fn application(
        &self,
        number: ApplicationNumber,
        scope: &Scope,
    ) -> Result<ApplicationDetail> {
        let n = number.as_i64();
        let (row, events, changes, evidence) = self.read(|conn| {
            let row = fetch_all::<AppRow>(conn, &format!("{APP_SELECT} WHERE a.number = ?1"), [n])?
                .pop()
                .filter(|r| scope.sees(&r.accept_path, &r.exec_path))
                .ok_or(StoreError::NotFound("application"))?;
            let events = fetch_all::<EventRow>(
                conn,
                "SELECT * FROM events WHERE app_id = ?1 ORDER BY seq",
                [row.id],
            )?;
            // Most applications never had their deadline changed: skip the query then.
            let changes = if row.deadline_change_count == 0 {
                vec![]
            } else {
                fetch_all::<DeadlineChangeRow>(
                    conn,
                    "SELECT old_planned_date, new_planned_date, old_deadline, new_deadline, \
                     reason, changed_at FROM deadline_changes WHERE number = ?1 ORDER BY id",
                    [n],
                )?
            };
            let evidence = fetch_all::<EvidenceRow>(conn, EVIDENCE_SELECT, [row.id])?;
            Ok((row, events, changes, evidence))
        })?;
        crate::applications::detail(row, events, changes, evidence)
    }
}
