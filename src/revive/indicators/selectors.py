"""Indicator reads, scoped: actual figures, targets and progress, forecasts, the province ranking,
the backtest and the production index.

Revivals and jobs come from `registry.selectors.revivals` (the Foundation's headline figure), the
execution rate from `cases.selectors.execution_totals`, the lending share from `finance.selectors`; this
module only adds what no other app computes (units lifted above 50%, loans paid, parks served).
"""

import bisect
import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from revive.core import calendar
from revive.core.scoping import Scope, ScopeKind
from revive.core.sqldates import DaysBetween
from revive.filings.models import FilingTotal, MonthlyFiling
from revive.indicators import forecast as fc
from revive.indicators.models import FLOW_METRICS, Indicator, Metric, ReportedValue, Target
from revive.registry import selectors as registry
from revive.registry.models import (
    Band,
    IndustrialPark,
    ParkInfrastructure,
    Province,
    SectorGroup,
    UnitStatus,
)

FIRST_YEAR = 1398  # the first year of the programme's data

# The tile map: each province's (column, row) on a grid drawn roughly like Iran's map, west to east
# and north to south. Geography does not mirror on right-to-left pages.
TILE_LAYOUT: dict[str, tuple[int, int]] = {
    "IR-04": (0, 0), "IR-03": (1, 0), "IR-24": (2, 0),
    "IR-12": (0, 1), "IR-19": (1, 1), "IR-01": (2, 1), "IR-02": (3, 1), "IR-27": (4, 1), "IR-28": (5, 1),
    "IR-05": (0, 2), "IR-13": (1, 2), "IR-26": (2, 2), "IR-30": (3, 2), "IR-23": (4, 2), "IR-20": (5, 2),
    "IR-09": (6, 2),
    "IR-16": (0, 3), "IR-15": (1, 3), "IR-00": (2, 3), "IR-25": (3, 3), "IR-10": (4, 3), "IR-21": (5, 3),
    "IR-29": (6, 3),
    "IR-06": (1, 4), "IR-14": (2, 4), "IR-17": (3, 4), "IR-07": (4, 4), "IR-08": (5, 4), "IR-11": (6, 4),
    "IR-18": (3, 5), "IR-22": (5, 5),
}  # fmt: skip


def require_scope(scope: Scope) -> None:
    """Targets and the dashboard are for the national and provincial levels; anyone else gets 404."""
    if scope.kind not in (ScopeKind.NATION, ScopeKind.PROVINCE):
        raise Http404


def scoped_province(scope: Scope, code: str | None) -> Province | None:
    """The province to report on: the officer's own, or the one asked for (404 outside the scope)."""
    require_scope(scope)
    if code:
        return registry.province_get(scope=scope, code=code)
    if scope.kind == ScopeKind.PROVINCE:
        return Province.objects.get(pk=scope.province_id)
    return None


def elapsed_months(year: int, today: date) -> float:
    """Months of the Iranian year gone by on `today` (8.1 on 3 Azar); 0 before it starts, 12 after it ends."""
    whole = calendar.jalali_year(year)
    if today < whole.start:
        return 0.0
    if today > whole.end:
        return 12.0
    _y, m, d = calendar.to_jalali(today)
    return (m - 1) + d / calendar.month_length(year, m)


def _period(year: int, today: date) -> calendar.Period:
    whole = calendar.jalali_year(year)
    if today < whole.start:
        return calendar.Period("ytd", whole.start, whole.start)  # an empty stretch: nothing happened yet
    return calendar.year_to_date(year, today)


def indicators(*, year: int) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(jyear=year)
        .select_related("programme__axis")
        .order_by("programme__number", "code")
    )


# --- monthly series of the flows --------------------------------------------------------------------


