#!/usr/bin/env bash
# Does a page of one organization cost the same whatever the others hold? (issue 13, "1,000
# organizations within 10 %".) Two servers run side by side on the same machine: one on a
# database holding the demo organization alone, one on a database where `prongsai bench populate`
# added 1,000 organizations and 300,000 loans, follow-ups and notifications of theirs. For each
# page, wrk runs against A, then B, then B, then A (so that a drift of the machine over the
# minutes weighs on both alike), BENCH_ROUNDS times. The table gives each server's median over
# its runs (and each run's figures), and the median CPU time each server spent per request,
# which the machine's other load moves less than req/s. Each page is fetched once from both
# servers before any is measured.
#
#   scripts/bench-orgs.sh PATH/TO/prongsai [sqlite|postgres ...]
#
# Environment: BENCH_SECONDS (8 per run), BENCH_ROUNDS (3; with one round, two runs of the same
# server were seen 20 % apart), BENCH_CONNECTIONS (64), BENCH_THREADS (2), BENCH_ORGS (1000),
# BENCH_ROWS (300000), BENCH_PORT (18190; B on the next port),
# BENCH_POSTGRES (postgres://postgres@127.0.0.1:5432: two databases are created and dropped).
set -euo pipefail
. "$(dirname "$0")/steal.sh"
. "$(dirname "$0")/bench-common.sh"

