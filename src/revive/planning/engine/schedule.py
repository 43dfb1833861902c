"""The year's plan: which unit to revive in which month, with money released month by month.

Rules (issue 19):
- `periods` releases `loan_budget` and `infra_budget` rials in each month 1..N; unspent money carries over
  to later months, never back (spent by month t <= released by month t, for every t).
- A project started in month s has its whole cost paid in month s and is done at the end of month
  s + d - 1 (a duration of 0: done in month s). A unit may be revived in month t only if every project it
  needs was started in a month s <= t - d; its loan is paid in month t.
- The other budget rows (bank lines, bank x province quotas, infrastructure by province, totals, minimum
  provincial shares) hold over the whole horizon.
- Objectives: `job-months` (value x (N - t + 1)), `units` or `jobs` (value) revived by the end of month N.

The MILP is written on running totals: x[u,t] = "revived by month t" and y[p,s] = "started by month s",
both monotone in time, linked by x[u,t] <= y[p, t - d_p]; every budget row is a cumulative row. Good plans
come first from a list scheduler (earliest feasible month, latest project start) driven by a greedy order,
by the single-period engine's choice on the aggregated horizon, and by random restarts; HiGHS then starts
from the best of them and proves its bound.
"""

from __future__ import annotations

import dataclasses
import math
import random
import threading
import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from . import solver as single
from .compiled import Compiled, ExactState, InstanceError
from .model import Instance

OBJECTIVES = ("job-months", "units", "jobs")
# From this many columns HiGHS's MIP may not reach its root in time (on the national instance it overran a
# 60 s limit by minutes): the model's LP (interior point, bound certified from its duals) and LP rounding
# take its place, in child processes stopped at the deadline. `months_bound` is another bound, studied
# and tested but looser than the LP (5.8% against 0.4% on the provincial benchmark), so not used.
MONTH_BOUND_FROM_COLUMNS = 40_000


@dataclass
class Periods:
    """Money released in each month (index 0 is month 1), in rials."""

    loan: list[int]
    infra: list[int]

    @property
    def months(self) -> int:
        return len(self.loan)


@dataclass
class Schedule:
    units: list[dict]  # {"unit_id", "month", "bank"}
    projects: list[dict]  # {"project_id", "start_month"}
    objective: float
    bound: float
    gap: float
    status: str  # 'optimal' | 'feasible' | 'time_limit'
    seconds: float
    baselines: dict[str, float] = field(default_factory=dict)
    method: str = ""
    message: str = ""

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "seconds": self.seconds,
            "schedule": {"units": self.units, "projects": self.projects},
            "baselines": self.baselines,
            "method": self.method,
            "message": self.message,
        }


def unit_weight(objective: str, value: float, month: int, months: int) -> float:
    if objective == "job-months":
        return value * (months - month + 1)
    if objective == "units":
        return 1.0
    return value


class Problem:
    """The instance compiled for N months: who can count at all, and from which month at the earliest."""

    def __init__(self, instance: Instance, periods: Periods, objective: str = "job-months"):
        if objective not in OBJECTIVES:
            raise InstanceError(f"unknown objective {objective!r} (choose {', '.join(OBJECTIVES)})")
        n_months = periods.months
        if n_months < 1:
            raise InstanceError("the plan needs at least one month", file="periods.csv")
        for name, amounts in (("loan_budget", periods.loan), ("infra_budget", periods.infra)):
            if len(amounts) != n_months or any(int(a) < 0 for a in amounts):
                raise InstanceError(f"{name} must be zero or more in every month", column=name)
        self.instance = instance
        self.objective = objective
        self.N = n_months
        inst = dataclasses.replace(instance, months_left=n_months - 1)
        if objective == "units":
            inst = dataclasses.replace(inst, units=[dataclasses.replace(u, value=1.0) for u in inst.units])
        self.comp = comp = Compiled(inst)
        self.cum_loan = list(np.cumsum([int(a) for a in periods.loan], dtype=object))
        self.cum_infra = list(np.cumsum([int(a) for a in periods.infra], dtype=object))
        self.periods = periods
        self.loan = [u.loan_amount for u in comp.units]
        self.cost = [p.cost for p in comp.projects]
        self.dur = [p.duration_months for p in comp.projects]
        # Earliest start (money released so far covers its cost) and latest useful start of each project.
        self.es = [self._first(self.cum_infra, c) for c in self.cost]
        self.ls = [n_months - d for d in self.dur]
        self.excluded: dict[str, str] = dict(comp.excluded)
        self.earliest: list[int | None] = []
        for u, ps in enumerate(comp.unit_projects):
            e = self._first(self.cum_loan, self.loan[u])
            why = None if e is not None else "its loan is more than the loan money of the whole plan"
            for p in ps:
                if self.es[p] is None or self.es[p] > self.ls[p]:
                    why = f"project {comp.projects[p].id} cannot be paid and done within the plan"
                    break
                e = max(e or 1, self.es[p] + self.dur[p])
            if why is None and e > n_months:
                why = "its loan and projects cannot all be paid in time within the plan"
            if why is not None:
                self.excluded[comp.units[u].id] = why
                e = None
            self.earliest.append(e)
        self.usable = [u for u in range(comp.m) if self.earliest[u] is not None]

    @staticmethod
    def _first(cum: list[int], amount: int) -> int | None:
        for t, c in enumerate(cum, 1):
            if c >= amount:
                return t
        return None

    def weight(self, u: int, month: int) -> float:
        return unit_weight(self.objective, self.comp.value[u], month, self.N)


