"""A note, reason or response longer than its field is a 400 through the API, never stored cut to fit."""

from datetime import date

import pytest

from revive.accounts.services import token_create
from revive.cases import services as case_services
from revive.cases.models import Case, CaseEvent, CaseState, Resolution
from revive.core.models import AuditEvent
from revive.finance.models import LoanEvent, LoanRequest, LoanState
from revive.finance.tests.factories import introduced, registered
from revive.registry.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client):
    def _call(user, path, lang="en", **kw):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}", "HTTP_ACCEPT_LANGUAGE": lang}
        return client.post(f"/api/v1{path}", kw, content_type="application/json", **headers)

    return _call


def _audits():
    """Audit rows of writes (each call's token is audited too)."""
    return AuditEvent.objects.exclude(action="token_create").count()


def _refused(response, *, limit, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["details"] == {"field": field}
    return body["message"]


def _case(world):
    return Case.objects.get(unit=world["units"]["200000000022"], state=CaseState.IDENTIFIED)


def test_closing_reason_over_300_is_400_and_the_case_stays_open(call, world, officer_semnan):
    case, audits = _case(world), _audits()
    path = f"/cases/{case.pk}/transitions"
    r = call(officer_semnan, path, to="closed", note="x" * 301, version=case.version)
    message = _refused(r, limit=300, field="note")
    assert message == "Longer than 300 characters (this one has 301): shorten it."
    r = call(officer_semnan, path, lang="fa", to="closed", note="x" * 2000, version=case.version)
    assert (
        _refused(r, limit=300, field="note") == "بیش از ۳۰۰ نویسه است (این یکی ۲۰۰۰ نویسه دارد): کوتاهش کنید."
    )
    case.refresh_from_db()
    assert (case.state, case.closed_reason) == (CaseState.IDENTIFIED, "")
    assert _audits() == audits and not CaseEvent.objects.filter(case=case, kind="transition")

    r = call(officer_semnan, path, to="closed", note="x" * 300, version=case.version)
    assert r.status_code == 200, r.json()
    case.refresh_from_db()
    assert (case.state, case.closed_reason) == (CaseState.CLOSED, "x" * 300)


def test_a_transition_note_over_its_timeline_field_is_400(call, world, officer_semnan):
    case = _case(world)
    path = f"/cases/{case.pk}/transitions"
    r = call(officer_semnan, path, to="diagnosed", note="x" * 501, version=case.version)
    assert (
        _refused(r, limit=500, field="note") == "Longer than 500 characters (this one has 501): shorten it."
    )
    assert Case.objects.get(pk=case.pk).state == CaseState.IDENTIFIED
    r = call(officer_semnan, path, to="diagnosed", note="x" * 500, version=case.version)
    assert r.status_code == 200, r.json()
    assert CaseEvent.objects.get(case=case, kind="transition").text == "x" * 500


def test_resolution_response_over_500_is_400_and_stays_pending(call, world, officer_semnan, gas_semnan):
    case = _case(world)
    meeting = case_services.meeting_create(
        province=case.province, number=1, held_on=date(2026, 9, 1), by=officer_semnan
    )
    resolution = case_services.resolution_issue(meeting=meeting, organisation=Organisation.objects.get(code="gas-20"),
                                                text="gas", deadline=date(2026, 10, 1), case=case, by=officer_semnan)  # fmt: skip
    audits = _audits()
    path = f"/resolutions/{resolution.pk}/answer"
    r = call(gas_semnan, path, status="not_done", response="ب" * 501, version=resolution.version)
    assert _refused(r, limit=500, field="response") == (
        "Longer than 500 characters (this one has 501): shorten it."
    )
    resolution.refresh_from_db()
    assert (resolution.status, resolution.response) == (Resolution.Status.PENDING, "")
    assert _audits() == audits
    r = call(gas_semnan, path, status="not_done", response="ب" * 500, version=resolution.version)
    assert r.status_code == 200, r.json()
    assert Resolution.objects.get(pk=resolution.pk).response == "ب" * 500


def test_loan_refusal_reason_over_300_is_400_and_the_loan_is_not_decided(
    call, world, officer_semnan, bank_melli
):
    loan = introduced(world, officer_semnan)
    audits, events = _audits(), LoanEvent.objects.count()
    path = f"/loan-requests/{loan.pk}/transitions"
    for sent in ({"reason": "x" * 301}, {"note": "x" * 301}):  # the reason may come as the note
        r = call(bank_melli, path, to="rejected", on="1405/05/10", version=loan.version, **sent)
        assert (
            _refused(r, limit=300, field="reason")
            == "Longer than 300 characters (this one has 301): shorten it."
        )
    loan.refresh_from_db()
    assert (loan.state, loan.reason) == (LoanState.INTRODUCED, "")
    assert (_audits(), LoanEvent.objects.count()) == (audits, events)
    r = call(bank_melli, path, to="rejected", on="1405/05/10", reason="x" * 300, version=loan.version)
    assert r.status_code == 200, r.json()
    assert LoanRequest.objects.get(pk=loan.pk).reason == "x" * 300


def test_loan_review_note_over_its_timeline_field_is_400(call, world, officer_semnan):
    loan = registered(world, officer_semnan)
    path = f"/loan-requests/{loan.pk}/transitions"
    r = call(officer_semnan, path, to="review", note="x" * 501, on="1405/03/11", version=loan.version)
    assert (
        _refused(r, limit=500, field="note") == "Longer than 500 characters (this one has 501): shorten it."
    )
    assert LoanRequest.objects.get(pk=loan.pk).state == LoanState.REGISTERED
    r = call(officer_semnan, path, to="review", note="x" * 500, on="1405/03/11", version=loan.version)
    assert r.status_code == 200, r.json()
    assert LoanEvent.objects.get(loan=loan, kind="transition").text == "x" * 500
