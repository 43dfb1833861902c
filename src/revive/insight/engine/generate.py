"""Small synthetic panels with known truths, for tests: a planted intervention effect, a planted precursor.

Neither is tuned to the registry's demo generator: the attribution panel is a textbook two-way design
(unit level + month level + the planted effect for 12 months after treatment), the risk panel a simple
producing/idle chain whose failures may or may not announce themselves.
"""

from __future__ import annotations

import numpy as np

from .panel import KINDS, Panel

START = 1400 * 12  # 1400/01


def _units(rng: np.random.Generator, n: int):
    provinces = np.array([f"IR-{i:02d}" for i in range(6)], dtype=object)
    sectors = np.array(["10", "20", "24", "25"], dtype=object)
    size = rng.choice(4, size=n, p=[0.41, 0.52, 0.06, 0.01]).astype(np.int8)
    jobs = np.array([4, 15, 60, 250])[size] + rng.integers(0, 6, size=n)
    return (
        [f"U{i:05d}" for i in range(n)],
        provinces[rng.integers(0, len(provinces), size=n)],
        sectors[rng.integers(0, len(sectors), size=n)],
        size,
        jobs.astype(np.int64),
    )


def _band_from_util(util: np.ndarray) -> np.ndarray:
    return np.where(util < 50, 1, np.where(util <= 70, 2, 3)).astype(np.int8)


def attribution_panel(
    n_units: int = 2000,
    n_months: int = 48,
    *,
    effect: float = 0.15,
    kind: str = "working_capital",
    treated_share: float = 0.3,
    seed: int = 0,
) -> Panel:
    """P(producing) = unit level + month level (+ `effect` in the 12 months from treatment, 0 after).

    Treatment months are staggered; treated units have lower levels (offices pick weaker units), which
    parallel trends allow. The true ATT averaged over the 12 months after treatment is `effect`.
    """
    rng = np.random.default_rng(seed)
    ids, prov, sect, size, jobs = _units(rng, n_units)
    level = rng.uniform(0.25, 0.6, size=n_units)
    treated = rng.random(n_units) < treated_share
    level[treated] -= 0.1
    month_level = 0.1 * np.sin(np.arange(n_months) / 5.0) + np.linspace(0, 0.1, n_months)
    g = np.full(n_units, -1)
    low = min(6, n_months // 3)
    g[treated] = rng.integers(low, max(low + 1, n_months - 12), size=int(treated.sum()))
    t = np.arange(n_months)[None, :]
    since = t - g[:, None]
    on = treated[:, None] & (since >= 0) & (since < 12)
    p = level[:, None] + month_level[None, :] + effect * on
    producing = rng.random((n_units, n_months)) < np.clip(p, 0, 1)
    util = np.where(producing, rng.uniform(20, 95, size=producing.shape), 0).astype(np.float32)
    band = np.where(producing, _band_from_util(util), 0).astype(np.int8)
    filed = (rng.random(band.shape) < 0.9).astype(np.int8)
    iv_unit = np.nonzero(treated)[0]
    return Panel(
        unit_ids=ids,
        province=prov,
        sector=sect,
        size=size,
        jobs=jobs,
        start=START,
        band=band,
        utilisation=util,
        filed=filed,
        late=np.zeros_like(filed),
        arrears=np.zeros_like(filed),
        iv_unit=iv_unit.astype(np.int64),
        iv_month=g[treated].astype(np.int64),
        iv_kind=np.full(len(iv_unit), KINDS.index(kind), dtype=np.int64),
        iv_amount=np.full(len(iv_unit), 20_000_000_000, dtype=np.int64),
    )


def risk_panel(
    n_units: int = 3000,
    n_months: int = 48,
    *,
    precursor: bool | str = True,
    hazard: float = 0.012,
    revive: float = 0.05,
    seed: int = 0,
) -> Panel:
    """A producing/idle chain. With `precursor`, a unit that will stop shows it for the 4 months before:
    utilisation slides 7 points a month, filings come late (60%) and loans fall into arrears (50%).
    Without it, failures come out of the blue and no model can beat chance by much.

    With `precursor="interaction"` the warning is in a combination of two signs: in every month a unit
    that goes on producing slides 20 points below its level half of the time and is in arrears half of the
    time, independently; a unit that stops within 6 months shows both (65%) or neither (35%). Arrears
    alone are as common before a stop as elsewhere, a slide alone nearly so (65% against 50%); what tells
    is whether they agree, which a model adding signs up cannot see and trees can.

    With `precursor="obstacles"` the only warning is in the optional `obstacles` column: an obstacle is
    recorded on the case of 70% of the units that stop within 6 months, and of 5% of the others, in any
    month; utilisation, filings and arrears tell nothing."""
    rng = np.random.default_rng(seed)
    ids, prov, sect, size, jobs = _units(rng, n_units)
    unit_hazard = hazard * rng.uniform(0.5, 1.5, size=n_units)
    base_util = rng.uniform(40, 90, size=n_units)
    idle = np.zeros((n_units, n_months), dtype=bool)
    state = rng.random(n_units) < 0.15
    for t in range(n_months):  # a loop over months, vectorised over units
        stop = ~state & (rng.random(n_units) < unit_hazard)
        start = state & (rng.random(n_units) < revive)
        state = (state & ~start) | stop
        idle[:, t] = state
    # months until the next stop (for the precursor), computed backwards over months
    until = np.full((n_units, n_months), 99, dtype=np.int64)
    nxt = np.full(n_units, 99)
    for t in range(n_months - 1, -1, -1):
        nxt = np.where(idle[:, t], 0, nxt + 1)
        until[:, t] = nxt
    util = base_util[:, None] + rng.normal(0, 6, size=(n_units, n_months))
    late_p = np.full((n_units, n_months), 0.08)
    arrears_p = np.full((n_units, n_months), 0.05)
    obstacles = None
    if precursor == "obstacles":
        warn = (~idle) & (until <= 6)
        flagged = rng.random(n_units) < 0.7  # the units whose trouble reaches their case
        noise = rng.random(idle.shape) < 0.05
        obstacles = np.where(warn & flagged[:, None], 1, noise).astype(np.float32)
    elif precursor == "interaction":
        warn = (~idle) & (until <= 6)
        slide = rng.random(idle.shape) < np.where(warn, 0.65, 0.5)
        together = np.where(warn, slide, rng.random(idle.shape) < 0.5)
        util = util - 20.0 * slide
        arrears_p = together.astype(np.float64)
    elif precursor:
        warn = (~idle) & (until <= 4)
        util = util - np.where(warn, 7.0 * (5 - until), 0)
        late_p = np.where(warn, 0.6, late_p)
        arrears_p = np.where(warn, 0.5, arrears_p)
    util = np.clip(util, 1, 100).astype(np.float32)
    util[idle] = 0
    band = np.where(idle, 0, _band_from_util(util)).astype(np.int8)
    filed = (rng.random(band.shape) < 0.93).astype(np.int8)
    late = ((rng.random(band.shape) < late_p) & (filed == 1)).astype(np.int8)
    arrears = (rng.random(band.shape) < arrears_p).astype(np.int8)
    util[filed == 0] = np.nan
    return Panel(
        unit_ids=ids,
        province=prov,
        sector=sect,
        size=size,
        jobs=jobs,
        start=START,
        band=band,
        utilisation=util,
        filed=filed,
        late=late,
        arrears=arrears,
        obstacles=obstacles,
    )