class Builder:
    """A schedule built unit by unit with exact integers: each unit at the earliest month it fits,
    each project it still needs started as late as that month allows (later money is never scarcer)."""

    def __init__(self, pb: Problem):
        self.pb = pb
        self.state = ExactState(pb.comp)  # the whole-horizon rows
        self.loan_slack = list(pb.cum_loan)
        self.infra_slack = list(pb.cum_infra)
        self.start: dict[int, int] = {}
        self.month: dict[int, int] = {}
        self.value = 0.0

    def place(self, u: int, latest: int | None = None, move: bool = True, first: int = 1) -> bool:
        pb = self.pb
        e = pb.earliest[u]
        if e is None or u in self.month:
            return False
        opt = self.state.fitting_option(u)
        if opt is None:
            return False
        L = pb.loan[u]
        for t in range(max(e, first), (latest or pb.N) + 1):
            if L and min(self.loan_slack[t - 1 :]) < L:
                continue
            infra = self.infra_slack
            moves = []
            ok = True
            for p in pb.comp.unit_projects[u]:
                need = t - pb.dur[p]
                s0 = self.start.get(p)
                if s0 is not None and s0 <= need:
                    continue
                c = pb.cost[p]
                if need < (pb.es[p] or pb.N + 1) or (s0 is not None and not move):
                    ok = False
                    break
                end = pb.N if s0 is None else s0 - 1
                if c and min(infra[need - 1 : end]) < c:
                    ok = False
                    break
                if c:
                    if infra is self.infra_slack:
                        infra = list(infra)
                    for i in range(need - 1, end):
                        infra[i] -= c
                moves.append((p, need))
            if not ok:
                continue
            self.infra_slack = infra
            for p, s in moves:
                self.start[p] = s
            for i in range(t - 1, pb.N):
                self.loan_slack[i] -= L
            self.state.add(u, opt)
            self.month[u] = t
            self.value += pb.weight(u, t)
            return True
        return False

    def fill(self, order) -> Builder:
        for u in order:
            self.place(u)
        return self

    def result(self) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
        """(unit -> month, unit -> option, project -> start) for the projects some revived unit needs."""
        used = {p for u in self.month for p in self.pb.comp.unit_projects[u]}
        return dict(self.month), dict(self.state.chosen), {p: s for p, s in self.start.items() if p in used}


def _ratio_order(pb: Problem, noise: float = 0.0, rng: random.Random | None = None) -> list[int]:
    def key(u: int) -> float:
        cost = pb.loan[u] + sum(
            pb.cost[p] / max(1, len(pb.comp.project_units[p])) for p in pb.comp.unit_projects[u]
        )
        r = pb.weight(u, pb.earliest[u]) / (cost + 1.0)
        if noise and rng is not None:
            r *= math.exp(rng.gauss(0.0, noise))
        return -r

    return sorted(pb.usable, key=key)


def greedy_by_month(pb: Problem) -> Builder:
    """The simple rule offices use: every month, with the money on hand, take the units with the most value
    per rial still to pay; pay the loans of those whose projects are done, start the projects of the others."""
    b = Builder(pb)
    order = _ratio_order(pb)
    for t in range(1, pb.N + 1):
        for u in order:
            if u in b.month:
                continue
            unstarted = [p for p in pb.comp.unit_projects[u] if p not in b.start]
            if not unstarted:
                if pb.earliest[u] <= t:
                    b.place(u, latest=t, move=False)  # ready and the loan fits: revive now
                continue
            if any(not (pb.es[p] or pb.N + 1) <= t <= pb.ls[p] for p in unstarted):
                continue
            cost = sum(pb.cost[p] for p in unstarted)
            if cost and min(b.infra_slack[t - 1 :]) < cost:
                continue
            if b.state.fitting_option(u) is None:
                continue
            for p in unstarted:
                b.start[p] = t
                for i in range(t - 1, pb.N):
                    b.infra_slack[i] -= pb.cost[p]
    return b


def _milp_order(pb: Problem, time_limit: float, seed: int) -> list[int]:
    """Units the single-period engine picks on the aggregated horizon (all the money at once, each unit at
    its earliest month's value): a good set to schedule first."""
    comp = pb.comp
    units = [
        dataclasses.replace(comp.units[u], value=pb.weight(u, pb.earliest[u]), sector=None) for u in pb.usable
    ]
    b = comp.instance.budgets
    budgets = dataclasses.replace(
        b,
        loan_total=min(x for x in (b.loan_total, pb.cum_loan[-1]) if x is not None),
        infra_total=min(x for x in (b.infra_total, pb.cum_infra[-1]) if x is not None),
    )
    inst = Instance(units=units, projects=list(comp.projects), budgets=budgets, months_left=pb.N - 1)
    plan = single.solve(inst, time_limit=time_limit, seed=seed, mip_gap=1e-4)
    chosen = set(plan.selected_units)
    index = comp.unit_index
    first = [index[uid] for uid in plan.selected_units]
    first.sort(key=lambda u: (pb.earliest[u], -pb.comp.value[u]))
    return first + [u for u in _ratio_order(pb) if comp.units[u].id not in chosen]


