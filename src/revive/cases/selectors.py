"""Case reads, scoped: lists, the case timeline, resolutions, execution rates, agenda, survival."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    DateField,
    Exists,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from revive.cases.models import OPEN_STATES, Case, CaseState, Meeting, Obstacle, ObstacleKind, Resolution
from revive.core import calendar
from revive.core.errors import DomainError, lazy_message
from revive.core.scoping import Scope
from revive.registry.models import PRODUCING_BANDS, Organisation, Province, UnitStatus


@dataclass(frozen=True)
class CaseFilters:
    province: str = ""
    state: str = ""
    obstacle: str = ""
    organisation: str = ""
    overdue: bool = False
    officer: str = ""


def _bad(field: str, value: str):
    from django.utils.translation import gettext_lazy as _

    return DomainError(
        lazy_message(_("Unknown %(field)s: “%(value)s”."), field=field, value=value), field=field
    )


def cases(*, scope: Scope, filters: CaseFilters = CaseFilters(), user=None) -> QuerySet[Case]:
    """The cases of one's scope; `officer` is a username, "me" (the caller's) or "none" (unassigned)."""
    qs = Case.objects.visible_to(scope).select_related("unit", "province", "park", "officer")
    if filters.province:
        province = Province.objects.filter(code=filters.province.upper()).first()
        if province is None:
            raise _bad("province", filters.province)
        qs = qs.filter(province=province)
    if filters.state:
        if filters.state == "open":
            qs = qs.filter(state__in=OPEN_STATES)
        elif filters.state in CaseState.values:
            qs = qs.filter(state=filters.state)
        else:
            raise _bad("state", filters.state)
    if filters.obstacle:
        if filters.obstacle not in ObstacleKind.values:
            raise _bad("obstacle", filters.obstacle)
        qs = qs.filter(Exists(Obstacle.objects.filter(case=OuterRef("pk"), kind=filters.obstacle)))
    if filters.organisation:
        qs = qs.filter(
            Exists(Obstacle.objects.filter(case=OuterRef("pk"), organisation__code=filters.organisation))
            | Exists(Resolution.objects.filter(case=OuterRef("pk"), organisation__code=filters.organisation))
        )
    if filters.overdue:
        today = calendar.tehran_today()
        qs = qs.filter(
            Exists(
                Resolution.objects.filter(
                    case=OuterRef("pk"), status=Resolution.Status.PENDING, deadline__lt=today
                )
            )
        )
    if filters.officer == "me":
        qs = qs.filter(officer=user) if getattr(user, "is_authenticated", False) else qs.none()
    elif filters.officer == "none":
        qs = qs.filter(officer__isnull=True)
    elif filters.officer:
        qs = qs.filter(officer__username=filters.officer)
    return qs.order_by("-opened_on", "-id")


def case_get(*, scope: Scope, pk: int) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(scope).select_related("unit", "province", "park", "officer"), pk=pk
    )


def state_counts(*, scope: Scope, province: Province | None = None) -> dict[str, int]:
    qs = Case.objects.visible_to(scope)
    if province is not None:
        qs = qs.filter(province=province)
    counts = dict.fromkeys(CaseState.values, 0)
    for row in qs.values("state").annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    return counts


def workload(*, scope: Scope) -> list[dict]:
    """Open cases per officer; unassigned cases are one row ("—")."""
    rows = (
        Case.objects.visible_to(scope)
        .filter(state__in=OPEN_STATES)
        .values("officer__username")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return [{"officer": r["officer__username"] or "—", "open_cases": r["n"]} for r in rows]


def list_boards(*, scope: Scope) -> tuple[dict[str, int], list[dict]]:
    """The case list's two boards for the whole scope, whatever its filters: (state_counts, workload).
    Computed once per data version (core/cache.py: every write leaves an audit row): nationally both
    group all 34,034 cases, on every view of every page of the list."""
    from revive.core.cache import memoize_on_data

    return memoize_on_data(
        "cases.list_boards", (scope,), lambda: (state_counts(scope=scope), workload(scope=scope))
    )


def officers_of(*, province_id: int):
    """The officers a case of this province may be assigned to."""
    from revive.accounts.models import User
    from revive.accounts.roles import Role

    return User.objects.filter(role=Role.PROVINCIAL_OFFICER, province_id=province_id, is_active=True).order_by(
        "username"
    )


def timeline(*, case: Case) -> list:
    return list(case.events.select_related("actor").order_by("on", "at", "id"))


def resolutions(
    *,
    scope: Scope,
    province: Province | None = None,
    status: str = "",
    overdue: bool = False,
    organisation: str = "",
    escalated: bool = False,
    pk: int | None = None,
) -> QuerySet[Resolution]:
    """Resolutions the scope sees; `escalated` keeps those referred to the national level, `pk` the one
    resolution a task links to (the list is where it is read and answered)."""
    qs = Resolution.objects.visible_to(scope).select_related(
        "meeting", "organisation", "province", "case__unit"
    )
    if province is not None:
        qs = qs.filter(province=province)
    if status:
        if status not in Resolution.Status.values:
            raise _bad("status", status)
        qs = qs.filter(status=status)
    if organisation:
        qs = qs.filter(organisation__code=organisation)
    if escalated:
        qs = qs.filter(escalated=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    if overdue:
        qs = qs.filter(status=Resolution.Status.PENDING, deadline__lt=calendar.tehran_today())
    return qs


def meetings(*, scope: Scope) -> QuerySet[Meeting]:
    """The committee meetings of the scope, the latest first."""
    return Meeting.objects.visible_to(scope).select_related("province").order_by("-held_on", "-number")


def meeting_get(*, scope: Scope, pk: int) -> Meeting:
    """One meeting of the scope; another province's or a missing one is 404."""
    return get_object_or_404(Meeting.objects.visible_to(scope).select_related("province"), pk=pk)


