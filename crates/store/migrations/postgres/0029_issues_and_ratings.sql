-- Issue of results at the issue desk and applicants' ratings of a visit (issue 19; 001 §18,
-- §19, decision Q9). Kept in step with ../sqlite/0029_issues_and_ratings.sql.
--
-- An issue: the application whose result was handed over, where (office, counter, ticket),
-- by whom, to whom (`recipient`: the applicant, or a representative with their authority), how
-- the person was identified (JSON, personal data: shown masked, every read audited) and the
-- `issued` scan it was recorded with (`event_id`, derived from the client's `request_key`: a
-- retry writes nothing twice and finishes what an interrupted first attempt left).
CREATE TABLE issuances (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id       TEXT NOT NULL UNIQUE,
    request_key     TEXT NOT NULL,
    app_id          BIGINT NOT NULL UNIQUE REFERENCES applications(id),
    office_id       BIGINT NOT NULL REFERENCES offices(id),
    counter_id      BIGINT REFERENCES counters(id),
    ticket_id       BIGINT REFERENCES tickets(id),
    employee_id     BIGINT REFERENCES users(id),
    actor           TEXT NOT NULL,
    recipient       TEXT NOT NULL CHECK (recipient IN ('applicant', 'representative')),
    identification  TEXT NOT NULL,
    event_id        TEXT NOT NULL UNIQUE,
    at              BIGINT NOT NULL,
    UNIQUE (office_id, request_key)
);

-- A rating of a visit (001 §18): the visit (an acceptance or an issue) and what it links to
-- (the application, the service, the office, the employee, the counter, the ticket), the
-- score of the service 1–5 (indicator 2.1) and the survey answers on the information about
-- the procedure (3.1), the complaint procedure (4.1) and the staff's courtesy (5.1); one
-- rating per visit. `source`: the counter's tablet or the link on the receipt.
CREATE TABLE ratings (
    id           TEXT PRIMARY KEY,
    visit_kind   TEXT NOT NULL CHECK (visit_kind IN ('acceptance', 'issue')),
    visit_id     TEXT NOT NULL,
    app_id       BIGINT REFERENCES applications(id),
    service_id   BIGINT NOT NULL REFERENCES services(id),
    office_id    BIGINT NOT NULL REFERENCES offices(id),
    employee_id  BIGINT REFERENCES users(id),
    counter_id   BIGINT REFERENCES counters(id),
    ticket_id    BIGINT REFERENCES tickets(id),
    score        BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    information  TEXT CHECK (information IN ('not_satisfied', 'partly', 'satisfied')),
    complaint    TEXT CHECK (complaint IN ('not_satisfied', 'partly', 'satisfied')),
    courtesy     TEXT CHECK (courtesy IN ('not_satisfied', 'partly', 'satisfied')),
    comment      TEXT,
    source       TEXT NOT NULL CHECK (source IN ('tablet', 'link')),
    rated_at     BIGINT NOT NULL,
    UNIQUE (visit_kind, visit_id)
);
CREATE INDEX ratings_by_service ON ratings (service_id, rated_at);
CREATE INDEX ratings_by_office ON ratings (office_id, rated_at);
