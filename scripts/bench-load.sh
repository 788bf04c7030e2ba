#!/usr/bin/env bash
# The latency of a public page while 8 clients log in over and over and 4 download PDFs, against
# a prongsai binary on 127.0.0.1 only (docs/benchmarks.md). Needs wrk and curl (Debian: wrk, curl).
#   scripts/bench-load.sh target/release/prongsai [SECONDS] [PAGE]
# PAGE defaults to the organization's public home page /o/mae-khatuan/.
set -euo pipefail
bin=$(realpath "${1:?usage: bench-load.sh PATH/TO/prongsai [SECONDS] [PAGE]}")
secs=${2:-30}
page=${3:-/o/mae-khatuan/}
port=${BENCH_PORT:-18080}
base=http://127.0.0.1:$port
dir=$(mktemp -d)
export DATABASE_URL="sqlite://$dir/bench.db" PRONGSAI_LOG=warn
"$bin" demo load >/dev/null
"$bin" serve --bind "127.0.0.1:$port" >/dev/null 2>"$dir/serve.log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
until curl -fs "$base/healthz" >/dev/null; do sleep 0.2; done

# One login form's CSRF pair (cookie and field), reused by every login of the run.
form=$(curl -s -c "$dir/jar" "$base/login")
csrf=$(grep -o 'name="_csrf" value="[^"]*"' <<<"$form" | sed 's/.*value="//; s/"$//')
cookie=$(awk '$6 == "prongsai_login_csrf" { print $6 "=" $7 }' "$dir/jar")
cat >"$dir/login.lua" <<EOF
wrk.method = "POST"
wrk.body = "_csrf=$csrf&username=admin&password=prongsai-demo-2566"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "$cookie"
EOF
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" --data "_csrf=$csrf&username=admin&password=prongsai-demo-2566" "$base/login")
[ "$code" = 303 ] || { echo "a bench login answered $code, not 303" >&2; exit 1; }

echo "== $page alone, 1 client, ${secs}s"
wrk -t1 -c1 -d"${secs}s" --latency "$base$page" | grep -E 'Latency|50%|90%|99%|Requests/sec'
echo "== $page while 8 clients log in and 4 download the lending manual PDF, ${secs}s"
wrk -t2 -c8 -d"$((secs + 4))s" -s "$dir/login.lua" "$base/login" >"$dir/logins.txt" &
logins=$!
wrk -t1 -c4 -d"$((secs + 4))s" "$base/o/mae-khatuan/lending/manual.pdf" >"$dir/pdfs.txt" &
pdfs=$!
sleep 2
wrk -t1 -c1 -d"${secs}s" --latency "$base$page" | grep -E 'Latency|50%|90%|99%|Requests/sec'
wait $logins $pdfs
echo "-- logins (8 clients):"; grep -E 'Requests/sec|Non-2xx|Socket errors|Latency' "$dir/logins.txt"
echo "-- manual PDFs (4 clients):"; grep -E 'Requests/sec|Non-2xx|Socket errors|Latency' "$dir/pdfs.txt"