def resolution_get(*, scope: Scope, pk: int) -> Resolution:
    return get_object_or_404(
        Resolution.objects.visible_to(scope).select_related(
            "meeting", "organisation", "province", "case__unit"
        ),
        pk=pk,
    )


def overdue_resolutions(*, scope: Scope, province: Province | None = None) -> QuerySet[Resolution]:
    """Pending resolutions past their deadline, the longest overdue first."""
    return resolutions(scope=scope, province=province, overdue=True).order_by("deadline", "id")


def overdue_board(*, scope: Scope, province: Province | None = None) -> list[dict]:
    today = calendar.tehran_today()
    rows = overdue_resolutions(scope=scope, province=province)
    return [{"resolution": r, "days_overdue": (today - r.deadline).days} for r in rows]


def _execution_query(scope: Scope, period: calendar.Period | None, province: Province | None):
    today = calendar.tehran_today()
    qs = Resolution.objects.visible_to(scope)
    if province is not None:
        qs = qs.filter(province=province)
    if period is not None:
        qs = qs.filter(meeting__held_on__gte=period.start, meeting__held_on__lte=period.end)
    agg = {
        "total": Count("id"),
        "done": Count("id", filter=Q(status=Resolution.Status.DONE)),
        "not_done": Count("id", filter=Q(status=Resolution.Status.NOT_DONE)),
        "pending": Count("id", filter=Q(status=Resolution.Status.PENDING)),
        "overdue": Count("id", filter=Q(status=Resolution.Status.PENDING, deadline__lt=today)),
    }
    return qs, agg


def _rate(row: dict) -> float | None:
    due = row["done"] + row["not_done"] + row["overdue"]  # pending within its deadline is not yet judged
    return row["done"] / due if due else None


def execution_totals(
    *, scope: Scope, period: calendar.Period | None = None, province: Province | None = None
) -> dict:
    """Execution of resolutions overall (one query): what the dashboard's indicator reads."""
    qs, agg = _execution_query(scope, period, province)
    totals = qs.aggregate(**agg)
    totals["execution_rate"] = _rate(totals)
    return totals


def execution(
    *, scope: Scope, period: calendar.Period | None = None, province: Province | None = None
) -> dict:
    """Execution of resolutions: done / answered-or-due, overall, per organisation and per province."""
    qs, agg = _execution_query(scope, period, province)
    rate = _rate
    # One pass over the resolutions, counted per (organisation, province); the totals, the organisations'
    # and the provinces' rows are sums of those few hundred counts.
    cells = list(qs.values("organisation_id", "province_id").annotate(**agg).order_by())
    keys = list(agg)
    totals = {k: sum(c[k] for c in cells) for k in keys}
    totals["execution_rate"] = rate(totals)

    def rolled_up(field: str) -> dict[int, dict]:
        out: dict[int, dict] = {}
        for c in cells:
            row = out.setdefault(c[field], dict.fromkeys(keys, 0))
            for k in keys:
                row[k] += c[k]
        return out

    orgs = {o.id: o for o in Organisation.objects.all()}
    by_org = [
        {**row, "organisation": orgs[pk], "execution_rate": rate(row)}
        for pk, row in sorted(rolled_up("organisation_id").items())
    ]
    by_org.sort(key=lambda r: (r["execution_rate"] is None, r["execution_rate"] or 0))
    provinces = {p.id: p for p in Province.objects.all()}
    by_province = [
        {**row, "province": provinces[pk], "execution_rate": rate(row)}
        for pk, row in rolled_up("province_id").items()
    ]
    by_province.sort(key=lambda r: r["province"].code)
    return {**totals, "by_organisation": by_org, "by_province": by_province}


