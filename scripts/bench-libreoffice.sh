#!/usr/bin/env bash
# Times `soffice --headless --convert-to pdf` on one DOCX: the baseline that docs/benchmarks.md
# compares the in-process PDF against.
#
#   scripts/bench-libreoffice.sh report.docx [runs]     (runs defaults to 5)
#
# Each run is a new soffice process, as a server converting one upload would start. A private
# profile keeps the user's own LibreOffice settings out; it is created by an untimed warm-up
# run. FONTCONFIG_FILE defaults to assets/fonts/fonts.conf (system fonts + shipped Sarabun).
# Needs: libreoffice-writer-nogui.
set -euo pipefail

docx=${1:?usage: $0 report.docx [runs]}
runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
export FONTCONFIG_FILE=${FONTCONFIG_FILE:-$root/assets/fonts/fonts.conf}
command -v soffice >/dev/null || { echo "soffice not found: install libreoffice-writer-nogui (see .ci/run)" >&2; exit 1; }
[ -r "$docx" ] || { echo "cannot read $docx" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$docx" "$work/in.docx"

convert() {
    soffice "-env:UserInstallation=file://$work/profile" --headless \
        --convert-to pdf --outdir "$work/out" "$work/in.docx" >/dev/null 2>"$work/err" \
        || { cat "$work/err" >&2; exit 1; }
    [ -s "$work/out/in.pdf" ] || { echo "soffice wrote no PDF" >&2; cat "$work/err" >&2; exit 1; }
    rm -f "$work/out/in.pdf"
}

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

t0=$(now); convert; t1=$(now)
echo "warm-up (creates the profile): $(secs "$t0" "$t1") s"

times=()
for i in $(seq "$runs"); do
    t0=$(now); convert; t1=$(now)
    t=$(secs "$t0" "$t1")
    times+=("$t")
    echo "run $i: $t s"
done

printf '%s\n' "${times[@]}" | awk -v n="$runs" -v f="$docx" '
    NR == 1 { min = $1; max = $1 }
    { sum += $1; if ($1 < min) min = $1; if ($1 > max) max = $1 }
    END { printf "%s, %d runs: min %.3f s, mean %.3f s, max %.3f s\n", f, n, min, sum / n, max }'
