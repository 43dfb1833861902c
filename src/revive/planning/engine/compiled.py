"""The instance turned into indexed budget rows, shared by the heuristics, the MILP and the checker."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Instance


class InstanceError(ValueError):
    """Bad input, with the place it was found so a person can fix it."""

    def __init__(
        self, message: str, *, file: str | None = None, row: int | None = None, column: str | None = None
    ):
        self.file = file
        self.row = row
        self.column = column
        where = []
        if file is not None:
            where.append(f"file {file}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        self.message = message
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


# One way to pay a unit's loan: the bank (None when no bank rows apply) and the rows it uses.
@dataclass(frozen=True)
class Option:
    bank: str | None
    rows: tuple[tuple[int, int], ...]


class Compiled:
    """Units that can count this year, the projects they need, and every budget row with its capacity.

    Units are indexed 0..m-1 and projects 0..n-1 (only projects some kept unit needs). Row usage
    is exact integer rials; `active_rows` are the rows that can bind (the others can never be
    exceeded, so the MILP and the local search skip them).
    """

    def __init__(self, instance: Instance):
        self.instance = instance
        b = instance.budgets
        self.row_names: list[str] = []
        self.caps: list[int] = []
        index: dict[str, int] = {}

        def row(name: str, cap: int | None) -> int | None:
            if cap is None:
                return None
            if int(cap) < 0:
                raise InstanceError(f"budget {name} is {cap}, below zero", column=name)
            index[name] = len(self.row_names)
            self.row_names.append(name)
            self.caps.append(int(cap))
            return index[name]

        total = row("total", b.total)
        loan_total = row("loan_total", b.loan_total)
        infra_total = row("infra_total", b.infra_total)
        infra_prov = {p: row(f"infra:{p}", c) for p, c in sorted(b.infra_by_province.items())}
        bank_row = {k: row(f"bank:{k}", c) for k, c in sorted(b.bank_credit.items())}
        quota_row = {k: row(f"quota:{k[0]}:{k[1]}", c) for k, c in sorted(b.bank_province_quota.items())}
        for share_prov, share in b.min_share_by_province.items():
            if not 0 <= share:
                raise InstanceError(
                    f"minimum share of {share_prov} is {share}, below zero", column="min_share"
                )
        if b.bank_credit:
            all_banks = sorted(b.bank_credit)
        else:
            all_banks = sorted({k[0] for k in b.bank_province_quota})
        has_bank_rows = bool(all_banks)

        projects = {p.id: p for p in instance.projects}
        for p in instance.projects:
            if p.cost < 0:
                raise InstanceError(f"project {p.id} has a negative cost {p.cost}", column="cost")
        self.excluded: dict[str, str] = {}
        kept = []
        seen: set[str] = set()
        for u in instance.units:
            if u.id in seen:
                raise InstanceError(f"unit {u.id} appears twice", column="unit_id")
            seen.add(u.id)
            if u.loan_amount < 0:
                raise InstanceError(
                    f"unit {u.id} has a negative loan amount {u.loan_amount}", column="loan_amount"
                )
            unknown = [p for p in u.projects if p not in projects]
            if unknown:
                raise InstanceError(f"unit {u.id} needs unknown project {unknown[0]}", column="project_id")
            late = [
                p
                for p in u.projects
                if instance.months_left is not None and projects[p].duration_months > instance.months_left
            ]
            if late:
                p = projects[late[0]]
                self.excluded[u.id] = (
                    f"needs project {p.id} ({p.duration_months} months), longer than the "
                    f"{instance.months_left} months left this year"
                )
                continue
            options = []
            if u.loan_amount > 0 and has_bank_rows:
                for bank in u.banks or all_banks:
                    if b.bank_credit and bank not in b.bank_credit:
                        continue
                    if not b.bank_credit and bank not in all_banks:
                        continue
                    rows = [bank_row.get(bank), quota_row.get((bank, u.province or ""))]
                    rows += [total, loan_total]
                    options.append(Option(bank, tuple((r, u.loan_amount) for r in rows if r is not None)))
                if not options:
                    self.excluded[u.id] = "no eligible bank has a credit line"
                    continue
            else:
                bank = u.banks[0] if u.loan_amount > 0 and u.banks else None
                rows = [total, loan_total] if u.loan_amount > 0 else []
                options.append(Option(bank, tuple((r, u.loan_amount) for r in rows if r is not None)))
            kept.append((u, options))

        def project_rows(p) -> tuple[tuple[int, int], ...]:
            rows = [total, infra_total, infra_prov.get(p.province or "")]
            return tuple((r, p.cost) for r in rows if r is not None)

        # A unit whose own blockers alone exceed a row can never be chosen.
        self.units = []
        self.options: list[list[Option]] = []
        for u, options in kept:
            proj_use = [0] * len(self.caps)
            for pid in set(u.projects):
                for r, a in project_rows(projects[pid]):
                    proj_use[r] += a
            fitting = []
            for opt in options:
                use = list(proj_use)
                for r, a in opt.rows:
                    use[r] += a
                if all(x <= c for x, c in zip(use, self.caps, strict=True)):
                    fitting.append(opt)
            if not fitting:
                self.excluded[u.id] = "its loan and projects alone exceed a budget"
                continue
            # Prefer the bank with the largest credit line first (the local search keeps one bank).
            fitting.sort(key=lambda o: -min((self.caps[r] for r, _ in o.rows), default=0))
            self.units.append(u)
            self.options.append(fitting)

        needed = sorted({p for u in self.units for p in u.projects})
        self.projects = [projects[p] for p in needed]
        pidx = {p.id: i for i, p in enumerate(self.projects)}
        self.unit_projects: list[tuple[int, ...]] = [
            tuple(sorted({pidx[p] for p in u.projects})) for u in self.units
        ]
        self.project_units: list[list[int]] = [[] for _ in self.projects]
        for i, ps in enumerate(self.unit_projects):
            for p in ps:
                self.project_units[p].append(i)
        self.project_rows = [project_rows(p) for p in self.projects]
        self.unit_index = {u.id: i for i, u in enumerate(self.units)}
        self.base_value = [float(u.value) for u in self.units]
        self.value = [
            float(u.value) * instance.priority_sectors.get(u.sector or "", 1.0)
            if u.sector
            else float(u.value)
            for u in self.units
        ]
        self.provinces = [u.province for u in self.units]
        self.min_share = sorted(b.min_share_by_province.items())

        # Rows that the whole candidate set cannot exceed never bind.
        worst = [0] * len(self.caps)
        for opts in self.options:
            most: dict[int, int] = {}
            for o in opts:
                for r, a in o.rows:
                    most[r] = max(most.get(r, 0), a)
            for r, a in most.items():
                worst[r] += a
        for rows in self.project_rows:
            for r, a in rows:
                worst[r] += a
        self.active_rows = [r for r in range(len(self.caps)) if worst[r] > self.caps[r]]

    @property
    def m(self) -> int:
        return len(self.units)

    @property
    def n(self) -> int:
        return len(self.projects)


class ExactState:
    """A selection with exact integer row usage, for the greedy rules and for repairs."""

    def __init__(self, comp: Compiled):
        self.comp = comp
        self.usage = [0] * len(comp.caps)
        self.count = [0] * comp.n  # selected units needing each project
        self.chosen: dict[int, int] = {}  # unit -> option index
        self.value = 0.0

    def unpaid_cost(self, u: int) -> int:
        return sum(self.comp.projects[p].cost for p in self.comp.unit_projects[u] if self.count[p] == 0)

    def delta(self, u: int, opt: int) -> dict[int, int]:
        d: dict[int, int] = {}
        for r, a in self.comp.options[u][opt].rows:
            d[r] = d.get(r, 0) + a
        for p in self.comp.unit_projects[u]:
            if self.count[p] == 0:
                for r, a in self.comp.project_rows[p]:
                    d[r] = d.get(r, 0) + a
        return d

    def fitting_option(self, u: int) -> int | None:
        """The option that fits and leaves the most room in its tightest bank row, or None."""
        best, best_room = None, None
        caps, usage = self.comp.caps, self.usage
        for k in range(len(self.comp.options[u])):
            d = self.delta(u, k)
            if all(usage[r] + a <= caps[r] for r, a in d.items()):
                room = min(((caps[r] - usage[r] - a) / (caps[r] or 1) for r, a in d.items()), default=1.0)
                if best_room is None or room > best_room:
                    best, best_room = k, room
        return best

    def add(self, u: int, opt: int) -> None:
        for r, a in self.delta(u, opt).items():
            self.usage[r] += a
        for p in self.comp.unit_projects[u]:
            self.count[p] += 1
        self.chosen[u] = opt
        self.value += self.comp.value[u]

    def remove(self, u: int) -> None:
        opt = self.chosen.pop(u)
        for r, a in self.comp.options[u][opt].rows:
            self.usage[r] -= a
        for p in self.comp.unit_projects[u]:
            self.count[p] -= 1
            if self.count[p] == 0:
                for r, a in self.comp.project_rows[p]:
                    self.usage[r] -= a
        self.value -= self.comp.value[u]

    def try_add(self, u: int, opt: int | None = None) -> bool:
        if opt is None:
            opt = self.fitting_option(u)
            if opt is None:
                return False
        else:
            d = self.delta(u, opt)
            if any(self.usage[r] + a > self.comp.caps[r] for r, a in d.items()):
                return False
        self.add(u, opt)
        return True

    def share_violations(self) -> list[str]:
        total = sum(self.comp.base_value[u] for u in self.chosen)
        out = []
        for prov, share in self.comp.min_share:
            got = sum(self.comp.base_value[u] for u in self.chosen if self.comp.provinces[u] == prov)
            if got < share * total - 1e-9 * max(1.0, total):
                out.append(prov)
        return out

    def repair_shares(self) -> None:
        """Drop units until every province has its minimum share (the empty plan always does)."""
        while self.chosen and self.share_violations():
            short = set(self.share_violations())
            others = [u for u in self.chosen if self.comp.provinces[u] not in short]
            pool = others or list(self.chosen)
            self.remove(min(pool, key=lambda u: (self.comp.base_value[u], u)))
