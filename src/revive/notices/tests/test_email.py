"""Notices by e-mail through a real SMTP server on loopback (aiosmtpd): the Persian user reads Persian,
the English user English; each message has a plain-text part, an HTML part, the object's absolute link
and the link to the preferences page. A server that is down: retried, then failed and shown so."""

from __future__ import annotations

import email
import socket
from email import policy

import pytest
from django.test import override_settings
from django.utils import timezone

from config.email_url import email_from_url
from revive.notices import delivery
from revive.notices.models import Contact, Delivery, Kind, Notice
from revive.notices.services import message, notify

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is in the dev extras")

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = aiosmtpd_controller.Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with override_settings(
            **email_from_url(f"smtp://127.0.0.1:{controller.port}"), BASE_URL="https://revive.example.ir"
        ):
            yield inbox
    finally:
        controller.stop()


def _tell(users):
    from django.utils.translation import gettext_lazy as _

    return notify(
        recipients=users,
        kind=Kind.RESOLUTION_OVERDUE,
        event="resolution:7:overdue",
        text=message(
            _("Overdue since %(deadline)s: the resolution to %(org)s: %(text)s"),
            deadline="1405/09/04",
            org=lambda lang: "شرکت گاز" if lang == "fa" else "Gas company",
            text="x",
        ),
        url="/resolutions/7/answer/",
    )


def test_each_user_gets_the_email_in_their_language_with_link_and_plain_text(
    smtp, officer_semnan, officer_tehran
):
    officer_semnan.email, officer_tehran.email = "semnan@example.ir", "tehran@example.org"
    officer_semnan.save()
    officer_tehran.save()
    Contact.objects.create(user=officer_tehran, language="en")  # Semnan: no choice made, Persian

    _tell([officer_semnan, officer_tehran])
    assert delivery.deliver_pending() == {"sent": 2, "failed": 0}
    got = {to[0]: msg for to, msg in smtp.messages}
    assert set(got) == {"semnan@example.ir", "tehran@example.org"}

    fa = got["semnan@example.ir"]
    assert "عقب افتاده" in fa["Subject"] or "مهلت" in fa["Subject"]
    plain = fa.get_body(preferencelist=("plain",)).get_content()
    html = fa.get_body(preferencelist=("html",)).get_content()
    assert "شرکت گاز" in plain and "https://revive.example.ir/resolutions/7/answer/" in plain
    assert "https://revive.example.ir/notices/preferences/" in plain
    assert 'dir="rtl"' in html and "https://revive.example.ir/resolutions/7/answer/" in html

    en = got["tehran@example.org"]
    assert en["Subject"].startswith("Revive: Overdue since")
    assert "Gas company" in en.get_body(preferencelist=("plain",)).get_content()

    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert delivery.deliver_pending() == {"sent": 0, "failed": 0}  # sent once
    assert _tell([officer_semnan]) == []  # the same event again: nothing new


def test_a_send_that_keeps_failing_is_retried_then_shown_failed(officer_semnan, login):
    officer_semnan.email = "semnan@example.ir"
    officer_semnan.save()
    port = _free_port()  # nothing listens there
    with override_settings(**email_from_url(f"smtp://127.0.0.1:{port}")):
        _tell([officer_semnan])
        for attempt in range(1, delivery.MAX_ATTEMPTS + 1):
            Delivery.objects.update(next_try_at=timezone.now())  # the backoff has passed
            assert delivery.deliver_pending() == {"sent": 0, "failed": 1}
            d = Delivery.objects.get()
            assert d.attempts == attempt and d.last_error
    assert d.status == Delivery.Status.FAILED
    assert delivery.deliver_pending() == {"sent": 0, "failed": 0}  # given up: not tried again
    page = login(officer_semnan).get("/notices/").content.decode()
    assert "ناموفق" in page or "failed" in page
    assert Notice.objects.get().read_at is None


def test_the_monthly_report_goes_to_its_subscribers_once_with_the_pdf(smtp, national_admin, officer_semnan):
    from revive.indicators import reports
    from revive.notices.report_mail import send_monthly_report

    if reports.weasyprint_error():
        pytest.skip(reports.weasyprint_error())
    national_admin.email = "admin@example.ir"
    national_admin.save()  # the Semnan officer has no address: the inbox only
    assert send_monthly_report(year=1405, month=8) == {"sent": 1}
    [(to, msg)] = smtp.messages
    assert to == ["admin@example.ir"]
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF")
    assert Notice.objects.filter(kind=Kind.MONTHLY_REPORT, recipient=officer_semnan).count() == 1
    assert send_monthly_report(year=1405, month=8) == {"sent": 0}  # once a month
    assert len(smtp.messages) == 1
