-- Issue 16: the list of overdue applications (the inbox's "overdue" flag, the dashboard's
-- drill-down into open overdue work) per organization, as migration 0006 serves "pending".
-- Kept in step with ../postgres/0016_overdue_lists.sql.
--
-- A sub-tree's page is read as one short run per organization (crates/store/src/listing.rs).
-- Through the full path indexes a run for a rare flag reads an organization's applications
-- newest first until it has found a page of overdue ones: in the State Corporation's sub-tree
-- (a third of a million applications at 1M, few of them overdue) that was 109-145 ms p95
-- (BENCHMARKS, issue 16). On these indexes each run reads only overdue rows. The listing
-- pushes the flag as the literal `a.overdue = TRUE`, which both databases match to the
-- indexes' predicate.
CREATE INDEX applications_accept_path_overdue ON applications (accept_path, accepted_at, number)
    WHERE overdue = TRUE;
CREATE INDEX applications_exec_path_overdue ON applications (exec_path, accepted_at, number)
    WHERE overdue = TRUE;
CREATE INDEX applications_accept_path_overdue_planned
    ON applications (accept_path, planned_date, number) WHERE overdue = TRUE;
CREATE INDEX applications_exec_path_overdue_planned
    ON applications (exec_path, planned_date, number) WHERE overdue = TRUE;
