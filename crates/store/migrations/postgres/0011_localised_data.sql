-- Data in the system's three languages (issue 16, B.8). Kept in step with
-- ../sqlite/0011_localised_data.sql.
--
-- A calendar day's name and legal source in Kazakh and Russian beside the English ones
-- (`name`, `source`, which every reader of the API has had). Empty until the shipped
-- calendar's sync at the next start writes the translations of every day an administrator has
-- not edited; a day an administrator edited keeps its text, and readers fall back to another
-- language (requested, then Russian, Kazakh, English) while a translation is missing.
ALTER TABLE calendar_entries ADD COLUMN name_kk TEXT NOT NULL DEFAULT '';
ALTER TABLE calendar_entries ADD COLUMN name_ru TEXT NOT NULL DEFAULT '';
ALTER TABLE calendar_entries ADD COLUMN source_kk TEXT NOT NULL DEFAULT '';
ALTER TABLE calendar_entries ADD COLUMN source_ru TEXT NOT NULL DEFAULT '';

-- A term variant's name in each language ("Standard term", «Стандартный срок»), kept with the
-- version of the terms it belongs to. Empty for variants registered before: readers then
-- show the variant's code.
ALTER TABLE service_terms ADD COLUMN name_kk TEXT NOT NULL DEFAULT '';
ALTER TABLE service_terms ADD COLUMN name_ru TEXT NOT NULL DEFAULT '';
ALTER TABLE service_terms ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
