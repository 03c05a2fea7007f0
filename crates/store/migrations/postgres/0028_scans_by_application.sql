-- An application's scans in order (issue 19, 001 §15.9). Kept in step with
-- ../sqlite/0028_scans_by_application.sql.
--
-- Where a package is (its last scan) and when it came back (its from_provider scan) are read
-- per application; without this index the planner may combine the office's index
-- (events_office_scans, every scan of every office) with the history's, reading every scan.
CREATE INDEX events_app_scans ON events (app_id, seq) WHERE kind = 'scanned';
