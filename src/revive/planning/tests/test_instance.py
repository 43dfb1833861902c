"""planning/instance.py: the instance built from the database (units, loans, banks, projects, budgets; finance's credit lines; months left; the scope) and a plan on it within the budgets."""
# ruff: noqa: F811 (the fixtures come from fixtures.py)

import pytest
from django.http import Http404

from revive.core.errors import DomainError
from revive.core.scoping import NATION, scope_for
from revive.planning.engine.solver import check_plan, solve
from revive.planning.instance import build_instance, months_left
from revive.planning.models import InfraProject
from revive.planning.tests.fixtures import BILLION, planning_world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_instance_has_loans_banks_projects_and_budgets(planning_world):
    instance, context = build_instance(scope=NATION, year=1405, objective="jobs")
    units = {u.id: u for u in instance.units}
    assert set(units) == {"200000000011", "200000000022", "230000000011"}
    foundry = units["200000000011"]
    assert (foundry.loan_amount, foundry.banks, foundry.value) == (20 * BILLION, ("melli",), 25.0)
    assert foundry.projects == (f"P{planning_world['gas'].pk}",)
    # no bank named: the province's best-funded banks (up to three) may lend
    assert units["200000000022"].banks == ("melli", "sepah")
    assert instance.budgets.bank_credit == {"melli": 100 * BILLION, "sepah": 100 * BILLION}
    assert instance.budgets.infra_total == 60 * BILLION
    assert context["months_left"] == 3
    assert context["excluded"]["nothing_to_fund"] == 1  # Isfahan's case has no obstacle yet


def test_finance_credit_lines_replace_the_planning_bank_rows(planning_world):
    from revive.finance.models import CreditLine

    CreditLine.objects.create(jyear=1405, bank=planning_world["melli"], amount=70 * BILLION)
    CreditLine.objects.create(
        jyear=1405,
        bank=planning_world["melli"],
        province=planning_world["provinces"]["IR-20"],
        amount=25 * BILLION,
    )
    instance, context = build_instance(scope=NATION, year=1405)
    assert context["budget_source"] == "finance"
    assert instance.budgets.bank_credit == {"melli": 70 * BILLION}  # Sepah has no finance line: cannot lend
    assert instance.budgets.bank_province_quota == {("melli", "IR-20"): 25 * BILLION}
    assert instance.budgets.infra_total == 60 * BILLION  # infrastructure stays a planning budget line


def test_months_left_and_too_long_projects_are_excluded(planning_world):
    from datetime import date

    assert months_left(1405, date(2026, 11, 24)) == 3  # 3 Azar: about 3.8 months to the end of Esfand
    assert months_left(1406, date(2026, 11, 24)) == 12
    with pytest.raises(DomainError):
        months_left(1404, date(2026, 11, 24))
    InfraProject.objects.filter(pk=planning_world["gas"].pk).update(duration_months=8)
    instance, context = build_instance(scope=NATION, year=1405)
    assert "200000000011" not in {u.id for u in instance.units}
    assert context["excluded"]["too_long"] == 1
    instance, _ = build_instance(scope=NATION, year=1406)  # next year has 12 months
    assert "200000000011" in {u.id for u in instance.units}


def test_officer_plans_only_their_province(planning_world, officer_semnan):
    scope = scope_for(officer_semnan)
    instance, context = build_instance(scope=scope, year=1405)
    assert {u.province for u in instance.units} == {"IR-20"} and context["scope"] == "IR-20"
    with pytest.raises(Http404):
        build_instance(scope=scope, province=planning_world["provinces"]["IR-23"], year=1405)


def test_plan_respects_the_budgets(planning_world):
    from revive.planning.models import BudgetLine

    BudgetLine.objects.filter(bank__code="melli").update(
        amount=15 * BILLION
    )  # foundry's 20 bn loan cannot fit
    instance, _ = build_instance(scope=NATION, year=1405, objective="jobs")
    plan = solve(instance, time_limit=2)
    assert check_plan(instance, plan) == []
    assert "200000000011" not in plan.selected_units
    assert plan.loan_assignment["200000000022"] in {"melli", "sepah"}
    assert plan.gap <= 1e-3
