-- qyzmet core schema (PostgreSQL). Kept in step with ../sqlite/0001_core.sql: same tables,
-- same columns, same meaning. Instants are BIGINT microseconds since the Unix epoch (UTC);
-- local dates (Asia/Almaty) are TEXT 'YYYY-MM-DD'.

CREATE TABLE information_systems (
    code        TEXT PRIMARY KEY,
    name_kk     TEXT NOT NULL,
    name_ru     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    operator    TEXT NOT NULL
);

CREATE TABLE organizations (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    parent_id     BIGINT REFERENCES organizations(id),
    -- materialized path of ids, '/1/7/42/': a sub-tree is a prefix range
    path          TEXT COLLATE "C" NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    bin           TEXT NOT NULL UNIQUE,
    name_kk       TEXT NOT NULL,
    name_ru       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    working_hours TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE services (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                   TEXT NOT NULL UNIQUE,
    organization_id        BIGINT NOT NULL REFERENCES organizations(id),
    name_kk                TEXT NOT NULL,
    name_ru                TEXT NOT NULL,
    name_en                TEXT NOT NULL,
    acceptance_day_counted BOOLEAN NOT NULL,
    channels               TEXT NOT NULL,   -- comma-separated: provider,state_corp,portal
    depends_on             TEXT NOT NULL,   -- comma-separated information system codes
    terms_version          BIGINT NOT NULL,
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL
);

-- Term variants, versioned: a change of terms adds a version; applications keep the one
-- they were registered under.
CREATE TABLE service_terms (
    service_id  BIGINT NOT NULL REFERENCES services(id),
    version     BIGINT NOT NULL,
    position    BIGINT NOT NULL,
    variant     TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    unit        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (service_id, version, variant)
);

CREATE TABLE calendar_entries (
    day         TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,      -- day_off | working_day
    name        TEXT NOT NULL,
    source      TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE calendar_changes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day         TEXT NOT NULL,
    old_kind    TEXT,
    new_kind    TEXT,
    source      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    changed_at  BIGINT NOT NULL,
    recomputed  BIGINT NOT NULL
);

CREATE TABLE applications (
    number               BIGINT PRIMARY KEY,  -- public number with check digit
    service_id           BIGINT NOT NULL REFERENCES services(id),
    terms_version        BIGINT NOT NULL,
    term_variant         TEXT NOT NULL,
    term_amount          BIGINT NOT NULL,
    term_unit            TEXT NOT NULL,
    acceptance_day_counted BOOLEAN NOT NULL,
    paper                BOOLEAN NOT NULL,
    channel              TEXT NOT NULL,
    applicant_kind       TEXT NOT NULL,        -- iin | bin
    applicant_id         TEXT NOT NULL,
    last_name            TEXT NOT NULL,
    first_name           TEXT NOT NULL,
    middle_name          TEXT,
    accept_org_id        BIGINT NOT NULL REFERENCES organizations(id),
    accept_path          TEXT COLLATE "C" NOT NULL,
    exec_org_id          BIGINT NOT NULL REFERENCES organizations(id),
    exec_path            TEXT COLLATE "C" NOT NULL,
    executor_person      TEXT,
    working_hours        TEXT NOT NULL,
    external_id          TEXT,
    accepted_at          BIGINT NOT NULL,
    effective_acceptance BIGINT NOT NULL,
    planned_date         TEXT NOT NULL,
    deadline             BIGINT NOT NULL,
    original_planned_date TEXT NOT NULL,
    derivation           TEXT NOT NULL,        -- JSON: how the planned date was derived
    -- projection, updated in the same transaction as each event
    stage                TEXT NOT NULL,
    stage_no             BIGINT NOT NULL,
    outcome              TEXT,
    actual_completion    BIGINT,
    closed_at            BIGINT,
    suspended            BOOLEAN NOT NULL,
    overdue              BOOLEAN NOT NULL,
    overdue_seconds      BIGINT NOT NULL,
    nearing              BOOLEAN NOT NULL,
    nearing_at           BIGINT NOT NULL,        -- when it becomes nearing if still pending
    pending              BOOLEAN NOT NULL,    -- no stage 4+ yet: the clock runs (rule 8)
    event_count          BIGINT NOT NULL,
    deadline_change_count BIGINT NOT NULL DEFAULT 0,
    head_hash            TEXT NOT NULL,        -- hash chain head of the history
    recorded_at          BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
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
    number          BIGINT NOT NULL REFERENCES applications(number),
    seq             BIGINT NOT NULL,          -- position in the application's chain
    kind            TEXT NOT NULL,             -- stage | suspended | resumed | executor_changed
    stage           TEXT,
    outcome         TEXT,
    reason          TEXT,
    executor        TEXT,
    executor_person TEXT,
    occurred_at     BIGINT NOT NULL,
    recorded_at     BIGINT NOT NULL,
    actor           TEXT NOT NULL,
    content_hash    TEXT NOT NULL,             -- of the client's content: same id, other content is 409
    chain_hash      TEXT NOT NULL              -- H(previous chain hash, content)
);
CREATE INDEX events_number ON events (number, seq);

CREATE TABLE deadline_changes (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number            BIGINT NOT NULL REFERENCES applications(number),
    old_planned_date  TEXT NOT NULL,
    new_planned_date  TEXT NOT NULL,
    old_deadline      BIGINT NOT NULL,
    new_deadline      BIGINT NOT NULL,
    reason            TEXT NOT NULL,
    changed_at        BIGINT NOT NULL
);
CREATE INDEX deadline_changes_number ON deadline_changes (number);

CREATE TABLE outages (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at   BIGINT NOT NULL,
    ended_at     BIGINT,
    all_systems  BOOLEAN NOT NULL,
    systems      TEXT NOT NULL,     -- comma-separated information system codes
    operator     TEXT NOT NULL,
    description  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  BIGINT NOT NULL
);
CREATE INDEX outages_started ON outages (started_at);

CREATE TABLE api_tokens (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,  -- SHA-256 of the secret; the secret is never stored
    organization_id BIGINT REFERENCES organizations(id),
    admin       BOOLEAN NOT NULL,
    label       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE job_leases (
    job         TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);

CREATE TABLE audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
