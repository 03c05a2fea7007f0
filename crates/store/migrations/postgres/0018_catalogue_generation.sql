-- The public catalogue's generation (issue 17). Kept in step with
-- ../sqlite/0018_catalogue_generation.sql.
--
-- Every node keeps the catalogue in memory and must learn at once when it may have changed: a
-- service, an organization or a passport written. A count bumped by triggers in the writing
-- transaction itself is one row to read per search; aggregates over the tables cost a scan of
-- every passport (8 ms on SQLite at 5,000 passports, more than the search). Once per
-- statement here: a statement that writes many rows bumps it once.
CREATE TABLE catalogue_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO catalogue_generation (id, n) VALUES (1, 0);
CREATE FUNCTION catalogue_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalogue_generation SET n = n + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER catalogue_services AFTER INSERT OR UPDATE OR DELETE ON services
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump();
CREATE TRIGGER catalogue_organizations AFTER INSERT OR UPDATE OR DELETE ON organizations
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump();
CREATE TRIGGER catalogue_service_passports AFTER INSERT OR UPDATE OR DELETE ON service_passports
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump();