class _Milp:
    def __init__(self, pb: Problem):
        self.pb = pb
        comp, N = pb.comp, pb.N
        inf = highspy.kHighsInf
        cols_lo: list[float] = []
        cols_up: list[float] = []
        cost: list[float] = []
        self.x: dict[tuple[int, int], int] = {}
        self.y: dict[tuple[int, int], int] = {}
        self.z: dict[tuple[int, int], int] = {}

        def col(c: float, up: float = 1.0) -> int:
            cols_lo.append(0.0)
            cols_up.append(up)
            cost.append(c)
            return len(cost) - 1

        usable = pb.usable
        for u in usable:
            # A unit with no project is revived, in some optimal plan, in its earliest month or in a month
            # that releases loan money (moved one month earlier otherwise, it still fits: nothing was
            # released in between), so its "revived by t" changes only in those months: one column each.
            loan_only = not comp.unit_projects[u]
            last = None
            for t in range(pb.earliest[u], N + 1):
                c = comp.value[u] if pb.objective == "job-months" or t == N else 0.0
                if last is None or not loan_only or (pb.loan[u] and pb.periods.loan[t - 1] > 0):
                    last = col(0.0)
                cost[last] += c
                self.x[u, t] = last
        needed = sorted({p for u in usable for p in comp.unit_projects[u]})
        for p in needed:
            for s in range(pb.es[p], pb.ls[p] + 1):
                self.y[p, s] = col(0.0)
        multi = [u for u in usable if len(comp.options[u]) > 1]
        for u in multi:
            for k in range(len(comp.options[u])):
                self.z[u, k] = col(0.0)
        rows: list[tuple[list[int], list[float], float, float]] = []
        for u in usable:
            for t in range(pb.earliest[u] + 1, N + 1):
                if self.x[u, t - 1] != self.x[u, t]:
                    rows.append(([self.x[u, t - 1], self.x[u, t]], [1.0, -1.0], -inf, 0.0))
            for p in comp.unit_projects[u]:
                for t in range(pb.earliest[u], N + 1):
                    rows.append(([self.x[u, t], self.y[p, t - pb.dur[p]]], [1.0, -1.0], -inf, 0.0))
        for p in needed:
            for s in range(pb.es[p] + 1, pb.ls[p] + 1):
                rows.append(([self.y[p, s - 1], self.y[p, s]], [1.0, -1.0], -inf, 0.0))
        for u in multi:
            k = len(comp.options[u])
            rows.append(([self.z[u, j] for j in range(k)] + [self.x[u, N]], [1.0] * k + [-1.0], 0.0, 0.0))

        def budget_row(coef: dict[int, float], cap: int) -> None:
            if not coef:
                return
            if sum(coef.values()) <= cap:
                return  # cannot bind
            scale = float(cap) if cap > 0 else max(coef.values())
            rows.append((list(coef), [a / scale for a in coef.values()], -inf, cap / scale))

        for t in range(1, N + 1):
            loans = {self.x[u, t]: float(pb.loan[u]) for u in usable if pb.loan[u] and (u, t) in self.x}
            budget_row(loans, pb.cum_loan[t - 1])
            infra = {}
            for p in needed:
                if pb.cost[p] and pb.es[p] <= t:
                    infra[self.y[p, min(t, pb.ls[p])]] = float(pb.cost[p])
            budget_row(infra, pb.cum_infra[t - 1])
        horizon: dict[int, dict[int, float]] = {r: {} for r in comp.active_rows}
        for u in usable:
            for k, opt in enumerate(comp.options[u]):
                c = self.z.get((u, k), self.x[u, N])
                for r, a in opt.rows:
                    if r in horizon:
                        horizon[r][c] = horizon[r].get(c, 0.0) + a
        for p in needed:
            for r, a in comp.project_rows[p]:
                if r in horizon:
                    c = self.y[p, pb.ls[p]]
                    horizon[r][c] = horizon[r].get(c, 0.0) + a
        for r, coef in horizon.items():
            budget_row(coef, comp.caps[r])
        if comp.min_share:
            total = sum(comp.base_value) or 1.0
            for prov, share in comp.min_share:
                idx = [self.x[u, N] for u in usable]
                val = [((comp.provinces[u] == prov) - share) * comp.base_value[u] / total for u in usable]
                rows.append((idx, val, 0.0, inf))
        self.ncol = len(cost)
        lp = highspy.HighsLp()
        lp.num_col_ = self.ncol
        lp.num_row_ = len(rows)
        lp.col_cost_ = np.array(cost, dtype=float)
        lp.col_lower_ = np.array(cols_lo, dtype=float)
        lp.col_upper_ = np.array(cols_up, dtype=float)
        lp.row_lower_ = np.array([r[2] for r in rows], dtype=float)
        lp.row_upper_ = np.array([r[3] for r in rows], dtype=float)
        lp.sense_ = highspy.ObjSense.kMaximize
        starts = np.zeros(len(rows) + 1, dtype=np.int32)
        starts[1:] = np.cumsum([len(r[0]) for r in rows])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = self.ncol
        lp.a_matrix_.num_row_ = len(rows)
        lp.a_matrix_.start_ = starts
        lp.a_matrix_.index_ = np.array([i for r in rows for i in r[0]], dtype=np.int32)
        lp.a_matrix_.value_ = np.array([v for r in rows for v in r[1]], dtype=float)
        self.lp = lp
        self.nrow = len(rows)

    def highs(self, *, time_limit: float, mip_gap: float, seed: int, threads: int) -> highspy.Highs:
        return single.new_highs(
            self.lp, self.ncol, integral=True, time_limit=time_limit, mip_gap=mip_gap, seed=seed, threads=threads
        )

    def vector(self, months: dict[int, int], options: dict[int, int], starts: dict[int, int]) -> np.ndarray:
        v = np.zeros(self.ncol)
        for (u, t), c in self.x.items():
            if u in months and months[u] <= t:
                v[c] = 1.0
        for (p, s), c in self.y.items():
            if p in starts and starts[p] <= s:
                v[c] = 1.0
        for (u, k), c in self.z.items():
            if options.get(u) == k:
                v[c] = 1.0
        return v

    def decode(self, v: np.ndarray) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
        months: dict[int, int] = {}
        for (u, t), c in self.x.items():
            if v[c] > 0.5 and (u not in months or t < months[u]):
                months[u] = t
        starts: dict[int, int] = {}
        for (p, s), c in self.y.items():
            if v[c] > 0.5 and (p not in starts or s < starts[p]):
                starts[p] = s
        options: dict[int, int] = {}
        for u in months:
            options[u] = 0
            if (u, 0) in self.z:
                options[u] = max(range(len(self.pb.comp.options[u])), key=lambda k: v[self.z[u, k]])
        used = {p for u in months for p in self.pb.comp.unit_projects[u]}
        return months, options, {p: s for p, s in starts.items() if p in used}


