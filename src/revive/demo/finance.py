"""Demo bank facilities on the national demo registry: requests since 1398 that follow the published funnel.

Registered -> introduced 33-60% and introduced -> paid 39-61% a year (1399: 9,585 registered, 5,759
introduced, 2,257 paid in 8 months, scaled to the registry's size), working-capital loans of 10-60
billion rials at 1398-1400 prices rising about 40% a year, disbursements, repayment schedules and
some arrears, credit lines the introductions respect, and the monthly lending series with the
industry share near 30% rising towards 31-33%. Working-capital obstacles of the demo cases get their
loan when there are cases. Deterministic for a seed and `today`; bulk inserts in one transaction.
"""

import math
import random
from collections import defaultdict
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from operator import attrgetter

from django.db import transaction

from revive.core import audit, calendar
from revive.core.errors import DomainError
from revive.demo.cases import BANK_WEIGHTS  # which bank a unit deals with: the same for its loans
from revive.demo.writing import Writer, indexes_dropped
from revive.finance.models import (
    TERMS,
    CreditLine,
    Disbursement,
    Installment,
    LendingFigure,
    LoanEvent,
    LoanKind,
    LoanRequest,
    LoanState,
    Repayment,
)
from revive.registry.models import Organisation, ProductionUnit, UnitStatus

S = LoanState
FIRST_YEAR = 1398
FULL_SCALE_UNITS = 50_000
BN = 10**9
HEMAT = 10**13
# Requests registered per year at full scale (1399 is 9,585 in 8 months, so about 14,400 a year).
REGISTERED = {1398: 9_000, 1399: 14_400, 1400: 13_500, 1401: 11_500, 1402: 12_500, 1403: 12_000}
REGISTERED_LATER = 12_500
INTRODUCED_RATE = {1398: 0.45, 1399: 0.59, 1400: 0.52, 1401: 0.40, 1402: 0.47, 1403: 0.50, 1404: 0.55}
PAID_RATE = {1398: 0.45, 1399: 0.41, 1400: 0.48, 1401: 0.52, 1402: 0.54, 1403: 0.56, 1404: 0.53}
PRICE_RISE = 1.40
# How a bank differs from the others: more or fewer of its introductions paid, and days to decide.
BANK_PAYS = {"sanat-madan": 1.15, "tosee-taavon": 1.1, "melli": 1.05, "maskan": 0.7, "pasargad": 0.85}
PAYS_MEAN = sum(w * BANK_PAYS.get(c, 1.0) for c, w in BANK_WEIGHTS.items()) / sum(BANK_WEIGHTS.values())
BANK_DAYS = {"sanat-madan": 25, "melli": 35, "sepah": 40, "mellat": 45, "post-bank": 60, "maskan": 75}
# The industry-and-mining share of each bank's lending, relative to the banking system's.
BANK_INDUSTRY = {
    "sanat-madan": 0.35, "tosee-saderat": 0.25, "tosee-taavon": 0.05, "maskan": -0.22, "keshavarzi": -0.15,
    "refah": -0.05, "post-bank": -0.08, "pasargad": 0.08, "eghtesad-novin": 0.03,
}  # fmt: skip
REJECT_REASONS = ["وثیقه کافی نیست", "سابقه بدهی معوق", "نسبت‌های مالی ضعیف", "اتمام سهمیه شعبه"]
WITHDRAW_REASONS = ["مدارک ناقص", "انصراف متقاضی", "عدم احراز شرایط در بررسی کارشناسی"]
ACTOR = "demo-data command"
# Bank debt is among the causes of about half of the units that stop (DOMAIN.md), and such a unit stops
# paying before it stops producing: for a loan being repaid when its unit goes idle, with probability
# ARREARS_BEFORE_STOP the instalments due from ARREARS_LEAD_MONTHS before that month on are not paid
# (an assumption: a quarter, the time banks give before they call a loan overdue). Drawn from their own
# generator; the other arrears (22% of loans, at a random instalment) are units that go on producing.
ARREARS_BEFORE_STOP = 0.5
ARREARS_LEAD_MONTHS = 3
ARREARS_SEED = 18


