"""Simple rules people use today (the baselines) and the tabu search that finds good plans on dense cases."""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Iterable

import numpy as np

from .compiled import Compiled, ExactState

Selection = dict[int, int]  # unit index -> option index (which bank lends)


def fill_in_order(comp: Compiled, order: Iterable[int]) -> ExactState:
    """Take units in the given order, each one that still fits every budget row."""
    state = ExactState(comp)
    for u in order:
        state.try_add(u)
    state.repair_shares()
    return state


def oldest_first(comp: Compiled) -> ExactState:
    return fill_in_order(comp, sorted(range(comp.m), key=lambda u: (-comp.units[u].age_days, u)))


def most_jobs_first(comp: Compiled) -> ExactState:
    return fill_in_order(comp, sorted(range(comp.m), key=lambda u: (-comp.units[u].jobs, -comp.value[u], u)))


def dynamic_ratio_greedy(comp: Compiled, start: ExactState | None = None) -> ExactState:
    """Repeatedly take the unit with the best value per rial still to pay (its loan and unbought projects)."""
    state = start or ExactState(comp)
    loans = [u.loan_amount for u in comp.units]
    version = [0] * comp.m

    def key(u: int) -> tuple[float, float, int]:
        cost = loans[u] + state.unpaid_cost(u)
        ratio = comp.value[u] / cost if cost > 0 else float("inf")
        return (-ratio, -comp.value[u], u)

    heap = [(*key(u), 0) for u in range(comp.m) if u not in state.chosen and comp.value[u] > 0]
    heapq.heapify(heap)
    while heap:
        *_, u, ver = heapq.heappop(heap)
        if ver != version[u] or u in state.chosen:
            continue
        newly_paid = [p for p in comp.unit_projects[u] if state.count[p] == 0]
        if not state.try_add(u):
            continue
        for p in newly_paid:
            for w in comp.project_units[p]:
                if w not in state.chosen:
                    version[w] += 1
                    heapq.heappush(heap, (*key(w), version[w]))
    state.repair_shares()
    return state


def state_from(comp: Compiled, selection: Selection) -> ExactState:
    state = ExactState(comp)
    for u, k in selection.items():
        state.add(u, k)
    return state


def repair(comp: Compiled, selection: Selection) -> ExactState:
    """Make a selection feasible with exact integers: drop the least valuable units until it fits."""
    state = state_from(comp, selection)
    caps = comp.caps
    while any(x > c for x, c in zip(state.usage, caps, strict=True)):
        over = [r for r, (x, c) in enumerate(zip(state.usage, caps, strict=True)) if x > c]

        pool = [u for u in state.chosen if _uses(comp, state, u, over)] or list(state.chosen)
        state.remove(min(pool, key=lambda u: (comp.value[u], u)))
    state.repair_shares()
    return state


def _uses(comp: Compiled, state: ExactState, u: int, rows: list[int]) -> bool:
    if any(r in rows for r, _ in comp.options[u][state.chosen[u]].rows):
        return True
    return any(r in rows for p in comp.unit_projects[u] for r, _ in comp.project_rows[p])


def complete(comp: Compiled, state: ExactState) -> ExactState:
    """Add whatever still fits, best value per rial first (keeps the minimum shares)."""
    if comp.min_share:
        return state
    return dynamic_ratio_greedy(comp, start=state)