def _monthly(qs, field: str, years: list[int], value: str | None = None) -> dict[int, list[int]]:
    """{year: twelve monthly figures}: one query of the rows counted (or `value` summed) per day,
    bucketed by Jalali month here (a 12-months-by-years FILTER aggregate made the database test every
    row 72 times or more; a day's total is a few hundred rows a year to bring back, not every row)."""
    if not years:
        return {}
    first, last = calendar.jalali_year(min(years)), calendar.jalali_year(max(years))
    qs = qs.filter(**{f"{field}__gte": first.start, f"{field}__lte": last.end}).order_by()
    bounds = [(calendar.jalali_month(y, m).end, y, m) for y in sorted(years) for m in range(1, 13)]
    out = {y: [0] * 12 for y in years}
    total = Sum(value) if value else Count("pk")
    for on, amount in qs.values(field).annotate(total=total).values_list(field, "total"):
        # the first month whose last day is on or after `on`
        i = bisect.bisect_left(bounds, (on,))
        if i < len(bounds):
            _end, y, m = bounds[i]
            out[y][m - 1] += int(amount or 0)
    return out


def _statuses(scope: Scope, province: Province | None):
    qs = UnitStatus.objects.visible_to(scope)
    return qs.filter(province=province) if province is not None else qs


def _lifted(scope: Scope, province: Province | None):
    """Status entries that took a unit from below 50% to 50% or more of its capacity."""
    previous = (
        UnitStatus.objects.filter(unit=OuterRef("unit"))
        .filter(
            Q(effective_date__lt=OuterRef("effective_date"))
            | Q(effective_date=OuterRef("effective_date"), id__lt=OuterRef("id"))
        )
        .order_by("-effective_date", "-id")
        .values("band")[:1]
    )
    return (
        _statuses(scope, province)
        .filter(band__in=[Band.FROM_50_TO_70, Band.ABOVE_70])
        .annotate(previous_band=Subquery(previous))
        .filter(previous_band=Band.BELOW_50)
    )


def _loans_paid(scope: Scope, province: Province | None):
    from revive.finance.models import LoanRequest

    qs = LoanRequest.objects.visible_to(scope).filter(amount_paid__gt=0, decided_on__isnull=False)
    return qs.filter(province=province) if province is not None else qs


def monthly(*, scope: Scope, metric: str, years: list[int], province: Province | None = None) -> dict:
    """Twelve monthly figures per year of a flow metric, for forecasts and charts."""
    if metric == Metric.REVIVED_UNITS:
        return _monthly(
            _statuses(scope, province).filter(event=UnitStatus.Event.REVIVED), "effective_date", years
        )
    if metric == Metric.JOBS_RESTORED:
        qs = _statuses(scope, province).filter(event=UnitStatus.Event.REVIVED)
        return _monthly(qs, "effective_date", years, "jobs")
    if metric == Metric.LIFTED_ABOVE_50:
        return _monthly(_lifted(scope, province), "effective_date", years)
    if metric == Metric.LOANS_PAID:
        if not finance_available():
            return {y: [0] * 12 for y in years}
        return _monthly(_loans_paid(scope, province), "decided_on", years)
    raise ValueError(f"{metric} is not a monthly flow")


# The flows read from the status history; the others (loans) are updated in place and read live.
STATUS_METRICS = (Metric.REVIVED_UNITS, Metric.JOBS_RESTORED, Metric.LIFTED_ABOVE_50)


def _past_monthly(*, scope: Scope, metric: str, years: list[int], province: Province | None, year: int,
                  versions: dict | None = None) -> dict:  # fmt: skip
    """monthly() of years before `year`; those read from the status history are cached under its version
    (read once per computation of the figures: `versions` keeps it)."""
    if metric not in STATUS_METRICS or any(y >= year for y in years):
        return monthly(scope=scope, metric=metric, years=years, province=province)
    from revive.core.cache import memoize_on_version

    versions = {} if versions is None else versions
    if "status" not in versions:
        versions["status"] = _status_history_version(before=calendar.nowruz(year))
    return memoize_on_version(
        "indicators.past_monthly",
        (scope, province.pk if province else None, metric, tuple(years)),
        versions["status"],
        lambda: monthly(scope=scope, metric=metric, years=years, province=province),
        timeout=24 * 3600,
    )