def _lp_from_rows(ncol, cost, upper, rows) -> highspy.HighsLp:
    lp = highspy.HighsLp()
    lp.num_col_ = ncol
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.array(cost, dtype=float)
    lp.col_lower_ = np.zeros(ncol)
    lp.col_upper_ = np.array(upper, dtype=float)
    lp.row_lower_ = np.array([r[2] for r in rows], dtype=float)
    lp.row_upper_ = np.array([r[3] for r in rows], dtype=float)
    lp.sense_ = highspy.ObjSense.kMaximize
    starts = np.zeros(len(rows) + 1, dtype=np.int32)
    starts[1:] = np.cumsum([len(r[0]) for r in rows])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = ncol
    lp.a_matrix_.num_row_ = len(rows)
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = np.array([i for r in rows for i in r[0]], dtype=np.int32)
    lp.a_matrix_.value_ = np.array([v for r in rows for v in r[1]], dtype=float)
    return lp


def cutoff_bound(pb: Problem, t: int, time_limit: float, seed: int = 0) -> float:
    """A proven upper bound on the value of the units revived by month t (value without the month weight).

    A relaxation with one period: the units revived by t (those that can be ready by t), their loans within
    the loan money released by t, and for every k the projects of k months or more within the
    infrastructure money released by t - k (they must start by then); the whole-horizon rows as they are.
    Summed over t, these bound the job-months objective; at t = N, the units and jobs objectives.
    """
    comp = pb.comp
    inf = highspy.kHighsInf
    units = [u for u in pb.usable if pb.earliest[u] <= t]
    if not units:
        return 0.0
    needed = sorted({p for u in units for p in comp.unit_projects[u]})
    col: dict = {}
    cost: list[float] = []
    for u in units:
        col["x", u] = len(cost)
        cost.append(comp.value[u])
    for p in needed:
        col["y", p] = len(cost)
        cost.append(0.0)
    multi = [u for u in units if len(comp.options[u]) > 1]
    for u in multi:
        for k in range(len(comp.options[u])):
            col["z", u, k] = len(cost)
            cost.append(0.0)
    rows: list[tuple[list[int], list[float], float, float]] = []
    for u in units:
        for p in comp.unit_projects[u]:
            rows.append(([col["x", u], col["y", p]], [1.0, -1.0], -inf, 0.0))
    for u in multi:
        k = len(comp.options[u])
        rows.append(([col["z", u, j] for j in range(k)] + [col["x", u]], [1.0] * k + [-1.0], 0.0, 0.0))

    def budget_row(coef: dict[int, float], cap: int) -> None:
        if coef and sum(coef.values()) > cap:
            scale = float(cap) if cap > 0 else max(coef.values())
            rows.append((list(coef), [a / scale for a in coef.values()], -inf, cap / scale))

    budget_row({col["x", u]: float(pb.loan[u]) for u in units if pb.loan[u]}, pb.cum_loan[t - 1])
    for k in sorted({pb.dur[p] for p in needed}):
        if t - k >= 1:
            coef = {col["y", p]: float(pb.cost[p]) for p in needed if pb.dur[p] >= k and pb.cost[p]}
            budget_row(coef, pb.cum_infra[t - k - 1])
    horizon: dict[int, dict[int, float]] = {r: {} for r in comp.active_rows}
    for u in units:
        for k, opt in enumerate(comp.options[u]):
            c = col.get(("z", u, k), col["x", u])
            for r, a in opt.rows:
                if r in horizon:
                    horizon[r][c] = horizon[r].get(c, 0.0) + a
    for p in needed:
        for r, a in comp.project_rows[p]:
            if r in horizon:
                horizon[r][col["y", p]] = horizon[r].get(col["y", p], 0.0) + a
    for r, coef in horizon.items():
        budget_row(coef, comp.caps[r])
    if comp.min_share:
        total = sum(comp.base_value) or 1.0
        for prov, share in comp.min_share:
            idx = [col["x", u] for u in units]
            val = [((comp.provinces[u] == prov) - share) * comp.base_value[u] / total for u in units]
            rows.append((idx, val, 0.0, inf))
    h = highspy.Highs()
    h.silent()
    h.passModel(_lp_from_rows(len(cost), cost, [1.0] * len(cost), rows))
    n = len(cost)
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger.value, dtype=np.uint8)
    )
    for name, value in (
        ("time_limit", max(0.05, time_limit)),
        ("mip_rel_gap", 1e-5),
        ("random_seed", seed),
        ("threads", 1),
    ):
        h.setOptionValue(name, value)
    h.run()
    bound = float(h.getInfo().mip_dual_bound)
    if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        bound = max(bound, float(h.getInfo().objective_function_value))
    if not np.isfinite(bound):
        bound = float(sum(comp.value[u] for u in units))
    return bound * (1 + 1e-9)


