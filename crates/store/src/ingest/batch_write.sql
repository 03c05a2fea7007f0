-- Every write of a batch of events on PostgreSQL but the ledger's leaves, in one statement
-- (`ingest::batch`). The rows come as arrays, one per column, unnested: the text is the same
-- whatever the batch holds, so it is prepared once per connection; a part with nothing to
-- write gets empty arrays. $19 is the batch's moment (microseconds).
--
-- The order of `contention.rs` holds: the applications are locked already (by the reads);
-- the `WHERE` of the final `UPDATE` is a one-time filter that runs every part, the rollups'
-- cells last, before the ledger's head row is read and locked; its answer is the
-- reservation `ledger::RESERVE` makes (the first position, the head before it).
WITH ev AS (
    INSERT INTO events (app_id, id, number, seq, kind, stage, outcome, reason, executor,
        executor_person, occurred_at, recorded_at, actor, content_hash, chain_hash, ground,
        scan, office)
    SELECT * FROM UNNEST($1::int8[], $2::text[], $3::int8[], $4::int8[], $5::text[],
        $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int8[], $12::int8[],
        $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[])
    RETURNING 1
), projections AS (
    -- Indexed columns written with the value they had leave the update heap-only: PostgreSQL
    -- compares the values (SQLite's path writes the unchanged rows apart, `AppState::quiet`).
    UPDATE applications SET exec_org_id = v.exec_org_id,
        registered_exec_org_id = COALESCE(applications.registered_exec_org_id,
            CASE WHEN applications.exec_org_id <> v.exec_org_id
                THEN applications.exec_org_id END),
        exec_path = v.exec_path, executor_person = v.executor_person,
        effective_acceptance = v.effective_acceptance, planned_date = v.planned_date,
        deadline = v.deadline, nearing_at = v.nearing_at, stage = v.stage,
        stage_no = v.stage_no, outcome = v.outcome, actual_completion = v.actual_completion,
        closed_at = v.closed_at, suspended = v.suspended, overdue = v.overdue,
        overdue_seconds = v.overdue_seconds, nearing = v.nearing, pending = v.pending,
        event_count = v.event_count, head_hash = v.head_hash, updated_at = $19
    FROM UNNEST($20::int8[], $21::int8[], $22::text[], $23::text[], $24::int8[], $25::text[],
        $26::int8[], $27::int8[], $28::text[], $29::int8[], $30::text[], $31::int8[],
        $32::int8[], $33::bool[], $34::bool[], $35::int8[], $36::bool[], $37::bool[],
        $38::int8[], $39::text[])
        AS v(id, exec_org_id, exec_path, executor_person, effective_acceptance, planned_date,
            deadline, nearing_at, stage, stage_no, outcome, actual_completion, closed_at,
            suspended, overdue, overdue_seconds, nearing, pending, event_count, head_hash)
    WHERE applications.id = v.id
    RETURNING 1
), derivations AS (
    UPDATE application_derivations SET derivation = v.derivation
    FROM UNNEST($40::int8[], $41::text[]) AS v(app_id, derivation)
    WHERE application_derivations.app_id = v.app_id
    RETURNING 1
), signatures AS (
    INSERT INTO event_signatures (app_id, seq, form, cms, report)
    SELECT * FROM UNNEST($42::int8[], $43::int8[], $44::text[], $45::bytea[], $46::text[])
    RETURNING 1
), outbox AS (
    -- A key already written (a retried change) is left as it is.
    INSERT INTO outbox (key, channel, app_id, webhook_id, recipient, subject, body, state,
        attempts, next_attempt_at, created_at, updated_at)
    SELECT v.*, 'pending', 0, $19, $19, $19
    FROM UNNEST($47::text[], $48::text[], $49::int8[], $50::int8[], $51::text[], $52::text[],
        $53::text[]) AS v
    ON CONFLICT (key) DO NOTHING
    RETURNING 1
), cases_put AS (
    INSERT INTO violation_cases (app_id, month)
    SELECT * FROM UNNEST($54::int8[], $55::text[])
    ON CONFLICT (app_id) DO UPDATE SET month = excluded.month
    RETURNING 1
), cases_dropped AS (
    DELETE FROM violation_cases WHERE app_id = ANY($56::int8[])
    RETURNING 1
), cells AS (
    -- In (month, organization, service) order, the order every writer locks them in.
    INSERT INTO violation_rollups (month, exec_org_id, service_id, due, on_time)
    SELECT * FROM UNNEST($57::text[], $58::int8[], $59::int8[], $60::int8[], $61::int8[])
    ON CONFLICT (month, exec_org_id, service_id) DO UPDATE
    SET due = violation_rollups.due + excluded.due,
        on_time = violation_rollups.on_time + excluded.on_time
    RETURNING 1
)
UPDATE ledger_head SET position = position + $62
WHERE id = 1
    AND (SELECT count(*) FROM ev) + (SELECT count(*) FROM projections)
        + (SELECT count(*) FROM derivations) + (SELECT count(*) FROM signatures)
        + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM cases_put)
        + (SELECT count(*) FROM cases_dropped) + (SELECT count(*) FROM cells) >= 0
RETURNING position - $62 AS position, head
