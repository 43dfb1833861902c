"""The year plan on the database: months and money released by month, the schedule in a plan run, the
province's money in the budget sweep, the export of periods.csv."""
# ruff: noqa: F811 (the fixtures come from fixtures.py)

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from revive.core.scoping import NATION
from revive.planning import services, tasks, yearplan
from revive.planning.engine.io import load_periods
from revive.planning.instance import build_instance, money_available
from revive.planning.models import BudgetLine, PlanRun
from revive.planning.tests.fixtures import BILLION, planning_world  # noqa: F401
from revive.planning.tests.schedule_checker import check_schedule
from revive.registry.models import Province

pytestmark = pytest.mark.django_db


def test_plan_months_run_from_this_month_to_esfand():
    assert yearplan.plan_months(1405, date(2026, 12, 5)) == (9, 4)  # 14 Azar 1405: Azar to Esfand
    assert yearplan.plan_months(1406, date(2026, 12, 5)) == (1, 12)


def test_money_is_released_by_quarter_for_loans_and_by_month_for_infrastructure(planning_world):
    instance, _ = build_instance(scope=NATION, year=1405, today=date(2026, 12, 5))
    periods = yearplan.periods_for(instance, first_month=9, months=4)
    # Loans: the two banks' lines (200 billion) in two tranches, Azar (this quarter) and Dey (the next).
    assert periods.loan == [100 * BILLION, 100 * BILLION, 0, 0]
    assert periods.infra == [15 * BILLION] * 4  # 60 billion over four months
    whole = yearplan.periods_for(instance, first_month=1, months=12)
    assert [m for m, a in enumerate(whole.loan, 1) if a] == [1, 4, 7, 10] and sum(whole.loan) == 200 * BILLION


def test_a_plan_run_carries_a_schedule_the_checker_accepts(planning_world, national_admin):
    run = services.plan_run_start(
        scope=NATION, by=national_admin, year=1405, time_limit=2, sweep_points=0, start=False
    )
    run = tasks.execute(run.pk)
    assert run.status == PlanRun.Status.DONE, run.error
    sched = run.result["schedule"]
    first, months = yearplan.plan_months(1405, tasks.calendar.tehran_today())
    assert sched["months"] == months == len(sched["rows"]) and sched["first_month"] == first
    instance, _ = build_instance(scope=NATION, year=1405)
    periods = yearplan.periods_for(instance, first_month=first, months=months)
    errors, value = check_schedule(
        instance, periods.loan, periods.infra, {"units": sched["units"], "projects": sched["projects"]}
    )
    assert errors == [] and value == pytest.approx(sched["objective"])
    assert sched["rows"][-1]["cum_units"] == len(sched["units"]) > 0
    assert sum(r["loan_released"] for r in sched["rows"]) == sum(periods.loan)


def test_the_budget_sweep_of_a_province_counts_the_provinces_money_not_the_nations(
    planning_world, national_admin
):
    # IR-20's candidates need 30 billion of loans and a 50 billion gas project; the banks' national lines
    # (200 billion) and the national infrastructure budget (60 billion) are mostly other provinces' money.
    semnan = Province.objects.get(code="IR-20")
    run = services.plan_run_start(
        scope=NATION, by=national_admin, year=1405, province=semnan, time_limit=1, sweep_points=3, start=False
    )
    result = tasks.execute(run.pk).result
    today = next(p for p in result["sweep"] if p["factor"] == 1.0)
    assert today["money"] == 80 * BILLION == result["budgets"]["money"]
    # The province's quotas cap the banks' national lines.
    for bank, amount in (("melli", 5), ("sepah", 3)):
        services.budget_line_set(
            year=1405,
            kind=BudgetLine.Kind.BANK_QUOTA,
            bank=planning_world[bank],
            province=semnan,
            amount=amount * BILLION,
            by=national_admin,
        )
    instance, _ = build_instance(scope=NATION, province=semnan, year=1405)
    assert money_available(instance.budgets, "IR-20", instance) == (5 + 3) * BILLION + 50 * BILLION


def test_export_instance_writes_periods(planning_world, tmp_path):
    call_command("plan", "--export-instance", str(tmp_path / "x"), "--year", "1405", stdout=StringIO())
    first, months = yearplan.plan_months(1405, tasks.calendar.tehran_today())
    periods = load_periods(tmp_path / "x", months)
    assert sum(periods.infra) == 60 * BILLION and sum(periods.loan) == 200 * BILLION


def test_replanning_keeps_a_started_project_paid_and_counts_only_its_remaining_months(
    planning_world, national_admin
):
    # The gas project (50 billion, 2 months) that unit 200000000011 waits for: first a proposal to pay for,
    # then under construction and half built: already paid, one month left.
    def schedule():
        run = services.plan_run_start(
            scope=NATION, by=national_admin, year=1405, time_limit=1, sweep_points=0, start=False
        )
        return tasks.execute(run.pk).result["schedule"]

    # Infrastructure money by the month: 240 billion over the months left, enough to start it early.
    services.budget_line_set(year=1405, kind=BudgetLine.Kind.INFRA, amount=240 * BILLION, by=national_admin)
    gas = f"P{planning_world['gas'].pk}"
    before = schedule()
    assert sum(r["infra_spent"] for r in before["rows"]) == 50 * BILLION
    services.project_update(
        project=planning_world["gas"], by=national_admin, status="under_construction", progress=50
    )
    after = schedule()
    assert sum(r["infra_spent"] for r in after["rows"]) == 0
    start = next(p["start_month"] for p in after["projects"] if p["project_id"] == gas)
    month = next(u["month"] for u in after["units"] if u["unit_id"] == "200000000011")
    assert month == start + 1  # one month left to build
    assert month < next(u["month"] for u in before["units"] if u["unit_id"] == "200000000011")