class _Incidence:
    """Units x projects as a dense 0/1 matrix (for small blocks) and as entry lists (for fast sums)."""

    def __init__(self, unit_projects: list[tuple[int, ...]], n: int):
        m = len(unit_projects)
        self.m, self.n = m, n
        self.A = np.zeros((m, n))
        for u, ps in enumerate(unit_projects):
            self.A[u, list(ps)] = 1.0
        self.eu = np.array([u for u, ps in enumerate(unit_projects) for _ in ps], dtype=np.int64)
        self.ep = np.array([p for ps in unit_projects for p in ps], dtype=np.int64)
        # Matrix products win on dense instances, entry sums on sparse ones.
        self.dense = self.eu.size > 0.05 * m * n
        # Entries are listed unit by unit, so per-unit sums of many columns are one reduceat.
        self.units_with, self.starts = np.unique(self.eu, return_index=True)

    def per_unit(self, project_weight: np.ndarray) -> np.ndarray:
        """For each unit, the sum of the weights of its projects (weights: n or n x R)."""
        if self.dense:
            return self.A @ project_weight
        return self._per_unit(project_weight)

    def _per_unit(self, project_weight: np.ndarray) -> np.ndarray:
        if project_weight.ndim == 1:
            return np.bincount(self.eu, weights=project_weight[self.ep], minlength=self.m)
        out = np.zeros((self.m, project_weight.shape[1]))
        if self.eu.size:
            out[self.units_with] = np.add.reduceat(project_weight[self.ep], self.starts, axis=0)
        return out

    def per_project(self, unit_weight: np.ndarray) -> np.ndarray:
        if self.dense:
            return unit_weight @ self.A
        return np.bincount(self.ep, weights=unit_weight[self.eu], minlength=self.n)


