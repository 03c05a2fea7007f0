-- The public catalogue's generation (issue 17). Kept in step with
-- ../postgres/0018_catalogue_generation.sql.
--
-- Every node keeps the catalogue in memory and must learn at once when it may have changed: a
-- service, an organization or a passport written. A count bumped by triggers in the writing
-- transaction itself is one row to read per search; aggregates over the tables cost a scan of
-- every passport's body (8 ms on SQLite at 5,000 passports, more than the search).
CREATE TABLE catalogue_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO catalogue_generation (id, n) VALUES (1, 0);
CREATE TRIGGER catalogue_services_insert AFTER INSERT ON services BEGIN UPDATE catalogue_generation SET n = n + 1; END;
CREATE TRIGGER catalogue_services_update AFTER UPDATE ON services BEGIN UPDATE catalogue_generation SET n = n + 1; END;
CREATE TRIGGER catalogue_services_delete AFTER DELETE ON services BEGIN UPDATE catalogue_generation SET n = n + 1; END;
CREATE TRIGGER catalogue_organizations_insert AFTER INSERT ON organizations BEGIN UPDATE catalogue_generation SET n = n + 1; END;
CREATE TRIGGER catalogue_organizations_update AFTER UPDATE ON organizations BEGIN UPDATE catalogue_generation SET n = n + 1; END;
CREATE TRIGGER catalogue_organizations_delete AFTER DELETE ON organizations BEGIN UPDATE catalogue_generation SET n = n + 1; END;
CREATE TRIGGER catalogue_service_passports_insert AFTER INSERT ON service_passports BEGIN UPDATE catalogue_generation SET n = n + 1; END;
CREATE TRIGGER catalogue_service_passports_update AFTER UPDATE ON service_passports BEGIN UPDATE catalogue_generation SET n = n + 1; END;
CREATE TRIGGER catalogue_service_passports_delete AFTER DELETE ON service_passports BEGIN UPDATE catalogue_generation SET n = n + 1; END;
