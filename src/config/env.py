"""Typed readers for environment variables: a bad value stops start-up with a clear message."""

import os
from pathlib import Path


class ConfigError(Exception):
    """A setting is missing or wrong; the message names the variable. `revive` prints it on one line
    and exits 2."""


LOCAL_ENV = Path("var") / "local.env"


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines (blank lines and # comments skipped, optional quotes): the REVIVE_* ones."""
    found: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.removeprefix("export ").partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name.startswith("REVIVE_"):
            raise ConfigError(f"{path}, line {number}: expected REVIVE_NAME=value, not {line[:40]!r}")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        found[name] = value
    return found


def load_local_env(project_dir: Path, environ=os.environ) -> Path | None:
    """Development settings for the `revive` command: var/local.env (written by `make demo`) fills in the
    variables the environment does not set, but only where the environment sets no REVIVE_SECRET_KEY: a
    configured server (production always sets the key) never reads it. Returns the file when it was read."""
    path = Path(environ.get("REVIVE_HOME") or project_dir) / LOCAL_ENV
    if environ.get("REVIVE_SECRET_KEY") or not path.is_file():
        return None
    for name, value in read_env_file(path).items():
        environ.setdefault(name, value)
    return path


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be 1/0, true/false, yes/no or on/off, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        raise ConfigError(f"{name} must be between {minimum} and {maximum}, not {value}")
    return value


def env_str(name: str, default: str | None = None) -> str | None:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip()


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str, *, base_dir: Path) -> dict:
    """Turn REVIVE_DATABASE_URL into a Django DATABASES entry (sqlite:/// or postgres://)."""
    from urllib.parse import parse_qsl, unquote, urlsplit

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        parts.port  # noqa: B018 - a port that is not a number raises here, not deep inside the driver
    except ValueError:
        raise ConfigError("REVIVE_DATABASE_URL: the port must be a number from 1 to 65535") from None
    if scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path
        path = unquote(parts.path)
        if path.startswith("/"):
            path = path[1:]
        name = Path(path) if path.startswith("/") else base_dir / path
        if not path:
            raise ConfigError(
                "REVIVE_DATABASE_URL: sqlite URL needs a file path, e.g. sqlite:///var/revive.sqlite3"
            )
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(name),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        if not parts.path or parts.path == "/":
            raise ConfigError("REVIVE_DATABASE_URL: a PostgreSQL URL needs a database name")
        options = dict(parse_qsl(parts.query))
        # No JIT compilation: Revive's queries are short, and compiling a plan whose estimated cost passes
        # jit_above_cost took longer than running it (the suspension list: 80 ms of JIT for a 110 ms query).
        options.setdefault("options", "-c jit=off")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path[1:]),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ConfigError(f"REVIVE_DATABASE_URL: unsupported scheme {scheme!r} (use sqlite:/// or postgres://)")
