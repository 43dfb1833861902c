"""Early warning: the probability that a producing unit is idle within the horizon, with a backtest.

The model is scikit-learn's HistGradientBoostingClassifier, calibrated by isotonic regression on the
latest labelled months it was not fitted on. It is always measured beside two baselines on the same
rows: the office rule (below 50% now, or fell a band in the last 3 months) and a logistic regression.

The backtest is walk-forward and out of time: for a test month t, the models see only rows whose
outcome was known by t (months s with s + horizon <= t), are refitted every `refit_every` months, and
are scored on the units producing at t against what happened by t + horizon. Training rows are every
unit that stopped and a random share of the others (`cap` rows in all; both models' scores are put
back on the true mix by the prior correction), which keeps the national panel (50,000 units x 60
months, 36 months tested, three fits) within the two-minute budget on two cores. Scores of the three
fits are pooled into one AUC, so they must be on one scale: the raw scores are corrected for the
share kept, the calibrated probabilities are used for the calibration table only.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from itertools import islice

import numpy as np
from scipy.special import expit
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from .features import CATEGORICAL, COL, FEATURES, GROUPS, NAMES, FeatureBuilder
from .panel import BANDS, SIZES, Panel
from .pool import spawn_pool

CALIBRATION_MONTHS = 3
MAIN_REASON_SHARE = 0.1  # a reason on the watch list weighs at least this share of the unit's first reason
CAP = 100_000  # training rows per fit (every stop, and a share of the rest)
# Chosen on the national demo's out-of-time split (train to 1403/08, test the 12 months from 1404/02):
# 300 trees at a rate of 0.05 reach AUC 0.867, 600 at 0.05 0.864, 200 at 0.1 0.865, 100 at 0.2 0.864,
# 31-leaf trees 0.866, monotonic constraints 0.864: the trees are not what limits the model, so the
# cheapest (100 trees: fitting and scoring in under half the time of 300) is used.
GBM_PARAMS = dict(
    max_iter=100,
    learning_rate=0.2,
    max_leaf_nodes=15,
    min_samples_leaf=200,
    l2_regularization=5.0,
    early_stopping=False,
)


@dataclass
class Fitted:
    gbm: HistGradientBoostingClassifier
    iso: IsotonicRegression | None
    logit: object
    train_months: tuple[int, int]  # first and last month column of the training rows
    rows: int
    positives: int
    share: float = 1.0  # the share of non-stops kept for training

    def _prior(self, log_odds: np.ndarray) -> np.ndarray:
        """Back to the true mix of stops: trained on every stop but only `share` of the others, a model's
        log-odds are too high by -log(share) (the prior correction of King and Zeng, 2001). Done for
        both models, so scores from fits on different windows compare on one scale."""
        return expit(log_odds + np.log(self.share))

    def raw(self, X: np.ndarray) -> np.ndarray:
        return self._prior(self.gbm.decision_function(X))

    def logit_score(self, X: np.ndarray) -> np.ndarray:
        return self._prior(self.logit.decision_function(X))

    def probability(self, X: np.ndarray) -> np.ndarray:
        return self.iso.predict(self.raw(X))


def office_rule(X: np.ndarray) -> np.ndarray:
    """The rule an office uses today: below 50% of capacity now, or fell a band in the last 3 months."""
    return ((X[:, COL["band_now"]] == BANDS.index("lt50")) | (X[:, COL["band_drop_3"]] > 0)).astype(
        np.float64
    )


def _logit():
    numeric = [i for i in range(len(NAMES)) if i not in CATEGORICAL]
    prep = ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
            ("cat", OneHotEncoder(handle_unknown="ignore", min_frequency=20), CATEGORICAL),
        ]
    )
    return make_pipeline(prep, LogisticRegression(max_iter=300, C=1.0))


def _sample_rows(fb: FeatureBuilder, months: range, horizon: int, cap: int, rng: np.random.Generator):
    """Every unit that stopped (the rare class, about 2 in 100) and a random share of the others, so that
    about `cap` rows are kept; returns the rows and that share. Labels are cheap, features are built
    only for the rows kept."""
    labelled = [(s, fb.eligible(s)) for s in months]
    labelled = [(s, rows, fb.label(s, rows, horizon)) for s, rows in labelled if len(rows)]
    if not labelled:
        return np.zeros((0, len(NAMES)), np.float32), np.zeros(0, np.int8), np.zeros(0, np.int32), 1.0
    pos = sum(int(y.sum()) for _, _, y in labelled)
    neg = sum(len(y) for _, _, y in labelled) - pos
    share = 1.0 if neg == 0 else min(1.0, max(cap - pos, cap // 4) / neg)
    Xs, ys, ms = [], [], []
    for s, rows, y in labelled:
        keep = (y == 1) | (rng.random(len(rows)) < share)
        Xs.append(fb.at(s, rows[keep]))
        ys.append(y[keep])
        ms.append(np.full(int(keep.sum()), s, dtype=np.int32))
    return np.concatenate(Xs), np.concatenate(ys), np.concatenate(ms), share


def fit(
    fb: FeatureBuilder, first: int, last: int, horizon: int, *, cap: int = CAP, seed: int = 0
) -> Fitted | None:
    """Fit on the producing units of months first..last (their outcomes must be known)."""
    rng = np.random.default_rng(seed + last)
    X, y, m, share = _sample_rows(fb, range(first, last + 1), horizon, cap, rng)
    if len(y) < 50 or y.min() == y.max():
        return None
    # a feature nobody recorded in the training months (a panel without the optional columns, or with them
    # only lately) tells nothing: a constant, since the trees cannot bin a column of unknowns
    unknown = np.isnan(X).all(axis=0)
    X[:, unknown] = 0.0
    cal = m > last - CALIBRATION_MONTHS
    whole = not (
        cal.sum() < 50 or (~cal).sum() < 50 or y[cal].min() == y[cal].max() or y[~cal].min() == y[~cal].max()
    )
    if not whole:
        cal = rng.random(len(y)) < 0.2  # too short a window: a random fifth instead
    gbm = HistGradientBoostingClassifier(**GBM_PARAMS, categorical_features=CATEGORICAL, random_state=seed)
    # trained on the kept rows as they are (stops over-represented: more to learn from, and ranking is
    # what the trees are for); the calibration below puts the probabilities on the true scale
    gbm.fit(X[~cal], y[~cal])
    logit = _logit()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logit.fit(X, y)  # the same rows as the trees and their calibration together
    model = Fitted(gbm, None, logit, (first, last), len(y), int(y.sum()), share)
    if whole:  # calibrated on every producing unit of the last months, not on the sample
        months = range(last - CALIBRATION_MONTHS + 1, last + 1)
        Xc = np.concatenate([fb.at(s, fb.eligible(s)) for s in months])
        yc = np.concatenate([fb.label(s, fb.eligible(s), horizon) for s in months])
        wc = np.ones(len(yc))
    else:  # each kept non-stop stands for 1 / share of them
        Xc, yc = X[cal], y[cal]
        wc = np.where(yc == 1, 1.0, 1.0 / share)
    model.iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(
        model.raw(Xc), yc, sample_weight=wc
    )
    return model


def _precision_at(score: np.ndarray, y: np.ndarray, share: float = 0.05) -> float:
    """Precision among the top `share` of units; ties at the cut-off count at their average rate (the
    expected precision of a random tie-break), so a yes/no rule is not flattered or punished."""
    k = max(1, int(round(share * len(score))))
    order = np.argsort(-score, kind="stable")
    cut = score[order[k - 1]]
    above = score > cut
    tied = score == cut
    n_above = int(above.sum())
    hits = float(y[above].sum()) + (k - n_above) * float(y[tied].mean())
    return hits / k


def _auc(y: np.ndarray, s: np.ndarray) -> float | None:
    if y.min() == y.max():
        return None
    return float(roc_auc_score(y, s))


@dataclass
class Backtest:
    horizon: int
    months_tested: int
    first_test: str
    last_test: str
    auc: float | None
    baseline_auc: float | None
    logit_auc: float | None
    precision_at_5pct: float
    baseline_precision_at_5pct: float
    logit_precision_at_5pct: float
    base_rate: float
    median_lead_months: float | None
    events: int  # units that went idle in the tested months
    events_warned: int  # of which the model had in its top 5% at least once before
    calibration: list[dict] = field(default_factory=list)  # deciles: predicted, observed, rows
    rows: int = 0
    seconds: float = 0.0


def backtest(
    panel: Panel,
    horizon: int = 6,
    *,
    fb: FeatureBuilder | None = None,
    min_train_months: int = 12,
    max_test_months: int = 36,
    refit_every: int = 12,
    cap: int = CAP,
    seed: int = 0,
    threads: int = 1,
) -> Backtest | None:
    # OpenMP threads spin while they wait; on a shared two-core machine one thread is many times faster
    with threadpool_limits(limits=max(1, threads)):
        t0 = time.perf_counter()
        fb = fb or FeatureBuilder(panel)
        tests = _test_months(panel, horizon, min_train_months, max_test_months)
        blocks = [_score_block(fb, b, horizon, cap, seed) for b in _blocks(tests, refit_every)]
        return _assemble(panel, fb, tests, blocks, horizon, t0)


def _test_months(panel: Panel, horizon: int, min_train_months: int, max_test_months: int) -> list[int]:
    last_labelled = panel.n_months - 1 - horizon
    first_possible = 1 + min_train_months - 1 + horizon
    first_test = max(first_possible, last_labelled - max_test_months + 1)
    return list(range(first_test, last_labelled + 1))


def _blocks(tests: list[int], refit_every: int) -> list[list[int]]:
    """The test months in runs of `refit_every`, each scored by one fit on the months labelled before it
    (a fit that fails has too few stops, and so would every fit before it: a window only grows)."""
    return [tests[i : i + refit_every] for i in range(0, len(tests), max(1, refit_every))]


def _score_block(fb: FeatureBuilder, block: list[int], horizon: int, cap: int, seed: int) -> list[dict]:
    """Fit on the months labelled by the block's first month, score each month of the block."""
    if not block:
        return []
    model = fit(fb, 1, block[0] - horizon, horizon, cap=cap, seed=seed)
    if model is None:
        return []
    out = []
    for t in block:
        rows = fb.eligible(t)
        if not len(rows):
            continue
        X = fb.at(t, rows)
        raw = model.raw(X)
        k = max(1, int(round(0.05 * len(rows))))
        out.append(
            {
                "t": t,
                "rows": rows,
                "y": fb.label(t, rows, horizon),
                "raw": raw,
                "p": model.iso.predict(raw),
                "rule": office_rule(X),
                "logit": model.logit_score(X),
                "top": rows[np.argsort(-raw, kind="stable")[:k]],
            }
        )
    return out


