"""Plain many-row inserts for the demo generators: tuples, not model instances.

Hundreds of thousands of rows through bulk_create spend most of their time building model instances and
an SQL expression per value. Here each row is a tuple of the columns a generator decides; every other
concrete column gets its model default (auto_now and auto_now_add: this moment), adapted once. Dates are
adapted once per distinct day. SQLite gets INSERTs of a few hundred rows each (`insert_rows`), PostgreSQL
COPY; explicit ids are followed by a sequence reset, so later rows made by the services get the next ids.
"""

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import date
from itertools import chain
from typing import Any

from django.core.management.color import no_style
from django.db import OperationalError, connection, models
from django.utils import timezone

BATCH = 50_000
# SQLite: values per INSERT statement. One row per statement spends most of its time stepping and resetting
# the statement (3.5M filings: 5.2 s CPU a 1.5M rows); a few hundred rows each, 1.8 s. More gains nothing.
VALUES_PER_STATEMENT = 3_000


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[tuple], defaults: tuple = ()) -> None:
    """INSERT `rows` (each followed by `defaults`) into the columns of `table`: COPY on PostgreSQL; on
    SQLite, statements of many rows each (`VALUES (...), (...), ...`) within the variable limit."""
    if not rows:
        return
    qn = connection.ops.quote_name
    quoted = ", ".join(qn(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {qn(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + defaults)
            return
        one = f"({', '.join(['%s'] * len(columns))})"
        head = f"INSERT INTO {qn(table)} ({quoted}) VALUES "
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per = max(1, min(limit, VALUES_PER_STATEMENT) // len(columns))
        full = len(rows) - len(rows) % per
        many = head + ", ".join([one] * per)
        step = max(per, BATCH // per * per)
        for start in range(0, full, step):
            cursor.executemany(
                many,
                [
                    list(chain.from_iterable(row + defaults for row in rows[i : i + per]))
                    for i in range(start, min(start + step, full), per)
                ],
            )
        if full < len(rows):
            cursor.executemany(head + one, [row + defaults for row in rows[full:]])


@contextmanager
def large_cache(kib: int = 262_144) -> Iterator[None]:
    """SQLite: a page cache of `kib` (256 MB) while the demo is written, so the indexes being filled stay in
    memory (the default is 2 MB); a larger one already set stays as it is."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        saved = cursor.execute("PRAGMA cache_size").fetchone()[0]
        # negative: KiB; positive: pages
        if saved < 0 and -saved >= kib:
            saved = None
        else:
            cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
        threads = cursor.execute("PRAGMA threads").fetchone()[0]
        cursor.execute("PRAGMA threads = 4")  # helper threads sort for CREATE INDEX and GROUP BY
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA threads = {int(threads)}")
            if saved is not None:
                cursor.execute(f"PRAGMA cache_size = {int(saved)}")


@contextmanager
def fast_build() -> Iterator[None]:
    """SQLite, outside any transaction: while the demo is written (in one transaction), the rollback journal
    in memory and no fsync, then the journal mode and synchronous setting it had (WAL, NORMAL).

    In WAL mode every page of the build (some 400 MB for the nation) is written twice, to the log and then
    copied into the database. A failure still rolls back (the journal is in memory); only a crash of the
    machine in the middle of the build can leave the file damaged, and the demo is then built again.
    When another connection holds the database in WAL mode the mode stays as it is.

    Foreign keys are not checked row by row either (a lookup of each parent: ~15% of an insert, 0.65 s of
    CPU in the national demo's finance alone); the build calls `check_foreign_keys` before its transaction
    ends, one pass over every table (~1 s), as the commit of deferred constraints checked them before.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        synchronous = int(cursor.execute("PRAGMA synchronous").fetchone()[0])
        cursor.execute("PRAGMA synchronous = OFF")
        try:
            cursor.execute("PRAGMA journal_mode = MEMORY")
        except OperationalError:  # another connection uses the WAL: keep it
            pass
    unchecked = connection.disable_constraint_checking()
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA journal_mode = {journal}")
            cursor.execute(f"PRAGMA synchronous = {synchronous}")
        if unchecked:
            connection.enable_constraint_checking()


def check_foreign_keys() -> None:
    """Inside the build's transaction, at its end: on SQLite with the checks off (`fast_build`), every
    row's foreign keys; a row pointing at nothing raises IntegrityError, which rolls the build back."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        enforced = cursor.execute("PRAGMA foreign_keys").fetchone()[0]
    if not enforced:
        connection.check_constraints()


@contextmanager
def indexes_dropped(*models_: type[models.Model]) -> Iterator[None]:
    """`secondary_indexes_dropped` for several tables at once."""
    with ExitStack() as stack:
        for model in models_:
            stack.enter_context(secondary_indexes_dropped(model))
        yield


@contextmanager
def secondary_indexes_dropped(model: type, *, unique: bool = False) -> Iterator[None]:
    """Drop a table's plain (non-unique) indexes and rebuild them from their own definitions afterwards.

    Building an index once over millions of rows is faster than keeping it up to date row by row;
    both databases run the DDL inside the surrounding transaction, so a failure restores them.
    `unique`: on SQLite its unique indexes too (PostgreSQL keeps them: they back constraints); rebuilt
    the same way, a duplicate row then fails the CREATE UNIQUE INDEX and so the transaction.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND schemaname = current_schema()",
                [table],
            )
        else:
            yield
            return
        indexes = [
            (name, sql)
            for name, sql in cursor.fetchall()
            if not sql.upper().startswith("CREATE UNIQUE") or (unique and connection.vendor == "sqlite")
        ]
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        if connection.vendor == "postgresql":
            # Check foreign keys as the rows arrive: queueing millions of deferred checks until commit
            # is slower, and PostgreSQL will not build an index while checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for _name, sql in indexes:
            cursor.execute(sql)


class Writer:
    def __init__(self) -> None:
        self.ops = connection.ops
        self.postgres = connection.vendor == "postgresql"
        self.now = timezone.now()
        self._days: dict[date, Any] = {}
        self._explicit_ids: list[type[models.Model]] = []

    def day(self, value: date | None) -> Any:
        """A date as the database takes it (None stays None), adapted once per day."""
        if value is None:
            return None
        adapted = self._days.get(value)
        if adapted is None:
            adapted = self._days[value] = self.ops.adapt_datefield_value(value)
        return adapted

    def first_id(self, model: type[models.Model]) -> int:
        last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
        return (last or 0) + 1

    def _defaults(self, model: type[models.Model], given: Sequence[str]) -> tuple[list[str], tuple]:
        """The columns a row does not give (the primary key apart) and their defaults, ready to send."""
        names, values = [], []
        for field in model._meta.concrete_fields:
            if field.attname in given or field.name in given or field.primary_key:
                continue
            auto = isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add)
            value = self.now if auto else field.get_default()  # blank text "", a nullable column None
            names.append(field.attname)
            values.append(field.get_db_prep_save(value, connection))
        return names, tuple(values)

    def insert(self, model: type[models.Model], fields: Sequence[str], rows: list[tuple]) -> int:
        """INSERT rows whose values follow `fields` (names or attnames, the primary key may be one of
        them); values must already be what the database takes (dates through `day`)."""
        meta = model._meta
        if meta.pk.attname in fields or meta.pk.name in fields:
            self._explicit_ids.append(model)
        extra, defaults = self._defaults(model, fields)
        columns = [meta.get_field(name).column for name in fields] + [
            meta.get_field(name).column for name in extra
        ]
        insert_rows(meta.db_table, columns, rows, defaults)
        return len(rows)

    def reset_sequences(self) -> None:
        """PostgreSQL: the sequences of tables given explicit ids continue after the highest."""
        if self.postgres and self._explicit_ids:
            with connection.cursor() as cursor:
                for sql in self.ops.sequence_reset_sql(no_style(), self._explicit_ids):
                    cursor.execute(sql)
