-- Identifiers keyed by (workspace_id, value, type): the key serves both the pipeline's lookups and the search by value
-- prefix (in (value, type) order), so the separate value index goes — one index fewer to update per identifier added,
-- as in SQLite's migration 6. The search now reads the profile id from the table instead of the index.
ALTER TABLE profile_identifiers DROP CONSTRAINT profile_identifiers_pkey;
ALTER TABLE profile_identifiers ADD PRIMARY KEY (workspace_id, value, type);
DROP INDEX profile_identifiers_value;
