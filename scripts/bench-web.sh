#!/usr/bin/env bash
# The public pages of prongsai beside nginx serving the same bytes as static files (issue 13), with
# the demo organization alone and again after `prongsai bench populate` added 1,000 organizations
# and 300,000 loans, follow-ups and notifications of theirs. Output: one table per size, for
# docs/benchmarks.md. Needs wrk, nginx (Debian: nginx-light), curl; psql for PostgreSQL.
#
#   scripts/bench-web.sh PATH/TO/prongsai [sqlite|postgres ...]
#
# Environment: BENCH_SECONDS (10 per run), BENCH_REPEAT (1: runs of each cell, prongsai and
# nginx taking turns; the table gives each figure's median and, when repeated, the p99's range),
# BENCH_CONNECTIONS (64), BENCH_THREADS (2),
# BENCH_ORGS (1000), BENCH_ROWS (300000), BENCH_PORT (18090; nginx on the next port),
# BENCH_POSTGRES (postgres://postgres@127.0.0.1:5432: a database is created and dropped).
#
# Like for like: each page is fetched once from prongsai with the request header wrk will send
# (Accept-Encoding: identity, or gzip, br for the compressed row), and nginx serves exactly those
# bytes with the same Content-Type and Content-Encoding, from files, with sendfile. Both run on
# the same machine as wrk; nothing else is tuned.
set -euo pipefail
. "$(dirname "$0")/steal.sh"
. "$(dirname "$0")/bench-common.sh"

bin=$(realpath "${1:?usage: bench-web.sh PATH/TO/prongsai [sqlite|postgres ...]}")
shift
engines=("$@")
[ ${#engines[@]} -gt 0 ] || engines=(sqlite)
secs=${BENCH_SECONDS:-10}
repeat=${BENCH_REPEAT:-1}
conns=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
orgs=${BENCH_ORGS:-1000}
rows=${BENCH_ROWS:-300000}
port=${BENCH_PORT:-18090}
nginx_port=$((port + 1))
postgres=${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
base=http://127.0.0.1:$port
static=http://127.0.0.1:$nginx_port
for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null || { echo "bench-web.sh needs $tool" >&2; exit 1; }
done

# The pages measured: name, path, request header. The item page is what a QR label opens.
pages=(
    "report|/o/mae-khatuan/ita/2566/measures|identity"
    "report gzip,br|/o/mae-khatuan/ita/2566/measures|gzip, br"
    "home|/o/mae-khatuan/|identity"
    "document (page)|/o/mae-khatuan/documents/1|identity"
    "item (QR)|/o/mae-khatuan/items/416-64-0005|identity"
    "root /|/|identity"
    "report PDF|/o/mae-khatuan/ita/2566/measures.pdf|identity"
)

dir=$(mktemp -d)
# nginx's workers may run as another user when this runs as root: they must read the files.
chmod 755 "$dir"
server=""
nginx_pid=""
pg_db=""
cleanup() {
    [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
    [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null
    [ -n "$pg_db" ] && psql -q "$postgres/postgres" -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1
    rm -rf "$dir"
}
trap cleanup EXIT

start_server() {
    PRONGSAI_LOG=warn "$bin" serve --bind "127.0.0.1:$port" >/dev/null 2>>"$dir/serve.log" &
    server=$!
    until curl -fs "$base/healthz" >/dev/null; do
        kill -0 "$server" 2>/dev/null || { cat "$dir/serve.log" >&2; exit 1; }
        sleep 0.1
    done
}

stop_server() {
    kill -TERM "$server"
    wait "$server" 2>/dev/null || true
    server=""
}

# Fetches each page's exact bytes and headers from prongsai and writes nginx's configuration to
# serve them at /bench/N with the same Content-Type and Content-Encoding.
capture_pages() {
    mkdir -p "$dir/www"
    chmod 755 "$dir/www"
    local locations="" i=0
    for page in "${pages[@]}"; do
        IFS='|' read -r name path accept <<<"$page"
        local file="$dir/www/$i"
        local code
        code=$(curl -s -o "$file" -D "$file.headers" -w '%{http_code}' -H "Accept-Encoding: $accept" "$base$path")
        [ "$code" = 200 ] || { echo "$name ($path) answered $code" >&2; exit 1; }
        chmod 644 "$file"
        local type encoding
        type=$(awk -F': ' 'tolower($1) == "content-type" { sub(/\r$/, "", $2); print $2 }' "$file.headers")
        encoding=$(awk -F': ' 'tolower($1) == "content-encoding" { sub(/\r$/, "", $2); print $2 }' "$file.headers")
        echo "${encoding:-none}" >"$file.encoding"
        locations+="        location = /bench/$i {
            alias $file;
            types { }
            default_type \"$type\";
            ${encoding:+add_header Content-Encoding $encoding;}
            add_header Vary Accept-Encoding;
        }
"
        i=$((i + 1))
    done
    cat >"$dir/nginx.conf" <<EOF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
daemon off;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
$locations    }
}
EOF
}

start_nginx() {
    mkdir -p "$dir/tmp"
    if [ -z "$nginx_pid" ]; then
        nginx -p "$dir" -e "$dir/nginx-error.log" -c "$dir/nginx.conf" &
        nginx_pid=$!
        until curl -fs -o /dev/null "$static/bench/0"; do
            kill -0 "$nginx_pid" 2>/dev/null || { cat "$dir/nginx-error.log" >&2; exit 1; }
            sleep 0.1
        done
    else
        kill -HUP "$nginx_pid"
        sleep 1
    fi
}

# "req/s p50 p99" of one wrk run, latencies in ms; errors (non-2xx, socket errors) to stderr. The
# CPU time stolen during the run is added to $dir/steal, to say how quiet the machine was.
run_wrk() {
    local url=$1 accept=$2 out t0 s0
    read -r t0 s0 < <(cpu_ticks)
    out=$(wrk -t"$threads" -c"$conns" -d"${secs}s" --latency -H "Accept-Encoding: $accept" "$url")
    steal_record "$t0" "$s0" "$dir/steal"
    if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
        grep -E 'Non-2xx|Socket errors' <<<"$out" | sed "s|^|    $url: |" >&2
    fi
    awk '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
            return v
        }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        $1 == "Requests/sec:" { rps = $2 }
        END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }
    ' <<<"$out"
}