class TabuSearch:
    """Solution-based tabu search over units with add, drop and swap moves (after Wei and Hao's I2PLS/KBTS).

    A move's cost is what it really changes: adding a unit pays its loan and only the projects no
    selected unit already pays for; dropping one frees only the projects no other selected unit
    needs. Visited selections are remembered through three hash tables, so the search never
    returns to one and needs no tabu tenure to tune. When it stalls it restarts from the best
    selection with a few units removed at random. Deterministic for a given seed (and iteration count).
    Each unit keeps one bank (its option); the minimum provincial shares are not handled here.
    """

    HASH_BITS = 22
    CANDIDATES = 200

    def __init__(self, comp: Compiled, options: list[int] | None = None, seed: int = 0):
        self.comp = comp
        m, n = comp.m, comp.n
        rows = comp.active_rows
        self.options = options or [0] * m
        rpos = {r: i for i, r in enumerate(rows)}
        self.R = max(1, len(rows))
        self.inc = _Incidence(comp.unit_projects, n)
        self.A = self.inc.A
        self.Uc = np.zeros((m, self.R))
        for u in range(m):
            for r, a in comp.options[u][self.options[u]].rows:
                if r in rpos:
                    self.Uc[u, rpos[r]] += a / comp.caps[r]
        self.Pc = np.zeros((n, self.R))
        for p, prow in enumerate(comp.project_rows):
            for r, a in prow:
                if r in rpos:
                    self.Pc[p, rpos[r]] += a / comp.caps[r]
        self.v = np.array(comp.value, dtype=float)
        self.rng = np.random.default_rng(seed)
        size = 1 << self.HASH_BITS
        self.mask = size - 1
        self.H = self.rng.integers(0, size, size=(3, m), dtype=np.int64)
        self.seen = np.zeros((3, size), dtype=bool)
        self.eps = 1e-12
        self.iterations = 0

    # -- state helpers -------------------------------------------------------------------------
    def _load(self, sel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cnt = self.inc.per_project(sel.astype(float))
        usage = self.Uc[sel].sum(0) + self.Pc[cnt > 0].sum(0)
        return cnt, usage

    def _mark(self, sel: np.ndarray) -> np.ndarray:
        h = self.H[:, sel].sum(1) & self.mask
        self.seen[0, h[0]] = self.seen[1, h[1]] = self.seen[2, h[2]] = True
        return h

    def _fill(self, sel: np.ndarray, deadline: float | None = None) -> np.ndarray:
        """Greedy add by value per unit of scaled cost until nothing fits (or the time is up: every
        step keeps the selection feasible, so stopping early is safe)."""
        while deadline is None or time.monotonic() < deadline:
            cnt, usage = self._load(sel)
            addc = self.Uc + self.inc.per_unit(self.Pc * (cnt == 0)[:, None])
            ok = (~sel) & (addc <= (1.0 - usage) + self.eps).all(1) & (self.v > 0)
            if not ok.any():
                return sel
            cand = np.flatnonzero(ok)
            ratio = self.v[cand] / (addc[cand].sum(1) + 1e-12)
            sel[cand[np.argmax(ratio)]] = True
        return sel

    def run(
        self,
        seeds: list[Selection],
        *,
        deadline: float,
        should_stop: Callable[[], bool] = lambda: False,
        on_improve: Callable[[Selection, float], None] = lambda s, v: None,
        max_iterations: int | None = None,
    ) -> tuple[Selection, float]:
        m = self.comp.m
        if m == 0:
            return {}, 0.0
        starts = []
        for s in seeds:
            sel = np.zeros(m, dtype=bool)
            sel[[u for u, k in s.items() if k == self.options[u]]] = True
            cnt, usage = self._load(sel)
            if (usage <= 1.0 + self.eps).all():
                starts.append(self._fill(sel, deadline))
        if not starts:
            starts.append(self._fill(np.zeros(m, dtype=bool), deadline))
        best = max(starts, key=lambda s: self.v[s].sum()).copy()
        best_val = float(self.v[best].sum())
        on_improve(self._selection(best), best_val)
        sel = best.copy()
        depth = max(200, 4 * m)
        since = 0
        while time.monotonic() < deadline and not should_stop():
            if max_iterations is not None and self.iterations >= max_iterations:
                break
            self.iterations += 1
            moved = self._step(sel)
            val = float(self.v[sel].sum())
            if val > best_val + 1e-9:
                best, best_val, since = sel.copy(), val, 0
                on_improve(self._selection(best), best_val)
            else:
                since += 1
            if not moved or since > depth:
                sel = self._perturb(best)
                since = 0
        return self._selection(best), best_val

    def _selection(self, sel: np.ndarray) -> Selection:
        return {int(u): self.options[u] for u in np.flatnonzero(sel)}

    def _perturb(self, best: np.ndarray) -> np.ndarray:
        sel = best.copy()
        on = np.flatnonzero(sel)
        if on.size:
            k = max(1, int(self.rng.integers(1, max(2, on.size // 4) + 1)))
            sel[self.rng.choice(on, size=min(k, on.size), replace=False)] = False
        return sel

    def _step(self, sel: np.ndarray) -> bool:
        """Make the best move to a selection not seen before; False when there is none."""
        A, Uc, Pc, v, H, mask, seen = self.A, self.Uc, self.Pc, self.v, self.H, self.mask, self.seen
        cnt, usage = self._load(sel)
        slack = 1.0 - usage + self.eps
        free = (cnt == 0).astype(float)
        uniq = (cnt == 1).astype(float)
        addc = Uc + self.inc.per_unit(Pc * free[:, None])
        dropc = Uc + self.inc.per_unit(Pc * uniq[:, None])
        h = H[:, sel].sum(1)
        obj = float(v[sel].sum())
        S = np.flatnonzero(sel)
        N = np.flatnonzero(~sel)

        best_key = None
        best_move: tuple[int, int] | None = None  # (out, in), -1 for none

        def consider(newobj: np.ndarray, load: np.ndarray, outs: np.ndarray, ins: np.ndarray) -> None:
            nonlocal best_key, best_move
            if newobj.size == 0:
                return
            top = newobj.max()
            pick = np.flatnonzero(newobj >= top - 1e-9)
            lo = load[pick]
            pick = pick[lo <= lo.min() + 1e-12]
            j = pick[int(self.rng.integers(pick.size))]
            key = (float(newobj[j]), -float(load[j]))
            if best_key is None or key > best_key:
                best_key, best_move = key, (int(outs[j]), int(ins[j]))

        # add
        fits = N[(addc[N] <= slack).all(1)]
        if fits.size:
            hh = (h[:, None] + H[:, fits]) & mask
            ok = ~(seen[0, hh[0]] & seen[1, hh[1]] & seen[2, hh[2]])
            fits = fits[ok]
            consider(obj + v[fits], (usage + addc[fits]).sum(1), np.full(fits.size, -1), fits)
        # swap
        if S.size and N.size and not (best_key is not None and best_key[0] > obj):
            maxdrop = dropc[S].max(0)
            K = N[(addc[N] <= slack + maxdrop).all(1)]
            if K.size > self.CANDIDATES:
                # Keep the most promising entries: best value per cost, and highest value.
                ratio = v[K] / (addc[K].sum(1) + 1e-9)
                half = self.CANDIDATES // 2
                top = np.union1d(np.argpartition(-ratio, half)[:half], np.argpartition(-v[K], half)[:half])
                K = K[top]
            if K.size:
                # Only projects paid for by a single selected unit change the swap's cost.
                J = np.flatnonzero(uniq > 0)
                AS, AK = A[np.ix_(S, J)], A[np.ix_(K, J)]
                newuse = usage[None, None, :] - dropc[S][:, None, :] + addc[K][None, :, :]
                for r in range(self.R):
                    w = Pc[J, r]
                    if w.any():
                        newuse[:, :, r] += (AS * w) @ AK.T
                feas = (newuse <= 1.0 + self.eps).all(2)
                hh = (h[:, None, None] - H[:, S][:, :, None] + H[:, K][:, None, :]) & mask
                feas &= ~(seen[0, hh[0]] & seen[1, hh[1]] & seen[2, hh[2]])
                ii, kk = np.nonzero(feas)
                if ii.size:
                    consider(obj - v[S][ii] + v[K][kk], newuse[ii, kk].sum(1), S[ii], K[kk])
        # drop
        if S.size and best_key is None:
            hh = (h[:, None] - H[:, S]) & mask
            ok = ~(seen[0, hh[0]] & seen[1, hh[1]] & seen[2, hh[2]])
            outs = S[ok]
            consider(obj - v[outs], (usage - dropc[outs]).sum(1), outs, np.full(outs.size, -1))
        if best_move is None:
            return False
        out, inn = best_move
        if out >= 0:
            sel[out] = False
        if inn >= 0:
            sel[inn] = True
        self._mark(sel)
        return True


class ProjectTabu:
    """Solution-based tabu search over the set of blockers to pay: shared projects and private loans.

    A unit's loan is treated as a project only that unit needs, so choosing the blockers to pay
    decides which units are covered. On dense instances (each unit needs dozens of projects) the
    good plans differ by a few projects left out, which unit moves can only reach through many
    losing steps. Moves: pay a blocker, drop one, or swap one for another; a move's value is the
    units it covers or uncovers. Each unit keeps one bank (its option).
    """

    HASH_BITS = 22
    SWAP_CELLS = 4_000_000

    def __init__(self, comp: Compiled, options: list[int] | None = None, seed: int = 0):
        self.comp = comp
        self.options = options or [0] * comp.m
        rows = comp.active_rows
        rpos = {r: i for i, r in enumerate(rows)}
        self.R = max(1, len(rows))
        costs: list[np.ndarray] = []
        for prow in comp.project_rows:
            c = np.zeros(self.R)
            for r, a in prow:
                if r in rpos:
                    c[rpos[r]] += a / comp.caps[r]
            costs.append(c)
        self.unit_blockers: list[tuple[int, ...]] = []
        for u, ps in enumerate(comp.unit_projects):
            c = np.zeros(self.R)
            for r, a in comp.options[u][self.options[u]].rows:
                if r in rpos:
                    c[rpos[r]] += a / comp.caps[r]
            if c.any():
                costs.append(c)
                ps = (*ps, len(costs) - 1)
            self.unit_blockers.append(ps)
        n = len(costs)
        self.Pc = np.array(costs).reshape(n, self.R)
        self.inc = _Incidence(self.unit_blockers, n)
        self.A = self.inc.A
        self.need = self.A.sum(1)
        self.v = np.array(comp.value, dtype=float)
        self.rng = np.random.default_rng(seed)
        size = 1 << self.HASH_BITS
        self.mask = size - 1
        self.H = self.rng.integers(0, size, size=(3, n), dtype=np.int64)
        self.seen = np.zeros((3, size), dtype=bool)
        self.eps = 1e-12
        self.iterations = 0

    def covered(self, built: np.ndarray) -> np.ndarray:
        return self.inc.per_unit(built.astype(float)) >= self.need - 0.5

    def value(self, built: np.ndarray) -> float:
        return float(self.v[self.covered(built)].sum())

    def selection(self, built: np.ndarray) -> Selection:
        return {int(u): self.options[u] for u in np.flatnonzero(self.covered(built))}

    def run(
        self,
        seeds: list[Selection],
        *,
        deadline: float,
        should_stop: Callable[[], bool] = lambda: False,
        on_improve: Callable[[Selection, float], None] = lambda s, v: None,
    ) -> tuple[Selection, float]:
        n = self.inc.n
        starts = []
        for s in seeds:
            built = np.zeros(n, dtype=bool)
            for u, k in s.items():
                if k == self.options[u]:
                    built[list(self.unit_blockers[u])] = True
            if (self.Pc[built].sum(0) <= 1.0 + self.eps).all():
                starts.append(built)
        if not starts:
            starts.append(np.zeros(n, dtype=bool))
        best = max(starts, key=self.value).copy()
        best_val = self.value(best)
        built = best.copy()
        depth = max(100, 2 * n)
        since = 0
        while time.monotonic() < deadline and not should_stop():
            self.iterations += 1
            moved = self._step(built)
            val = self.value(built)
            if val > best_val + 1e-9:
                best, best_val, since = built.copy(), val, 0
                on_improve(self.selection(best), best_val)
            else:
                since += 1
            if not moved or since > depth:
                built = best.copy()
                on = np.flatnonzero(built)
                if on.size:
                    k = int(self.rng.integers(1, max(2, on.size // 10) + 1))
                    built[self.rng.choice(on, size=min(k, on.size), replace=False)] = False
                since = 0
        return self.selection(best), best_val

    def _step(self, built: np.ndarray) -> bool:
        A, Pc, v, H, mask, seen = self.A, self.Pc, self.v, self.H, self.mask, self.seen
        miss = self.need - self.inc.per_unit(built.astype(float))
        usage = Pc[built].sum(0)
        slack = 1.0 - usage + self.eps
        w1 = v * (np.abs(miss - 1) < 0.5)
        w0 = v * (miss < 0.5)
        gain = self.inc.per_project(w1)  # units covered by building q (their only missing project)
        loss = self.inc.per_project(w0)  # units lost by dropping p
        h = H[:, built].sum(1)
        Y = np.flatnonzero(built)
        N = np.flatnonzero(~built)
        moves: list[tuple[float, float, int, int]] = []

        def pick(delta: np.ndarray, load: np.ndarray, outs: np.ndarray, ins: np.ndarray) -> None:
            if delta.size == 0:
                return
            top = delta.max()
            idx = np.flatnonzero(delta >= top - 1e-9)
            idx = idx[load[idx] <= load[idx].min() + 1e-12]
            j = idx[int(self.rng.integers(idx.size))]
            moves.append((float(delta[j]), -float(load[j]), int(outs[j]), int(ins[j])))

        fits = N[(Pc[N] <= slack).all(1)]
        if fits.size:
            hh = (h[:, None] + H[:, fits]) & mask
            fits = fits[~(seen[0, hh[0]] & seen[1, hh[1]] & seen[2, hh[2]])]
            pick(gain[fits], (usage + Pc[fits]).sum(1), np.full(fits.size, -1), fits)
        if Y.size:
            hh = (h[:, None] - H[:, Y]) & mask
            outs = Y[~(seen[0, hh[0]] & seen[1, hh[1]] & seen[2, hh[2]])]
            pick(-loss[outs], (usage - Pc[outs]).sum(1), outs, np.full(outs.size, -1))
        if Y.size and N.size and not (moves and moves[0][0] > 0):
            maxfree = Pc[Y].max(0)
            K = N[(Pc[N] <= slack + maxfree).all(1)]
            K = K[gain[K] > 0]
            Ys = Y
            # The swap neighbourhood is |Y| x |K| x rows; on large instances keep its most promising
            # corner (cheapest drops, richest adds) so memory and time stay bounded.
            rows = max(1, Pc.shape[1])
            if Ys.size * K.size * rows > self.SWAP_CELLS:
                side = max(1, int((self.SWAP_CELLS / rows) ** 0.5))
                K = K[np.argsort(-gain[K], kind="stable")[:side]]
                Ys = Ys[np.argsort(loss[Ys], kind="stable")[:side]]
            if K.size:
                newuse = usage[None, None, :] - Pc[Ys][:, None, :] + Pc[K][None, :, :]
                feas = (newuse <= 1.0 + self.eps).all(2)
                U1 = np.flatnonzero(w1 > 0)
                both = (A[np.ix_(U1, Ys)] * w1[U1, None]).T @ A[np.ix_(U1, K)]  # covered by q but needing p
                delta = gain[K][None, :] - loss[Ys][:, None] - both
                hh = (h[:, None, None] - H[:, Ys][:, :, None] + H[:, K][:, None, :]) & mask
                feas &= ~(seen[0, hh[0]] & seen[1, hh[1]] & seen[2, hh[2]])
                ii, kk = np.nonzero(feas)
                if ii.size:
                    pick(delta[ii, kk], newuse[ii, kk].sum(1), Ys[ii], K[kk])
        if not moves:
            return False
        _, _, out, inn = max(moves)
        if out >= 0:
            built[out] = False
        if inn >= 0:
            built[inn] = True
        hh = H[:, built].sum(1) & mask
        seen[0, hh[0]] = seen[1, hh[1]] = seen[2, hh[2]] = True
        return True


def local_search(
    comp: Compiled,
    seeds: list[Selection],
    *,
    deadline: float,
    seed: int = 0,
    options: list[int] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    on_improve: Callable[[Selection, float], None] = lambda s, v: None,
    incumbent: Callable[[], Selection | None] = lambda: None,
) -> tuple[Selection, float, int]:
    """Unit moves and blocker moves (projects and loans), taking turns from the best plan.

    The two neighbourhoods complement each other: unit moves fine-tune sparse plans, project
    moves jump between dense plans that differ by a few projects left out. Returns the best
    selection, its value and the number of moves made.
    """
    searches: list[TabuSearch | ProjectTabu] = [TabuSearch(comp, options=options, seed=seed)]
    if comp.n:
        searches.append(ProjectTabu(comp, options=options, seed=seed + 1))
    best: Selection = {}
    best_val = -1.0
    for s in seeds:
        v = sum(comp.value[u] for u in s)
        if v > best_val:
            best, best_val = s, v

    def improved(sel: Selection, val: float) -> None:
        nonlocal best, best_val
        if val > best_val + 1e-9:
            best, best_val = sel, val
            on_improve(sel, val)

    span = 0.25
    pool = list(seeds)
    while time.monotonic() < deadline and not should_stop():
        for search in searches:
            outside = incumbent()  # e.g. the MILP's latest incumbent, improved further here
            if outside is not None and sum(comp.value[u] for u in outside) > best_val + 1e-9:
                pool.append(outside)
            end = min(deadline, time.monotonic() + span)
            search.run([best, *pool], deadline=end, should_stop=should_stop, on_improve=improved)
            pool = []
        span = min(2.0, span * 1.5)
    return best, best_val, sum(s.iterations for s in searches)
