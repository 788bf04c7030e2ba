#!/usr/bin/env bash
# The server's memory around a large PDF, end to end (issue 13: RSS back under 100 MB after a
# 1,000-measure report): the demo organization on SQLite, the seed's measures copied N/3 times
# into the year after the seed's (straight into the database, as `bench populate` does: a bench
# only); then a server started on it, as after a restart: the seed's draft PDF fetched over HTTP as
# the demo admin, the N-measure draft PDF, then the seed's twelve times. Prints the server's VmRSS
# (= RssAnon + RssFile) and peak VmHWM at each step. The seed's measures are denser than a typical
# register (1,000 copies hold 1.5 million characters), so the server's limit on characters typeset
# online (PRONGSAI_RENDER_MAX_CHARS, 1,000,000 by default) is raised for this run.
#
#   scripts/bench-memory.sh PATH/TO/prongsai [N=1000]
#
# Needs curl and python3 (its sqlite3 module). Everything lives in a temporary directory that is
# removed at the end.
set -euo pipefail

bin=$(realpath "${1:?usage: bench-memory.sh PATH/TO/prongsai [N]}")
n=${2:-1000}
port=${BENCH_PORT:-18190}
base=http://127.0.0.1:$port
dir=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"

memory() {
    awk '/^VmRSS|^RssAnon|^RssFile|^VmHWM/ { printf "%s %d MB  ", $1, $2 / 1024 }' "/proc/$server/status"
    echo
}

start() {
    PRONGSAI_RENDER_MAX_CHARS=5000000 "$bin" serve "$@" --bind "127.0.0.1:$port" >>"$dir/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do curl -fs -o /dev/null "$base/" && break; sleep 0.1; done
}
start --demo
echo "prongsai $("$bin" --version 2>/dev/null || true), $n measures, $(date -u '+%F %H:%M UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "the server that created the demo (its documents typeset in it): $(memory)"
kill -TERM "$server" && wait "$server" || true
server=""
python3 - "$dir/data/prongsai.db" "$n" <<'PY'
import sqlite3, sys
db, n = sqlite3.connect(sys.argv[1]), int(sys.argv[2])
def columns(table):
    return [c[1] for c in db.execute(f"PRAGMA table_info({table})") if c[1] != "id"]
def copy(table, where, args, **set_to):
    cols = columns(table)
    values = ", ".join("?" if c in set_to else c for c in cols)
    sql = f"INSERT INTO {table} ({', '.join(cols)}) SELECT {values} FROM {table} WHERE {where}"
    ordered = [set_to[c] for c in cols if c in set_to]
    return db.execute(sql, ordered + list(args)).lastrowid
org = db.execute("SELECT id FROM orgs WHERE slug = 'mae-khatuan'").fetchone()[0]
seed = [r[0] for r in db.execute(
    "SELECT id FROM measures WHERE org_id = ? AND fiscal_year = 2566 ORDER BY position", (org,))]
copy("measure_reports", "org_id = ? AND fiscal_year = 2566", [org], fiscal_year=2567)
for i in range(n):
    old = seed[i % len(seed)]
    new = copy("measures", "id = ?", [old], fiscal_year=2567, position=i + 1)
    for table in ("measure_items", "measure_indicators", "measure_divisions"):
        copy(table, "measure_id = ?", [old], measure_id=new)
db.commit()
PY
start

jar="$dir/cookies"
csrf=$(curl -fs -c "$jar" "$base/login?org=mae-khatuan" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode org=mae-khatuan \
    --data-urlencode username=admin --data-urlencode password=prongsai-demo-2566 "$base/login"
fetch() {
    rm -f "$dir/out.pdf"
    curl -s -b "$jar" -o "$dir/out.pdf" -w '%{http_code}, %{size_download} bytes in %{time_total} s' \
        "$base/app/measures/report?year=$1&format=pdf"
    head -c 5 "$dir/out.pdf" | grep -q '%PDF-' || { echo " year $1: not a PDF" >&2; exit 1; }
}

echo "after a restart:              $(memory)"
echo "seed draft PDF: $(fetch 2566)"
echo "after the seed's PDF:         $(memory)"
echo "$n-measure draft PDF: $(fetch 2567)"
sleep 1
echo "after the $n-measure PDF:   $(memory)"
for _ in $(seq 1 12); do fetch 2566 >/dev/null; done
echo "after 12 more seed PDFs:      $(memory)"