def _assemble(panel, fb, tests, blocks, horizon, t0) -> Backtest | None:
    months = [m for b in blocks for m in b]
    if not months:
        return None
    warned = np.zeros(panel.band.shape, dtype=bool)
    scored = np.zeros(panel.band.shape, dtype=bool)
    for m in months:
        warned[m["top"], m["t"]] = True
        scored[m["rows"], m["t"]] = True
    cat = lambda key: np.concatenate([m[key] for m in months])  # noqa: E731
    y, raw, p, rule, lg = cat("y"), cat("raw"), cat("p"), cat("rule"), cat("logit")
    prec = {
        key: float(np.mean([_precision_at(m[key], m["y"]) for m in months]))
        for key in ("raw", "rule", "logit")
    }
    return Backtest(
        horizon=horizon,
        months_tested=len(months),
        first_test=panel.label(tests[0]),
        last_test=panel.label(tests[-1]),
        auc=_auc(y, raw),
        baseline_auc=_auc(y, rule),
        logit_auc=_auc(y, lg),
        precision_at_5pct=prec["raw"],
        baseline_precision_at_5pct=prec["rule"],
        logit_precision_at_5pct=prec["logit"],
        base_rate=float(y.mean()),
        calibration=_deciles(p, y),
        rows=len(y),
        seconds=time.perf_counter() - t0,
        **_lead_times(fb, warned, scored, tests, horizon),
    )


