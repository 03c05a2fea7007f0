-- Judging an application by its history as of the report's moment (000 §12; issue 15,
-- finding 8; docs/reports.md "How the figures are computed"). Kept in step with
-- ../sqlite/0010_amended_applications.sql.
--
-- An application whose history has a suspension, a resumption or a change of executor is
-- *amended*: as of an earlier moment it may have been suspended or not, had another executor,
-- and had an earlier deadline (suspensions only ever move a deadline later), so a report as
-- of that moment must judge it from its history, not from its current row. Such applications
-- leave the settled counts and the cases of migration 0009: they are listed under every month
-- their deadline may fall in as of some moment — from the month of their acceptance to the
-- month of their current deadline — and each report recomputes them as of its moment.
CREATE TABLE violation_amended (
    month        TEXT NOT NULL,             -- YYYY-MM
    app_id       BIGINT NOT NULL REFERENCES applications(id),
    PRIMARY KEY (month, app_id)
);
CREATE INDEX violation_amended_app ON violation_amended (app_id);

-- The executor an application was registered with, kept when its executor first changes
-- (NULL: never changed). A report as of a moment before the first change counts it there.
-- Applications whose executor changed before this migration did not keep it: for them the
-- current executor stands in (no deployment had such data when it was written).
ALTER TABLE applications ADD COLUMN registered_exec_org_id BIGINT REFERENCES organizations(id);

-- The amended applications, for the reference computation (few: most histories are stages).
CREATE INDEX events_amending ON events (app_id) WHERE kind <> 'stage';

-- The rollups are rebuilt with amended applications apart (Store::migrate does it).
DELETE FROM violation_cases;
DELETE FROM violation_rollups;
UPDATE violation_rollup_state SET backfill = TRUE WHERE id = 1;
