# Shared settings of the failover scripts (sourced, not run).
# One machine plays three: a pg_auto_failover monitor and two PostgreSQL nodes on spare ports, so
# that the cluster on 5432 is never touched.
FAILOVER_DIR="${FAILOVER_DIR:-/tmp/prongsai-failover}"
MONITOR_PORT="${MONITOR_PORT:-5441}"
NODE1_PORT="${NODE1_PORT:-5442}"
NODE2_PORT="${NODE2_PORT:-5443}"
FAILOVER_DB="${FAILOVER_DB:-prongsai}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}"
MONITOR_URI="postgres://autoctl_node@127.0.0.1:${MONITOR_PORT}/pg_auto_failover?sslmode=disable"

# pg_autoctl keeps its state and configuration under XDG directories: keep them with the data, so
# that teardown.sh removes everything and a new setup starts clean.
pg_env=(PATH="$PG_BIN:$PATH" PG_CONFIG="$PG_BIN/pg_config"
  XDG_CONFIG_HOME="$FAILOVER_DIR/xdg/config" XDG_DATA_HOME="$FAILOVER_DIR/xdg/data"
  XDG_RUNTIME_DIR="$FAILOVER_DIR/xdg/run")

# pg_autoctl and PostgreSQL refuse to run as root: as root, run them as the postgres user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- env "${pg_env[@]}" "$@"
  else
    env "${pg_env[@]}" "$@"
  fi
}

# The formation's state as pg_autoctl shows it (name, port, state).
show_state() {
  as_pg pg_autoctl show state --pgdata "$FAILOVER_DIR/monitor" 2>/dev/null
}

# Waits until `grep -E PATTERN` matches the state, or fails after SECONDS.
wait_state() {
  local pattern="$1" seconds="$2"
  for _ in $(seq 1 "$seconds"); do
    show_state | grep -Eq "$pattern" && return 0
    sleep 1
  done
  echo "timed out after ${seconds}s waiting for: $pattern" >&2
  show_state >&2 || true
  return 1
}

# The settled states (reported = assigned), one a line: "primary", "secondary", "single", …
settled_states() {
  show_state | awk -F'|' 'NR > 2 { r = $6; a = $7; gsub(/ /, "", r); gsub(/ /, "", a); if (r == a) print r }'
}

# Waits until the formation has a primary and WANT_SECONDARIES settled standbys, or fails.
wait_formation() {
  local want="$1" seconds="$2"
  for _ in $(seq 1 "$seconds"); do
    local s
    s="$(settled_states)"
    if [ "$(grep -cx 'primary' <<<"$s")" -eq 1 ] && [ "$(grep -cx 'secondary' <<<"$s")" -ge "$want" ]; then
      return 0
    fi
    if [ "$want" -eq 0 ] && grep -Eqx 'single|wait_primary' <<<"$s"; then return 0; fi
    sleep 1
  done
  echo "timed out after ${seconds}s waiting for a primary and $want standby(s):" >&2
  show_state >&2 || true
  return 1
}
