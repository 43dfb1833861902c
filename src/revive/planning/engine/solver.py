"""Choose the units to revive: exact MILP (HiGHS) for the proof, tabu search alongside it for good plans fast."""

from __future__ import annotations

import threading
import time

import highspy
import numpy as np

from . import heuristics as H
from .compiled import Compiled, ExactState
from .model import Instance, Plan

# The dense local search keeps a units x projects matrix; beyond this many cells it is skipped.
LOCAL_SEARCH_MAX_CELLS = 4_000_000


def _silence_banner() -> None:
    """HiGHS prints its banner on stdout when the first solver of a process is created; JSON output
    (`revive plan --json`) must stay pure, so that first solver is created with stdout closed."""
    import os
    import sys

    try:
        fd = sys.__stdout__.fileno() if sys.__stdout__ else 1
    except (OSError, ValueError):
        return
    if sys.__stdout__:
        sys.__stdout__.flush()
    saved = os.dup(fd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
        highspy.Highs()
    finally:
        os.dup2(saved, fd)
        os.close(devnull)
        os.close(saved)


_silence_banner()


class _Milp:
    """The tight formulation: x_u <= y_p per unit-project pair, bank choice z_ub, scaled budget rows."""

    def __init__(self, comp: Compiled):
        self.comp = comp
        m, n = comp.m, comp.n
        self.multi = [u for u in range(m) if len(comp.options[u]) > 1]
        self.zcol: dict[tuple[int, int], int] = {}
        col = m + n
        for u in self.multi:
            for k in range(len(comp.options[u])):
                self.zcol[u, k] = col
                col += 1
        self.ncol = col
        rows: list[tuple[list[int], list[float], float, float]] = []
        for u, ps in enumerate(comp.unit_projects):
            for p in ps:
                rows.append(([u, m + p], [1.0, -1.0], -highspy.kHighsInf, 0.0))
        for u in self.multi:
            k = len(comp.options[u])
            rows.append(([self.zcol[u, j] for j in range(k)] + [u], [1.0] * k + [-1.0], 0.0, 0.0))
        active = {r: {} for r in comp.active_rows}
        for u in range(m):
            for j, opt in enumerate(comp.options[u]):
                c = self.zcol.get((u, j), u)
                for r, a in opt.rows:
                    if r in active:
                        active[r][c] = active[r].get(c, 0.0) + a / comp.caps[r]
        for p, prow in enumerate(comp.project_rows):
            for r, a in prow:
                if r in active:
                    active[r][m + p] = active[r].get(m + p, 0.0) + a / comp.caps[r]
        for coef in active.values():
            rows.append((list(coef), list(coef.values()), -highspy.kHighsInf, 1.0))
        if comp.min_share:
            total = sum(comp.base_value) or 1.0
            for prov, share in comp.min_share:
                idx = list(range(m))
                val = [((comp.provinces[u] == prov) - share) * comp.base_value[u] / total for u in idx]
                rows.append((idx, val, 0.0, highspy.kHighsInf))
        lp = highspy.HighsLp()
        lp.num_col_ = self.ncol
        lp.num_row_ = len(rows)
        cost = np.zeros(self.ncol)
        cost[:m] = comp.value
        lp.col_cost_ = cost
        lp.col_lower_ = np.zeros(self.ncol)
        lp.col_upper_ = np.ones(self.ncol)
        lp.row_lower_ = np.array([r[2] for r in rows])
        lp.row_upper_ = np.array([r[3] for r in rows])
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

    def vector(self, selection: H.Selection) -> np.ndarray:
        m = self.comp.m
        x = np.zeros(self.ncol)
        for u, k in selection.items():
            x[u] = 1.0
            for p in self.comp.unit_projects[u]:
                x[m + p] = 1.0
            if (u, k) in self.zcol:
                x[self.zcol[u, k]] = 1.0
        return x

    def selection(self, x: np.ndarray) -> H.Selection:
        out = {}
        for u in np.flatnonzero(x[: self.comp.m] > 0.5):
            u = int(u)
            k = 0
            if (u, 0) in self.zcol:
                k = max(range(len(self.comp.options[u])), key=lambda j: x[self.zcol[u, j]])
            out[u] = k
        return out

    def highs(
        self, *, integral: bool, time_limit: float, mip_gap: float, seed: int, threads: int
    ) -> highspy.Highs:
        return new_highs(
            self.lp, self.ncol, integral=integral, time_limit=time_limit, mip_gap=mip_gap, seed=seed,
            threads=threads,
        )


class _Race:
    """Incumbents shared between the tabu search (main thread) and HiGHS (its own thread)."""

    def __init__(self, comp: Compiled):
        self.comp = comp
        self.lock = threading.Lock()
        self.best: ExactState | None = None
        self.best_method = ""
        self.pending: np.ndarray | None = None
        self.milp_done = threading.Event()

    def offer(self, state: ExactState, method: str) -> bool:
        with self.lock:
            if self.best is None or state.value > self.best.value + 1e-9:
                self.best, self.best_method = state, method
                return True
            return False


def solve(
    instance: Instance, *, time_limit: float = 10.0, mip_gap: float = 1e-3, seed: int = 0, threads: int = 1
) -> Plan:
    t0 = time.monotonic()
    deadline = t0 + time_limit
    comp = Compiled(instance)
    race = _Race(comp)
    base = {
        "oldest_first": H.oldest_first(comp),
        "most_jobs_first": H.most_jobs_first(comp),
        "greedy": H.dynamic_ratio_greedy(comp),
    }
    baselines = {k: s.value for k, s in base.items()}
    for name, state in base.items():
        race.offer(state, name)
    if comp.m == 0:
        return _plan(
            instance, comp, race.best, bound=0.0, t0=t0, baselines=baselines, method="none", timed_out=False
        )

    milp = _Milp(comp)
    h = milp.highs(
        integral=True, time_limit=deadline - time.monotonic(), mip_gap=mip_gap, seed=seed, threads=threads
    )
    start = race.best
    assert start is not None
    x0 = milp.vector(start.chosen)
    h.setSolution(milp.ncol, np.arange(milp.ncol, dtype=np.int32), x0)

    def improving(e) -> None:
        sol = np.array(e.data_out.mip_solution, dtype=float)
        state = H.repair(comp, milp.selection(sol))
        race.offer(state, "milp")

    def user_solution(e) -> None:
        with race.lock:
            pending, race.pending = race.pending, None
        if pending is not None:
            e.data_in.setSolution(pending)
            e.data_in.user_has_solution = True

    h.cbMipImprovingSolution.subscribe(improving)
    use_ls = not comp.min_share and comp.m * max(1, comp.n) <= LOCAL_SEARCH_MAX_CELLS
    if use_ls:
        h.cbMipUserSolution.subscribe(user_solution)

    def run_milp() -> None:
        try:
            h.run()
        finally:
            race.milp_done.set()

    thread = threading.Thread(target=run_milp, daemon=True)
    thread.start()

    ls_iterations = 0
    if use_ls:
        seeds = [s.chosen for s in base.values()]
        lp_seed = _lp_rounding(comp, milp, deadline)
        if lp_seed is not None:
            seeds.append(lp_seed.chosen)
            race.offer(lp_seed, "lp_rounding")
        best_seed = max(seeds, key=lambda s: sum(comp.value[u] for u in s))
        options = [best_seed.get(u, 0) for u in range(comp.m)]

        def on_improve(selection: H.Selection, value: float) -> None:
            state = H.complete(comp, H.repair(comp, selection))
            if race.offer(state, "tabu"):
                with race.lock:
                    race.pending = milp.vector(state.chosen)

        _, _, ls_iterations = H.local_search(
            comp,
            seeds,
            deadline=deadline - 0.02,
            seed=seed,
            options=options,
            should_stop=race.milp_done.is_set,
            on_improve=on_improve,
            incumbent=lambda: race.best.chosen if race.best is not None else None,
        )
    thread.join()
    info = h.getInfo()
    status = h.getModelStatus()
    bound = float(info.mip_dual_bound)
    if not np.isfinite(bound):
        bound = float(sum(comp.value))
    timed_out = status == highspy.HighsModelStatus.kTimeLimit
    method = f"{race.best_method} (MILP {h.modelStatusToString(status)}, {ls_iterations} tabu moves)"
    return _plan(
        instance,
        comp,
        race.best,
        bound=bound,
        t0=t0,
        baselines=baselines,
        method=method,
        timed_out=timed_out,
        mip_gap=mip_gap,
    )


def _lp_rounding(comp: Compiled, milp: _Milp, deadline: float) -> ExactState | None:
    """Units in decreasing order of their LP value, each taken while it fits."""
    h = milp.highs(
        integral=False,
        time_limit=min(2.0, max(0.01, (deadline - time.monotonic()) / 10)),
        mip_gap=0,
        seed=0,
        threads=1,
    )
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = np.array(h.getSolution().col_value)[: comp.m]
    order = sorted(range(comp.m), key=lambda u: (-x[u], -comp.value[u], u))
    return H.dynamic_ratio_greedy(comp, start=H.fill_in_order(comp, [u for u in order if x[u] > 0.5]))


def _plan(
    instance: Instance,
    comp: Compiled,
    best: ExactState | None,
    *,
    bound: float,
    t0: float,
    baselines: dict[str, float],
    method: str,
    timed_out: bool,
    mip_gap: float = 1e-3,
) -> Plan:
    state = best or ExactState(comp)
    units = sorted(state.chosen)
    projects = sorted({p for u in units for p in comp.unit_projects[u]})
    objective = float(state.value)
    bound = max(bound, objective)
    gap = (bound - objective) / max(bound, 1e-9) if bound > 0 else 0.0
    if gap <= mip_gap + 1e-12:
        status = "optimal"
    elif timed_out:
        status = "time_limit"
    else:
        status = "feasible"
    notes = []
    if comp.excluded:
        notes.append(f"{len(comp.excluded)} units cannot count this year ({_reasons(comp.excluded)})")
    if not units:
        if comp.min_share and comp.m:
            notes.append("only the empty plan meets the minimum provincial shares and the budgets")
        else:
            notes.append("no unit fits the budgets: the empty plan is the only feasible one")
    plan = Plan(
        selected_units=[comp.units[u].id for u in units],
        selected_projects=[comp.projects[p].id for p in projects],
        loan_assignment={
            comp.units[u].id: bank
            for u in units
            if (bank := comp.options[u][state.chosen[u]].bank) is not None
        },
        objective=objective,
        bound=bound,
        gap=gap,
        status=status,
        seconds=time.monotonic() - t0,
        baselines=baselines,
        method=method,
        message="; ".join(notes),
    )
    problems = check_plan(instance, plan)
    if problems:  # never expected: every incumbent went through the exact repair
        raise AssertionError("plan violates: " + "; ".join(problems))
    return plan


def _reasons(excluded: dict[str, str]) -> str:
    kinds: dict[str, int] = {}
    for why in excluded.values():
        key = why.split(" (")[0] if why.startswith("needs project") else why
        key = "a project takes longer than the months left" if key.startswith("needs project") else key
        kinds[key] = kinds.get(key, 0) + 1
    return ", ".join(f"{n}: {k}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))


def check_plan(instance: Instance, plan: Plan) -> list[str]:
    """Every way the plan breaks the instance's rules, checked with exact integers (empty when it is feasible)."""
    b = instance.budgets
    units = {u.id: u for u in instance.units}
    projects = {p.id: p for p in instance.projects}
    out: list[str] = []
    chosen = set(plan.selected_projects)
    for pid in chosen:
        if pid not in projects:
            out.append(f"unknown project {pid}")
        elif instance.months_left is not None and projects[pid].duration_months > instance.months_left:
            out.append(
                f"project {pid} takes {projects[pid].duration_months} months, more than the months left"
            )
    loans = infra = 0
    bank_use: dict[str, int] = {}
    quota_use: dict[tuple[str, str], int] = {}
    infra_prov: dict[str, int] = {}
    for pid in chosen & set(projects):
        p = projects[pid]
        infra += p.cost
        if p.province is not None:
            infra_prov[p.province] = infra_prov.get(p.province, 0) + p.cost
    banks = set(b.bank_credit) or {k[0] for k in b.bank_province_quota}
    for uid in plan.selected_units:
        u = units.get(uid)
        if u is None:
            out.append(f"unknown unit {uid}")
            continue
        missing = [p for p in u.projects if p not in chosen]
        if missing:
            out.append(f"unit {uid} needs project {missing[0]}, which is not in the plan")
        loans += u.loan_amount
        if u.loan_amount > 0 and banks:
            bank = plan.loan_assignment.get(uid)
            if bank is None or bank not in banks or (u.banks and bank not in u.banks):
                out.append(f"unit {uid} has no eligible lending bank ({bank})")
                continue
            bank_use[bank] = bank_use.get(bank, 0) + u.loan_amount
            key = (bank, u.province or "")
            quota_use[key] = quota_use.get(key, 0) + u.loan_amount
    limits = [
        ("total", b.total, loans + infra),
        ("loan_total", b.loan_total, loans),
        ("infra_total", b.infra_total, infra),
    ]
    limits += [(f"infra {p}", c, infra_prov.get(p, 0)) for p, c in b.infra_by_province.items()]
    limits += [(f"bank {k}", c, bank_use.get(k, 0)) for k, c in b.bank_credit.items()]
    limits += [(f"bank {k[0]} in {k[1]}", c, quota_use.get(k, 0)) for k, c in b.bank_province_quota.items()]
    for name, cap, used in limits:
        if cap is not None and used > cap:
            out.append(f"budget {name} exceeded: {used} > {cap}")
    if b.min_share_by_province:
        total = sum(units[u].value for u in plan.selected_units if u in units)
        for prov, share in b.min_share_by_province.items():
            got = sum(units[u].value for u in plan.selected_units if u in units and units[u].province == prov)
            if got < share * total - 1e-9 * max(1.0, total):
                out.append(f"province {prov} gets {got} of {total}, below its minimum share {share}")
    return out


def new_highs(
    lp, ncol: int, *, integral: bool, time_limit: float, mip_gap: float, seed: int, threads: int
) -> highspy.Highs:
    """A silent HiGHS on `lp` with the options every model of the engine uses (one place for the tolerances)."""
    h = highspy.Highs()
    h.silent()
    h.passModel(lp)
    if integral:
        h.changeColsIntegrality(
            ncol,
            np.arange(ncol, dtype=np.int32),
            np.full(ncol, highspy.HighsVarType.kInteger.value, dtype=np.uint8),
        )
    for name, value in (
        ("time_limit", max(0.01, time_limit)),
        ("mip_rel_gap", mip_gap),
        ("random_seed", seed),
        ("threads", threads),
        ("primal_feasibility_tolerance", 1e-9),
        ("mip_feasibility_tolerance", 1e-9),
    ):
        h.setOptionValue(name, value)
    return h
