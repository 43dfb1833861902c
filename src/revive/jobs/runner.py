"""Durable background jobs on Django's Tasks API (the django-tasks backport on Django 5.2) with the
database backend (django-tasks-db): the queue is a table in the project's own database, and
`revive worker` runs what is in it.

A job survives a restart: one queued before the worker stops waits in the table for the next worker.
A job whose worker died in the middle (killed, machine restarted) is found RUNNING under a worker
that no longer beats; the next worker puts the job's own row back (`reset`) and runs it again, or,
after MAX_ATTEMPTS, marks it failed with a message the user sees (`give_up`). The jobs write in one
transaction, so a killed attempt leaves nothing half-written.

Workers say they are alive with a small file under var/workers/ (pid, host, touched every few
seconds): a file, not a row, because on SQLite an import's long transaction would block the write.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 2  # the first run and one retry after a worker died
BEAT_EVERY = 5.0  # seconds
BEAT_STALE = 120.0  # a worker on another host that has not beaten for this long is dead
UNKNOWN_AFTER = timedelta(hours=2)  # a job of a worker this machine cannot see: lost after this long


class WorkerDied(Exception):
    """Stored as the failure of a job whose worker stopped in the middle of it."""


@dataclass(frozen=True)
class Recovery:
    reset: Callable[..., None]  # before another attempt: put the job's object back to waiting
    give_up: Callable[..., None]  # no attempt left: mark the object failed, with a message for the user


RECOVERY: dict[str, Recovery] = {}


def durable(*, reset: Callable[..., None], give_up: Callable[..., None]):
    """Register how a task (decorated with @task, taking `attempt=`) is retried or given up."""

    def register(task):
        RECOVERY[task.module_path] = Recovery(reset=reset, give_up=give_up)
        return task

    return register


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue a task once the caller's transaction commits (a job never sees a row that was rolled back)."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


# --- heartbeats -------------------------------------------------------------------------------


def beat_folder() -> Path:
    path = Path(settings.VAR_DIR) / "workers"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _beat_path(worker_id: str) -> Path:
    safe = "".join(c for c in worker_id if c.isalnum() or c in "-_")[:64] or "worker"
    return beat_folder() / f"{safe}.json"


def beat(worker_id: str, *, started: float | None = None) -> None:
    path = _beat_path(worker_id)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": started}))
    os.replace(tmp, path)


def forget(worker_id: str) -> None:
    _beat_path(worker_id).unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def worker_alive(worker_id: str, *, now: float | None = None) -> bool | None:
    """True or False when this machine can tell; None for a worker it knows nothing of (another
    machine's, whose heartbeat file is not here)."""
    path = _beat_path(worker_id)
    try:
        data = json.loads(path.read_text())
        mtime = path.stat().st_mtime
    except (OSError, ValueError):
        return None
    if data.get("host") == socket.gethostname():
        return pid_alive(int(data.get("pid", 0) or 0))
    return mtime > (now or time.time()) - BEAT_STALE


# --- recovery -------------------------------------------------------------------------------


def retry_or_give_up(task_path: str, args: list, kwargs: dict) -> str:
    """After a lost attempt: queue the next one, or tell the job it failed. Returns what it did."""
    hooks = RECOVERY.get(task_path)
    attempt = int(kwargs.get("attempt", 1))
    plain = {k: v for k, v in kwargs.items() if k != "attempt"}
    if hooks is None:
        return "none"
    if attempt < MAX_ATTEMPTS:
        hooks.reset(*args, **plain)
        import_string(task_path).enqueue(*args, **{**plain, "attempt": attempt + 1})
        return "retried"
    hooks.give_up(*args, **plain)
    return "failed"


def recover_orphans() -> dict[str, int]:
    """Jobs left RUNNING by a worker that is gone: fail the lost attempt, then retry or give up."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    done = {"retried": 0, "failed": 0, "none": 0}
    for result in DBTaskResult.objects.running():
        owner = result.worker_ids[-1] if result.worker_ids else ""
        alive = worker_alive(owner) if owner else None
        if alive or (
            alive is None and result.started_at and result.started_at > timezone.now() - UNKNOWN_AFTER
        ):
            continue  # alive, or another machine's worker that may still be at it
        with transaction.atomic():
            row = (
                DBTaskResult.objects.select_for_update()
                .filter(pk=result.pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if row is None:
                continue
            row.set_failed(WorkerDied(f"worker {owner or '?'} stopped while running this job"))
            what = retry_or_give_up(row.task_path, row.args_kwargs["args"], row.args_kwargs["kwargs"])
        log.warning("job %s (%s): its worker stopped; %s", row.pk, row.task_path, what)
        done[what] += 1
    for path in beat_folder().glob("*.json"):  # heartbeats of this machine's dead workers
        if worker_alive(path.stem) is False:
            path.unlink(missing_ok=True)
    return done


def _on_finished(sender, task_result, **kwargs) -> None:
    """A job stopped by the worker's own shutdown (a second Ctrl-C, SIGTERM in the middle) failed
    with SystemExit or KeyboardInterrupt: treat it like a worker that died."""
    errors = getattr(task_result, "errors", None) or []
    if not errors:
        return
    path = errors[-1].exception_class_path
    if path in ("builtins.SystemExit", "builtins.KeyboardInterrupt"):
        try:
            retry_or_give_up(task_result.task.module_path, list(task_result.args), dict(task_result.kwargs))
        except Exception:  # noqa: BLE001 - the worker is stopping; the next one recovers from the row
            log.exception("could not queue the retry of %s", task_result.id)


def connect_signals() -> None:
    from django_tasks_db.compat import task_finished

    task_finished.connect(_on_finished, dispatch_uid="revive.jobs.finished")
