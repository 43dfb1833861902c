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
