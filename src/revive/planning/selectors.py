"""Planning reads, scoped: the ranked infrastructure work list, plan runs, scenarios, run comparison.

Units a project unblocks:
- in a park with open cases, the open cases whose open obstacle is that utility (electricity, gas,
  water, road: the utilities a case can name; none for wastewater and telecom, which no obstacle names);
- in a park without open cases (before the cases are recorded), the park's idle and below-50% units
  whose sector group needs that utility (`SECTOR_NEEDS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from revive.cases.models import INFRASTRUCTURE_OBSTACLES, OPEN_STATES, Case, Obstacle
from revive.core.bulk import chunks
from revive.core.scoping import Scope
from revive.planning.models import InfraProject, PlanRun, Scenario
from revive.registry.models import Band, IndustrialPark, ProductionUnit, Province, SectorGroup

G = SectorGroup
ALL_GROUPS = frozenset(G.values)
# Which sector groups cannot work without each utility (electricity and roads: every industry).
SECTOR_NEEDS = {
    "electricity": ALL_GROUPS,
    "road": ALL_GROUPS,
    "gas": frozenset({G.METAL, G.CHEMICAL, G.NON_METALLIC, G.FOOD, G.TEXTILE, G.CELLULOSE}),
    "water": frozenset({G.FOOD, G.CHEMICAL, G.TEXTILE, G.CELLULOSE, G.NON_METALLIC}),
    "wastewater": frozenset({G.FOOD, G.CHEMICAL, G.TEXTILE, G.CELLULOSE}),
    "telecom": frozenset({G.SERVICES, G.ELECTRICAL}),
}
SORTS = {"units": "units_per_billion", "jobs": "jobs_per_billion", "cost": "cost", "units_total": "units"}


@dataclass(frozen=True)
class ProjectFilters:
    province: Province | None = None
    status: str = "open"  # "open" = not done; "" = all; or one status
    utility: str = ""
    sort: str = "units"


def projects(*, scope: Scope, filters: ProjectFilters = ProjectFilters()) -> QuerySet[InfraProject]:
    qs = InfraProject.objects.visible_to(scope).select_related("park", "province")
    if filters.province is not None:
        qs = qs.filter(province=filters.province)
    if filters.status == "open":
        qs = qs.exclude(status=InfraProject.Status.DONE)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.utility:
        qs = qs.filter(utility=filters.utility)
    return qs


def project_get(*, scope: Scope, pk: int) -> InfraProject:
    return get_object_or_404(InfraProject.objects.visible_to(scope).select_related("park", "province"), pk=pk)


@dataclass(slots=True)
class _Rank:
    """What ranking a project needs: a few of its columns and the units and jobs it unblocks."""

    pk: int
    park_id: int
    province_id: int
    utility: str
    cost: int
    units: int = 0
    jobs: int = 0
    units_source: str = ""
    units_per_billion: float = 0.0
    jobs_per_billion: float = 0.0


class RankedProjects(Sequence):
    """The ranked work list. Ranked from a few columns a project; the model instances (park and province
    attached, with units, jobs, units_source, units_per_billion, jobs_per_billion set) are built only for
    the rows read: a page of 50 reads 50 of the 2,901 national projects, a download reads them all."""

    def __init__(self, ranks: list[_Rank]):
        self._ranks = ranks

    def __len__(self) -> int:
        return len(self._ranks)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._build(self._ranks[index])
        return self._build([self._ranks[index]])[0]

    def __iter__(self):
        for part in chunks(self._ranks):
            yield from self._build(part)

    @property
    def totals(self) -> dict[str, int]:
        """Cost, units and jobs of the whole list (not only the rows read)."""
        return {
            "cost": sum(r.cost for r in self._ranks),
            "units": sum(r.units for r in self._ranks),
            "jobs": sum(r.jobs for r in self._ranks),
        }

    @staticmethod
    def _build(ranks: list[_Rank]) -> list[InfraProject]:
        projects = InfraProject.objects.select_related(None).in_bulk([r.pk for r in ranks])
        parks = IndustrialPark.objects.select_related("province").in_bulk({r.park_id for r in ranks})
        provinces = {park.province_id: park.province for park in parks.values()}  # a project's is its park's
        if missing := {r.province_id for r in ranks} - provinces.keys():
            provinces |= Province.objects.in_bulk(missing)
        out = []
        for r in ranks:
            p = projects[r.pk]
            p.park, p.province = parks[r.park_id], provinces[r.province_id]
            p.units, p.jobs, p.units_source = r.units, r.jobs, r.units_source
            p.units_per_billion, p.jobs_per_billion = r.units_per_billion, r.jobs_per_billion
            out.append(p)
        return out


def ranked_projects(*, scope: Scope, filters: ProjectFilters = ProjectFilters()) -> RankedProjects:
    """The work list with the units and jobs each project unblocks, ranked by units (or jobs) per
    billion rials. A few queries whatever the length: the projects' columns, then (once per data
    version, `_unblocked`) the open cases' infrastructure obstacles by park and kind and the idle units by
    park and sector group; then two for the rows read (the projects and their parks)."""
    # A national list is thousands of projects in a few hundred parks: ranked from tuples, as model
    # instances for every project (and their parks) were most of the page's time.
    items = [
        _Rank(*row)
        for row in projects(scope=scope, filters=filters)
        .select_related(None)
        .order_by()
        .values_list("pk", "park_id", "province_id", "utility", "cost")
    ]
    by_case, parks_with_cases, fallback = _unblocked(
        province_ids=_province_ids(items), everywhere=scope.is_nation and filters.province is None
    )
    for p in items:
        if p.park_id in parks_with_cases:
            p.units, p.jobs = by_case.get((p.park_id, p.utility), (0, 0))
            p.units_source = "cases"
        else:
            n = jobs = 0
            for group in SECTOR_NEEDS[p.utility]:
                a, b = fallback.get((p.park_id, group), (0, 0))
                n, jobs = n + a, jobs + b
            p.units, p.jobs = n, jobs
            p.units_source = "gaps"
        billions = max(p.cost, 1) / 1e9
        p.units_per_billion = p.units / billions
        p.jobs_per_billion = p.jobs / billions
    key = SORTS.get(filters.sort.lstrip("-"), "units_per_billion")
    second = "jobs_per_billion" if key != "jobs_per_billion" else "units_per_billion"
    items.sort(
        key=lambda p: (getattr(p, key), getattr(p, second), -p.pk), reverse=not filters.sort.startswith("-")
    )
    return RankedProjects(items)


def _province_ids(items: list[_Rank]) -> list[int]:
    return sorted({p.province_id for p in items})


def _unblocked(*, province_ids: list[int], everywhere: bool) -> tuple[dict, set, dict]:
    """What the projects of these provinces unblock: ({(park, utility): (units, jobs)} from the open cases'
    infrastructure obstacles, {parks with an open case among their idle and below-50% units},
    {(park, sector group): (units, jobs)} of those units). Two aggregates over the whole country for a
    national list (about 70 ms on SQLite), so computed once per data version: every write leaves an audit
    row (core/cache.py), and the list's own filters (status, utility, sort) are applied to the projects."""
    from revive.core.cache import memoize_on_data

    if not province_ids:
        return {}, set(), {}
    return memoize_on_data(
        "planning.unblocked",
        (tuple(province_ids), everywhere),
        lambda: _unblocked_now(province_ids=province_ids, everywhere=everywhere),
    )


