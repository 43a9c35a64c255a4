-- Identifiers keyed by (workspace_id, value, type): the key serves both the pipeline's lookups and the search by value
-- prefix (in (value, type) order), so the separate value index goes — one index fewer to update per identifier added,
-- as in SQLite's migration 6. The key INCLUDEs the profile id, as the value index did, so the search and the lookups
-- both read it from the index alone.
ALTER TABLE profile_identifiers DROP CONSTRAINT profile_identifiers_pkey;
ALTER TABLE profile_identifiers ADD PRIMARY KEY (workspace_id, value, type) INCLUDE (profile_id);
DROP INDEX profile_identifiers_value;
