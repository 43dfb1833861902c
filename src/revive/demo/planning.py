"""Demo planning data: the parks companies' infrastructure work list and the year's budget lines.

About 3,000 projects over the parks whose infrastructure falls short (one per gap, a second phase for
some large gaps), with costs and durations of the kind the parks companies publish; bank credit lines,
bank x province quotas and infrastructure budgets for the current Iranian year, sized against the
demand of the open cases so that a plan has real choices to make. Deterministic for a seed and `today`.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date

from django.db import transaction

from revive.cases.models import MONEY_OBSTACLES, OPEN_STATES, Obstacle
from revive.core import audit, calendar
from revive.core.errors import DomainError
from revive.planning.models import BudgetLine, InfraProject
from revive.registry.models import Organisation, ParkInfrastructure, Province

BILLION = 10**9
# utility: (cost range in billion rials at 1405 prices, duration range in months, Persian and English names)
KINDS = {
    "electricity": [
        ((400, 3000), (8, 18), "احداث پست برق ۶۳/۲۰ کیلوولت", "63/20 kV substation"),
        ((60, 600), (3, 9), "افزایش ظرفیت شبکه برق", "Power network upgrade"),
    ],
    "gas": [
        ((150, 1500), (5, 14), "احداث ایستگاه CGS و شبکه گاز", "Gas station (CGS) and network"),
        ((40, 300), (2, 7), "توسعه شبکه گازرسانی", "Gas network extension"),
    ],
    "water": [
        ((80, 900), (4, 12), "حفر چاه و احداث مخزن آب", "Well and water reservoir"),
        ((30, 250), (2, 6), "توسعه شبکه توزیع آب", "Water network extension"),
    ],
    "wastewater": [
        ((300, 4000), (10, 18), "احداث تصفیه‌خانه فاضلاب صنعتی", "Industrial wastewater treatment plant"),
        ((60, 500), (4, 10), "توسعه شبکه جمع‌آوری فاضلاب", "Wastewater collection network"),
    ],
    "road": [
        ((50, 800), (3, 12), "احداث و آسفالت راه دسترسی", "Access road and paving"),
        ((20, 150), (2, 5), "روکش آسفالت معابر شهرک", "Resurfacing the park's roads"),
    ],
    "telecom": [
        ((10, 150), (2, 6), "احداث شبکه فیبر نوری", "Fibre-optic network"),
        ((10, 60), (2, 4), "توسعه مرکز مخابراتی", "Telephone exchange extension"),
    ],
}
FUNDING_WEIGHTS = {"national": 40, "provincial": 25, "parks_company": 20, "utility": 10, "units": 5}
# Share of the open cases' loan need that the banks' lines cover, and of the proposed projects' cost
# that the infrastructure budget covers: tight enough that choices matter.
LOAN_COVER = 0.35
INFRA_COVER = 0.25
PROVINCE_INFRA_COVER = 0.40  # each province's own cap; the national budget binds first in most
# The parks companies' past: DONE_SHARE of the utilities that are adequate today were built by a project
# completed since DONE_SINCE (small phase, funded, 100%). Their completion months are drawn on their own
# random stream, independently of the units' histories: the demo builds in no effect of a completed
# project on its park's units, so the attribution's estimate for infrastructure on the demo is a placebo
# (its interval should cover 0).
DONE_SHARE = 0.15
DONE_SINCE = date(2021, 3, 21)  # 1 Farvardin 1400
DONE_SEED = 29


def has_data() -> bool:
    return InfraProject.objects.exists()


def _log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


@transaction.atomic
def generate(*, seed: int, today: date | None = None) -> dict:
    """Create the demo projects and budget lines; returns the counts. Needs the demo registry."""
    today = today or calendar.tehran_today()
    if has_data():
        raise DomainError("There are infrastructure projects already; clear them first.")
    rng = random.Random(seed)
    gaps = list(
        ParkInfrastructure.objects.exclude(status=ParkInfrastructure.Status.ADEQUATE)
        .order_by("park_id", "utility")
        .values_list("id", "park_id", "province_id", "utility", "status")
    )
    if not gaps:
        raise DomainError("There is no park with an infrastructure gap: generate the demo registry first.")
    projects = []
    for infra_id, park_id, province_id, utility, status in gaps:
        big, small = KINDS[utility]
        phases = [big if status == ParkInfrastructure.Status.ABSENT else small]
        if status == ParkInfrastructure.Status.ABSENT and rng.random() < 0.7:
            phases.append(small)  # the network after the station
        elif status == ParkInfrastructure.Status.INSUFFICIENT and rng.random() < 0.35:
            phases.append(small)  # a second phase
        for phase in phases:
            state = rng.choices(["proposed", "funded", "under_construction"], weights=[58, 14, 28])[0]
            progress = (
                0 if state == "proposed" else rng.randint(0, 10) if state == "funded" else rng.randint(10, 90)
            )
            projects.append(
                _project(
                    rng, (infra_id, park_id, province_id, utility), phase, status=state, progress=progress
                )
            )
    InfraProject.objects.bulk_create(projects, batch_size=1000)
    done = _completed_projects(seed, today)
    InfraProject.objects.bulk_create(done, batch_size=1000)
    lines = _budget_lines(calendar.current_jalali_year(today), projects)
    BudgetLine.objects.bulk_create(lines, batch_size=1000)
    counts = {
        "infra_projects": len(projects),
        "infra_projects_cost_billion": sum(p.cost for p in projects) // BILLION,
        "infra_projects_done": len(done),
        "budget_lines": len(lines),
    }
    audit.record(
        actor="demo-data command",
        obj=None,
        action="demo_planning",
        object_type="planning.demo",
        object_id=str(seed),
        after=counts,
    )
    return counts


def _project(rng: random.Random, infra: tuple, phase: tuple, *, status: str, progress: int) -> InfraProject:
    """One project on `infra` (id, park, province, utility) of the KINDS `phase`: its cost, then its
    duration, then (unless proposed) its funding source drawn from `rng`, in that order."""
    infra_id, park_id, province_id, utility = infra
    (lo, hi), (dlo, dhi), fa, en = phase
    cost = int(_log_uniform(rng, lo, hi) * 10) * BILLION // 10
    duration = rng.randint(dlo, dhi)
    funding = (
        ""
        if status == "proposed"
        else rng.choices(list(FUNDING_WEIGHTS), weights=list(FUNDING_WEIGHTS.values()))[0]
    )
    return InfraProject(
        park_id=park_id,
        province_id=province_id,
        infrastructure_id=infra_id,
        utility=utility,
        name_fa=fa,
        name_en=en,
        cost=cost,
        duration_months=duration,
        progress=progress,
        funding_source=funding,
        status=status,
    )


def _completed_projects(seed: int, today: date) -> list[InfraProject]:
    """DONE_SHARE of today's adequate utilities, each built by a project completed on a day drawn
    between DONE_SINCE and a month before `today` (see DONE_SHARE)."""
    rng = random.Random(seed * 1000 + DONE_SEED)
    last = today.toordinal() - 30
    done = []
    adequate = (
        ParkInfrastructure.objects.filter(status=ParkInfrastructure.Status.ADEQUATE)
        .order_by("park_id", "utility")
        .values_list("id", "park_id", "province_id", "utility")
    )
    for infra_id, park_id, province_id, utility in adequate:
        if rng.random() >= DONE_SHARE or last <= DONE_SINCE.toordinal():
            continue
        _big, small = KINDS[utility]
        project = _project(rng, (infra_id, park_id, province_id, utility), small, status="done", progress=100)
        project.completed_on = date.fromordinal(rng.randint(DONE_SINCE.toordinal(), last))
        done.append(project)
    return done


def _budget_lines(year: int, projects: list[InfraProject]) -> list[BudgetLine]:
    """Bank lines and quotas from the open cases' loan need by bank and province; infrastructure budgets
    from the proposed projects' cost by province. Without cases, a flat 2,000 billion rials per bank."""
    banks = dict(Organisation.objects.filter(kind=Organisation.Kind.BANK).values_list("code", "id"))
    provinces = dict(Province.objects.values_list("id", "code"))
    need: dict[tuple[int, int], int] = defaultdict(int)
    rows = Obstacle.objects.filter(
        status=Obstacle.Status.OPEN,
        case__state__in=OPEN_STATES,
        kind__in=list(MONEY_OBSTACLES),
        organisation__kind=Organisation.Kind.BANK,
    ).values_list("organisation_id", "province_id", "amount")
    for bank_id, province_id, amount in rows.iterator(chunk_size=5000):
        need[(bank_id, province_id)] += amount or 0
    lines = []
    by_bank: dict[int, int] = defaultdict(int)
    for (bank_id, province_id), amount in need.items():
        quota = int(amount * LOAN_COVER * 1.3) // BILLION * BILLION  # quotas add up to more than the line
        by_bank[bank_id] += amount
        lines.append(
            BudgetLine(
                year=year,
                kind=BudgetLine.Kind.BANK_QUOTA,
                bank_id=bank_id,
                province_id=province_id,
                amount=quota,
            )
        )
    for bank_id in banks.values():
        amount = int(by_bank[bank_id] * LOAN_COVER) // BILLION * BILLION if by_bank else 2000 * BILLION
        lines.append(BudgetLine(year=year, kind=BudgetLine.Kind.BANK_CREDIT, bank_id=bank_id, amount=amount))
    proposed: dict[int, int] = defaultdict(int)
    for p in projects:
        if p.status == InfraProject.Status.PROPOSED:
            proposed[p.province_id] += p.cost
    total = sum(proposed.values())
    lines.append(
        BudgetLine(
            year=year,
            kind=BudgetLine.Kind.INFRA,
            amount=int(total * INFRA_COVER) // BILLION * BILLION,
        )
    )
    for province_id in provinces:
        amount = int(proposed.get(province_id, 0) * PROVINCE_INFRA_COVER)
        lines.append(
            BudgetLine(
                year=year,
                kind=BudgetLine.Kind.INFRA,
                province_id=province_id,
                amount=amount // BILLION * BILLION,
            )
        )
    return lines
