"""Pages: parse input, call a selector or a service, render. Out of scope is 404, like missing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from revive.accounts.roles import Perm, has_perm
from revive.cases.models import OPEN_STATES
from revive.core import calendar, rules
from revive.core.errors import DomainError
from revive.core.scoping import NATION
from revive.filings.selectors import filing_gap, unit_filings
from revive.registry import selectors, services
from revive.registry.models import Band, ProductionUnit, Sector
from revive.web import charts
from revive.web.access import page_scope, registry_reader, scope_label
from revive.web.exports import export_format, table_response, tables_response
from revive.web.forms import StatusForm, add_domain_error, sent_once
from revive.web.registry.exports import (
    filing_table,
    history_table,
    infrastructure_table,
    parks_table,
    provinces_export,
    unit_table,
)


def public(request: HttpRequest) -> HttpResponse:
    """Published aggregate figures only: what anyone may see."""
    if request.user.is_authenticated:
        return redirect("web:home")
    today = calendar.tehran_today()
    year = calendar.current_jalali_year(today)
    period = calendar.year_to_date(year, today)
    kpi = selectors.revivals(scope=NATION, period=period)
    return render(request, "web/public.html", {"kpi": kpi, "period": period, "year": year, "today": today})


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=registry_reader)
    today = calendar.tehran_today()
    year = rules.year(request.GET.get("year"), today)
    data = selectors.overview(scope=scope, year=year, today=today)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        return provinces_export(data, fmt)
    province = None
    if scope.province_id:
        province = data["provinces"][0]["province"] if data["provinces"] else None
    return render(
        request,
        "web/overview.html",
        {
            "data": data,
            "year": year,
            "years": list(range(calendar.current_jalali_year(today), 1397, -1)),
            "province": province,
            "chart": charts.revivals_by_month(data["by_month"], data["by_month_last_year"], year),
            "totals": _totals(data["provinces"]),
            # a park manager's or an owner's overview is of their park or unit, and says so
            "scope_label": scope_label(request.user, scope) if scope.kind in ("park", "unit") else "",
        },
    )


def _totals(rows: list[dict]) -> dict:
    keys = ("units", "idle", "below_50", "revived_units", "jobs_restored")
    totals = {k: sum(r[k] for r in rows) for k in keys}
    totals["idle_share"] = totals["idle"] / totals["units"] if totals["units"] else None
    return totals


@login_required
def province_detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=registry_reader)
    province = selectors.province_get(scope=scope, code=code)
    today = calendar.tehran_today()
    year = calendar.current_jalali_year(today)
    period = calendar.year_to_date(year, today)
    parks = selectors.parks(scope=scope, province=province)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        header, rows = parks_table(parks)
        return table_response(
            fmt=fmt, filename=f"revive-parks-{province.code}", header=header, rows=rows, rtl=rules.language() == "fa"
        )
    return render(
        request,
        "web/province.html",
        {
            "province": province,
            "period": period,
            "kpi": selectors.revivals(scope=scope, period=period, province=province),
            "bands": selectors.band_counts(scope=scope, province=province),
            "parks": parks,
            "year": year,
            "chart": charts.revivals_by_month(
                selectors.revivals_by_month(scope=scope, year=year, province=province),
                selectors.revivals_by_month(scope=scope, year=year - 1, province=province),
                year,
            ),
        },
    )


@login_required
def park_detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=registry_reader)
    park = selectors.park_get(scope=scope, code=code)
    today = calendar.tehran_today()
    period = calendar.year_to_date(calendar.current_jalali_year(today), today)
    units = selectors.units(scope=scope, filters=selectors.UnitFilters(park=park.code, sort="-employees"))
    infrastructure = park.infrastructure.order_by("utility")
    if export_format(request):
        tables = {"units": unit_table(units), "infrastructure": infrastructure_table(infrastructure)}
        return tables_response(request=request, filename=f"revive-park-{park.code}", tables=tables)
    return render(
        request,
        "web/park.html",
        {
            "park": park,
            "period": period,
            "infrastructure": infrastructure,
            "bands": selectors.band_counts(scope=scope, park=park),
            "kpi": selectors.revivals(scope=scope, period=period, park=park),
            "units": units[:200],
            "unit_count": units.count(),
        },
    )


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=registry_reader)
    filters = selectors.UnitFilters(
        q=request.GET.get("q", "").strip()[:100],
        province=request.GET.get("province", ""),
        park=request.GET.get("park", "").strip(),
        sector=request.GET.get("sector", ""),
        band=request.GET.get("band", ""),
        size=request.GET.get("size", ""),
        sort=request.GET.get("sort", "") or "business_id",
    )
    error = None
    try:
        units = selectors.units(scope=scope, filters=filters)
    except DomainError as exc:
        error, units = exc, ProductionUnit.objects.none()
    if export_format(request) and error is None:
        return tables_response(request=request, filename="revive-units", tables={"units": unit_table(units)})
    page = rules.paginate(request, units, 50)
    context = {
        "page": page,
        "filters": filters,
        "error": error,
        "provinces": selectors.provinces(scope=scope),
        "sectors": Sector.objects.all(),
        "bands": Band.choices,
        "sizes": ProductionUnit.Size.choices,
    }
    template = "web/_unit_table.html" if request.headers.get("HX-Request") else "web/units.html"
    return render(request, template, context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def unit_detail(request: HttpRequest, business_id: str) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=registry_reader)
    unit = selectors.unit_get(scope=scope, business_id=business_id)
    if request.method == "GET" and export_format(request):
        tables = {"history": history_table(selectors.unit_history(scope=scope, unit=unit)),
                  "filings": filing_table(reversed(unit_filings(scope=scope, unit=unit, months=24)))}  # fmt: skip
        return tables_response(request=request, filename=f"revive-unit-{unit.business_id}", tables=tables)
    can_record = has_perm(request.user, Perm.RECORD_STATUS)
    form = StatusForm(request.POST or None, initial={"employees": unit.employees})
    if request.method == "POST":
        if not can_record:
            raise Http404
        if form.is_valid():
            try:
                with sent_once(request):
                    services.unit_status_record(
                        unit=unit,
                        by=request.user,
                        band=form.cleaned_data["band"],
                        effective_date=form.cleaned_data["effective_date"],
                        source=form.cleaned_data["source"],
                        employees=form.cleaned_data["employees"],
                        note=form.cleaned_data["note"],
                    )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The status was recorded."))
                return redirect("web:unit", business_id=unit.business_id)
    filings = unit_filings(scope=scope, unit=unit, months=24)
    chart = charts.unit_capacity(filings)
    return render(
        request,
        "web/unit.html",
        {
            "unit": unit,
            "history": selectors.unit_history(scope=scope, unit=unit),
            "filings": list(reversed(filings)),
            "chart": chart,
            "form": form if can_record else None,
            "filing_gap": filing_gap(unit=unit, today=calendar.tehran_today()),
            "open_case": unit.cases.filter(state__in=OPEN_STATES).first()
            if has_perm(request.user, Perm.VIEW_CASES)
            else None,
            "can_open_case": has_perm(request.user, Perm.MANAGE_CASES) and unit.current_band != Band.CLOSED,
        },
        status=400 if request.method == "POST" else 200,
    )


