-- Workstation sessions (issue 4), kept in the database so that any node serves any user.
-- Kept in step with ../sqlite/0005_sessions.sql.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,       -- SHA-256 of the cookie's secret; never the secret
    user_id      BIGINT NOT NULL REFERENCES users(id),
    csrf_token   TEXT NOT NULL,          -- the session's anti-forgery token, sent with every form
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    client       TEXT NOT NULL           -- the address it signed in from, for the audit
);
CREATE INDEX sessions_user ON sessions (user_id);