def _status_history_version(*, before: date) -> tuple:
    """The status entries dated before `before`, as of now: changes whenever a monthly figure of then could.

    Entries are only added (unit_status_record, a unit's creation) or removed with their unit; adding one
    re-derives the event of the entries after it, so a past entry changes only when one at or before it
    is added, and the count and last id of the past entries move with it.
    """
    row = UnitStatus.objects.filter(effective_date__lt=before).aggregate(n=Count("id"), last=Max("id"))
    return row["n"], row["last"]


def finance_available() -> bool:
    """The finance app is optional: its tables may not exist yet on an older database."""
    try:
        from revive.finance.models import LendingFigure  # noqa: F401
    except ImportError:
        return False
    return True


# --- actual figures ---------------------------------------------------------------------------------


def _reported(indicator: Indicator, scope: Scope, period: calendar.Period, province: Province | None) -> dict:
    first, last = calendar.month_of(period.start), calendar.month_of(period.end)
    months = list(calendar.iter_months(first, last))
    qs = ReportedValue.objects.filter(indicator=indicator)
    qs = qs.filter(Q(*[Q(jyear=y, jmonth=m) for y, m in months], _connector=Q.OR))
    if province is not None:
        rows = qs.filter(province=province)
    elif scope.is_nation:
        national = qs.filter(province__isnull=True)
        rows = national if national.exists() else qs.filter(province__isnull=False)
    else:
        rows = qs.none()
    approved = rows.filter(status=ReportedValue.Status.APPROVED).aggregate(v=Sum("value"))["v"]
    pending = rows.filter(status=ReportedValue.Status.ENTERED).count()
    return {
        "value": approved if approved is not None else (Decimal(0) if rows.exists() else None),
        "pending": pending,
    }


def actual(
    *, scope: Scope, indicator: Indicator, period: calendar.Period, province: Province | None = None
) -> dict:
    """{"value": the figure (None when there is no data yet), "note": why not, "pending": unapproved entries}."""
    metric = indicator.metric
    if indicator.kind == Indicator.Kind.REPORTED:
        return {**_reported(indicator, scope, period, province), "note": ""}
    if metric in (Metric.REVIVED_UNITS, Metric.JOBS_RESTORED):
        kpi = registry.revivals(scope=scope, period=period, province=province)
        return {"value": kpi[metric], "note": "", "pending": 0}
    if metric == Metric.LIFTED_ABOVE_50:
        qs = _lifted(scope, province).filter(effective_date__gte=period.start, effective_date__lte=period.end)
        return {"value": qs.count(), "note": "", "pending": 0}
    if metric == Metric.LOANS_PAID:
        if not finance_available() or not _loans_paid(scope, None).exists():
            return {"value": None, "note": _("No loan data yet."), "pending": 0}
        qs = _loans_paid(scope, province).filter(decided_on__gte=period.start, decided_on__lte=period.end)
        return {"value": qs.count(), "note": "", "pending": 0}
    if metric == Metric.INDUSTRY_SHARE:
        if province is not None:
            return {"value": None, "note": _("Published for the whole banking system only."), "pending": 0}
        share = industry_share(scope=scope, year=calendar.month_of(period.start)[0], today=period.end)
        if share["share"] is None:
            return {"value": None, "note": _("No lending figures yet."), "pending": 0}
        return {"value": round(share["share"] * 100, 1), "note": "", "pending": 0}
    if metric == Metric.RESOLUTIONS_EXECUTED:
        from revive.cases.selectors import execution_totals

        rate = execution_totals(scope=scope, period=period, province=province)["execution_rate"]
        note = "" if rate is not None else _("No resolutions due yet.")
        return {"value": round(rate * 100, 1) if rate is not None else None, "note": note, "pending": 0}
    if metric == Metric.PARKS_GAS_ELECTRICITY:
        return {"value": parks_served(scope=scope, province=province), "note": "", "pending": 0}
    raise ValueError(metric)


def industry_share(*, scope: Scope, year: int, today: date | None = None) -> dict:
    """The finance app's figure for the banking system, or {"share": None} while it has no data."""
    if not finance_available():
        return {"share": None, "months": 0, "target": None}
    from revive.finance.selectors import lending_share

    return lending_share(scope=scope, year=year, today=today)


