"""Deterministic generated instances for tests and benchmarks (calibrated on the published national figures)."""

from __future__ import annotations

import numpy as np

from .model import Budgets, Instance, Project, Unit

PROVINCES = [f"IR-{i:02d}" for i in range(31)]
# Rough relative sizes (Isfahan IR-10 and Tehran IR-23 largest, Ilam and the like smallest).
_SIZE = {"IR-10": 6.1, "IR-23": 5.6, "IR-07": 3.1, "IR-09": 2.8, "IR-03": 2.5, "IR-30": 2.4, "IR-00": 2.0}
_SMALL = {"IR-16", "IR-28", "IR-17"}


def dense_instance(n_units: int, n_projects: int, max_projects_per_unit: int = 10, seed: int = 0) -> Instance:
    """Units that each need 0..max shared projects (clustered, so sharing matters), one loan and one infra budget."""
    rng = np.random.default_rng(seed)
    cost = rng.integers(20, 400, size=n_projects) * 10**9
    projects = [Project(id=f"p{j}", cost=int(cost[j])) for j in range(n_projects)]
    units = []
    loans = 0
    for i in range(n_units):
        k = int(rng.integers(1, max_projects_per_unit + 1))
        centre = int(rng.integers(n_projects))
        window = max(k, n_projects // 5)
        pool = (centre + rng.choice(window, size=min(k, window), replace=False)) % n_projects
        loan = int(rng.integers(1, 7)) * 10**10 if rng.random() < 0.7 else 0
        loans += loan
        jobs = int(max(1, rng.lognormal(2.6, 0.9)))
        units.append(
            Unit(
                id=f"u{i}",
                value=float(jobs),
                loan_amount=loan,
                projects=tuple(f"p{j}" for j in sorted(set(pool.tolist()))),
                age_days=int(rng.integers(30, 2000)),
                jobs=jobs,
            )
        )
    budgets = Budgets(infra_total=int(cost.sum() * 0.15), loan_total=int(loans * 0.3))
    return Instance(units=units, projects=projects, budgets=budgets)


def national_like_instance(
    seed: int = 0,
    n_units: int = 9000,
    n_parks: int = 1000,
    n_projects: int = 3000,
    banks: int = 15,
    provinces: int = 31,
) -> Instance:
    """About the national revival candidate list: parks in provinces, 0-2 park projects per unit, one bank per loan."""
    rng = np.random.default_rng(seed)
    provs = PROVINCES[:provinces]
    size = np.array([_SIZE.get(p, 0.3 if p in _SMALL else 1.0) for p in provs])
    park_prov = rng.choice(len(provs), size=n_parks, p=size / size.sum())
    park_weight = rng.pareto(1.5, size=n_parks) + 1
    park_projects: list[list[int]] = [[] for _ in range(n_parks)]
    projects = []
    for j in range(n_projects):
        park = j % n_parks if j < n_parks else int(rng.integers(n_parks))
        park_projects[park].append(j)
        projects.append(
            Project(
                id=f"p{j}",
                cost=int(rng.lognormal(np.log(8e10), 0.8)) // 10**6 * 10**6,
                duration_months=int(rng.integers(1, 19)),
                province=provs[park_prov[park]],
            )
        )
    bank_names = [f"bank{b:02d}" for b in range(banks)]
    bank_p = rng.dirichlet(np.ones(banks) * 2)
    unit_park = rng.choice(n_parks, size=n_units, p=park_weight / park_weight.sum())
    units = []
    for i in range(n_units):
        park = int(unit_park[i])
        prov = provs[park_prov[park]]
        jobs = int(max(1, rng.lognormal(2.5, 0.9)))
        k = int(rng.choice(3, p=[0.5, 0.35, 0.15]))
        need = rng.choice(park_projects[park], size=min(k, len(park_projects[park])), replace=False)
        has_loan = rng.random() < 0.65
        loan = int(rng.lognormal(np.log(3e10), 0.5)) // 10**6 * 10**6 if has_loan else 0
        units.append(
            Unit(
                id=f"u{i}",
                value=float(jobs),
                loan_amount=loan,
                province=prov,
                banks=(bank_names[int(rng.choice(banks, p=bank_p))],) if has_loan else (),
                projects=tuple(f"p{j}" for j in sorted(need.tolist())),
                age_days=int(rng.integers(30, 2500)),
                jobs=jobs,
            )
        )
    demand: dict[str, int] = {}
    pair: dict[tuple[str, str], int] = {}
    infra: dict[str, int] = {}
    for u in units:
        if u.loan_amount:
            demand[u.banks[0]] = demand.get(u.banks[0], 0) + u.loan_amount
            key = (u.banks[0], u.province or "")
            pair[key] = pair.get(key, 0) + u.loan_amount
    for p in projects:
        infra[p.province or ""] = infra.get(p.province or "", 0) + p.cost
    budgets = Budgets(
        infra_total=int(sum(infra.values()) * 0.08),
        infra_by_province={k: int(v * 0.12) for k, v in infra.items()},
        bank_credit={k: int(v * 0.15) for k, v in demand.items()},
        bank_province_quota={k: int(v * 0.25) for k, v in pair.items()},
    )
    return Instance(units=units, projects=projects, budgets=budgets, months_left=9)


def schedule_instance(
    seed: int = 0,
    n_units: int = 400,
    n_projects: int = 150,
    months: int = 12,
    banks: int = 15,
    provinces: int = 31,
    loan_share: float = 0.3,
    infra_share: float = 0.2,
):
    """A year-plan instance: the national-like candidate list (parks, 0-2 projects per unit, one bank per loan)
    with projects of 0-8 months, and money released by month: infrastructure evenly every month, loans by
    the quarter (months 1, 4, 7, 10), `loan_share` and `infra_share` of what the candidates would need."""
    import dataclasses

    from .schedule import Periods

    rng = np.random.default_rng(seed + 7919)
    base = national_like_instance(
        seed=seed,
        n_units=n_units,
        n_parks=max(1, n_projects // 3),
        n_projects=n_projects,
        banks=banks,
        provinces=provinces,
    )
    durations = rng.choice(9, size=len(base.projects), p=[0.1, 0.15, 0.15, 0.15, 0.15, 0.1, 0.1, 0.05, 0.05])
    projects = [
        dataclasses.replace(p, duration_months=int(d)) for p, d in zip(base.projects, durations, strict=True)
    ]
    loans = sum(u.loan_amount for u in base.units)
    infra = sum(p.cost for p in projects)
    quarters = [m for m in range(1, months + 1) if (m - 1) % 3 == 0]
    loan_by = [int(loans * loan_share / len(quarters)) if m in quarters else 0 for m in range(1, months + 1)]
    infra_by = [int(infra * infra_share / months)] * months
    b = base.budgets
    budgets = dataclasses.replace(
        b,
        infra_total=None,
        infra_by_province={k: int(v * 2.5) for k, v in b.infra_by_province.items()},
        bank_credit={k: int(v * 2.5) for k, v in b.bank_credit.items()},
        bank_province_quota={k: int(v * 1.6) for k, v in b.bank_province_quota.items()},
    )
    instance = dataclasses.replace(base, projects=projects, budgets=budgets, months_left=None)
    return instance, Periods(loan=loan_by, infra=infra_by)