def months_bound(pb: Problem, deadline: float, seed: int = 0) -> float:
    """sum over t of the cutoff bounds (job-months), or the cutoff bound at N (units, jobs); months left
    without time reuse the next month's bound, which is larger (money and readiness only grow with t)."""
    months = list(range(pb.N, 0, -1)) if pb.objective == "job-months" else [pb.N]
    total = 0.0
    last = None
    for i, t in enumerate(months):
        left = deadline - time.monotonic()
        if last is not None and left < 0.05:
            total += last
            continue
        last = cutoff_bound(pb, t, left / (len(months) - i), seed)
        total += last
    return total


def _value(pb: Problem, months: dict[int, int]) -> float:
    return sum(pb.weight(u, t) for u, t in months.items())


def _feasible(pb: Problem, months: dict[int, int], options: dict[int, int], starts: dict[int, int]) -> bool:
    return not problems(pb, months, options, starts)


def problems(
    pb: Problem, months: dict[int, int], options: dict[int, int], starts: dict[int, int]
) -> list[str]:
    """The engine's own exact check of a schedule in compiled indices (the tests have an independent one)."""
    comp, N = pb.comp, pb.N
    out = []
    loan_by = [0] * N
    infra_by = [0] * N
    for p, s in starts.items():
        if not 1 <= s <= N:
            out.append(f"project {p} starts in month {s}")
            continue
        infra_by[s - 1] += pb.cost[p]
    for u, t in months.items():
        if not 1 <= t <= N:
            out.append(f"unit {u} in month {t}")
            continue
        loan_by[t - 1] += pb.loan[u]
        for p in comp.unit_projects[u]:
            if p not in starts or starts[p] + pb.dur[p] > t:
                out.append(f"unit {u} in month {t} before project {p} is done")
    for name, by, cum in (("loan", loan_by, pb.cum_loan), ("infra", infra_by, pb.cum_infra)):
        spent = 0
        for t in range(N):
            spent += by[t]
            if spent > cum[t]:
                out.append(f"{name} money spent by month {t + 1} exceeds what was released")
    usage = [0] * len(comp.caps)
    for u in months:
        for r, a in comp.options[u][options[u]].rows:
            usage[r] += a
    for p in starts:
        for r, a in comp.project_rows[p]:
            usage[r] += a
    for r, (x, c) in enumerate(zip(usage, comp.caps, strict=True)):
        if x > c:
            out.append(f"row {comp.row_names[r]} exceeded")
    if comp.min_share:
        total = sum(comp.base_value[u] for u in months)
        for prov, share in comp.min_share:
            got = sum(comp.base_value[u] for u in months if comp.provinces[u] == prov)
            if got < share * total - 1e-9 * max(1.0, total):
                out.append(f"province {prov} below its share")
    return out


