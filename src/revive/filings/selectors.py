"""Filing reads: a unit's filings, submissions waiting for review, late and missing filers, filing gaps."""

from datetime import date

from revive.core import bulk, calendar
from revive.core.scoping import Scope
from revive.filings.models import FilingSubmission, MonthlyFiling
from revive.registry.models import Band, ProductionUnit


def last_due_month(today: date) -> tuple[int, int]:
    """The newest month whose filing deadline (the 10th of the next month) has passed."""
    month = calendar.add_months(calendar.month_of(today), -1)
    if calendar.filing_due_date(*month) >= today:
        month = calendar.add_months(month, -1)
    return month


def pending_submissions(*, scope: Scope):
    return (
        FilingSubmission.objects.visible_to(scope)
        .filter(status=FilingSubmission.Status.PENDING)
        .select_related("unit")
        .order_by("due_on", "id")
    )


# The filings page shows the first rows of each list (with the full count); its downloads have every row.
PAGE_ROWS = 100


def missing_filers(*, scope: Scope, month: tuple[int, int], limit: int | None = PAGE_ROWS):
    from django.db.models import Exists, OuterRef

    filed = MonthlyFiling.objects.filter(jyear=month[0], jmonth=month[1])
    waiting = FilingSubmission.objects.filter(
        jyear=month[0], jmonth=month[1], status=FilingSubmission.Status.PENDING
    )
    units = ProductionUnit.objects.visible_to(scope).exclude(current_band=Band.CLOSED)
    if scope.is_nation:
        # The month's filers read once from the (year, month, unit) index, then each unit looked up in them.
        units = units.exclude(pk__in=filed.values("unit_id")).exclude(pk__in=waiting.values("unit_id"))
    else:
        # A province's few thousand units: one probe of the (unit, year, month) unique index each.
        units = units.exclude(Exists(filed.filter(unit=OuterRef("pk")))).exclude(
            Exists(waiting.filter(unit=OuterRef("pk")))
        )
    units = units.select_related("park__province").order_by("business_id")
    return units.count(), list(units[:limit])


def late_filings(*, scope: Scope, year: int, limit: int | None = PAGE_ROWS):
    from django.db.models import F

    late = (
        MonthlyFiling.objects.visible_to(scope)
        .filter(jyear=year, filed_on__gt=F("due_on"))
        .select_related("unit")
        .order_by("-period_start", "unit__business_id")
    )
    return late.count(), list(late[:limit])


def own_submissions(*, scope: Scope, limit: int = 24):
    return list(FilingSubmission.objects.visible_to(scope).order_by("-created_at", "-id")[:limit])


def last_filed(unit_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Each unit's newest filed Iranian month, (year, month); units that never filed are absent."""
    from django.db.models import F, Max

    found: dict[int, tuple[int, int]] = {}
    for chunk in bulk.chunks(unit_ids):
        rows = (
            MonthlyFiling.objects.filter(unit_id__in=chunk)
            .order_by()
            .values("unit_id")
            .annotate(ym=Max(F("jyear") * 100 + F("jmonth")))
        )
        found |= {r["unit_id"]: divmod(r["ym"], 100) for r in rows}
    return found


def months_missing(last: tuple[int, int] | None, due: tuple[int, int]) -> int | None:
    """How many months past due since the last filing (None: the unit never filed)."""
    if last is None:
        return None
    return max(0, (due[0] - last[0]) * 12 + due[1] - last[1])


def filing_gap(*, unit: ProductionUnit, today: date) -> dict | None:
    """A unit that stopped filing: the months past due since its last filing, or None when up to date.

    A filing the owner sent that waits for review counts as sent."""
    if unit.current_band == Band.CLOSED:
        return None
    due = last_due_month(today)
    last = last_filed([unit.pk]).get(unit.pk)
    waiting = FilingSubmission.objects.filter(
        unit=unit, status=FilingSubmission.Status.PENDING, jyear=due[0], jmonth=due[1]
    ).exists()
    missing = months_missing(last, due)
    if waiting or missing == 0:
        return None
    return {"last": last, "due": due, "due_on": calendar.filing_due_date(*due), "missing": missing}


def unit_filings(*, scope: Scope, unit: ProductionUnit, months: int = 24) -> list[MonthlyFiling]:
    """A unit's newest filed months, oldest first."""
    rows = MonthlyFiling.objects.visible_to(scope).filter(unit=unit).order_by("-jyear", "-jmonth")[:months]
    return list(reversed(rows))
