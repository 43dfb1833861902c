"""Owners' monthly filings: submitted by the owner, approved (into the registry) or returned by an expert."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from revive.core import audit, calendar
from revive.core.errors import DomainError
from revive.imports.models import FilingSubmission
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
    today = calendar.tehran_today()
    if calendar.from_jalali(jyear, jmonth, 1) > today:
        raise DomainError(_("A month cannot be filed before it starts."), field="month")
    # A new submission for the same month replaces one still waiting for review.
    FilingSubmission.objects.filter(unit=unit, jyear=jyear, jmonth=jmonth, status="pending").delete()
    submission = FilingSubmission.objects.create(
        unit=unit,
        province_id=unit.province_id,
        jyear=jyear,
        jmonth=jmonth,
        production_value=production_value,
        capacity_utilisation=capacity_utilisation,
        employees=employees,
        energy_kwh=energy_kwh,
        submitted_on=today,
        due_on=calendar.filing_due_date(jyear, jmonth),
        submitted_by=by,
    )
    audit.record(actor=by, obj=submission, action="submission_create", after=audit.snapshot(submission))
    return submission


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
