"""The typed environment readers refuse bad values with a message naming the variable."""

from pathlib import Path

import pytest

from config.env import ConfigError, database_from_url, env_bool, env_int


def test_bad_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("REVIVE_DEBUG", "maybe")
    with pytest.raises(ConfigError, match="REVIVE_DEBUG"):
        env_bool("REVIVE_DEBUG")


def test_port_must_be_a_number_in_range(monkeypatch):
    monkeypatch.setenv("REVIVE_PORT", "eighty")
    with pytest.raises(ConfigError, match="REVIVE_PORT"):
        env_int("REVIVE_PORT", 8000, minimum=1, maximum=65535)
    monkeypatch.setenv("REVIVE_PORT", "70000")
    with pytest.raises(ConfigError, match="between"):
        env_int("REVIVE_PORT", 8000, minimum=1, maximum=65535)


def test_database_urls():
    sqlite = database_from_url("sqlite:///var/x.sqlite3", base_dir=Path("/srv/revive"))
    assert sqlite["NAME"] == "/srv/revive/var/x.sqlite3" and "WAL" in sqlite["OPTIONS"]["init_command"]
    pg = database_from_url("postgres://postgres:s%40cret@127.0.0.1:5432/revive", base_dir=Path("/"))
    assert (pg["ENGINE"], pg["NAME"], pg["PASSWORD"], pg["PORT"]) == (
        "django.db.backends.postgresql",
        "revive",
        "s@cret",
        "5432",
    )
    assert pg["OPTIONS"]["options"] == "-c jit=off"  # short queries: compiling them costs more than it saves
    mine = database_from_url("postgres://u@h/revive?options=-c%20work_mem%3D64MB", base_dir=Path("/"))
    assert mine["OPTIONS"]["options"] == "-c work_mem=64MB"  # the URL's own options are kept
    with pytest.raises(ConfigError, match="unsupported"):
        database_from_url("mysql://x/y", base_dir=Path("/"))


def test_missing_secret_key_outside_debug_stops_start_up():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("REVIVE_SECRET_KEY", "REVIVE_DEBUG")}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "REVIVE_SECRET_KEY is required" in result.stderr
