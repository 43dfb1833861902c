#!/usr/bin/env bash
# Perform docs/deployment.md on a Debian 12 machine, then check over https in Chromium that sign-in, a
# form, an upload, static files, a backup and a restore work. Run as root. Not run by CI.
#
#   bash scripts/deploy_check.sh            # the guide's names: user revive, /srv/revive, ports 443/8000
#   SVC=revivecheck ROOT=/srv/revivecheck HTTPS_PORT=8443 APP_PORT=8291 DB=revive_check \
#     PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres bash scripts/deploy_check.sh   # beside others
#
# Every step prints; the end is one line per check and the exit code is the number of failed checks.
set -uo pipefail
REPO=${REPO:-$(cd "$(dirname "$0")/.." && pwd)}        # what to clone (a path or a URL)
SVC=${SVC:-revive}                                      # the service user
ROOT=${ROOT:-/srv/$SVC}
APP=$ROOT/app
ENV_FILE=${ENV_FILE:-/etc/$SVC.env}
HOST=${HOST:-revive.test}
HTTPS_PORT=${HTTPS_PORT:-443}
HTTP_PORT=${HTTP_PORT:-80}                              # nginx's redirect to https
APP_PORT=${APP_PORT:-8000}
DB=${DB:-revive}
DB_PASSWORD=${DB_PASSWORD:-$(python3 -c 'import secrets; print(secrets.token_hex(16))')}
PG_ADMIN_URL=${PG_ADMIN_URL:-}                          # empty: runuser -u postgres -- psql (the guide)
ADMIN=${ADMIN:-chief}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(16))')}
CHECK_PYTHON=${CHECK_PYTHON:-}                          # a Python with playwright; empty: the app's venv
SKIP_APT=${SKIP_APT:-0}
declare -a RESULTS=()
FAILED=0

say() { printf '\n== %s\n' "$*"; }
check() {  # check NAME COMMAND...: run, record PASS/FAIL
  local name=$1; shift
  if "$@"; then RESULTS+=("PASS  $name"); else RESULTS+=("FAIL  $name"); FAILED=$((FAILED + 1)); fi
}
psql_admin() {
  if [ -n "$PG_ADMIN_URL" ]; then psql "$PG_ADMIN_URL" -v ON_ERROR_STOP=1 -qAt "$@"
  else runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt "$@"; fi
}
# The guide's files (deploy/ in the repository, which docs/deployment.md shows) with this run's names;
# with the default names nothing but the host name changes.
localise() {
  sed -e "s|/srv/revive|$ROOT|g; s|/etc/revive.env|$ENV_FILE|g; s|User=revive|User=$SVC|; s|Group=revive|Group=$SVC|" \
      -e "s|runuser -u revive|runuser -u $SVC|; s|' revive \"|' $SVC \"|; s|127.0.0.1:8000|127.0.0.1:$APP_PORT|" \
      -e "s|revive.example.ir|$HOST|g; s|/etc/ssl/revive/|/etc/ssl/$SVC/|g; s|listen 443 |listen $HTTPS_PORT |" \
      -e "s|listen 80;|listen $HTTP_PORT;|; s|upstream revive |upstream $SVC |; s|http://revive;|http://$SVC;|" "$1"
}
manage() { "/usr/local/sbin/$SVC-manage" "$@"; }  # the guide's wrapper, installed in step 4
UNITS=/etc/systemd/system
SYSTEMD=0; [ "$(ps -p 1 -o comm=)" = systemd ] && SYSTEMD=1
run_unit() {  # run_unit NAME [--pid FILE --log FILE]: systemctl start, or the unit file read and run as systemd would
  local name=$1; shift
  if [ "$SYSTEMD" = 1 ]; then systemctl start "$name"
  else python3 "$APP/scripts/run_unit.py" "$UNITS/$name" "$@"; fi
}

say "1. system packages"
# command -> Debian package (nodejs from NodeSource carries npm itself: only what is missing is installed)
declare -A PACKAGE=([git]=git [make]=make [node]=nodejs [npm]=npm [psql]=postgresql-client [nginx]=nginx
  [chromium]=chromium [openssl]=openssl)
