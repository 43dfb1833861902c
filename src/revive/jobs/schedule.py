"""The periodic jobs the worker starts: the daily deadline pass, the daily digest, the monthly report on
the 11th of each Iranian month, sending notices that wait (and retrying failed sends), and the hourly
sweep of abandoned imports and plan runs.

Each start writes a ScheduledRun row (name, period) in the same transaction as the queued job, so a
restart, a second worker or a worker that was off on the day never starts the same period twice; a
worker that was off catches up when it starts (the deadline pass of the day, the report of the month).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from revive.core import calendar
from revive.jobs.models import ScheduledRun

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    task_path: str
    period: object  # (local datetime) -> the period's key, or None when it is not yet time


def _daily(hour: int):
    return lambda now: now.date().isoformat() if now.hour >= hour else None


def _every(minutes: int):
    return lambda now: now.replace(
        minute=now.minute - now.minute % minutes, second=0, microsecond=0
    ).isoformat(timespec="minutes")


def _hourly(now: datetime) -> str:
    return now.strftime("%Y-%m-%dT%H")


def _monthly_on_11th(now: datetime) -> str | None:
    y, m, d = calendar.to_jalali(now.date())
    return f"{y}-{m:02d}" if d >= 11 and now.hour >= 7 else None


def _monthly_on_12th_at_night(now: datetime) -> str | None:
    y, m, d = calendar.to_jalali(now.date())
    return f"{y}-{m:02d}" if d >= 12 and now.hour >= 2 else None


JOBS = [
    Periodic("deadlines", "revive.notices.tasks.deadline_pass", _daily(6)),
    Periodic("digest", "revive.notices.tasks.send_digests", _daily(7)),
    Periodic("report", "revive.notices.tasks.mail_monthly_report", _monthly_on_11th),
    Periodic("deliver", "revive.notices.tasks.deliver_pending", _every(5)),
    Periodic("sweep", "revive.jobs.tasks.sweep", _hourly),
    # the early-warning model and the effects of interventions (revive.insight), once a month
    Periodic("insight", "revive.insight.tasks.retrain", _monthly_on_12th_at_night),
]


def tick(now: datetime | None = None) -> list[str]:
    """Start every periodic job whose period has come and that no one started yet; returns their names."""
    local = timezone.localtime(now or timezone.now())
    started = []
    for job in JOBS:
        period = job.period(local)
        if period is None:
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=job.name, period=period)
                import_string(job.task_path).enqueue()
        except IntegrityError:
            continue  # already started for this period
        started.append(job.name)
    if started:
        log.info("scheduled: %s", ", ".join(started))
    return started
