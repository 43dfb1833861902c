"""HTTP API v1 (django-ninja): the same selectors as the pages, the same scoping, JSON errors."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from revive.core import calendar, rules
from revive.core.errors import DomainError
from revive.core.scoping import scope_for
from revive.registry import selectors
from revive.registry.models import Band, ProductionUnit, Province, Sector

from .auth import Session, TokenAuth
from .params import BODY_SCHEMAS, Page, PageSize, YearQuery, one_of
from .schemas import (
    ErrorOut,
    ParkDetail,
    ParkList,
    ProvinceList,
    ProvinceOut,
    RevivalsOut,
    UnitDetail,
    UnitList,
)


class ReviveAPI(NinjaAPI):
    """The schema documents the answers every operation can give whatever its handler does: 400 for a
    parameter or body that fails validation (path ids included), 401 without a sign-in or token, 403
    when a signed-in browser's write fails the CSRF check; all in the {"message", "details"} shape. Text
    parameters and request fields say that a NUL character is refused (web/middleware_rules.py)."""

    COMMON = {
        "400": "Bad input: the message names the parameter or field.",
        "401": "Not signed in and no valid API token.",
    }
    WRITES = {
        "403": "A signed-in browser's write without its CSRF token, or a change the caller's role does not make."
    }

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                body = BODY_SCHEMAS.get(f"{method} {path.removeprefix('/api/v1')}")
                if body is not None:
                    operation["requestBody"] = body()
                responses = operation.setdefault("responses", {})
                extra = {**self.COMMON, **(self.WRITES if method != "get" else {})}
                for code, text in extra.items():
                    responses.setdefault(code, {"description": text, "content": error})
                for parameter in operation.get("parameters", []):
                    _no_nul(parameter.get("schema", {}))
        for name, component in schema.get("components", {}).get("schemas", {}).items():
            if name.endswith("In"):
                for field in component.get("properties", {}).values():
                    _no_nul(field)
        return schema


def _no_nul(schema: dict) -> None:
    """Free text in a request may hold anything but NUL (which no database column can hold)."""
    for option in schema.get("anyOf", []):
        _no_nul(option)
    if schema.get("type") == "string" and not ({"enum", "pattern", "format", "const"} & set(schema)):
        schema["pattern"] = "^[^\\x00]*$"


api = ReviveAPI(
    title="Revive API",
    version="1",
    description="Registry of industrial parks and production units, and the revival figures.",
    auth=[TokenAuth(), Session()],
    urls_namespace="api",
)

from .cases_api import router as cases_router  # noqa: E402
from .filings_api import router as filings_router  # noqa: E402
from .finance_api import router as finance_router  # noqa: E402
from .indicators_api import router as indicators_router  # noqa: E402
from .insight_api import router as insight_router  # noqa: E402
from .me_api import router as me_router  # noqa: E402
from .notices_api import router as notices_router  # noqa: E402
from .planning_api import router as planning_router  # noqa: E402

api.add_router("/", cases_router)
api.add_router("/", finance_router)
api.add_router("/", planning_router)
api.add_router("/", insight_router)
api.add_router("/", indicators_router)
api.add_router("/", me_router)
api.add_router("/", filings_router)
api.add_router("/", notices_router)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(
        request, {"message": str(exc.message), "details": _jsonable(exc.details)}, status=exc.status_code
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"message": _("Not found."), "details": {}}, status=404)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    fields = [".".join(str(p) for p in e.get("loc", [])[1:]) for e in exc.errors]
    return api.create_response(
        request,
        {
            "message": _("Some parameters are not valid: %(fields)s.") % {"fields": ", ".join(fields)},
            "details": {"errors": _jsonable(exc.errors)},
        },
        status=400,
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """ninja's own refusals (a body that is not JSON, a failed CSRF check) in the documented shape."""
    messages = {
        400: _("The request body is not valid JSON."),
        403: _("The request was refused: reload the page you called the API from, or send an API token."),
    }
    message = messages.get(exc.status_code, str(exc))
    return api.create_response(request, {"message": message, "details": {}}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(
        request, {"message": _("Sign in or send a valid API token."), "details": {}}, status=401
    )


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _scope(request: HttpRequest):
    return scope_for(request.auth)


def _province_filter(scope, code: str | None) -> Province | None:
    if not code:
        return None
    return selectors.province_get(scope=scope, code=code)  # unknown or out of scope: 404


def _unit_out(u) -> dict:
    return {
        "business_id": u.business_id,
        "name_fa": u.name_fa,
        "name_en": u.name_en,
        "province": u.province.code,
        "park": u.park.code,
        "sector": u.sector.isic_division,
        "sector_group": u.sector.group,
        "size_class": u.size_class,
        "employees": u.employees,
        "band": u.current_band,
        "band_since": u.band_since,
        "band_since_jalali": calendar.format_jalali(u.band_since, lang="en") if u.band_since else None,
    }


def _park_out(p) -> dict:
    return {
        "code": p.code,
        "name_fa": p.name_fa,
        "name_en": p.name_en,
        "province": p.province.code,
        "kind": p.kind,
        "ownership": p.ownership,
        "stage": p.stage,
        "area_ha": float(p.area_ha) if p.area_ha is not None else None,
        "units": getattr(p, "unit_count", None),
        "idle": getattr(p, "idle_count", None),
    }


@api.get("/provinces", response={200: ProvinceList, 401: ErrorOut}, tags=["registry"])
def province_list(request):
    scope = _scope(request)
    today = calendar.tehran_today()
    period = calendar.year_to_date(calendar.current_jalali_year(today), today)
    rows = selectors.province_table(scope=scope, period=period, revival_rows=[])
    items = [
        {
            "code": r["province"].code,
            "name_fa": r["province"].name_fa,
            "name_en": r["province"].name_en,
            "units": r["units"],
            "idle": r["idle"],
        }
        for r in rows
    ]
    return {"items": items, "count": len(items)}


@api.get("/provinces/{code}", response={200: ProvinceOut, 404: ErrorOut}, tags=["registry"])
def province_detail(request, code: str):
    p = selectors.province_get(scope=_scope(request), code=code)
    return {"code": p.code, "name_fa": p.name_fa, "name_en": p.name_en}


@api.get("/parks", response={200: ParkList, 400: ErrorOut, 404: ErrorOut}, tags=["registry"])
def park_list(request, province: str | None = None, page: Page = 1, page_size: PageSize = 50):
    scope = _scope(request)
    start, end = rules.page_slice(page, page_size)
    qs = selectors.parks(scope=scope, province=_province_filter(scope, province))
    return {"items": [_park_out(p) for p in qs[start:end]], "count": qs.count()}


@api.get("/parks/{code}", response={200: ParkDetail, 404: ErrorOut}, tags=["registry"])
def park_detail(request, code: str):
    park = selectors.park_get(scope=_scope(request), code=code)
    out = _park_out(park)
    out["infrastructure"] = [
        {
            "utility": i.utility,
            "status": i.status,
            "capacity": float(i.capacity) if i.capacity is not None else None,
            "capacity_unit": i.capacity_unit,
        }
        for i in park.infrastructure.order_by("utility")
    ]
    return out


@api.get("/units", response={200: UnitList, 400: ErrorOut, 404: ErrorOut}, tags=["registry"])
def unit_list(
    request,
    q: str = "",
    province: str = "",
    park: str = "",
    sector: str = "",
    band: one_of(*Band.values) = "",
    size: one_of(*ProductionUnit.Size.values) = "",
    sort: one_of(*selectors.UNIT_SORTS) = "business_id",
    page: Page = 1,
    page_size: PageSize = 50,
):
    scope = _scope(request)
    if province:
        _province_filter(scope, province)
    if sector and not Sector.objects.filter(isic_division=sector).exists():
        raise Http404  # an unknown code answers 404, like an unknown province or park
    start, end = rules.page_slice(page, page_size)
    qs = selectors.units(
        scope=scope,
        filters=selectors.UnitFilters(
            q=q[:100], province=province, park=park, sector=sector, band=band, size=size, sort=sort or "business_id"
        ),
    )
    return {
        "items": [_unit_out(u) for u in qs[start:end]],
        "count": qs.count(),
        "page": page,
        "page_size": page_size,
    }


@api.get("/units/{business_id}", response={200: UnitDetail, 404: ErrorOut}, tags=["registry"])
def unit_detail(request, business_id: str):
    scope = _scope(request)
    unit = selectors.unit_get(scope=scope, business_id=business_id)
    out = _unit_out(unit)
    out["licensed_capacity"] = unit.licensed_capacity
    out["operation_licence_no"] = unit.operation_licence_no
    out["history"] = [
        {
            "band": s.band,
            "effective_date": s.effective_date,
            "effective_date_jalali": calendar.format_jalali(s.effective_date, lang="en"),
            "source": s.source,
            "event": s.event,
            "jobs": s.jobs,
            "is_relapse": s.is_relapse,
        }
        for s in selectors.unit_history(scope=scope, unit=unit)
    ]
    return out


@api.get("/kpis/revivals", response={200: RevivalsOut, 400: ErrorOut, 404: ErrorOut}, tags=["kpis"])
def kpi_revivals(request, year: YearQuery = None, province: str | None = None):
    """Idle units revived and jobs restored from 1 Farvardin of `year` to today (or the year's end)."""
    scope = _scope(request)
    today = calendar.tehran_today()
    year = rules.year(year, today)
    prov = _province_filter(scope, province)
    if not scope.sees_registry:
        raise Http404
    period = calendar.year_to_date(year, today)
    kpi = selectors.revivals(scope=scope, period=period, province=prov)
    return {
        "year": year,
        "since": period.start,
        "since_jalali": calendar.format_jalali(period.start, lang="en"),
        "until": period.end,
        "until_jalali": calendar.format_jalali(period.end, lang="en"),
        "scope": prov.code if prov else ("nation" if scope.is_nation else scope.kind.value),
        "revived_units": kpi["revived_units"],
        "jobs_restored": kpi["jobs_restored"],
        "by_province": [
            {
                "province": r["province"].code,
                "province_name_fa": r["province"].name_fa,
                "province_name_en": r["province"].name_en,
                "revived_units": r["revived_units"],
                "jobs_restored": r["jobs_restored"],
            }
            for r in kpi["by_province"]
        ],
        "by_month": selectors.revivals_by_month(scope=scope, year=year, province=prov),
    }
