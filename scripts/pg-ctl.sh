#!/usr/bin/env bash
# Stops or starts again the cluster that scripts/pg-up.sh made, keeping its data: `scripts/pg-ctl.sh stop|start`.
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGROOT="${PGROOT:-${TMPDIR:-/tmp}/samlet-pg-$PGPORT}"
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
RUN=(); [ "$(id -u)" = 0 ] && RUN=(runuser -u postgres --)
case "${1:-}" in
  stop) "${RUN[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w -t 60 stop >/dev/null ;;
  start) "${RUN[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 60 start >/dev/null ;;
  *) echo "usage: pg-ctl.sh stop|start" >&2; exit 2 ;;
esac
