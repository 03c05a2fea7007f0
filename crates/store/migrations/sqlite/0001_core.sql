-- qyzmet core schema (SQLite). Kept in step with ../postgres/0001_core.sql: same tables,
-- same columns, same meaning. Instants are INTEGER microseconds since the Unix epoch (UTC);
-- local dates (Asia/Almaty) are TEXT 'YYYY-MM-DD'.

CREATE TABLE information_systems (
    code        TEXT PRIMARY KEY,
    name_kk     TEXT NOT NULL,
    name_ru     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    operator    TEXT NOT NULL
);

CREATE TABLE organizations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    code          TEXT NOT NULL UNIQUE,
    parent_id     INTEGER REFERENCES organizations(id),
    -- materialized path of ids, '/1/7/42/': a sub-tree is a prefix range
    path          TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    bin           TEXT NOT NULL UNIQUE,
    name_kk       TEXT NOT NULL,
    name_ru       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    working_hours TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE services (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    code                   TEXT NOT NULL UNIQUE,
    organization_id        INTEGER NOT NULL REFERENCES organizations(id),
    name_kk                TEXT NOT NULL,
    name_ru                TEXT NOT NULL,
    name_en                TEXT NOT NULL,
    acceptance_day_counted BOOLEAN NOT NULL,
    channels               TEXT NOT NULL,   -- comma-separated: provider,state_corp,portal
    depends_on             TEXT NOT NULL,   -- comma-separated information system codes
    terms_version          INTEGER NOT NULL,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
);

-- Term variants, versioned: a change of terms adds a version; applications keep the one
-- they were registered under.
CREATE TABLE service_terms (
    service_id  INTEGER NOT NULL REFERENCES services(id),
    version     INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    variant     TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    unit        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (service_id, version, variant)
);

CREATE TABLE calendar_entries (
    day         TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,      -- day_off | working_day
    name        TEXT NOT NULL,
    source      TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE calendar_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    day         TEXT NOT NULL,
    old_kind    TEXT,
    new_kind    TEXT,
    source      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    changed_at  INTEGER NOT NULL,
    recomputed  INTEGER NOT NULL
);

CREATE TABLE applications (
    number               INTEGER PRIMARY KEY,  -- public number with check digit
    service_id           INTEGER NOT NULL REFERENCES services(id),
    terms_version        INTEGER NOT NULL,
    term_variant         TEXT NOT NULL,
    term_amount          INTEGER NOT NULL,
    term_unit            TEXT NOT NULL,
    acceptance_day_counted BOOLEAN NOT NULL,
    paper                BOOLEAN NOT NULL,
    channel              TEXT NOT NULL,
    applicant_kind       TEXT NOT NULL,        -- iin | bin
    applicant_id         TEXT NOT NULL,
    last_name            TEXT NOT NULL,
    first_name           TEXT NOT NULL,
    middle_name          TEXT,
    accept_org_id        INTEGER NOT NULL REFERENCES organizations(id),
    accept_path          TEXT NOT NULL,
    exec_org_id          INTEGER NOT NULL REFERENCES organizations(id),
    exec_path            TEXT NOT NULL,
    executor_person      TEXT,
    working_hours        TEXT NOT NULL,
    external_id          TEXT,
    accepted_at          INTEGER NOT NULL,
    effective_acceptance INTEGER NOT NULL,
    planned_date         TEXT NOT NULL,
    deadline             INTEGER NOT NULL,
    original_planned_date TEXT NOT NULL,
    derivation           TEXT NOT NULL,        -- JSON: how the planned date was derived
    -- projection, updated in the same transaction as each event
    stage                TEXT NOT NULL,
    stage_no             INTEGER NOT NULL,
    outcome              TEXT,
    actual_completion    INTEGER,
    closed_at            INTEGER,
    suspended            BOOLEAN NOT NULL,
    overdue              BOOLEAN NOT NULL,
    overdue_seconds      INTEGER NOT NULL,
    nearing              BOOLEAN NOT NULL,
    nearing_at           INTEGER NOT NULL,        -- when it becomes nearing if still pending
    pending              BOOLEAN NOT NULL,    -- no stage 4+ yet: the clock runs (rule 8)
    event_count          INTEGER NOT NULL,
    deadline_change_count INTEGER NOT NULL DEFAULT 0,
    head_hash            TEXT NOT NULL,        -- hash chain head of the history
    recorded_at          INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE UNIQUE INDEX applications_external ON applications (accept_org_id, external_id);
CREATE INDEX applications_exec_path ON applications (exec_path, number);
CREATE INDEX applications_accept_path ON applications (accept_path, number);
CREATE INDEX applications_service ON applications (service_id, number);
CREATE INDEX applications_pending_deadline ON applications (pending, deadline);
CREATE INDEX applications_pending_nearing ON applications (pending, nearing_at);
CREATE INDEX applications_accepted_at ON applications (accepted_at, number);

-- Append-only history; corrections are new events.
CREATE TABLE events (
    id              TEXT PRIMARY KEY,          -- client-chosen UUID
    number          INTEGER NOT NULL REFERENCES applications(number),
    seq             INTEGER NOT NULL,          -- position in the application's chain
    kind            TEXT NOT NULL,             -- stage | suspended | resumed | executor_changed
    stage           TEXT,
    outcome         TEXT,
    reason          TEXT,
    executor        TEXT,
    executor_person TEXT,
    occurred_at     INTEGER NOT NULL,
    recorded_at     INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    content_hash    TEXT NOT NULL,             -- of the client's content: same id, other content is 409
    chain_hash      TEXT NOT NULL              -- H(previous chain hash, content)
);
CREATE INDEX events_number ON events (number, seq);

CREATE TABLE deadline_changes (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    number            INTEGER NOT NULL REFERENCES applications(number),
    old_planned_date  TEXT NOT NULL,
    new_planned_date  TEXT NOT NULL,
    old_deadline      INTEGER NOT NULL,
    new_deadline      INTEGER NOT NULL,
    reason            TEXT NOT NULL,
    changed_at        INTEGER NOT NULL
);
CREATE INDEX deadline_changes_number ON deadline_changes (number);

CREATE TABLE outages (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at   INTEGER NOT NULL,
    ended_at     INTEGER,
    all_systems  BOOLEAN NOT NULL,
    systems      TEXT NOT NULL,     -- comma-separated information system codes
    operator     TEXT NOT NULL,
    description  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  INTEGER NOT NULL
);
CREATE INDEX outages_started ON outages (started_at);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash  TEXT NOT NULL UNIQUE,  -- SHA-256 of the secret; the secret is never stored
    organization_id INTEGER REFERENCES organizations(id),
    admin       BOOLEAN NOT NULL,
    label       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);

CREATE TABLE job_leases (
    job         TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
