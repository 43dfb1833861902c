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
