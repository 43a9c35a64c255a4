#!/usr/bin/env bash
# Times the ways PostgreSQL can de-duplicate and store a group commit (ADR 16), inside PostgreSQL alone: a procedure
# appends EVENTS demo-sized events (~850-byte payloads, random uuid messageIds) CHUNK at a time, committing each chunk,
# so no client, network or driver time counts. Each variant runs ROUNDS times, in turn with the others, on emptied
# tables after a CHECKPOINT. Needs psql and a server (e.g. `PG_DURABLE=1 PGPORT=55501 scripts/pg-up.sh`).
#
#   PGHOST=127.0.0.1 PGPORT=55501 bench/run-pg-append-statements.sh      # EVENTS=400000 CHUNK=250 ROUNDS=2
#   ONLY='^[46]' ...                                                       # only the variants whose names match
set -euo pipefail
EVENTS=${EVENTS:-400000}
CHUNK=${CHUNK:-250}
ROUNDS=${ROUNDS:-2}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
database="samlet_statements_$$"
psql -d postgres -qc "CREATE DATABASE $database"
trap 'psql -d postgres -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true' EXIT
run() { psql -d "$database" -v ON_ERROR_STOP=1 -q "$@"; }

echo "== Preparing $EVENTS events"
run -v events="$EVENTS" <<'SQL'
CREATE TABLE input AS
SELECT g AS ord, now() AS ts, now() AS received_at, 'src_2kq4xw7h3m9pzt5r' AS source_id, gen_random_uuid()::text AS message_id,
       'track' AS type, 'Product Viewed' AS event, 'user_' || (g % 100000) AS user_id, gen_random_uuid()::text AS anonymous_id,
       convert_to(repeat(md5(g::text), 26), 'UTF8') AS payload
FROM generate_series(1, :events) g;
ALTER TABLE input ADD COLUMN key uuid;
UPDATE input SET key = encode(substring(sha256(convert_to(source_id || E'\n' || message_id, 'UTF8')) FROM 1 FOR 16), 'hex')::uuid;
CREATE INDEX ON input (ord);
VACUUM ANALYZE input;

CREATE SEQUENCE events_seq;
CREATE TABLE events (seq bigint NOT NULL DEFAULT nextval('events_seq'), timestamp timestamptz NOT NULL, received_at timestamptz NOT NULL,
  source_id text NOT NULL, message_id text NOT NULL, type text NOT NULL, event text, user_id text, anonymous_id text, payload bytea NOT NULL,
  PRIMARY KEY (seq, received_at)) PARTITION BY RANGE (received_at);
CREATE TABLE events_now PARTITION OF events FOR VALUES FROM (now() - interval '1 day') TO (now() + interval '1 day');
CREATE TABLE text_ids (source_id text COLLATE "C" NOT NULL, message_id text COLLATE "C" NOT NULL, received_at timestamptz NOT NULL, PRIMARY KEY (source_id, message_id));
CREATE TABLE event_keys (key uuid PRIMARY KEY, received_at timestamptz NOT NULL);

-- One variant: the statements (separated by " ;; ") that store rows ord in (i, i + chunk], run chunk by chunk with a
-- COMMIT after each.
CREATE PROCEDURE append_all(statements text, events int, chunk int) LANGUAGE plpgsql AS $$
DECLARE i int := 0; statement text;
BEGIN
  WHILE i < events LOOP
    FOREACH statement IN ARRAY string_to_array(statements, ' ;; ') LOOP
      EXECUTE statement USING i, i + chunk;
    END LOOP;
    COMMIT;
    i := i + chunk;
  END LOOP;
END $$;
SQL

columns="timestamp, received_at, source_id, message_id, type, event, user_id, anonymous_id, payload"
select="ts, received_at, source_id, message_id, type, event, user_id, anonymous_id, payload"
input='event_input AS MATERIALIZED (SELECT * FROM input WHERE ord > $1 AND ord <= $2)'
declare -A variant=(
  ["1 text ids, ON CONFLICT, join back (before ADR 16)"]="WITH $input, fresh AS (INSERT INTO text_ids SELECT source_id, message_id, received_at FROM event_input ON CONFLICT DO NOTHING RETURNING source_id, message_id) INSERT INTO events ($columns) SELECT $select FROM event_input JOIN fresh USING (source_id, message_id) ORDER BY ord"
  ["2 uuid key, ON CONFLICT, join back (imports; after a duplicate)"]="WITH $input, fresh AS (INSERT INTO event_keys SELECT key, received_at FROM event_input ON CONFLICT DO NOTHING RETURNING key) INSERT INTO events ($columns) SELECT $select FROM event_input JOIN fresh USING (key) ORDER BY ord"
  ["3 uuid key, plain INSERT, one statement"]="WITH $input, claimed AS (INSERT INTO event_keys SELECT key, received_at FROM event_input) INSERT INTO events ($columns) SELECT $select FROM event_input ORDER BY ord"
  ["4 uuid key, plain INSERT, keys and events as two statements (group commits)"]="INSERT INTO event_keys SELECT key, received_at FROM input WHERE ord > \$1 AND ord <= \$2 ;; INSERT INTO events ($columns) SELECT $select FROM input WHERE ord > \$1 AND ord <= \$2 ORDER BY ord"
  ["6 as 4, the events' numbers reserved in one call instead of nextval per row"]="INSERT INTO event_keys SELECT key, received_at FROM input WHERE ord > \$1 AND ord <= \$2 ;; WITH reserved AS (SELECT setval('events_seq', nextval('events_seq') + (\$2 - \$1) - 1) AS last) INSERT INTO events (seq, $columns) SELECT reserved.last - (\$2 - ord), $select FROM input, reserved WHERE ord > \$1 AND ord <= \$2 ORDER BY ord"
  ["5 events only, no de-duplication (a lower bound)"]="INSERT INTO events ($columns) SELECT $select FROM input WHERE ord > \$1 AND ord <= \$2 ORDER BY ord"
)

echo "== $EVENTS events, $CHUNK per committed append, $ROUNDS rounds in turn"
for round in $(seq 1 "$ROUNDS"); do
  while IFS= read -r name; do
    run -c "TRUNCATE events, text_ids, event_keys" -c "CHECKPOINT"
    start=$(date +%s.%N)
    echo "CALL append_all(:'statement', :events, :chunk);" | run -v statement="${variant[$name]}" -v events="$EVENTS" -v chunk="$CHUNK"
    end=$(date +%s.%N)
    stored=$(psql -d "$database" -Atc "SELECT count(*) FROM events")
    printf '%-66s %6.2f s  (%s stored)\n' "$name" "$(echo "$end - $start" | bc)" "$stored"
  done < <(printf '%s\n' "${!variant[@]}" | sort | grep -E -- "${ONLY:-.}")
done