def finance_has_data() -> bool:
    return LoanRequest.objects.exists() or LendingFigure.objects.exists() or CreditLine.objects.exists()


class _Draw:
    """Yes with probability `rate`, but spread evenly (an accumulator with a random phase), so a year's
    rates come out as published even for a small demo instead of wandering with sampling noise."""

    def __init__(self, rng: random.Random) -> None:
        self.acc: dict = defaultdict(rng.random)

    def __call__(self, key, rate: float) -> bool:
        self.acc[key] += rate
        if self.acc[key] >= 1:
            self.acc[key] -= 1
            return True
        return False


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _price(year: int) -> float:
    return PRICE_RISE ** max(year - 1400, 0)


@cache
def _jalali(d: date) -> tuple[int, int, int]:
    """The Iranian date of a day: a few thousand distinct days, hundreds of thousands of calls."""
    return calendar.to_jalali(d)


def _jyear(d: date) -> int:
    return _jalali(d)[0]


def _round(rials: float, step: int = 100_000_000) -> int:
    return max(step, int(round(rials / step)) * step)


@cache
def _add_months(d: date, n: int) -> date:
    """The same day n Iranian months later (or the month's last day): a few hundred thousand calls on
    some tens of thousands of distinct (day, n)."""
    y, m, day = _jalali(d)
    year, month = calendar.add_months((y, m), n)
    return calendar.from_jalali(year, month, min(day, calendar.month_length(year, month)))


@transaction.atomic
def generate(*, seed: int, today: date | None = None) -> dict:
    """Create the demo loans, credit lines and lending series; returns the counts (and the funnel per year)."""
    today = today or calendar.tehran_today()
    if finance_has_data():
        raise DomainError(
            "There are loan requests, credit lines or lending figures already; clear them first."
        )
    units = list(
        ProductionUnit.objects.exclude(current_band="closed").values_list(
            "id", "province_id", "park_id", "sector__group", "size_class", "current_band"
        )
    )
    if not units:
        raise DomainError("There is no registry data yet: generate the demo registry first.")
    rng = random.Random(seed)
    banks = {o.code: o for o in Organisation.objects.filter(kind=Organisation.Kind.BANK)}
    bank_codes = [c for c in BANK_WEIGHTS if c in banks] or list(banks)
    bank_weights = list(accumulate(BANK_WEIGHTS.get(c, 1) for c in bank_codes))  # cumulative: summed once
    scale = len(units) / FULL_SCALE_UNITS
    weights = [3.0 if u[5] in ("idle", "below_50") else 1.0 for u in units]
    by_unit = {u[0]: u for u in units}
    current = calendar.current_jalali_year(today)

    plans = _linked_plans(rng, today, by_unit)
    linked_per_year: dict[int, int] = defaultdict(int)
    for p in plans:
        linked_per_year[_jyear(p["registered_on"])] += 1
    for year in range(FIRST_YEAR, current + 1):
        period = calendar.jalali_year(year)
        end = min(period.end, today)
        fraction = ((end - period.start).days + 1) / period.days
        n = round((REGISTERED.get(year, REGISTERED_LATER)) * scale * fraction) - linked_per_year[year]
        for unit in rng.choices(units, weights=weights, k=max(n, 0)):
            plans.append(
                {"unit": unit, "registered_on": _day(rng, period.start, end), "case": None, "obstacle": None}
            )
    plans.sort(key=lambda p: (p["registered_on"], p["unit"][0]))

    loans, events, money_rows = [], [], []
    rng.shuffle(plans)  # the draws go round the year, not in date order
    draw = _Draw(rng)
    stops = defaultdict(list)  # the dates each unit went idle on, in order
    idle_entries = UnitStatus.objects.filter(band="idle").order_by("effective_date")
    for unit_id, on in idle_entries.values_list("unit_id", "effective_date"):
        stops[unit_id].append(on)
    for plan in plans:
        loan, loan_events, extra = _simulate(rng, draw, plan, today, banks, bank_codes, bank_weights, stops)
        loans.append(loan)
        events.append(loan_events)
        money_rows.append(extra)
    order = sorted(range(len(loans)), key=lambda i: (loans[i].registered_on, loans[i].unit_id))
    loans, events, money_rows = ([seq[i] for i in order] for seq in (loans, events, money_rows))
    event_rows, disbursements, installments, repayments = _write(loans, events, money_rows)
    lines = _credit_lines(rng, loans, current)
    figures = _lending_series(rng, banks, today)
    case_events = _case_events(loans)
    counts = {
        "loan_requests": len(loans),
        "linked_to_cases": sum(1 for loan in loans if loan.case_id),
        "loan_events": event_rows,
        "disbursements": disbursements,
        "installments": installments,
        "repayments": repayments,
        "credit_lines": lines,
        "lending_figures": figures,
        "case_events": case_events,
        "funnel": _funnel_by_year(loans),
    }
    audit.record(
        actor=ACTOR,
        obj=None,
        action="demo_finance",
        object_type="finance.demo",
        object_id=str(seed),
        after={"seed": seed, "today": today.isoformat(), **counts},
    )
    return counts


