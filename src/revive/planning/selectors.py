"""Planning reads, scoped: the ranked infrastructure work list, plan runs, scenarios, run comparison.

Units a project unblocks:
- in a park with open cases, the open cases whose open obstacle is that utility (electricity, gas,
  water, road: the utilities a case can name; none for wastewater and telecom, which no obstacle names);
- in a park without open cases (before the cases are recorded), the park's idle and below-50% units
  whose sector group needs that utility (`SECTOR_NEEDS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from revive.cases.models import INFRASTRUCTURE_OBSTACLES, OPEN_STATES, Case, Obstacle
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


def ranked_projects(*, scope: Scope, filters: ProjectFilters = ProjectFilters()) -> list[InfraProject]:
    """The work list with the units and jobs each project unblocks, ranked by units (or jobs) per
    billion rials. Three queries whatever the length: the projects, the open cases' infrastructure
    obstacles by park and kind, and the idle units by park and sector group."""
    # The projects alone, their parks and provinces attached from one read each: a national list is
    # thousands of projects in a few hundred parks, and three model instances a row were most of its time.
    items = list(projects(scope=scope, filters=filters).select_related(None))
    park_ids = {p.park_id for p in items}
    parks = IndustrialPark.objects.select_related("province").in_bulk(park_ids)
    provinces = {park.province_id: park.province for park in parks.values()}  # a project's is its park's
    if missing := {p.province_id for p in items} - provinces.keys():
        provinces |= Province.objects.in_bulk(missing)
    for p in items:
        p.park, p.province = parks[p.park_id], provinces[p.province_id]
    by_case: dict[tuple[int, str], tuple[int, int]] = {}
    parks_with_cases: set[int] = set()
    fallback: dict[tuple[int, str], tuple[int, int]] = {}
    if park_ids:
        province_filter = _province_ids(items)
        rows = (
            Obstacle.objects.filter(
                province_id__in=province_filter,
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
        if not (scope.is_nation and filters.province is None):  # (units elsewhere are never looked up)
            units = units.filter(province_id__in=province_filter)
        units = (
            units.annotate(open_case=Exists(Case.objects.filter(unit=OuterRef("pk"), state__in=OPEN_STATES)))
            .values("park_id", "sector__group")
            .annotate(n=Count("id"), jobs=Sum("employees"), cases=Count("id", filter=Q(open_case=True)))
        )
        for r in units:
            if r["cases"]:
                parks_with_cases.add(r["park_id"])
            fallback[(r["park_id"], r["sector__group"])] = (r["n"], r["jobs"] or 0)
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
    return items


def _province_ids(items: list[InfraProject]) -> list[int]:
    return sorted({p.province_id for p in items})


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
