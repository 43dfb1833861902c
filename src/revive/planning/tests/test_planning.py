"""Planning on the database: the instance, the plan within budgets, projects done, scenarios, runs, commands."""
# ruff: noqa: F811 (the fixtures come from fixtures.py)

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from revive.cases.models import CaseEvent, Obstacle
from revive.core.errors import DomainError
from revive.core.models import AuditEvent
from revive.core.scoping import NATION, scope_for
from revive.planning import selectors, services, tasks
from revive.planning.engine.solver import check_plan, solve
from revive.planning.instance import build_instance, months_left
from revive.planning.models import InfraProject, PlanRun, Scenario
from revive.planning.tests.fixtures import BILLION, planning_world  # noqa: F401
from revive.registry.models import ParkInfrastructure

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


def test_scenario_changes_budgets_delays_and_drops_quotas(planning_world, national_admin):
    gas = planning_world["gas"]
    scenario = services.scenario_save(
        scope=NATION,
        name="No Sepah, gas late",
        by=national_admin,
        changes={"drop_quotas": [["sepah", ""]], "delays": {str(gas.pk): 6}, "infra_multiplier": "2"},
    )
    instance, _ = build_instance(scope=NATION, year=1405, overrides=scenario.changes)
    assert instance.budgets.bank_credit["sepah"] == 0
    assert instance.budgets.infra_total == 120 * BILLION
    assert "200000000011" not in {u.id for u in instance.units}  # its gas project now ends after Esfand
    assert AuditEvent.objects.filter(action="scenario_save", object_id=str(scenario.pk)).exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"loan_total": -5},
        {"loan_multiplier": "two"},
        {"drop_quotas": [["no-such-bank", ""]]},
        {"delays": {"999999": 3}},
        {"infra_total": "12 billion"},
    ],
)
def test_bad_scenario_is_refused_and_nothing_is_written(planning_world, national_admin, changes):
    with pytest.raises(DomainError) as exc:
        services.scenario_save(scope=NATION, name="bad", by=national_admin, changes=changes)
    assert str(exc.value.message)
    assert not Scenario.objects.exists()


def test_project_done_removes_the_obstacles_and_the_gap(planning_world, officer_semnan):
    gas = planning_world["gas"]
    services.project_update(
        project=gas, by=officer_semnan, status="under_construction", progress=40, version=1
    )
    with pytest.raises(DomainError):  # stale: someone saved it since version 1 was read
        services.project_update(project=gas, by=officer_semnan, status="funded", progress=10, version=1)
    gas.refresh_from_db()
    case = planning_world["cases"]["200000000011"]
    services.project_mark_done(project=gas, by=officer_semnan, version=gas.version)
    gas.refresh_from_db()
    assert gas.status == InfraProject.Status.DONE and gas.progress == 100
    obstacle = Obstacle.objects.get(case=case, kind="gas")
    assert obstacle.status == Obstacle.Status.REMOVED
    assert CaseEvent.objects.filter(case=case, kind="obstacle_update").exists()
    assert ParkInfrastructure.objects.get(park__code="P-20-001", utility="gas").status == "adequate"
    assert AuditEvent.objects.filter(action="project_done", object_id=str(gas.pk)).exists()
    assert AuditEvent.objects.filter(action="obstacle_status", object_id=str(obstacle.pk)).exists()
    with pytest.raises(DomainError):
        services.project_mark_done(project=gas, by=officer_semnan)
    instance, _ = build_instance(scope=NATION, year=1405)
    assert {u.id: u for u in instance.units}["200000000011"].projects == ()


def test_ranked_projects_count_units_from_cases_in_few_queries(planning_world):
    with CaptureQueriesContext(connection) as queries:
        items = selectors.ranked_projects(scope=NATION)
    assert len(queries) <= 4
    gas = next(p for p in items if p.pk == planning_world["gas"].pk)
    assert (gas.units, gas.jobs, gas.units_source) == (1, 25, "cases")
    road = next(p for p in items if p.pk == planning_world["tehran_road"].pk)
    assert road.units_source == "cases" and road.units == 0  # Tehran's case names no road obstacle
    assert items[0].units_per_billion >= items[-1].units_per_billion


def test_background_run_finishes_with_plan_baselines_and_sweep(planning_world, national_admin):
    run = services.plan_run_start(
        scope=NATION,
        by=national_admin,
        year=1405,
        objective="jobs",
        time_limit=1,
        sweep_points=10,
        start=False,
    )
    assert AuditEvent.objects.filter(action="plan_run_start", object_id=str(run.pk)).exists()
    run = tasks.execute(run.pk)
    assert run.status == PlanRun.Status.DONE, run.error
    result = run.result
    assert result["units"] == 3 and result["jobs"] == 25 + 8 + 40
    assert result["best_rule"] in result["baselines"] and result["gap"] <= 1e-3
    assert len(result["sweep"]) >= 10 and result["sweep"][0]["value"] <= result["sweep"][-1]["value"]
    assert {r["province"] for r in result["by_province"]} == {"IR-20", "IR-23"}
    assert tasks.execute(run.pk).status == PlanRun.Status.DONE  # a finished run is not computed twice
    queued = services.plan_run_start(
        scope=NATION, by=national_admin, year=1405, time_limit=1, sweep_points=0, start=False
    )
    call_command("run_plans", stdout=StringIO())  # the worker computes what is still queued
    assert PlanRun.objects.get(pk=queued.pk).status == PlanRun.Status.DONE


