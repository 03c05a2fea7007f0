-- The application list per organization (issue 4, BENCHMARKS "the 50-row inbox"). Kept in
-- step with ../postgres/0006_inbox.sql.
--
-- A sub-tree's page is read as one short index run per organization and path column, in the
-- list's order (crates/store/src/listing.rs): the path indexes end with the order's columns,
-- acceptance (newest first) or planned date (due first). The old (path, number) indexes are
-- prefixes of the new ones and go.
DROP INDEX applications_accept_path;
DROP INDEX applications_exec_path;
CREATE INDEX applications_accept_path ON applications (accept_path, accepted_at, number);
CREATE INDEX applications_exec_path ON applications (exec_path, accepted_at, number);
CREATE INDEX applications_accept_path_planned ON applications (accept_path, planned_date, number);
CREATE INDEX applications_exec_path_planned ON applications (exec_path, planned_date, number);
-- The open work ("pending"), the inbox's most used filter: a few percent of the rows, which a
-- run through the full indexes would have to find among all of an organization's applications.
CREATE INDEX applications_accept_path_pending ON applications (accept_path, accepted_at, number)
    WHERE pending = TRUE;
CREATE INDEX applications_exec_path_pending ON applications (exec_path, accepted_at, number)
    WHERE pending = TRUE;
CREATE INDEX applications_accept_path_pending_planned
    ON applications (accept_path, planned_date, number) WHERE pending = TRUE;
CREATE INDEX applications_exec_path_pending_planned
    ON applications (exec_path, planned_date, number) WHERE pending = TRUE;
-- The unscoped "due first" list (analysts, administrators).
CREATE INDEX applications_planned ON applications (planned_date, number);