# "min–max" of the numbers given, or nothing for one.
range() {
    [ $# -gt 1 ] || return 0
    printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf " (%s–%s)", lo, hi }'
}

# One table: every page on prongsai, then the same bytes from nginx, BENCH_REPEAT times in turn.
measure() {
    local label=$1 i=0
    echo
    echo "### $label"
    echo
    [ "$repeat" -gt 1 ] && echo "Each figure is the median of $repeat runs, prongsai and nginx taking turns; the p99's range in brackets." && echo
    echo "| page | bytes (encoding) | prongsai req/s | p50 ms | p99 ms | nginx req/s | p50 ms | p99 ms | prongsai/nginx |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    for page in "${pages[@]}"; do
        IFS='|' read -r name path accept <<<"$page"
        local size encoding r a b c
        size=$(stat -c %s "$dir/www/$i")
        encoding=$(cat "$dir/www/$i.encoding")
        local p_rps=() p_p50=() p_p99=() n_rps=() n_p50=() n_p99=()
        for ((r = 0; r < repeat; r++)); do
            read -r a b c < <(run_wrk "$base$path" "$accept")
            p_rps+=("$a") p_p50+=("$b") p_p99+=("$c")
            read -r a b c < <(run_wrk "$static/bench/$i" "$accept")
            n_rps+=("$a") n_p50+=("$b") n_p99+=("$c")
        done
        local pr nr ratio
        pr=$(median "${p_rps[@]}")
        nr=$(median "${n_rps[@]}")
        ratio=$(awk -v a="$pr" -v b="$nr" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b; else print "-" }')
        echo "| $name \`$path\` | $size ($encoding) | $pr | $(median "${p_p50[@]}") | $(median "${p_p99[@]}")$(range "${p_p99[@]}") | $nr | $(median "${n_p50[@]}") | $(median "${n_p99[@]}")$(range "${n_p99[@]}") | $ratio |"
        i=$((i + 1))
    done
    echo
    steal_report "$dir/steal"
}

bench_engine() {
    local engine=$1
    case $engine in
        sqlite) export DATABASE_URL="sqlite://$dir/bench.db" ;;
        postgres)
            pg_db="prongsai_bench_$$"
            psql -q "$postgres/postgres" -c "CREATE DATABASE $pg_db" >/dev/null
            export DATABASE_URL="$postgres/$pg_db"
            ;;
        *) echo "engine must be sqlite or postgres, not $engine" >&2; exit 1 ;;
    esac
    echo
    echo "## $engine: wrk -t$threads -c$conns -d${secs}s --latency, $(date -u '+%Y-%m-%d %H:%M UTC'), load: $(uptime | sed 's/.*load average: //')"
    PRONGSAI_LOG=warn "$bin" demo load >/dev/null
    start_server
    # The demo's published version is printed on its first request and kept: not measured.
    curl -fs -o /dev/null "$base/o/mae-khatuan/ita/2566/measures.pdf"
    capture_pages
    start_nginx
    settle "$server"
    measure "$engine, 1 organization"

    stop_server
    echo
    echo "populate: $(PRONGSAI_LOG=warn "$bin" bench populate --orgs "$orgs" --rows "$rows")"
    echo "audit verify: $(PRONGSAI_LOG=warn "$bin" audit verify 2>&1 | tail -n 1)"
    # The day's loan notices, which a running server's hourly job would have written by now; the
    # server's own run at start then finds them written and writes nothing.
    local started=$SECONDS
    echo "lending remind: $(PRONGSAI_LOG=warn "$bin" lending remind) in $((SECONDS - started)) s"
    # As an operator would after a bulk load: let it reach the disk first. Without this the
    # first page measured ran beside the load's write-out (PostgreSQL's vacuum and checkpoint,
    # the kernel's dirty pages on either engine), and nginx's p99 rose with prongsai's.
    # CHECKPOINT needs a superuser (or pg_checkpoint) in BENCH_POSTGRES.
    if [ "$engine" = postgres ]; then
        psql -q "$DATABASE_URL" -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
        echo "VACUUM ANALYZE and CHECKPOINT after the load"
    fi
    sync
    echo "sync after the load: dirty pages written"
    start_server
    capture_pages
    start_nginx
    # The server's start runs the hourly reminder job over every organization (2.7-3.1 s with
    # 1,001 on PostgreSQL when nothing is new): the pages are measured after it, as in
    # bench-orgs.sh.
    settle "$server"
    measure "$engine, $((orgs + 1)) organizations, $rows loans, follow-ups and notifications of the others"
    stop_server
    if [ "$engine" = postgres ]; then
        psql -q "$postgres/postgres" -c "DROP DATABASE $pg_db" >/dev/null
        pg_db=""
    fi
}

echo "# bench-web.sh: $(basename "$bin") $("$bin" --version 2>/dev/null | awk '{print $2}'), $(nproc) cores, commit $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown)"
for engine in "${engines[@]}"; do
    bench_engine "$engine"
done
