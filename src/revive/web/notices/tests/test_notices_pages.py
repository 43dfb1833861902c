"""The inbox, the bell, the preferences page, the rules and holidays page, GET /api/v1/me/notifications."""

from datetime import date

import pytest

from revive.core.models import AuditEvent
from revive.notices import delivery
from revive.notices.models import Channel, Contact, DeadlineRules, Delivery, Holiday, Kind, Notice, Preference
from revive.notices.services import message, notify

pytestmark = pytest.mark.django_db


def _tell(user, event="e1", url="/cases/"):
    return notify(
        recipients=[user], kind=Kind.FILING_MISSING, event=event, text=message("Hello %(x)s", x="1"), url=url
    )


def test_the_bell_counts_unread_notices_in_one_query(officer_semnan, login, django_assert_max_num_queries):
    _tell(officer_semnan, "a")
    _tell(officer_semnan, "b")
    client = login(officer_semnan)
    page = client.get("/cases/").content.decode()
    assert 'class="bell"' in page and '<span class="count">۲</span>' in page
    from django.template import Context, Template

    with django_assert_max_num_queries(1):
        Template("{% load notices %}{% notice_bell %}").render(Context({"user": officer_semnan}))


def test_inbox_lists_own_notices_and_marks_them_read(officer_semnan, officer_tehran, login):
    mine = _tell(officer_semnan, "a")[0]
    theirs = _tell(officer_tehran, "b")[0]
    client = login(officer_semnan)
    body = client.get("/notices/").content.decode()
    assert "Hello" in body and body.count('class="notice unread"') == 1
    # another person's notice cannot be opened or marked
    assert client.post(f"/notices/{theirs.pk}/open/").status_code == 404
    client.post("/notices/read/", {"notice": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # opening marks read and goes to the object
    response = client.post(f"/notices/{mine.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/cases/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    _tell(officer_semnan, "c")
    client.post("/notices/read/", {"all": "1"})
    assert not Notice.objects.filter(recipient=officer_semnan, read_at__isnull=True).exists()


def test_preferences_choose_channels_language_and_mobile(officer_semnan, login):
    officer_semnan.email = "o@example.ir"
    officer_semnan.save()
    client = login(officer_semnan)
    assert client.get("/notices/preferences/").status_code == 200
    bad = client.post(
        "/notices/preferences/", {"language": "en", "mobile": "12", "on": ["filing_missing:sms"]}
    )
    assert bad.status_code == 400
    ok = client.post(
        "/notices/preferences/",
        {"language": "en", "mobile": "۰۹۱۲۱۲۳۴۵۶۷", "on": ["filing_missing:sms", "filing_missing:digest"]},
    )
    assert ok.status_code == 302
    contact = Contact.objects.get(user=officer_semnan)
    assert (contact.language, contact.mobile) == ("en", "09121234567")
    assert Preference.objects.filter(user=officer_semnan, enabled=True).count() == 2
    assert AuditEvent.objects.filter(action="notice_preferences").exists()
    # a missing filing now goes by SMS and in the digest, not by a single e-mail
    _tell(officer_semnan, "p")
    assert set(Delivery.objects.values_list("channel", flat=True)) == {Channel.SMS, Channel.DIGEST}
    assert delivery.deliver_pending() == {"sent": 1, "failed": 0}  # the SMS (log backend)
    assert delivery.send_digests() == {"sent": 1, "failed": 0}


def test_rules_and_holidays_are_for_national_administrators(national_admin, officer_semnan, login):
    assert login(officer_semnan).get("/notices/rules/").status_code == 404
    client = login(national_admin)
    page = client.get("/notices/rules/")
    assert page.status_code == 200
    # filings are due by the 10th (DOMAIN.md), for the deadline pass as for the filing pages: no setting that
    # only one of them would read
    assert 'name="filing_due_day"' not in page.content.decode()
    rules = DeadlineRules.current()
    data = {
        "form": "rules",
        "version": rules.version,
        "remind_before": 2,
        "escalate_after": 4,
        "refer_after": 3,  # before escalation: refused
        "introduction_remind_after": 10,
        "introduction_escalate_after": 20,
        "suspension_months": 6,
    }
    assert client.post("/notices/rules/", data).status_code == 400
    assert client.post("/notices/rules/", {**data, "refer_after": 12}).status_code == 302
    rules.refresh_from_db()
    assert (rules.remind_before, rules.refer_after, rules.thursday_off) == (2, 12, False)
    stale = client.post("/notices/rules/", {**data, "refer_after": 13})  # the version read before the save
    assert stale.status_code == 400
    added = client.post("/notices/rules/", {"form": "holiday", "day": "1405/12/20", "name_fa": "عید فطر"})
    assert added.status_code == 302
    holiday = Holiday.objects.get(day=date(2027, 3, 11))
    assert client.post(f"/notices/rules/holidays/{holiday.pk}/remove/").status_code == 302
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    assert (
        AuditEvent.objects.filter(action__in=["deadline_rules", "holiday_add", "holiday_remove"]).count() == 3
    )


def test_api_lists_my_notifications(client, officer_semnan, officer_tehran):
    from revive.accounts.services import token_create

    _tell(officer_semnan, "a")
    _tell(officer_semnan, "b")
    _tell(officer_tehran, "c")
    token = token_create(user=officer_semnan)
    answer = client.get("/api/v1/me/notifications?page_size=1", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200
    data = answer.json()
    assert data["count"] == 2 and data["unread"] == 2 and len(data["items"]) == 1
    item = data["items"][0]
    assert item["kind"] == "filing_missing" and item["url"] == "/cases/" and item["read"] is False
    assert client.get("/api/v1/me/notifications").status_code == 401
