"""The real queue and the real worker, in processes of their own over a SQLite file: a worker killed in
the middle of an import leaves nothing written, the next one runs the job again, and after the second
loss the job fails with a message its user reads; a plan run queued while no worker runs is computed
when one starts."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
REVIVE = [sys.executable, "-m", "revive"]
ROWS = 40_000  # enough for the write to last a few seconds

pytestmark = pytest.mark.own_database  # a worker on its own SQLite file (_env)


def _env(folder: Path) -> dict:
    return {
        **os.environ,
        "REVIVE_HOME": str(folder),
        "REVIVE_DATABASE_URL": f"sqlite:///{folder}/jobs.sqlite3",
        "REVIVE_DEBUG": "1",
        "REVIVE_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "REVIVE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
    }


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One `revive migrate` for the module (some seconds each); every test starts from a copy of it."""
    folder = tmp_path_factory.mktemp("migrated")
    subprocess.run([*REVIVE, "migrate", "-v0"], env=_env(folder), check=True, cwd=folder, timeout=300)
    return folder / "jobs.sqlite3"


@pytest.fixture
def home(tmp_path, migrated):
    source, copy = sqlite3.connect(migrated), sqlite3.connect(tmp_path / "jobs.sqlite3")
    source.backup(copy)  # the whole database as migrate left it, in a folder of the test's own
    source.close()
    copy.close()
    return tmp_path, _env(tmp_path)


