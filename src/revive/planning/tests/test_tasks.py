"""planning/tasks.py: a plan run computed in the background, a run that cannot be built, a run left by a stopped server."""
# ruff: noqa: F811 (the fixtures come from fixtures.py)

from io import StringIO

import pytest
from django.core.management import call_command

from revive.core.models import AuditEvent
from revive.core.scoping import NATION
from revive.planning import services, tasks
from revive.planning.models import PlanRun
from revive.planning.tests.fixtures import BILLION, planning_world  # noqa: F401

pytestmark = pytest.mark.django_db


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
