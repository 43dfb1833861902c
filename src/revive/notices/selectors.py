"""Reads of the notices app: a person's inbox, the unread count for the bell, failed deliveries.

The licence-suspension list the deadline pass tells about is a filing read: revive.filings.selectors."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from revive.notices.models import Delivery, Notice


def unread_count(user) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(*, user, unread_only: bool = False):
    qs = Notice.objects.filter(recipient=user).annotate(
        failed=Exists(Delivery.objects.filter(notice=OuterRef("pk"), status=Delivery.Status.FAILED))
    )
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def failed_deliveries():
    """Sends that gave up after their retries, newest first: for administrators."""
    return Delivery.objects.filter(status=Delivery.Status.FAILED).select_related(
        "notice", "notice__recipient"
    )
