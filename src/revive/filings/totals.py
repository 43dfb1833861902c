"""FilingTotal, the production value filed per province, sector and month, kept equal to the filings.

Every writer of MonthlyFiling calls `refresh` in its own transaction, after its writes, with the
(province, year, month) it touched: filing_submit, the filings import, the units import (a unit whose sector
changed moves its filings to another sector), the demo. A refresh recomputes those totals from the filings
themselves, so a total is never a sum of deltas that could drift.

Two writers of the same province at once: on PostgreSQL each takes a transaction-scoped advisory lock per
province before it reads, so the second one waits for the first to commit and then reads its filings too
(each statement of a READ COMMITTED transaction sees what was committed before it started). SQLite has one
writer at a time anyway.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection
from django.db.models import Q

from revive.core import bulk
from revive.filings.models import FilingTotal, MonthlyFiling
from revive.registry.models import ProductionUnit

_LOCK_NAMESPACE = 17_000_000  # advisory lock keys: this + the province id


def keys_of_units(unit_ids: Iterable[int]) -> set[tuple[int, int, int]]:
    """The (province, year, month) of every filing of these units: what a change of their sector touches."""
    keys: set[tuple[int, int, int]] = set()
    for chunk in bulk.chunks(list(unit_ids)):
        keys |= set(
            MonthlyFiling.objects.filter(unit_id__in=chunk)
            .order_by()
            .values_list("province_id", "jyear", "jmonth")
            .distinct()
        )
    return keys


def units_regrouping(unit_ids: Iterable[int]) -> Callable[[], None]:
    """Before units change sector or are deleted (registry/hooks.py): what to recompute after, in the same
    transaction (the months their filings are in, read now, before a deletion takes the filings with it)."""
    keys = keys_of_units(unit_ids)
    return lambda: refresh(keys)


def refresh(keys: Iterable[tuple[int, int, int]]) -> None:
    """Recompute the totals of these (province id, Iranian year, month); call it inside the writer's transaction."""
    by_province: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for province_id, jyear, jmonth in keys:
        by_province[province_id].add((jyear, jmonth))
    for province_id in sorted(by_province):  # one order for every writer: no deadlock between two of them
        _lock(province_id)
        months = sorted(by_province[province_id])
        for chunk in bulk.chunks(months):
            _rebuild(province_id, chunk)


def rebuild_all() -> None:
    """Every total from scratch, in one statement (the demo after its bulk load, the migration)."""
    FilingTotal.objects.all().delete()
    _insert_select("", [])


def _lock(province_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_NAMESPACE + province_id])


def _rebuild(province_id: int, months: list[tuple[int, int]]) -> None:
    which = Q()
    for jyear, jmonth in months:
        which |= Q(jyear=jyear, jmonth=jmonth)
    FilingTotal.objects.filter(which, province_id=province_id).delete()
    pairs = " OR ".join(["(f.jyear = %s AND f.jmonth = %s)"] * len(months))
    _insert_select(f"WHERE f.province_id = %s AND ({pairs})", [province_id, *[v for m in months for v in m]])


def _insert_select(where: str, params: list) -> None:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(FilingTotal._meta.db_table)} "
            "(province_id, sector_id, jyear, jmonth, production_value, filings) "
            "SELECT f.province_id, u.sector_id, f.jyear, f.jmonth, SUM(f.production_value), COUNT(*) "
            f"FROM {q(MonthlyFiling._meta.db_table)} f "
            f"JOIN {q(ProductionUnit._meta.db_table)} u ON u.id = f.unit_id "
            f"{where} GROUP BY f.province_id, u.sector_id, f.jyear, f.jmonth",
            params,
        )
