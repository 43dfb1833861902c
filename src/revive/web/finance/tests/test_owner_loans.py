"""A unit owner asks for a bank facility and follows it; a park manager sees their park's requests."""

import pytest
from django.urls import reverse

from revive.core.models import AuditEvent
from revive.finance import services
from revive.finance.models import LoanRequest

pytestmark = pytest.mark.django_db


def test_owner_asks_for_a_facility_for_their_own_unit_and_follows_it(client, unit_owner):
    client.force_login(unit_owner)
    form = client.get(reverse("web:loan_new"))
    assert form.status_code == 200 and "registered_on" not in form.content.decode()
    response = client.post(
        reverse("web:loan_new"),
        # an owner cannot ask for another unit, nor date the request: both are ignored
        {"kind": "working_capital", "amount_requested": "۲۵٬۰۰۰٬۰۰۰٬۰۰۰", "purpose": "مواد اولیه",
         "unit": "230000000011", "registered_on": "1404/01/01"},
    )  # fmt: skip
    loan = LoanRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:loan", kwargs={"pk": loan.pk})
    assert loan.unit.business_id == "200000000011" and loan.amount_requested == 25 * 10**9
    assert loan.registered_on.isoformat() == "2026-11-24"  # the tests' today
    assert AuditEvent.objects.filter(action="loan_register", actor=unit_owner).exists()
    page = client.get(reverse("web:loan", kwargs={"pk": loan.pk}))
    assert page.status_code == 200
    listing = client.get(reverse("web:loans")).content.decode()
    assert reverse("web:loan", kwargs={"pk": loan.pk}) in listing and reverse("web:loan_new") in listing


def test_owner_mistakes_are_shown_next_to_the_field_and_nothing_is_written(client, unit_owner):
    client.force_login(unit_owner)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("web:loan_new"), {"kind": "fixed_capital", "amount_requested": "10,000,000,000",
                                                     "project_progress": "40"})  # fmt: skip
    assert response.status_code == 400 and "60%" in response.content.decode()
    assert not LoanRequest.objects.exists()


def test_owner_sees_no_other_units_requests(client, unit_owner, officer_tehran, world):
    other = services.loan_register(unit=world["units"]["230000000011"], by=officer_tehran, kind="working_capital",
                                   amount_requested=10**10)  # fmt: skip
    client.force_login(unit_owner)
    assert client.get(reverse("web:loan", kwargs={"pk": other.pk})).status_code == 404
    assert (
        reverse("web:loan", kwargs={"pk": other.pk}) not in client.get(reverse("web:loans")).content.decode()
    )
    # owners read; they do not move a request along
    assert client.post(reverse("web:loan_step", kwargs={"pk": other.pk}), {}).status_code == 404


def test_owner_cannot_act_on_their_own_request(client, unit_owner):
    loan = services.loan_register(
        unit=unit_owner.unit, by=unit_owner, kind="working_capital", amount_requested=10**10
    )
    client.force_login(unit_owner)
    client.cookies["django_language"] = "en"
    for name in ("loan_step", "loan_introduce", "loan_decide", "loan_disburse", "loan_repay"):
        response = client.post(reverse(f"web:{name}", kwargs={"pk": loan.pk}), {})
        # the service's refusal, as through the API (the request is the owner's to see: not a 404)
        assert response.status_code == 403, name
        assert "Your role cannot make this change to the request." in response.content.decode(), name
    loan.refresh_from_db()
    assert loan.state == "registered"


def test_park_manager_sees_their_parks_requests_only(
    client, park_manager, officer_semnan, officer_tehran, world
):
    mine = services.loan_register(unit=world["units"]["200000000011"], by=officer_semnan, kind="working_capital",
                                  amount_requested=10**10)  # fmt: skip
    other = services.loan_register(unit=world["units"]["200000000022"], by=officer_semnan, kind="working_capital",
                                   amount_requested=10**10)  # fmt: skip
    client.force_login(park_manager)
    assert client.get(reverse("web:loan", kwargs={"pk": mine.pk})).status_code == 200
    assert client.get(reverse("web:loan", kwargs={"pk": other.pk})).status_code == 404  # park P-20-002
    assert client.get(reverse("web:loan_new")).status_code == 404
