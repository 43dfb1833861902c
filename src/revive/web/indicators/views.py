"""Targets and the Surge in Production dashboard: targets vs actual, forecasts, the tile map, the
backtest, the production index, the press summary, hand-reported figures and the monthly report."""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from revive.accounts.roles import Perm, has_perm
from revive.core import calendar, rules
from revive.core.errors import DomainError
from revive.indicators import press, reports, selectors, services
from revive.indicators.models import Indicator, ReportedValue
from revive.registry import selectors as registry
from revive.web import charts
from revive.web.access import page_scope, staff
from revive.web.exports import export_format, tables_response
from revive.web.forms import add_domain_error, carry_current_version
from revive.web.indicators.exports import backtest_tables, dashboard_tables, production_tables, reported_table
from revive.web.indicators.forms import ReportedValueForm, ReportForm, TargetsForm


def _can_set_targets(request, scope) -> bool:
    return has_perm(request.user, Perm.SET_TARGETS) and scope.is_nation


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=staff)
    started = time.monotonic()
    today = calendar.tehran_today()
    year = rules.year(request.GET.get("year"), today)
    try:
        province = selectors.scoped_province(scope, request.GET.get("province", ""))
    except Http404:
        raise
    data = selectors.figures(scope=scope, year=year, today=today, province=province)
    ranking = selectors.province_ranking(scope=scope, year=year, today=today)
    if export_format(request):
        suffix = f"-{province.code}" if province else ""
        tables = dashboard_tables(data["rows"], ranking)
        return tables_response(request=request, filename=f"revive-targets-{year}{suffix}", tables=tables)
    this_year = registry.revivals_by_month(scope=scope, year=year, province=province)
    last_year = registry.revivals_by_month(scope=scope, year=year - 1, province=province)
    return render(
        request,
        "web/indicators/dashboard.html",
        {
            "data": data,
            "year": year,
            "years": list(range(calendar.current_jalali_year(today) + 1, selectors.FIRST_YEAR - 1, -1)),
            "province": province,
            "head": selectors.headline(data["rows"]),
            "jobs": selectors.headline(data["rows"], "jobs_restored"),
            "ranking": ranking,
            "tiles": charts.progress_tiles(ranking, year),
            "chart": charts.revivals_against_last_year([this_year, last_year], year),
            "can_set_targets": _can_set_targets(request, scope),
            "server_ms": round((time.monotonic() - started) * 1000),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def targets_edit(request: HttpRequest, code: str) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=staff)
    if not _can_set_targets(request, scope):
        raise Http404
    today = calendar.tehran_today()
    year = rules.year(request.GET.get("year"), today)
    indicator = get_object_or_404(Indicator, jyear=year, code=code)
    provinces = list(registry.provinces(scope=scope))
    existing = {
        (t.province.code if t.province else None): t.value
        for t in indicator.targets.filter(park__isnull=True).select_related("province")
    }
    initial = {"national": existing.get(None, "")}
    initial.update({f"province_{c}": v for c, v in existing.items() if c})
    split = not indicator.national_only
    form = TargetsForm(request.POST or None, provinces=provinces, split=split, lang=rules.language(), initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.targets_set(indicator=indicator, national=form.cleaned_data["national"],
                                     provinces=form.provinces() if split else None, by=request.user)  # fmt: skip
            except DomainError as exc:
                field = exc.details.get("field")
                form.add_error(field if field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("The targets were saved."))
                return redirect(f"{reverse('web:dashboard')}?year={year}")
    locked = None
    try:
        services.check_target_year(year, today)
    except DomainError as exc:
        locked = exc.message
    return render(
        request,
        "web/indicators/targets.html",
        {"form": form, "indicator": indicator, "year": year, "locked": locked, "split": split},
        status=status,
    )


@login_required
def backtest(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=staff)
    province = selectors.scoped_province(scope, request.GET.get("province", ""))
    data = selectors.backtest(scope=scope, province=province)
    if export_format(request):
        suffix = f"-{province.code}" if province else ""
        return tables_response(
            request=request, filename=f"revive-backtest{suffix}", tables=backtest_tables(data)
        )
    return render(request, "web/indicators/backtest.html", {"data": data, "province": province})


@login_required
def production(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=staff)
    today = calendar.tehran_today()
    province = selectors.scoped_province(scope, request.GET.get("province", ""))
    # The latest month whose filings are due (the 10th of the next month) is the default.
    latest = calendar.add_months(calendar.month_of(today), -1)
    if calendar.filing_due_date(*latest) > today:
        latest = calendar.add_months(latest, -1)
    error = None
    year, month = latest
    if request.GET.get("month"):
        try:
            year, month = reports.parse_month(request.GET["month"], today)
        except DomainError as exc:
            error = exc.message
    data = selectors.production_index(scope=scope, year=year, month=month, province=province)
    if export_format(request) and error is None:
        suffix = f"-{province.code}" if province else ""
        return tables_response(request=request, filename=f"revive-production-{year}-{month:02d}{suffix}",
                               tables=production_tables(data))  # fmt: skip
    return render(request, "web/indicators/production.html",
                  {"data": data, "province": province, "error": error, "month_text": f"{year}/{month:02d}"},
                  status=400 if error else 200)  # fmt: skip


@login_required
def press_summary(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=staff)
    today = calendar.tehran_today()
    year = rules.year(request.GET.get("year"), today)
    province = selectors.scoped_province(scope, request.GET.get("province", ""))
    texts = {
        lang: press.summary(scope=scope, year=year, lang=lang, today=today, province=province)
        for lang in ("fa", "en")
    }
    return render(request, "web/indicators/press.html", {"texts": texts, "year": year, "province": province})


@login_required
@require_http_methods(["GET", "POST"])
def reported(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=staff)
    today = calendar.tehran_today()
    year = rules.year(request.GET.get("year"), today)
    lang = rules.language()
    if request.method == "GET" and export_format(request):
        return tables_response(request=request, filename=f"revive-reported-{year}",
                               tables={"reported": reported_table(selectors.reported_values(scope=scope, year=year), lang)})  # fmt: skip
    hand = list(Indicator.objects.filter(jyear=year, kind=Indicator.Kind.REPORTED).order_by("code"))
    can_enter = has_perm(request.user, Perm.SET_TARGETS) or has_perm(request.user, Perm.MANAGE_CASES)
    can_approve = _can_set_targets(request, scope)
    form = ReportedValueForm(
        request.POST if request.POST.get("action") == "enter" else None, indicators=hand, lang=lang
    )
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if request.POST.get("action") == "approve" and can_approve:
                pk = request.POST.get("pk", "")
                row = get_object_or_404(ReportedValue.objects.visible_to(scope), pk=rules.record_id(pk) or 0)
                version = rules.require_version(request.POST.get("version"))
                services.reported_value_approve(row=row, by=request.user, version=version)
                messages.success(request, _("The figure was approved; its month is now locked."))
                return redirect(request.get_full_path())
            if request.POST.get("action") == "enter" and can_enter and form.is_valid():
                y, m = calendar.parse_jalali_month(form.cleaned_data["month"])
                indicator = get_object_or_404(Indicator, jyear=y, code=form.cleaned_data["indicator"])
                province = (
                    None
                    if scope.is_nation
                    else registry.province_get(scope=scope, code=request.user.province.code)
                )
                services.reported_value_enter(indicator=indicator, year=y, month=m, value=form.cleaned_data["value"],
                                              note=form.cleaned_data["note"], province=province, by=request.user,
                                              version=form.cleaned_data.get("version") or 0)  # fmt: skip
                messages.success(
                    request, _("The figure was entered; it counts once a national analyst approves it.")
                )
                return redirect(request.get_full_path())
            if request.POST.get("action") not in ("enter", "approve") or not (can_enter or can_approve):
                raise Http404
        except DomainError as exc:
            if form.is_bound:
                add_domain_error(form, exc)
                carry_current_version(form, exc)
            else:
                # an approval's refusal (already approved by a double click or a colleague, a stale
                # version, the approver who entered it): the entry form was not sent and cannot carry it
                messages.error(request, exc.message)
    rows = selectors.reported_values(scope=scope, year=year)
    return render(
        request,
        "web/indicators/reported.html",
        {
            "form": form,
            "rows": rows,
            "year": year,
            "can_enter": can_enter and hand,
            "can_approve": can_approve,
        },
        status=status,
    )


@login_required
def report(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=staff)
    lang = rules.language()
    provinces = list(registry.provinces(scope=scope))
    today = calendar.tehran_today()
    default_month = "{}/{:02d}".format(*calendar.month_of(today))
    form = ReportForm(request.GET or None, provinces=provinces, lang=lang, national=scope.is_nation,
                      initial={"month": default_month})  # fmt: skip
    if request.GET and form.is_valid():
        try:
            year, month = reports.parse_month(form.cleaned_data["month"], today)
            province = selectors.scoped_province(scope, form.cleaned_data["province"])
            data = reports.report_data(scope=scope, year=year, month=month, province=province, today=today)
            fmt = form.cleaned_data["format"]
            if fmt == "pdf":
                response = HttpResponse(reports.render_pdf(data), content_type="application/pdf")
            else:
                response = HttpResponse(
                    reports.render_xlsx(data),
                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
            response["Content-Disposition"] = f'attachment; filename="{reports.filename(data, fmt)}"'
            return response
        except DomainError as exc:
            form.add_error("month" if exc.details.get("field") == "month" else None, str(exc.message))
    return render(request, "web/indicators/report.html", {"form": form}, status=400 if form.errors else 200)
