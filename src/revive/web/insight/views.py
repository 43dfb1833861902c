"""Early-warning and attribution pages: the watch list, the model's backtest, what interventions do."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revive.accounts.roles import Perm, has_perm
from revive.cases.models import OPEN_STATES, Case
from revive.core import rules
from revive.core.errors import DomainError
from revive.core.scoping import ScopeKind
from revive.insight import selectors, services
from revive.registry import selectors as registry_selectors
from revive.registry.models import Sector
from revive.web import charts
from revive.web.access import page_scope, staff
from revive.web.exports import date_cells, export_format, table_response
from revive.web.insight.exports import attribution_table, calibration_table, reason_texts, watchlist_table


@login_required
def watchlist(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=staff)
    lang = rules.language()
    run = selectors.latest_risk_run()
    province = None
    code = request.GET.get("province", "")
    if code:
        province = registry_selectors.province_get(scope=scope, code=code)
    elif scope.kind == ScopeKind.PROVINCE:
        province = registry_selectors.provinces(scope=scope).first()
    park = None
    park_code = request.GET.get("park", "")
    if park_code:
        park = registry_selectors.park_get(scope=scope, code=park_code)
    sector = None
    sector_code = request.GET.get("sector", "")
    if sector_code:
        sector = Sector.objects.filter(isic_division=sector_code).first()
        if sector is None:
            raise Http404
    ctx = {"run": run, "province": province, "park": park, "sector": sector, "lang": lang}
    if run is None:
        return render(request, "web/insight/watchlist.html", ctx)
    filters = selectors.WatchFilters(
        province_id=province.pk if province else None,
        park_id=park.pk if park else None,
        sector_id=sector.pk if sector else None,
    )
    items = selectors.watchlist(scope=scope, run=run, filters=filters)
    fmt = export_format(request)
    if fmt:
        header, rows = watchlist_table(items, run, lang)
        return table_response(
            fmt=fmt, filename="revive-watchlist", header=header, rows=rows, rtl=lang == "fa"
        )
    page = rules.paginate(request, items, 50)
    unit_ids = [s.unit_id for s in page.object_list]
    open_case = set(
        Case.objects.filter(unit_id__in=unit_ids, state__in=OPEN_STATES).values_list("unit_id", flat=True)
    )
    for s in page.object_list:
        s.words = reason_texts(s, lang)
        s.has_open_case = s.unit_id in open_case
    ctx.update(
        {
            "page": page,
            "count": page.paginator.count,
            "provinces": registry_selectors.provinces(scope=scope) if scope.is_nation else [],
            "parks": registry_selectors.parks(scope=scope, province=province).order_by("code")
            if province
            else [],
            "sectors": Sector.objects.order_by("isic_division"),
            "can_open": has_perm(request.user, Perm.MANAGE_CASES),
            "backtest": run.backtest,
        }
    )
    return render(request, "web/insight/watchlist.html", ctx)


@login_required
@require_POST
def watch_open_case(request: HttpRequest, pk: int) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=staff)
    if not has_perm(request.user, Perm.MANAGE_CASES):
        raise Http404
    score = selectors.score_get(scope=scope, pk=pk)
    try:
        case = services.preventive_case_open(score=score, by=request.user)
    except DomainError as e:
        messages.error(request, str(e))
        return redirect(rules.safe_next(request, fallback=reverse("web:watchlist")))
    messages.success(request, _("Preventive case opened for %(unit)s.") % {"unit": score.unit.business_id})
    return redirect("web:case", case.pk)


@login_required
def model(request: HttpRequest) -> HttpResponse:
    page_scope(request, Perm.VIEW_REGISTRY, allow=staff)
    lang = rules.language()
    run = selectors.latest_risk_run()
    ctx = {"run": run, "lang": lang}
    if run is not None and run.backtest:
        b = run.backtest
        ctx["b"] = b
        cal = b.get("calibration") or []
        ctx["calibration"] = cal
        if cal:
            ctx["chart"] = charts.calibration(cal)
        ctx["rows"] = [
            (_("Gradient boosting (calibrated)"), b.get("auc"), b.get("precision_at_5pct")),
            (_("Office rule: below 50% now, or fell a band in the last 3 months"), b.get("baseline_auc"), b.get("baseline_precision_at_5pct")),
            (_("Logistic regression"), b.get("logit_auc"), b.get("logit_precision_at_5pct")),
        ]  # fmt: skip
        known = b.get("inputs_known") or {}
        labels = {
            "obstacles": _("open obstacles on the units' cases"),
            "park_shortfalls": _("the parks' utilities that fall short"),
        }
        ctx["unknown_inputs"] = [labels[k] for k in labels if k in known and not known[k]]
    if export_format(request) and run is not None:
        header, rows = calibration_table(run.backtest.get("calibration", []))
        return table_response(
            fmt=export_format(request),
            filename="revive-risk-calibration",
            header=header,
            rows=rows,
            rtl=lang == "fa",
        )
    if run is not None:
        ctx["created"] = date_cells(run.created_at)
    return render(request, "web/insight/model.html", ctx)


@login_required
def attribution(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_REGISTRY, allow=staff)
    lang = rules.language()
    run = selectors.latest_attribution_run()
    province = None
    code = request.GET.get("province", "")
    if code:
        province = registry_selectors.province_get(scope=scope, code=code)
    ctx = {"run": run, "province": province, "lang": lang}
    if run is None:
        return render(request, "web/insight/attribution.html", ctx)
    effects = selectors.effects_in_order(scope=scope, run=run, province_id=province.pk if province else None)
    fmt = export_format(request)
    if fmt:
        header, rows = attribution_table(effects, province)
        return table_response(
            fmt=fmt, filename="revive-attribution", header=header, rows=rows, rtl=lang == "fa"
        )
    estimated = set(selectors.provinces_estimated(scope=scope, run=run))
    ctx.update(
        {
            "effects": effects,
            "provinces": [p for p in registry_selectors.provinces(scope=scope) if p.pk in estimated],
        }
    )
    return render(request, "web/insight/attribution.html", ctx)
