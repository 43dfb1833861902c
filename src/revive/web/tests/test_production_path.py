"""The production path: behind a TLS proxy, configuration errors, and the demo's local settings file."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[4]
SECRET = "a-real-secret-for-this-test-only-0123456789"
HOST = "revive.example.ir"

_PROXY_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client

client = Client(enforce_csrf_checks=True, HTTP_HOST="%(host)s")
token = "a" * 32
client.cookies[settings.CSRF_COOKIE_NAME] = token
response = client.post(
    "/i18n/setlang/",
    {"language": "en", "next": "/", "csrfmiddlewaretoken": token},
    HTTP_X_FORWARDED_PROTO="https",
    HTTP_ORIGIN="https://%(host)s",
    HTTP_REFERER="https://%(host)s/login/",
)
print(json.dumps({"status": response.status_code, "hsts": response.get("Strict-Transport-Security", "")}))
"""


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REVIVE_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        REVIVE_HOME=str(tmp_path),  # no var/local.env there unless the test writes one
        REVIVE_DATABASE_URL=f"sqlite:///{tmp_path}/none.sqlite3",
    )
    env.update(extra)
    return env


def _probe(tmp_path, **extra) -> dict:
    env = _env(tmp_path, REVIVE_SECRET_KEY=SECRET, REVIVE_ALLOWED_HOSTS=HOST, **extra)
    code = _PROXY_PROBE % {"host": HOST}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.own_database
def test_behind_a_proxy_an_https_form_passes_csrf_and_hsts_is_sent(tmp_path):
    answer = _probe(tmp_path, REVIVE_BEHIND_PROXY="1")
    assert answer["status"] == 302
    assert answer["hsts"].startswith("max-age=31536000")


@pytest.mark.own_database
def test_without_the_setting_the_forwarded_scheme_is_not_trusted(tmp_path):
    """What the issue saw: the https origin does not match a request Django believes is http."""
    answer = _probe(tmp_path)
    assert answer["status"] == 403 and answer["hsts"] == ""


def _revive(tmp_path, *args, **extra):
    return subprocess.run(
        [sys.executable, "-m", "revive", *args], env=_env(tmp_path, **extra), capture_output=True, text=True
    )


@pytest.mark.own_database
@pytest.mark.parametrize(
    "extra, variable",
    [
        ({}, "REVIVE_SECRET_KEY"),
        ({"REVIVE_DEBUG": "maybe"}, "REVIVE_DEBUG"),
        ({"REVIVE_DEBUG": "1", "REVIVE_PORT": "eighty"}, "REVIVE_PORT"),
        (
            {"REVIVE_DEBUG": "1", "REVIVE_DATABASE_URL": "postgres://revive@db:port/revive"},
            "REVIVE_DATABASE_URL",
        ),
        ({"REVIVE_DEBUG": "1", "REVIVE_DATABASE_URL": "mysql://revive@db/revive"}, "REVIVE_DATABASE_URL"),
        ({"REVIVE_DEBUG": "1", "REVIVE_BEHIND_PROXY": "perhaps"}, "REVIVE_BEHIND_PROXY"),
    ],
)
def test_a_configuration_error_is_one_line_naming_the_variable_and_exit_2(tmp_path, extra, variable):
    done = _revive(tmp_path, "check", **extra)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0], done.stderr


def _settings_seen(tmp_path, **extra) -> dict:
    code = "from django.conf import settings; import json; print(json.dumps([settings.DEBUG, settings.SECRET_KEY]))"
    done = _revive(tmp_path, "shell", "-c", code, **extra)
    assert done.returncode == 0, done.stderr
    debug, key = json.loads(done.stdout.strip().splitlines()[-1])
    return {"DEBUG": debug, "SECRET_KEY": key}


@pytest.mark.own_database
def test_make_demo_writes_local_settings_the_revive_command_reads(tmp_path):
    made = subprocess.run(
        ["make", "-s", "-C", str(tmp_path), "-f", str(PROJECT_DIR / "Makefile"), "var/local.env"],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    local = tmp_path / "var" / "local.env"
    assert local.stat().st_mode & 0o777 == 0o600
    text = local.read_text()
    key = next(line.split("=", 1)[1] for line in text.splitlines() if line.startswith("REVIVE_SECRET_KEY="))
    assert len(key) >= 50 and "REVIVE_DEBUG=1" in text
    # The same shell after `make demo`: nothing set, the command works with the file's settings.
    assert _settings_seen(tmp_path) == {"DEBUG": True, "SECRET_KEY": key}
    # A server sets its environment: then the file is not read at all (no debug sneaks in).
    assert _settings_seen(tmp_path, REVIVE_SECRET_KEY=SECRET) == {"DEBUG": False, "SECRET_KEY": SECRET}
    # The environment wins over the file for what it sets.
    local.write_text(text.replace(key, "from-the-file-" + "x" * 40))
    assert _settings_seen(tmp_path, REVIVE_DEBUG="1")["SECRET_KEY"].startswith("from-the-file-")


@pytest.mark.own_database
def test_a_bad_local_settings_line_is_a_configuration_error(tmp_path):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "local.env").write_text("DEBUG=1\n")
    done = _revive(tmp_path, "check")
    assert done.returncode == 2 and "local.env, line 1" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.django_db
