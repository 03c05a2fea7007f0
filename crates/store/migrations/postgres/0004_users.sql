-- Workstation users (issue 4): sign-in by username and password (argon2 hash), one role, the
-- organization they work for (operators and supervisors), their language. Kept in step with
-- ../sqlite/0004_users.sql.
CREATE TABLE users (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,       -- lower case
    password_hash   TEXT NOT NULL,              -- PHC string (argon2id); never the password
    role            TEXT NOT NULL,              -- administrator | analyst | operator | supervisor
    organization_id BIGINT REFERENCES organizations(id),
    language        TEXT NOT NULL DEFAULT 'kk', -- kk | ru | en
    failed_attempts BIGINT NOT NULL DEFAULT 0, -- consecutive failed sign-ins
    locked_until    BIGINT,                    -- no sign-in before this instant
    created_at      BIGINT NOT NULL,
    disabled_at     BIGINT
);
