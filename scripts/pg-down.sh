#!/usr/bin/env bash
# Stops and deletes the throwaway cluster that scripts/pg-up.sh started (same PGPORT/PGROOT). Safe to run twice.
PGPORT="${PGPORT:-55432}"
PGROOT="${PGROOT:-${TMPDIR:-/tmp}/samlet-pg-$PGPORT}"
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
RUN=(); [ "$(id -u)" = 0 ] && RUN=(runuser -u postgres --)
if [ -f "$PGROOT/data/postmaster.pid" ]; then
  "${RUN[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
fi
rm -rf "$PGROOT"
