#!/usr/bin/env bash
# Starts a pg_auto_failover formation on this machine: a monitor and two PostgreSQL nodes, the
# second a synchronous streaming standby of the first, with automatic failover. Then prints the
# database URL for `prongsai serve` (both hosts; the app finds the primary itself).
#
#   bash scripts/failover/setup.sh          # data under $FAILOVER_DIR (default /tmp/prongsai-failover)
#   bash scripts/failover/teardown.sh       # stops everything and removes the data
#
# Needs the Debian packages postgresql-15-auto-failover and pg-auto-failover-cli (installed here
# when missing). Everything runs as the postgres OS user: pg_autoctl refuses root.
set -euo pipefail
cd "$(dirname "$0")"
. ./common.sh

if ! command -v pg_autoctl >/dev/null 2>&1; then
  echo "installing pg_auto_failover"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    postgresql-15-auto-failover pg-auto-failover-cli >/dev/null
fi
if [ -e "$FAILOVER_DIR/monitor" ]; then
  echo "$FAILOVER_DIR already holds a formation: run teardown.sh first" >&2
  exit 1
fi
mkdir -p "$FAILOVER_DIR/xdg/run"
chmod 700 "$FAILOVER_DIR/xdg/run"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$FAILOVER_DIR"; fi

# Each pg_autoctl runs in the background (it supervises its PostgreSQL and restarts it).
start() {
  local name="$1"; shift
  as_pg nohup "$@" >>"$FAILOVER_DIR/$name.log" 2>&1 &
}

# Local demo: trust on 127.0.0.1 and no TLS (prongsai's sqlx is built without TLS). On real hosts
# use --auth scram-sha-256 with a password file, and a private network.
common=(--hostname 127.0.0.1 --auth trust --no-ssl)

echo "monitor on port $MONITOR_PORT"
as_pg pg_autoctl create monitor --pgdata "$FAILOVER_DIR/monitor" --pgport "$MONITOR_PORT" "${common[@]}" \
  >>"$FAILOVER_DIR/monitor.log" 2>&1
start monitor pg_autoctl run --pgdata "$FAILOVER_DIR/monitor"
for _ in $(seq 1 30); do as_pg "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$MONITOR_PORT" && break; sleep 1; done

# Faster failover than the defaults (5 s checks, 20 s before a node counts as unhealthy, then 30 s
# for the old primary to confirm its demotion): on one machine or a LAN a second is plenty. The
# demotion wait must stay longer than the nodes' network_partition_timeout (set below), after which
# a primary cut off from the monitor and its standby stops taking writes by itself: otherwise two
# primaries could take writes at once.
as_pg "$PG_BIN/psql" -qX -h 127.0.0.1 -p "$MONITOR_PORT" -d pg_auto_failover -v ON_ERROR_STOP=1 <<'SQL'
ALTER SYSTEM SET pgautofailover.health_check_period = 1000;
ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000;
ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1;
ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500;
ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 5000;
ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 8000;
SELECT pg_reload_conf();
SQL

node() {
  local n="$1" port="$2"
  echo "node_$n on port $port"
  start "node$n" pg_autoctl create postgres --pgdata "$FAILOVER_DIR/node$n" --pgport "$port" \
    --name "node_$n" --dbname "$FAILOVER_DB" --monitor "$MONITOR_URI" "${common[@]}" \
    --pgctl "$PG_BIN/pg_ctl" --run
}
node 1 "$NODE1_PORT"
wait_formation 0 90
as_pg pg_autoctl config set --pgdata "$FAILOVER_DIR/node1" timeout.network_partition_timeout 5 >/dev/null
as_pg pg_autoctl reload --pgdata "$FAILOVER_DIR/node1"
node 2 "$NODE2_PORT"
# The standby's pg_basebackup waits for a spread checkpoint on the primary (about 90 s here);
# asking for an immediate one while it waits makes that a second.
for _ in $(seq 1 120); do
  settled_states | grep -qx secondary && break
  as_pg "$PG_BIN/psql" -qX -h 127.0.0.1 -p "$NODE1_PORT" -d postgres -c CHECKPOINT >/dev/null 2>&1 || true
  sleep 1
done
wait_formation 1 60
as_pg pg_autoctl config set --pgdata "$FAILOVER_DIR/node2" timeout.network_partition_timeout 5 >/dev/null
as_pg pg_autoctl reload --pgdata "$FAILOVER_DIR/node2"

show_state
primary_port="$(show_state | awk -F'|' '$7 ~ /primary/ { split($3, hp, ":"); gsub(/ /, "", hp[2]); print hp[2] }')"
echo "synchronous_standby_names on the primary: $(as_pg "$PG_BIN/psql" -qXAt -h 127.0.0.1 -p "$primary_port" -d postgres -c 'SHOW synchronous_standby_names')"
echo
echo "PRONGSAI_DATABASE_URL=postgres://postgres@127.0.0.1:${NODE1_PORT},127.0.0.1:${NODE2_PORT}/${FAILOVER_DB}"
