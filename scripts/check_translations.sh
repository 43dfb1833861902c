#!/usr/bin/env bash
# Fails when a translatable message has no Persian translation, a translation is fuzzy, or the compiled
# catalogue (.mo) is not the compilation of the .po. With --update, refreshes the .po and compiles it.
set -euo pipefail
cd "$(dirname "$0")/../src/revive"
REVIVE=../../.venv/bin/revive
PO=locale/fa/LC_MESSAGES/django.po
MO=locale/fa/LC_MESSAGES/django.mo
export REVIVE_DEBUG=1
if [ "${1:-}" != "--update" ]; then
  # The committed .mo must be what the committed .po compiles to.
  tmp=$(mktemp -d)
  msgfmt --check -o "$tmp/fresh.mo" "$PO"
  if ! diff <(msgunfmt "$tmp/fresh.mo") <(msgunfmt "$MO") >/dev/null; then
    echo "translations: $MO is stale; run scripts/check_translations.sh --update" >&2
    exit 1
  fi
fi
backup=$(mktemp)
cp "$PO" "$backup"
[ "${1:-}" = "--update" ] || trap 'cp "$backup" "$PO"' EXIT  # a check leaves the .po as it found it
$REVIVE makemessages -l fa --no-obsolete --no-location --no-wrap -i "tests/*" -i "planning/engine/*" >/dev/null
untranslated=$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$PO" | grep -c '^msgid ' || true)
if [ "${1:-}" = "--update" ]; then
  $REVIVE compilemessages -l fa >/dev/null
  echo "translations: updated; $untranslated untranslated, $fuzzy fuzzy"
  exit 0
fi
# msgattrib prints the header entry too when it lists anything.
if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
  echo "translations: messages without a Persian translation or fuzzy:" >&2
  msgattrib --untranslated --no-obsolete "$PO" | grep '^msgid ' >&2 || true
  msgattrib --only-fuzzy --no-obsolete "$PO" | grep '^msgid ' >&2 || true
  exit 1
fi
echo "translations: complete"
