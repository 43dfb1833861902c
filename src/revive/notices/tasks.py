"""The notices app's background jobs (queued by the worker's schedule or by a notice just made)."""

from __future__ import annotations

import logging

from django_tasks import task

from revive.core import calendar

log = logging.getLogger(__name__)


@task()
def deadline_pass(today: str | None = None) -> dict:
    from datetime import date

    from revive.notices import deadlines

    p = deadlines.run(today=date.fromisoformat(today) if today else None)
    return {"notices": dict(p.counts), "referred": p.referred, "sustained": p.sustained}


@task()
def deliver_pending() -> dict:
    from revive.notices import delivery

    return delivery.deliver_pending()


@task()
def send_digests() -> dict:
    from revive.notices import delivery

    return delivery.send_digests()


@task()
def mail_monthly_report(year: int | None = None, month: int | None = None) -> dict:
    """The previous Iranian month's report (the PDF `revive report` writes) to its subscribers: national
    staff get the national report, provincial officers their province's; each in their language."""
    from revive.notices.report_mail import send_monthly_report

    if year is None or month is None:
        year, month = calendar.add_months(calendar.month_of(calendar.tehran_today()), -1)
    return send_monthly_report(year=year, month=month)
