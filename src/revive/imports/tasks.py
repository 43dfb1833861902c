"""Imports in the background: a job of the worker (`revive worker`, revive.jobs) checks an uploaded file,
another writes it once its uploader confirms.

A job moves checking -> ready (or rejected / nothing) -> writing -> done (or failed). Each step is
claimed with one conditional UPDATE, so a double click or two servers never write a file twice. The jobs
are durable: one queued before a restart runs after it; one whose worker died is run again once (the
write is one transaction, so the lost attempt wrote nothing), then failed with a message.
Progress goes to a small file beside the upload rather than to the database: while the import's
one transaction is open, SQLite would not let another connection write the job's row.
"""

from __future__ import annotations

import json
import logging
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from revive.core.errors import DomainError
from revive.core.importing import Preview
from revive.core.scoping import NATION, Scope, ScopeKind
from revive.imports.engine import MAX_ERRORS, import_write, preview_file
from revive.imports.models import ImportJob
from revive.jobs.runner import durable

log = logging.getLogger(__name__)

KEEP = timedelta(days=1)  # a checked file waits this long for its confirmation
STALE = timedelta(minutes=30)  # a job whose progress has not moved for this long lost its process
SHOWN_CHANGES = 200
STORED_ERRORS = MAX_ERRORS  # all the check collected: the page shows the first, the download all


def folder() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def upload_path(job_id: int) -> Path:
    return folder() / f"job-{job_id}.bin"


def _progress_path(job_id: int) -> Path:
    return folder() / f"job-{job_id}.progress"


def both(message) -> dict[str, str]:
    """A (lazy) message in both languages, for a row that pages in either language will show."""
    out = {}
    for lang in ("fa", "en"):
        with translation.override(lang):
            out[lang] = str(message)
    return out


def set_progress(job_id: int, percent: int, step: str = "") -> None:
    tmp = _progress_path(job_id).with_suffix(".tmp")
    tmp.write_text(json.dumps({"percent": max(0, min(int(percent), 99)), "step": step, "at": time.time()}))
    os.replace(tmp, _progress_path(job_id))


def progress_of(job: ImportJob) -> tuple[int, str]:
    if job.is_finished:
        return 100, ""
    try:
        data = json.loads(_progress_path(job.pk).read_text())
        return int(data["percent"]), str(data.get("step", ""))
    except (OSError, ValueError, KeyError):
        return job.progress, ""


def _forget(job_id: int) -> None:
    for path in (upload_path(job_id), _progress_path(job_id)):
        path.unlink(missing_ok=True)


def scope_of(job: ImportJob) -> Scope:
    if job.province_id:
        return Scope(ScopeKind.PROVINCE, province_id=job.province_id)
    return NATION


def start_in_background(job_id: int, step: str):
    """Queue a step of a job for the worker (call it once the job's row is committed)."""
    return run_step.enqueue(job_id, step)


def _finish(job_id: int, status: str, **fields) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=status, progress=100, finished_at=timezone.now(), updated_at=timezone.now(), **fields
    )
    if status != ImportJob.Status.READY:
        _forget(job_id)
    else:
        _progress_path(job_id).unlink(missing_ok=True)
    _tell(job_id)


def _tell(job_id: int) -> None:
    """The person who sent the file learns it was checked or written (the inbox, and their channels)."""
    from revive.notices.jobs import tell_import_finished

    try:
        tell_import_finished(ImportJob.objects.select_related("user").get(pk=job_id))
    except Exception:  # noqa: BLE001 - a notice must never undo the import it tells about
        log.exception("import %s: could not tell its user", job_id)