# ---- both at once on several processes -----------------------------------------------------------

_WORKER: dict = {}  # in a worker process: the panel's features, built once


def _worker_start(panel: Panel, threads: int) -> None:
    threadpool_limits(limits=max(1, threads))
    _WORKER["fb"] = FeatureBuilder(panel)


def _worker_task(task: str, block: list[int], horizon: int, cap: int, seed: int):
    fb = _WORKER["fb"]
    if task == "watchlist":
        return _watchlist(fb.panel, horizon, fb, cap, seed)
    return _score_block(fb, block, horizon, cap, seed)


def backtest_and_watchlist(
    panel: Panel,
    horizon: int = 6,
    *,
    fb: FeatureBuilder | None = None,
    jobs: int = 1,
    threads: int = 1,
    cap: int = CAP,
    seed: int = 0,
    max_test_months: int = 36,
    refit_every: int = 12,
):
    """(backtest, watch list items, fitted model): the same results as `backtest` then `watchlist`, with the
    fits spread over `jobs` processes (each fit and its months are independent). Processes are spawned,
    not forked (a fork after OpenMP has run may hang), and each builds the features from the panel."""
    fb = fb or FeatureBuilder(panel)
    if jobs <= 1:
        bt = backtest(panel, horizon, fb=fb, cap=cap, seed=seed, threads=threads,
                      max_test_months=max_test_months, refit_every=refit_every)  # fmt: skip
        items, model = watchlist(panel, horizon, fb=fb, cap=cap, seed=seed, threads=threads)
        return bt, items, model
    t0 = time.perf_counter()
    tests = _test_months(panel, horizon, 12, max_test_months)
    blocks = _blocks(tests, refit_every)
    with spawn_pool(jobs, _worker_start, (panel, threads)) as pool:
        watch = pool.submit(_worker_task, "watchlist", [], horizon, cap, seed)
        scored = [pool.submit(_worker_task, "block", b, horizon, cap, seed) for b in blocks]
        blocks_done = [f.result() for f in scored]
        items, model = watch.result()
    return _assemble(panel, fb, tests, blocks_done, horizon, t0), items, model


