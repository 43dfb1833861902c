"""The attribution section of the monthly report (PDF and XLSX): the stored estimates of the latest
attribution run, read through the same selector as the attribution page and the API, so the three show
the same figures. Registered with the report in InsightConfig.ready() (indicators may not import insight:
planning, which insight reads, imports indicators)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from revive.core.scoping import Scope
from revive.insight import selectors
from revive.insight.models import AttributionEffect

TEMPLATE = "insight/report_attribution.html"


def _state(e: AttributionEffect) -> str:
    """What the reader must be told about an estimate: too few treated, no estimate, pre-trends fail, ok."""
    if e.att_producing is None:
        return "too_few_treated" if e.note == "too_few_treated" else "no_estimate"
    if e.pretrend_ok is False:
        return "pretrends_fail"
    return "ok" if e.pretrend_ok else "untested"


def _state_words(state: str) -> str:
    return {
        "too_few_treated": _("Too few units were treated to tell."),
        "no_estimate": _("No estimate: no comparable units not yet treated."),
        "pretrends_fail": _(
            "fail: treated units were already drifting apart before; do not trust this estimate"
        ),
        "ok": _("hold"),
        "untested": "—",
    }[state]


def section(*, scope: Scope, province=None) -> dict:
    """The section's data (with no run when nothing was ever estimated: the report then says so)."""
    run = selectors.latest_attribution_run()
    if run is None:
        return {"key": "attribution", "template": TEMPLATE, "run": None, "effects": [], "title": _title(),
                "header": [], "table": []}  # fmt: skip
    effects = selectors.effects_in_order(scope=scope, run=run, province_id=province.pk if province else None)
    national_instead = bool(province) and not effects
    if national_instead:  # the province had too few treated units for any kind: the country's estimates
        effects = selectors.effects_in_order(scope=scope, run=run)
    rows = [{"effect": e, "state": _state(e), "words": _state_words(_state(e))} for e in effects]
    return {
        "key": "attribution",
        "template": TEMPLATE,
        "title": _title(),
        "run": run,
        "province": None if national_instead else province,
        "national_instead": national_instead,
        "effects": rows,
        "header": [
            _("Intervention"),
            _("Effect on the probability of producing (12 months)"),
            _("Interval (95%), low"),
            _("Interval (95%), high"),
            _("Pre-trends"),
            _("Units treated"),
            _("Revived after it (gross count)"),
            _("Net jobs"),
            _("Cost per net job-year (rials)"),
        ],  # fmt: skip
        "table": [
            [
                r["effect"].get_kind_display(),
                r["effect"].att_producing,
                r["effect"].ci_low,
                r["effect"].ci_high,
                r["words"],
                r["effect"].units_treated,
                r["effect"].gross_revived,
                None if r["effect"].net_jobs is None else round(r["effect"].net_jobs),
                r["effect"].cost_per_net_job_rials,
            ]
            for r in rows
        ],
    }


def _title() -> str:
    return _("What each intervention really adds")