def _drop_for_shares(pb: Problem, months: dict[int, int], options: dict[int, int]) -> None:
    """Drop units until every province has its minimum share (dropping never breaks a budget)."""
    comp = pb.comp
    while months and comp.min_share:
        total = sum(comp.base_value[u] for u in months)
        short = {
            prov
            for prov, share in comp.min_share
            if sum(comp.base_value[u] for u in months if comp.provinces[u] == prov)
            < share * total - 1e-9 * max(1.0, total)
        }
        if not short:
            return
        pool = [u for u in months if comp.provinces[u] not in short] or list(months)
        u = min(pool, key=lambda u: (comp.base_value[u], u))
        months.pop(u)
        options.pop(u, None)


def _improve(
    pb: Problem, best: Builder, deadline: float, seed: int, stop=lambda: False
) -> tuple[Builder, int]:
    """Random restarts of the list scheduler around the best order: keep the best schedule's units in their
    months' order, shake the rest, rebuild."""
    rng = random.Random(seed)
    rounds = 0
    base = _ratio_order(pb)
    stall = 0
    while time.monotonic() < deadline and stall < 60 and not stop():
        rounds += 1
        stall += 1
        kept = sorted(best.month, key=lambda u: (best.month[u], rng.random()))
        k = max(1, len(kept) // rng.choice((10, 30, 100))) if kept else 0
        drop = set(rng.sample(kept, k=k)) if kept else set()
        # Half the rounds keep every other unit at its month or later (the months carry the plan's timing),
        # with the dropped ones free to move earlier; the other half rebuild earliest-first.
        keep_months = rounds % 2 == 0
        noisy = _ratio_order(pb, noise=0.3, rng=rng) if rounds % 4 < 2 else base
        cand = Builder(pb)
        for u in (u for u in kept if u not in drop):
            if keep_months:
                cand.place(u, first=best.month[u]) or cand.place(u)
            else:
                cand.place(u)
        cand.fill(u for u in noisy if u not in best.month or u in drop)
        if cand.value > best.value + 1e-9:
            best, stall = cand, 0
    return best, rounds


def solve_schedule(
    instance: Instance,
    periods: Periods,
    *,
    objective: str = "job-months",
    time_limit: float = 30.0,
    mip_gap: float = 1e-4,
    seed: int = 0,
    threads: int = 1,
    baselines: bool = True,
) -> Schedule:
    """The best schedule found within the time limit, its proven bound, and the two baselines.

    HiGHS runs in its own thread from the start, warm-started by the list scheduler; the heuristics keep
    improving in this thread for a fifth of the time and hand HiGHS every better schedule. With
    `baselines`, HiGHS alone (the same model, no warm start, the same time) runs alongside; both bounds are
    proven, so the smaller is reported, and the best schedule of all three is returned.
    """
    t0 = time.monotonic()
    deadline = t0 + time_limit
    pb = Problem(instance, periods, objective)
    greedy = greedy_by_month(pb)
    base = {"greedy_by_month": greedy.value}
    best, method = greedy, "greedy_by_month"
    cand = Builder(pb).fill(_ratio_order(pb))
    if cand.value > best.value + 1e-9:
        best, method = cand, "list"
    if not pb.usable:
        return _finish(pb, best.result(), 0.0, t0, base, "none", timed_out=False, mip_gap=mip_gap)

    milp = _Milp(pb)
    lock = threading.Lock()
    pending: list[np.ndarray] = []
    milp_done = threading.Event()
    outcomes: dict[str, dict] = {}
    # A large model runs in child processes that are stopped at the deadline: HiGHS does not look at its
    # clock in every phase (on the national instance it overran 60 s by minutes before its root LP).
    big = milp.ncol > MONTH_BOUND_FROM_COLUMNS
    children: dict[str, tuple] = {}

    def run(name: str, warm: tuple | None) -> None:
        h = milp.highs(time_limit=deadline - time.monotonic(), mip_gap=mip_gap, seed=seed, threads=threads)
        if warm is not None:
            h.setSolution(milp.ncol, np.arange(milp.ncol, dtype=np.int32), milp.vector(*warm))

            def user_solution(e) -> None:
                with lock:
                    sol = pending.pop() if pending else None
                    pending.clear()
                if sol is not None:
                    e.data_in.setSolution(sol)
                    e.data_in.user_has_solution = True

            h.cbMipUserSolution.subscribe(user_solution)
        try:
            h.run()
            outcomes[name] = _outcome(h)
        finally:
            if warm is not None:
                milp_done.set()

    threads_: list[threading.Thread] = []
    # A large model: its LP bound (interior point, certified from the duals) instead of HiGHS's MIP, which
    # does not reach its root in time there; HiGHS alone still runs as the baseline.
    names = (["lp"] if big else ["main"]) + (["alone"] if baselines else [])
    for name in names:
        warm = best.result() if name == "main" else None
        if name == "lp":
            children[name] = _start_lp_child(milp, deadline - time.monotonic() - 1.0)
        elif big:
            children[name] = _start_child(milp, warm, deadline - time.monotonic(), mip_gap, seed, threads)
        else:
            threads_.append(threading.Thread(target=run, args=(name, warm), daemon=True))
    for t in threads_:
        t.start()
    # A fifth of the time for the heuristics: the single-period engine on the aggregate, then restarts.
    heur_end = min(deadline, t0 + 0.2 * time_limit)
    rounds = 0
    try:
        order = _milp_order(pb, max(0.2, 0.5 * (heur_end - time.monotonic())), seed)
        cand = Builder(pb).fill(order)
        if cand.value > best.value + 1e-9:
            best, method = cand, "aggregate"
        before = best.value
        best, rounds = _improve(pb, best, heur_end, seed, stop=milp_done.is_set)
        if best.value > before + 1e-9:
            method = "restarts"
    except Exception:  # noqa: BLE001 - a failed heuristic must not lose the plan HiGHS is making
        pass
    with lock:
        pending.append(milp.vector(*best.result()))
    # A large model: when its LP arrives, a schedule in the order the LP revives units (rounding), then
    # restarts around it, while the LP's bound stands.
    if "lp" in children:
        conn = children["lp"][1]
        if conn.poll(max(0.0, deadline - max(2.0, 0.15 * time_limit) - time.monotonic())):
            outcomes["lp"] = _finish_child(children.pop("lp"), deadline)
            x = outcomes["lp"].get("x")
            if x is not None:
                try:
                    cand = lp_rounding(pb, milp, x)
                    if cand.value > best.value + 1e-9:
                        best, method = cand, "LP rounding"
                    before = best.value
                    best, more = _improve(pb, best, deadline - 1.0, seed + 1)
                    rounds += more
                    if best.value > before + 1e-9:
                        method = "LP rounding, restarts"
                except Exception:  # noqa: BLE001 - a failed rounding must not lose the plan
                    pass
    for t in threads_:
        t.join()
    for name, child in children.items():
        outcomes[name] = _finish_child(child, deadline)
    months, options, starts = best.result()
    value = best.value
    bound = math.inf
    timed_out = False
    status_text = []
    for name in names:
        out = outcomes.get(name) or {
            "status": "no answer",
            "time_limit": True,
            "bound": math.inf,
            "sol": None,
        }
        status_text.append(f"{name}: {out['status']}")
        timed_out |= out["time_limit"]
        if np.isfinite(out["bound"]):
            bound = min(bound, out["bound"])
        got = 0.0
        if out["sol"] is not None:
            m2, o2, s2 = milp.decode(out["sol"])
            _drop_for_shares(pb, m2, o2)
            if _feasible(pb, m2, o2, s2):
                got = _value(pb, m2)
                if got > value + 1e-9:
                    months, options, starts, value = m2, o2, s2, got
                    method = "HiGHS" if name == "main" else "HiGHS alone"
        if name == "alone":
            base["highs_alone"] = got
    if not np.isfinite(bound):
        bound = _trivial_bound(pb)
    method = f"{method} ({', '.join(status_text)}; {rounds} restarts)"
    return _finish(
        pb, (months, options, starts), bound, t0, base, method, timed_out=timed_out, mip_gap=mip_gap
    )


def _lp_months(pb: Problem, milp: _Milp, x: np.ndarray) -> dict[int, int]:
    """The month the LP revives each unit by (the first with x[u,t] >= 1/2)."""
    out: dict[int, int] = {}
    for (u, t), c in milp.x.items():
        if x[c] >= 0.5 and (u not in out or t < out[u]):
            out[u] = t
    return out


def lp_rounding(pb: Problem, milp: _Milp, x: np.ndarray) -> Builder:
    """Units the LP revives, in the order of its months (the surest first), each at the first month from
    the LP's that fits; then the others by value per rial."""
    months = _lp_months(pb, milp, x)
    active = dict.fromkeys(pb.usable, 0.0)
    for (u, _t), c in milp.x.items():
        active[u] += x[c]
    b = Builder(pb)
    for u in sorted(months, key=lambda u: (months[u], -active[u], -pb.comp.value[u], u)):
        b.place(u, first=months[u]) or b.place(u)
    return b.fill(_ratio_order(pb))


def _outcome(h: highspy.Highs) -> dict:
    info = h.getInfo()
    status = h.getModelStatus()
    sol = np.array(h.getSolution().col_value, dtype=float) if info.primal_solution_status == 2 else None
    return {
        "status": h.modelStatusToString(status),
        "time_limit": status == highspy.HighsModelStatus.kTimeLimit,
        "bound": float(info.mip_dual_bound),
        "sol": sol,
    }


def _child_main(milp: _Milp, warm, time_limit: float, mip_gap: float, seed: int, threads: int, conn) -> None:
    h = milp.highs(time_limit=time_limit, mip_gap=mip_gap, seed=seed, threads=threads)
    if warm is not None:
        h.setSolution(milp.ncol, np.arange(milp.ncol, dtype=np.int32), milp.vector(*warm))
    h.run()
    conn.send(_outcome(h))
    conn.close()


def _start_child(milp: _Milp, warm, time_limit: float, mip_gap: float, seed: int, threads: int) -> tuple:
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child_main, args=(milp, warm, time_limit, mip_gap, seed, threads, child), daemon=True
    )
    proc.start()
    child.close()
    return proc, parent


