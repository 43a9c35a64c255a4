-- Computed traits and audiences (issue 4). Definitions, their versions and backfills are configuration and its
-- progress (kept by a rebuild); audience memberships and profiles.recheck_at are derived (a rebuild clears them).
-- Times are Unix milliseconds (UTC).

-- kind: 'computed_trait' or 'audience'; json as the admin API validated it; version: the workspace's definitions
-- version at which the definition last changed.
CREATE TABLE definitions (
    workspace_id  TEXT NOT NULL,
    kind          TEXT NOT NULL,
    key           TEXT NOT NULL,
    json          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, kind, key)
) WITHOUT ROWID;

-- Goes up by one with every definition change of the workspace.
CREATE TABLE definition_versions (
    workspace_id  TEXT PRIMARY KEY,
    version       INTEGER NOT NULL
);

-- The workspace's current backfill, restarted (in the same transaction) by every definition change. cursor: the last
-- profile id done, in id order.
CREATE TABLE backfills (
    workspace_id  TEXT PRIMARY KEY,
    version       INTEGER NOT NULL,
    cursor        TEXT,
    done          INTEGER NOT NULL,
    total         INTEGER NOT NULL,
    started_at    INTEGER NOT NULL,
    finished_at   INTEGER
);

-- entered_at is processing time.
CREATE TABLE audience_members (
    workspace_id  TEXT NOT NULL,
    audience_key  TEXT NOT NULL,
    profile_id    TEXT NOT NULL,
    entered_at    INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, audience_key, profile_id)
) WITHOUT ROWID;
CREATE INDEX audience_members_profile ON audience_members (profile_id);

-- When a rolling window next changes something of the profile with no new event; only those with one are indexed.
ALTER TABLE profiles ADD COLUMN recheck_at INTEGER;
CREATE INDEX profiles_recheck ON profiles (workspace_id, recheck_at, id) WHERE recheck_at IS NOT NULL;

-- A backfill pages through a workspace's profiles in id order: the index ends with the id (it served counts before
-- and still does).
DROP INDEX profiles_workspace;
CREATE INDEX profiles_workspace ON profiles (workspace_id, id);
