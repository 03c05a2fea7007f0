-- Issue 16 B.2: the application lists are searched by surname and by IIN/BIN.
-- last_name_key: the surname's search key (qyzmet_domain::search::name_key), written with the
-- application; SQLite compares text byte by byte (BINARY), so a prefix is one range of the
-- index. Existing rows are keyed by the store after the migration (Store::search_backfill):
-- SQLite's lower() knows only ASCII.
ALTER TABLE applications ADD COLUMN last_name_key TEXT;
CREATE INDEX applications_last_name_key ON applications (last_name_key, accepted_at, number);
CREATE INDEX applications_applicant ON applications (applicant_id, accepted_at, number);
