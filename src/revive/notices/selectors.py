"""Reads of the notices app: a person's inbox, the unread count for the bell, the licence-suspension list."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, Max, Min, OuterRef, Q

from revive.core import calendar
from revive.core.bulk import chunks
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


def suspension_candidates(*, months: int, through: tuple[int, int], scope: Scope | None = None) -> list[dict]:
    """Units (not closed) whose last `months` monthly filings up to `through` (year, month) are all
    missing: the list for the licence-suspension warning. Each row: the unit's fields, its last filing's
    month start (or None: never filed) and how many months in a row are missing (None: never filed)."""
    from revive.filings.models import MonthlyFiling

    since = calendar.from_jalali(*calendar.add_months(through, 1 - months), 1)
    end = calendar.from_jalali(*calendar.add_months(through, 1), 1)
    units = open_units_known_before(since, scope)
    filings = MonthlyFiling.objects.visible_to(scope) if scope is not None else MonthlyFiling.objects.all()
    # Who filed inside the window, read month by month from the (year, month, unit) index, rules most
    # units out; the last filing is then looked up only for the few left (7,433 of 52,000 on the national
    # demo: 4.3 s -> well under a second, against grouping all 3.5 million filings by unit).
    window = [calendar.add_months(through, -k) for k in range(months)]
    filed = Q()
    for y, m in window:
        filed |= Q(jyear=y, jmonth=m)
    recent = set(filings.filter(filed).order_by().values_list("unit_id", flat=True).distinct())
    left = [row["id"] for row in units if row["id"] not in recent]
    last = {}
    for part in chunks(left):
        last.update(
            filings.filter(unit_id__in=part, period_start__lt=end)
            .order_by()
            .values("unit_id")
            .annotate(last=Max("period_start"))
            .values_list("unit_id", "last")
        )
    out = []
    for row in units:
        if row["id"] in recent:
            continue
        row["last"] = last.get(row["id"])
        if row["last"] is not None and row["last"] >= since:
            continue
        row["missing"] = (
            None if row["last"] is None else _months_between(calendar.month_of(row["last"]), through)
        )
        out.append(row)
    out.sort(key=lambda r: (r["province_id"], r["park__code"], r["business_id"]))
    return out


def as_of(today: date) -> tuple[int, int]:
    """The last month whose filing is due by now (the month before today's)."""
    return calendar.add_months(calendar.month_of(today), -1)