def test_run_that_cannot_be_built_fails_with_a_message(planning_world, national_admin):
    run = services.plan_run_start(scope=NATION, by=national_admin, year=1405, start=False)
    PlanRun.objects.filter(pk=run.pk).update(parameters={**run.parameters, "objective": "smiles"})
    run = tasks.execute(run.pk)
    assert run.status == PlanRun.Status.FAILED and "objective" in run.error


def test_a_run_left_running_by_a_stopped_server_is_failed_not_left_running(
    planning_world, national_admin, client
):
    from datetime import timedelta

    from django.utils import timezone

    run = services.plan_run_start(scope=NATION, by=national_admin, year=1405, time_limit=1, start=False)
    assert tasks.claim(run.pk)  # a thread took it, then the server stopped
    assert tasks.fail_stale() == 0  # not yet: it may still be computing
    PlanRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(hours=1))
    services.plan_run_start(scope=NATION, by=national_admin, year=1405, start=False)  # the next run sweeps
    run.refresh_from_db()
    assert run.status == PlanRun.Status.FAILED and run.finished_at is not None
    client.force_login(national_admin)
    client.cookies["django_language"] = "en"
    body = client.get(f"/plans/{run.pk}/status/").content.decode()
    assert "run it again" in body


def test_bad_plan_parameters_write_nothing(planning_world, national_admin):
    for kwargs in ({"year": 1404}, {"year": 1405, "time_limit": -1}, {"year": 1405, "objective": "x"}):
        with pytest.raises(DomainError):
            services.plan_run_start(scope=NATION, by=national_admin, start=False, **kwargs)
    assert not PlanRun.objects.exists()


def test_compare_two_runs(planning_world, national_admin):
    base = services.plan_run_start(
        scope=NATION, by=national_admin, year=1405, time_limit=1, sweep_points=0, start=False
    )
    scenario = services.scenario_save(
        scope=NATION, name="No Melli", by=national_admin, changes={"drop_quotas": [["melli", ""]]}
    )
    other = services.plan_run_start(
        scope=NATION,
        by=national_admin,
        year=1405,
        time_limit=1,
        sweep_points=0,
        scenario=scenario,
        start=False,
    )
    a, b = tasks.execute(base.pk), tasks.execute(other.pk)
    data = selectors.compare(a, b)
    assert [r["business_id"] for r in data["only_a"]] == ["200000000011"]
    assert data["only_b"] == [] and data["both"] == 2


# --- the command --------------------------------------------------------------------------------


def _tiny(tmp_path, units="unit_id,value,loan_amount\nA,3,5\nB,2,5\nC,4,0\n"):
    (tmp_path / "units.csv").write_text(units)
    (tmp_path / "projects.csv").write_text("project_id,cost\nP,4\n")
    (tmp_path / "requirements.csv").write_text("unit_id,project_id\nC,P\n")
    return tmp_path


def test_plan_command_with_an_instance_folder(tmp_path, capsys, db):
    with pytest.raises(SystemExit) as exit_:
        call_command("plan", "--instance", str(_tiny(tmp_path)), "--budget", "9", "--json")
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    data = json.loads(out[out.index("{") :])
    assert sorted(data["selected_units"]) == ["A", "C"] and data["objective"] == 7


def test_plan_command_bad_instance_exits_2_with_file_row_column(tmp_path, capsys, db):
    with pytest.raises(SystemExit) as exit_:
        call_command("plan", "--instance", str(_tiny(tmp_path, "unit_id,value,loan_amount\nA,3,five\n")))
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "units.csv" in err and "row 2" in err and "loan_amount" in err


def test_plan_command_from_the_database_prints_json(planning_world, tmp_path):
    out = StringIO()
    call_command("plan", "--json", "--time-limit", "2", "--province", "IR-20", stdout=out)
    data = json.loads(out.getvalue())
    assert data["scope"] == "IR-20" and set(data["selected_units"]) <= {"200000000011", "200000000022"}
    assert {"status", "objective", "bound", "gap", "seconds", "baselines"} <= set(data)
    call_command("plan", "--export-instance", str(tmp_path / "x"), stdout=StringIO())
    assert (tmp_path / "x" / "units.csv").read_text().count("\n") == 4  # header + 3 units
    with pytest.raises(SystemExit) as exit_:
        call_command("plan", "--province", "IR-99", stdout=StringIO(), stderr=StringIO())
    assert exit_.value.code == 2


def test_a_scenarios_run_is_for_the_scenarios_province_unless_another_is_given(
    planning_world, national_admin
):
    """The default lives in plan_run_start alone: the plan page, the scenario's "run" button and the API
    all pass the scenario without a province and get the scenario's province."""
    from revive.registry.models import Province

    semnan, tehran = Province.objects.get(code="IR-20"), Province.objects.get(code="IR-23")
    scenario = services.scenario_save(
        scope=NATION, name="Semnan", by=national_admin, changes={}, province=semnan
    )
    run = services.plan_run_start(scope=NATION, by=national_admin, year=1405, scenario=scenario, start=False)
    assert run.province == semnan
    with pytest.raises(DomainError) as refused:
        services.plan_run_start(
            scope=NATION, by=national_admin, year=1405, scenario=scenario, province=tehran, start=False
        )
    assert refused.value.details == {"field": "scenario"} and PlanRun.objects.count() == 1
