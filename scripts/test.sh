#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL when REVIVE_TEST_DATABASE_URL is set.
# pytest's exit code 5 ("no tests collected") counts as a failure: a suite that runs nothing is not green.
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
echo "== tests on SQLite"
env -u REVIVE_DATABASE_URL "$BIN/pytest" "$@"
if [ -n "${REVIVE_TEST_DATABASE_URL:-}" ]; then
  echo "== tests on PostgreSQL ($REVIVE_TEST_DATABASE_URL)"
  REVIVE_DATABASE_URL="$REVIVE_TEST_DATABASE_URL" "$BIN/pytest" "$@"
fi
