from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from revive.demo.writing import secondary_indexes_dropped


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
