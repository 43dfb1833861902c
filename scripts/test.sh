#!/usr/bin/env bash
# The whole suite on SQLite and, when REVIVE_TEST_DATABASE_URL is set, on PostgreSQL at the same time (two
# pytest processes, one per database: each test keeps its files in its own tmp_path, see conftest.py). Each
# run writes its own log, printed whole once both have ended; the script fails if either run fails.
# pytest's exit code 5 ("no tests collected") counts as a failure: a suite that runs nothing is not green.
# REVIVE_TEST_SERIAL=1 runs them one after the other instead (as before), straight to the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
# Browser tests need Debian's Chromium; install it when we can (root with apt), never a downloaded browser.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1)) \
    || echo "warning: could not install chromium; browser tests will be skipped"
fi
# The PDF report (WeasyPrint) needs Pango; pdftotext (poppler-utils) lets the same-figures test read the PDF.
if { ! ldconfig -p | grep -q libpangoft2-1.0 || ! command -v pdftotext >/dev/null; } && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get install -y -q libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null 2>&1)) \
    || echo "warning: could not install pango/poppler; PDF tests will be skipped"
fi
sqlite() { env -u REVIVE_DATABASE_URL "$BIN/pytest" "$@"; }
postgres() { REVIVE_DATABASE_URL="$REVIVE_TEST_DATABASE_URL" "$BIN/pytest" "$@"; }

if [ -z "${REVIVE_TEST_DATABASE_URL:-}" ] || [ -n "${REVIVE_TEST_SERIAL:-}" ]; then
  echo "== tests on SQLite"
  sqlite "$@"
  if [ -n "${REVIVE_TEST_DATABASE_URL:-}" ]; then
    echo "== tests on PostgreSQL ($REVIVE_TEST_DATABASE_URL)"
    postgres "$@"
  fi
  exit 0
fi

logs=$(mktemp -d "${TMPDIR:-/tmp}/revive-tests.XXXXXX")
pids=()
stop() {  # on an early exit (Ctrl-C, a CI timeout): end both runs, the subshells and their pytest
  for pid in "${pids[@]}"; do pkill -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  rm -rf "$logs"
}
trap stop EXIT
# run NAME COMMAND...: the command's output to NAME.log, its exit code and seconds to NAME.rc.
run() {
  local name=$1 start=$SECONDS rc=0
  shift
  "$@" >"$logs/$name.log" 2>&1 || rc=$?
  echo "$rc $((SECONDS - start))" >"$logs/$name.rc"
}
run sqlite sqlite "$@" &
pids+=($!)
run postgres postgres "$@" &
pids+=($!)
wait "${pids[@]}"
pids=()
read -r sqlite_rc sqlite_s <"$logs/sqlite.rc"
read -r postgres_rc postgres_s <"$logs/postgres.rc"
echo "== tests on SQLite (exit $sqlite_rc, ${sqlite_s} s)"
cat "$logs/sqlite.log"
echo "== tests on PostgreSQL ($REVIVE_TEST_DATABASE_URL) (exit $postgres_rc, ${postgres_s} s)"
cat "$logs/postgres.log"
[ "$sqlite_rc" = 0 ] && [ "$postgres_rc" = 0 ]