def test_create_admin_makes_a_national_administrator_who_sees_the_pages(client, world, monkeypatch):
    from django.core.management import call_command

    from revive.accounts.models import User
    from revive.core.models import AuditEvent

    monkeypatch.setenv("REVIVE_ADMIN_PASSWORD", "a-long-admin-passphrase")
    call_command("create_admin", "chief", "--email", "chief@example.ir")
    chief = User.objects.get(username="chief")
    assert chief.role == "national_admin" and chief.is_superuser and chief.is_staff
    assert AuditEvent.objects.filter(action="user_create", object_id=str(chief.pk)).exists()
    assert client.login(username="chief", password="a-long-admin-passphrase")
    assert client.get("/overview/").status_code == 200


@pytest.mark.django_db
def test_a_createsuperuser_account_gets_its_role_from_create_admin(client, world):
    from django.core.management import call_command

    from revive.accounts.models import User

    User.objects.create_superuser("root", "root@example.ir", "a-long-admin-passphrase")
    client.login(username="root", password="a-long-admin-passphrase")
    assert client.get("/overview/").status_code == 404  # what the issue saw: no role, no pages
    call_command("create_admin", "root")
    assert client.get("/overview/").status_code == 200
    assert User.objects.get(username="root").check_password("a-long-admin-passphrase")  # kept


@pytest.mark.django_db
def test_create_admin_refuses_a_weak_password(world, monkeypatch):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    monkeypatch.setenv("REVIVE_ADMIN_PASSWORD", "short")
    with pytest.raises(CommandError):
        call_command("create_admin", "chief")


def test_only_the_files_pages_use_are_found():
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/vazirmatn/Vazirmatn-Variable-font-face.css")
    assert finders.find("vendor/vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2")
    assert finders.find("vendor/htmx/htmx.min.js") and finders.find("revive/app.css")
    for junk in ("README.md", "CHANGELOG.md", "package.json", "fonts/ttf/Vazirmatn-Bold.ttf", "misc/x"):
        assert finders.find(f"vendor/vazirmatn/{junk}") is None
    assert finders.find("vendor/htmx/htmx.js") is None


_STATIC_PROBE = """
import json
import django
django.setup()
from django.templatetags.static import static
from django.test import Client

client = Client()
css = static("revive/app.css")
font_css = static("vendor/vazirmatn/Vazirmatn-Variable-font-face.css")
answers = {url: client.get(url) for url in (css, font_css, "/static/vendor/vazirmatn/README.md",
                                            "/static/vendor/vazirmatn/CHANGELOG.md")}
print(json.dumps({"css": css, "font_css": font_css,
                  "answers": {u: [r.status_code, r.get("Cache-Control", "")] for u, r in answers.items()},
                  "font_body": b"".join(answers[font_css].streaming_content).decode()}))
"""


@pytest.mark.own_database
def test_collected_static_files_are_hashed_cached_for_a_year_and_only_what_pages_use(tmp_path):
    (tmp_path / "node_modules").symlink_to(PROJECT_DIR / "node_modules")
    env = _env(tmp_path, REVIVE_SECRET_KEY=SECRET, REVIVE_ALLOWED_HOSTS="testserver")
    collected = subprocess.run(
        [sys.executable, "-m", "revive", "collectstatic", "--noinput"], env=env, capture_output=True, text=True
    )
    assert collected.returncode == 0, collected.stderr
    done = subprocess.run([sys.executable, "-c", _STATIC_PROBE], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["css"].startswith("/static/revive/app.") and seen["css"] != "/static/revive/app.css"
    status, cache_control = seen["answers"][seen["css"]]
    assert status == 200 and "immutable" in cache_control and "max-age=315360000" in cache_control
    assert "Vazirmatn[wght]." in seen["font_body"]  # the font's own URL is hashed too
    assert seen["answers"]["/static/vendor/vazirmatn/README.md"][0] == 404
    assert seen["answers"]["/static/vendor/vazirmatn/CHANGELOG.md"][0] == 404
    static_root = tmp_path / "var" / "static" / "vendor" / "vazirmatn"
    assert not (static_root / "README.md").exists() and not (static_root / "fonts" / "ttf").exists()


@pytest.mark.django_db(transaction=True)  # as core's backup tests: the copy sees committed rows
def test_a_backup_is_private_in_a_private_folder(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "backups" / "revive.sqlite3"
    old = os.umask(0o022)
    try:
        call_command("backup", str(target))
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.parent.stat().st_mode & 0o777 == 0o700
