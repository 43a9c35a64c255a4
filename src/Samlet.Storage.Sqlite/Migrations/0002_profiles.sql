-- Derived state of the identity and profile stages (rebuildable from the event log), plus the rules and unmerge cuts
-- that shape it (not derived: kept by a rebuild). Times are Unix milliseconds (UTC), event times unless named otherwise.

-- How far each consumer of the log has applied events; moved in the same transaction as the batch's outcome.
CREATE TABLE checkpoints (
    consumer  TEXT PRIMARY KEY,
    position  INTEGER NOT NULL
);

-- Live profiles. traits and counts are JSON documents (see ProfileJson); updated_at is processing time.
CREATE TABLE profiles (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    first_seen       INTEGER,
    last_seen        INTEGER,
    last_source_id   TEXT,
    last_message_id  TEXT,
    updated_at       INTEGER,
    traits           TEXT NOT NULL,
    counts           TEXT NOT NULL
);
CREATE INDEX profiles_workspace ON profiles (workspace_id);

-- Merged-away profile ids and the live profile they lead to (always the final survivor, never a chain).
CREATE TABLE profile_redirects (
    from_id       TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL,
    to_id         TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX profile_redirects_to ON profile_redirects (to_id);

-- Every identifier belongs to exactly one live profile of its workspace.
CREATE TABLE profile_identifiers (
    workspace_id  TEXT NOT NULL,
    type          TEXT NOT NULL,
    value         TEXT NOT NULL,
    profile_id    TEXT NOT NULL,
    added_at      INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, type, value)
) WITHOUT ROWID;
CREATE INDEX profile_identifiers_profile ON profile_identifiers (profile_id);
CREATE INDEX profile_identifiers_value ON profile_identifiers (workspace_id, value);

-- The timeline: which profile each event belongs to.
CREATE TABLE profile_events (
    profile_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    PRIMARY KEY (profile_id, seq)
) WITHOUT ROWID;

-- Identity history (creates, attaches, merges, refusals, unmerges) in plain words; merged is a JSON array of profile ids.
CREATE TABLE identity_history (
    id           INTEGER PRIMARY KEY,
    profile_id   TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    message_id   TEXT NOT NULL,
    at           INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    merged       TEXT NOT NULL,
    explanation  TEXT NOT NULL
);
CREATE INDEX identity_history_profile ON identity_history (profile_id, id);

CREATE TABLE accounts (
    workspace_id  TEXT NOT NULL,
    group_id      TEXT NOT NULL,
    traits        TEXT NOT NULL,
    first_seen    INTEGER,
    last_seen     INTEGER,
    PRIMARY KEY (workspace_id, group_id)
) WITHOUT ROWID;

CREATE TABLE account_members (
    workspace_id  TEXT NOT NULL,
    group_id      TEXT NOT NULL,
    profile_id    TEXT NOT NULL,
    linked_at     INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, group_id, profile_id)
) WITHOUT ROWID;
CREATE INDEX account_members_profile ON account_members (profile_id);

-- Not derived: identifiers cut by unmerges, and each workspace's identity rules (JSON as the admin API takes them).
CREATE TABLE identity_cuts (
    workspace_id  TEXT NOT NULL,
    type          TEXT NOT NULL,
    value         TEXT NOT NULL,
    profile_id    TEXT NOT NULL,
    cut_at        INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, type, value)
) WITHOUT ROWID;

CREATE TABLE identity_rules (
    workspace_id  TEXT PRIMARY KEY,
    rules         TEXT NOT NULL
);
