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
    assert response.status_code == 404  # another unit: as if it did not exist
    assert response.json()["details"]["errors"][0]["field"] == "business_id"


def test_officers_and_banks_may_not_send(client, officer_semnan, bank_melli):
    for user in (officer_semnan, bank_melli):
        assert _post(client, user, {"filings": [_row()]}).status_code == 404


def test_the_integration_account_has_no_pages(client, integration):
    client.force_login(integration)
    html = client.get("/home/").content.decode()
    assert "/overview/" not in html
    assert client.get("/overview/").status_code == 404


@pytest.mark.parametrize(
    "change,field",
    [
        ({"employees": 9_999_999_999}, "employees"),  # was accepted: overflows PostgreSQL's integer
        ({"production_value": 10**25}, "production_value"),
        ({"employees": "30"}, "employees"),  # text is not the schema's integer
        ({"capacity_utilisation": 0.45}, "capacity_utilisation"),
        ({"business_id": "2000-0000-0011"}, "business_id"),
        ({"business_id": 200000000011}, "business_id"),
        ({"month": "1405-7"}, "month"),
        ({"month": "1389/12"}, "month"),  # before the first year with data
        ({"employes": 3}, "employes"),  # a misspelt field is named, not ignored
    ],
)
def test_a_row_not_of_the_schemas_shape_is_a_400_naming_the_field(client, integration, world, change, field):
    response = _post(client, integration, {"filings": [{**_row(), **change}]})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["details"]["errors"]] == [field]
    assert not FilingSubmission.objects.exists()


def test_a_row_of_the_right_shape_is_refused_only_for_what_a_schema_cannot_know(client, integration, world):
    unknown = _post(client, integration, {"filings": [_row("999999999999")]})
    assert unknown.status_code == 404 and unknown.json()["details"]["errors"][0]["field"] == "business_id"
    twice = _post(client, integration, {"filings": [_row(), _row(business_id="۲۰۰۰۰۰۰۰۰۰۱۱")]})
    assert twice.status_code == 409 and twice.json()["details"]["errors"][0]["index"] == 1
    ProductionUnit.objects.filter(business_id="200000000011").update(current_band=Band.CLOSED)
    assert _post(client, integration, _row()).status_code == 409
    assert not FilingSubmission.objects.exists()


def test_the_schemas_month_pattern_is_exactly_the_months_the_service_accepts():
    import re
    from datetime import date

    from revive.core.digits import to_persian_digits
    from revive.core.errors import DomainError
    from revive.filings import versions

    today = date(2026, 12, 5)  # 1405/09/14
    pattern = re.compile(versions.month_pattern(today))
    for year in (1300, 1389, 1390, 1391, 1404, 1405, 1406):
        for month in range(14):
            for text in (f"{year}/{month:02d}", to_persian_digits(f"{year}/{month:02d}")):
                try:
                    versions._month(text, today)
                    accepted = True
                except DomainError:
                    accepted = False
                assert bool(pattern.fullmatch(text)) == accepted, text
                assert accepted == (1390 <= year and 1 <= month <= 12 and (year, month) <= (1405, 9))


def test_json_nested_thousands_deep_is_refused_as_not_json(client, integration):
    """The filings endpoint reads its body itself (a row or a batch): json.loads raised RecursionError on
    arrays nested 100,000 deep, which was not caught: 500."""
    response = _post(client, integration, "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert response.json() == {"message": "بدنهٔ درخواست JSON معتبر نیست.", "details": {}}


def test_the_counts_in_the_answer_are_in_the_messages_digits(client, integration, world):
    """The message was formatted with plain %: "2 ثبت شد، 0 در انتظار بررسی" (ASCII digits in Persian text,
    unlike every refusal of the same endpoint); now through lazy_message, as the other messages."""
    body = {"filings": [_row(), _row("230000000022", capacity=0, value=0, employees=0)]}
    assert _post(client, integration, body).json()["message"] == "۲ ثبت شد، ۰ در انتظار بررسی، ۰ بدون تغییر."
