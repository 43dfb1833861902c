"""planning/selectors.py: the ranked projects and the comparison of two runs."""
# ruff: noqa: F811 (the fixtures come from fixtures.py)

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from revive.core.scoping import NATION
from revive.planning import selectors, services, tasks
from revive.planning.tests.fixtures import BILLION, planning_world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_ranked_projects_count_units_from_cases_in_few_queries(planning_world):
    with CaptureQueriesContext(connection) as queries:
        items = selectors.ranked_projects(scope=NATION)
    assert len(queries) <= 4
    gas = next(p for p in items if p.pk == planning_world["gas"].pk)
    assert (gas.units, gas.jobs, gas.units_source) == (1, 25, "cases")
    road = next(p for p in items if p.pk == planning_world["tehran_road"].pk)
    assert road.units_source == "cases" and road.units == 0  # Tehran's case names no road obstacle
    assert items[0].units_per_billion >= items[-1].units_per_billion


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
