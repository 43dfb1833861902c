"""Figures that are costly to compute are cached until the data changes.

Every write leaves an audit row (core/audit.py), so the newest audit row is the data's version: a
cached figure is served only while no write has happened since it was computed. A figure that reads
only the past can be cached under a fingerprint of the past rows instead (`memoize_on_version`), so a
write about today does not make it cold.

Two levels: the process's own memory first, then the "figures" cache in Revive's database (settings.CACHES),
which every process shares (web workers, the worker, `revive report` run from the shell) and which is
emptied after every migrate (`clear_after_migrate`), since new code may compute a figure differently.
"""

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache, caches
from django.db.models import Max

T = TypeVar("T")
SHARED = "figures"


def data_version() -> tuple:
    """The newest audit row, and on PostgreSQL the writing transactions still in flight.

    On PostgreSQL two writers can commit out of their audit rows' order: while A (audit row 100) is still
    open, B (101) commits; a figure computed then (without A's rows) would be kept under "101", and A's
    commit would not move the newest row, so the figure would stay stale until the next write. The ids
    of the transactions that have written in this database and are still open (pg_stat_activity, read
    from the live process list; other databases of the server are left out) are part of the version, so
    that figure is kept under "101 with A open", a key nobody asks for once A has ended (the process list
    is read afresh: a transaction otherwise keeps its first reading). SQLite has one writer at a time: a
    transaction that wrote an audit row holds the write lock until it commits, so its rows commit in
    their ids' order."""
    from django.db import connection

    from revive.core.models import AuditEvent

    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                f"SELECT (SELECT max(id) FROM {table}), (SELECT max(at) FROM {table}),"
                " ARRAY(SELECT backend_xid::text FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid() ORDER BY 1)"
            )
            last_id, last_at, in_flight = cursor.fetchone()
        return (last_id, last_at, tuple(in_flight)) if in_flight else (last_id, last_at)
    row = AuditEvent.objects.aggregate(last_id=Max("id"), last_at=Max("at"))
    return row["last_id"], row["last_at"]


def memoize_on_version(name: str, key: Any, version: Any, compute: Callable[[], T], timeout: int = 600,
                       in_memory: bool = True) -> T:  # fmt: skip
    """compute() once per (name, key, version); `version` must change whenever compute()'s answer could.

    `timeout` is how long this process keeps it in memory; the shared copy is kept for the backend's TIMEOUT.
    in_memory=False keeps only the shared copy (large values, such as PDFs, read again seldom)."""
    digest = hashlib.sha256(repr((key, version)).encode()).hexdigest()
    cache_key = f"revive:{name}:{digest}"
    value = cache.get(cache_key) if in_memory else None
    if value is None:
        shared = caches[SHARED]
        value = shared.get(cache_key)
        if value is None:
            value = compute()
            _share(cache_key, value)
        if in_memory:
            cache.set(cache_key, value, timeout)
    return value


def _share(cache_key: str, value: Any) -> None:
    """Keep a computed figure for other processes (for the backend's TIMEOUT, a day: the key holds the
    version), without waiting for it: on SQLite, while another process writes (a long import holds the one
    write lock), the figure is not shared this time rather than the page waiting for the lock."""
    from django.db import connections, router

    shared = caches[SHARED]
    connection = connections[router.db_for_write(shared.cache_model_class)]
    if connection.vendor != "sqlite" or connection.in_atomic_block:  # (a transaction holds the lock already)
        shared.set(cache_key, value)
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        waits_ms = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        shared.set(cache_key, value)  # a locked database: Django's DatabaseCache gives up quietly
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(waits_ms)}")


def memoize_on_data(name: str, key: Any, compute: Callable[[], T], timeout: int = 600) -> T:
    """compute() once per (name, key, data version); `key` must identify scope and parameters."""
    return memoize_on_version(name, key, data_version(), compute, timeout)


def clear_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate: forget every shared figure (the code that computed them may have changed)."""
    from django.db import connections

    table = caches[SHARED]._table
    if table in connections[using].introspection.table_names():
        caches[SHARED].clear()