class _Loan:
    """A loan request as the simulation builds it (a model instance each would cost more than the rest)."""

    __slots__ = (
        "pk", "unit_id", "province_id", "park_id", "sector_group", "case_id", "obstacle_id", "kind", "state",
        "amount_requested", "project_progress", "registered_on", "reviewed_on", "approved_on", "bank_id",
        "letter_number", "introduced_on", "amount", "term_months", "decided_on", "amount_paid", "reason",
        "first_disbursed_on", "closed_on", "version",
    )  # fmt: skip
    COLUMNS = __slots__[1:]

    def __init__(self, **given) -> None:
        for name in self.__slots__:
            setattr(self, name, None)
        self.state, self.letter_number, self.reason, self.version = S.REGISTERED, "", "", 1
        for name, value in given.items():
            setattr(self, name, value)


def _write(loans: list[_Loan], events: list[list[tuple]], money: list[dict]) -> tuple[int, int, int, int]:
    """The loans with ids in their order, then their events, disbursements, instalments and repayments;
    returns how many of each of the last four."""
    writer = Writer()
    day = writer.day
    first = writer.first_id(LoanRequest)
    dates = {"registered_on", "reviewed_on", "approved_on", "introduced_on", "decided_on",
             "first_disbursed_on", "closed_on"}  # fmt: skip
    texts = {"kind", "state", "sector_group"}
    columns = attrgetter("pk", *_Loan.COLUMNS)
    # only the dates and the texts are converted (the row's place of each: 0 is the id)
    converted = [
        (i, day if name in dates else str) for i, name in enumerate(_Loan.COLUMNS, 1) if name in dates | texts
    ]
    loan_rows = []
    for i, loan in enumerate(loans):
        loan.pk = first + i
        row = list(columns(loan))
        for j, convert in converted:
            row[j] = convert(row[j])
        loan_rows.append(tuple(row))
    with indexes_dropped(LoanRequest):
        writer.insert(LoanRequest, ["id", *_Loan.COLUMNS], loan_rows)
    del loan_rows
    event_rows, disbursements, installments, repayments = [], [], [], []
    for loan, loan_events, extra in zip(loans, events, money, strict=True):
        pk = loan.pk
        for on, kind, from_state, to_state, text, amount in loan_events:
            event_rows.append((pk, day(on), ACTOR, kind, str(from_state), str(to_state), text, amount))
        disbursements.extend((pk, day(on), amount) for on, amount in extra["disbursements"])
        installments.extend(
            (pk, k, day(due), amount, paid, day(paid_on))
            for k, due, amount, paid, paid_on in extra["installments"]
        )
        repayments.extend((pk, day(on), amount) for on, amount in extra["repayments"])
    with indexes_dropped(LoanEvent, Disbursement, Installment, Repayment):
        writer.insert(
            LoanEvent,
            ["loan_id", "on", "actor_label", "kind", "from_state", "to_state", "text", "amount"],
            event_rows,
        )
        writer.insert(Disbursement, ["loan_id", "on", "amount"], disbursements)
        writer.insert(
            Installment, ["loan_id", "number", "due_on", "amount", "paid_amount", "paid_on"], installments
        )
        writer.insert(Repayment, ["loan_id", "on", "amount"], repayments)
    writer.reset_sequences()
    return len(event_rows), len(disbursements), len(installments), len(repayments)


