-- The stored monthly violations reports (000 §12, issue 5). Kept in step with
-- ../postgres/0007_violation_reports.sql.
--
-- Every generation that changes a month's figures is a new version; versions are never
-- changed nor deleted (the triggers refuse it), so what was delivered can always be shown
-- and compared with what came after. `cells` holds the figures per executing organization
-- and service (JSON: [{"organization", "service", "figures": {...}}]); every view of the
-- report (organizations own and total, services, any sub-tree) is summed from them.
CREATE TABLE violation_reports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    month         TEXT NOT NULL,            -- YYYY-MM
    version       INTEGER NOT NULL,         -- 1, 2, … per month
    as_of         INTEGER NOT NULL,         -- the moment the figures are computed as of
    generated_at  INTEGER NOT NULL,
    cause         TEXT NOT NULL,            -- schedule | demand | revision
    generated_by  TEXT NOT NULL,            -- node:… or the actor who asked
    cells         TEXT NOT NULL,
    cells_hash    TEXT NOT NULL,            -- SHA-256 of cells: a recomputation that changes nothing stores nothing
    UNIQUE (month, version)
);

CREATE TRIGGER violation_reports_no_update BEFORE UPDATE ON violation_reports
BEGIN
    SELECT RAISE(ABORT, 'violation reports are immutable');
END;

CREATE TRIGGER violation_reports_no_delete BEFORE DELETE ON violation_reports
BEGIN
    SELECT RAISE(ABORT, 'violation reports are immutable');
END;

-- A month's applications are those whose deadline falls in it: one range of this index.
CREATE INDEX applications_deadline ON applications (deadline);
