from datetime import date

import pytest

from revive.accounts.services import token_create
from revive.cases import services
from revive.cases.models import Case, CaseState
from revive.registry.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client):
    def _call(user, method, path, **kw):
        token = token_create(user=user)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if method == "get":
            return client.get(f"/api/v1{path}", kw, **headers)
        return client.post(f"/api/v1{path}", kw, content_type="application/json", **headers)

    return _call


@pytest.fixture
def resolution(world, officer_semnan):
    case = Case.objects.get(unit=world["units"]["200000000022"], state=CaseState.IDENTIFIED)
    meeting = services.meeting_create(
        province=case.province, number=1, held_on=date(2026, 9, 1), by=officer_semnan
    )
    return services.resolution_issue(
        meeting=meeting,
        organisation=Organisation.objects.get(code="gas-20"),
        text="gas",
        deadline=date(2026, 10, 1),
        case=case,
        by=officer_semnan,
    )


def test_cases_list_is_scoped_and_items_carry_id(call, officer_semnan, officer_tehran, world):
    data = call(officer_semnan, "get", "/cases", province="IR-20").json()
    assert data["count"] >= 1 and all("id" in c for c in data["items"])
    assert {c["province"] for c in data["items"]} == {"IR-20"}
    assert call(officer_tehran, "get", "/cases", province="IR-20").status_code == 404
    some = data["items"][0]["id"]
    assert call(officer_tehran, "get", f"/cases/{some}").status_code == 404


def test_transition_not_allowed_is_409(call, officer_semnan, world):
    case = Case.objects.get(unit=world["units"]["200000000022"], state=CaseState.IDENTIFIED)
    response = call(officer_semnan, "post", f"/cases/{case.pk}/transitions", to="sustained", version=case.version)
    assert response.status_code == 409 and response.json()["message"]


def test_liaison_answers_resolution_and_kpi_counts_it(
    call, gas_semnan, gas_tehran, national_admin, resolution
):
    assert call(gas_tehran, "get", f"/resolutions/{resolution.pk}").status_code == 404
    assert (
        call(gas_tehran, "post", f"/resolutions/{resolution.pk}/answer", status="done", version=0).status_code
        == 404
    )
    ok = call(
        gas_semnan, "post", f"/resolutions/{resolution.pk}/answer", status="done", version=resolution.version
    )
    assert ok.status_code == 200 and ok.json()["status"] == "done"
    again = call(
        gas_semnan, "post", f"/resolutions/{resolution.pk}/answer", status="done", version=resolution.version
    )
    assert again.status_code == 409
    kpi = call(national_admin, "get", "/kpis/resolutions", year=1405).json()
    assert (kpi["total"], kpi["done"], kpi["execution_rate"]) == (1, 1, 1.0)
    assert kpi["by_organisation"][0]["organisation"] == "gas-20"


def test_kpi_resolutions_of_another_province_is_404(call, officer_tehran, resolution):
    assert call(officer_tehran, "get", "/kpis/resolutions", province="IR-20").status_code == 404
    assert call(officer_tehran, "get", "/kpis/resolutions").json()["total"] == 0