def _linked_plans(rng: random.Random, today: date, by_unit: dict) -> list[dict]:
    """One working-capital request for each working-capital obstacle of the demo cases, if there are any."""
    from revive.cases.models import Obstacle, ObstacleKind

    rows = Obstacle.objects.filter(kind=ObstacleKind.WORKING_CAPITAL).values_list(
        "id", "case_id", "case__unit_id", "status", "case__opened_on", "amount"
    )
    plans = []
    for obstacle_id, case_id, unit_id, status, opened_on, amount in rows.iterator(chunk_size=5000):
        unit = by_unit.get(unit_id)
        if unit is None or opened_on < calendar.nowruz(FIRST_YEAR):
            continue
        registered_on = min(opened_on + timedelta(days=rng.randint(5, 60)), today)
        plans.append(
            {
                "unit": unit,
                "registered_on": registered_on,
                "case": case_id,
                "obstacle": obstacle_id,
                "removed": status == "removed",
                "amount": amount,
            }
        )
    return plans


def _simulate(rng, draw, plan, today, banks, bank_codes, bank_weights, stops):
    unit_id, province_id, park_id, sector, size, _band = plan["unit"]
    reg = plan["registered_on"]
    year = _jyear(reg)
    linked = plan["case"] is not None
    kind = LoanKind.WORKING_CAPITAL
    if not linked:
        r = rng.random()
        kind = (
            LoanKind.WORKING_CAPITAL
            if r < 0.8
            else LoanKind.RESCHEDULING
            if r < 0.92
            else LoanKind.FIXED_CAPITAL
        )
    position = {"micro": 0.15, "small": 0.4, "medium": 0.7, "large": 0.9}.get(size, 0.4)
    low, high = (10, 60) if kind != LoanKind.FIXED_CAPITAL else (20, 120)
    billions = math.exp(
        math.log(low) + (math.log(high) - math.log(low)) * min(max(rng.gauss(position, 0.2), 0), 1)
    )
    requested = plan.get("amount") or _round(billions * BN * _price(year))
    loan = _Loan(
        unit_id=unit_id, province_id=province_id, park_id=park_id, sector_group=sector,
        case_id=plan["case"], obstacle_id=plan["obstacle"], kind=kind, amount_requested=requested,
        project_progress=rng.randint(61, 95) if kind == LoanKind.FIXED_CAPITAL else None,
        registered_on=reg,
    )  # fmt: skip
    events = [(reg, "registered", "", S.REGISTERED, "", requested)]
    extra = {"disbursements": [], "installments": [], "repayments": []}

    def step(to: str, on: date, text: str = "", amount=None) -> None:
        events.append((on, "transition", loan.state, to, text, amount))
        loan.state = to
        loan.version += 1

    reviewed = reg + timedelta(days=rng.randint(2, 15))
    approved = reviewed + timedelta(days=rng.randint(7, 40))
    intro_on = approved + timedelta(days=rng.randint(3, 25))
    if linked:
        introduced = plan["removed"] or rng.random() < 0.5
    else:
        introduced = draw(("introduced", year), INTRODUCED_RATE.get(year, 0.5))
    if reviewed > today:
        return loan, events, extra
    step(S.REVIEW, reviewed)
    loan.reviewed_on = reviewed
    if not introduced:
        withdrawn = reviewed + timedelta(days=rng.randint(10, 80))
        if withdrawn <= today:
            reason = rng.choice(WITHDRAW_REASONS)
            loan.reason = reason
            step(S.WITHDRAWN, withdrawn, reason)
        return loan, events, extra
    if approved > today:
        return loan, events, extra
    step(S.APPROVED, approved)
    loan.approved_on = approved
    if intro_on > today:
        return loan, events, extra
    code = rng.choices(bank_codes, cum_weights=bank_weights)[0]
    bank = banks[code]
    loan.bank_id, loan.introduced_on = bank.pk, intro_on
    loan.amount = _round(requested * rng.uniform(0.7, 1.0))
    loan.letter_number = f"{year}/{rng.randint(1000, 99999)}"
    loan.term_months = TERMS[kind][0]
    step(S.INTRODUCED, intro_on, f"{bank.name_fa}، {loan.letter_number}", loan.amount)
    decided = intro_on + timedelta(days=max(5, int(rng.expovariate(1 / BANK_DAYS.get(code, 45)))))
    if decided > today:
        return loan, events, extra
    if linked:
        pays = plan["removed"]
    else:
        pays = draw(
            ("paid", year), min(PAID_RATE.get(year, 0.52) * BANK_PAYS.get(code, 1.0) / PAYS_MEAN, 0.95)
        )
    loan.decided_on = decided
    if not pays:
        if rng.random() < 0.75:
            loan.reason = rng.choice(REJECT_REASONS)
            step(S.REJECTED, decided, loan.reason)
        else:
            loan.reason = rng.choice(WITHDRAW_REASONS[:2])
            step(S.WITHDRAWN, decided, loan.reason)
        return loan, events, extra
    partly = not (linked and plan["removed"]) and rng.random() < 0.25
    loan.amount_paid = _round(loan.amount * rng.uniform(0.5, 0.9)) if partly else loan.amount
    loan.amount_paid = min(loan.amount_paid, loan.amount)
    if loan.amount_paid == loan.amount:
        partly = False
    step(S.PARTLY_PAID if partly else S.PAID, decided, "", loan.amount_paid)
    _disburse_and_repay(rng, loan, events, extra, today, stops.get(unit_id, ()))
    return loan, events, extra


