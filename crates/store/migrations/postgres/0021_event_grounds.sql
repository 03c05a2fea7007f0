-- Grounds of suspensions and refusals (issue 17, 003 §17). Kept in step with
-- ../sqlite/0021_event_grounds.sql.
--
-- A suspension or a refusal may name the ground it rests on: the code of one of the
-- suspension or refusal grounds of the passport version the application was registered under
-- (applications.passport_version). The text and legal reference stay in the passport; the
-- event keeps the code, beside the free-text reason. Events recorded before this have none,
-- and their content hashes are computed without it (crates/store/src/chain.rs).
ALTER TABLE events ADD COLUMN ground TEXT;
