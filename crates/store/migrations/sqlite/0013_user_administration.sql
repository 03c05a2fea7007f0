-- User administration (issue 16, B.6): who a user is (full name, position), a block with who
-- set it and why, a password the user must change at the next sign-in, and the last sign-in.
-- The block takes the place of `disabled_at` (never set before; sign-in and the session
-- lookup already refused a user who had one). Kept in step with
-- ../postgres/0013_user_administration.sql.
ALTER TABLE users RENAME COLUMN disabled_at TO blocked_at;
ALTER TABLE users ADD COLUMN blocked_by TEXT;            -- the actor (user:ID, cli:NAME)
ALTER TABLE users ADD COLUMN blocked_reason TEXT;
ALTER TABLE users ADD COLUMN full_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN position TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN last_sign_in_at INTEGER;
