"""Reads of the notices app: a person's inbox, the unread count for the bell, the licence-suspension list."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.db.models import Exists, F, Min, OuterRef, Q, Subquery

from revive.core import calendar
from revive.core.scoping import Scope
from revive.notices.models import Delivery, Notice


def unread_count(user) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(*, user, unread_only: bool = False):
    qs = Notice.objects.filter(recipient=user).annotate(
        failed=Exists(Delivery.objects.filter(notice=OuterRef("pk"), status=Delivery.Status.FAILED))
    )
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def failed_deliveries():
    """Sends that gave up after their retries, newest first: for administrators."""
    return Delivery.objects.filter(status=Delivery.Status.FAILED).select_related(
        "notice", "notice__recipient"
    )


def first_known(scope: Scope | None = None) -> dict[int, date]:
    """When the registry first knew each unit: its first status (the history an import brings)."""
    from revive.registry.models import UnitStatus

    statuses = UnitStatus.objects.visible_to(scope) if scope is not None else UnitStatus.objects.all()
    return dict(
        statuses.order_by()
        .values("unit_id")
        .annotate(first=Min("effective_date"))
        .values_list("unit_id", "first")
    )


def open_units_known_before(day: date, scope: Scope | None = None) -> list[dict]:
    """Units not closed that the registry knew before `day` (by their first status, else their row)."""
    from revive.registry.models import Band, ProductionUnit

    first = first_known(scope)
    units = ProductionUnit.objects.visible_to(scope) if scope is not None else ProductionUnit.objects.all()
    rows = units.exclude(current_band=Band.CLOSED).values(
        "id", "business_id", "name_fa", "name_en", "province_id", "park_id", "park__code", "created_at"
    )
    return [r for r in rows if first.get(r["id"], r["created_at"].date()) < day]


def _months_between(a: tuple[int, int], b: tuple[int, int]) -> int:
    return (b[0] - a[0]) * 12 + (b[1] - a[1])


SUSPENSION_FIELDS = ("id", "business_id", "name_fa", "name_en", "province_id", "park_id", "park__code")


def suspension_candidates(*, months: int, through: tuple[int, int], scope: Scope | None = None) -> list[dict]:
    """Units (not closed) whose last `months` monthly filings up to `through` (year, month) are all
    missing: the list for the licence-suspension warning. Each row: the unit's fields, its last filing's
    month start (or None: never filed) and how many months in a row are missing (None: never filed).

    One query, set-based: a unit that filed `through` is ruled out by one seek in the (unit, year, month)
    index, which leaves about one unit in seven of the national demo; only those are looked at further
    (any filing in the window, the last filing, the first status). Grouping every unit's statuses and
    reading 52,000 units into Python took 1.7 s nationally."""
    from revive.filings.models import MonthlyFiling
    from revive.registry.models import Band, ProductionUnit, UnitStatus

    since = calendar.from_jalali(*calendar.add_months(through, 1 - months), 1)
    # Subqueries on the unit alone (the units are scoped): each is a seek in an index that starts with
    # the unit. A unit's filings and statuses are its own whichever province recorded them.
    filings = MonthlyFiling.objects.filter(unit_id=OuterRef("pk")).order_by()
    # The window's months, a range of months per year: each range one seek in the (unit, year, month) index.
    window: dict[int, list[int]] = {}
    for y, m in (calendar.add_months(through, -k) for k in range(months)):
        window.setdefault(y, []).append(m)
    after = calendar.add_months(through, 1)
    last = (
        filings.filter(Q(jyear__lt=after[0]) | Q(jyear=after[0], jmonth__lt=after[1]))
        .order_by("-jyear", "-jmonth")
        .values(ym=F("jyear") * 100 + F("jmonth"))[:1]
    )
    first = (
        UnitStatus.objects.filter(unit_id=OuterRef("pk")).order_by("effective_date").values("effective_date")
    )
    units = ProductionUnit.objects.visible_to(scope) if scope is not None else ProductionUnit.objects.all()
    # Known before the window: by the unit's first status (the history an import brings), else its row.
    before = datetime(since.year, since.month, since.day, tzinfo=UTC)
    known = Q(first__lt=since) | Q(first__isnull=True, created_at__lt=before)
    rows = (
        units.exclude(current_band=Band.CLOSED)
        .exclude(id__in=MonthlyFiling.objects.filter(jyear=through[0], jmonth=through[1]).values("unit_id"))
        .filter(
            *(~Exists(filings.filter(jyear=y, jmonth__range=(min(ms), max(ms)))) for y, ms in window.items())
        )
        .annotate(first=Subquery(first[:1]), last_ym=Subquery(last))
        .filter(known)
        .order_by("province_id", "park__code", "business_id")
        .values(*SUSPENSION_FIELDS, "last_ym")
    )
    out = list(rows)
    for row in out:
        ym = row.pop("last_ym")
        row["last"] = None if ym is None else calendar.from_jalali(ym // 100, ym % 100, 1)
        row["missing"] = None if ym is None else _months_between((ym // 100, ym % 100), through)
    return out


def as_of(today: date) -> tuple[int, int]:
    """The last month whose filing is due by now (the month before today's)."""
    return calendar.add_months(calendar.month_of(today), -1)
