"""API for the early warning and the attribution: the same selectors as the pages."""

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema

from revive.accounts.roles import Perm, has_perm
from revive.api.params import Page, PageSize
from revive.core import rules
from revive.core.errors import DomainError
from revive.core.scoping import ScopeKind, scope_for
from revive.insight import selectors
from revive.insight.words import reason_words
from revive.registry import selectors as registry_selectors
from revive.registry.models import Sector

from .schemas import ErrorOut

router = Router(tags=["insight"])


class Backtest(Schema):
    months_tested: int | None = None
    auc: float | None = None
    baseline_auc: float | None = None
    logit_auc: float | None = None
    precision_at_5pct: float | None = None
    base_rate: float | None = None
    median_lead_months: float | None = None


class WatchItem(Schema):
    rank: int
    unit_id: str
    province: str
    park: str
    sector: str
    probability: float
    reasons: list[str]


class WatchList(Schema):
    as_of: str | None
    horizon_months: int | None
    backtest: Backtest | None
    items: list[WatchItem]
    count: int
    page: int
    page_size: int


class EffectOut(Schema):
    kind: str
    province: str | None
    att_producing: float | None
    ci_low: float | None
    ci_high: float | None
    pretrend_ok: bool | None
    units_treated: int
    gross_revived: int
    net_jobs: float | None
    cost_per_net_job_rials: int | None
    note: str


class Effects(Schema):
    panel_first: str | None
    panel_last: str | None
    effects: list[EffectOut]


def _scope(request):
    if not has_perm(request.auth, Perm.VIEW_REGISTRY):
        raise Http404
    scope = scope_for(request.auth)
    if scope.kind not in (ScopeKind.NATION, ScopeKind.PROVINCE):
        raise Http404
    return scope


@router.get("/insight/watchlist", response={200: WatchList, 400: ErrorOut, 404: ErrorOut})
def watchlist(
    request, province: str = "", park: str = "", sector: str = "", page: Page = 1, page_size: PageSize = 50
):
    """Producing units ranked by the probability of going idle within the horizon, with three reasons."""
    scope = _scope(request)
    start, end = rules.page_slice(page, page_size)
    run = selectors.latest_risk_run()
    if run is None:
        return {"as_of": None, "horizon_months": None, "backtest": None, "items": [], "count": 0, "page": page,
                "page_size": page_size}  # fmt: skip
    prov = registry_selectors.province_get(scope=scope, code=province) if province else None
    prk = registry_selectors.park_get(scope=scope, code=park) if park else None
    sec = None
    if sector:
        sec = Sector.objects.filter(isic_division=sector).first()
        if sec is None:
            raise DomainError(_("Unknown sector."), field="sector")
    qs = selectors.watchlist(
        scope=scope,
        run=run,
        filters=selectors.WatchFilters(
            province_id=prov.pk if prov else None,
            park_id=prk.pk if prk else None,
            sector_id=sec.pk if sec else None,
        ),
    )
    lang = "fa" if (get_language() or "fa").startswith("fa") else "en"
    items = [
        {
            "rank": s.rank,
            "unit_id": s.unit.business_id,
            "province": s.province.code,
            "park": s.park.code,
            "sector": s.sector.isic_division,
            "probability": s.probability,
            "reasons": [
                reason_words(r, lang, s.sector.name_en if lang == "en" else s.sector.name_fa)
                for r in s.reasons
            ],
        }
        for s in qs[start:end]
    ]
    return {
        "as_of": run.as_of,
        "horizon_months": run.horizon,
        "backtest": run.backtest or None,
        "items": items,
        "count": qs.count(),
        "page": page,
        "page_size": page_size,
    }


@router.get("/insight/effects", response={200: Effects, 400: ErrorOut, 404: ErrorOut})
def effects(request, province: str = ""):
    """Effect of each kind of intervention on the probability of producing (12 months), nationally or in a
    province, with its 95% interval, the pre-trend check, net jobs and cost per net job-year."""
    scope = _scope(request)
    run = selectors.latest_attribution_run()
    if run is None:
        return {"panel_first": None, "panel_last": None, "effects": []}
    prov = registry_selectors.province_get(scope=scope, code=province) if province else None
    rows = selectors.effects(scope=scope, run=run, province_id=prov.pk if prov else None)
    return {
        "panel_first": run.panel_first,
        "panel_last": run.panel_last,
        "effects": [
            {
                "kind": e.kind,
                "province": prov.code if prov else None,
                "att_producing": e.att_producing,
                "ci_low": e.ci_low,
                "ci_high": e.ci_high,
                "pretrend_ok": e.pretrend_ok,
                "units_treated": e.units_treated,
                "gross_revived": e.gross_revived,
                "net_jobs": e.net_jobs,
                "cost_per_net_job_rials": e.cost_per_net_job_rials,
                "note": e.note,
            }
            for e in rows
        ],
    }
