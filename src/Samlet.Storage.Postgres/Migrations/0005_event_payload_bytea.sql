-- Event payloads as the normalised UTF-8 JSON bytes the Tracking API wrote (as SQLite keeps them), not jsonb: no query
-- reads into a payload, and parsing each into jsonb was most of an append's cost and its rendering back to text a
-- large part of reading a pipeline batch (ADR 6, amended 2026-12-06). Traits and counts stay jsonb.
ALTER TABLE events ALTER COLUMN payload TYPE bytea USING convert_to(payload::text, 'UTF8');
