-- The live-queue fallback (issue 18, point 5; 001 §6): what kiosks and counters recorded in
-- their journals while the server could not be reached, as they sent it back. Kept in step
-- with ../postgres/0024_live_queue.sql.
--
-- An entry is `taken` (a kiosk issued number n of its range) or `served` (a counter called,
-- served or missed the visitor of a number). Entries are kept as sent (`body`, JSON) and
-- applied to the tickets once what they refer to exists: a `served` entry that arrives before
-- the `taken` entry of its number waits (pending) and is applied when that arrives. The
-- client's id makes a resent journal harmless.
CREATE TABLE live_entries (
    id           INTEGER PRIMARY KEY,
    office_id    INTEGER NOT NULL REFERENCES offices(id),
    day          TEXT NOT NULL,
    client_id    TEXT NOT NULL,
    device       TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('taken', 'served')),
    purpose      TEXT NOT NULL,
    n            INTEGER NOT NULL,
    body         TEXT NOT NULL,
    ticket_id    INTEGER REFERENCES tickets(id),
    refused      TEXT,
    received_at  INTEGER NOT NULL,
    applied_at   INTEGER,
    UNIQUE (office_id, client_id)
);
CREATE INDEX live_entries_pending ON live_entries (office_id, day) WHERE applied_at IS NULL AND refused IS NULL;
