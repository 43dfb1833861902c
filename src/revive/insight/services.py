"""Writes of the insight app: retrain the early-warning model, re-estimate the effects, open a
preventive case from the watch list. Each audited in its own transaction."""

from __future__ import annotations

import time
from datetime import date

from django.db import transaction

from revive.cases.models import Case
from revive.cases.services import case_open
from revive.core import audit, rules
from revive.core.errors import DomainError
from revive.insight.models import AttributionEffect, AttributionRun, RiskRun, RiskScore

KEEP_RUNS = 3  # older runs' scores are deleted (the run rows and their backtests stay)


def _json_backtest(bt) -> dict:
    if bt is None:
        return {}
    return dict(bt.__dict__)


def risk_retrain(*, by, horizon: int = 6, today: date | None = None, threads: int = 1) -> RiskRun:
    """Build the national panel, backtest the model against the baselines, score every producing unit."""
    # The engine (pandas, scipy, scikit-learn: ~2 s to import) only when a model is trained: this module is
    # imported with the URLconf, which every command that builds a link (the deadline pass) loads.
    import numpy as np

    from revive.insight import dbpanel
    from revive.insight.engine.features import FeatureBuilder
    from revive.insight.engine.panel import OPTIONAL_MONTH_COLUMNS
    from revive.insight.engine.risk import backtest, watchlist

    t0 = time.perf_counter()
    panel, meta = dbpanel.build(today=today)
    if panel.n_units == 0:
        raise DomainError("There are no units to score.")
    fb = FeatureBuilder(panel)
    bt = backtest(panel, horizon, fb=fb, threads=threads)
    items, model = watchlist(panel, horizon, fb=fb, threads=threads)
    if model is None:
        raise DomainError("Too few months or too few units that stopped to train the model.")
    # the share of producing unit-months on which each optional input was on record (0: not used at all)
    producing = panel.band >= 1
    inputs_known = {
        name: round(
            float((~np.isnan(getattr(panel, name)) & producing).sum() / max(int(producing.sum()), 1)), 4
        )
        for name in OPTIONAL_MONTH_COLUMNS
    }
    with transaction.atomic():
        run = RiskRun.objects.create(
            created_by=rules.actor(by),
            horizon=horizon,
            as_of=panel.label(panel.n_months - 1),
            panel_first=panel.label(0),
            train_first=panel.label(model.train_months[0]),
            train_last=panel.label(model.train_months[1]),
            train_rows=model.rows,
            units=len(items),
            months=panel.n_months,
            backtest={**_json_backtest(bt), "inputs_known": inputs_known},
            seconds=round(time.perf_counter() - t0, 1),
        )
        pk, park, sector, prov = meta["pk"], meta["park"], meta["sector"], meta["province"]
        RiskScore.objects.bulk_create(
            (
                RiskScore(
                    run=run,
                    unit_id=int(pk[it.unit]),
                    province_id=int(prov[it.unit]),
                    park_id=int(park[it.unit]),
                    sector_id=int(sector[it.unit]),
                    rank=rank,
                    probability=round(it.probability, 4),
                    reasons=[
                        {"group": r.group, "weight": round(r.weight, 4), "values": r.values}
                        for r in it.reasons
                    ],
                )
                for rank, it in enumerate(items, 1)
            ),
            batch_size=2000,
        )
        old = list(RiskRun.objects.order_by("-created_at", "-id").values_list("pk", flat=True)[KEEP_RUNS:])
        if old:
            RiskScore.objects.filter(run_id__in=old).delete()
        audit.record(
            actor=by,
            obj=run,
            action="risk_retrain",
            after={
                "as_of": run.as_of,
                "units": run.units,
                "auc": run.backtest.get("auc"),
                "baseline_auc": run.backtest.get("baseline_auc"),
            },
        )
    return run


def attribution_retrain(*, by, today: date | None = None) -> AttributionRun:
    """Effects of each kind of intervention, nationally and in each province with enough treated units."""
    from revive.insight import dbpanel
    from revive.insight.engine.attribution import attribute
    from revive.registry.models import Province

    t0 = time.perf_counter()
    panel, _meta = dbpanel.build(today=today)
    national, provincial, _secs = attribute(panel, by_province=True)
    province_ids = dict(Province.objects.values_list("code", "pk"))
    with transaction.atomic():
        run = AttributionRun.objects.create(
            created_by=rules.actor(by),
            panel_first=panel.label(0),
            panel_last=panel.label(panel.n_months - 1),
            units=panel.n_units,
            seconds=round(time.perf_counter() - t0, 1),
        )
        AttributionEffect.objects.bulk_create(
            AttributionEffect(
                run=run,
                province_id=province_ids.get(e.province) if e.province else None,
                kind=e.kind,
                att_producing=e.att_producing,
                ci_low=e.ci_low,
                ci_high=e.ci_high,
                pretrend_ok=e.pretrend_ok,
                pretrend_p=e.pretrend_p,
                units_treated=e.units_treated,
                gross_revived=e.gross_revived,
                net_jobs=e.net_jobs,
                cost_per_net_job_rials=e.cost_per_net_job_rials,
                note=e.note,
                event_study=e.event_study or [],
            )
            for e in [*national, *(e for e in provincial if e.province in province_ids)]
        )
        audit.record(
            actor=by,
            obj=run,
            action="attribution_retrain",
            after={e.kind: None if e.att_producing is None else round(e.att_producing, 4) for e in national},
        )
    return run


@transaction.atomic
def preventive_case_open(*, score: RiskScore, by) -> Case:
    """An officer opens a case on a unit the watch list ranks at risk, before it stops."""
    case = case_open(unit=score.unit, by=by, origin=Case.Origin.OFFICER)
    audit.record(
        actor=by,
        obj=case,
        action="preventive_case_open",
        after={
            "unit": score.unit.business_id,
            "probability": score.probability,
            "rank": score.rank,
            "run": score.run_id,
            "reasons": [r["group"] for r in score.reasons],
        },
    )
    return case
