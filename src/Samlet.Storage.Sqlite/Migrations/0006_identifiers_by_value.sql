-- Identifiers keyed by value before type: the key serves both the pipeline's lookups (workspace, type, value) and the
-- search by value prefix, so the separate (workspace_id, value) index goes: one random page fewer dirtied per identifier
-- the pipeline adds (a rebuild of the 1.2 M-event demo year ~4 % faster; nothing measurable at 10.3 M events).
CREATE TABLE profile_identifiers_by_value (
    workspace_id  TEXT NOT NULL,
    type          TEXT NOT NULL,
    value         TEXT NOT NULL,
    profile_id    TEXT NOT NULL,
    added_at      INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, value, type)
) WITHOUT ROWID;

INSERT INTO profile_identifiers_by_value (workspace_id, type, value, profile_id, added_at)
SELECT workspace_id, type, value, profile_id, added_at FROM profile_identifiers;

DROP TABLE profile_identifiers;
ALTER TABLE profile_identifiers_by_value RENAME TO profile_identifiers;
CREATE INDEX profile_identifiers_profile ON profile_identifiers (profile_id);
