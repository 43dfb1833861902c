import pytest

from revive.accounts.services import token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def _api(user):
        token = token_create(user=user)
        return lambda path, **params: client.get(
            f"/api/v1{path}", params, HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    return _api


def test_anonymous_gets_401(client, world):
    response = client.get("/api/v1/units")
    assert response.status_code == 401
    assert "message" in response.json()


def test_openapi_schema_is_published(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/kpis/revivals" in schema["paths"]


def test_revivals_kpi_matches_the_page(api, national_admin, login):
    get = api(national_admin)
    data = get("/kpis/revivals", year=1405).json()
    assert data["year"] == 1405 and data["since"] == "2026-03-21" and data["since_jalali"] == "1405/01/01"
    assert data["revived_units"] == 2 and data["jobs_restored"] == 65
    assert {p["province"] for p in data["by_province"]} == {"IR-23", "IR-20"}
    assert sum(data["by_month"]) == 2


def test_unit_list_carries_business_id_and_filters(api, national_admin):
    data = api(national_admin)("/units", province="IR-20").json()
    assert data["count"] == 2
    assert {u["business_id"] for u in data["items"]} == {"200000000011", "200000000022"}


def test_officer_of_another_province_gets_404(api, officer_semnan):
    get = api(officer_semnan)
    assert get("/units/230000000011").status_code == 404
    assert get("/provinces/IR-23").status_code == 404
    assert get("/kpis/revivals", province="IR-23").status_code == 404
    assert get("/parks/P-23-001").status_code == 404
    assert get("/units", province="IR-23").status_code == 404
    assert get("/kpis/revivals").json()["revived_units"] == 1


def test_unknown_province_code_is_404_with_message(api, national_admin):
    response = api(national_admin)("/kpis/revivals", province="IR-99")
    assert response.status_code == 404 and response.json()["message"]


def test_word_in_numeric_parameter_is_400(api, national_admin):
    response = api(national_admin)("/kpis/revivals", year="last")
    assert response.status_code == 400 and "year" in response.json()["message"]


def test_bad_page_size_is_400(api, national_admin):
    assert api(national_admin)("/units", page_size=100000).status_code == 400


def test_bank_officer_sees_no_units(api, bank_melli):
    get = api(bank_melli)
    assert get("/units").json()["count"] == 0
    assert get("/units/200000000011").status_code == 404


def test_revoked_token_is_refused(client, national_admin):
    from revive.accounts.models import ApiToken

    token = token_create(user=national_admin)
    ApiToken.objects.update(revoked=True)
    assert client.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
