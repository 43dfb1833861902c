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
manage() {  # the guide's revive-manage, with this script's user, folder and env file
  runuser -u "$SVC" -- sh -c "cd '$APP' && set -a && . '$ENV_FILE' && set +a && umask 027 && exec .venv/bin/revive \"\$@\"" "$SVC" "$@"
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

say "5. first start, as $SVC"
manage migrate --noinput -v0 && manage load-reference && manage collectstatic --noinput -v0 || { echo "first start failed"; exit 102; }
REVIVE_ADMIN_PASSWORD=$ADMIN_PASSWORD runuser -u "$SVC" -w REVIVE_ADMIN_PASSWORD -- sh -c \
  "cd '$APP' && set -a && . '$ENV_FILE' && set +a && .venv/bin/revive create-admin '$ADMIN'"
check "files under $ROOT belong to $SVC" test -z "$(find "$ROOT" ! -user "$SVC" -print -quit)"

say "6. gunicorn and the worker"
if [ "$(ps -p 1 -o comm=)" = systemd ]; then
  sed -e "s|/srv/revive/app|$APP|g; s|User=revive|User=$SVC|; s|Group=revive|Group=$SVC|; s|/etc/revive.env|$ENV_FILE|; s|127.0.0.1:8000|127.0.0.1:$APP_PORT|" \
    > "/etc/systemd/system/$SVC.service" <<'UNIT'
[Unit]
Description=Revive (gunicorn)
After=network.target postgresql.service
[Service]
User=revive
Group=revive
UMask=0027
WorkingDirectory=/srv/revive/app
EnvironmentFile=/etc/revive.env
ExecStart=/srv/revive/app/.venv/bin/gunicorn config.wsgi:application --workers 2 --bind 127.0.0.1:8000 --timeout 60 --graceful-timeout 20 --access-logfile - --error-logfile -
ExecReload=/bin/kill -s HUP $MAINPID
Restart=on-failure
[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload && systemctl restart "$SVC"
else  # a container without systemd: the same command line, as the same user, in the background
  echo "(no systemd here: gunicorn and the worker are started directly, as $SVC)"
  for pidfile in "$ROOT/gunicorn.pid" "$ROOT/worker.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null; rm -f "$pidfile"
  done
  runuser -u "$SVC" -- sh -c "cd '$APP' && set -a && . '$ENV_FILE' && set +a && umask 027 && \
    exec .venv/bin/gunicorn config.wsgi:application --workers 2 --bind 127.0.0.1:$APP_PORT --timeout 60 \
    --graceful-timeout 20 --access-logfile '$ROOT/access.log' --error-logfile '$ROOT/error.log' \
    --pid '$ROOT/gunicorn.pid' --daemon"
  runuser -u "$SVC" -- sh -c "cd '$APP' && set -a && . '$ENV_FILE' && set +a && umask 027 && \
    .venv/bin/revive worker >'$ROOT/worker.log' 2>&1 & echo \$! > '$ROOT/worker.pid'"
fi
sleep 4

say "7. nginx with a self-signed certificate on $HOST:$HTTPS_PORT"
install -d -m 0755 "/etc/ssl/$SVC"
[ -f "/etc/ssl/$SVC/privkey.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$HOST" \
  -addext "subjectAltName=DNS:$HOST" -keyout "/etc/ssl/$SVC/privkey.pem" -out "/etc/ssl/$SVC/fullchain.pem" 2>/dev/null
chmod 0600 "/etc/ssl/$SVC/privkey.pem"
cat > "/etc/nginx/sites-available/$SVC" <<NGINX
upstream $SVC { server 127.0.0.1:$APP_PORT fail_timeout=0; }
server {
    listen $HTTPS_PORT ssl;
    server_name $HOST;
    ssl_certificate     /etc/ssl/$SVC/fullchain.pem;
    ssl_certificate_key /etc/ssl/$SVC/privkey.pem;
    client_max_body_size 55m;
    location / {
        proxy_pass http://$SVC;
        proxy_set_header Host \$http_host;
        proxy_set_header X-Forwarded-Proto \$scheme;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        proxy_read_timeout 75s;
        proxy_redirect off;
    }
}
NGINX
ln -sf "../sites-available/$SVC" "/etc/nginx/sites-enabled/$SVC"
nginx -t -q && { nginx -s reload 2>/dev/null || nginx; }
sleep 1

say "8. backup and restore, as $SVC"
install -d -m 0700 -o "$SVC" -g "$SVC" "$ROOT/backups"
DUMP=$ROOT/backups/$SVC-$(date +%Y%m%d).dump
manage backup "$DUMP"
check "backup file is 0600 in a 0700 folder" test "$(stat -c %a "$DUMP") $(stat -c %a "$ROOT/backups")" = "600 700"
USERS=$(manage shell -c "from revive.accounts.models import User; print(User.objects.count())" 2>/dev/null | tail -1)
runuser -u "$SVC" -- sh -c "cd '$APP' && set -a && . '$ENV_FILE' && set +a && \
  REVIVE_DATABASE_URL='${DB_URL%/*}/${DB}_restore' .venv/bin/revive restore '$DUMP'"
RESTORED=$(runuser -u "$SVC" -- sh -c "cd '$APP' && set -a && . '$ENV_FILE' && set +a && \
  REVIVE_DATABASE_URL='${DB_URL%/*}/${DB}_restore' .venv/bin/revive shell -c 'from revive.accounts.models import User; print(User.objects.count())'" 2>/dev/null | tail -1)
check "restore gives back the users ($USERS = $RESTORED)" test -n "$USERS" -a "$USERS" = "$RESTORED"

say "9. Chromium over https"
PY=${CHECK_PYTHON:-$APP/.venv/bin/python}
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
