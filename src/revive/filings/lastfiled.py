"""UnitLastFiling, each unit's newest filed month, kept equal to the filings.

Every writer of MonthlyFiling calls `refresh` in its own transaction, after its writes, with the units it
wrote for: filing_submit, filings_receive (the statistics system), the filings import; the demo calls
`rebuild_all` after its bulk load, as the migration that made the table did. A refresh reads each unit's
newest month from its filings (one seek in the (unit, year, month) index) and keeps the newer of that and
the stored one: filings are never deleted but with their unit (whose row goes with it), so the newest month
only moves forward, and two writers of one unit at once cannot leave the older month behind (on
PostgreSQL the upsert waits for the other writer's row and compares with what it committed).
"""

from collections.abc import Iterable

from django.db import connection

from revive.core import bulk
from revive.filings.models import MonthlyFiling, UnitLastFiling


def refresh(unit_ids: Iterable[int]) -> None:
    """Bring these units' newest filed month up to their filings; call it inside the writer's transaction."""
    q = connection.ops.quote_name
    table, filings = q(UnitLastFiling._meta.db_table), q(MonthlyFiling._meta.db_table)
    for chunk in bulk.chunks(sorted(set(unit_ids))):  # one order for every writer
        marks = ", ".join(["%s"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (unit_id, last_ym) "
                f"SELECT unit_id, MAX(jyear * 100 + jmonth) FROM {filings} WHERE unit_id IN ({marks}) "
                "GROUP BY unit_id "
                "ON CONFLICT (unit_id) DO UPDATE SET last_ym = CASE "
                f"WHEN excluded.last_ym > {table}.last_ym THEN excluded.last_ym ELSE {table}.last_ym END",
                chunk,
            )


def rebuild_all() -> None:
    """Every unit's row from scratch, in one statement (the demo after its bulk load)."""
    q = connection.ops.quote_name
    UnitLastFiling.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(UnitLastFiling._meta.db_table)} (unit_id, last_ym) "
            f"SELECT unit_id, MAX(jyear * 100 + jmonth) FROM {q(MonthlyFiling._meta.db_table)} GROUP BY unit_id"
        )
