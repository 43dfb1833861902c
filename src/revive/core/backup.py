"""Back up and restore the whole database: SQLite with the online backup API, PostgreSQL with pg_dump/pg_restore."""

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.db import DatabaseError, connections, transaction

from revive.core import audit
from revive.core.errors import DomainError

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else the newest /usr/lib/postgresql/<version>/bin (Debian's layout)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    raise DomainError(
        f"{name} was not found on PATH or in /usr/lib/postgresql/*/bin: install the PostgreSQL client "
        f"(Debian: apt-get install postgresql-client) with the same major version as the server."
    )


def _pg_args(settings: dict) -> tuple[list[str], dict]:
    args = []
    if settings.get("HOST"):
        args += ["-h", settings["HOST"]]
    if settings.get("PORT"):
        args += ["-p", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["-U", settings["USER"]]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise DomainError(
            f"{Path(command[0]).name} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}"
        )


def database_is_empty(alias: str = "default") -> bool:
    """No row in any of Revive's tables (users included); a database without tables is empty too."""
    for model in apps.get_models():
        if not model.__module__.startswith("revive."):
            continue
        try:
            if model.objects.using(alias).exists():
                return False
        except DatabaseError:  # not migrated yet
            connections[alias].close()
            return True
    return True


def backup(*, path: Path, by: object, alias: str = "default") -> int:
    """Write the database to `path` (created or replaced); returns its size in bytes."""
    connection = connections[alias]
    path = Path(path)
    # The whole database, password hashes included: a folder it creates is 0700, the file always 0600.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    tmp.unlink(missing_ok=True)
    tmp.touch(mode=0o600)
    tmp.chmod(0o600)  # touch's mode passes through the umask, which may only narrow it
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(tmp)
        try:
            # Online: a consistent copy while other processes keep reading and writing.
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        _run(
            [
                pg_tool("pg_dump"),
                "-Fc",
                "--no-owner",
                "-f",
                str(tmp),
                *args,
                connection.settings_dict["NAME"],
            ],
            env,
        )
    else:
        raise DomainError(f"Backups of {connection.vendor} databases are not supported.")
    tmp.chmod(0o600)
    tmp.replace(path)  # a backup that failed halfway never replaces a good one
    size = path.stat().st_size
    with transaction.atomic(using=alias):
        audit.record(
            actor=by,
            obj=None,
            object_type="core.database",
            object_id=alias,
            action="backup",
            note=f"{path} ({size} bytes, {connection.vendor})",
        )
    return size


def restore(*, path: Path, by: object, force: bool = False, alias: str = "default") -> None:
    """Replace the database with the backup at `path`; refuses a database with data unless `force`."""
    connection = connections[alias]
    path = Path(path)
    if not path.is_file():
        raise DomainError(f"{path} does not exist.")
    head = path.read_bytes()[:16]
    if not force and not database_is_empty(alias):
        raise DomainError(
            "The database already has data; restoring would replace all of it. "
            "Back it up first, then run restore again with --force."
        )
    if connection.vendor == "sqlite":
        if not head.startswith(SQLITE_HEADER):
            raise DomainError(f"{path} is not a SQLite backup (was it made from PostgreSQL?).")
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        if not head.startswith(PG_CUSTOM_HEADER):
            raise DomainError(f"{path} is not a pg_dump -Fc backup (was it made from SQLite?).")
        args, env = _pg_args(connection.settings_dict)
        connection.close()  # our own idle connection must not hold locks on the tables being replaced
        _run(
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",  # all or nothing
                "--exit-on-error",
                *args,
                "-d",
                connection.settings_dict["NAME"],
                str(path),
            ],
            env,
        )
    else:
        raise DomainError(f"Restoring {connection.vendor} databases is not supported.")
    connection.close()
    with transaction.atomic(using=alias):
        audit.record(
            actor=by,
            obj=None,
            object_type="core.database",
            object_id=alias,
            action="restore",
            note=f"{path} ({path.stat().st_size} bytes, {connection.vendor}){' --force' if force else ''}",
        )
