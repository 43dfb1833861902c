"""planning/services.py: scenarios, a project done, plan runs' parameters and province."""
# ruff: noqa: F811 (the fixtures come from fixtures.py)

import pytest

from revive.cases.models import CaseEvent, Obstacle
from revive.core.errors import DomainError
from revive.core.models import AuditEvent
from revive.core.scoping import NATION
from revive.planning import services
from revive.planning.instance import build_instance
from revive.planning.models import InfraProject, PlanRun, Scenario
from revive.planning.tests.fixtures import BILLION, planning_world  # noqa: F401
from revive.registry.models import ParkInfrastructure

pytestmark = pytest.mark.django_db


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


def test_bad_plan_parameters_write_nothing(planning_world, national_admin):
    for kwargs in ({"year": 1404}, {"year": 1405, "time_limit": -1}, {"year": 1405, "objective": "x"}):
        with pytest.raises(DomainError):
            services.plan_run_start(scope=NATION, by=national_admin, start=False, **kwargs)
    assert not PlanRun.objects.exists()


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
