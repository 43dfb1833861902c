import pytest

from revive.indicators.tests.conftest import programme_1405  # noqa: F401

pytestmark = pytest.mark.django_db


def test_kpis_targets_is_scoped(client, programme_1405, officer_semnan):  # noqa: F811
    client.force_login(officer_semnan)
    body = client.get("/api/v1/kpis/targets").json()
    assert body["scope"] == "IR-20"
    row = next(r for r in body["indicators"] if r["code"] == "revived_units")
    assert (row["target"], row["actual"], row["progress"]) == (4.0, 1.0, 0.25)
    assert row["forecast_low"] <= row["forecast"] <= row["forecast_high"]
    assert client.get("/api/v1/kpis/targets", {"province": "IR-23"}).status_code == 404


def test_bad_year_is_a_clear_400(client, programme_1405, national_admin):  # noqa: F811
    client.force_login(national_admin)
    response = client.get("/api/v1/kpis/targets", {"year": "1300"})
    assert response.status_code == 400 and "year" in response.json()["message"]  # the schema's pattern
