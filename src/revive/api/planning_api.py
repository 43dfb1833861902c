"""API for infrastructure projects and plans: the same selectors and services as the pages."""

from typing import Annotated, Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from revive.accounts.roles import Perm, has_perm
from revive.api.params import In, Page, PageSize, Text, one_of
from revive.core import bounds, rules
from revive.core.errors import DomainError
from revive.core.scoping import ScopeKind, scope_for
from revive.planning import selectors, services
from revive.planning.services import MAX_TIME_LIMIT
from revive.registry import selectors as registry_selectors

from .schemas import ErrorOut

router = Router(tags=["planning"])


class InfraProjectOut(Schema):
    id: int
    rank: int
    name_fa: str
    name_en: str
    province: str
    park: str
    utility: str
    status: str
    cost: int
    duration_months: int
    progress: int
    units_unblocked: int
    jobs_unblocked: int
    units_per_billion: float
    jobs_per_billion: float
    units_source: str


class InfraProjectList(Schema):
    items: list[InfraProjectOut]
    count: int
    page: int
    page_size: int


class PlanIn(In):
    # this year or the next (read when the API is built, like the other year bounds)
    year: Annotated[int, Field(ge=rules.last_year() - 1, le=rules.last_year())]
    objective: Literal["units", "jobs", "production"] = "jobs"
    province: Text | None = None
    scenario: Annotated[int, Field(ge=1, le=bounds.INTEGER)] | None = None
    time_limit: Annotated[float, Field(gt=0, le=MAX_TIME_LIMIT)] = 10.0


class PlanStarted(Schema):
    id: int
    status: str


class PlanOut(Schema):
    id: int
    status: str
    progress: int
    province: str | None
    parameters: dict
    error: str
    summary: dict | None


def _plan_scope(request):
    if not has_perm(request.auth, Perm.PLAN):
        raise Http404
    scope = scope_for(request.auth)
    if scope.kind not in (ScopeKind.NATION, ScopeKind.PROVINCE):
        raise Http404
    return scope


@router.get("/infra-projects", response={200: InfraProjectList, 400: ErrorOut, 404: ErrorOut})
def infra_project_list(
    request,
    province: str = "",
    status: one_of("open", "proposed", "funded", "under_construction", "done") = "open",
    sort: one_of("units", "jobs") = "units",
    page: Page = 1,
    page_size: PageSize = 50,
):
    """Unfinished park infrastructure projects, ranked by units (or jobs) unblocked per billion rials."""
    scope = _plan_scope(request)
    start, end = rules.page_slice(page, page_size)
    prov = registry_selectors.province_get(scope=scope, code=province) if province else None
    if status not in ("open", "", "proposed", "funded", "under_construction", "done"):
        raise DomainError(_("Unknown status."), field="status")
    sort = sort or "units"
    items = selectors.ranked_projects(
        scope=scope, filters=selectors.ProjectFilters(province=prov, status=status, sort=sort)
    )
    out = [
        {
            "id": p.pk,
            "rank": start + i,
            "name_fa": p.name_fa,
            "name_en": p.name_en,
            "province": p.province.code,
            "park": p.park.code,
            "utility": p.utility,
            "status": p.status,
            "cost": p.cost,
            "duration_months": p.duration_months,
            "progress": p.progress,
            "units_unblocked": p.units,
            "jobs_unblocked": p.jobs,
            "units_per_billion": round(p.units_per_billion, 6),
            "jobs_per_billion": round(p.jobs_per_billion, 6),
            "units_source": p.units_source,
        }
        for i, p in enumerate(items[start:end], 1)
    ]
    return {"items": out, "count": len(items), "page": page, "page_size": page_size}


@router.post("/plans", response={201: PlanStarted, 400: ErrorOut, 404: ErrorOut})
def plan_start(request, body: PlanIn):
    """Start a plan in the background; poll GET /plans/{id} until its status is done or failed."""
    scope = _plan_scope(request)
    prov = registry_selectors.province_get(scope=scope, code=body.province) if body.province else None
    scenario = selectors.scenario_get(scope=scope, pk=body.scenario) if body.scenario else None
    run = services.plan_run_start(
        scope=scope,
        by=request.auth,
        year=body.year,
        objective=body.objective,
        province=prov,
        scenario=scenario,
        time_limit=body.time_limit,
    )
    return Status(201, {"id": run.pk, "status": run.status})


SUMMARY_KEYS = (
    "scope", "year", "objective_kind", "status", "objective", "bound", "gap", "seconds", "baselines",
    "best_rule", "best_rule_value", "units", "jobs", "loans", "infra", "money", "months_left", "instance",
    "excluded", "selected_projects",
)  # fmt: skip


@router.get("/plans/{run_id}", response={200: PlanOut, 404: ErrorOut})
def plan_detail(request, run_id: int):
    run = selectors.run_get(scope=_plan_scope(request), pk=run_id)
    result = run.result or None
    summary = None
    if result:
        summary = {k: result.get(k) for k in SUMMARY_KEYS}
        summary["selected_units"] = [
            {"business_id": r["business_id"], "province": r["province"], "loan": r["loan"], "bank": r["bank"]}
            for r in result.get("rows", [])
        ]
        summary["sweep"] = [
            {k: p.get(k) for k in ("factor", "money", "value", "units", "per_billion")}
            for p in result.get("sweep", [])
        ]
        if result.get("schedule"):  # the year plan month by month (issue 19); month 1 is first_month
            summary["schedule"] = {k: v for k, v in result["schedule"].items() if k not in ("method",)}
    return {
        "id": run.pk,
        "status": run.status,
        "progress": run.progress,
        "province": run.province.code if run.province else None,
        "parameters": run.parameters,
        "error": run.error,
        "summary": summary,
    }
