"""The figures cache: shared between processes (a table in Revive's database) and forgotten by a migrate.
That a figure served after a write is a fresh computation's: indicators/tests/test_shared_figures.py."""

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal

from revive.core import cache as figures_cache

pytestmark = pytest.mark.django_db


def _another_process():
    """What a new process (another web worker, `revive report` from the shell) starts with: no memory."""
    cache.clear()


def test_another_process_is_served_the_figures_without_computing_them(world):
    calls = []

    def compute():
        calls.append(1)
        return {"n": 7}

    assert figures_cache.memoize_on_data("test.figure", ("k",), compute) == {"n": 7}
    _another_process()
    assert figures_cache.memoize_on_data("test.figure", ("k",), compute) == {"n": 7}
    assert len(calls) == 1
    # another key is computed on its own
    figures_cache.memoize_on_data("test.figure", ("other",), compute)
    assert len(calls) == 2


def test_a_migrate_forgets_the_shared_figures(world):
    figures_cache.memoize_on_data("test.figure", ("k",), lambda: 1)
    assert len(_shared_keys()) == 1
    emit_post_migrate_signal(
        verbosity=0, interactive=False, db="default"
    )  # what every migrate and flush send
    assert _shared_keys() == []


def test_the_migration_makes_the_table_django_expects(world):
    call_command("createcachetable", dry_run=True, verbosity=0)  # nothing left to create
    assert figures_cache.memoize_on_data("test.figure", ("k",), lambda: [1, 2]) == [1, 2]


def _shared_keys() -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {caches[figures_cache.SHARED]._table}")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_sharing_a_figure_never_waits_for_sqlites_write_lock(monkeypatch):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock")

    def busy_timeout():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            return cursor.fetchone()[0]

    waits = busy_timeout()
    seen = []
    shared = caches[figures_cache.SHARED]
    real_set = shared.set

    def set_and_look(*args, **kwargs):
        seen.append(busy_timeout())
        return real_set(*args, **kwargs)

    monkeypatch.setattr(shared, "set", set_and_look)
    assert figures_cache.memoize_on_data("test.figure", ("k",), lambda: 3) == 3
    assert seen == [0]  # the write to the shared table gives up at once when another process holds the lock
    assert busy_timeout() == waits > 0  # and every other statement waits as configured
    cache.clear()
    assert figures_cache.memoize_on_data("test.figure", ("k",), lambda: 4) == 3  # it was shared


@pytest.mark.django_db(transaction=True)
def test_a_figure_is_not_kept_stale_when_writers_commit_out_of_order():
    """PostgreSQL: A writes audit row n and is still open, B writes n+1 and commits, a figure is computed
    (without A's rows); after A commits the same figure must be computed again, not served from the
    cache (the newest audit row is still n+1)."""
    from django.db import connection
    from django.utils import timezone

    from revive.core.models import AuditEvent

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: audit rows commit in their ids' order")
    import psycopg

    settings = connection.settings_dict
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    a = psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"] or None,
        port=settings["PORT"] or None, password=settings["PASSWORD"] or None,
    )  # fmt: skip
    try:
        a.execute(
            f"INSERT INTO {table} (at, actor_label, action, object_type, object_id, object_repr, note)"
            " VALUES (%s, 'a', 'test', 'test', '1', '', '')",
            [timezone.now()],
        )  # A is open: its row has the lower id
        AuditEvent.objects.create(
            actor_label="b", action="test", object_type="test", object_id="2"
        )  # B commits

        def count():
            return AuditEvent.objects.filter(object_type="test").count()

        assert figures_cache.memoize_on_data("test.out_of_order", (), count) == 1
        a.commit()
        cache.clear()  # another process, too, must not be served the figure without A's row
        assert figures_cache.memoize_on_data("test.out_of_order", (), count) == 2
    finally:
        a.close()


@pytest.mark.django_db(transaction=True)
def test_a_writer_in_another_database_of_the_server_leaves_the_version_as_it_is():
    """Only this database's open writers are part of the version: the server's other databases (another
    application, a test run beside this one) must not make every kept figure cold."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    import psycopg

    settings = connection.settings_dict
    before = figures_cache.data_version()
    other = psycopg.connect(
        dbname="postgres", user=settings["USER"], host=settings["HOST"] or None,
        port=settings["PORT"] or None, password=settings["PASSWORD"] or None,
    )  # fmt: skip
    try:
        other.execute("CREATE TEMP TABLE elsewhere (x int)")  # an open transaction with a transaction id
        assert other.execute("SELECT pg_current_xact_id_if_assigned()").fetchone()[0] is not None
        assert figures_cache.data_version() == before
    finally:
        other.close()
