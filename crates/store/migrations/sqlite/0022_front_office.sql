-- The front office, part 1: offices, counters and the electronic queue (issue 18; 001 §3,
-- §6, §11–12; 003 §7(2)(3)). Kept in step with ../postgres/0022_front_office.sql.
--
-- An office of a State Corporation branch (an organization): its kind and week as data with
-- the legal source they follow (001 §3), its address, its queue policy (the priority groups'
-- head starts, the near-deadline raise, how many calls before a no-show, the service time the
-- wait estimate starts from) and its queue mode: electronic, or live during a failure (001 §6).
CREATE TABLE offices (
    id                     INTEGER PRIMARY KEY,
    code                   TEXT NOT NULL UNIQUE,
    organization_id        INTEGER NOT NULL REFERENCES organizations(id),
    kind                   TEXT NOT NULL CHECK (kind IN ('regular', 'duty')),
    name_kk                TEXT NOT NULL,
    name_ru                TEXT NOT NULL,
    name_en                TEXT NOT NULL,
    address_kk             TEXT NOT NULL,
    address_ru             TEXT NOT NULL,
    address_en             TEXT NOT NULL DEFAULT '',
    schedule               TEXT NOT NULL,            -- JSON: front_office::OfficeSchedule
    schedule_source_kk     TEXT NOT NULL,
    schedule_source_ru     TEXT NOT NULL,
    schedule_source_en     TEXT NOT NULL DEFAULT '',
    weights                TEXT NOT NULL,            -- JSON: front_office::Weights
    raise_near_deadline    BOOLEAN NOT NULL DEFAULT FALSE,
    deadline_window_hours  INTEGER NOT NULL DEFAULT 24,
    calls_before_no_show   INTEGER NOT NULL DEFAULT 3,
    average_service_secs   INTEGER NOT NULL DEFAULT 900,
    mode                   TEXT NOT NULL DEFAULT 'electronic' CHECK (mode IN ('electronic', 'live')),
    created_by             TEXT NOT NULL,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
);
CREATE INDEX offices_by_organization ON offices (organization_id);

-- A counter (window) of an office: its number in the hall, what it serves (purposes; service
-- codes, none = all), whether it takes booked visitors, the employee working at it (001 §6:
-- full name and position on its screen) and whether it is open.
CREATE TABLE counters (
    id              INTEGER PRIMARY KEY,
    office_id       INTEGER NOT NULL REFERENCES offices(id),
    number          INTEGER NOT NULL,
    purposes        TEXT NOT NULL,                   -- comma-separated front_office::Purpose
    services        TEXT NOT NULL DEFAULT '',        -- comma-separated service codes
    takes_bookings  BOOLEAN NOT NULL DEFAULT TRUE,
    user_id         INTEGER REFERENCES users(id),
    state           TEXT NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open', 'paused')),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (office_id, number)
);
CREATE UNIQUE INDEX counters_one_per_user ON counters (user_id) WHERE user_id IS NOT NULL;

-- One sequence of ticket numbers per office and local day: a ticket takes the next number, the
-- live-queue fallback takes a range of them, so no number is issued twice either way.
CREATE TABLE ticket_sequences (
    office_id  INTEGER NOT NULL REFERENCES offices(id),
    day        TEXT NOT NULL,                        -- local date, YYYY-MM-DD
    last_n     INTEGER NOT NULL,
    PRIMARY KEY (office_id, day)
);

-- A range of numbers handed to a kiosk or a counter for the live queue (001 §6), and when its
-- journal came back.
CREATE TABLE ticket_ranges (
    id             INTEGER PRIMARY KEY,
    office_id      INTEGER NOT NULL REFERENCES offices(id),
    day            TEXT NOT NULL,
    device         TEXT NOT NULL,
    first_n        INTEGER NOT NULL,
    last_n         INTEGER NOT NULL,
    issued_by      TEXT NOT NULL,
    issued_at      INTEGER NOT NULL,
    reconciled_at  INTEGER
);
CREATE INDEX ticket_ranges_by_day ON ticket_ranges (office_id, day);

-- A booked visit (001 §12): a place in a slot of an office for a service. Places run from 1 to
-- the slot's capacity and a place is held once while the booking stands: two clients cannot
-- take the same place, whatever their timing. The public id is the booking link's secret.
CREATE TABLE bookings (
    id           INTEGER PRIMARY KEY,
    public_id    TEXT NOT NULL UNIQUE,
    office_id    INTEGER NOT NULL REFERENCES offices(id),
    service_id   INTEGER NOT NULL REFERENCES services(id),
    slot_start   INTEGER NOT NULL,
    slot_end     INTEGER NOT NULL,
    place        INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('booked', 'cancelled', 'checked_in', 'missed')),
    email        TEXT,
    phone        TEXT,
    language     TEXT NOT NULL CHECK (language IN ('kk', 'ru')),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX bookings_place ON bookings (office_id, service_id, slot_start, place)
    WHERE state <> 'cancelled';
CREATE INDEX bookings_by_day ON bookings (office_id, slot_start);

-- A queue ticket: its number of the day, purpose, service and priority group, where it came
-- from, the booking and the application behind it, and its way through the counter — taken,
-- called (how often), served, finished or not shown. The public id is the digital ticket's link.
CREATE TABLE tickets (
    id               INTEGER PRIMARY KEY,
    public_id        TEXT NOT NULL UNIQUE,
    office_id        INTEGER NOT NULL REFERENCES offices(id),
    day              TEXT NOT NULL,
    n                INTEGER NOT NULL,
    purpose          TEXT NOT NULL CHECK (purpose IN ('acceptance', 'issue', 'consultation', 'self_service')),
    service_id       INTEGER REFERENCES services(id),
    priority         TEXT,
    source           TEXT NOT NULL CHECK (source IN ('kiosk', 'booking', 'digital', 'counter', 'live')),
    booking_id       INTEGER REFERENCES bookings(id),
    slot_start       INTEGER,
    slot_end         INTEGER,
    app_id           INTEGER REFERENCES applications(id),
    state            TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'serving', 'done', 'no_show', 'cancelled')),
    arrived_at       INTEGER NOT NULL,
    called_at        INTEGER,
    call_count       INTEGER NOT NULL DEFAULT 0,
    counter_id       INTEGER REFERENCES counters(id),
    only_counter_id  INTEGER REFERENCES counters(id),
    served_by        INTEGER REFERENCES users(id),
    started_at       INTEGER,
    finished_at      INTEGER,
    outcome          TEXT,
    UNIQUE (office_id, day, n)
);
CREATE INDEX tickets_open ON tickets (office_id, state) WHERE state IN ('waiting', 'called', 'serving');
CREATE INDEX tickets_by_counter ON tickets (counter_id) WHERE state IN ('called', 'serving');

-- Every action at the front office (001 §21): who, when, where, on which ticket or counter.
-- Append-only.
CREATE TABLE queue_actions (
    id          INTEGER PRIMARY KEY,
    office_id   INTEGER NOT NULL REFERENCES offices(id),
    ticket_id   INTEGER REFERENCES tickets(id),
    counter_id  INTEGER REFERENCES counters(id),
    action      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          INTEGER NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX queue_actions_by_ticket ON queue_actions (ticket_id);
CREATE INDEX queue_actions_by_office ON queue_actions (office_id, at);
