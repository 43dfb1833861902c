"""The owner's filing form opens on the month that is due and does not contradict itself."""

import re

import pytest
from django.urls import reverse

from revive.core import calendar
from revive.filings.selectors import months_to_file

pytestmark = pytest.mark.django_db


def test_the_form_opens_on_the_oldest_month_due_and_says_one_thing(login, unit_owner):
    html = login(unit_owner).get(reverse("web:filing_new")).content.decode()
    due = months_to_file(unit=unit_owner.unit, today=calendar.tehran_today())
    assert due  # the test world's unit has months to file
    field = re.search(r'<input[^>]*name="month"[^>]*>', html).group(0)
    assert f'value="{due[0][0]}/{due[0][1]:02d}"' in field
    assert "آمار شما به‌روز است" not in html


def test_a_month_asked_for_wins(login, unit_owner):
    html = login(unit_owner).get(reverse("web:filing_new") + "?month=1405/03").content.decode()
    assert 'value="1405/03"' in re.search(r'<input[^>]*name="month"[^>]*>', html).group(0)


def test_up_to_date_does_not_sit_above_nothing_sent(login, unit_owner, monkeypatch):
    monkeypatch.setattr("revive.web.filings.views.months_to_file", lambda **kw: [])
    html = login(unit_owner).get(reverse("web:filing_new")).content.decode()
    assert "هنوز گزارشی ارسال نشده است" not in html


def test_a_month_returned_for_correction_is_listed_not_nothing_due(
    login, unit_owner, officer_semnan, monkeypatch
):
    """The page said 'nothing is due now' while the home page listed a month returned for correction."""
    from revive.filings.services import submission_create, submission_review

    monkeypatch.setattr("revive.web.filings.views.months_to_file", lambda **kw: [])
    sent = submission_create(unit=unit_owner.unit, by=unit_owner, jyear=1405, jmonth=7,
                             production_value=100, capacity_utilisation=40, employees=5)  # fmt: skip
    submission_review(submission=sent, by=officer_semnan, approve=False, comment="Energy use is missing")
    client = login(unit_owner)
    html = client.get(reverse("web:filing_new")).content.decode()
    assert "اکنون ماهی سررسید نیست" not in html
    assert 'href="?month=1405/07"' in html and "Energy use is missing" in html
    assert 'value="1405/07"' in re.search(r'<input[^>]*name="month"[^>]*>', html).group(0)  # opens on it
    # a new version of the month settles it
    submission_create(unit=unit_owner.unit, by=unit_owner, jyear=1405, jmonth=7,
                      production_value=120, capacity_utilisation=40, employees=5, confirm_change=True)  # fmt: skip
    html = client.get(reverse("web:filing_new")).content.decode()
    assert 'href="?month=1405/07"' not in html and "اکنون ماهی سررسید نیست" in html