def _deciles(p: np.ndarray, y: np.ndarray) -> list[dict]:
    order = np.argsort(p, kind="stable")
    out = []
    for d, idx in enumerate(np.array_split(order, 10), 1):
        if len(idx):
            out.append(
                {
                    "decile": d,
                    "predicted": float(p[idx].mean()),
                    "observed": float(y[idx].mean()),
                    "rows": len(idx),
                }
            )
    return out


def _lead_times(fb: FeatureBuilder, warned, scored, tests, horizon) -> dict:
    """For each stop (producing at m-1, idle at m) within reach of the tested months: months between
    the first warning in the producing run just before it (at most `horizon` months back) and m."""
    lo, hi = tests[0] + 1, tests[-1] + horizon
    idle, producing = fb.idle, fb.producing
    u, m = np.nonzero(idle[:, 1:] & producing[:, :-1])
    m = m + 1
    keep = (m >= lo) & (m <= hi)
    u, m = u[keep], m[keep]
    lead = np.zeros(len(u), dtype=np.int64)
    alive = np.ones(len(u), dtype=bool)
    seen = np.zeros(len(u), dtype=bool)
    for k in range(1, horizon + 1):  # months back, vectorised over stops
        col = m - k
        ok = col >= 0
        colc = np.maximum(col, 0)
        alive &= ok & producing[u, colc]
        seen |= alive & scored[u, colc]
        hit = alive & warned[u, colc]
        lead = np.where(hit, k, lead)
    counted = seen
    warned_any = lead > 0
    return {
        "events": int(counted.sum()),
        "events_warned": int((warned_any & counted).sum()),
        "median_lead_months": float(np.median(lead[warned_any & counted]))
        if (warned_any & counted).any()
        else None,
    }


