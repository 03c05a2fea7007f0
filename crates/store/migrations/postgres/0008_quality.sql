-- Service quality indicators (003 §19–20 and annex; issue 5). Kept in step with
-- ../sqlite/0008_quality.sql.
--
-- Applicant feedback: one answer per application and question (the process, the information
-- on the procedure, the complaint procedure, the staff's courtesy), a rating out of 5 or the
-- 3-point survey answer of the 004 annex; the client's id makes a retry idempotent.
CREATE TABLE feedback (
    id           TEXT PRIMARY KEY,          -- client-chosen UUID
    app_id       BIGINT NOT NULL REFERENCES applications(id),
    service_id   BIGINT NOT NULL REFERENCES services(id),
    question     TEXT NOT NULL,             -- process | information | complaint | courtesy
    rating       BIGINT,                      -- 1..5, or
    survey       TEXT,                      -- not_satisfied | partly | satisfied
    satisfied    BOOLEAN NOT NULL,          -- rating 4-5, or "satisfied"
    given_at     BIGINT NOT NULL,
    recorded_at  BIGINT NOT NULL,
    recorded_by  TEXT NOT NULL,
    UNIQUE (app_id, question)
);
CREATE INDEX feedback_service ON feedback (service_id, given_at);

-- The normative value and the next year's target of each indicator, per service and year.
CREATE TABLE quality_targets (
    service_id   BIGINT NOT NULL REFERENCES services(id),
    year         BIGINT NOT NULL,
    indicator    TEXT NOT NULL,             -- 1.1 2.1 3.1 3.2 4.1 5.1
    normative    DOUBLE PRECISION,
    target       DOUBLE PRECISION,
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT NOT NULL,
    PRIMARY KEY (service_id, year, indicator)
);
