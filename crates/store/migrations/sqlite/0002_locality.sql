-- Storage locality (ADR 0004). Kept in step with ../postgres/0002_locality.sql.
--
-- Applications get an internal key in registration order, so the rows that receive events
-- (recent applications) sit together at the end of the table instead of at the random place
-- their public number would put them; the public number stays unique and is looked up through
-- its own index. Events are clustered by that key (WITHOUT ROWID), so an application's
-- history is one contiguous range. The derivation JSON (two thirds of the old row) moves to a
-- table of its own, so the row every event rewrites is short. The sweep reads partial indexes of the applications whose
-- clock is still running, and stops rewriting every open overdue application each run (the
-- running overdue duration is computed when read).
--
-- SQLite cannot change a primary key in place: the three tables are rebuilt. Foreign keys
-- are checked at commit (defer_foreign_keys), and each old child table is dropped before its
-- parent, so nothing is left dangling in between.

PRAGMA defer_foreign_keys = ON;

CREATE TABLE applications_v2 (
    id                   INTEGER PRIMARY KEY,  -- internal key, in registration order
    number               INTEGER NOT NULL UNIQUE,  -- public number with check digit
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
    stage                TEXT NOT NULL,
    stage_no             INTEGER NOT NULL,
    outcome              TEXT,
    actual_completion    INTEGER,
    closed_at            INTEGER,
    suspended            BOOLEAN NOT NULL,
    overdue              BOOLEAN NOT NULL,
    overdue_seconds      INTEGER NOT NULL,     -- as of completion or suspension; live while the clock runs
    nearing              BOOLEAN NOT NULL,
    nearing_at           INTEGER NOT NULL,
    pending              BOOLEAN NOT NULL,
    event_count          INTEGER NOT NULL,
    deadline_change_count INTEGER NOT NULL DEFAULT 0,
    head_hash            TEXT NOT NULL,
    recorded_at          INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
INSERT INTO applications_v2 (id, number, service_id, terms_version, term_variant, term_amount,
    term_unit, acceptance_day_counted, paper, channel, applicant_kind, applicant_id, last_name,
    first_name, middle_name, accept_org_id, accept_path, exec_org_id, exec_path, executor_person,
    working_hours, external_id, accepted_at, effective_acceptance, planned_date, deadline,
    original_planned_date, stage, stage_no, outcome, actual_completion, closed_at, suspended, overdue, overdue_seconds, nearing, nearing_at, pending, event_count,
    deadline_change_count, head_hash, recorded_at, updated_at)
SELECT ROW_NUMBER() OVER (ORDER BY recorded_at, accepted_at, number), number, service_id,
    terms_version, term_variant, term_amount, term_unit, acceptance_day_counted, paper, channel,
    applicant_kind, applicant_id, last_name, first_name, middle_name, accept_org_id, accept_path,
    exec_org_id, exec_path, executor_person, working_hours, external_id, accepted_at,
    effective_acceptance, planned_date, deadline, original_planned_date, stage, stage_no, outcome, actual_completion, closed_at, suspended, overdue, overdue_seconds,
    nearing, nearing_at, pending, event_count, deadline_change_count, head_hash, recorded_at,
    updated_at
FROM applications;

-- How each planned date was derived (rule 10): long, read only with one application, and
-- rewritten only when a suspension or a calendar edit changes it; kept apart so that the
-- application row, rewritten by every event, stays short.
CREATE TABLE application_derivations (
    app_id      INTEGER PRIMARY KEY REFERENCES applications_v2(id),
    derivation  TEXT NOT NULL              -- JSON
);
INSERT INTO application_derivations (app_id, derivation)
SELECT a.id, o.derivation FROM applications o JOIN applications_v2 a ON a.number = o.number;

CREATE TABLE events_v2 (
    app_id          INTEGER NOT NULL REFERENCES applications_v2(id),
    seq             INTEGER NOT NULL,          -- position in the application's chain
    id              TEXT NOT NULL UNIQUE,      -- client-chosen UUID
    number          INTEGER NOT NULL,          -- the application's public number
    kind            TEXT NOT NULL,
    stage           TEXT,
    outcome         TEXT,
    reason          TEXT,
    executor        TEXT,
    executor_person TEXT,
    occurred_at     INTEGER NOT NULL,
    recorded_at     INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    chain_hash      TEXT NOT NULL,
    PRIMARY KEY (app_id, seq)
) WITHOUT ROWID;
INSERT INTO events_v2 (app_id, seq, id, number, kind, stage, outcome, reason, executor,
    executor_person, occurred_at, recorded_at, actor, content_hash, chain_hash)
SELECT a.id, e.seq, e.id, e.number, e.kind, e.stage, e.outcome, e.reason, e.executor,
    e.executor_person, e.occurred_at, e.recorded_at, e.actor, e.content_hash, e.chain_hash
FROM events e JOIN applications_v2 a ON a.number = e.number;

CREATE TABLE deadline_changes_v2 (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    number            INTEGER NOT NULL REFERENCES applications_v2(number),
    old_planned_date  TEXT NOT NULL,
    new_planned_date  TEXT NOT NULL,
    old_deadline      INTEGER NOT NULL,
    new_deadline      INTEGER NOT NULL,
    reason            TEXT NOT NULL,
    changed_at        INTEGER NOT NULL
);
INSERT INTO deadline_changes_v2 (id, number, old_planned_date, new_planned_date, old_deadline,
    new_deadline, reason, changed_at)
SELECT id, number, old_planned_date, new_planned_date, old_deadline, new_deadline, reason,
    changed_at
FROM deadline_changes;

DROP TABLE deadline_changes;
DROP TABLE events;
DROP TABLE applications;
ALTER TABLE applications_v2 RENAME TO applications;
ALTER TABLE events_v2 RENAME TO events;
ALTER TABLE deadline_changes_v2 RENAME TO deadline_changes;

CREATE UNIQUE INDEX applications_external ON applications (accept_org_id, external_id);
CREATE INDEX applications_exec_path ON applications (exec_path, number);
CREATE INDEX applications_accept_path ON applications (accept_path, number);
CREATE INDEX applications_service ON applications (service_id, number);
CREATE INDEX applications_accepted_at ON applications (accepted_at, number);
-- The sweep's two questions, over the applications whose clock runs: which passed their
-- deadline, which entered the nearing window. Rows leave these indexes as they answer yes.
CREATE INDEX applications_running_deadline ON applications (deadline)
    WHERE pending = TRUE AND suspended = FALSE AND overdue = FALSE;
CREATE INDEX applications_running_nearing ON applications (nearing_at)
    WHERE pending = TRUE AND suspended = FALSE AND overdue = FALSE AND nearing = FALSE;
-- Open overdue applications (the gauge, the overdue filter).
CREATE INDEX applications_open_overdue ON applications (deadline)
    WHERE pending = TRUE AND overdue = TRUE;
-- Pending applications by planned date (a calendar edit recomputes those it can move).
CREATE INDEX applications_pending_planned ON applications (planned_date) WHERE pending = TRUE;
CREATE INDEX deadline_changes_number ON deadline_changes (number);
