"""API for targets, forecasts and the press summary: the same selectors as the dashboard, the same scoping."""

from datetime import date
from typing import Literal

from ninja import Router, Schema

from revive.api.params import YearQuery, YearText
from revive.core import calendar, rules
from revive.core.scoping import scope_for
from revive.indicators import press, selectors

from .schemas import ErrorOut

router = Router(tags=["indicators"])


class TargetFigure(Schema):
    code: str
    name_fa: str
    name_en: str
    programme: int
    kind: str
    metric: str
    unit_en: str
    target: float | None
    actual: float | None
    progress: float | None
    needed_per_month: float | None
    forecast: float | None
    forecast_low: float | None
    forecast_high: float | None
    pending_approval: int
    note: str


class TargetsOut(Schema):
    year: int
    scope: str
    since: date
    since_jalali: str
    until: date
    until_jalali: str
    indicators: list[TargetFigure]


class PressOut(Schema):
    year: int
    lang: str
    date: date
    date_jalali: str
    text: str
    revived_units: int
    jobs_restored: int
    target: int | None
    progress: float | None
    industry_share: float | None


def _common(request, year, province):
    scope = scope_for(request.auth)
    prov = selectors.scoped_province(scope, province)  # 404 outside the scope
    return scope, prov, rules.year(year)


@router.get("/kpis/targets", response={200: TargetsOut, 400: ErrorOut, 404: ErrorOut})
def kpi_targets(request, year: YearText = None, province: str | None = None):
    """Each indicator of the year: target, actual to date, progress, the pace needed and the year-end forecast
    with its 80% interval (flows only)."""
    scope, prov, year_value = _common(request, year, province)
    data = selectors.figures(scope=scope, year=year_value, province=prov)
    period = data["period"]
    return {
        "year": year_value,
        "scope": prov.code if prov else "nation",
        "since": period.start,
        "since_jalali": calendar.format_jalali(period.start, lang="en"),
        "until": period.end,
        "until_jalali": calendar.format_jalali(period.end, lang="en"),
        "indicators": [
            {
                "code": r.indicator.code,
                "name_fa": r.indicator.name_fa,
                "name_en": r.indicator.name_en,
                "programme": r.indicator.programme.number,
                "kind": r.indicator.kind,
                "metric": r.indicator.metric,
                "unit_en": r.indicator.unit_en,
                "target": r.target,
                "actual": r.actual,
                "progress": r.progress,
                "needed_per_month": r.needed_per_month,
                "forecast": r.forecast,
                "forecast_low": r.forecast_low,
                "forecast_high": r.forecast_high,
                "pending_approval": r.pending,
                "note": r.note,
            }
            for r in data["rows"]
        ],
    }


@router.get("/press-summary", response={200: PressOut, 400: ErrorOut, 404: ErrorOut})
def press_summary(request, year: YearQuery = None, lang: Literal["fa", "en"] = "fa", province: str | None = None):
    """The dated press paragraph in Persian (fa) or English (en)."""
    scope, prov, year_value = _common(request, year, province)
    out = press.summary(scope=scope, year=year_value, lang=lang, province=prov)
    f = out["figures"]
    return {
        "year": year_value,
        "lang": lang,
        "date": out["date"],
        "date_jalali": calendar.format_jalali(out["date"], lang="en"),
        "text": out["text"],
        "revived_units": f["revived_units"],
        "jobs_restored": f["jobs_restored"],
        "target": f["target"],
        "progress": f["progress"],
        "industry_share": f["industry_share"],
    }