# ---- the watch list and its reasons -----------------------------------------------------------------


@dataclass
class Reason:
    group: str
    weight: float  # how much the probability falls when this group is set to a typical unit's values
    values: dict

    def text(self) -> str:
        return reason_text(self.group, self.values)


@dataclass
class WatchItem:
    unit: int
    probability: float
    reasons: list[Reason]


def _band_name(code: float) -> str:
    c = int(code) if np.isfinite(code) else -1
    return {0: "idle", 1: "below 50%", 2: "50-70%", 3: "above 70%"}.get(c, "unknown")


def reason_values(group: str, x: np.ndarray, panel: Panel, unit: int) -> dict:
    """The facts behind a reason, for the words in any language."""
    f = lambda n: float(x[COL[n]])  # noqa: E731
    r = lambda v: None if not np.isfinite(v) else int(round(v))  # noqa: E731
    if group == "band":
        return {
            "now": int(f("band_now")),
            "before": r(f("band_now") + f("band_drop_3")),
            "lowest_12": r(f("band_min_12")),
        }
    if group == "utilisation":
        return {"now": r(f("util_now")), "change_6": r(f("util_change_6")), "change_3": r(f("util_change_3"))}
    if group == "filings":
        return {"missing_6": r(f("missing_filings_6")), "since": r(f("months_since_filed"))}
    if group == "late":
        return {"late_6": r(f("late_6"))}
    if group == "arrears":
        return {"now": r(f("arrears_now")), "months_6": r(f("arrears_6"))}
    if group == "history":
        return {
            "idle_24": r(f("idle_months_24")),
            "since_idle": r(f("months_since_idle")),
            "observed": r(f("months_observed")),
        }
    if group == "support":
        return {"count_12": r(f("interventions_12"))}
    if group == "obstacles":
        return {"now": r(f("obstacles_now")), "change_6": r(f("obstacles_change_6"))}
    if group == "park":
        return {"shortfalls": r(f("park_shortfalls"))}
    if group == "sector":
        return {"sector": str(panel.sector[unit])}
    if group == "province":
        return {"province": str(panel.province[unit])}
    if group == "size":
        return {"size": SIZES[int(panel.size[unit])], "jobs": int(panel.jobs[unit])}
    return {}


def reason_text(group: str, v: dict) -> str:
    """English words; the pages translate the same facts."""
    if group == "band":
        if v.get("before") is not None and v["before"] > v["now"]:
            return f"fell from {_band_name(v['before'])} to {_band_name(v['now'])} of capacity in the last 3 months"
        return f"producing at {_band_name(v['now'])} of capacity"
    if group == "utilisation":
        if v.get("change_6") is not None and v["change_6"] < 0 and v.get("now") is not None:
            return f"capacity utilisation {v['now']}%, down {-v['change_6']} points in 6 months"
        if v.get("now") is None:
            return "no utilisation figure on record"
        return f"capacity utilisation {v['now']}%"
    if group == "filings":
        if v.get("missing_6"):
            return f"{v['missing_6']} of the last 6 monthly filings missing"
        return f"last filing {v.get('since')} months ago"
    if group == "late":
        return f"{v.get('late_6') or 0} of the last 6 filings late"
    if group == "arrears":
        return f"loan in arrears in {v.get('months_6') or 0} of the last 6 months"
    if group == "history":
        if v.get("idle_24"):
            return f"idle {v['idle_24']} of the last 24 months (last {v.get('since_idle')} months ago)"
        return f"on record for {v.get('observed')} months only"
    if group == "support":
        return f"{v.get('count_12') or 0} interventions in the last 12 months"
    if group == "obstacles":
        if v.get("change_6"):
            return f"{v.get('now') or 0} open obstacles on its case ({v['change_6']:+d} in 6 months)"
        return f"{v.get('now') or 0} open obstacles on its case"
    if group == "park":
        return f"{v.get('shortfalls') or 0} of the park's utilities fall short"
    if group == "sector":
        return f"sector {v['sector']}: units of this sector stop more often"
    if group == "province":
        return f"province {v['province']}: units here stop more often"
    if group == "size":
        return f"{v['size']} unit ({v['jobs']} jobs)"
    return group