def parks_served(*, scope: Scope, province: Province | None = None) -> int:
    """Parks whose gas and electricity are both adequate, as the infrastructure register stands today."""
    adequate = ParkInfrastructure.objects.filter(
        park=OuterRef("pk"), status=ParkInfrastructure.Status.ADEQUATE
    )
    qs = IndustrialPark.objects.visible_to(scope)
    if province is not None:
        qs = qs.filter(province=province)
    return qs.filter(
        Exists(adequate.filter(utility="gas")), Exists(adequate.filter(utility="electricity"))
    ).count()


# --- pipelines ----------------------------------------------------------------------------------------


def _same_day(year: int, today: date) -> date:
    _y, m, d = calendar.to_jalali(today)
    return calendar.from_jalali(year, m, min(d, calendar.month_length(year, m)))


def _case_stages_from_stock(*, cases, scope: Scope, province, year: int, today: date,
                            open_counts: dict[str, int]) -> list[fc.Stage]:  # fmt: skip
    """Each open stage's chance of a revival by Esfand, measured on the stock of the same day in each of
    the last three years: of the cases in that stage on that day, the share revived by that year's end.

    Measuring the stock (not the entries into a stage) keeps the estimate honest when cases linger in
    a stage for years: they count against the stage every year they sit in it.
    """
    from revive.cases.models import CaseState
    from revive.core.cache import memoize_on_version

    key = (scope, province.pk if province else None, year, today)
    stock, hits = memoize_on_version(
        "indicators.case_stock",
        key,
        _case_history_version(before=calendar.nowruz(year)),
        lambda: _case_stock(cases=cases, scope=scope, province=province, year=year, today=today),
        timeout=24 * 3600,
    )
    labels = dict(CaseState.choices)
    return [
        fc.Stage(str(labels.get(stage, stage)), count, hits.get(stage, 0) / stock[stage])
        for stage, count in open_counts.items()
        if count and stock.get(stage)
    ]


def _case_history_version(*, before: date) -> tuple:
    """What the stock of past days reads, as of now: changes whenever a case's past could have.

    Case events are never edited, only added (or removed with their case), so the count and the last
    id of the state events dated before `before` change when one is back-dated, added or removed.
    A case is saved with a new `updated_at` whenever it changes, so the count and last change of the
    cases revived before `before` move when a revival date is set, moved or cleared there; the count
    and last id of the cases opened before it, when one is opened back-dated or removed.
    """
    from revive.cases.models import Case, CaseEvent

    events = CaseEvent.objects.filter(kind__in=["opened", "transition"], on__lt=before).aggregate(
        n=Count("id"), last=Max("id")
    )
    opened, revived = Q(opened_on__lt=before), Q(revived_on__lt=before)
    cases = Case.objects.order_by().aggregate(
        opened=Count("id", filter=opened),
        last_opened=Max("id", filter=opened),
        revived=Count("id", filter=revived),
        last_revived_change=Max("updated_at", filter=revived),
    )
    return tuple(sorted(events.items())), tuple(sorted(cases.items()))


