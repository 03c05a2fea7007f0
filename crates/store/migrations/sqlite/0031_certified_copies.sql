-- Certified electronic copies of originals (issue 19; 001 §17). Kept in step with
-- ../postgres/0031_certified_copies.sql.
--
-- A scan of an original the applicant presented, made and certified by the State Corporation's
-- employee as "a copy made from the original": the application and the passport's document it
-- stands for, the file (PDF, PNG or JPEG) and its SHA-256, who made it and when. The seal (the
-- server's signature of the copy's id, the application, the document, the hash and the time)
-- is computed when it is read: Ed25519 is deterministic. One copy per application and content.
CREATE TABLE certified_copies (
    id             TEXT PRIMARY KEY,
    app_id         BIGINT NOT NULL REFERENCES applications(id),
    document_code  TEXT NOT NULL,
    media_type     TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    content        BLOB NOT NULL,
    sha256         TEXT NOT NULL,
    size           BIGINT NOT NULL,
    employee_id    BIGINT REFERENCES users(id),
    actor          TEXT NOT NULL,
    made_at        BIGINT NOT NULL,
    UNIQUE (app_id, sha256)
);
CREATE INDEX certified_copies_by_application ON certified_copies (app_id, made_at);
