"""Loans at each stage of the lifecycle, made through the services, for the finance tests."""

from datetime import date

from revive.cases.models import Case, Obstacle
from revive.finance import services
from revive.finance.models import CreditLine, LoanRequest
from revive.registry.models import Organisation

BN = 10**9  # a billion rials


def bank(code: str = "melli") -> Organisation:
    return Organisation.objects.get(code=code)


def registered(world, by, *, business_id: str = "200000000022", amount: int = 30 * BN, **kw) -> LoanRequest:
    unit = world["units"][business_id]
    kw.setdefault("registered_on", date(2026, 6, 1))
    return services.loan_register(
        unit=unit, by=by, kind=kw.pop("kind", "working_capital"), amount_requested=amount, **kw
    )


def approved(world, by, **kw) -> LoanRequest:
    loan = registered(world, by, **kw)
    loan = services.loan_review(loan=loan, by=by, on=loan.registered_on)
    return services.loan_approve(loan=loan, by=by, on=loan.registered_on)


def introduced(world, by, *, to: str = "melli", amount: int | None = None, on: date = date(2026, 7, 1), **kw):
    loan = approved(world, by, **kw)
    return services.loan_introduce(
        loan=loan,
        by=by,
        bank=bank(to),
        letter_number="1405/123",
        letter_date=on,
        amount=amount or loan.amount_requested,
    )


def paid(world, by, banker, *, on: date = date(2026, 8, 1), intro_on: date = date(2026, 7, 1), **kw):
    loan = introduced(world, by, on=intro_on, **kw)
    return services.loan_decide(loan=loan, by=banker, decision="paid", on=on)


def working_capital_case(world, by):
    """Kavir Dairy's open case with a working-capital obstacle."""
    from revive.cases import services as case_services

    case = Case.objects.get(unit=world["units"]["200000000022"])
    obstacle = case_services.obstacle_add(case=case, by=by, kind="working_capital", amount=30 * BN)
    return Case.objects.get(pk=case.pk), Obstacle.objects.get(pk=obstacle.pk)


def line(year: int, amount: int, *, to: str = "melli", province=None) -> CreditLine:
    return services.credit_line_set(year=year, bank=bank(to), province=province, amount=amount, by="test")
