"""Who may make each change is checked inside the services (finance/workflow.require_role and the
national rule of credit lines and lending figures): the API answers the services' refusal, 403 with
the same message the page shows, and nothing is written."""

import pytest
from django.utils import translation

from revive.accounts.services import token_create
from revive.core.errors import PermissionRefused
from revive.core.models import AuditEvent
from revive.finance import services
from revive.finance.models import CreditLine, LendingFigure, LoanRequest, LoanState
from revive.finance.tests.factories import BN, bank, introduced, paid, registered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _refused(call) -> str:
    with pytest.raises(PermissionRefused) as refused:
        call()
    return str(refused.value)


def test_a_bank_cannot_move_a_request_along_the_programmes_steps(world, officer_semnan, bank_melli):
    loan = registered(world, officer_semnan)
    before = AuditEvent.objects.count()
    message = _refused(lambda: services.loan_review(loan=loan, by=bank_melli, version=loan.version))
    assert message == "Your role cannot make this change to the request."
    for to in ("approved", "withdrawn"):
        assert (
            _refused(lambda to=to: services.loan_transition(loan=loan, to=to, by=bank_melli, reason="x"))
            == message
        )
    assert LoanRequest.objects.get().state == LoanState.REGISTERED and AuditEvent.objects.count() == before


def test_the_programme_cannot_decide_or_pay_for_the_bank(world, officer_semnan, bank_melli):
    loan = introduced(world, officer_semnan)
    message = _refused(lambda: services.loan_decide(loan=loan, by=officer_semnan, decision="paid"))
    assert message == "Your role cannot make this change to the request."
    lent = paid(world, officer_semnan, bank_melli, business_id="200000000011")
    for record in (services.disbursement_record, services.repayment_record):
        assert _refused(lambda r=record: r(loan=lent, by=officer_semnan, on=None, amount=BN)) == message
    assert LoanRequest.objects.get(pk=loan.pk).state == LoanState.INTRODUCED


def test_commands_and_imports_act_without_a_user(world, officer_semnan):
    loan = registered(world, officer_semnan)
    assert services.loan_review(loan=loan, by="import", version=loan.version).state == LoanState.REVIEW


def test_only_national_loan_managers_set_credit_lines_and_lending_figures(
    world, officer_semnan, national_admin
):
    melli = bank("melli")
    message = _refused(
        lambda: services.credit_line_set(year=1405, bank=melli, amount=10 * BN, by=officer_semnan)
    )
    assert message == "Only national staff who manage loans set credit lines and lending figures."
    figure = dict(year=1405, month=7, bank=None, total=200, industry_mining=62)
    assert _refused(lambda: services.lending_figure_set(**figure, by=officer_semnan)) == message
    assert not CreditLine.objects.exists() and not LendingFigure.objects.exists()
    services.credit_line_set(year=1405, bank=melli, amount=10 * BN, by=national_admin)
    services.lending_figure_set(**figure, by=national_admin)
    assert CreditLine.objects.count() == 1 and LendingFigure.objects.count() == 1


def test_the_api_answers_the_services_refusal(client, world, officer_semnan, bank_melli):
    loan = introduced(world, officer_semnan)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=bank_melli)}", "HTTP_ACCEPT_LANGUAGE": "en"}
    url = f"/api/v1/loan-requests/{loan.pk}/transitions"
    response = client.post(url, {"to": "withdrawn", "reason": "x", "version": loan.version},
                           content_type="application/json", **headers)  # fmt: skip
    assert response.status_code == 403
    assert response.json()["message"] == "Your role cannot make this change to the request."
    assert LoanRequest.objects.get().state == LoanState.INTRODUCED
    headers["HTTP_ACCEPT_LANGUAGE"] = "fa"
    response = client.post(url, {"to": "withdrawn", "reason": "x", "version": loan.version},
                           content_type="application/json", **headers)  # fmt: skip
    with translation.override("fa"):
        assert response.json()["message"] == str(
            translation.gettext("Your role cannot make this change to the request.")
        )
    assert response.json()["message"] != "Your role cannot make this change to the request."  # in Persian
