"""POST /api/v1/filings: batches from the statistics system, versions, all-or-nothing, idempotent."""

import pytest

from revive.accounts.models import User
from revive.accounts.roles import Role
from revive.accounts.services import token_create
from revive.cases.models import OPEN_STATES, Case
from revive.core.models import AuditEvent
from revive.filings.models import FilingSubmission, MonthlyFiling
from revive.registry.models import Band, ProductionUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(world):
    return User.objects.create_user(username="integration.statistics", role=Role.INTEGRATION)


def _post(client, user, body):
    token = token_create(user=user)
    return client.post(
        "/api/v1/filings", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def _row(business_id="200000000011", month="1405/07", value=5 * 10**9, capacity=80, employees=30):
    return {
        "business_id": business_id,
        "month": month,
        "production_value": value,
        "capacity_utilisation": capacity,
        "employees": employees,
    }


def test_a_batch_is_recorded_and_the_bands_and_cases_follow(client, integration, world):
    body = {"filings": [_row(), _row("230000000022", capacity=0, value=0, employees=0)]}
    response = _post(client, integration, body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["recorded"], data["waiting_review"], data["unchanged"]) == (2, 0, 0)
    assert [i["result"] for i in data["items"]] == ["recorded", "recorded"]
    assert MonthlyFiling.objects.filter(jyear=1405, jmonth=7).count() == 2
    assert ProductionUnit.objects.get(business_id="200000000011").current_band == Band.ABOVE_70
    # an idle month opens a case, as an approved filing does
    assert Case.objects.filter(unit__business_id="230000000022", state__in=OPEN_STATES).exists()
    assert AuditEvent.objects.filter(action="filing_submit").count() == 2


def test_the_same_batch_again_changes_nothing_and_says_so(client, integration, world):
    body = {"filings": [_row(), _row("230000000022")]}
    assert _post(client, integration, body).status_code == 200
    audit_rows, submissions = AuditEvent.objects.count(), FilingSubmission.objects.count()
    response = _post(client, integration, body)
    data = response.json()
    assert response.status_code == 200 and data["unchanged"] == 2 and data["recorded"] == 0
    assert "Nothing changed" in data["message"] or "تغییری" in data["message"]
    assert AuditEvent.objects.filter(action__in=["filing_submit", "submission_create"]).count() == 4
    assert FilingSubmission.objects.count() == submissions
    assert AuditEvent.objects.count() == audit_rows + 1  # the token's own row only


def test_a_changed_figure_for_a_recorded_month_is_a_new_version_waiting_for_review(
    client, integration, world
):
    _post(client, integration, {"filings": [_row(value=320 * 10**9)]})
    response = _post(client, integration, {"filings": [_row(value=1000)]})
    item = response.json()["items"][0]
    assert (item["result"], item["version"]) == ("waiting_review", 2)
    filing = MonthlyFiling.objects.get(unit__business_id="200000000011", jyear=1405, jmonth=7)
    assert filing.production_value == 320 * 10**9  # never overwritten silently
    response = _post(client, integration, {"filings": [_row(value=2000)]})
    assert response.json()["items"][0]["version"] == 3
    versions = FilingSubmission.objects.filter(unit__business_id="200000000011").order_by("version")
    assert [(s.version, s.status) for s in versions] == [(1, "approved"), (2, "superseded"), (3, "pending")]


def test_a_batch_with_a_refused_row_writes_nothing_and_names_every_refusal(client, integration, world):
    body = {
        "filings": [
            _row(),
            _row("230000000022", capacity=150),
            _row("999999999999"),
            {"business_id": "100000000011", "month": "1406/01", "production_value": 1,
             "capacity_utilisation": 5, "employees": 1},
            _row(),
        ]
    }  # fmt: skip
    response = _post(client, integration, body)
    assert response.status_code == 400
    errors = response.json()["details"]["errors"]
    assert {(e["index"], e["field"]) for e in errors} == {
        (1, "capacity_utilisation"),
        (2, "business_id"),
        (3, "month"),
        (4, "month"),  # the same unit and month as row 0
    }
    assert all(e["reason"] for e in errors)
    assert not MonthlyFiling.objects.filter(jyear=1405, jmonth=7).exists()
    assert not FilingSubmission.objects.exists()


def test_one_filing_may_be_sent_without_a_batch(client, integration, world):
    response = _post(client, integration, _row())
    assert response.status_code == 200 and response.json()["recorded"] == 1


def test_an_owner_sends_for_their_own_unit_only_and_waits_for_review(client, unit_owner):
    response = _post(client, unit_owner, {"filings": [_row()]})
    assert response.status_code == 200 and response.json()["items"][0]["result"] == "waiting_review"
    assert not MonthlyFiling.objects.filter(jyear=1405, jmonth=7).exists()
    response = _post(client, unit_owner, {"filings": [_row("230000000011")]})
    assert response.status_code == 400
    assert response.json()["details"]["errors"][0]["field"] == "business_id"


def test_officers_and_banks_may_not_send(client, officer_semnan, bank_melli):
    for user in (officer_semnan, bank_melli):
        assert _post(client, user, {"filings": [_row()]}).status_code == 404


def test_the_integration_account_has_no_pages(client, integration):
    client.force_login(integration)
    html = client.get("/home/").content.decode()
    assert "/overview/" not in html
    assert client.get("/overview/").status_code == 404