def explain(
    model: Fitted, X: np.ndarray, *, top: int = 3
) -> tuple[np.ndarray, list[list[tuple[str, float]]]]:
    """Each unit's probability and its main reasons: for each group of features, how much the probability
    falls when the unit's values in that group are replaced by those of a typical producing unit
    (medians; the commonest category). Groups whose replacement raises the probability are not reasons."""
    p = model.probability(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a column nobody recorded: no median, 0 below
        ref = np.nanmedian(X, axis=0)
    for c in CATEGORICAL:
        vals, counts = np.unique(X[:, c], return_counts=True)
        ref[c] = vals[counts.argmax()] if len(vals) else 0
    ref = np.where(np.isnan(ref), 0, ref)
    raw = model.raw(X)
    drops = np.zeros((len(X), len(GROUPS)), dtype=np.float64)
    for gi, g in enumerate(GROUPS):
        cols = [i for i, (_, grp) in enumerate(FEATURES) if grp == g]
        Xg = X.copy()
        Xg[:, cols] = ref[cols]
        # on the raw scale: isotonic steps would hide small but real differences
        drops[:, gi] = raw - model.raw(Xg)
    order = np.argsort(-drops, axis=1)[:, :top]
    reasons = []
    for i in range(len(X)):
        reasons.append([(GROUPS[j], float(drops[i, j])) for j in order[i] if drops[i, j] > 0])
    return p, reasons


def watchlist(
    panel: Panel,
    horizon: int = 6,
    *,
    fb: FeatureBuilder | None = None,
    cap: int = CAP,
    seed: int = 0,
    threads: int = 1,
):
    """Every unit producing in the panel's last month, most at risk first, with up to three reasons.

    Returns (items, fitted model)."""
    with threadpool_limits(limits=max(1, threads)):
        return _watchlist(panel, horizon, fb, cap, seed)


def _watchlist(panel, horizon, fb, cap, seed):
    fb = fb or FeatureBuilder(panel)
    T = panel.n_months
    model = fit(fb, 1, T - 1 - horizon, horizon, cap=cap, seed=seed)
    if model is None:
        return [], None
    t = T - 1
    rows = fb.eligible(t)
    X = fb.at(t, rows)
    p, why = explain(model, X, top=len(GROUPS))
    raw = model.raw(X)
    order = np.lexsort((-raw, -p))  # the calibrated probability first, its raw score breaks ties
    items = []
    for i in order:
        unit = int(rows[i])
        # a main reason carries at least a tenth of the first one's weight (a group the trees barely use is
        # not why a unit is on the list)
        floor = why[i][0][1] * MAIN_REASON_SHARE if why[i] else 0.0
        facts = ((g, w, reason_values(g, X[i], panel, unit)) for g, w in why[i] if w >= floor)
        items.append(
            WatchItem(
                unit=unit,
                probability=float(p[i]),
                reasons=[
                    Reason(g, w, v) for g, w, v in islice((f for f in facts if says_trouble(f[0], f[2])), 3)
                ],
            )
        )
    return items, model


def says_trouble(group: str, values: dict) -> bool:
    """Whether a group's facts are a trouble a person would recognise. The trees may lean on a harmless
    value (on the national demo, units in parks with nothing short scored a little higher: a park with
    '0 of its utilities short' was a main reason for 3,210 units); such a group is left out of the
    reasons, and the next one takes its place. Groups whose words say the facts as they are (a band, a
    sector) are always reasons."""
    if group == "park":
        return bool(values.get("shortfalls"))
    if group == "obstacles":
        return bool(values.get("now")) or (values.get("change_6") or 0) > 0
    return True
