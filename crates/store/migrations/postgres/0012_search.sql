-- Issue 16 B.2: the application lists are searched by surname and by IIN/BIN.
-- last_name_key: the surname's search key (qyzmet_domain::search::name_key), written with the
-- application; compared in code point order ("C"), so a prefix is one range of the index.
-- Existing rows are keyed by the store after the migration (Store::search_backfill): the
-- database's lower() follows its locale, the key must not.
ALTER TABLE applications ADD COLUMN last_name_key TEXT COLLATE "C";
CREATE INDEX applications_last_name_key ON applications (last_name_key, accepted_at, number);
CREATE INDEX applications_applicant ON applications (applicant_id, accepted_at, number);
