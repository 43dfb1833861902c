"""The owner's filing form sent again: the same send arriving twice (a double click on "Send the new
figures", a reload that posts the confirmation again) is answered as the first time, and writes nothing
more; identical figures typed into a fresh form say that nothing changed, as information, not an error.

Found by an outside probe: the second post of a confirmed change found the month already holding those
figures and answered "nothing changed" as the form's error, so the owner believed the correction failed.
"""

import re

import pytest
from django.urls import reverse

from revive.core.models import AuditEvent
from revive.filings.models import FilingSubmission
from revive.notices.models import Notice

pytestmark = pytest.mark.django_db

URL = reverse("web:filing_new")
SENT = {
    "fa": "گزارش شما ارسال شد؛ کارشناس استان آن را بررسی می‌کند.",
    "en": "Your filing was sent; a provincial expert will review it.",
}
ALREADY_ERROR = {
    "fa": "این ارقام پیش‌تر برای این ماه فرستاده شده است",
    "en": "These figures were already sent",
}
NOTHING = {
    "fa": "چیزی تغییر نکرد: همین ارقام پیش‌تر برای ۱۴۰۵/۰۷ فرستاده شده و در انتظار بررسی است.",
    "en": "Nothing changed: these are already the figures sent for 1405/07, waiting for review.",
}


def _hidden(response) -> dict:
    """The hidden fields of the page's filing form, as a browser would send them back."""
    form = response.content.decode().split('<form method="post" class="stack"', 1)[1].split("</form>", 1)[0]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def _figures(value: str) -> dict:
    return {"month": "1405/07", "production_value": value, "capacity_utilisation": "60", "employees": "20"}


def _client(login, owner, lang):
    client = login(owner)
    client.cookies["django_language"] = lang
    return client


def _messages(response) -> list[tuple[str, str]]:
    html = response.content.decode()
    return re.findall(r'<p class="msg ([a-z ]*)" role="status">([^<]*)</p>', html)


def _counts():
    return (
        FilingSubmission.objects.count(),
        AuditEvent.objects.count(),
        Notice.objects.count(),
    )


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_confirmed_change_sent_twice_is_answered_as_the_first_time(login, unit_owner, lang):
    client = _client(login, unit_owner, lang)
    page = client.get(URL + "?month=1405/07")
    assert client.post(URL, {**_hidden(page), **_figures("5000")}).status_code == 302
    asked = client.post(URL, {**_hidden(client.get(URL + "?month=1405/07")), **_figures("6000")})
    assert asked.status_code == 409 and _hidden(asked).get("confirm_change") == "1"
    confirm = {**_hidden(asked), **_figures("6000")}
    first = client.post(URL, confirm, follow=True)
    assert [text for _tag, text in _messages(first)] == [first_text := _messages(first)[0][1]]
    assert SENT[lang] in first_text
    written = _counts()

    again = client.post(URL, confirm)  # the double click, or a reload that posts the confirmation again
    assert again.status_code == 302
    shown = client.get(again["Location"])
    assert _messages(shown) == [("success", first_text)]
    assert ALREADY_ERROR[lang] not in shown.content.decode()
    assert _counts() == written  # no second version, audit row or notice
    rows = list(
        FilingSubmission.objects.order_by("version").values_list("version", "status", "production_value")
    )
    assert rows == [(1, "superseded", 5000), (2, "pending", 6000)]


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_first_filing_of_a_month_sent_twice_is_answered_as_the_first_time(login, unit_owner, lang):
    client = _client(login, unit_owner, lang)
    form = {**_hidden(client.get(URL + "?month=1405/07")), **_figures("5000")}
    client.post(URL, form, follow=True)
    written = _counts()
    again = client.post(URL, form, follow=True)
    assert [tag for tag, _text in _messages(again)] == ["success"] and SENT[lang] in _messages(again)[0][1]
    assert _counts() == written


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_identical_figures_from_a_fresh_form_say_nothing_changed_as_information(login, unit_owner, lang):
    client = _client(login, unit_owner, lang)
    client.post(URL, {**_hidden(client.get(URL + "?month=1405/07")), **_figures("5000")}, follow=True)
    written = _counts()
    fresh = {**_hidden(client.get(URL + "?month=1405/07")), **_figures("5000")}
    answer = client.post(URL, fresh)
    assert answer.status_code == 302  # not the form redrawn with an error
    assert _messages(client.get(answer["Location"])) == [("info", NOTHING[lang])]
    assert _counts() == written


def test_a_confirmation_edited_back_to_what_was_sent_says_nothing_changed(login, unit_owner):
    client = _client(login, unit_owner, "en")
    client.post(URL, {**_hidden(client.get(URL + "?month=1405/07")), **_figures("5000")}, follow=True)
    asked = client.post(URL, {**_hidden(client.get(URL + "?month=1405/07")), **_figures("6000")})
    back = client.post(URL, {**_hidden(asked), **_figures("5000")}, follow=True)
    assert _messages(back) == [("info", NOTHING["en"])]
    assert FilingSubmission.objects.count() == 1
