#!/usr/bin/env bash
# Runs every test: unit, HTTP integration (real server, real database) and document checks with
# real readers (pdftotext/pdffonts from poppler-utils, LibreOffice for the DOCX) and a real browser
# (headless Chromium driven over WebDriver).
# PostgreSQL runs too when TEST_DATABASE_URL is set, e.g.
#   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
# The survey's XLSX export is opened by LibreOffice Calc in its test.
[ -e /usr/lib/libreoffice/program/libsclo.so ] || need+=(libreoffice-calc-nogui)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
# The browser test (tests/http/browser.rs) drives a headless Chromium through chromedriver.
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
# pg_dump/pg_restore for the backup and restore tests.
command -v pg_restore >/dev/null 2>&1 || need+=(postgresql-client)
# The failover test starts its own primary and standby (initdb, pg_ctl, pg_basebackup).
if [ -n "${TEST_DATABASE_URL:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
  && ! command -v initdb >/dev/null 2>&1; then
  need+=(postgresql)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing the tools the tests use: ${need[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# PostgreSQL test databases get a Thai ICU collation unless TEST_DATABASE_ICU_LOCALE says otherwise
# (empty: the server's default), so that ordering left to the database shows up as a failure.
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  case "${CI:-}" in
    "" | 0 | false | FALSE | False) ;;
    *) echo "error: CI is set but TEST_DATABASE_URL is not: the PostgreSQL half of the suite cannot run." >&2; exit 1 ;;
  esac
  echo "note: TEST_DATABASE_URL is not set: the PostgreSQL half of the suite will be SKIPPED (SQLite runs)."
  engines="SQLite only; PostgreSQL SKIPPED (TEST_DATABASE_URL not set)"
else
  shown_url=$(printf '%s' "$TEST_DATABASE_URL" | sed -E 's#://([^:@/]*):[^@]*@#://\1:***@#')
  engines="SQLite and PostgreSQL ($shown_url, test databases with ICU collation '${TEST_DATABASE_ICU_LOCALE-th-TH}')"
fi
status=0
cargo test --all-targets "$@" || status=$?
echo "== engines tested: $engines; result: $([ "$status" -eq 0 ] && echo passed || echo FAILED)"
exit "$status"
