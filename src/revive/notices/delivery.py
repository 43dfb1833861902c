"""Sending notices: e-mail (plain text and HTML, in the recipient's language, with the object's link and
a link to the preferences page), SMS (short, Persian), and the daily digest. A failed send is tried
again later and, after MAX_ATTEMPTS, stays FAILED: shown on the inbox and to administrators."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from revive.notices import sms
from revive.notices.models import Channel, Contact, Delivery, Notice

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF = [timedelta(minutes=m) for m in (1, 5, 15, 60)]
SMS_LENGTH = 160


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}" if path else settings.BASE_URL + "/"


def language_of(user_ids) -> dict[int, str]:
    return dict(Contact.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "language"))


def _email(notices: list[Notice], *, lang: str, to: str, digest: bool) -> EmailMultiAlternatives:
    with translation.override(lang):
        items = [{"text": n.text(lang), "link": absolute(n.url) if n.url else ""} for n in notices]
        context = {
            "items": items,
            "digest": digest,
            "lang": lang,
            "inbox": absolute(reverse("web:notices")),
            "preferences": absolute(reverse("web:notice_preferences")),
        }
        if digest:
            subject = _("Revive: %(count)s notices of the day") % {"count": len(items)}
        else:
            subject = _("Revive") + ": " + items[0]["text"][:120]
        body = render_to_string("notices/email/notice.txt", context)
        html = render_to_string("notices/email/notice.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def _failed(delivery: Delivery, error: str) -> None:
    delivery.attempts += 1
    delivery.last_error = error[:500]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
        delivery.next_try_at = None
    else:
        delivery.next_try_at = timezone.now() + BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1]
    delivery.save(update_fields=["attempts", "last_error", "status", "next_try_at"])


def _sent(deliveries: list[Delivery]) -> None:
    now = timezone.now()
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        status=Delivery.Status.SENT, sent_at=now, attempts=1, last_error="", next_try_at=None
    )


def _claim(qs) -> list[Delivery]:
    """Take the due deliveries (pushed an hour ahead, so a concurrent sender skips them)."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            qs.filter(status=Delivery.Status.PENDING, next_try_at__lte=now).select_related("notice")[:500]
        )
        Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(next_try_at=now + timedelta(hours=1))
    return rows


def deliver_pending() -> dict[str, int]:
    """Send each e-mail and SMS that is due; returns how many were sent and how many failed."""
    counts = {"sent": 0, "failed": 0}
    rows = _claim(Delivery.objects.exclude(channel=Channel.DIGEST))
    langs = language_of({d.notice.recipient_id for d in rows})
    connection = None
    for d in rows:
        lang = langs.get(d.notice.recipient_id, "fa")
        try:
            if d.channel == Channel.EMAIL:
                connection = connection or get_connection()
                message = _email([d.notice], lang=lang, to=d.address, digest=False)
                message.connection = connection
                message.send()
            else:
                sms.send(d.address, d.notice.text_fa[:SMS_LENGTH])  # short and in Persian
        except Exception as exc:  # noqa: BLE001 - any failure of the server or the provider: try later
            log.warning("notice %s by %s to %s: %s", d.notice_id, d.channel, d.address, exc)
            _failed(d, f"{type(exc).__name__}: {exc}")
            counts["failed"] += 1
            connection = None
        else:
            _sent([d])
            counts["sent"] += 1
    return counts


def send_digests() -> dict[str, int]:
    """One e-mail per person with the notices they chose to get as a daily digest."""
    counts = {"sent": 0, "failed": 0}
    rows = _claim(Delivery.objects.filter(channel=Channel.DIGEST))
    by_address: dict[tuple[int, str], list[Delivery]] = defaultdict(list)
    for d in rows:
        by_address[(d.notice.recipient_id, d.address)].append(d)
    langs = language_of({k[0] for k in by_address})
    for (user_id, address), group in by_address.items():
        group.sort(key=lambda d: d.notice.created_at)
        try:
            _email([d.notice for d in group], lang=langs.get(user_id, "fa"), to=address, digest=True).send()
        except Exception as exc:  # noqa: BLE001
            for d in group:
                _failed(d, f"{type(exc).__name__}: {exc}")
            counts["failed"] += 1
        else:
            _sent(group)
            counts["sent"] += 1
    return counts
