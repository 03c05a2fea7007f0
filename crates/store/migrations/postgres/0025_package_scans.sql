-- A paper package's scans (issue 19, 001 §15.9, ADR 0021). Kept in step with
-- ../sqlite/0025_package_scans.sql.
--
-- A scan is an event of the application's hash-chained history (kind 'scanned'): which
-- handover (to_provider, from_provider, to_issue_desk, issued, returned) and the code of the
-- office it was made at. Other events have neither.
ALTER TABLE events ADD COLUMN scan TEXT;
ALTER TABLE events ADD COLUMN office TEXT;
-- The office's packages: what reached it and when (its storage shelf, 001 §20).
CREATE INDEX events_office_scans ON events (office, occurred_at) WHERE kind = 'scanned';
