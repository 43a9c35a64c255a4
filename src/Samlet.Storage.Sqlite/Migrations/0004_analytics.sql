-- The scheduled analytics job (IAnalyticsStore): its settings and its runs. Not derived from the log (a rebuild keeps
-- them). Times are Unix milliseconds (UTC).

-- json: the workspace's settings as the admin API took them; no row means the defaults.
CREATE TABLE analytics_settings (
    workspace_id  TEXT PRIMARY KEY,
    json          TEXT NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- status: 'requested', 'running', 'succeeded' or 'failed'; trigger: who asked (schedule, api, cli, demo); position: how
-- far the pipeline had got; report: JSON, only ever read whole. AUTOINCREMENT: an id is never handed out again, so ids
-- grow with every run even after the newest is deleted.
CREATE TABLE analytics_runs (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id      TEXT NOT NULL,
    status            TEXT NOT NULL,
    trigger           TEXT NOT NULL,
    requested_at      INTEGER NOT NULL,
    started_at        INTEGER,
    finished_at       INTEGER,
    as_of             INTEGER,
    position          INTEGER,
    report            TEXT,
    error             TEXT,
    profiles_updated  INTEGER NOT NULL
);
CREATE INDEX analytics_runs_workspace ON analytics_runs (workspace_id, id);
