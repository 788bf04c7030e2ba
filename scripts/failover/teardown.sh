#!/usr/bin/env bash
# Stops the formation that setup.sh started and removes its data.
set -euo pipefail
cd "$(dirname "$0")"
. ./common.sh

for name in node2 node1 monitor; do
  pgdata="$FAILOVER_DIR/${name}"
  [ -d "$pgdata" ] || continue
  as_pg pg_autoctl stop --pgdata "$pgdata" --immediate >/dev/null 2>&1 || true
done
for _ in $(seq 1 20); do
  pgrep -f "pg_autoctl .*--pgdata $FAILOVER_DIR/" >/dev/null || break
  sleep 0.5
done
# Whatever survived (a killed keeper leaves its PostgreSQL behind): stop it by its own pid files.
for name in node2 node1 monitor; do
  pgdata="$FAILOVER_DIR/${name}"
  if [ -f "$pgdata/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$pgdata" stop -m immediate >/dev/null 2>&1 || true
  fi
done
rm -rf "$FAILOVER_DIR"
echo "removed $FAILOVER_DIR"
