"""Build the planning engine's Instance from the database: open cases, their loans and park projects, budgets.

Rules, in one place:
- Candidates are the units with an open case (identified, diagnosed, in progress) in the caller's scope.
- A unit's loan need is the sum of the amounts of its open money obstacles (working capital, bank debt,
  raw materials, machinery, tax and social-security debt). Its eligible banks are the banks named on
  those obstacles; when none is named, the three banks with the most credit left in its province
  (their bank x province quotas, else their national lines) may lend: the province's usual lenders,
  and a model of one unit x three banks rather than x every bank (which weakens the bound).
- A unit needs every unfinished project of its park for the utility of each open infrastructure
  obstacle it has. A unit with such an obstacle and no project on the work list cannot be revived by
  this plan, nor can one needing a project that cannot finish before the end of the Iranian year.
  A unit with neither a loan need nor a project (not yet diagnosed, or only non-money obstacles) is
  not a budget decision and is left out.
- Proposed projects cost their full cost; funded and started projects already have their money and
  count only for their remaining time (duration x the share not yet built, rounded up).
- Value: 1 per unit, the unit's employees, or its production (billion rials) in the last Iranian year
  in which it filed any.
- Budgets: bank credit lines (nationwide) and bank x province quotas at what remains of them, from the
  finance app's credit lines when it has any for the year (else the planning budget lines); the
  infrastructure budget (national and per province) from the planning budget lines of the year.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from revive.cases.models import INFRASTRUCTURE_OBSTACLES, MONEY_OBSTACLES, OPEN_STATES, Case, Obstacle
from revive.core import calendar
from revive.core.errors import DomainError, lazy_message
from revive.core.scoping import NATION, Scope, ScopeKind
from revive.filings.models import MonthlyFiling
from revive.planning.engine.model import Budgets, Instance, Project, Unit
from revive.planning.models import BudgetLine, InfraProject
from revive.registry.models import Organisation, Province

OBJECTIVES = ("units", "jobs", "production")
OVERRIDE_KEYS = {"loan_multiplier", "infra_multiplier", "loan_total", "infra_total", "delays", "drop_quotas"}
MAX_MULTIPLIER = 100


def project_key(pk: int) -> str:
    return f"P{pk}"


def months_left(year: int, today: date) -> int:
    """Whole months from today to the last day of Esfand of `year` (12 for a year not yet started)."""
    current = calendar.current_jalali_year(today)
    if year < current:
        raise DomainError(
            lazy_message(
                _("The year %(year)s is over: plan for %(current)s or later."), year=year, current=current
            ),
            field="year",
        )
    if year > current + 1:
        raise DomainError(
            lazy_message(_("Plans are made for this year or the next (%(next)s)."), next=current + 1),
            field="year",
        )
    if year > current:
        return 12
    days = (calendar.jalali_year(year).end - today).days + 1
    return int(days * 12 // 365)


def _multiplier(value: Any, field: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(lazy_message(_("“%(value)s” is not a number."), value=value), field=field) from None
    if not d.is_finite() or d < 0:
        raise DomainError(_("A multiplier must be zero or more."), field=field)
    if d > MAX_MULTIPLIER:
        raise DomainError(
            lazy_message(_("A multiplier above %(max)s is not a plan."), max=MAX_MULTIPLIER), field=field
        )
    return d


def _amount(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("Amounts are whole rials, without letters or a decimal point."), field=field)
    if value < 0:
        raise DomainError(_("A budget cannot be below zero."), field=field)
    return value


def clean_overrides(overrides: dict | None) -> dict:
    """Check a scenario's changes; returns them in a JSON-able normal form or raises DomainError."""
    overrides = dict(overrides or {})
    unknown = set(overrides) - OVERRIDE_KEYS
    if unknown:
        raise DomainError(
            lazy_message(_("Unknown change: %(names)s."), names=", ".join(sorted(unknown))), field="changes"
        )
    out: dict[str, Any] = {}
    for key in ("loan_multiplier", "infra_multiplier"):
        if overrides.get(key) not in (None, ""):
            out[key] = str(_multiplier(overrides[key], key))
    for key in ("loan_total", "infra_total"):
        value = _amount(overrides.get(key), key)
        if value is not None:
            out[key] = value
    delays: dict[str, int] = {}
    for pid, months in (overrides.get("delays") or {}).items():
        if isinstance(months, bool) or not isinstance(months, int) or not 0 <= months <= 60:
            raise DomainError(_("A delay is a whole number of months between 0 and 60."), field="delays")
        delays[str(pid)] = months
    if delays:
        known = set(
            InfraProject.objects.filter(pk__in=[int(p) for p in delays if str(p).isdecimal()]).values_list(
                "pk", flat=True
            )
        )
        missing = [p for p in delays if not p.isdecimal() or int(p) not in known]
        if missing:
            raise DomainError(
                lazy_message(_("Unknown infrastructure project: %(id)s."), id=missing[0]), field="delays"
            )
        out["delays"] = delays
    drops = []
    banks = set(Organisation.objects.filter(kind=Organisation.Kind.BANK).values_list("code", flat=True))
    provinces = set(Province.objects.values_list("code", flat=True))
    for pair in overrides.get("drop_quotas") or []:
        bank, province = (list(pair) + ["", ""])[:2]
        if bank not in banks:
            raise DomainError(lazy_message(_("Unknown bank: “%(bank)s”."), bank=bank), field="drop_quotas")
        if province and province not in provinces:
            raise DomainError(
                lazy_message(_("Unknown province: “%(code)s”."), code=province), field="drop_quotas"
            )
        drops.append([bank, province or ""])
    if drops:
        out["drop_quotas"] = drops
    return out


