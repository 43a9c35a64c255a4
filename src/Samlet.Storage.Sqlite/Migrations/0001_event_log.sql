-- Workspaces, sources and API keys; the event log and the rejected-events log.
-- Times are Unix milliseconds (UTC); keys are stored only as SHA-256 hashes.
CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE sources (
    id              TEXT PRIMARY KEY,
    workspace_id    TEXT NOT NULL REFERENCES workspaces (id),
    name            TEXT NOT NULL,
    write_key_hash  TEXT NOT NULL UNIQUE,
    enabled         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    name          TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL
);

-- seq is the log position the pipeline reads in; (source_id, message_id) de-duplicates SDK retries.
CREATE TABLE events (
    seq           INTEGER PRIMARY KEY,
    source_id     TEXT NOT NULL,
    message_id    TEXT NOT NULL,
    type          TEXT NOT NULL,
    event         TEXT,
    user_id       TEXT,
    anonymous_id  TEXT,
    timestamp     INTEGER NOT NULL,
    received_at   INTEGER NOT NULL,
    payload       BLOB NOT NULL
);
CREATE UNIQUE INDEX events_message_id ON events (source_id, message_id);

CREATE TABLE rejected_events (
    id           INTEGER PRIMARY KEY,
    source_id    TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    payload      BLOB NOT NULL
);
