"""What really revives units: staggered difference-in-differences per kind of intervention.

Callaway and Sant'Anna (2021) with not-yet-treated units as controls, from the diff-diff library (not
written here). The outcome is "producing" (band not idle) each month; a unit's treatment month is its
first intervention of the kind. `att_producing` is the average of the event-study effects over the 12
months from treatment (event times 0..11), its 95% interval from the event study's covariance matrix.
Pre-trends: the joint Wald test that the event-study effects before treatment (up to 12 months, the
reference month excluded) are zero; `pretrend_ok` is false when it rejects at 5%.

Net jobs = att_producing x the jobs of the treated units; the 12-month window makes that also the net
job-years, so cost per net job-year = the rials spent on those first interventions / net jobs (none
when the effect is not positive).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .panel import KINDS, Panel
from .pool import spawn_pool

WINDOW = 12
PRE = 12
MIN_TREATED = 20


@dataclass
class Effect:
    kind: str
    att_producing: float | None
    ci_low: float | None
    ci_high: float | None
    pretrend_ok: bool | None
    units_treated: int
    net_jobs: float | None
    cost_per_net_job_rials: int | None
    gross_revived: int  # what offices count today: treated while idle, producing within 12 months
    pretrend_p: float | None = None
    note: str = ""  # "too_few_treated", "pretrends_fail", "no_estimate" or ""
    event_study: list | None = None  # [{"e", "att", "low", "high"}] from -PRE to WINDOW-1
    province: str = ""

    def as_json(self, *, full: bool = False) -> dict:
        d = asdict(self)
        if not full:
            d.pop("event_study")
            d.pop("province")
        return d


def _first_treatment(panel: Panel, kind: int) -> tuple[np.ndarray, np.ndarray]:
    """Per unit: month column of its first intervention of this kind (-1 if none), and its amount."""
    g = np.full(panel.n_units, -1, dtype=np.int64)
    amount = np.zeros(panel.n_units, dtype=np.int64)
    sel = panel.iv_kind == kind
    if not sel.any():
        return g, amount
    u, m, a = panel.iv_unit[sel], panel.iv_month[sel], panel.iv_amount[sel]
    order = np.lexsort((m, u))
    u, m, a = u[order], m[order], a[order]
    first = np.r_[True, u[1:] != u[:-1]]
    g[u[first]] = m[first]
    amount[u[first]] = a[first]
    return g, amount


def _gross(panel: Panel, g: np.ndarray) -> int:
    """Units idle when treated and producing at some point in the 12 months after."""
    T = panel.n_months
    u = np.nonzero(g >= 0)[0]
    if not len(u):
        return 0
    was_idle = panel.band[u, g[u]] == 0
    cols = g[u, None] + np.arange(1, WINDOW + 1)[None, :]
    inside = cols < T
    later = np.where(inside, panel.band[u[:, None], np.minimum(cols, T - 1)], -1)
    return int((was_idle & (later >= 1).any(axis=1)).sum())


def estimate(panel: Panel, kind: str, *, units: np.ndarray | None = None, province: str = "") -> Effect:
    """One kind of intervention, over all units (or the given subset)."""
    from diff_diff import CallawaySantAnna  # imported here: it takes a second to load

    k = KINDS.index(kind)
    g_all, amount_all = _first_treatment(panel, k)
    idx = np.arange(panel.n_units) if units is None else np.asarray(units)
    band, g = panel.band[idx], g_all[idx]
    T = band.shape[1]
    # a balanced panel: units with a record every month (a unit registered later has no before)
    complete = (band >= 0).all(axis=1)
    # treated in the first month: no month before to compare with
    usable = complete & (g != 0)
    treated = usable & (g > 0)
    n_treated = int(treated.sum())
    jobs = panel.jobs[idx]
    sub = Panel(
        unit_ids=[],
        province=panel.province[idx],
        sector=panel.sector[idx],
        size=panel.size[idx],
        jobs=jobs,
        start=panel.start,
        band=band,
        utilisation=panel.utilisation[idx],
        filed=panel.filed[idx],
        late=panel.late[idx],
        arrears=panel.arrears[idx],
    )
    base = Effect(
        kind=kind,
        att_producing=None,
        ci_low=None,
        ci_high=None,
        pretrend_ok=None,
        units_treated=n_treated,
        net_jobs=None,
        cost_per_net_job_rials=None,
        gross_revived=_gross(sub, np.where(usable, g, -1)),
        province=province,
    )
    # a cohort needs months after treatment, and controls not yet treated by then
    if n_treated < MIN_TREATED:
        base.note = "too_few_treated"
        return base
    rows = np.nonzero(usable)[0]
    U = len(rows)
    df = pd.DataFrame(
        {
            "unit": np.repeat(rows, T),
            "t": np.tile(np.arange(1, T + 1), U),
            "y": (band[rows] >= 1).ravel().astype(np.float64),
            "g": np.repeat(np.where(g[rows] > 0, g[rows] + 1, 0), T),
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = CallawaySantAnna(control_group="not_yet_treated", estimation_method="reg").fit(
                df, outcome="y", unit="unit", time="t", first_treat="g"
            )
            es = res.aggregate("event_study")
        except (ValueError, np.linalg.LinAlgError):
            base.note = "no_estimate"
            return base
    et = np.asarray(es.event_time)
    att = np.asarray(es.att, dtype=float)
    se = np.asarray(es.se, dtype=float)
    post = (et >= 0) & (et < WINDOW) & np.isfinite(att)
    if not post.any():
        base.note = "no_estimate"
        return base
    vidx = list(np.asarray(es.vcov_index)) if es.vcov is not None else None
    w_e = et[post]
    avg = float(att[post].mean())
    if vidx is not None:
        pos = [vidx.index(e) for e in w_e]
        V = np.asarray(es.vcov)[np.ix_(pos, pos)]
        var = float(np.ones(len(pos)) @ V @ np.ones(len(pos))) / len(pos) ** 2
    else:  # no covariance: the bound that assumes perfectly correlated errors (wider, never narrower)
        var = float(np.nanmean(se[post])) ** 2
    sd = float(np.sqrt(max(var, 0.0)))
    z = stats.norm.ppf(0.975)
    base.att_producing, base.ci_low, base.ci_high = avg, avg - z * sd, avg + z * sd
    pre = (
        (et < 0)
        & (et >= -PRE)
        & np.isfinite(att)
        & np.isfinite(se)
        & ~np.asarray(es.is_reference, dtype=bool)
    )
    if pre.any():
        pe = et[pre]
        b = att[pre]
        if vidx is not None and all(e in vidx for e in pe):
            pos = [vidx.index(e) for e in pe]
            Vp = np.asarray(es.vcov)[np.ix_(pos, pos)]
            stat = float(b @ np.linalg.pinv(Vp) @ b)
        else:
            stat = float(((b / se[pre]) ** 2).sum())
        base.pretrend_p = float(stats.chi2.sf(stat, df=len(b)))
        base.pretrend_ok = bool(base.pretrend_p >= 0.05)
    treated_jobs = float(jobs[rows][g[rows] > 0].sum())
    base.net_jobs = avg * treated_jobs
    spent = int(amount_all[idx][rows][g[rows] > 0].sum())
    if base.net_jobs > 0 and spent > 0:
        base.cost_per_net_job_rials = int(round(spent / base.net_jobs))
    if base.pretrend_ok is False:
        base.note = "pretrends_fail"
    shown = (et >= -PRE) & (et < WINDOW)
    base.event_study = [
        {
            "e": int(e),
            "att": float(a) if np.isfinite(a) else None,
            "low": float(a - z * s) if np.isfinite(a) and np.isfinite(s) else None,
            "high": float(a + z * s) if np.isfinite(a) and np.isfinite(s) else None,
        }
        for e, a, s in zip(et[shown], att[shown], se[shown], strict=True)
    ]
    return base


_WORKER: dict = {}  # in a worker process: the panel


def _worker_start(panel: Panel) -> None:
    _WORKER["panel"] = panel


def _worker_estimate(kind: str, units, province: str) -> Effect:
    return estimate(_WORKER["panel"], kind, units=units, province=province)


def attribute(
    panel: Panel, *, by_province: bool = False, min_province_treated: int = MIN_TREATED, jobs: int = 1
):
    """Effects of every kind nationally (and, if asked, per province with enough treated units). With
    jobs > 1 the estimates run in that many spawned processes (each estimate is independent; the same
    results)."""
    t0 = time.perf_counter()
    tasks = [(kind, None, "") for kind in KINDS]
    if by_province:
        for prov in sorted(set(panel.province.tolist())):
            units = np.nonzero(panel.province == prov)[0]
            for kind in KINDS:
                g, _ = _first_treatment(panel, KINDS.index(kind))
                if (g[units] > 0).sum() < min_province_treated:
                    continue
                tasks.append((kind, units, prov))
    if jobs <= 1:
        effects = [estimate(panel, kind, units=units, province=prov) for kind, units, prov in tasks]
    else:
        with spawn_pool(jobs, _worker_start, (panel,)) as pool:
            futures = [pool.submit(_worker_estimate, kind, units, prov) for kind, units, prov in tasks]
            effects = [f.result() for f in futures]
    n = len(KINDS)
    return effects[:n], effects[n:], time.perf_counter() - t0
