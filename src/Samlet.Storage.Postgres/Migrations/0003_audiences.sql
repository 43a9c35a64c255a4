-- Computed traits and audiences (issue 4): the same tables as SQLite's 0003_audiences.sql. Definitions, their versions
-- and backfills are configuration and its progress (kept by a rebuild); audience memberships and profiles.recheck_at
-- are derived (a rebuild clears them). Ids and keys are COLLATE "C": members and backfills page in byte order.

-- kind: 'computed_trait' or 'audience'; json is text, returned exactly as the admin API stored it.
CREATE TABLE definitions (
    workspace_id  text COLLATE "C" NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('computed_trait', 'audience')),
    key           text COLLATE "C" NOT NULL,
    json          text NOT NULL,
    version       bigint NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, kind, key)
);

-- Goes up by one with every definition change of the workspace.
CREATE TABLE definition_versions (
    workspace_id  text COLLATE "C" PRIMARY KEY,
    version       bigint NOT NULL
);

-- The workspace's current backfill, restarted (in the same transaction) by every definition change. cursor: the last
-- profile id done, in id order.
CREATE TABLE backfills (
    workspace_id  text COLLATE "C" PRIMARY KEY,
    version       bigint NOT NULL,
    cursor        text COLLATE "C",
    done          bigint NOT NULL,
    total         bigint NOT NULL,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz
);

-- entered_at is processing time.
CREATE TABLE audience_members (
    workspace_id  text COLLATE "C" NOT NULL,
    audience_key  text COLLATE "C" NOT NULL,
    profile_id    text COLLATE "C" NOT NULL,
    entered_at    timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, audience_key, profile_id)
);
CREATE INDEX audience_members_profile ON audience_members (profile_id);

-- When a rolling window next changes something of the profile with no new event; only those with one are indexed.
ALTER TABLE profiles ADD COLUMN recheck_at timestamptz;
CREATE INDEX profiles_recheck ON profiles (workspace_id, recheck_at, id) WHERE recheck_at IS NOT NULL;

-- A backfill pages through a workspace's profiles in id order: the index ends with the id (it serves counts too).
DROP INDEX profiles_workspace;
CREATE INDEX profiles_workspace ON profiles (workspace_id, id);
