"""Plain data of the planning engine: units, shared projects, budgets, and the plan it returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Unit:
    """A candidate unit: it counts as revived only if its loan and every project it needs are paid."""

    id: str
    value: float
    loan_amount: int = 0
    province: str | None = None
    # Banks that may lend to this unit; empty means any bank with a credit line (or no bank rows at all).
    banks: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    age_days: int = 0
    jobs: int = 0
    sector: str | None = None


@dataclass(frozen=True)
class Project:
    """A shared infrastructure project; one project serves every unit that needs it."""

    id: str
    cost: int
    duration_months: int = 0
    province: str | None = None


@dataclass
class Budgets:
    """Budget rows in rials. None means no limit.

    A bank absent from a non-empty `bank_credit` has no credit line, so it cannot lend. A
    (bank, province) pair absent from `bank_province_quota` has no limit beyond the bank's line.
    """

    total: int | None = None
    loan_total: int | None = None
    infra_total: int | None = None
    infra_by_province: dict[str, int] = field(default_factory=dict)
    bank_credit: dict[str, int] = field(default_factory=dict)
    bank_province_quota: dict[tuple[str, str], int] = field(default_factory=dict)
    # Minimum share of the plan's value (plain `Unit.value`) that each province must get.
    min_share_by_province: dict[str, float] = field(default_factory=dict)


@dataclass
class Instance:
    units: list[Unit]
    projects: list[Project]
    budgets: Budgets = field(default_factory=Budgets)
    # Months left in the Iranian year; longer projects cannot count this year.
    months_left: int | None = None
    # Value multiplier for priority sectors (objective = value x multiplier).
    priority_sectors: dict[str, float] = field(default_factory=dict)


@dataclass
class Plan:
    selected_units: list[str]
    selected_projects: list[str]
    loan_assignment: dict[str, str]
    objective: float
    bound: float
    gap: float
    status: str  # 'optimal' | 'feasible' | 'infeasible' | 'time_limit'
    seconds: float
    baselines: dict[str, float] = field(default_factory=dict)
    method: str = ""
    message: str = ""