missing=()
for tool in "${!PACKAGE[@]}"; do command -v "$tool" >/dev/null || missing+=("${PACKAGE[$tool]}"); done
python3 -c "import venv, ensurepip" 2>/dev/null || missing+=(python3-venv)
ldconfig -p | grep -q libpangoft2-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "${#missing[@]}" -gt 0 ] && [ "$SKIP_APT" != 1 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi
for tool in "${!PACKAGE[@]}"; do command -v "$tool" >/dev/null || { echo "missing: $tool"; exit 100; }; done
echo "all there: ${!PACKAGE[*]}, python3-venv, Pango"

say "2. the service user and the application, as $SVC"
id "$SVC" >/dev/null 2>&1 || adduser --system --group --home "$ROOT" "$SVC"
install -d -m 0750 -o "$SVC" -g "$SVC" "$ROOT"
if [ -d "$APP/.git" ]; then
  runuser -u "$SVC" -- git -C "$APP" pull -q
else
  install -d -m 0750 -o "$SVC" -g "$SVC" "$APP"
  for dir in "$REPO" "$REPO/.git"; do  # a local clone by another user (this machine's own check)
    [ -d "$dir" ] && { git config --system --get-all safe.directory | grep -qx "$dir" || git config --system --add safe.directory "$dir"; }
  done
  runuser -u "$SVC" -- git clone -q "$REPO" "$APP"
fi
(cd "$APP" && runuser -u "$SVC" -- make install PYTHON=/usr/bin/python3) || { echo "make install failed"; exit 101; }

say "3. PostgreSQL: role and database $DB"
psql_admin -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB') THEN CREATE ROLE $DB LOGIN; END IF; END\$\$;"
psql_admin -c "ALTER ROLE $DB PASSWORD '$DB_PASSWORD'"
for name in "$DB" "${DB}_restore"; do
  psql_admin -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" && psql_admin -c "CREATE DATABASE $name OWNER $DB"
done
PGHOST=$(python3 -c "from urllib.parse import urlsplit; print(urlsplit('${PG_ADMIN_URL:-postgres://x@127.0.0.1:5432/x}').hostname)")
PGPORT=$(python3 -c "from urllib.parse import urlsplit; print(urlsplit('${PG_ADMIN_URL:-postgres://x@127.0.0.1:5432/x}').port or 5432)")
DB_URL="postgres://$DB:$DB_PASSWORD@$PGHOST:$PGPORT/$DB"

say "4. $ENV_FILE (root:$SVC 0640)"
install -m 0640 -o root -g "$SVC" /dev/null "$ENV_FILE"
cat > "$ENV_FILE" <<ENV
REVIVE_SECRET_KEY=$(python3 -c "import secrets; print(secrets.token_urlsafe(50))")
REVIVE_DATABASE_URL=$DB_URL
REVIVE_ALLOWED_HOSTS=$HOST
REVIVE_HOME=$APP
REVIVE_BEHIND_PROXY=1
REVIVE_LOG_LEVEL=WARNING
ENV
localise "$APP/deploy/revive-manage" > "/usr/local/sbin/$SVC-manage" && chmod 0755 "/usr/local/sbin/$SVC-manage"
echo "/usr/local/sbin/$SVC-manage from deploy/revive-manage"

say "5. first start, as $SVC (through $SVC-manage)"
manage migrate --noinput -v0 && manage load-reference && manage collectstatic --noinput -v0 || { echo "first start failed"; exit 102; }
REVIVE_ADMIN_PASSWORD=$ADMIN_PASSWORD manage create-admin "$ADMIN"
check "files under $ROOT belong to $SVC" test -z "$(find "$ROOT" ! -user "$SVC" -print -quit)"

say "6. the systemd units from deploy/systemd: gunicorn, the worker, the backup and its timer"
for unit in revive.service revive-worker.service revive-backup.service revive-backup.timer; do
  localise "$APP/deploy/systemd/$unit" > "$UNITS/${unit/revive/$SVC}"
done
INSTALLED=("$UNITS/$SVC.service" "$UNITS/$SVC-worker.service" "$UNITS/$SVC-backup.service" "$UNITS/$SVC-backup.timer")
VERIFY=$(systemd-analyze verify "${INSTALLED[@]}" 2>&1); VERIFIED=$?
echo "systemd-analyze verify: exit $VERIFIED${VERIFY:+, said: $VERIFY}"
check "the four unit files pass systemd-analyze verify, with no warning" test "$VERIFIED" = 0 -a -z "$VERIFY"
ON_CALENDAR=$(sed -n 's/^OnCalendar=//p' "$UNITS/$SVC-backup.timer")
NEXT=$(systemd-analyze calendar "$ON_CALENDAR" 2>&1); echo "$NEXT"
check "the backup timer ($ON_CALENDAR) falls at 23:00 UTC, 02:30 in Tehran" \
  grep -q "Next elapse: .* 23:00:00 UTC" <<<"$NEXT"
if [ "$SYSTEMD" = 1 ]; then
  systemctl daemon-reload && systemctl enable -q --now "$SVC" "$SVC-worker" "$SVC-backup.timer"
  systemctl restart "$SVC" "$SVC-worker"
else  # no systemd as PID 1 (a container): the installed unit files are read and run as systemd would
  echo "(systemd is not PID 1 here: $SVC.service and $SVC-worker.service are run by scripts/run_unit.py;"
  echo " enabling, Restart=, PrivateTmp= and the timer itself are not exercised)"
  for name in "$SVC" "$SVC-worker"; do
    [ -f "/run/$name.pid" ] && kill "$(cat "/run/$name.pid")" 2>/dev/null && sleep 2
    run_unit "$name.service" --pid "/run/$name.pid" --log "/var/log/$name.log"
  done
fi
sleep 6

say "7. nginx with a self-signed certificate on $HOST:$HTTPS_PORT"
install -d -m 0755 "/etc/ssl/$SVC"
[ -f "/etc/ssl/$SVC/privkey.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$HOST" \
  -addext "subjectAltName=DNS:$HOST" -keyout "/etc/ssl/$SVC/privkey.pem" -out "/etc/ssl/$SVC/fullchain.pem" 2>/dev/null
chmod 0600 "/etc/ssl/$SVC/privkey.pem"
localise "$APP/deploy/nginx/revive" > "/etc/nginx/sites-available/$SVC"
ln -sf "../sites-available/$SVC" "/etc/nginx/sites-enabled/$SVC"
nginx -t -q && { nginx -s reload 2>/dev/null || nginx; }
sleep 1
BIG=$(mktemp); head -c $((51 * 1024 * 1024)) /dev/zero > "$BIG"  # over the import limit, under nginx's
BIG_STATUS=$(curl -sk -o /dev/null -w '%{http_code}' --resolve "$HOST:$HTTPS_PORT:127.0.0.1" \
  -F "file=@$BIG;filename=big.csv" "https://$HOST:$HTTPS_PORT/imports/"); rm -f "$BIG"
check "a 51 MB upload reaches the application, not nginx's 413 ($BIG_STATUS)" test "$BIG_STATUS" != 413 -a "$BIG_STATUS" != 000
REDIRECT=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H "Host: $HOST" "http://127.0.0.1:$HTTP_PORT/login/")
check "http answers a redirect to https ($REDIRECT)" test "$REDIRECT" = "301 https://$HOST/login/"

say "8. backup (the $SVC-backup unit, as its timer starts it) and restore, as $SVC"
install -d -m 0700 -o "$SVC" -g "$SVC" "$ROOT/backups"
OLD=$ROOT/backups/revive-20000101.dump  # older than the 14 days the unit keeps
runuser -u "$SVC" -- sh -c "umask 077 && echo old > '$OLD'" && touch -d '20 days ago' "$OLD"
rm -f "$ROOT/backups/revive-$(date +%Y%m%d).dump"
run_unit "$SVC-backup.service"
DUMP=$(ls -t "$ROOT"/backups/revive-*.dump 2>/dev/null | head -1)
echo "the unit wrote: ${DUMP:-nothing}"
check "backup unit: a 0600 file owned by $SVC in a 0700 folder" \
  test "$(stat -c '%a %U' "$DUMP" 2>&1) $(stat -c %a "$ROOT/backups")" = "600 $SVC 700"
check "backup unit: a dump older than 14 days is deleted" test ! -e "$OLD"
# The guide's upgrade starts with a backup through revive-manage (it once loaded no environment and
# fell back to an empty SQLite file): it must be this PostgreSQL database, private.
BEFORE=$ROOT/backups/before-upgrade-$(date +%Y%m%d).dump
manage backup "$BEFORE"
check "upgrade's backup through $SVC-manage: PostgreSQL's dump, 0600" \
  test "$(head -c 5 "$BEFORE" 2>&1) $(stat -c %a "$BEFORE" 2>&1)" = "PGDMP 600"
rm -f "$BEFORE"
USERS=$(manage shell -c "from revive.accounts.models import User; print(User.objects.count())" 2>/dev/null | tail -1)
runuser -u "$SVC" -- sh -c "cd '$APP' && set -a && . '$ENV_FILE' && set +a && \
  REVIVE_DATABASE_URL='${DB_URL%/*}/${DB}_restore' .venv/bin/revive restore '$DUMP'"
RESTORED=$(runuser -u "$SVC" -- sh -c "cd '$APP' && set -a && . '$ENV_FILE' && set +a && \
  REVIVE_DATABASE_URL='${DB_URL%/*}/${DB}_restore' .venv/bin/revive shell -c 'from revive.accounts.models import User; print(User.objects.count())'" 2>/dev/null | tail -1)
check "restore gives back the users ($USERS = $RESTORED)" test -n "$USERS" -a "$USERS" = "$RESTORED"

say "9. Chromium over https"
# The browser's Python is the check's own, outside the installation (never the app's venv, which
# belongs to $SVC and holds what the guide installs).
PY=${CHECK_PYTHON:-/var/tmp/$SVC-check-venv/bin/python}
[ -x "$PY" ] || python3 -m venv "${PY%/bin/python}"
"$PY" -c "import playwright" 2>/dev/null || "$PY" -m pip install -q playwright
BROWSER_OUT=$(mktemp)
"$PY" "$APP/scripts/deploy_check_browser.py" "https://$HOST:$HTTPS_PORT" "$ADMIN" "$ADMIN_PASSWORD" | tee "$BROWSER_OUT"
check "the browser checks ran to the end" test "${PIPESTATUS[0]}" = 0
while read -r status name; do
  case $status in PASS|FAIL) check "$name" test "$status" = PASS ;; esac
done < <(grep -E '^(PASS|FAIL) ' "$BROWSER_OUT")

say "results"
printf '%s\n' "${RESULTS[@]}"
echo "$FAILED failed"
exit "$FAILED"
