"""`revive worker`: runs the background jobs (imports, plan runs, the deadline pass, notices, the monthly
report) from the queue in the project's database, and starts the periodic ones on time.

A thin wrapper over django-tasks-db's `db_worker`: before taking jobs it recovers those a dead worker
left running (retried once, then failed with a message); beside the job loop a small thread keeps the
heartbeat file, runs the scheduler every few seconds and, with --stop-with PID, stops the worker when
that process (the web server of `make demo`) is gone.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

from django.db import OperationalError, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from revive.jobs import runner, schedule

log = logging.getLogger("revive.jobs")


class Command(DbWorkerCommand):
    help = "Run background jobs and the periodic schedule (deadline pass, digest, monthly report)."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False, queue_name="*")
        parser.add_argument("--no-schedule", action="store_true", help="Run queued jobs only.")
        parser.add_argument(
            "--stop-with", type=int, default=None, metavar="PID", help="Stop when this process ends."
        )

    def handle(self, *args, **options) -> None:
        worker_id = options["worker_id"]
        runner.beat(worker_id, started=time.time())
        found = runner.recover_orphans()
        if any(found.values()):
            self.stdout.write(f"jobs left by a stopped worker: {found}")
        stop = threading.Event()
        side = threading.Thread(
            target=self._side,
            args=(worker_id, stop, not options["no_schedule"], options["stop_with"]),
            name="revive-worker-side",
            daemon=True,
        )
        side.start()
        try:
            super().handle(
                *args, **{k: v for k, v in options.items() if k not in ("no_schedule", "stop_with")}
            )
        finally:
            stop.set()
            runner.forget(worker_id)

    def _side(self, worker_id: str, stop: threading.Event, scheduling: bool, parent: int | None) -> None:
        last_recover = time.monotonic()
        while not stop.wait(runner.BEAT_EVERY):
            try:
                runner.beat(worker_id)
                if parent and not runner.pid_alive(parent):
                    log.warning("process %s is gone: the worker stops", parent)
                    os.kill(os.getpid(), signal.SIGTERM)
                    return
                if scheduling:
                    schedule.tick()
                if time.monotonic() - last_recover > 60:
                    runner.recover_orphans()
                    last_recover = time.monotonic()
            except OperationalError as exc:  # SQLite busy under a long import: try on the next beat
                log.info("worker side thread: %s", exc)
            except Exception:  # noqa: BLE001 - the side thread must keep beating
                log.exception("worker side thread")
            finally:
                connection.close()
