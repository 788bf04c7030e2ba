#!/usr/bin/env bash
# Failover drill: two `prongsai serve` on the pg_auto_failover formation of setup.sh, a client
# making acknowledged writes through both in turn, and the primary node killed in the middle
# (kill -9 of its pg_autoctl keeper, the keeper's helpers and its postmaster, as when the machine
# dies; killing the postmaster alone only makes the keeper restart it). Reports the acknowledged
# writes lost (goal 0) and the longest time without a successful write (goal < 30 s).
#
#   bash scripts/failover/drill.sh            # sets up a formation if none runs; KEEP=1 keeps it
#   DRILL_SECONDS=60 KILL_AFTER=15 bash scripts/failover/drill.sh
set -euo pipefail
cd "$(dirname "$0")"
. ./common.sh
root="$(cd ../.. && pwd)"
DRILL_SECONDS="${DRILL_SECONDS:-60}"
KILL_AFTER="${KILL_AFTER:-15}"
read -r -a APP_PORTS <<<"${APP_PORTS:-8091 8092}"
export DATABASE_URL="postgres://postgres@127.0.0.1:${NODE1_PORT},127.0.0.1:${NODE2_PORT}/${FAILOVER_DB}"

[ -d "$FAILOVER_DIR/monitor" ] || bash ./setup.sh
(cd "$root" && cargo build -q --bin prongsai --example failover_drill)
target="${CARGO_TARGET_DIR:-$root/target}/debug"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || bash ./teardown.sh
}
trap cleanup EXIT

# One at a time, so that only the first loads the demo organization.
servers=()
for port in "${APP_PORTS[@]}"; do
  "$target/prongsai" serve --bind "127.0.0.1:$port" --demo >"$FAILOVER_DIR/serve-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do curl -fs -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.5; done
  servers+=("http://127.0.0.1:$port")
done

"$target/examples/failover_drill" "$DRILL_SECONDS" "$DATABASE_URL" "${servers[@]}" &
client=$!
sleep "$KILL_AFTER"

# The primary's keeper (pg_autoctl started by setup.sh for that PGDATA) and all it started.
tree() { echo "$1"; for c in $(pgrep -P "$1"); do tree "$c"; done; }
primary_port="$(show_state | awk -F'|' '$7 ~ /primary/ { split($3, hp, ":"); gsub(/ /, "", hp[2]); print hp[2] }')"
node="node1"; [ "$primary_port" = "$NODE2_PORT" ] && node="node2"
keeper="$(pgrep -f "^pg_autoctl .*--pgdata $FAILOVER_DIR/$node( |\$)" | head -n1)"
victims="$(tree "$keeper" | tr '\n' ' ')"
echo "$(date +%T) killing the primary $node (port $primary_port): kill -9 $victims"
kill -9 $victims
killed_at=$(date +%s.%N)

other="node_2"; [ "$node" = node2 ] && other="node_1"
for _ in $(seq 1 900); do
  show_state | awk -F'|' -v n="$other" '{ gsub(/ /, "", $1); r = $6; a = $7; gsub(/ /, "", r); gsub(/ /, "", a) }
    $1 == n && r == a && (r == "primary" || r == "wait_primary" || r == "single") { found = 1 } END { exit !found }' && break
  sleep 0.1
done
echo "$(date +%T) the monitor shows a new primary $(echo "$(date +%s.%N) - $killed_at" | bc | cut -c1-4) s after the kill"
show_state
wait "$client"
