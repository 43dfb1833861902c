"""API for infrastructure projects and plans: ranked list, start a run, read it; scoped like the pages."""
# ruff: noqa: F811 (the fixtures come from revive/planning/tests/fixtures.py)

import pytest

from revive.accounts.services import token_create
from revive.planning import tasks
from revive.planning.models import PlanRun
from revive.planning.tests.fixtures import planning_world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client):
    def _call(user, method, path, **kw):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"}
        if method == "get":
            return client.get(f"/api/v1{path}", kw, **headers)
        return client.post(f"/api/v1{path}", kw, content_type="application/json", **headers)

    return _call


def test_infra_projects_are_ranked_and_scoped(
    call, planning_world, officer_semnan, officer_tehran, national_admin
):
    data = call(national_admin, "get", "/infra-projects").json()
    assert data["count"] == 2 and data["items"][0]["rank"] == 1
    assert data["items"][0]["units_per_billion"] >= data["items"][1]["units_per_billion"]
    semnan = call(officer_semnan, "get", "/infra-projects").json()
    assert {p["province"] for p in semnan["items"]} == {"IR-20"}
    assert semnan["items"][0]["units_unblocked"] == 1
    assert call(officer_tehran, "get", "/infra-projects", province="IR-20").status_code == 404
    assert call(national_admin, "get", "/infra-projects", sort="cheapest").status_code == 400


def test_start_a_plan_and_read_it(call, planning_world, officer_semnan, officer_tehran):
    started = call(officer_semnan, "post", "/plans", year=1405, objective="units", time_limit=1)
    assert started.status_code == 201
    run_id = started.json()["id"]
    assert call(officer_semnan, "get", f"/plans/{run_id}").json()["status"] == "queued"
    PlanRun.objects.filter(pk=run_id).update(
        parameters={**PlanRun.objects.get(pk=run_id).parameters, "sweep_points": 0}
    )
    tasks.execute(run_id)
    data = call(officer_semnan, "get", f"/plans/{run_id}").json()
    assert data["status"] == "done" and data["province"] == "IR-20"
    summary = data["summary"]
    assert summary["units"] == 2 and summary["gap"] <= 1e-3 and "greedy" in summary["baselines"]
    assert call(officer_tehran, "get", f"/plans/{run_id}").status_code == 404


def test_bad_plan_requests(call, planning_world, officer_semnan, officer_tehran):
    assert call(officer_semnan, "post", "/plans", year=1404).status_code == 400
    assert call(officer_semnan, "post", "/plans", year="soon").status_code == 400
    assert call(officer_semnan, "post", "/plans", year=1405, time_limit=-1).status_code == 400
    assert call(officer_tehran, "post", "/plans", year=1405, province="IR-20").status_code == 404
    assert not PlanRun.objects.exists()


def test_a_scenarios_plan_is_for_its_province_as_on_the_page(call, planning_world, national_admin):
    from revive.core.scoping import NATION
    from revive.planning import services
    from revive.registry.models import Province

    semnan = Province.objects.get(code="IR-20")
    scenario = services.scenario_save(scope=NATION, name="S", by=national_admin, changes={}, province=semnan)
    started = call(national_admin, "post", "/plans", year=1405, scenario=scenario.pk, time_limit=1)
    assert started.status_code == 201, started.json()
    assert PlanRun.objects.get(pk=started.json()["id"]).province == semnan
    other = call(national_admin, "post", "/plans", year=1405, scenario=scenario.pk, province="IR-23")
    assert other.status_code == 400 and other.json()["details"]["field"] == "scenario"
