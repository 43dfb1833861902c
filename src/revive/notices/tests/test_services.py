"""notices/services.py and selectors.py: telling people once per event, by the channels they chose,
marking read, preferences; the inbox and the unread count."""

import pytest
from django.utils import translation

from revive.core.errors import DomainError
from revive.core.models import AuditEvent
from revive.notices import selectors, services
from revive.notices.models import Channel, Contact, Delivery, Kind, Notice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch):
    monkeypatch.setattr(services, "_deliver_after_commit", lambda: None)  # deliveries are only queued here


def _tell(users, event="e1", kind=Kind.FILING_MISSING):
    text = services.message(
        "Unit %(unit)s has not filed.", unit=lambda lang: "واحد" if lang == "fa" else "unit 7"
    )
    return services.notify(recipients=users, kind=kind, event=event, text=text, url="/filings/")


def test_each_person_is_told_once_per_event_in_both_languages(officer_semnan, officer_tehran):
    made = _tell([officer_semnan, officer_tehran, None])
    assert sorted(n.recipient_id for n in made) == sorted([officer_semnan.pk, officer_tehran.pk])
    notice = Notice.objects.get(recipient=officer_semnan)
    assert notice.text_en == "Unit unit 7 has not filed." and "واحد" in notice.text_fa
    assert (notice.kind, notice.event, notice.url) == (Kind.FILING_MISSING, "e1", "/filings/")
    assert _tell([officer_semnan, officer_tehran]) == []  # the same event again: nobody is told twice
    assert [n.recipient_id for n in _tell([officer_semnan], event="e2")] == [officer_semnan.pk]
    officer_tehran.is_active = False
    assert _tell([officer_tehran], event="e3") == []


def test_deliveries_follow_the_channels_and_need_an_address(officer_semnan, officer_tehran):
    officer_semnan.email = "s@example.org"
    officer_semnan.save()
    Contact.objects.create(user=officer_semnan, mobile="09121234567")
    _tell([officer_semnan, officer_tehran])  # a missing filing: e-mail and SMS by default
    sent = set(Delivery.objects.values_list("notice__recipient_id", "channel", "address"))
    assert sent == {
        (officer_semnan.pk, Channel.EMAIL, "s@example.org"),
        (officer_semnan.pk, Channel.SMS, "09121234567"),
    }  # Tehran's officer has neither address: the inbox alone has it
    chosen = services.channels_for([officer_semnan], Kind.FILING_RETURNED)
    assert chosen[officer_semnan.pk] == {Channel.EMAIL}  # not urgent: no SMS unless chosen


def test_preferences_turn_channels_on_and_off_and_the_digest_replaces_the_email(officer_semnan):
    services.preferences_save(
        user=officer_semnan,
        chosen={(Kind.FILING_MISSING, Channel.DIGEST), (Kind.FILING_MISSING, Channel.EMAIL)},
        language="en",
        mobile="۰۹۱۲۱۲۳۴۵۶۷",
    )
    assert services.channels_for([officer_semnan], Kind.FILING_MISSING)[officer_semnan.pk] == {Channel.DIGEST}
    assert services.channels_for([officer_semnan], Kind.RESOLUTION_OVERDUE)[officer_semnan.pk] == set()
    contact = Contact.objects.get(user=officer_semnan)
    assert (contact.language, contact.mobile) == ("en", "09121234567")
    assert AuditEvent.objects.get(action="notice_preferences").after["mobile"] is True
    with translation.override("en"):
        with pytest.raises(DomainError) as refused:
            services.preferences_save(user=officer_semnan, chosen=set(), language="en", mobile="12")
        assert refused.value.details["field"] == "mobile"
        with pytest.raises(DomainError) as refused:
            services.preferences_save(user=officer_semnan, chosen=set(), language="de", mobile="")
        assert refused.value.details["field"] == "language"


def test_the_inbox_newest_first_the_unread_count_and_marking_read(officer_semnan, officer_tehran):
    _tell([officer_semnan], "a")
    _tell([officer_semnan, officer_tehran], "b")
    assert [n.event for n in selectors.inbox(user=officer_semnan)] == ["b", "a"]
    assert selectors.unread_count(officer_semnan) == 2
    first = Notice.objects.get(recipient=officer_semnan, event="a")
    other = Notice.objects.get(recipient=officer_tehran)
    assert (
        services.notice_mark_read(user=officer_semnan, notice_ids=[first.pk, other.pk]) == 1
    )  # only one's own
    assert [n.event for n in selectors.inbox(user=officer_semnan, unread_only=True)] == ["b"]
    assert services.notice_mark_read(user=officer_semnan) == 1 and selectors.unread_count(officer_semnan) == 0
    assert selectors.unread_count(officer_tehran) == 1