bin=$(realpath "${1:?usage: bench-orgs.sh PATH/TO/prongsai [sqlite|postgres ...]}")
shift
engines=("$@")
[ ${#engines[@]} -gt 0 ] || engines=(sqlite)
secs=${BENCH_SECONDS:-8}
rounds=${BENCH_ROUNDS:-3}
conns=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
orgs=${BENCH_ORGS:-1000}
rows=${BENCH_ROWS:-300000}
port_a=${BENCH_PORT:-18190}
port_b=$((port_a + 1))
postgres=${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
hz=$(getconf CLK_TCK)
for tool in wrk curl; do
    command -v "$tool" >/dev/null || { echo "bench-orgs.sh needs $tool" >&2; exit 1; }
done

pages=(
    "report|/o/mae-khatuan/ita/2566/measures|identity"
    "home|/o/mae-khatuan/|identity"
    "item (QR)|/o/mae-khatuan/items/416-64-0005|identity"
    "report PDF|/o/mae-khatuan/ita/2566/measures.pdf|identity"
)

dir=$(mktemp -d)
servers=()
pg_dbs=()
cleanup() {
    for pid in "${servers[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    for db in "${pg_dbs[@]}"; do psql -q "$postgres/postgres" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; done
    rm -rf "$dir"
}
trap cleanup EXIT

# start_server URL PORT: serves URL's database on PORT, after its demo load.
start_server() {
    local url=$1 port=$2
    DATABASE_URL=$url PRONGSAI_LOG=warn "$bin" demo load >/dev/null
    # The day's loan notices, which a running server's hourly job would have written by now: the
    # server's own run at start then writes nothing. Without this, B's start wrote 21,000 notices
    # (one transaction each) while its first page was measured, and its CPU per request rose 43 %.
    DATABASE_URL=$url PRONGSAI_LOG=warn "$bin" lending remind >/dev/null
    DATABASE_URL=$url PRONGSAI_LOG=warn "$bin" serve --bind "127.0.0.1:$port" >/dev/null 2>>"$dir/serve.log" &
    servers+=($!)
    until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do
        kill -0 "${servers[-1]}" 2>/dev/null || { cat "$dir/serve.log" >&2; exit 1; }
        sleep 0.1
    done
    # The demo's published version is printed on its first request and kept: not measured.
    curl -fs -o /dev/null "http://127.0.0.1:$port/o/mae-khatuan/ita/2566/measures.pdf"
}

# "req/s p99 µs" of one wrk run against the server with process id PID: p99 in ms, and the server's
# CPU time per request in µs (its own process only: PostgreSQL's time is not in it, and the pages
# measured are served from memory without reaching the database). The CPU time is the steadier
# figure: req/s and p99 move with whatever else the machine runs, wrk included, but the work a
# request costs the server does not. The CPU time stolen meanwhile is added to $dir/steal.
run_wrk() {
    local url=$1 accept=$2 pid=$3 t0 s0 p0 p1 rps p99
    read -r t0 s0 < <(cpu_ticks)
    p0=$(process_ticks "$pid")
    read -r rps p99 < <(wrk -t"$threads" -c"$conns" -d"${secs}s" --latency -H "Accept-Encoding: $accept" "$url" | awk '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
            return v
        }
        $1 == "99%" { p99 = ms($2) }
        $1 == "Requests/sec:" { rps = $2 }
        END { printf "%.0f %.2f\n", rps, p99 }
    ')
    p1=$(process_ticks "$pid")
    steal_record "$t0" "$s0" "$dir/steal"
    awk -v rps="$rps" -v p99="$p99" -v ticks=$((p1 - p0)) -v hz="$hz" -v secs="$secs" \
        'BEGIN { printf "%s %s %.1f\n", rps, p99, (rps > 0 ? 1e6 * ticks / hz / (rps * secs) : 0) }'
}

bench_engine() {
    local engine=$1 url_a url_b
    case $engine in
        sqlite) url_a="sqlite://$dir/a.db"; url_b="sqlite://$dir/b.db" ;;
        postgres)
            pg_dbs+=("prongsai_orgs_a_$$" "prongsai_orgs_b_$$")
            psql -q "$postgres/postgres" -c "CREATE DATABASE prongsai_orgs_a_$$" >/dev/null
            psql -q "$postgres/postgres" -c "CREATE DATABASE prongsai_orgs_b_$$" >/dev/null
            url_a="$postgres/prongsai_orgs_a_$$"; url_b="$postgres/prongsai_orgs_b_$$"
            ;;
        *) echo "engine must be sqlite or postgres, not $engine" >&2; exit 1 ;;
    esac
    DATABASE_URL=$url_b PRONGSAI_LOG=warn "$bin" demo load >/dev/null
    echo
    echo "populate B: $(DATABASE_URL=$url_b PRONGSAI_LOG=warn "$bin" bench populate --orgs "$orgs" --rows "$rows")"
    start_server "$url_a" "$port_a"
    start_server "$url_b" "$port_b"
    # Each page once on each server before measuring: its first render is not what is measured.
    for page in "${pages[@]}"; do
        IFS='|' read -r _ path accept <<<"$page"
        curl -fs -o /dev/null -H "Accept-Encoding: $accept" "http://127.0.0.1:$port_a$path"
        curl -fs -o /dev/null -H "Accept-Encoding: $accept" "http://127.0.0.1:$port_b$path"
    done
    settle "${servers[@]}"
    echo
    echo "### $engine: A = 1 organization, B = $((orgs + 1)) organizations; wrk -t$threads -c$conns -d${secs}s, (A B B A) × $rounds; $(date -u '+%Y-%m-%d %H:%M UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| page | A req/s (runs) | A p99 ms (runs) | B req/s (runs) | B p99 ms (runs) | B/A req/s | server CPU µs/request, A (runs) | B (runs) | B/A CPU |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    local pid_a=${servers[-2]} pid_b=${servers[-1]}
    for page in "${pages[@]}"; do
        IFS='|' read -r name path accept <<<"$page"
        # Each server's runs, in the order they ran: space-separated lists.
        local -A port=([A]=$port_a [B]=$port_b) pid=([A]=$pid_a [B]=$pid_b) rps=() p99=() cpu=()
        local r s x y z
        for ((r = 0; r < rounds; r++)); do
            for s in A B B A; do
                read -r x y z < <(run_wrk "http://127.0.0.1:${port[$s]}$path" "$accept" "${pid[$s]}")
                rps[$s]+="$x " p99[$s]+="$y " cpu[$s]+="$z "
            done
        done
        # shellcheck disable=SC2086 # the lists are split into numbers on purpose
        awk -v n="$name \`$path\`" -v a="$(median ${rps[A]})" -v b="$(median ${rps[B]})" \
            -v ca="$(median ${cpu[A]})" -v cb="$(median ${cpu[B]})" \
            -v ra="${rps[A]}" -v rb="${rps[B]}" -v pa="${p99[A]}" -v pb="${p99[B]}" \
            -v la="${cpu[A]}" -v lb="${cpu[B]}" '
            function list(runs) { sub(/ $/, "", runs); gsub(/ /, ", ", runs); return runs }
            BEGIN {
                printf "| %s | %.0f (%s) | %s | %.0f (%s) | %s | %.0f %% | %.1f (%s) | %.1f (%s) | %.0f %% |\n",
                    n, a, list(ra), list(pa), b, list(rb), list(pb), 100 * b / a, ca, list(la), cb, list(lb), 100 * cb / ca
            }'
    done
    echo
    steal_report "$dir/steal"
    for pid in "${servers[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    servers=()
}

echo "# bench-orgs.sh: $(basename "$bin"), $(nproc) cores, commit $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown)"
for engine in "${engines[@]}"; do
    bench_engine "$engine"
done
