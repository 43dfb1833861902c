"""Filing writes: a month's filing recorded (or corrected), an owner's figures sent and reviewed.

Each function is one business verb, atomic, and leaves an audit row. A filing that moves its unit to
another band goes through the registry's status service (registry/services.py), which runs the apps that
follow bands (registry/hooks.py: cases), in the same transaction.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from revive.core import audit, bounds, calendar
from revive.core.errors import DomainError
from revive.core.text import require_fits
from revive.filings import lastfiled, totals
from revive.filings.models import FilingSubmission, MonthlyFiling
from revive.filings.versions import submission_new_version
from revive.registry.models import Band, ProductionUnit, UnitStatus
from revive.registry.services import band_for_utilisation, unit_status_record


@transaction.atomic
def filing_submit(
    *,
    unit: ProductionUnit,
    jyear: int,
    jmonth: int,
    production_value: int,
    capacity_utilisation: int,
    employees: int,
    by: object,
    energy_kwh: int | None = None,
    filed_on: date | None = None,
) -> MonthlyFiling:
    """Record (or correct) a monthly filing; a change of band goes into the status history."""
    if not 0 <= capacity_utilisation <= 100:
        raise DomainError(_("Capacity utilisation must be between 0 and 100%."), field="capacity_utilisation")
    if production_value < 0:
        raise DomainError(_("Production value cannot be negative."), field="production_value")
    if employees < 0:
        raise DomainError(_("Employees cannot be negative."), field="employees")
    bounds.EMPLOYEES.check(employees, field="employees")
    period_start = calendar.from_jalali(jyear, jmonth, 1)
    filed_on = filed_on or calendar.tehran_today()
    if period_start > filed_on:
        raise DomainError(_("A month cannot be filed before it starts."), field="jmonth")
    before = MonthlyFiling.objects.filter(unit=unit, jyear=jyear, jmonth=jmonth).values_list("province_id")
    touched = {(p, jyear, jmonth) for (p,) in before} | {(unit.province_id, jyear, jmonth)}
    filing, created = MonthlyFiling.objects.update_or_create(
        unit=unit,
        jyear=jyear,
        jmonth=jmonth,
        defaults={
            "province_id": unit.province_id,
            "period_start": period_start,
            "production_value": production_value,
            "capacity_utilisation": capacity_utilisation,
            "employees": employees,
            "energy_kwh": energy_kwh,
            "filed_on": filed_on,
            "due_on": calendar.filing_due_date(jyear, jmonth),
        },
    )
    audit.record(
        actor=by,
        obj=filing,
        action="filing_submit" if created else "filing_correct",
        after=audit.snapshot(filing),
    )
    totals.refresh(touched)
    lastfiled.refresh([unit.pk])
    band = band_for_utilisation(capacity_utilisation, production_value)
    if band != unit.current_band and unit.current_band != Band.CLOSED:
        unit_status_record(
            unit=unit,
            band=band,
            effective_date=period_start,
            source=UnitStatus.Source.FILING,
            by=by,
            employees=employees,
        )
    return filing


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
    seen_version: int | None = None,
) -> FilingSubmission:
    """An owner's figures for a month, waiting for review (filings/versions.py: a change needs
    `confirm_change`; the figures the month already holds raise AlreadySent and write nothing)."""
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
    # version, once the owner has seen what was sent and confirmed (filings/versions.py).
    figures = {
        "production_value": production_value,
        "capacity_utilisation": capacity_utilisation,
        "employees": employees,
        "energy_kwh": energy_kwh,
    }
    return submission_new_version(
        unit=unit,
        by=by,
        ym=(jyear, jmonth),
        figures=figures,
        confirm_change=confirm_change,
        seen_version=seen_version,
    )


@transaction.atomic
def submission_review(
    *, submission: FilingSubmission, by, approve: bool, comment: str = ""
) -> FilingSubmission:
    submission = FilingSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != FilingSubmission.Status.PENDING:
        raise DomainError(_("This filing has already been reviewed."))
    comment = require_fits(comment.strip(), model=FilingSubmission, field="comment")
    if not approve and not comment:
        raise DomainError(_("Say what the owner must correct."), field="comment")
    before = {"status": submission.status}
    submission.status = FilingSubmission.Status.APPROVED if approve else FilingSubmission.Status.RETURNED
    submission.comment, submission.reviewed_by, submission.reviewed_at = comment, by, timezone.now()
    submission.save(update_fields=["status", "comment", "reviewed_by", "reviewed_at"])
    audit.record(
        actor=by,
        obj=submission,
        action="submission_approve" if approve else "submission_return",
        before=before,
        after={"status": submission.status, "comment": submission.comment},
    )
    if approve:
        # The filing service records the filing; the registry's status service moves the unit's band.
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
