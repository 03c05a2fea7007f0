-- The return of unclaimed results to their providers (issue 19; 001 §20, decision Q2). Kept in
-- step with ../sqlite/0030_return_registers.sql.
--
-- A register: the office that returns, the day its shelf was judged on, who made it and when;
-- `request_key` makes a retry return the first register. Its items are the results due for
-- return that day, planned first and then each `returned` scan made (`event_id`, derived from
-- the key and the application): `returned`, or `skipped` when the package left the shelf
-- meanwhile (issued at the last minute). The register is printed sealed with the server's key.
CREATE TABLE return_registers (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id    TEXT NOT NULL UNIQUE,
    request_key  TEXT NOT NULL,
    office_id    BIGINT NOT NULL REFERENCES offices(id),
    on_date      TEXT NOT NULL,
    employee_id  BIGINT REFERENCES users(id),
    actor        TEXT NOT NULL,
    at           BIGINT NOT NULL,
    UNIQUE (office_id, request_key)
);

CREATE TABLE return_register_items (
    register_id  BIGINT NOT NULL REFERENCES return_registers(id),
    app_id       BIGINT NOT NULL REFERENCES applications(id),
    executor     TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('planned', 'returned', 'skipped')),
    event_id     TEXT,
    PRIMARY KEY (register_id, app_id)
);
CREATE INDEX return_register_items_by_application ON return_register_items (app_id);
