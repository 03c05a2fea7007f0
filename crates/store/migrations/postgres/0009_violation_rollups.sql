-- The violations report's rollups (000 §12; issue 5; docs/reports.md "Rollups"). Kept in step
-- with ../sqlite/0009_violation_rollups.sql. Maintained in the transaction of every write that
-- changes what the report reads of an application (registration, import, events, deadline
-- recomputation), so a month's report reads its cells instead of every application.
--
-- Per month of the deadline (local date, Asia/Almaty), executing organization and service:
-- the applications due and those completed on time. An application completed on time is
-- settled for every report computed after its month.
CREATE TABLE violation_rollups (
    month        TEXT NOT NULL,             -- YYYY-MM of the deadline's local date
    exec_org_id  BIGINT NOT NULL,
    service_id   BIGINT NOT NULL,
    due          BIGINT NOT NULL,
    on_time      BIGINT NOT NULL,
    PRIMARY KEY (month, exec_org_id, service_id)
);

-- The applications of a month not completed on time (open, or completed late): the report
-- judges each of them as of its moment (open or overdue, suspended, technical cause, overdue
-- days).
CREATE TABLE violation_cases (
    app_id       BIGINT PRIMARY KEY REFERENCES applications(id),
    month        TEXT NOT NULL
);
CREATE INDEX violation_cases_month ON violation_cases (month, app_id);

-- Whether the rollups are still to be built from the applications already stored (once,
-- when this migration is applied to a database that has some; Store::migrate does it).
CREATE TABLE violation_rollup_state (
    id           BIGINT PRIMARY KEY CHECK (id = 1),
    backfill     BOOLEAN NOT NULL
);
INSERT INTO violation_rollup_state (id, backfill) VALUES (1, TRUE);