def certified_lp_bound(lp: highspy.HighsLp, row_dual: np.ndarray) -> float:
    """An upper bound on max c.x (row bounds, 0 <= x <= upper) proven by any row multipliers y:
    c.x = y.Ax + (c - A'y).x <= sum_i max over the row's bounds of y_i (A x)_i + sum_j max(0, (c - A'y)_j) u_j.
    Rows whose needed side is infinite get y_i = 0; both signs of the solver's duals are tried."""
    starts = np.asarray(lp.a_matrix_.start_)
    index = np.asarray(lp.a_matrix_.index_)
    value = np.asarray(lp.a_matrix_.value_)
    lower, upper = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    cost, col_upper = np.asarray(lp.col_cost_), np.asarray(lp.col_upper_)
    row_of = np.repeat(np.arange(len(lower)), np.diff(starts))
    best = math.inf
    for sign in (1.0, -1.0):
        y = sign * np.asarray(row_dual, dtype=float)
        y = np.where((y > 0) & ~np.isfinite(upper), 0.0, y)
        y = np.where((y < 0) & ~np.isfinite(lower), 0.0, y)
        rows = np.where(
            y > 0, y * np.where(np.isfinite(upper), upper, 0.0), y * np.where(np.isfinite(lower), lower, 0.0)
        )
        reduced = cost - np.bincount(index, weights=value * y[row_of], minlength=len(cost))
        best = min(best, float(rows.sum() + np.maximum(reduced, 0.0) @ col_upper))
    return best


