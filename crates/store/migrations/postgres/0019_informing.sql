-- Informing applicants and provider systems (issue 17; 000 §2). Kept in step with
-- ../sqlite/0019_informing.sql.
--
-- An application's contact details, given at registration: personal data, read only to send
-- and (masked, audited) to show. At least one of e-mail and phone.
CREATE TABLE applicant_contacts (
    app_id    BIGINT PRIMARY KEY REFERENCES applications(id),
    email     TEXT,
    phone     TEXT,
    language  TEXT NOT NULL CHECK (language IN ('kk', 'ru')),
    CHECK (email IS NOT NULL OR phone IS NOT NULL)
);

-- Where an organization's system wants the events of its applications posted, signed with
-- its secret (HMAC-SHA256). The secret signs, so it is kept as given and never shown again.
CREATE TABLE webhooks (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id  BIGINT NOT NULL REFERENCES organizations(id),
    url              TEXT NOT NULL,
    secret           TEXT NOT NULL,
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    created_by       TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    UNIQUE (organization_id, url)
);

-- Everything that leaves the system, written in the transaction of the change it tells of
-- and delivered by one node's job. `key` is the message's idempotency key (the receiver's
-- dedup key: e-mail Message-ID, the webhook's Idempotency-Key): one row per event and channel.
-- pending: never tried; failed: tried, tried again at next_attempt_at; sent: accepted by the
-- server or gateway; delivered: the channel reported delivery; dead: given up after the
-- configured number of tries (an administrator may retry it).
CREATE TABLE outbox (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE,
    channel          TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'webhook')),
    app_id           BIGINT REFERENCES applications(id),
    webhook_id       BIGINT REFERENCES webhooks(id),
    recipient        TEXT NOT NULL,
    subject          TEXT NOT NULL DEFAULT '',
    body             TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'delivered', 'failed', 'dead')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    last_error       TEXT,
    provider_id      TEXT,
    created_at       BIGINT NOT NULL,
    sent_at          BIGINT,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state IN ('pending', 'failed');
CREATE INDEX outbox_by_state ON outbox (state, id);
CREATE INDEX outbox_by_app ON outbox (app_id);
