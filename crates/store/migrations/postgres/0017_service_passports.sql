-- Service passports (issue 17; the model standard of 003). Kept in step with
-- ../sqlite/0017_service_passports.sql.
--
-- A passport is written as a draft and published as a version. A service has at most one
-- draft, numbered after its latest version; publishing fixes it: its day of entry into force
-- (Asia/Almaty, not before the day of publication, after the previous version's), the act
-- that approved it, who published it and when. A published version is never changed again;
-- the version in force on a day is the highest published one whose valid_from is not after
-- it, and it is valid until the day before the next one's. The body is the passport as JSON
-- (qyzmet_domain::passport::Passport); revision guards a draft against lost updates.
CREATE TABLE service_passports (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id     BIGINT NOT NULL REFERENCES services(id),
    version        BIGINT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('draft', 'published')),
    valid_from     TEXT COLLATE "C",
    approving_act  TEXT NOT NULL DEFAULT '',
    body           TEXT NOT NULL,
    revision       BIGINT NOT NULL DEFAULT 1,
    created_by     TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_by     TEXT NOT NULL,
    updated_at     BIGINT NOT NULL,
    published_by   TEXT,
    published_at   BIGINT,
    UNIQUE (service_id, version),
    CHECK ((state = 'draft') = (valid_from IS NULL))
);
CREATE UNIQUE INDEX service_passports_one_draft ON service_passports (service_id)
    WHERE state = 'draft';
CREATE INDEX service_passports_in_force ON service_passports (service_id, valid_from)
    WHERE state = 'published';

-- The passport version an application was registered under (none before its service had
-- one published): the documents, grounds and notices it is held to.
ALTER TABLE applications ADD COLUMN passport_version BIGINT;
