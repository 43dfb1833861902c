from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from revive.demo.writing import (
    VALUES_PER_STATEMENT,
    Writer,
    check_foreign_keys,
    fast_build,
    secondary_indexes_dropped,
)


def _indexes(table: str) -> set[tuple]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        (tuple(c["columns"]), c["unique"])
        for c in constraints.values()
        if c["index"] and not c["primary_key"]
    }


def test_unique_indexes_dropped_come_back_and_a_duplicate_row_fails_their_rebuild(db):
    from revive.demo.registry import generate
    from revive.filings.models import MonthlyFiling

    generate(seed=1, scale=0.05, today=date(2026, 11, 24))
    table = MonthlyFiling._meta.db_table
    before = _indexes(table)
    # SQLite lists the unique (unit, year, month) index among the indexes; PostgreSQL as a constraint
    assert connection.vendor != "sqlite" or any(unique for _columns, unique in before)
    with secondary_indexes_dropped(MonthlyFiling, unique=True):
        pass
    assert _indexes(table) == before
    if connection.vendor != "sqlite":
        return  # PostgreSQL keeps its unique indexes (they back constraints)
    first = MonthlyFiling.objects.order_by("pk").first()
    inserted = 0
    with pytest.raises(IntegrityError), transaction.atomic():
        with secondary_indexes_dropped(MonthlyFiling, unique=True):
            first.pk = None
            first.save(force_insert=True)  # the same unit and month again: no index to refuse it yet
            inserted = MonthlyFiling.objects.filter(
                unit=first.unit_id, jyear=first.jyear, jmonth=first.jmonth
            ).count()
        pytest.fail("the unique index was rebuilt over a duplicate")
    assert inserted == 2  # refused by the rebuild, not by the insert
    assert _indexes(table) == before


def test_writer_inserts_every_row_in_statements_of_many_rows_and_the_rest(db):
    from revive.finance.models import LendingFigure

    columns = 7  # the four given, then bank, version and updated_at from their defaults
    count = 2 * (VALUES_PER_STATEMENT // columns) + 7  # two full statements and seven rows after them
    rows = [(1000 + i // 12, i % 12 + 1, 10**12 + i, i) for i in range(count)]
    writer = Writer()
    assert writer.insert(LendingFigure, ["jyear", "jmonth", "total", "industry_mining"], rows) == count
    stored = LendingFigure.objects.order_by("pk").values_list(
        "jyear", "jmonth", "total", "industry_mining", "bank", "version"
    )
    assert list(stored) == [(*row, None, 1) for row in rows]
    assert not LendingFigure.objects.filter(updated_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_foreign_keys_unchecked_in_a_fast_build_are_checked_at_its_end():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL checks them as rows arrive")
    from revive.finance.models import Repayment

    writer = Writer()
    with fast_build():
        # a repayment of a loan that does not exist: refused by the check, not by the insert or the commit
        with pytest.raises(IntegrityError, match="invalid foreign key"), transaction.atomic():
            writer.insert(
                Repayment, ["loan_id", "on", "amount"], [(999_999, writer.day(date(2026, 1, 1)), 1)]
            )
            assert Repayment.objects.count() == 1
            check_foreign_keys()
    assert not Repayment.objects.exists()
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # enforced again after the build
