"""The worker's schedule: each periodic job starts once per period, whatever the number of ticks."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from revive.jobs import schedule
from revive.jobs.models import ScheduledRun

pytestmark = pytest.mark.django_db
TEHRAN = ZoneInfo("Asia/Tehran")
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@override_settings(TASKS=DUMMY)
def test_each_periodic_job_starts_once_per_period():
    from django_tasks import default_task_backend

    early = datetime(2026, 12, 2, 5, 0, tzinfo=TEHRAN)  # 11 Azar 1405, before 06:00
    assert sorted(schedule.tick(early)) == ["deliver", "sweep"]
    morning = datetime(2026, 12, 2, 7, 30, tzinfo=TEHRAN)
    assert sorted(schedule.tick(morning)) == ["deadlines", "deliver", "digest", "report", "sweep"]
    assert schedule.tick(morning) == []  # the same period again: nothing
    assert ScheduledRun.objects.get(name="report").period == "1405-09"
    assert ScheduledRun.objects.get(name="deadlines").period == "2026-12-02"
    paths = sorted(r.task.module_path for r in default_task_backend.results)
    assert paths.count("revive.notices.tasks.deadline_pass") == 1
    # 10 Dey: no report for Azar yet; on 11 Dey it starts, once
    assert "report" not in schedule.tick(datetime(2026, 12, 31, 8, 0, tzinfo=TEHRAN))
    assert "report" in schedule.tick(datetime(2027, 1, 1, 8, 0, tzinfo=TEHRAN))
    assert "report" not in schedule.tick(datetime(2027, 1, 2, 8, 0, tzinfo=TEHRAN))