def _preview(job: ImportJob, content: bytes, *, start: int, span: int) -> Preview:
    def report(done: int, total: int) -> None:
        set_progress(job.pk, start + span * done // max(total, 1), "checking")

    return preview_file(
        kind=job.kind, content=content, filename=job.filename, scope=scope_of(job), on_progress=report
    )


def _errors(preview: Preview) -> list[dict]:
    return [
        {
            "row": e.row,
            "column": {"fa": e.column_fa or e.column, "en": e.column_en or e.column},
            "value": e.value,
            "message": both(e.message),
        }
        for e in preview.errors[:STORED_ERRORS]
    ]


def _field_names(preview: Preview) -> dict[str, dict[str, str]]:
    """A changed field as the file's column calls it (park_id -> Park code), in both languages."""
    names = {}
    for col in preview.handler.columns:
        names[col.key] = names[f"{col.key}_id"] = {"fa": col.fa, "en": col.en}
    return names


def _changes(preview: Preview) -> list[dict]:
    names = _field_names(preview)
    changes = sorted(preview.changed + preview.new, key=lambda c: c.row)[:SHOWN_CHANGES]
    return [
        {
            "row": c.row,
            "key": preview.handler.key_label(c.key),
            # derived fields (the search key, a unit's province) follow the columns that set them
            "fields": [names[f] for f in sorted(c.fields) if f in names],
        }
        for c in changes
    ]


def _checked(preview: Preview) -> dict:
    """What a check found, as the job's row keeps it for the page."""
    return {
        "rows": preview.rows,
        "counts": {**preview.counts(), "errors": len(preview.errors)},
        "errors": _errors(preview),
        "truncated": preview.truncated,
        "changes": _changes(preview) if preview.ok else [],
    }


def check(job_id: int) -> ImportJob:
    """Read and check the whole file against the database; nothing is written but the job's row."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ImportJob.Status.CHECKING:
        return job
    try:
        set_progress(job_id, 2, "reading")
        content = upload_path(job_id).read_bytes()
        preview = _preview(job, content, start=5, span=90)
    except DomainError as exc:
        _finish(job_id, ImportJob.Status.REJECTED, message=both(exc.message))
    except Exception:  # noqa: BLE001 - the page must say it failed, not stay "checking" forever
        log.exception("import %s: check failed", job_id)
        _finish(job_id, ImportJob.Status.FAILED, message=both(_("The file could not be checked.")))
    else:
        fields = _checked(preview)
        if not preview.ok:
            status = ImportJob.Status.REJECTED
        elif preview.new or preview.changed:
            status = ImportJob.Status.READY
        else:
            status = ImportJob.Status.NOTHING
        _finish(job_id, status, **fields)
    return ImportJob.objects.get(pk=job_id)


def claim_write(job: ImportJob) -> bool:
    """READY -> WRITING for a job of this user that is still within its day; False if not."""
    return bool(
        ImportJob.objects.filter(
            pk=job.pk,
            user_id=job.user_id,
            status=ImportJob.Status.READY,
            created_at__gte=timezone.now() - KEEP,
        ).update(status=ImportJob.Status.WRITING, progress=0, updated_at=timezone.now())
    )


def write(job_id: int) -> ImportJob:
    """Check the file again (the database may have moved since) and write all of it in one transaction."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ImportJob.Status.WRITING:
        return job
    try:
        set_progress(job_id, 1, "checking again")
        content = upload_path(job_id).read_bytes()
        preview = _preview(job, content, start=1, span=39)
        if not preview.ok:
            _finish(
                job_id,
                ImportJob.Status.REJECTED,
                **_checked(preview),
                message=both(
                    _("Nothing was imported: the file no longer passes the checks; upload it again.")
                ),
            )
            return ImportJob.objects.get(pk=job_id)
        counts = import_write(
            preview=preview,
            by=job.user,
            scope=scope_of(job),
            on_progress=lambda done, total: set_progress(job_id, 40 + 58 * done // max(total, 1), "writing"),
        )
    except DomainError as exc:
        _finish(job_id, ImportJob.Status.FAILED, message=both(exc.message))
    except Exception:  # noqa: BLE001 - nothing was written (one transaction); the page must say so
        log.exception("import %s: write failed", job_id)
        _finish(
            job_id,
            ImportJob.Status.FAILED,
            message=both(
                _("The import failed and nothing was written. Try again, or tell the administrator.")
            ),
        )
    else:
        _finish(job_id, ImportJob.Status.DONE, counts={**counts, "errors": 0})
    return ImportJob.objects.get(pk=job_id)


STEPS = {"check": check, "write": write}

INTERRUPTED = _("The import was interrupted (the server stopped); nothing was written. Send the file again.")


def _reset(job_id: int, step: str) -> None:
    """Before the step runs again: the job keeps its state (checking / writing); only its progress restarts."""
    if upload_path(job_id).exists():
        set_progress(job_id, 0, "again")


def _give_up(job_id: int, step: str) -> None:
    """No attempt left: the job failed, and its page (and its user's inbox) says so."""
    if ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.CHECKING, ImportJob.Status.WRITING]
    ).exists():
        _finish(job_id, ImportJob.Status.FAILED, message=both(INTERRUPTED))


@durable(reset=_reset, give_up=_give_up)
@task()
def run_step(job_id: int, step: str, attempt: int = 1) -> str:
    """The worker's job: one step (check or write) of an import; returns the job's status after it."""
    return STEPS[step](job_id).status


def sweep(now=None) -> int:
    """Expire checked files left unconfirmed for a day; fail jobs whose process died (nothing was
    written: the write is one transaction); delete files no job needs. Returns the jobs it ended."""
    now = now or timezone.now()
    ended = 0
    for job in ImportJob.objects.filter(status=ImportJob.Status.READY, created_at__lt=now - KEEP):
        ended += ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
            status=ImportJob.Status.EXPIRED, finished_at=now, updated_at=now
        )
        _forget(job.pk)
    for job in ImportJob.objects.filter(status__in=[ImportJob.Status.CHECKING, ImportJob.Status.WRITING]):
        moved = job.updated_at
        try:
            moved = max(moved, datetime.fromtimestamp(_progress_path(job.pk).stat().st_mtime, tz=UTC))
        except OSError:
            pass
        if moved < now - STALE:
            ended += ImportJob.objects.filter(pk=job.pk, status=job.status).update(
                status=ImportJob.Status.FAILED,
                finished_at=now,
                updated_at=now,
                message=both(INTERRUPTED),
            )
            _forget(job.pk)
    live = set(
        ImportJob.objects.filter(
            status__in=[ImportJob.Status.CHECKING, ImportJob.Status.READY, ImportJob.Status.WRITING]
        ).values_list("pk", flat=True)
    )
    for path in folder().glob("job-*"):
        try:
            job_id = int(path.name.split("-")[1].split(".")[0])
        except (IndexError, ValueError):
            continue
        if job_id not in live:
            path.unlink(missing_ok=True)
    return ended
