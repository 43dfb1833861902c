"""Registry reads: every function takes the caller's scope and starts from `visible_to(scope)`.

Pages, the API and exports all call these, so a figure is computed once, the same way everywhere.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from revive.core import calendar
from revive.core.errors import DomainError, lazy_message
from revive.core.scoping import Scope
from revive.core.text import search_key, to_ascii_digits
from revive.registry.models import (
    Band,
    IndustrialPark,
    ProductionUnit,
    Province,
    Sector,
    UnitStatus,
)


def provinces(*, scope: Scope) -> QuerySet[Province]:
    return Province.objects.visible_to(scope).order_by("code")


def province_get(*, scope: Scope, code: str) -> Province:
    return get_object_or_404(Province.objects.visible_to(scope), code=code.upper())


def park_get(*, scope: Scope, code: str) -> IndustrialPark:
    return get_object_or_404(
        IndustrialPark.objects.visible_to(scope).select_related("province", "county"), code=code
    )


def unit_get(*, scope: Scope, business_id: str) -> ProductionUnit:
    return get_object_or_404(
        ProductionUnit.objects.visible_to(scope).select_related("park", "province", "sector"),
        business_id=to_ascii_digits(business_id),
    )


def parks(*, scope: Scope, province: Province | None = None) -> QuerySet[IndustrialPark]:
    qs = IndustrialPark.objects.visible_to(scope).select_related("province")
    if province is not None:
        qs = qs.filter(province=province)
    return qs.annotate(
        unit_count=Count("units", filter=~Q(units__current_band=Band.CLOSED)),
        idle_count=Count("units", filter=Q(units__current_band=Band.IDLE)),
    ).order_by("code")


@dataclass(frozen=True)
class UnitFilters:
    q: str = ""
    province: str = ""  # ISO code
    park: str = ""  # park code
    sector: str = ""  # ISIC division
    band: str = ""
    size: str = ""
    sort: str = "business_id"


UNIT_SORTS = {
    "business_id": "business_id",
    "-business_id": "-business_id",
    "name": "name_key",
    "-name": "-name_key",
    "employees": "employees",
    "-employees": "-employees",
    "band_since": "band_since",
    "-band_since": "-band_since",
}


def units(*, scope: Scope, filters: UnitFilters) -> QuerySet[ProductionUnit]:
    """The unit list with the page's filters; bad filter values raise DomainError naming the filter."""
    qs = ProductionUnit.objects.visible_to(scope).select_related("park", "province", "sector")
    if filters.q:
        key = search_key(filters.q)
        digits = to_ascii_digits(filters.q).strip()
        if digits.isdigit():
            qs = qs.filter(Q(business_id__startswith=digits) | Q(name_key__contains=key))
        else:
            qs = qs.filter(name_key__contains=key)
    if filters.province:
        province = Province.objects.filter(code=filters.province.upper()).first()
        if province is None:
            raise DomainError(_unknown("province", filters.province), field="province")
        qs = qs.filter(province=province)
    if filters.park:
        # The page shows park codes in Persian digits (P-۲۰-۰۱۹), so that is how people type them back.
        qs = qs.filter(park__code=to_ascii_digits(filters.park).strip().upper())
    if filters.sector:
        if not Sector.objects.filter(isic_division=filters.sector).exists():
            raise DomainError(_unknown("sector", filters.sector), field="sector")
        qs = qs.filter(sector__isic_division=filters.sector)
    if filters.band:
        if filters.band not in Band.values:
            raise DomainError(_unknown("band", filters.band), field="band")
        qs = qs.filter(current_band=filters.band)
    if filters.size:
        if filters.size not in ProductionUnit.Size.values:
            raise DomainError(_unknown("size", filters.size), field="size")
        qs = qs.filter(size_class=filters.size)
    if filters.sort not in UNIT_SORTS:
        raise DomainError(_unknown("sort", filters.sort), field="sort")
    return qs.order_by(UNIT_SORTS[filters.sort], "id")


def _unknown(field: str, value: str):
    from django.utils.translation import gettext_lazy as _

    labels = {
        "province": _("province"),
        "sector": _("sector"),
        "band": _("band"),
        "size": _("size class"),
        "sort": _("sort order"),
    }
    return lazy_message(_("Unknown %(field)s: “%(value)s”."), field=labels.get(field, field), value=value)


# --- figures -------------------------------------------------------------------------------------


def _scoped_statuses(scope: Scope, province: Province | None, park: IndustrialPark | None = None):
    qs = UnitStatus.objects.visible_to(scope)
    if province is not None:
        qs = qs.filter(province=province)
    if park is not None:
        qs = qs.filter(unit__park=park)
    return qs