def _case_stock(*, cases, scope: Scope, province, year: int, today: date) -> tuple[dict, dict]:
    """({state: cases in it on the same day of each of the last three years}, {state: of them revived
    by that year's end}), in one query: each state event holds from its day until the case's next one
    (LEAD over the case's events in the order (on, id), a window function SQLite and PostgreSQL share)."""
    from django.db import connection

    from revive.cases.models import OPEN_STATES, CaseEvent

    days = [(_same_day(y, today), calendar.jalali_year(y).end) for y in range(year - 3, year)]
    last_day = max(day for day, _end in days)
    qn, adapt = connection.ops.quote_name, connection.ops.adapt_datefield_value
    case_sql, case_params = (
        cases.filter(opened_on__lte=last_day).order_by().values("id", "revived_on").query.sql_with_params()
    )
    # the state a case was in on `day`: its last event on or before it, in the order (on, id)
    holds = "ev.on_ <= %s AND (ev.next_on IS NULL OR ev.next_on > %s)"
    columns, params = [], []
    for day, end in days:
        columns.append(f"SUM(CASE WHEN {holds} THEN 1 ELSE 0 END)")
        columns.append(
            f"SUM(CASE WHEN {holds} AND c.revived_on > %s AND c.revived_on <= %s THEN 1 ELSE 0 END)"
        )
        params += [adapt(day), adapt(day), adapt(day), adapt(day), adapt(day), adapt(end)]
    only_these = ""
    if not (scope.is_nation and province is None):
        only_these = f"AND e.case_id IN (SELECT s.id FROM ({case_sql}) s)"
        params_events = [adapt(last_day), *case_params]
    else:
        params_events = [adapt(last_day)]
    on = qn("on")
    sql = f"""
        SELECT ev.to_state, {", ".join(columns)}
        FROM (
            SELECT e.case_id, e.{on} AS on_, e.to_state,
                   LEAD(e.{on}) OVER (PARTITION BY e.case_id ORDER BY e.{on}, e.id) AS next_on
            FROM {qn(CaseEvent._meta.db_table)} e
            WHERE e.kind IN ('opened', 'transition') AND e.to_state <> '' AND e.{on} <= %s {only_these}
        ) ev
        JOIN ({case_sql}) c ON c.id = ev.case_id
        WHERE ev.to_state IN ({", ".join(["%s"] * len(OPEN_STATES))})
            AND (ev.next_on IS NULL OR ev.next_on > %s)
        GROUP BY ev.to_state
    """
    # (the last condition only drops the events that ended before the first day: they hold on none)
    first_day = min(day for day, _end in days)
    params = [*params, *params_events, *case_params, *(str(s) for s in OPEN_STATES), adapt(first_day)]
    stock: dict[str, int] = {}
    hits: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for state, *sums in cursor.fetchall():
            stock[state] = sum(int(n or 0) for n in sums[0::2])
            hits[state] = sum(int(n or 0) for n in sums[1::2])
    return stock, hits


def case_pipeline(*, scope: Scope, province: Province | None, year: int, today: date) -> fc.Pipeline | None:
    """Open cases by stage, each with the chance (from the last three years) of a revival before Esfand ends.

    Computed once per data version: every indicator that counts revivals (units, jobs) reads the same one.
    """
    from revive.core import rules
    from revive.core.cache import memoize_on_data

    # the stages carry their labels and notes in the page's language: one entry per language
    key = (scope, province.pk if province else None, year, today, rules.language())
    return memoize_on_data(
        "indicators.case_pipeline",
        key,
        lambda: _case_pipeline(scope=scope, province=province, year=year, today=today),
    )


def _case_pipeline(*, scope: Scope, province: Province | None, year: int, today: date) -> fc.Pipeline | None:
    from revive.cases.models import OPEN_STATES, Case

    cases = Case.objects.visible_to(scope)
    if province is not None:
        cases = cases.filter(province=province)
    open_counts = {
        r["state"]: r["n"]
        for r in cases.filter(state__in=OPEN_STATES).order_by().values("state").annotate(n=Count("id"))
    }
    if not open_counts:
        return None
    stages = _case_stages_from_stock(cases=cases, scope=scope, province=province, year=year, today=today,
                                     open_counts=open_counts)  # fmt: skip
    if not stages:
        return None
    # Of what past years revived after this day, the share that came from cases already open on it.
    later, from_open = {}, {}
    for y in range(year - 3, year):
        then, end = _same_day(y, today), calendar.jalali_year(y).end
        later[f"y{y}"] = Count("id", filter=Q(effective_date__gt=then, effective_date__lte=end))
        from_open[f"y{y}"] = Count(
            "id", filter=Q(revived_on__gt=then, revived_on__lte=end, opened_on__lte=then)
        )
    later = _statuses(scope, province).filter(event=UnitStatus.Event.REVIVED).order_by().aggregate(**later)
    from_open = cases.order_by().aggregate(**from_open)
    years = [f"y{y}" for y in range(year - 3, year)]  # oldest first, as the shares were always summed
    shares = [min(from_open[y] / later[y], 1.0) for y in years if later[y]]
    if not shares:
        return None
    return fc.Pipeline(stages=stages, share_of_remaining=sum(shares) / len(shares))


