"""Reads of the notices app: a person's inbox, the unread count for the bell, the licence-suspension list."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, Max, Min, OuterRef, Q
from django.db.models.functions import Coalesce, TruncDate

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


def known_before(units, day: date):
    """Units the registry knew before `day`: by their first status (the history an import brings),
    else by when their row was made."""
    return units.annotate(
        known_since=Coalesce(Min("statuses__effective_date"), TruncDate("created_at"))
    ).filter(known_since__lt=day)


def _months_between(a: tuple[int, int], b: tuple[int, int]) -> int:
    return (b[0] - a[0]) * 12 + (b[1] - a[1])


def suspension_candidates(*, months: int, through: tuple[int, int], scope: Scope | None = None) -> list[dict]:
    """Units (not closed) whose last `months` monthly filings up to `through` (year, month) are all
    missing: the list for the licence-suspension warning. Each row: the unit's fields, the last month
    filed (or None) and how many months in a row are missing."""
    from revive.registry.models import Band, ProductionUnit

    first_missing = calendar.add_months(through, 1 - months)
    since = calendar.from_jalali(*first_missing, 1)
    end = calendar.from_jalali(*calendar.add_months(through, 1), 1)
    units = known_before(ProductionUnit.objects.exclude(current_band=Band.CLOSED), since)
    if scope is not None:
        units = units.visible_to(scope)
    rows = (
        units.annotate(last=Max("filings__period_start", filter=Q(filings__period_start__lt=end)))
        .filter(Q(last__isnull=True) | Q(last__lt=since))
        .values("id", "business_id", "name_fa", "name_en", "province_id", "park_id", "park__code", "last")
        .order_by("province_id", "park__code", "business_id")
    )
    out = []
    for row in rows:
        last = row["last"]
        if last is None:
            row["missing"] = None  # never filed
            row["last_month"] = None
        else:
            lm = calendar.month_of(last)
            row["last_month"] = lm
            row["missing"] = _months_between(lm, through)
        out.append(row)
    return out


def as_of(today: date) -> tuple[int, int]:
    """The last month whose filing is due by now (the month before today's)."""
    return calendar.add_months(calendar.month_of(today), -1)