def agenda_candidates(*, scope: Scope, province: Province) -> QuerySet[Case]:
    """The province's open cases that wait for a decision: no pending resolution addressed for them."""
    pending = Resolution.objects.filter(case=OuterRef("pk"), status=Resolution.Status.PENDING)
    return (
        cases(scope=scope)
        .filter(
            province=province, state__in=[CaseState.IDENTIFIED, CaseState.DIAGNOSED, CaseState.IN_PROGRESS]
        )
        .exclude(Exists(pending))
        .order_by("opened_on", "id")
    )


class _DaysAfter(Func):
    """date + n days in the database's own date arithmetic (Django's generic one calls Python per row on SQLite)."""

    output_field = DateField()

    def __init__(self, expression, days: int):
        super().__init__(expression)
        self.days = int(days)

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} + {self.days})", params  # PostgreSQL: date + integer is a date

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '+{self.days} days')", params


def _band_after(days: int) -> Subquery:
    """A revival's unit's band `days` after the revival: its newest status entry on or before that day."""
    at = _DaysAfter(OuterRef("effective_date"), days)
    later = UnitStatus.objects.filter(unit_id=OuterRef("unit_id"), effective_date__lte=at)
    return Subquery(later.order_by("-effective_date", "-id").values("band")[:1])


def survival(*, scope: Scope, today: date | None = None, province: Province | None = None) -> dict:
    """Share of revived units still producing 6 and 12 months after their revival, by year and by province.

    Read from the status history, so revivals shown by filings count as well as verified cases.
    Only revivals old enough to be judged enter each share. Computed once per data version (core/cache.py:
    every write leaves an audit row): each revival's band 6 and 12 months on is two index probes, ~22,000
    nationally, for figures that change only with the history or the day.
    """
    from revive.core.cache import memoize_on_data

    today = today or calendar.tehran_today()
    return memoize_on_data(
        "cases.survival",
        (scope, today, province.pk if province else None),
        lambda: _survival_now(scope=scope, today=today, province=province),
    )


def _survival_now(*, scope: Scope, today: date, province: Province | None) -> dict:
    statuses = UnitStatus.objects.visible_to(scope)
    if province is not None:
        statuses = statuses.filter(province=province)
    revivals = statuses.filter(event=UnitStatus.Event.REVIVED)
    # Set-based: each revival's band 6 and 12 months on is one probe of the (unit, effective_date) index,
    # and the shares are counted by the database per Iranian year and province (a few hundred rows back).
    span = revivals.aggregate(first=Min("effective_date"), last=Max("effective_date"))
    by_year: dict[int, dict] = {}
    by_province: dict[int, dict] = {}
    if span["first"] is None:
        rows = []
    else:
        years = range(calendar.month_of(span["first"])[0], calendar.month_of(span["last"])[0] + 1)
        year = SqlCase(
            *[
                When(
                    effective_date__gte=calendar.nowruz(y),
                    effective_date__lt=calendar.nowruz(y + 1),
                    then=Value(y),
                )
                for y in years
            ],
            output_field=IntegerField(),
        )
        counts = {"revived": Count("id")}
        annotations = {}
        for months, days in ((6, 182), (12, 365)):
            annotations[f"band_{months}"] = _band_after(days)
            judged = Q(effective_date__lte=today - timedelta(days=days))
            counts[f"judged_{months}"] = Count("id", filter=judged)
            counts[f"alive_{months}"] = Count(
                "id", filter=judged & Q(**{f"band_{months}__in": PRODUCING_BANDS})
            )
        rows = (
            revivals.annotate(year=year, **annotations)
            .order_by()
            .values("year", "province_id")
            .annotate(**counts)
        )

    def blank(**key) -> dict:
        return {**key, "revived": 0, "judged_6": 0, "alive_6": 0, "judged_12": 0, "alive_12": 0}

    for r in rows:
        for row in (
            by_year.setdefault(r["year"], blank(year=r["year"])),
            by_province.setdefault(r["province_id"], blank()),
        ):
            for key in ("revived", "judged_6", "alive_6", "judged_12", "alive_12"):
                row[key] += r[key]

    def finish(row: dict) -> dict:
        row["share_6"] = row["alive_6"] / row["judged_6"] if row["judged_6"] else None
        row["share_12"] = row["alive_12"] / row["judged_12"] if row["judged_12"] else None
        return row

    names = {p.id: p for p in Province.objects.filter(id__in=by_province)}
    return {
        "by_year": [finish(by_year[y]) for y in sorted(by_year)],
        "by_province": sorted(
            (finish({**row, "province": names[pid]}) for pid, row in by_province.items()),
            key=lambda r: r["province"].code,
        ),
    }