def _lp_child_main(milp: _Milp, time_limit: float, conn) -> None:
    h = highspy.Highs()
    h.silent()
    h.passModel(milp.lp)
    for name, value in (("time_limit", max(0.01, time_limit)), ("solver", "ipm"), ("run_crossover", "off")):
        h.setOptionValue(name, value)
    h.run()
    bound = math.inf
    sol = h.getSolution()
    duals = np.array(sol.row_dual, dtype=float)
    x = np.array(sol.col_value, dtype=float)
    if len(duals) == milp.nrow and np.all(np.isfinite(duals)):
        bound = certified_lp_bound(milp.lp, duals)  # valid for any multipliers, converged or not
    status = h.getModelStatus()
    conn.send(
        {
            "status": f"LP {h.modelStatusToString(status)}",
            "time_limit": status == highspy.HighsModelStatus.kTimeLimit,
            "bound": bound,
            "sol": None,
            "x": x if len(x) == milp.ncol else None,
        }
    )
    conn.close()


def _start_lp_child(milp: _Milp, time_limit: float) -> tuple:
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_lp_child_main, args=(milp, time_limit, child), daemon=True)
    proc.start()
    child.close()
    return proc, parent


CHILD_GRACE = 2.0  # seconds a child may take past the deadline to hand its answer back


def _finish_child(child: tuple, deadline: float) -> dict:
    proc, conn = child
    out = None
    if conn.poll(max(0.0, deadline - time.monotonic()) + CHILD_GRACE):
        try:
            out = conn.recv()
        except EOFError:
            out = None
    if out is None:
        proc.kill()
        out = {"status": "stopped at the time limit", "time_limit": True, "bound": math.inf, "sol": None}
    proc.join(timeout=5)
    conn.close()
    return out


def _trivial_bound(pb: Problem) -> float:
    return float(sum(pb.weight(u, pb.earliest[u]) for u in pb.usable))


def _finish(pb, result, bound, t0, baselines, method, *, timed_out, mip_gap) -> Schedule:
    months, options, starts = result
    comp = pb.comp
    bad = problems(pb, months, options, starts)
    if bad:  # never expected: every schedule comes from the exact builder or passed this check
        raise AssertionError("schedule violates: " + "; ".join(bad[:5]))
    objective = _value(pb, months)
    bound = max(bound, objective)
    gap = (bound - objective) / bound if bound > 0 else 0.0
    if gap <= mip_gap + 1e-12:
        status = "optimal"
    elif timed_out:
        status = "time_limit"
    else:
        status = "feasible"
    notes = []
    if pb.excluded:
        notes.append(f"{len(pb.excluded)} units cannot count within the plan")
    return Schedule(
        units=[
            {"unit_id": comp.units[u].id, "month": t, "bank": comp.options[u][options[u]].bank}
            for u, t in sorted(months.items(), key=lambda kv: (kv[1], comp.units[kv[0]].id))
        ],
        projects=[
            {"project_id": comp.projects[p].id, "start_month": s}
            for p, s in sorted(starts.items(), key=lambda kv: (kv[1], comp.projects[kv[0]].id))
        ],
        objective=objective,
        bound=bound,
        gap=gap,
        status=status,
        seconds=time.monotonic() - t0,
        baselines=baselines,
        method=method,
        message="; ".join(notes),
    )
