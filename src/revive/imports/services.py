"""Imports in the background: an upload is kept, checked, confirmed by its uploader and written."""

import os

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from revive.core import audit, importing
from revive.core.errors import DomainError, lazy_message
from revive.imports.models import ImportJob

# --- imports in the background --------------------------------------------------------------------


@transaction.atomic
def import_job_start(*, user, scope, kind: str, filename: str, content: bytes) -> ImportJob:
    """Keep an upload server-side and check it in the background; the page follows the job."""
    from revive.accounts.roles import has_perm
    from revive.core.scoping import ScopeKind
    from revive.imports import tasks
    from revive.imports.reading import MAX_BYTES

    found = importing.kinds().get(kind)
    if found is None:
        raise DomainError(_("Choose what the file holds."), field="kind")
    if scope.kind not in (ScopeKind.NATION, ScopeKind.PROVINCE):
        raise DomainError(_("Only national and provincial staff may import."), field="kind")
    if not has_perm(user, found.perm):
        raise DomainError(_("You may not import this kind."), field="kind")
    if found.national_only and scope.kind != ScopeKind.NATION:
        raise DomainError(_("Only the national administration may import this kind."), field="kind")
    if len(content) > MAX_BYTES:
        raise DomainError(
            lazy_message(
                _("The file is larger than %(mb)s MB: split it into smaller files."), mb=MAX_BYTES // 2**20
            ),
            field="file",
        )
    if not content:
        raise DomainError(_("The file is empty."), field="file")
    tasks.sweep()
    job = ImportJob.objects.create(
        user=user,
        province_id=scope.province_id if scope.kind == ScopeKind.PROVINCE else None,
        kind=kind,
        filename=(filename or "upload")[:200],
        size=len(content),
    )
    path = tasks.upload_path(job.pk)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(content)
    audit.record(
        actor=user,
        obj=job,
        action="import_upload",
        after={"kind": kind, "file": job.filename, "bytes": job.size},
    )
    transaction.on_commit(lambda: tasks.start_in_background(job.pk, "check"))
    return job


@transaction.atomic
def import_job_confirm(*, job, by) -> ImportJob:
    """The uploader confirms a checked file: it is checked again and written in the background."""
    from revive.imports import tasks

    if job.user_id != by.pk:
        raise DomainError(_("Only the person who sent the file may confirm it."))
    from revive.core.scoping import ScopeKind, scope_for

    scope = scope_for(by)
    if (scope.province_id if scope.kind == ScopeKind.PROVINCE else None) != job.province_id:
        # the uploader moved to another province (or to the national office) since the file was checked
        raise DomainError(_("This file was checked for another scope than yours now: send it again."))
    if not tasks.claim_write(job):
        job.refresh_from_db()
        if job.status == ImportJob.Status.WRITING:
            raise DomainError(_("This file is already being imported."))
        if job.status == ImportJob.Status.DONE:
            raise DomainError(_("This file has already been imported."))
        raise DomainError(_("This file can no longer be imported: send it again."))
    audit.record(actor=by, obj=job, action="import_confirm", after={"kind": job.kind, "file": job.filename})
    transaction.on_commit(lambda: tasks.start_in_background(job.pk, "write"))
    job.refresh_from_db()
    return job
