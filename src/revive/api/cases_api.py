"""API for cases and resolutions: the same selectors and services as the pages."""

from datetime import date
from typing import Literal

from django.http import Http404
from ninja import Router, Schema

from revive.accounts.roles import Perm, has_perm
from revive.api.params import In, Page, PageSize, Text, Version, YearQuery, one_of
from revive.cases import selectors, services
from revive.cases.models import CaseState, ObstacleKind, Resolution
from revive.core import calendar, rules
from revive.core.scoping import scope_for
from revive.registry import selectors as registry_selectors

from .schemas import ErrorOut

router = Router(tags=["cases"])


class ObstacleOut(Schema):
    id: int
    kind: str
    organisation: str | None
    amount: int | None
    status: str


class CaseOut(Schema):
    id: int
    business_id: str
    province: str
    park: str
    state: str
    origin: str
    opened_on: date
    opened_on_jalali: str
    revived_on: date | None
    jobs_restored: int
    version: int


class CaseDetail(CaseOut):
    obstacles: list[ObstacleOut]
    allowed_transitions: list[str]


class CaseList(Schema):
    items: list[CaseOut]
    count: int
    page: int
    page_size: int


class CaseTransitionIn(In):
    to: Text
    note: Text = ""
    version: Version


class ResolutionOut(Schema):
    id: int
    meeting_number: int
    meeting_date: date
    province: str
    organisation: str
    case: int | None
    text: str
    deadline: date
    deadline_jalali: str
    status: str
    overdue: bool
    escalated: bool
    version: int


class ResolutionList(Schema):
    items: list[ResolutionOut]
    count: int
    page: int
    page_size: int


class AnswerIn(In):
    status: Literal["done", "not_done"]
    response: Text = ""
    version: Version


class OrganisationRate(Schema):
    organisation: str
    total: int
    done: int
    overdue: int
    execution_rate: float | None


class ResolutionKpi(Schema):
    year: int
    since: date
    until: date
    total: int
    done: int
    not_done: int
    pending: int
    overdue: int
    execution_rate: float | None
    by_organisation: list[OrganisationRate]


def _case_out(c) -> dict:
    return {
        "id": c.pk,
        "business_id": c.unit.business_id,
        "province": c.province.code,
        "park": c.park.code,
        "state": c.state,
        "origin": c.origin,
        "opened_on": c.opened_on,
        "opened_on_jalali": calendar.format_jalali(c.opened_on, lang="en"),
        "revived_on": c.revived_on,
        "jobs_restored": c.jobs_restored,
        "version": c.version,
    }


def _resolution_out(r, today: date) -> dict:
    return {
        "id": r.pk,
        "meeting_number": r.meeting.number,
        "meeting_date": r.meeting.held_on,
        "province": r.province.code,
        "organisation": r.organisation.code,
        "case": r.case_id,
        "text": r.text,
        "deadline": r.deadline,
        "deadline_jalali": calendar.format_jalali(r.deadline, lang="en"),
        "status": r.status,
        "overdue": r.status == "pending" and r.deadline < today,
        "escalated": r.escalated,
        "version": r.version,
    }


def _case_scope(request, perm: str = Perm.VIEW_CASES):
    if not has_perm(request.auth, perm):
        raise Http404
    return scope_for(request.auth)


@router.get("/cases", response={200: CaseList, 400: ErrorOut, 404: ErrorOut})
def case_list(
    request,
    province: str = "",
    state: one_of("open", *CaseState.values) = "",
    obstacle: one_of(*ObstacleKind.values) = "",
    organisation: str = "",
    overdue: bool = False,
    page: Page = 1,
    page_size: PageSize = 50,
):
    scope = _case_scope(request)
    if province:
        registry_selectors.province_get(scope=scope, code=province)
    start, end = rules.page_slice(page, page_size)
    qs = selectors.cases(
        scope=scope,
        filters=selectors.CaseFilters(
            province=province, state=state, obstacle=obstacle, organisation=organisation, overdue=overdue
        ),
    )
    return {
        "items": [_case_out(c) for c in qs[start:end]],
        "count": qs.count(),
        "page": page,
        "page_size": page_size,
    }


