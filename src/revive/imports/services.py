"""Owners' monthly filings: submitted by the owner, approved (into the registry) or returned by an expert."""

import os

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from revive.core import audit, bounds, calendar
from revive.core.errors import DomainError, lazy_message
from revive.imports.models import FilingSubmission, ImportJob
from revive.registry.models import Band, ProductionUnit
from revive.registry.services import filing_submit


@transaction.atomic
def submission_create(
    *,
    unit: ProductionUnit,
    by,
    jyear: int,
    jmonth: int,
    production_value: int,
    capacity_utilisation: int,
    employees: int,
    energy_kwh: int | None = None,
    confirm_change: bool = False,
) -> FilingSubmission:
    if unit.current_band == Band.CLOSED:
        raise DomainError(_("This unit is closed and has left the programme."))
    if not 0 <= capacity_utilisation <= 100:
        raise DomainError(_("Capacity utilisation must be between 0 and 100%."), field="capacity_utilisation")
    if production_value < 0:
        raise DomainError(_("Production value cannot be negative."), field="production_value")
    if employees < 0:
        raise DomainError(_("Employees cannot be negative."), field="employees")
    if energy_kwh is not None and energy_kwh < 0:
        raise DomainError(_("This cannot be negative."), field="energy_kwh")
    bounds.RIALS.check(production_value, field="production_value")
    bounds.EMPLOYEES.check(employees, field="employees")
    if energy_kwh is not None:
        bounds.ENERGY_KWH.check(energy_kwh, field="energy_kwh")
    today = calendar.tehran_today()
    if calendar.from_jalali(jyear, jmonth, 1) > today:
        raise DomainError(_("A month cannot be filed before it starts."), field="month")
    # Sent again for the same month: the same figures change nothing; different ones become the next
    # version, once the owner has seen what was sent and confirmed (imports/filing_versions.py).
    from revive.imports.filing_versions import submission_new_version

    figures = {
        "production_value": production_value,
        "capacity_utilisation": capacity_utilisation,
        "employees": employees,
        "energy_kwh": energy_kwh,
    }
    return submission_new_version(
        unit=unit, by=by, ym=(jyear, jmonth), figures=figures, confirm_change=confirm_change
    )


@transaction.atomic
def submission_review(
    *, submission: FilingSubmission, by, approve: bool, comment: str = ""
) -> FilingSubmission:
    submission = FilingSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != FilingSubmission.Status.PENDING:
        raise DomainError(_("This filing has already been reviewed."))
    comment = comment.strip()
    if not approve and not comment:
        raise DomainError(_("Say what the owner must correct."), field="comment")
    before = {"status": submission.status}
    submission.status = FilingSubmission.Status.APPROVED if approve else FilingSubmission.Status.RETURNED
    submission.comment, submission.reviewed_by, submission.reviewed_at = comment[:500], by, timezone.now()
    submission.save(update_fields=["status", "comment", "reviewed_by", "reviewed_at"])
    audit.record(
        actor=by,
        obj=submission,
        action="submission_approve" if approve else "submission_return",
        before=before,
        after={"status": submission.status, "comment": submission.comment},
    )
    if approve:
        # The registry's own service records the filing and moves the unit's band.
        filing_submit(
            unit=submission.unit,
            jyear=submission.jyear,
            jmonth=submission.jmonth,
            production_value=submission.production_value,
            capacity_utilisation=submission.capacity_utilisation,
            employees=submission.employees,
            energy_kwh=submission.energy_kwh,
            filed_on=submission.submitted_on,
            by=by,
        )
    return submission


# --- imports in the background --------------------------------------------------------------------


@transaction.atomic
def import_job_start(*, user, scope, kind: str, filename: str, content: bytes) -> ImportJob:
    """Keep an upload server-side and check it in the background; the page follows the job."""
    from revive.accounts.roles import has_perm
    from revive.core.scoping import ScopeKind
    from revive.imports import tasks
    from revive.imports.kinds import KINDS
    from revive.imports.reading import MAX_BYTES

    if kind not in KINDS:
        raise DomainError(_("Choose what the file holds."), field="kind")
    if scope.kind not in (ScopeKind.NATION, ScopeKind.PROVINCE):
        raise DomainError(_("Only national and provincial staff may import."), field="kind")
    if not has_perm(user, KINDS[kind].perm):
        raise DomainError(_("You may not import this kind."), field="kind")
    if KINDS[kind].national_only and scope.kind != ScopeKind.NATION:
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
