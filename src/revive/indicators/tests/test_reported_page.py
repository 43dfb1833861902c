"""The reported figures page: an approval refused by the service is a message, never a server error."""

import pytest

from revive.indicators import services
from revive.indicators.models import ReportedValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def entered(programme_1405, officer_semnan):
    return services.reported_value_enter(
        indicator=programme_1405["land"], year=1405, month=7, value="12", province=officer_semnan.province,
        by=officer_semnan,
    )  # fmt: skip


def test_approving_twice_answers_the_refusal_not_500(login, analyst, entered):
    """A double click on "approve" (or a colleague's approval first): the second post was refused by the
    service with "already approved", and the page put that error on the entry form, which is not bound
    when approving: AttributeError (no cleaned_data), 500."""
    client = login(analyst)
    sent = {"action": "approve", "pk": str(entered.pk), "version": str(entered.version)}
    assert client.post("/dashboard/reported/?year=1405", sent).status_code == 302
    response = client.post("/dashboard/reported/?year=1405", sent)
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]][-1] == "این آمار پیش\u200cتر تأیید شده است."
    entered.refresh_from_db()
    assert entered.status == ReportedValue.Status.APPROVED


@pytest.mark.parametrize("version", ["", "7", "abc"])
def test_approving_with_a_stale_or_missing_version_answers_400(login, analyst, entered, version):
    response = login(analyst).post(
        "/dashboard/reported/?year=1405", {"action": "approve", "pk": str(entered.pk), "version": version}
    )
    assert response.status_code == 400
    entered.refresh_from_db()
    assert entered.status == ReportedValue.Status.ENTERED


@pytest.mark.parametrize("value", ["9" * 25, "1e30", "۱۰۰۰۰۰۰۰۰۰۰۰۰۰۰۰۰"])
def test_a_figure_past_its_column_is_refused_beside_the_field(login, officer_semnan, programme_1405, value):
    """Targets and reported values are numeric(18, 2): a 25-digit figure, or 1e30, went through parse_value
    and failed in quantize or in the database (decimal.InvalidOperation, 500; found on the targets page)."""
    response = login(officer_semnan).post(
        "/dashboard/reported/?year=1405",
        {
            "action": "enter",
            "indicator": "land_allocated",
            "month": "1405/07",
            "value": value,
            "version": "0",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["value"] == ["عددی از ۰ تا ۹٬۹۹۹٬۹۹۹٬۹۹۹٬۹۹۹٬۹۹۹ وارد کنید."]
    assert not ReportedValue.objects.exists()


def test_a_target_past_its_column_is_refused(programme_1405, national_admin):
    from revive.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        services.targets_set(indicator=programme_1405["jobs"], national="9" * 25, by=national_admin)
    assert refused.value.details["field"] == "national"
    assert services.parse_value("9,999,999,999,999,999") == services.MAX_VALUE