@router.get("/cases/{case_id}", response={200: CaseDetail, 404: ErrorOut})
def case_detail(request, case_id: int):
    from revive.cases import workflow

    case = selectors.case_get(scope=_case_scope(request), pk=case_id)
    out = _case_out(case)
    out["obstacles"] = [
        {
            "id": o.pk,
            "kind": o.kind,
            "organisation": o.organisation.code if o.organisation else None,
            "amount": o.amount,
            "status": o.status,
        }
        for o in case.obstacles.select_related("organisation")
    ]
    out["allowed_transitions"] = sorted(workflow.allowed(case.state))
    return out


@router.post(
    "/cases/{case_id}/transitions", response={200: CaseOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut}
)
def case_transition(request, case_id: int, body: CaseTransitionIn):
    scope = _case_scope(request, Perm.MANAGE_CASES)
    case = selectors.case_get(scope=scope, pk=case_id)
    case = services.case_transition(
        case=case, to=body.to, by=request.auth, note=body.note, version=body.version
    )
    return _case_out(case)


@router.get("/resolutions", response={200: ResolutionList, 400: ErrorOut, 404: ErrorOut})
def resolution_list(
    request,
    province: str = "",
    status: one_of(*Resolution.Status.values) = "",
    overdue: bool = False,
    organisation: str = "",
    page: Page = 1,
    page_size: PageSize = 50,
):
    scope = scope_for(request.auth)
    prov = registry_selectors.province_get(scope=scope, code=province) if province else None
    start, end = rules.page_slice(page, page_size)
    qs = selectors.resolutions(
        scope=scope, province=prov, status=status, overdue=overdue, organisation=organisation
    ).order_by("deadline", "id")
    today = calendar.tehran_today()
    return {
        "items": [_resolution_out(r, today) for r in qs[start:end]],
        "count": qs.count(),
        "page": page,
        "page_size": page_size,
    }


@router.get("/resolutions/{resolution_id}", response={200: ResolutionOut, 404: ErrorOut})
def resolution_detail(request, resolution_id: int):
    r = selectors.resolution_get(scope=scope_for(request.auth), pk=resolution_id)
    return _resolution_out(r, calendar.tehran_today())


@router.post(
    "/resolutions/{resolution_id}/answer",
    response={200: ResolutionOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def resolution_answer(request, resolution_id: int, body: AnswerIn):
    if not has_perm(request.auth, Perm.ANSWER_RESOLUTIONS):
        raise Http404
    r = selectors.resolution_get(scope=scope_for(request.auth), pk=resolution_id)
    r = services.resolution_mark(
        resolution=r, status=body.status, by=request.auth, response=body.response, version=body.version
    )
    return _resolution_out(r, calendar.tehran_today())


@router.get("/kpis/resolutions", response={200: ResolutionKpi, 400: ErrorOut, 404: ErrorOut}, tags=["kpis"])
def kpi_resolutions(request, year: YearQuery = None, province: str | None = None):
    scope = scope_for(request.auth)
    today = calendar.tehran_today()
    year = rules.year(year, today)
    prov = registry_selectors.province_get(scope=scope, code=province) if province else None
    period = calendar.year_to_date(year, today)
    data = selectors.execution(scope=scope, period=period, province=prov)
    return {
        "year": year,
        "since": period.start,
        "until": period.end,
        **{k: data[k] for k in ("total", "done", "not_done", "pending", "overdue", "execution_rate")},
        "by_organisation": [
            {
                "organisation": r["organisation"].code,
                "total": r["total"],
                "done": r["done"],
                "overdue": r["overdue"],
                "execution_rate": r["execution_rate"],
            }
            for r in data["by_organisation"]
        ],
    }
