-- Storage of results not collected (issue 19; 001 §20, decision Q2; ADR 0021). Kept in step
-- with ../postgres/0027_storage.sql.
--
-- A service's storage term as data, with the act it rests on: `return_after_month` (the rule,
-- and the term of a service with no row here), `keep_year` (passports and identity cards), or
-- `no_return` (documents for assigning payments: never returned, reviewed after a year).
CREATE TABLE service_storage (
    service_id  BIGINT PRIMARY KEY REFERENCES services(id),
    class       TEXT NOT NULL CHECK (class IN ('return_after_month', 'keep_year', 'no_return')),
    source      TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