def _unblocked_now(*, province_ids: list[int], everywhere: bool) -> tuple[dict, set, dict]:
    by_case: dict[tuple[int, str], tuple[int, int]] = {}
    parks_with_cases: set[int] = set()
    fallback: dict[tuple[int, str], tuple[int, int]] = {}
    rows = (
        Obstacle.objects.filter(
            province_id__in=province_ids,
            status=Obstacle.Status.OPEN,
            kind__in=list(INFRASTRUCTURE_OBSTACLES),
            case__state__in=OPEN_STATES,
        )
        .values("case__park_id", "kind")
        .annotate(units=Count("case__unit_id", distinct=True), jobs=Sum("case__unit__employees"))
    )
    for r in rows:
        by_case[(r["case__park_id"], INFRASTRUCTURE_OBSTACLES[r["kind"]])] = (r["units"], r["jobs"] or 0)
    units = ProductionUnit.objects.filter(current_band__in=[Band.IDLE, Band.BELOW_50])
    if not everywhere:  # (units elsewhere are never looked up)
        units = units.filter(province_id__in=province_ids)
    units = (
        units.annotate(open_case=Exists(Case.objects.filter(unit=OuterRef("pk"), state__in=OPEN_STATES)))
        .values("park_id", "sector__group")
        .annotate(n=Count("id"), jobs=Sum("employees"), cases=Count("id", filter=Q(open_case=True)))
    )
    for r in units:
        if r["cases"]:
            parks_with_cases.add(r["park_id"])
        fallback[(r["park_id"], r["sector__group"])] = (r["n"], r["jobs"] or 0)
    return by_case, parks_with_cases, fallback


def runs(*, scope: Scope) -> QuerySet[PlanRun]:
    return PlanRun.objects.visible_to(scope).select_related("author", "province", "scenario")


def run_get(*, scope: Scope, pk: int) -> PlanRun:
    return get_object_or_404(runs(scope=scope), pk=pk)


def scenarios(*, scope: Scope) -> QuerySet[Scenario]:
    return Scenario.objects.visible_to(scope).select_related("author", "province")


def scenario_get(*, scope: Scope, pk: int) -> Scenario:
    return get_object_or_404(scenarios(scope=scope), pk=pk)


def compare(a: PlanRun, b: PlanRun) -> dict:
    """Two finished runs side by side: headline figures and the units only one of them revives."""
    ra, rb = a.result or {}, b.result or {}
    rows_a = {r["business_id"]: r for r in ra.get("rows", [])}
    rows_b = {r["business_id"]: r for r in rb.get("rows", [])}
    only_a = [rows_a[k] for k in sorted(set(rows_a) - set(rows_b))]
    only_b = [rows_b[k] for k in sorted(set(rows_b) - set(rows_a))]
    figures = ["objective", "units", "jobs", "loans", "infra", "money", "gap"]
    return {
        "a": a,
        "b": b,
        "figures": [{"name": f, "a": ra.get(f), "b": rb.get(f)} for f in figures],
        "only_a": only_a,
        "only_b": only_b,
        "both": len(set(rows_a) & set(rows_b)),
    }
