"""While the database is away, pages answer a friendly 503 in the user's language and the API 503 JSON."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from revive.web.middleware_db import DatabaseUnavailableMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as if PostgreSQL were restarting (the session, the user, the token, the page)."""
    from django.db import connections

    def fail(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    def go_down():
        monkeypatch.setattr(connections["default"], "cursor", fail)

    return go_down


def test_a_page_answers_503_in_persian_by_default(login, national_admin, database_down):
    client = login(national_admin)
    database_down()
    response = client.get("/overview/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert 'lang="fa"' in body and 'dir="rtl"' in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_a_page_answers_503_in_english_for_english_readers(login, national_admin, database_down):
    client = login(national_admin)
    client.cookies["django_language"] = "en"
    database_down()
    response = client.get("/overview/")
    assert response.status_code == 503
    assert "Revive is unavailable for a moment" in response.content.decode()


def test_the_api_answers_503_with_a_message(client, national_admin, database_down):
    from revive.accounts.services import token_create

    token = token_create(user=national_admin)
    database_down()
    response = client.get(
        "/api/v1/provinces", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 503
    assert response.json()["message"].startswith("The database is unavailable")


def test_other_errors_are_left_alone():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().get("/overview/")
    assert middleware.process_exception(request, ValueError("a bug")) is None
    assert middleware.process_exception(request, InterfaceError("closed")).status_code == 503


def test_the_app_answers_normally_once_the_database_is_back(
    login, national_admin, database_down, monkeypatch
):
    client = login(national_admin)
    database_down()
    assert client.get("/overview/").status_code == 503
    monkeypatch.undo()
    assert client.get("/overview/").status_code == 200