def loan_pipeline(*, scope: Scope, province: Province | None, year: int, today: date) -> fc.Pipeline | None:
    """Loans approved or introduced and not yet decided, with the chance of payment from the last three years."""
    if not finance_available():
        return None
    from revive.finance.models import LoanRequest, LoanState

    loans = LoanRequest.objects.visible_to(scope)
    if province is not None:
        loans = loans.filter(province=province)
    stages_of = {LoanState.APPROVED: "approved_on", LoanState.INTRODUCED: "introduced_on"}
    open_counts = {
        r["state"]: r["n"]
        for r in loans.filter(state__in=stages_of).order_by().values("state").annotate(n=Count("id"))
    }
    if not open_counts:
        return None
    horizon = (calendar.jalali_year(year).end - today).days
    window, judged_before = calendar.nowruz(year - 3), calendar.nowruz(year) - timedelta(days=horizon)
    # Of the loans that entered each stage in the window, those paid within `horizon` days of entering it.
    paid = Q(amount_paid__isnull=False) & ~Q(amount_paid=0) & Q(decided_on__isnull=False)
    counts = {}
    for state, field in stages_of.items():
        judged = Q(**{f"{field}__gte": window, f"{field}__lt": judged_before})
        in_time = Q(decided_on__gte=F(field), **{f"wait_{state}__lte": horizon})
        counts[f"judged_{state}"] = Count("id", filter=judged)
        counts[f"hits_{state}"] = Count("id", filter=judged & paid & in_time)
    waits = {f"wait_{state}": DaysBetween(F("decided_on"), F(field)) for state, field in stages_of.items()}
    got = loans.order_by().alias(**waits).aggregate(**counts)
    labels = dict(LoanState.choices)
    stages = [
        fc.Stage(str(labels.get(stage, stage)), count, got[f"hits_{stage}"] / got[f"judged_{stage}"])
        for stage, count in open_counts.items()
        if count and got[f"judged_{stage}"]
    ]
    if not stages:
        return None
    # Of the loans past years paid after this day, the share already approved on it.
    counts = {}
    for y in range(year - 3, year):
        then, end = _same_day(y, today), calendar.jalali_year(y).end
        later = Q(decided_on__gt=then, decided_on__lte=end)
        counts[f"later_{y}"] = Count("id", filter=later)
        counts[f"approved_{y}"] = Count("id", filter=later & Q(approved_on__lte=then))
    got = _loans_paid(scope, province).order_by().aggregate(**counts)
    shares = [
        min(got[f"approved_{y}"] / got[f"later_{y}"], 1.0) for y in range(year - 3, year) if got[f"later_{y}"]
    ]
    return fc.Pipeline(stages=stages, share_of_remaining=sum(shares) / len(shares) if shares else 0.0)


# --- targets, progress and forecasts ------------------------------------------------------------------


def _target_rows(year: int, province: Province | None) -> dict[int, Decimal]:
    qs = Target.objects.filter(jyear=year, park__isnull=True)
    qs = qs.filter(province=province) if province is not None else qs.filter(province__isnull=True)
    return dict(qs.values_list("indicator_id", "value"))


@dataclass
class Figure:
    indicator: Indicator
    target: float | None
    actual: float | None
    progress: float | None
    needed_per_month: float | None
    forecast: float | None
    forecast_low: float | None
    forecast_high: float | None
    note: str
    pending: int
    pipeline: fc.Pipeline | None = None

    @property
    def on_track(self) -> bool | None:
        if self.target is None or self.forecast is None:
            return None
        return self.forecast >= self.target


def figures(*, scope: Scope, year: int, today: date | None = None, province: Province | None = None,
            with_forecast: bool = True) -> dict:  # fmt: skip
    """Every indicator of the year: target, actual to date, progress, the pace still needed, the forecast.

    Cached until the next write (core/cache.py), so the page, API, exports and press read one computation.
    """
    from revive.core.cache import memoize_on_data

    today = today or calendar.tehran_today()
    from revive.core import rules

    # the figures carry stage labels and notes in the page's language: one entry per language
    key = (scope, year, today, province.pk if province else None, with_forecast, rules.language())
    return memoize_on_data(
        "indicators.figures",
        key,
        lambda: _figures(scope=scope, year=year, today=today, province=province, with_forecast=with_forecast),
    )