def _disburse_and_repay(rng, loan, events, extra, today, stops=()) -> None:
    first = loan.decided_on + timedelta(days=rng.randint(5, 45))
    if first > today:
        return
    tranches = rng.choice([1, 1, 1, 2, 2, 3])
    left, on = loan.amount_paid, first
    for i in range(tranches):
        if on > today:
            break
        amount = left if i == tranches - 1 else _round(loan.amount_paid / tranches)
        amount = min(amount, left)
        if amount <= 0:
            break
        extra["disbursements"].append((on, amount))
        events.append((on, "disbursement", "", "", "", amount))
        left -= amount
        on += timedelta(days=rng.randint(20, 60))
    loan.first_disbursed_on = first
    n = loan.term_months or 12
    base, rest = divmod(loan.amount_paid, n)
    # Most units pay on time; some stop paying at some instalment and fall into arrears.
    stop = n + 1 if rng.random() < 0.78 else rng.randint(1, n)
    idle_on = next((d for d in stops if d > first), None)  # the unit's first stop after the money came
    debt = random.Random(f"{ARREARS_SEED}-{loan.unit_id}-{first.toordinal()}")
    if idle_on is not None and debt.random() < ARREARS_BEFORE_STOP:
        behind = _add_months(idle_on, -ARREARS_LEAD_MONTHS)
        stop = min(stop, next((k for k in range(1, n + 1) if _add_months(first, k) >= behind), n + 1))
    paid_total, last_paid = 0, None
    for k in range(1, n + 1):
        due = _add_months(first, k)
        amount = base + (1 if k <= rest else 0)
        pay_on = due + timedelta(days=rng.choice([0, 0, 0, 3, 10, 25]))
        if k < stop and pay_on <= today:
            extra["installments"].append((k, due, amount, amount, pay_on))
            extra["repayments"].append((pay_on, amount))
            paid_total += amount
            last_paid = pay_on
        else:
            extra["installments"].append((k, due, amount, 0, None))
    # One event per repaid year rather than per instalment keeps the timeline readable.
    if paid_total:
        events.append((last_paid, "repayment", "", "", "اقساط", paid_total))
    if paid_total == loan.amount_paid:
        loan.closed_on = last_paid
        events.append((last_paid, "transition", loan.state, S.CLOSED, "", None))
        loan.state = S.CLOSED


