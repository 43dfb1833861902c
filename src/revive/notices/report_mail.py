"""The monthly report by e-mail on the 11th: one PDF per scope and language, one message per subscriber,
each recorded as a notice (kind monthly_report) so it is sent once and shown in the inbox."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from revive.accounts.roles import Role
from revive.core import calendar
from revive.core.scoping import NATION
from revive.core.text import to_persian_digits
from revive.notices.models import Channel, Contact, Delivery, Kind
from revive.notices.services import message, notify


def subscribers():
    """National staff (nation) and provincial officers (their province)."""
    users = get_user_model().objects.filter(is_active=True)
    national = list(users.filter(role__in=[Role.NATIONAL_ADMIN, Role.NATIONAL_ANALYST]))
    officers = list(
        users.filter(role=Role.PROVINCIAL_OFFICER, province__isnull=False).select_related("province")
    )
    return national, officers


def send_monthly_report(*, year: int, month: int) -> dict:
    national, officers = subscribers()
    groups: dict[object, list] = defaultdict(list)
    for u in national:
        groups[None].append(u)
    for u in officers:
        groups[u.province].append(u)
    langs = dict(Contact.objects.values_list("user_id", "language"))
    sent = 0
    month_label = {
        "fa": f"{calendar.month_name(month, 'fa')} {to_persian_digits(str(year))}",
        "en": f"{calendar.month_name(month, 'en')} {year}",
    }
    for province, users in groups.items():
        scope_key = province.code if province else "national"
        with transaction.atomic():  # the plain notice e-mail is replaced by the one with the PDF
            sent += _send_group(province, users, scope_key, year, month, month_label, langs)
    return {"sent": sent}


def _send_group(province, users, scope_key, year, month, month_label, langs) -> int:
    from revive.indicators import reports

    sent = 0
    made = notify(
        recipients=users,
        kind=Kind.MONTHLY_REPORT,
        event=f"report:{scope_key}:{year}-{month:02d}",
        text=message(
            _("The monthly report for %(month)s is ready (by e-mail, as a PDF)."),
            month=lambda lang: month_label[lang],
        ),
        url=reverse("web:indicator_report"),
    )
    if not made:
        return 0
    pdfs: dict[str, bytes] = {}
    for notice in made:
        user = next(u for u in users if u.pk == notice.recipient_id)
        lang = langs.get(user.pk, "fa")
        delivery = Delivery.objects.filter(notice=notice, channel=Channel.EMAIL).first()
        if delivery is None:
            continue  # no address, or the person does not want it by e-mail: the inbox has it
        if lang not in pdfs:
            with translation.override(lang):
                data = reports.report_data(scope=NATION, year=year, month=month, province=province)
                pdfs[lang] = reports.render_pdf(data)
        with translation.override(lang):
            subject = str(_("Revive")) + ": " + notice.text(lang)
        mail = EmailMessage(subject=subject, body=notice.text(lang), to=[user.email])
        mail.attach(f"revive-{scope_key}-{year}-{month:02d}.pdf", pdfs[lang], "application/pdf")
        try:
            mail.send()
        except Exception as exc:  # noqa: BLE001 - recorded on the delivery, shown as failed
            delivery.status, delivery.last_error, delivery.attempts = (
                Delivery.Status.FAILED,
                str(exc)[:500],
                1,
            )
        else:
            delivery.status, delivery.attempts = Delivery.Status.SENT, 1
            sent += 1
        delivery.next_try_at = None
        delivery.save()
    return sent