def shell(env, cwd, code: str) -> str:
    done = subprocess.run(
        [*REVIVE, "shell", "-v", "0", "-c", code],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def worker(env, cwd, *extra) -> subprocess.Popen:
    return subprocess.Popen(
        [*REVIVE, "worker", "--no-startup-delay", "--interval", "0.2", "--no-schedule", *extra],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


SETUP = f"""
from revive.accounts.models import User
from revive.core.scoping import scope_for
from revive.imports import services
from revive.registry.models import IndustrialPark, Province, Sector
p = Province.objects.create(code="IR-20", name_fa="سمنان", name_en="Semnan")
IndustrialPark.objects.create(code="P-20-001", name_fa="شهرک", name_en="Park", name_key="park", province=p)
Sector.objects.create(isic_division="24", name_fa="فلزات پایه", name_en="Basic metals", group="metal")
u = User.objects.create_user(username="admin", password="x" * 12, role="national_admin", email="a@example.org")
rows = "\\n".join(f"2{{i:011d}},واحد {{i}},P-20-001,24,small" for i in range({ROWS}))
content = ("شناسه کسب‌وکار,نام فارسی,کد شهرک,بخش (ISIC),اندازه\\n" + rows + "\\n").encode()
job = services.import_job_start(user=u, scope=scope_for(u), kind="units", filename="units.csv", content=content)
print(job.pk)
"""


def _wait(predicate, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _writing(folder: Path, job_id: int, since: float = 0.0):
    """The job's progress file says this worker (started at `since`) is writing."""

    def check():
        try:
            data = json.loads((folder / "var" / "imports" / f"job-{job_id}.progress").read_text())
        except (OSError, ValueError):
            return False
        return data.get("step") == "writing" and data.get("percent", 0) >= 45 and data.get("at", 0) > since

    return check


STATE = """
from django_tasks_db.models import DBTaskResult
from revive.imports.models import ImportJob
from revive.registry.models import ProductionUnit
job = ImportJob.objects.get(pk={job})
results = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", "exception_class_path"))
print(job.status, ProductionUnit.objects.count(), job.message.get("en", ""), results, sep="|")
"""


def _state(env, cwd, job_id):
    status, units, message, results = shell(env, cwd, STATE.format(job=job_id)).split("|")
    return status, int(units), message, results


def test_a_killed_worker_writes_nothing_then_the_job_is_retried_then_failed_with_a_message(home):
    cwd, env = home
    job_id = int(shell(env, cwd, SETUP))

    # check the file (the worker exits when the queue is empty), then confirm it
    subprocess.run(
        [*REVIVE, "worker", "--batch", "--no-startup-delay", "--no-schedule"],
        env=env,
        cwd=cwd,
        check=True,
        timeout=300,
        capture_output=True,
    )
    assert _state(env, cwd, job_id)[0] == "ready"
    shell(
        env,
        cwd,
        f"""
from revive.imports import services
from revive.imports.models import ImportJob
job = ImportJob.objects.select_related("user").get(pk={job_id})
services.import_job_confirm(job=job, by=job.user)
""",
    )

    for attempt in (1, 2):
        started = time.time()
        w = worker(env, cwd)
        try:
            _wait(_writing(cwd, job_id, started), 240, f"attempt {attempt} to be writing")
            os.kill(w.pid, signal.SIGKILL)  # the machine lost the process in the middle of the write
        finally:
            w.wait(timeout=30)
        status, units, _message, results = _state(env, cwd, job_id)
        assert status == "writing" and units == 0, "a killed write leaves nothing behind"
        assert "RUNNING" in results

    # the third worker finds the second attempt's worker dead too: no attempt left, the job failed
    w = subprocess.run(
        [*REVIVE, "worker", "--batch", "--no-startup-delay", "--no-schedule"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "jobs left by a stopped worker" in w.stdout
    status, units, message, results = _state(env, cwd, job_id)
    assert status == "failed" and units == 0
    assert "interrupted" in message and "nothing was written" in message
    assert results.count("revive.jobs.runner.WorkerDied") == 2  # both lost attempts are on record
    # its user is told, in the inbox
    told = shell(
        env,
        cwd,
        f"""
from revive.notices.models import Notice
print(Notice.objects.get(event="import:{job_id}:failed").text_en)
""",
    )
    assert "nothing was written" in told


def test_a_killed_worker_job_is_retried_and_finishes(home):
    cwd, env = home
    job_id = int(shell(env, cwd, SETUP))
    w = worker(env, cwd)
    try:
        _wait(lambda: _state(env, cwd, job_id)[0] == "ready", 240, "the check")
        shell(
            env,
            cwd,
            f"""
from revive.imports import services
from revive.imports.models import ImportJob
job = ImportJob.objects.select_related("user").get(pk={job_id})
services.import_job_confirm(job=job, by=job.user)
""",
        )
        _wait(_writing(cwd, job_id), 240, "the write")
        os.kill(w.pid, signal.SIGKILL)
    finally:
        w.wait(timeout=30)
    assert _state(env, cwd, job_id)[:2] == ("writing", 0)
    subprocess.run(
        [*REVIVE, "worker", "--batch", "--no-startup-delay", "--no-schedule"],
        env=env,
        cwd=cwd,
        check=True,
        timeout=300,
        capture_output=True,
    )
    status, units, _message, _results = _state(env, cwd, job_id)
    assert (status, units) == ("done", ROWS)


def test_a_plan_run_queued_before_a_restart_is_computed_after_it(home):
    cwd, env = home
    run_id = int(
        shell(
            env,
            cwd,
            """
from revive.accounts.models import User
from revive.core.scoping import NATION
from revive.planning import services
u = User.objects.create_user(username="admin", password="x" * 12, role="national_admin")
run = services.plan_run_start(scope=NATION, by=u, year=1405, time_limit=2.0, sweep_points=2)
print(run.pk)
""",
        )
    )
    # no worker ran: the run waits in the queue (a web server restarting loses nothing)
    assert (
        shell(
            env,
            cwd,
            f"from revive.planning.models import PlanRun; print(PlanRun.objects.get(pk={run_id}).status)",
        )
        == "queued"
    )
    subprocess.run(
        [*REVIVE, "worker", "--batch", "--no-startup-delay", "--no-schedule"],
        env=env,
        cwd=cwd,
        check=True,
        timeout=300,
        capture_output=True,
    )
    assert (
        shell(
            env,
            cwd,
            f"from revive.planning.models import PlanRun; print(PlanRun.objects.get(pk={run_id}).status)",
        )
        == "done"
    )
