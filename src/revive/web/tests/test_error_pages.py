"""404, 500 and CSRF-failure pages in the user's language and the site's layout, with DEBUG off."""

import pytest
from django.test import Client
from django.urls import path

import config.urls

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom), *config.urls.urlpatterns]


def _english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def test_404_is_in_persian_and_in_the_site_layout(client, world):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'lang="fa" dir="rtl"' in body and "app.css" in body and 'class="top"' in body
    assert "صفحه پیدا نشد" in body and "Not Found" not in body


def test_404_in_english_for_a_signed_in_user(client, officer_tehran):
    client.force_login(officer_tehran)
    body = _english(client).get("/units/999999999999/").content.decode()
    assert "Page not found" in body and 'lang="en" dir="ltr"' in body and "/home/" in body


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("lang, text", [("fa", "مشکلی پیش آمد"), ("en", "Something went wrong")])
def test_500_is_in_the_users_language_and_needs_no_database(world, lang, text):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = lang
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert text in body and "app.css" in body and f'lang="{lang}"' in body
    assert "Server Error (500)" not in body


@pytest.mark.parametrize("lang, text", [("fa", "فرم فرستاده نشد"), ("en", "The form could not be sent")])
def test_csrf_failure_page_is_in_the_users_language_without_inline_style(officer_tehran, lang, text):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = lang
    response = client.post("/login/", {"username": "officer.tehran", "password": "x"})
    body = response.content.decode()
    assert response.status_code == 403
    assert text in body and "app.css" in body and f'lang="{lang}"' in body
    assert "<style" not in body and "style=" not in body
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp.split("style-src", 1)[-1].split(";", 1)[0]