def _figures(*, scope: Scope, year: int, today: date, province: Province | None, with_forecast: bool) -> dict:
    period = _period(year, today)
    elapsed = elapsed_months(year, today)
    targets = _target_rows(year, province)
    history_years = list(range(max(FIRST_YEAR, year - fc.HISTORY_YEARS), year))
    series_cache: dict[str, dict] = {}
    versions: dict = {}  # of the past data, read once
    rows = []
    for indicator in indicators(year=year):
        got = actual(scope=scope, indicator=indicator, period=period, province=province)
        value = float(got["value"]) if got["value"] is not None else None
        target = float(targets[indicator.pk]) if indicator.pk in targets else None
        progress = value / target if value is not None and target else None
        needed = forecast = low = high = None
        pipeline = None
        if indicator.is_flow and target is not None and value is not None and elapsed < 12:
            # Whole units a month, rounded up ("at least"): one rule for the page, the PDF, the XLSX and the API.
            needed = math.ceil(max(target - value, 0) / (12 - elapsed))
        if with_forecast and indicator.metric in FLOW_METRICS and value is not None:
            if indicator.metric not in series_cache:
                series_cache[indicator.metric] = _past_monthly(scope=scope, metric=indicator.metric,
                                                               years=history_years, province=province, year=year,
                                                               versions=versions)  # fmt: skip
            history = [series_cache[indicator.metric][y] for y in history_years]
            if indicator.metric in (Metric.REVIVED_UNITS, Metric.JOBS_RESTORED):
                pipeline = case_pipeline(scope=scope, province=province, year=year, today=today)
                if pipeline is not None and indicator.metric == Metric.JOBS_RESTORED:
                    kpi = registry.revivals(scope=scope, period=period, province=province)
                    per = kpi["jobs_restored"] / kpi["revived_units"] if kpi["revived_units"] else 18.0
                    pipeline = fc.Pipeline(pipeline.stages, pipeline.share_of_remaining, per)
            elif indicator.metric == Metric.LOANS_PAID:
                pipeline = loan_pipeline(scope=scope, province=province, year=year, today=today)
            if elapsed > 0:
                f = fc.forecast(actual=value, elapsed=elapsed, history=history, pipeline=pipeline)
                forecast, low, high = round(f.point), round(f.low), round(f.high)
        elif with_forecast and value is not None and indicator.metric:
            forecast = low = high = value  # a rate or a stock: today's figure is the best guess
        rows.append(
            Figure(
                indicator,
                target,
                value,
                progress,
                needed,
                forecast,
                low,
                high,
                str(got["note"]),
                got["pending"],
                pipeline,
            )
        )
    return {"year": year, "period": period, "elapsed": elapsed, "province": province, "rows": rows}


def headline(rows: list[Figure], metric: str = Metric.REVIVED_UNITS) -> Figure | None:
    for row in rows:
        if row.indicator.metric == metric and row.indicator.is_headline:
            return row
    return next((r for r in rows if r.indicator.metric == metric), None)


def province_ranking(*, scope: Scope, year: int, today: date | None = None) -> list[dict]:
    """Revivals against each province's target, best progress first; one revivals query for all provinces."""
    from revive.core.cache import memoize_on_data

    today = today or calendar.tehran_today()
    return memoize_on_data(
        "indicators.ranking", (scope, year, today), lambda: _province_ranking(scope, year, today)
    )


def _province_ranking(scope: Scope, year: int, today: date) -> list[dict]:
    period = _period(year, today)
    kpi = registry.revivals(scope=scope, period=period)
    revived = {r["province"].pk: r for r in kpi["by_province"]}
    indicator = (
        Indicator.objects.filter(jyear=year, metric=Metric.REVIVED_UNITS).order_by("-is_headline").first()
    )
    targets = (
        dict(
            Target.objects.filter(indicator=indicator, jyear=year, province__isnull=False, park__isnull=True)
            .values_list("province_id", "value")
        )
        if indicator
        else {}
    )  # fmt: skip
    rows = []
    for province in registry.provinces(scope=scope):
        r = revived.get(province.pk)
        n = r["revived_units"] if r else 0
        target = float(targets[province.pk]) if province.pk in targets else None
        rows.append(
            {
                "province": province,
                "revived_units": n,
                "jobs_restored": r["jobs_restored"] if r else 0,
                "target": target,
                "progress": n / target if target else None,
            }
        )
    rows.sort(
        key=lambda r: (r["progress"] is None, -(r["progress"] or 0), -r["revived_units"], r["province"].code)
    )
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


