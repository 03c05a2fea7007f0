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
), quiet AS (
    -- `AppState::quiet`: no indexed column named, so the update stays a heap-only one.
    UPDATE applications SET executor_person = v.executor_person, stage = v.stage,
        stage_no = v.stage_no, outcome = v.outcome, actual_completion = v.actual_completion,
        closed_at = v.closed_at, overdue_seconds = v.overdue_seconds,
        event_count = v.event_count, head_hash = v.head_hash, updated_at = $19
    FROM UNNEST($20::int8[], $21::text[], $22::text[], $23::int8[], $24::text[], $25::int8[],
        $26::int8[], $27::int8[], $28::int8[], $29::text[])
        AS v(id, executor_person, stage, stage_no, outcome, actual_completion, closed_at,
            overdue_seconds, event_count, head_hash)
    WHERE applications.id = v.id
    RETURNING 1
), moved AS (
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
    FROM UNNEST($30::int8[], $31::int8[], $32::text[], $33::text[], $34::int8[], $35::text[],
        $36::int8[], $37::int8[], $38::text[], $39::int8[], $40::text[], $41::int8[],
        $42::int8[], $43::bool[], $44::bool[], $45::int8[], $46::bool[], $47::bool[],
        $48::int8[], $49::text[])
        AS v(id, exec_org_id, exec_path, executor_person, effective_acceptance, planned_date,
            deadline, nearing_at, stage, stage_no, outcome, actual_completion, closed_at,
            suspended, overdue, overdue_seconds, nearing, pending, event_count, head_hash)
    WHERE applications.id = v.id
    RETURNING 1
), derivations AS (
    UPDATE application_derivations SET derivation = v.derivation
    FROM UNNEST($50::int8[], $51::text[]) AS v(app_id, derivation)
    WHERE application_derivations.app_id = v.app_id
    RETURNING 1
), signatures AS (
    INSERT INTO event_signatures (app_id, seq, form, cms, report)
    SELECT * FROM UNNEST($52::int8[], $53::int8[], $54::text[], $55::bytea[], $56::text[])
    RETURNING 1
), outbox AS (
    -- A key already written (a retried change) is left as it is.
    INSERT INTO outbox (key, channel, app_id, webhook_id, recipient, subject, body, state,
        attempts, next_attempt_at, created_at, updated_at)
    SELECT v.*, 'pending', 0, $19, $19, $19
    FROM UNNEST($57::text[], $58::text[], $59::int8[], $60::int8[], $61::text[], $62::text[],
        $63::text[]) AS v
    ON CONFLICT (key) DO NOTHING
    RETURNING 1
), cases_put AS (
    INSERT INTO violation_cases (app_id, month)
    SELECT * FROM UNNEST($64::int8[], $65::text[])
    ON CONFLICT (app_id) DO UPDATE SET month = excluded.month
    RETURNING 1
), cases_dropped AS (
    DELETE FROM violation_cases WHERE app_id = ANY($66::int8[])
    RETURNING 1
), cells AS (
    -- In (month, organization, service) order, the order every writer locks them in.
    INSERT INTO violation_rollups (month, exec_org_id, service_id, due, on_time)
    SELECT * FROM UNNEST($67::text[], $68::int8[], $69::int8[], $70::int8[], $71::int8[])
    ON CONFLICT (month, exec_org_id, service_id) DO UPDATE
    SET due = violation_rollups.due + excluded.due,
        on_time = violation_rollups.on_time + excluded.on_time
    RETURNING 1
)
UPDATE ledger_head SET position = position + $72
WHERE id = 1
    AND (SELECT count(*) FROM ev) + (SELECT count(*) FROM quiet) + (SELECT count(*) FROM moved)
        + (SELECT count(*) FROM derivations) + (SELECT count(*) FROM signatures)
        + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM cases_put)
        + (SELECT count(*) FROM cases_dropped) + (SELECT count(*) FROM cells) >= 0
RETURNING position - $72 AS position, head