def _scaled(amount: int, multiplier: Decimal | None) -> int:
    return amount if multiplier is None else int(Decimal(amount) * multiplier)


def finance_bank_rows(year: int) -> list[tuple] | None:
    """The banks' credit lines and provincial quotas from the finance app, at what remains of them this
    year (introductions not rejected or withdrawn are used); None when finance has no line for the year."""
    from revive.finance import selectors as finance_selectors
    from revive.finance.models import CreditLine

    if not CreditLine.objects.filter(jyear=year).exists():
        return None
    return [
        (
            BudgetLine.Kind.BANK_QUOTA if r["province"] else BudgetLine.Kind.BANK_CREDIT,
            r["bank"].code,
            r["province"].code if r["province"] else None,
            max(r["remaining"], 0),
        )
        for r in finance_selectors.credit_lines(scope=NATION, year=year)
    ]


def budgets_for(*, year: int, province: Province | None, overrides: dict) -> Budgets:
    """The year's budget rows, narrowed to one province when planning one, with a scenario's changes."""
    loan_m = Decimal(overrides["loan_multiplier"]) if "loan_multiplier" in overrides else None
    infra_m = Decimal(overrides["infra_multiplier"]) if "infra_multiplier" in overrides else None
    b = Budgets()
    rows = BudgetLine.objects.filter(year=year).values_list("kind", "bank__code", "province__code", "amount")
    finance = finance_bank_rows(year)
    if finance is not None:  # the finance app's credit lines replace the planning-side bank rows
        rows = [r for r in rows if r[0] == BudgetLine.Kind.INFRA] + finance
    infra_total = 0
    has_infra_total = False
    for kind, bank, prov, amount in rows:
        if province is not None and prov not in (None, province.code):
            continue
        if kind == BudgetLine.Kind.BANK_CREDIT and bank:
            b.bank_credit[bank] = b.bank_credit.get(bank, 0) + _scaled(amount, loan_m)
        elif kind == BudgetLine.Kind.BANK_QUOTA and bank and prov:
            b.bank_province_quota[(bank, prov)] = _scaled(amount, loan_m)
        elif kind == BudgetLine.Kind.INFRA and prov:
            b.infra_by_province[prov] = _scaled(amount, infra_m)
        elif kind == BudgetLine.Kind.INFRA:
            infra_total += _scaled(amount, infra_m)
            has_infra_total = True
    if has_infra_total:
        b.infra_total = infra_total
    for bank, prov in overrides.get("drop_quotas", []):
        if prov:
            b.bank_province_quota[(bank, prov)] = 0
        else:
            b.bank_credit[bank] = 0
    if "loan_total" in overrides:
        b.loan_total = overrides["loan_total"]
    if "infra_total" in overrides:
        b.infra_total = overrides["infra_total"]
    return b