# --- backtest -------------------------------------------------------------------------------------------


def backtest(*, scope: Scope, metric: str = Metric.REVIVED_UNITS, today: date | None = None,
             province: Province | None = None) -> dict:  # fmt: skip
    """Each month-end of each finished year: the run-rate forecast from the status history up to then,
    against the year's outcome."""
    today = today or calendar.tehran_today()
    current = calendar.current_jalali_year(today)
    years = list(range(FIRST_YEAR, current))
    series = monthly(scope=scope, metric=metric, years=years, province=province)
    series = {y: s for y, s in series.items() if sum(s) > 0}
    rows = fc.backtest(series)
    return {"metric": metric, "rows": rows, "summary": fc.backtest_summary(rows), "years": sorted(series)}


# --- production index -------------------------------------------------------------------------------


def production_index(*, scope: Scope, year: int, month: int, province: Province | None = None) -> dict:
    """Production value (nominal rials, from monthly filings) against the same period last year,
    by sector group and province: the month, and the year to date. One aggregate query.

    A nation or a province reads the totals per province, sector and month that the writers of filings keep
    (filings/totals.py): a few thousand rows instead of every filing of two years. A park or a unit, which
    those totals do not split out, sums its own filings."""
    if scope.kind in (ScopeKind.NATION, ScopeKind.PROVINCE):
        qs, group = FilingTotal.objects.visible_to(scope), "sector__group"
    else:
        qs, group = MonthlyFiling.objects.visible_to(scope), "unit__sector__group"
    qs = qs.filter(jyear__in=[year - 1, year], jmonth__lte=month)
    if province is not None:
        qs = qs.filter(province=province)
    rows = (
        qs.order_by()
        .values("jyear", "province_id", group)
        .annotate(
            month_value=Sum("production_value", filter=Q(jmonth=month)), ytd_value=Sum("production_value")
        )
    )
    groups: dict[str, dict] = {}
    provinces: dict[int, dict] = {}
    total = _blank_index()
    for r in rows:
        this = r["jyear"] == year
        for bucket in (
            groups.setdefault(r[group], _blank_index()),
            provinces.setdefault(r["province_id"], _blank_index()),
            total,
        ):
            bucket["month" if this else "month_last"] += r["month_value"] or 0
            bucket["ytd" if this else "ytd_last"] += r["ytd_value"] or 0
    names = {p.pk: p for p in Province.objects.filter(pk__in=provinces)}
    labels = dict(SectorGroup.choices)
    return {
        "year": year,
        "month": month,
        "total": _finish_index(total),
        "by_group": sorted(
            ({"group": g, "label": labels.get(g, g), **_finish_index(v)} for g, v in groups.items()),
            key=lambda r: -r["ytd"],
        ),
        "by_province": sorted(
            ({"province": names[pid], **_finish_index(v)} for pid, v in provinces.items()),
            key=lambda r: r["province"].code,
        ),
    }


def _blank_index() -> dict:
    return {"month": 0, "month_last": 0, "ytd": 0, "ytd_last": 0}


def _finish_index(v: dict) -> dict:
    v["month_index"] = 100 * v["month"] / v["month_last"] if v["month_last"] else None
    v["ytd_index"] = 100 * v["ytd"] / v["ytd_last"] if v["ytd_last"] else None
    return v


def reported_values(*, scope: Scope, year: int) -> QuerySet[ReportedValue]:
    """The hand-reported figures of the year that the scope sees, with who entered and approved them."""
    return (
        ReportedValue.objects.visible_to(scope)
        .filter(jyear=year)
        .select_related("indicator", "province", "entered_by", "approved_by")
    )
