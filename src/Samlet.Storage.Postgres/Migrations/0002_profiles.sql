-- Derived state of the identity and profile stages (rebuildable from the event log), plus the rules and unmerge cuts
-- that shape it (not derived: kept by a rebuild). The same tables as SQLite's 0002_profiles.sql (ADR 6):
-- times are timestamptz (event times unless named otherwise); traits and counts are jsonb (see ProfileJson);
-- ids and identifier values are opaque, so COLLATE "C": byte order, as SQLite compares them, which the identifier
-- prefix search (a range scan) and the "added_at, type, value" order rely on.

-- How far each consumer of the log has applied events; moved in the same transaction as the batch's outcome.
CREATE TABLE checkpoints (
    consumer  text COLLATE "C" PRIMARY KEY,
    position  bigint NOT NULL
);

-- Live profiles. updated_at is processing time.
CREATE TABLE profiles (
    id               text COLLATE "C" PRIMARY KEY,
    workspace_id     text COLLATE "C" NOT NULL,
    created_at       timestamptz NOT NULL,
    first_seen       timestamptz,
    last_seen        timestamptz,
    last_source_id   text COLLATE "C",
    last_message_id  text COLLATE "C",
    updated_at       timestamptz,
    traits           jsonb NOT NULL,
    counts           jsonb NOT NULL
);
CREATE INDEX profiles_workspace ON profiles (workspace_id);

-- Merged-away profile ids and the live profile they lead to (always the final survivor, never a chain).
CREATE TABLE profile_redirects (
    from_id       text COLLATE "C" PRIMARY KEY,
    workspace_id  text COLLATE "C" NOT NULL,
    to_id         text COLLATE "C" NOT NULL
);
CREATE INDEX profile_redirects_to ON profile_redirects (to_id);

-- Every identifier belongs to exactly one live profile of its workspace.
CREATE TABLE profile_identifiers (
    workspace_id  text COLLATE "C" NOT NULL,
    type          text COLLATE "C" NOT NULL,
    value         text COLLATE "C" NOT NULL,
    profile_id    text COLLATE "C" NOT NULL,
    added_at      timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, type, value)
);
CREATE INDEX profile_identifiers_profile ON profile_identifiers (profile_id);
-- The search by value prefix reads this range in (value, type) order, as SQLite's index (whose entries end with the key) does.
CREATE INDEX profile_identifiers_value ON profile_identifiers (workspace_id, value, type) INCLUDE (profile_id);

-- The timeline: which profile each event belongs to. received_at is the event's partition key (copied from events
-- when the link is written): the join to the partitioned events table matches (seq, received_at), its primary key, so
-- each link is one index probe in one partition (run-time pruning) instead of one probe per partition.
CREATE TABLE profile_events (
    profile_id   text COLLATE "C" NOT NULL,
    seq          bigint NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (profile_id, seq) INCLUDE (received_at)
);

-- Identity history (creates, attaches, merges, refusals, unmerges) in plain words; merged lists profile ids.
CREATE TABLE identity_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id   text COLLATE "C" NOT NULL,
    seq          bigint NOT NULL,
    message_id   text NOT NULL,
    at           timestamptz NOT NULL,
    kind         text NOT NULL,
    merged       text[] NOT NULL,
    explanation  text NOT NULL
);
CREATE INDEX identity_history_profile ON identity_history (profile_id, id);

CREATE TABLE accounts (
    workspace_id  text COLLATE "C" NOT NULL,
    group_id      text COLLATE "C" NOT NULL,
    traits        jsonb NOT NULL,
    first_seen    timestamptz,
    last_seen     timestamptz,
    PRIMARY KEY (workspace_id, group_id)
);

CREATE TABLE account_members (
    workspace_id  text COLLATE "C" NOT NULL,
    group_id      text COLLATE "C" NOT NULL,
    profile_id    text COLLATE "C" NOT NULL,
    linked_at     timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, group_id, profile_id)
);
CREATE INDEX account_members_profile ON account_members (profile_id);

-- Not derived: identifiers cut by unmerges, and each workspace's identity rules (the JSON text as the admin API took it).
CREATE TABLE identity_cuts (
    workspace_id  text COLLATE "C" NOT NULL,
    type          text COLLATE "C" NOT NULL,
    value         text COLLATE "C" NOT NULL,
    profile_id    text COLLATE "C" NOT NULL,
    cut_at        timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, type, value)
);

CREATE TABLE identity_rules (
    workspace_id  text COLLATE "C" PRIMARY KEY,
    rules         text NOT NULL
);
