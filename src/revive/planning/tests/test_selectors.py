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
    selectors.ranked_projects(scope=NATION)  # the unblocked units computed (and kept for this data version)
    with CaptureQueriesContext(connection) as queries:
        items = selectors.ranked_projects(scope=NATION)
    assert len(queries) <= 4  # the projects, the data version, the rows read (projects, parks)
    gas = next(p for p in items if p.pk == planning_world["gas"].pk)
    assert (gas.units, gas.jobs, gas.units_source) == (1, 25, "cases")
    road = next(p for p in items if p.pk == planning_world["tehran_road"].pk)
    assert road.units_source == "cases" and road.units == 0  # Tehran's case names no road obstacle
    assert items[0].units_per_billion >= items[-1].units_per_billion


def _ranking(items) -> list[tuple]:
    return [(p.pk, p.units, p.jobs, p.units_source, p.units_per_billion, p.jobs_per_billion) for p in items]


def test_ranked_projects_kept_per_data_version_never_stale(planning_world, national_admin):
    """The units a project unblocks are kept until the next write: after an obstacle is added or lifted,
    the ranking read again (through the cache) is the one computed from scratch."""
    from django.core.cache import cache, caches

    from revive.cases import services as case_services
    from revive.core.cache import SHARED

    def from_scratch():
        cache.clear()
        caches[SHARED].clear()
        return _ranking(selectors.ranked_projects(scope=NATION))

    before = _ranking(selectors.ranked_projects(scope=NATION))
    assert before == from_scratch()
    gas = next(r for r in before if r[0] == planning_world["gas"].pk)
    assert gas[1:4] == (1, 25, "cases")
    cached = _ranking(selectors.ranked_projects(scope=NATION))  # from the cache filled by from_scratch()
    assert cached == before
    case = planning_world["cases"]["200000000011"]  # the gas project's park (P-20-001)
    obstacle = case.obstacles.get(kind="gas")
    case_services.obstacle_set_status(obstacle=obstacle, status="removed", by=national_admin)
    lifted = _ranking(selectors.ranked_projects(scope=NATION))
    assert lifted != cached and lifted == from_scratch()
    assert next(r for r in lifted if r[0] == planning_world["gas"].pk)[1:4] == (0, 0, "cases")
    case_services.obstacle_add(case=case, by=national_admin, kind="gas")
    again = _ranking(selectors.ranked_projects(scope=NATION))
    assert again == from_scratch() == before


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
