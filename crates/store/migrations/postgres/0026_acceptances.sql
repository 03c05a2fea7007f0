-- Acceptance at the counter and its receipts (issue 19; 001 §7–8, §14–17, §22; ADR 0021).
-- Kept in step with ../sqlite/0026_acceptances.sql.
--
-- An acceptance: the office, the counter and the ticket it was made at, the employee, the
-- service and the passport version its checklist came from, how the applicant or the
-- representative was identified (001 §14; JSON, personal data: shown masked, every read
-- audited), the documents received and the checklist's verdict (JSON), and the outcome:
-- `accepted` with the application it registered, or `refused` with what was missing.
-- `request_key` makes a retried acceptance return the first one.
CREATE TABLE acceptances (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id         TEXT NOT NULL UNIQUE,
    request_key       TEXT NOT NULL,
    office_id         BIGINT NOT NULL REFERENCES offices(id),
    counter_id        BIGINT REFERENCES counters(id),
    ticket_id         BIGINT REFERENCES tickets(id),
    employee_id       BIGINT REFERENCES users(id),
    actor             TEXT NOT NULL,
    service_id        BIGINT NOT NULL REFERENCES services(id),
    passport_version  BIGINT NOT NULL,
    app_id            BIGINT REFERENCES applications(id),
    outcome           TEXT NOT NULL CHECK (outcome IN ('accepted', 'refused')),
    identification    TEXT NOT NULL,
    documents         TEXT NOT NULL,
    at                BIGINT NOT NULL,
    UNIQUE (office_id, request_key)
);
CREATE INDEX acceptances_by_application ON acceptances (app_id) WHERE app_id IS NOT NULL;

-- The consents of an application (001 §7 protected data, §8 personal data): each with where it
-- was given (`source`: paper, egov_sms, digital_signature, …), its id there, and when. Without
-- both, an application accepted at the counter is not sent to the provider.
CREATE TABLE application_consents (
    app_id       BIGINT NOT NULL REFERENCES applications(id),
    kind         TEXT NOT NULL CHECK (kind IN ('personal_data', 'protected_data')),
    source       TEXT NOT NULL,
    source_id    TEXT NOT NULL,
    given_at     BIGINT NOT NULL,
    recorded_at  BIGINT NOT NULL,
    actor        TEXT NOT NULL,
    PRIMARY KEY (app_id, kind)
);

-- A receipt (001 §15.5–6): acceptance or refusal, in the applicant's language, with what its
-- seal covers (the application, when it was applied for, the issue date, the office, the
-- documents accepted and missing); the body (JSON) holds the rest as it was printed (the
-- employee's name, the documents' forms and counts). The seal is the server's Ed25519
-- signature of the sealed line, made when the receipt is rendered (deterministic: the same
-- line, the same seal).
CREATE TABLE receipts (
    id             TEXT PRIMARY KEY,
    acceptance_id  BIGINT NOT NULL UNIQUE REFERENCES acceptances(id),
    kind           TEXT NOT NULL CHECK (kind IN ('acceptance', 'refusal')),
    app_id         BIGINT REFERENCES applications(id),
    number         BIGINT,
    office_code    TEXT NOT NULL,
    language       TEXT NOT NULL CHECK (language IN ('kk', 'ru')),
    applied_at     BIGINT NOT NULL,
    issue_date     TEXT,
    accepted       TEXT NOT NULL,
    missing        TEXT NOT NULL,
    body           TEXT NOT NULL,
    issued_at      BIGINT NOT NULL
);
CREATE INDEX receipts_by_application ON receipts (app_id) WHERE app_id IS NOT NULL;
