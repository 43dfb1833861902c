"""Command lines `revive risk --panel DIR` and `revive attribute --panel DIR`: plain files in, JSON out."""

from __future__ import annotations

import argparse
import json
import sys
import time

from .panel import PanelError, load_panel

NOTES = {
    "too_few_treated": "too few units were treated to tell",
    "pretrends_fail": "treated and control units were already drifting apart before treatment: do not trust this",
    "no_estimate": "no estimate: no comparable units not yet treated",
}


def _r(x, n=4):
    return None if x is None else round(float(x), n)


def risk_json(bt, items, panel, horizon: int) -> dict:
    b = bt
    return {
        "horizon_months": horizon,
        "backtest": {
            "months_tested": b.months_tested if b else 0,
            "auc": _r(b.auc) if b else None,
            "baseline_auc": _r(b.baseline_auc) if b else None,
            "logit_auc": _r(b.logit_auc) if b else None,
            "precision_at_5pct": _r(b.precision_at_5pct) if b else None,
            "base_rate": _r(b.base_rate) if b else None,
            "median_lead_months": b.median_lead_months if b else None,
            "baseline_precision_at_5pct": _r(b.baseline_precision_at_5pct) if b else None,
            "logit_precision_at_5pct": _r(b.logit_precision_at_5pct) if b else None,
            "first_month": b.first_test if b else None,
            "last_month": b.last_test if b else None,
            "calibration": [
                {**c, "predicted": _r(c["predicted"]), "observed": _r(c["observed"])} for c in b.calibration
            ]
            if b
            else [],
        },
        "watchlist": [
            {
                "unit_id": panel.unit_ids[it.unit],
                "probability": _r(it.probability),
                "reasons": [r.text() for r in it.reasons],
            }
            for it in items
        ],
    }


def run_risk(argv: list[str] | None = None) -> int:
    from .features import FeatureBuilder
    from .risk import backtest_and_watchlist

    p = argparse.ArgumentParser(
        prog="revive risk", description="Which producing units may stop within the horizon."
    )
    p.add_argument(
        "--panel", required=True, metavar="DIR", help="folder with units.csv, months.csv, interventions.csv"
    )
    p.add_argument("--horizon", type=int, default=6, help="months ahead (default 6)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--top", type=int, default=20, help="without --json: how many units to print")
    p.add_argument("--threads", type=int, default=1, help="threads for the model (default 1)")
    p.add_argument(
        "--jobs",
        type=int,
        default=2,
        help="processes for the fits (default 2: the backtest's and the watch list's)",
    )
    args = p.parse_args(argv)
    if not 1 <= args.jobs <= 16:
        print("error: --jobs must be 1 to 16", file=sys.stderr)
        return 2
    if not 1 <= args.horizon <= 24:
        print("error: --horizon must be 1 to 24 months", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    try:
        panel = load_panel(args.panel)
    except PanelError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if panel.n_months < args.horizon + 3:
        print(
            f"error: months.csv: {panel.n_months} months is too short for a {args.horizon}-month horizon",
            file=sys.stderr,
        )
        return 2
    fb = FeatureBuilder(panel)
    bt, items, _ = backtest_and_watchlist(panel, args.horizon, fb=fb, jobs=args.jobs, threads=args.threads)
    out = risk_json(bt, items, panel, args.horizon)
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    b = out["backtest"]
    print(
        f"panel: {panel.n_units} units x {panel.n_months} months ({panel.label(0)} to {panel.label(panel.n_months - 1)})"
    )
    if bt:
        print(
            f"backtest {b['first_month']}..{b['last_month']} ({b['months_tested']} months, horizon {args.horizon}):"
        )
        print(f"  AUC {b['auc']}  office rule {b['baseline_auc']}  logistic {b['logit_auc']}")
        print(
            f"  precision in the top 5%: {b['precision_at_5pct']} (rule {b['baseline_precision_at_5pct']},"
            f" logistic {b['logit_precision_at_5pct']}); base rate {b['base_rate']}"
        )
        print(
            f"  median lead time {b['median_lead_months']} months ({bt.events_warned} of {bt.events} stops warned)"
        )
    else:
        print("backtest: not enough months")
    print(f"watch list: {len(items)} producing units; the top {min(args.top, len(items))}:")
    for w in out["watchlist"][: args.top]:
        print(f"  {w['unit_id']}  {w['probability']:.2f}  " + "; ".join(w["reasons"]))
    print(f"{time.perf_counter() - t0:.1f} s")
    return 0


def attribute_json(national) -> dict:
    return {
        "effects": [
            {
                **e.as_json(),
                "att_producing": _r(e.att_producing),
                "ci_low": _r(e.ci_low),
                "ci_high": _r(e.ci_high),
                "net_jobs": _r(e.net_jobs, 1),
                "pretrend_p": _r(e.pretrend_p),
                "note_text": NOTES.get(e.note, ""),
            }
            for e in national
        ]
    }


def run_attribute(argv: list[str] | None = None) -> int:
    from .attribution import attribute

    p = argparse.ArgumentParser(
        prog="revive attribute", description="What each kind of intervention really does."
    )
    p.add_argument(
        "--panel", required=True, metavar="DIR", help="folder with units.csv, months.csv, interventions.csv"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--jobs", type=int, default=2, help="processes for the estimates (default 2)")
    args = p.parse_args(argv)
    if not 1 <= args.jobs <= 16:
        print("error: --jobs must be 1 to 16", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    try:
        panel = load_panel(args.panel)
    except PanelError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    national, _, _ = attribute(panel, jobs=args.jobs)
    out = attribute_json(national)
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print(f"panel: {panel.n_units} units x {panel.n_months} months")
    for e in out["effects"]:
        if e["att_producing"] is None:
            print(f"  {e['kind']}: {e['units_treated']} units treated; {e['note_text']}")
            continue
        cost = (
            f"{e['cost_per_net_job_rials']:,} rials per net job-year"
            if e["cost_per_net_job_rials"]
            else "no cost per net job (no net jobs, or no amounts recorded)"
        )
        print(
            f"  {e['kind']}: {e['att_producing']:+.3f} [{e['ci_low']:+.3f}, {e['ci_high']:+.3f}] in P(producing),"
            f" {e['units_treated']} units treated (offices count {e['gross_revived']} revived),"
            f" net jobs {e['net_jobs']}, {cost}; pre-trends {'ok' if e['pretrend_ok'] else 'FAIL'}"
            + (f" ({e['note_text']})" if e["note_text"] else "")
        )
    print(f"{time.perf_counter() - t0:.1f} s")
    return 0
