-- The front office, part 1 continued (issue 18): retried tickets, bookings with their check-in
-- code, and the journal of a booking.
-- Kept in step with ../sqlite/0023_front_office_bookings.sql.

-- A ticket taken with a client's key (`Idempotency-Key`, or a live-queue journal entry's id):
-- a retry finds the ticket the first attempt took, never a second one.
ALTER TABLE tickets ADD COLUMN client_key TEXT;
CREATE UNIQUE INDEX tickets_client_key ON tickets (office_id, client_key) WHERE client_key IS NOT NULL;

-- What a booked visit is for, the code the visitor types at the kiosk to check in (unique
-- among the office's standing bookings) and who booked it (`public` on the way, or a
-- consultant's account).
ALTER TABLE bookings ADD COLUMN purpose TEXT NOT NULL DEFAULT 'acceptance'
    CHECK (purpose IN ('acceptance', 'issue', 'consultation'));
ALTER TABLE bookings ADD COLUMN code TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX bookings_code ON bookings (office_id, code) WHERE state = 'booked';

-- The journal (001 §21) names the booking an action concerns.
ALTER TABLE queue_actions ADD COLUMN booking_id BIGINT REFERENCES bookings(id);
CREATE INDEX queue_actions_by_booking ON queue_actions (booking_id) WHERE booking_id IS NOT NULL;