def build_instance(
    *,
    scope: Scope,
    province: Province | None = None,
    year: int,
    today: date | None = None,
    objective: str = "jobs",
    overrides: dict | None = None,
) -> tuple[Instance, dict]:
    """The engine's instance for the scope (nation or one province), and what pages need to explain it."""
    today = today or calendar.tehran_today()
    if objective not in OBJECTIVES:
        raise DomainError(
            lazy_message(
                _("Unknown objective “%(value)s”: choose units, jobs or production."), value=objective
            ),
            field="objective",
        )
    if scope.kind == ScopeKind.PROVINCE:
        if province is not None and province.pk != scope.province_id:
            scope.require_province(province.pk)  # 404
        province = Province.objects.get(pk=scope.province_id)
    elif scope.kind != ScopeKind.NATION:
        raise DomainError(_("Only national and provincial planners make plans."), field="province")
    overrides = clean_overrides(overrides)
    left = months_left(year, today)

    cases = Case.objects.visible_to(scope).filter(state__in=OPEN_STATES)
    if province is not None:
        cases = cases.filter(province=province)
    case_rows = list(
        cases.values_list(
            "id",
            "opened_on",
            "unit__business_id",
            "unit_id",
            "unit__employees",
            "unit__sector__group",
            "province__code",
            "park_id",
        )
    )
    loans: dict[int, int] = defaultdict(int)
    banks: dict[int, set[str]] = defaultdict(set)
    utilities: dict[int, set[str]] = defaultdict(set)
    obstacles = Obstacle.objects.filter(status=Obstacle.Status.OPEN, case__in=cases).values_list(
        "case_id", "kind", "amount", "organisation__code", "organisation__kind"
    )
    for case_id, kind, amount, org, org_kind in obstacles.iterator(chunk_size=5000):
        if kind in MONEY_OBSTACLES:
            loans[case_id] += amount or 0
            if org and org_kind == Organisation.Kind.BANK:
                banks[case_id].add(org)
        elif kind in INFRASTRUCTURE_OBSTACLES:
            utilities[case_id].add(INFRASTRUCTURE_OBSTACLES[kind])

    delays = {int(k): v for k, v in overrides.get("delays", {}).items()}
    projects_qs = InfraProject.objects.exclude(status=InfraProject.Status.DONE)
    if province is not None:
        projects_qs = projects_qs.filter(province=province)
    by_park_utility: dict[tuple[int, str], list[InfraProject]] = defaultdict(list)
    for p in projects_qs.only(
        "id", "park_id", "utility", "cost", "duration_months", "progress", "status", "province_id"
    ):
        by_park_utility[(p.park_id, p.utility)].append(p)
    province_codes = dict(Province.objects.values_list("id", "code"))

    value_of = _values(objective, case_rows, year)
    units: list[Unit] = []
    used_projects: dict[str, Project] = {}
    excluded = {"no_project": 0, "too_long": 0, "nothing_to_fund": 0}
    for case_id, opened_on, bid, unit_id, employees, sector, prov, park_id in case_rows:
        needs: list[InfraProject] = []
        missing = False
        for utility in sorted(utilities.get(case_id, ())):
            found = by_park_utility.get((park_id, utility))
            if not found:
                missing = True
                break
            needs.extend(found)
        if missing:
            excluded["no_project"] += 1
            continue
        keys = []
        too_long = False
        for p in needs:
            months = p.months_remaining + delays.get(p.pk, 0)
            if months > left:
                too_long = True
                break
            key = project_key(p.pk)
            keys.append(key)
            used_projects.setdefault(
                key,
                Project(
                    id=key,
                    cost=p.cost_to_fund,
                    duration_months=months,
                    province=province_codes.get(p.province_id),
                ),
            )
        if too_long:
            excluded["too_long"] += 1
            continue
        if not keys and not loans.get(case_id):
            excluded["nothing_to_fund"] += 1  # no money need diagnosed: not a budget decision
            continue
        units.append(
            Unit(
                id=bid,
                value=value_of(unit_id, employees),
                loan_amount=loans.get(case_id, 0),
                province=prov,
                banks=tuple(sorted(banks.get(case_id, ()))),
                projects=tuple(keys),
                age_days=(today - opened_on).days,
                jobs=employees,
                sector=sector,
            )
        )
    budgets = budgets_for(year=year, province=province, overrides=overrides)
    units = _name_lenders(units, budgets)
    instance = Instance(
        units=units,
        projects=sorted(used_projects.values(), key=lambda p: p.id),
        budgets=budgets,
        months_left=left,
    )
    context = {
        "scope": province.code if province is not None else "nation",
        "year": year,
        "objective": objective,
        "months_left": left,
        "candidates": len(case_rows),
        "excluded": excluded,
        "overrides": overrides,
        "budget_source": "finance" if finance_bank_rows(year) is not None else "planning",
        "case_of": {r[2]: r[0] for r in case_rows},
    }
    return instance, context


LENDERS_PER_UNIT = 3


