#!/usr/bin/env bash
# Does the province page cost what the province holds, or what the install holds? (issue 18.)
# Two servers side by side on the same machine: A on a database holding one province's bench
# organizations alone (`bench populate --ita --province SMALL`: the same organizations, numbers and
# data as in B), B on a database of all 1,000 bench organizations over the 77 provinces, each with
# five fiscal years (2564–2568) of ITA results, measures and published reports. Time to first byte
# of /p/SMALL on A and on B, of /p/LARGE (150 organizations) on B and of /p/ on both, each
# fetched BENCH_REQUESTS times one after another with curl (after one unmeasured fetch); the
# table gives the median and the 95th percentile. Needs curl; psql for PostgreSQL.
#
#   scripts/bench-province.sh PATH/TO/prongsai [sqlite|postgres ...]
#
# Environment: BENCH_REQUESTS (100), BENCH_ORGS (1000), BENCH_ROWS (loans etc. of the others: 0),
# BENCH_SMALL (แม่ฮ่องสอน), BENCH_LARGE (เชียงใหม่), BENCH_YEAR (2568), BENCH_PORT (18290; B on
# the next port), BENCH_POSTGRES (postgres://postgres@127.0.0.1:5432: two databases are created
# and dropped).
set -euo pipefail

bin=$(realpath "${1:?usage: bench-province.sh PATH/TO/prongsai [sqlite|postgres ...]}")
shift
engines=("$@")
[ ${#engines[@]} -gt 0 ] || engines=(sqlite)
requests=${BENCH_REQUESTS:-100}
orgs=${BENCH_ORGS:-1000}
rows=${BENCH_ROWS:-0}
small=${BENCH_SMALL:-แม่ฮ่องสอน}
large=${BENCH_LARGE:-เชียงใหม่}
year=${BENCH_YEAR:-2568}
port_a=${BENCH_PORT:-18290}
port_b=$((port_a + 1))
postgres=${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
command -v curl >/dev/null || { echo "bench-province.sh needs curl" >&2; exit 1; }

encode() { printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n' | sed 's/../%&/g' | tr 'a-f' 'A-F'; }
small_path="/p/$(encode "$small")?year=$year"
large_path="/p/$(encode "$large")?year=$year"

dir=$(mktemp -d)
servers=()
pg_dbs=()
cleanup() {
    for pid in "${servers[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    for db in "${pg_dbs[@]}"; do psql -q "$postgres/postgres" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; done
    rm -rf "$dir"
}
trap cleanup EXIT

# start_server URL PORT
start_server() {
    DATABASE_URL=$1 PRONGSAI_LOG=warn "$bin" serve --bind "127.0.0.1:$2" >/dev/null 2>>"$dir/serve.log" &
    servers+=($!)
    until curl -fs "http://127.0.0.1:$2/healthz" >/dev/null; do
        kill -0 "${servers[-1]}" 2>/dev/null || { cat "$dir/serve.log" >&2; exit 1; }
        sleep 0.1
    done
}

# "median p95 bytes in_province/shown" of BENCH_REQUESTS fetches of URL (times in ms), after one unmeasured fetch.
ttfb() {
    local url=$1 page
    page=$(curl -fs "$url")
    local bytes
    bytes=$(printf "%s" "$page" | wc -c)
    local shown in_province
    shown=$(grep -o 'href="/o/' <<<"$page" | wc -l || true)
    in_province=$(grep -o '<dd id="sum-orgs">[^<]*' <<<"$page" | sed 's/.*>//; y/๐๑๒๓๔๕๖๗๘๙/0123456789/' || true)
    for _ in $(seq 1 "$requests"); do
        curl -fs -o /dev/null -w '%{time_starttransfer}\n' "$url"
    done | sort -g | awk -v bytes="$bytes" -v shown="$shown" -v all="${in_province:-–}" '
        { v[NR] = $1 * 1000 }
        END { printf "%.2f %.2f %d %s/%d\n", v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.999)], bytes, all, shown }'
}

bench_engine() {
    local engine=$1 url_a url_b
    case $engine in
        sqlite) url_a="sqlite://$dir/a.db"; url_b="sqlite://$dir/b.db" ;;
        postgres)
            pg_dbs+=("prongsai_province_a_$$" "prongsai_province_b_$$")
            psql -q "$postgres/postgres" -c "CREATE DATABASE prongsai_province_a_$$" >/dev/null
            psql -q "$postgres/postgres" -c "CREATE DATABASE prongsai_province_b_$$" >/dev/null
            url_a="$postgres/prongsai_province_a_$$"; url_b="$postgres/prongsai_province_b_$$"
            ;;
        *) echo "engine must be sqlite or postgres, not $engine" >&2; exit 1 ;;
    esac
    echo
    echo "populate A: $(DATABASE_URL=$url_a PRONGSAI_LOG=warn "$bin" bench populate --orgs "$orgs" --rows "$rows" --ita --province "$small")"
    echo "populate B: $(DATABASE_URL=$url_b PRONGSAI_LOG=warn "$bin" bench populate --orgs "$orgs" --rows "$rows" --ita)"
    start_server "$url_a" "$port_a"
    start_server "$url_b" "$port_b"
    local a="http://127.0.0.1:$port_a" b="http://127.0.0.1:$port_b"
    echo
    echo "### $engine: $requests requests each, one at a time (curl time_starttransfer); $(date -u '+%Y-%m-%d %H:%M UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| page | install | organizations in the province / rows on the page | bytes | TTFB median ms | TTFB p95 ms |"
    echo "|---|---|---:|---:|---:|---:|"
    local cases=(
        "$small ($year)|A: $small alone|$a$small_path"
        "$small ($year)|B: $orgs organizations, 77 provinces|$b$small_path"
        "$large ($year)|B: $orgs organizations, 77 provinces|$b$large_path"
        "/p/ (list, cached)|A: $small alone|$a/p/"
        "/p/ (list, cached)|B: $orgs organizations, 77 provinces|$b/p/"
    )
    for c in "${cases[@]}"; do
        IFS='|' read -r name install url <<<"$c"
        local median p95 bytes shown
        read -r median p95 bytes shown < <(ttfb "$url")
        echo "| $name | $install | $shown | $bytes | $median | $p95 |"
    done
    for pid in "${servers[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    servers=()
}

echo "# bench-province.sh: $(basename "$bin"), $(nproc) cores, commit $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown)"
for engine in "${engines[@]}"; do
    bench_engine "$engine"
done
