#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster in a folder of its own, on a loopback port, and prints its connection string.
# Works as root (CI: initdb and postgres refuse to run as root, so they run as the "postgres" user) or as a normal user.
#
#   PGPORT=55432 scripts/pg-up.sh                 # fast test cluster: fsync off (never for real data)
#   PG_DURABLE=1 PGPORT=55433 scripts/pg-up.sh    # default durability settings, for benchmarks
#   PG_WATCH_PID=$$ scripts/pg-up.sh              # also stop and delete the cluster when that process ends
#
# Stop and delete it with scripts/pg-down.sh; stop or start it again with scripts/pg-ctl.sh (same PGPORT/PGROOT).
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGROOT="${PGROOT:-${TMPDIR:-/tmp}/samlet-pg-$PGPORT}"
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL not found under /usr/lib/postgresql/*/bin; install it: apt-get install -y postgresql" >&2; exit 1; }
RUN=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  RUN=(runuser -u postgres --)
fi
rm -rf "$PGROOT"; mkdir -p "$PGROOT"
[ "$(id -u)" = 0 ] && chown postgres: "$PGROOT"
"${RUN[@]}" "$PGBIN/initdb" -D "$PGROOT/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGROOT/initdb.log" 2>&1 \
  || { cat "$PGROOT/initdb.log" >&2; exit 1; }
# Settings go into postgresql.conf, so scripts/pg-ctl.sh can stop and start the same cluster again.
# The unix socket goes to our folder (/var/run/postgresql may not exist); TCP on loopback only.
{
  echo "port = $PGPORT"
  echo "unix_socket_directories = '$PGROOT'"
  echo "listen_addresses = '127.0.0.1'"
  echo "max_connections = 200"
  if [ "${PG_DURABLE:-0}" != 1 ]; then
    echo "fsync = off"; echo "synchronous_commit = off"; echo "full_page_writes = off"
  fi
} >>"$PGROOT/data/postgresql.conf"
"${RUN[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 60 start >/dev/null \
  || { cat "$PGROOT/server.log" >&2; exit 1; }
if [ -n "${PG_WATCH_PID:-}" ]; then
  # A watchdog outside the caller's process tree: when the caller dies (even by kill -9), the cluster goes too.
  setsid bash -c 'while kill -0 "$0" 2>/dev/null; do sleep 1; done; PGPORT="$1" PGROOT="$2" PGBIN="$3" "$4"' \
    "$PG_WATCH_PID" "$PGPORT" "$PGROOT" "$PGBIN" "$(cd "$(dirname "$0")" && pwd)/pg-down.sh" </dev/null >/dev/null 2>&1 &
fi
echo "Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres"
