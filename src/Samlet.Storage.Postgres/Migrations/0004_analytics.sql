-- The scheduled analytics job (IAnalyticsStore): the same tables as SQLite's 0004_analytics.sql. Not derived from the
-- log (a rebuild keeps them). Times are timestamptz.

-- json: the workspace's settings as the admin API took them (text, returned exactly); no row means the defaults.
CREATE TABLE analytics_settings (
    workspace_id  text COLLATE "C" PRIMARY KEY,
    json          text NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- trigger: who asked (schedule, api, cli, demo); position: how far the pipeline had got; report: JSON as text, only
-- ever read whole (no jsonb parsing and re-printing on the way in and out).
CREATE TABLE analytics_runs (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id      text COLLATE "C" NOT NULL,
    status            text NOT NULL CHECK (status IN ('requested', 'running', 'succeeded', 'failed')),
    trigger           text NOT NULL,
    requested_at      timestamptz NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    as_of             timestamptz,
    position          bigint,
    report            text,
    error             text,
    profiles_updated  integer NOT NULL
);
CREATE INDEX analytics_runs_workspace ON analytics_runs (workspace_id, id);
