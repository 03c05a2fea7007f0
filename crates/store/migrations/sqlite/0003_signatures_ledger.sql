-- Signed stage data and the tamper-evident ledger (issue 3, 000 §8, 004 §6-8). Kept in step
-- with ../postgres/0003_signatures_ledger.sql.

-- required | optional | off: whether an organization's events must, may or need not be signed.
ALTER TABLE organizations ADD COLUMN signature_policy TEXT NOT NULL DEFAULT 'optional';

-- The signature an event (seq > 0) or a registration (seq 0) arrived with, and what its
-- verification found. Written in the same transaction as the event.
CREATE TABLE event_signatures (
    app_id      INTEGER NOT NULL REFERENCES applications(id),
    seq         INTEGER NOT NULL,
    form        TEXT NOT NULL,      -- attached | detached
    cms         BLOB NOT NULL,      -- the DER CMS SignedData as received
    report      TEXT NOT NULL,      -- JSON verification report
    PRIMARY KEY (app_id, seq)
) WITHOUT ROWID;

-- The global chain over every registration (seq 0) and event, in commit order:
-- head(n) = H(head(n-1) | leaf(n)), leaf(n) binding the application's number, the seq,
-- the event id and the application's chain hash at that point.
CREATE TABLE ledger (
    position    INTEGER PRIMARY KEY,
    app_id      INTEGER NOT NULL,
    number      INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    event_id    TEXT,               -- NULL for a registration
    chain_hash  TEXT NOT NULL,
    head        TEXT NOT NULL
);
CREATE UNIQUE INDEX ledger_event ON ledger (app_id, seq);

-- The ledger's head; its row lock orders concurrent writers. `backfill` asks the first start
-- after this migration to enter the history recorded before it.
CREATE TABLE ledger_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    position    INTEGER NOT NULL,
    head        TEXT NOT NULL,
    backfill    BOOLEAN NOT NULL
);
INSERT INTO ledger_head (id, position, head, backfill)
SELECT 1, 0, '0000000000000000000000000000000000000000000000000000000000000000',
       EXISTS (SELECT 1 FROM applications);

-- Checkpoints signed with the server's own key: (position, head, time).
CREATE TABLE ledger_checkpoints (
    position    INTEGER PRIMARY KEY,
    head        TEXT NOT NULL,
    signed_at   INTEGER NOT NULL,
    key_id      TEXT NOT NULL,      -- SHA-256 of the public key (SPKI DER), hex
    signature   TEXT NOT NULL       -- base64
);