def revivals(
    *,
    scope: Scope,
    period: calendar.Period,
    province: Province | None = None,
    park: IndustrialPark | None = None,
) -> dict:
    """Idle units revived in the period (idle -> producing events) and the jobs restored, by province."""
    rows = (
        _scoped_statuses(scope, province, park)
        .filter(
            event=UnitStatus.Event.REVIVED, effective_date__gte=period.start, effective_date__lte=period.end
        )
        # No ordering: UnitStatus is ordered by unit, and that ordering's join to the unit table
        # outlives the GROUP BY that drops it, tripling the cost of the headline query.
        .order_by()
        .values("province_id")
        .annotate(n=Count("id"), jobs=Sum("jobs"))
    )
    by_id = {row["province_id"]: row for row in rows}
    names = {p.id: p for p in Province.objects.filter(id__in=by_id)}
    by_province = sorted(
        (
            {"province": names[pid], "revived_units": row["n"], "jobs_restored": row["jobs"] or 0}
            for pid, row in by_id.items()
        ),
        key=lambda r: (-r["revived_units"], r["province"].code),
    )
    return {
        "period": period,
        "revived_units": sum(r["revived_units"] for r in by_province),
        "jobs_restored": sum(r["jobs_restored"] for r in by_province),
        "by_province": by_province,
    }


def revivals_by_month(
    *, scope: Scope, year: int, province: Province | None = None, park: IndustrialPark | None = None
) -> list[int]:
    """Twelve monthly revival counts of a Jalali year, in one query."""
    qs = _scoped_statuses(scope, province, park).filter(event=UnitStatus.Event.REVIVED)
    months = [calendar.jalali_month(year, m) for m in range(1, 13)]
    aggregates = {
        f"m{i}": Count("id", filter=Q(effective_date__gte=p.start, effective_date__lte=p.end))
        for i, p in enumerate(months, start=1)
    }
    totals = qs.filter(effective_date__gte=months[0].start, effective_date__lte=months[-1].end).aggregate(
        **aggregates
    )
    return [totals[f"m{i}"] or 0 for i in range(1, 13)]


def band_counts(
    *, scope: Scope, province: Province | None = None, park: IndustrialPark | None = None
) -> dict[str, int]:
    qs = ProductionUnit.objects.visible_to(scope)
    if province is not None:
        qs = qs.filter(province=province)
    if park is not None:
        qs = qs.filter(park=park)
    counts = dict.fromkeys(Band.values, 0)
    # COUNT(*), not COUNT(id): PostgreSQL then counts from the band index alone (an index-only scan).
    for row in qs.order_by().values("current_band").annotate(n=Count("*")):
        counts[row["current_band"]] = row["n"]
    return counts


def overview(
    *, scope: Scope, year: int | None = None, today: date | None = None, province: Province | None = None
) -> dict:
    """Everything the national (or provincial) overview shows, from a handful of aggregate queries."""
    today = today or calendar.tehran_today()
    year = year or calendar.current_jalali_year(today)
    period = calendar.year_to_date(year, today)
    bands = band_counts(scope=scope, province=province)
    active = sum(bands[b] for b in Band.values if b != Band.CLOSED)
    kpi = revivals(scope=scope, period=period, province=province)
    this_year = revivals_by_month(scope=scope, year=year, province=province)
    last_year = revivals_by_month(scope=scope, year=year - 1, province=province)
    return {
        "year": year,
        "period": period,
        "revivals": kpi,
        "bands": bands,
        "units": active,
        "idle": bands[Band.IDLE],
        "idle_share": bands[Band.IDLE] / active if active else None,
        "by_month": this_year,
        "by_month_last_year": last_year,
        "provinces": province_table(scope=scope, period=period, revival_rows=kpi["by_province"]),
    }


def province_table(*, scope: Scope, period: calendar.Period, revival_rows: list[dict]) -> list[dict]:
    """One row per visible province: units, idle, semi-active, revived and jobs in the period."""
    counts: dict[int, dict[str, int]] = {}
    # COUNT(*) lets PostgreSQL answer from the (province, band) index without reading the units.
    for row in (
        ProductionUnit.objects.visible_to(scope)
        .order_by()
        .values("province_id", "current_band")
        .annotate(n=Count("*"))
    ):
        counts.setdefault(row["province_id"], {})[row["current_band"]] = row["n"]
    revived = {r["province"].id: r for r in revival_rows}
    table = []
    for province in Province.objects.visible_to(scope).order_by("code"):
        c = counts.get(province.id, {})
        units = sum(n for band, n in c.items() if band != Band.CLOSED)
        r = revived.get(province.id)
        table.append(
            {
                "province": province,
                "units": units,
                "idle": c.get(Band.IDLE, 0),
                "below_50": c.get(Band.BELOW_50, 0),
                "idle_share": c.get(Band.IDLE, 0) / units if units else None,
                "revived_units": r["revived_units"] if r else 0,
                "jobs_restored": r["jobs_restored"] if r else 0,
            }
        )
    return table


def unit_history(*, scope: Scope, unit: ProductionUnit) -> QuerySet[UnitStatus]:
    return UnitStatus.objects.visible_to(scope).filter(unit=unit).order_by("-effective_date", "-id")