def _name_lenders(units: list[Unit], budgets) -> list[Unit]:
    """Units with a loan need and no bank named get their province's three best-funded banks."""
    by_province: dict[str | None, list[str]] = {}

    def lenders(prov: str | None) -> list[str]:
        if prov not in by_province:
            quotas = {b: a for (b, p), a in budgets.bank_province_quota.items() if p == prov and a > 0}
            pool = quotas or {b: a for b, a in budgets.bank_credit.items() if a > 0}
            by_province[prov] = sorted(pool, key=lambda b: (-pool[b], b))[:LENDERS_PER_UNIT]
        return by_province[prov]

    return [
        dataclasses.replace(u, banks=tuple(sorted(lenders(u.province))))
        if u.loan_amount > 0 and not u.banks and lenders(u.province)
        else u
        for u in units
    ]


def _values(objective: str, case_rows: list, year: int):
    if objective == "units":
        return lambda unit_id, employees: 1.0
    if objective == "jobs":
        return lambda unit_id, employees: float(employees)
    # Production in billion rials in the last Iranian year (before `year`) with any filed production.
    unit_ids = [r[3] for r in case_rows]
    best: dict[int, tuple[int, int]] = {}
    rows = (
        MonthlyFiling.objects.filter(unit_id__in=unit_ids, jyear__lt=year, production_value__gt=0)
        .values("unit_id", "jyear")
        .annotate(total=Sum("production_value"))
    )
    for r in rows.iterator(chunk_size=5000):
        if r["unit_id"] not in best or r["jyear"] > best[r["unit_id"]][0]:
            best[r["unit_id"]] = (r["jyear"], r["total"])
    return lambda unit_id, employees: round(best.get(unit_id, (0, 0))[1] / 1e9, 3)


def scaled_budgets(budgets: Budgets, factor: float) -> Budgets:
    """Every budget row multiplied by `factor` (for the budget sweep); None stays unlimited."""

    def s(x: int | None) -> int | None:
        return None if x is None else int(x * factor)

    return dataclasses.replace(
        budgets,
        total=s(budgets.total),
        loan_total=s(budgets.loan_total),
        infra_total=s(budgets.infra_total),
        infra_by_province={k: int(v * factor) for k, v in budgets.infra_by_province.items()},
        bank_credit={k: int(v * factor) for k, v in budgets.bank_credit.items()},
        bank_province_quota={k: int(v * factor) for k, v in budgets.bank_province_quota.items()},
    )


def loan_money(budgets: Budgets, province: str | None = None) -> int | None:
    """What the loan rows let a plan lend: the banks' lines (or quotas); for one province's plan, a bank with
    a quota there lends at most the smaller of its line and that quota. None when nothing limits loans."""
    quotas: dict[str, int] = {}
    for (bank, prov), amount in budgets.bank_province_quota.items():
        if province is None or prov == province:
            quotas[bank] = quotas.get(bank, 0) + amount
    loans = None
    if budgets.bank_credit:
        loans = sum(
            min(line, quotas[bank]) if province is not None and bank in quotas else line
            for bank, line in budgets.bank_credit.items()
        )
    elif quotas:
        loans = sum(quotas.values())
    if budgets.loan_total is not None:
        loans = budgets.loan_total if loans is None else min(loans, budgets.loan_total)
    return loans


def infra_money(budgets: Budgets, province: str | None = None) -> int | None:
    """What the infrastructure rows let a plan spend (the province's own row for a province's plan)."""
    if province is not None and province in budgets.infra_by_province:
        part = budgets.infra_by_province[province]
    elif budgets.infra_total is None and budgets.infra_by_province:
        part = sum(budgets.infra_by_province.values())
    else:
        part = None
    values = [v for v in (part, budgets.infra_total) if v is not None]
    return min(values) if values else None


def money_available(
    budgets: Budgets, province: str | None = None, instance: Instance | None = None
) -> int | None:
    """The money a plan could spend: loans (bank lines, or quotas, or the loan cap) plus infrastructure.

    For one province's plan (`province` and its `instance`), the banks' national lines and the national
    infrastructure budget count only up to what the province's candidates need: the rest is other
    provinces' money.
    """
    loans = loan_money(budgets, province)
    infra = infra_money(budgets, province)
    if province is not None and instance is not None:
        need_loans = sum(u.loan_amount for u in instance.units)
        need_infra = sum(p.cost for p in instance.projects)
        loans = need_loans if loans is None else min(loans, need_loans)
        infra = need_infra if infra is None else min(infra, need_infra)
    if loans is None or infra is None:
        return budgets.total
    return loans + infra if budgets.total is None else min(budgets.total, loans + infra)
