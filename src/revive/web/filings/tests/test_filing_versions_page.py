"""The owner's filing form: sending a month again shows what was sent and asks before replacing it."""

import pytest
from django.urls import reverse

from revive.filings.models import FilingSubmission

pytestmark = pytest.mark.django_db


def _form(value: str, **extra):
    return {
        "month": "1405/07",
        "production_value": value,
        "capacity_utilisation": "60",
        "employees": "20",
        **extra,
    }


def test_a_changed_month_is_shown_and_needs_confirmation_and_the_history_is_kept(login, unit_owner):
    client = login(unit_owner)
    url = reverse("web:filing_new")
    assert client.post(url, _form("320000000000")).status_code == 302
    response = client.post(url, _form("1000"))
    assert response.status_code == 409
    html = response.content.decode()
    assert 'name="confirm_change"' in html and "۳۲۰٬۰۰۰٬۰۰۰٬۰۰۰" in html  # what was sent, in Persian digits
    pending = FilingSubmission.objects.get(status="pending")
    assert pending.production_value == 320 * 10**9  # not replaced without confirmation
    assert client.post(url, _form("1000", confirm_change="1")).status_code == 302
    rows = list(
        FilingSubmission.objects.order_by("version").values_list("version", "status", "production_value")
    )
    assert rows == [(1, "superseded", 320 * 10**9), (2, "pending", 1000)]


def test_the_same_figures_again_change_nothing(login, unit_owner):
    client = login(unit_owner)
    url = reverse("web:filing_new")
    client.post(url, _form("5000"))
    response = client.post(url, _form("5000"))
    assert response.status_code == 302  # said as information, not the form redrawn with an error
    assert FilingSubmission.objects.count() == 1


def test_the_owners_list_shows_figures_and_persian_months_and_the_form_names_overdue_months(
    login, unit_owner
):
    client = login(unit_owner)
    client.post(reverse("web:filing_new"), _form("5000"))
    html = client.get(reverse("web:filing_new")).content.decode()
    assert "۱۴۰۵/۰۷" in html and "1405/7" not in html
    assert "۵٬۰۰۰" in html  # the production value
    assert 'class="data"' in html
    # the world's units never filed: the form names the months due, the overdue ones marked
    assert "?month=1405/08" in html or "?month=1405/06" in html
    assert "tag late" in html


def test_the_review_list_says_a_filing_is_a_new_version(login, unit_owner, officer_semnan):
    client = login(unit_owner)
    client.post(reverse("web:filing_new"), _form("5000"))
    client.post(reverse("web:filing_new"), _form("6000", confirm_change="1"))
    html = login(officer_semnan).get(reverse("web:filings")).content.decode()
    assert "۱۴۰۵/۰۷" in html and "نسخهٔ ۲" in html