def _credit_lines(rng: random.Random, loans: list[_Loan], current: int) -> int:
    """Each bank's national line and its province quotas, set a little above what the year's introductions use."""
    used: dict[tuple, int] = defaultdict(int)
    for loan in loans:
        if loan.introduced_on is None or loan.state in (S.REJECTED, S.WITHDRAWN):
            continue
        year = _jyear(loan.introduced_on)
        used[(year, loan.bank_id, loan.province_id)] += loan.amount
        used[(year, loan.bank_id, None)] += loan.amount
    rows = []
    for (year, bank_id, province_id), amount in sorted(
        used.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0)
    ):
        # The current year's lines leave room for the months to come.
        headroom = rng.uniform(1.4, 1.8) if year == current else rng.uniform(1.03, 1.25)
        step = 10 * BN if province_id is None else BN
        rows.append(
            CreditLine(
                jyear=year, bank_id=bank_id, province_id=province_id, amount=_round(amount * headroom, step)
            )
        )
    CreditLine.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _lending_series(rng: random.Random, banks: dict, today: date) -> int:
    """Monthly facilities of the banking system and of each bank, 1398 to this month."""
    end = calendar.month_of(today)
    months = list(calendar.iter_months((FIRST_YEAR, 1), end))
    shares = {
        code: w / sum(BANK_WEIGHTS.values()) * 0.85 for code, w in BANK_WEIGHTS.items() if code in banks
    }
    rows = []
    for i, (year, month) in enumerate(months):
        growth = PRICE_RISE ** (i / 12)
        seasonal = 1.35 if month == 12 else 0.8 if month == 1 else 1.0
        total = int(75 * HEMAT * growth * seasonal * rng.uniform(0.92, 1.08))
        # About 30% in 1398, rising towards 31-33% now, with month-to-month noise.
        share = 0.295 + 0.03 * i / max(len(months) - 1, 1) + rng.gauss(0, 0.008)
        rows.append(
            LendingFigure(
                jyear=year, jmonth=month, bank=None, total=total, industry_mining=int(total * share)
            )
        )
        for code, part in shares.items():
            bank_total = int(total * part * rng.uniform(0.85, 1.15))
            bank_share = min(max(share + BANK_INDUSTRY.get(code, 0.0) + rng.gauss(0, 0.02), 0.03), 0.9)
            rows.append(
                LendingFigure(
                    jyear=year, jmonth=month, bank=banks[code], total=bank_total,
                    industry_mining=int(bank_total * bank_share),
                )
            )  # fmt: skip
    LendingFigure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _case_events(loans: list[_Loan]) -> int:
    """The loan events the services would have put on the linked cases' timelines (registration, decision)."""
    from revive.cases.models import CaseEvent, Obstacle

    labels = {S.PAID: "تسهیلات پرداخت شد", S.PARTLY_PAID: "بخشی از تسهیلات پرداخت شد؛ مانع سرمایه در گردش باز می‌ماند",
              S.REJECTED: "درخواست تسهیلات رد شد"}  # fmt: skip
    writer = Writer()
    rows = []
    for loan in loans:
        if not loan.case_id:
            continue
        registered = f"#{loan.pk}: درخواست تسهیلات سرمایه در گردش ثبت شد"
        rows.append((loan.case_id, writer.day(loan.registered_on), "loan", ACTOR, registered))
        decision = loan.state if loan.state != S.CLOSED else S.PAID
        if loan.decided_on and decision in labels:
            decided = f"#{loan.pk}: {labels[decision]}"
            rows.append((loan.case_id, writer.day(loan.decided_on), "loan", ACTOR, decided))
    writer.insert(CaseEvent, ["case", "on", "kind", "actor_label", "text"], rows)
    # A paid working-capital loan removes its obstacle (the cases demo already decided which were removed).
    paid_obstacles = [
        loan.obstacle_id for loan in loans if loan.obstacle_id and loan.state in (S.PAID, S.CLOSED)
    ]
    Obstacle.objects.filter(pk__in=paid_obstacles, status="open").update(status="removed")
    return len(rows)


def _funnel_by_year(loans: list[_Loan]) -> dict:
    out: dict[str, dict] = {}
    for loan in loans:
        year = str(_jyear(loan.registered_on))
        row = out.setdefault(year, {"registered": 0, "introduced": 0, "paid": 0, "amount_paid": 0})
        row["registered"] += 1
        row["introduced"] += loan.introduced_on is not None
        if loan.amount_paid:
            row["paid"] += 1
            row["amount_paid"] += loan.amount_paid
    return dict(sorted(out.items()))
