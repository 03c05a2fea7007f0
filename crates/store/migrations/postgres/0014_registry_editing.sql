-- Organizations and services editable (issue 16, B.7). Kept in step with
-- ../sqlite/0014_registry_editing.sql.
--
-- A revision per organization and per service, bumped by every edit of its names, BIN,
-- working hours (organizations) or names, provider, channels and systems (services): a form
-- or a request carries the revision it was made from, and one made from an older revision is
-- refused instead of overwriting the newer edit (optimistic concurrency).
ALTER TABLE organizations ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;
ALTER TABLE services ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;

-- One row per version of a service's terms: the local date (Asia/Almaty) from which new
-- registrations use it, the legal act that changed the terms, and who recorded it. The
-- version in force on a day is the highest whose effective_from is not after it; an
-- application keeps the version it was registered under. Versions recorded before this
-- migration take effect from the day they were recorded and have no legal basis ('').
CREATE TABLE service_term_versions (
    service_id      BIGINT NOT NULL REFERENCES services(id),
    version         BIGINT NOT NULL,
    effective_from  TEXT COLLATE "C" NOT NULL,
    legal_basis     TEXT NOT NULL,
    actor           TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (service_id, version)
);

INSERT INTO service_term_versions (service_id, version, effective_from, legal_basis, actor, created_at)
SELECT service_id, version,
       to_char(to_timestamp(MIN(created_at) / 1000000.0) AT TIME ZONE 'Asia/Almaty', 'YYYY-MM-DD'),
       '', '', MIN(created_at)
FROM service_terms GROUP BY service_id, version;
