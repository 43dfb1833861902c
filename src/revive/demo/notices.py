"""A few events due now for the demo users the national demo data leaves with nothing to chase (a
liaison whose agency has no open resolution, the unit owner whose filings are all in): a resolution
to each such agency due in two working days, one due today, and the owner's last filing returned for
correction. Written through the services (audited, as an officer would); run once."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from revive.accounts.roles import Role
from revive.cases import services as cases
from revive.cases.models import Meeting, Resolution
from revive.core import calendar
from revive.filings import services as filings
from revive.filings.models import FilingSubmission
from revive.notices.models import DeadlineRules, Notice
from revive.notices.workdays import Calendar

MARK = "[demo]"


def seed(*, today: date) -> list[str]:
    User = get_user_model()
    done: list[str] = []
    cal = Calendar(rules=DeadlineRules.current(), start=today, end=today)
    officer = User.objects.filter(role=Role.PROVINCIAL_OFFICER, username="officer.semnan").first()
    liaisons = User.objects.filter(role=Role.AGENCY_LIAISON, is_active=True).select_related("organisation")
    for i, liaison in enumerate(liaisons):
        if (
            officer is None
            or liaison.organisation is None
            or Notice.objects.filter(recipient=liaison).exists()
        ):
            continue
        org = liaison.organisation
        pending = Resolution.objects.filter(organisation=org, status=Resolution.Status.PENDING)
        if pending.filter(text__startswith=MARK).exists():
            continue
        meeting = (  # the last one held (the next one, called for the coming weeks, has not sat yet)
            Meeting.objects.filter(province=org.province or officer.province, held_on__lte=today)
            .order_by("-held_on")
            .first()
        )
        if meeting is None:
            continue
        deadline = today if i % 2 else cal.add(today, 2)
        cases.resolution_issue(
            meeting=meeting,
            organisation=org,
            text=f"{MARK} پاسخ به درخواست واحدهای شهرک در جلسهٔ کارگروه",
            deadline=deadline,
            by=officer,
        )
        done.append(f"resolution to {org.code} due {deadline.isoformat()}")
    for owner in User.objects.filter(role=Role.UNIT_OWNER, is_active=True, unit__isnull=False).select_related(
        "unit"
    ):
        if Notice.objects.filter(recipient=owner).exists() or officer is None:
            continue
        y, m = calendar.add_months(calendar.month_of(today), -1)
        if FilingSubmission.objects.filter(unit=owner.unit, jyear=y, jmonth=m).exists():
            continue
        submission = filings.submission_create(
            unit=owner.unit,
            by=owner,
            jyear=y,
            jmonth=m,
            production_value=1_250_000_000,
            capacity_utilisation=45,
            employees=max(owner.unit.employees // 2, 1),
            confirm_change=True,
        )
        filings.submission_review(
            submission=submission,
            by=officer,
            approve=False,
            comment="مصرف برق با ظرفیت اعلام‌شده نمی‌خواند؛ لطفاً اصلاح کنید.",
        )
        done.append(f"{owner.username}: filing {y}/{m:02d} returned")
    return done
