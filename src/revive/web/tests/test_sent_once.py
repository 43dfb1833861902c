"""A form that creates a record is sent once: the same form posted twice (a double click on a slow phone
connection, a reload that posts again) writes one record, and the second answer says it was already sent.

Found on the demo: two identical posts made two loan requests (the funnel counts both), two field visits
and two resolutions to the same agency (its execution rate counts both). web/forms.py, sent_once.
"""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from revive.cases import services as case_services
from revive.cases.models import Case, FieldVisit, Resolution
from revive.documents.models import LoanDocument
from revive.finance.models import LoanRequest
from revive.finance.tests import factories
from revive.registry.models import Organisation

pytestmark = pytest.mark.django_db

ALREADY = "این فرم پیش‌تر فرستاده و ثبت شده است"


def _token(response) -> str:
    """The one-time token of the (last) form of the page."""
    tokens = re.findall(r'name="once" value="([0-9a-f]{32})"', response.content.decode())
    assert tokens, "the form carries no one-time token"
    return tokens[-1]


@pytest.fixture
def semnan_case(world):
    return Case.objects.get(unit=world["units"]["200000000022"])


def test_an_owners_loan_request_sent_twice_is_registered_once(login, unit_owner):
    client = login(unit_owner)
    form = {"kind": "working_capital", "amount_requested": "20000000000", "purpose": "مواد اولیه"}
    form["once"] = _token(client.get("/loans/new/"))
    assert client.post("/loans/new/", form).status_code == 302
    second = client.post("/loans/new/", form)
    assert second.status_code == 400
    assert ALREADY in second.content.decode()
    assert LoanRequest.objects.filter(unit=unit_owner.unit).count() == 1
    # the form shown again is a new one: a second request on purpose is registered
    form["once"] = _token(client.get("/loans/new/"))
    assert client.post("/loans/new/", form).status_code == 302
    assert LoanRequest.objects.filter(unit=unit_owner.unit).count() == 2


def test_a_visit_sent_twice_is_recorded_once_and_a_refused_one_can_be_sent_again(
    login, officer_semnan, semnan_case
):
    client = login(officer_semnan)
    token = _token(client.get(f"/cases/{semnan_case.pk}/"))
    visit = {"visited_on": "1405/13/01", "findings": "بازدید", "capacity_observed": "30", "once": token}
    assert client.post(f"/cases/{semnan_case.pk}/visits/", visit).status_code == 400  # no such date
    visit["visited_on"] = "1405/09/01"
    # the same form, corrected
    assert client.post(f"/cases/{semnan_case.pk}/visits/", visit).status_code == 302
    second = client.post(f"/cases/{semnan_case.pk}/visits/", visit)
    assert second.status_code == 400 and ALREADY in second.content.decode()
    assert FieldVisit.objects.filter(case=semnan_case).count() == 1


def test_a_resolution_sent_twice_is_issued_once(login, officer_semnan, semnan_case):
    meeting = case_services.meeting_create(
        province=semnan_case.province, number=7, held_on=date(2026, 9, 1), by=officer_semnan
    )
    client = login(officer_semnan)
    gas = Organisation.objects.get(code="gas-20")
    form = {"organisation": gas.pk, "text": "اتصال گاز", "deadline": "1405/10/01"}
    form["once"] = _token(client.get(f"/meetings/{meeting.pk}/"))
    assert client.post(f"/meetings/{meeting.pk}/", form).status_code == 302
    assert client.post(f"/meetings/{meeting.pk}/", form).status_code == 400
    assert Resolution.objects.filter(meeting=meeting).count() == 1


def test_a_document_sent_twice_is_attached_once(login, officer_semnan, world):
    loan = factories.registered(world, officer_semnan)
    client = login(officer_semnan)
    token = _token(client.get(f"/loans/{loan.pk}/"))
    for _ in range(2):
        pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 a letter", content_type="application/pdf")
        client.post(
            f"/loans/{loan.pk}/documents/", {"kind": "other", "title": "نامه", "file": pdf, "once": token}
        )
    assert LoanDocument.objects.filter(loan=loan).count() == 1


def test_a_form_without_a_token_is_still_accepted(login, officer_semnan, semnan_case):
    """A page loaded before this change, or a client that posts the form itself."""
    client = login(officer_semnan)
    visit = {"visited_on": "1405/09/01", "findings": "بازدید", "capacity_observed": "30"}
    assert client.post(f"/cases/{semnan_case.pk}/visits/", visit).status_code == 302
    assert FieldVisit.objects.filter(case=semnan_case).count() == 1


def test_a_units_status_sent_twice_is_recorded_once(login, officer_semnan, world):
    """The second identical status wrote a second history row (the same band and date, no event)."""
    from revive.registry.models import UnitStatus

    unit = world["units"]["200000000022"]
    client = login(officer_semnan)
    before = UnitStatus.objects.filter(unit=unit).count()
    form = {"band": "below_50", "effective_date": "1405/09/01", "source": "visit", "employees": "5"}
    form["once"] = _token(client.get(f"/units/{unit.business_id}/"))
    assert client.post(f"/units/{unit.business_id}/", form).status_code == 302
    assert client.post(f"/units/{unit.business_id}/", form).status_code == 400
    assert UnitStatus.objects.filter(unit=unit).count() == before + 1


def test_a_scenario_sent_twice_is_saved_once(login, national_admin, world):
    from revive.planning.models import Scenario

    client = login(national_admin)
    form = {"name": "وام دو برابر", "loan_multiplier": "2"}
    form["once"] = _token(client.get("/plans/scenarios/"))
    for _ in range(2):
        client.post("/plans/scenarios/", form)
    assert Scenario.objects.filter(name="وام دو برابر").count() == 1
