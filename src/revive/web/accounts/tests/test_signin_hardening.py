"""The sign-in lock counts usernames as Django normalises them, and /admin/login/ is throttled the same way."""

import pytest
from django.core.cache import cache

from revive.accounts import throttle

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # conftest's personas
FULL_WIDTH_N = "\uff4e"  # ｎ, which NFKC turns into n


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _lock(client, url, username):
    for _ in range(throttle.MAX_FAILURES):
        response = client.post(url, {"username": username, "password": "wrong-password"})
    assert response.status_code == 429


def test_a_look_alike_username_does_not_escape_the_lock(client, officer_tehran):
    _lock(client, "/login/", "officer.tehran")
    look_alike = "officer.tehra" + FULL_WIDTH_N
    response = client.post("/login/", {"username": look_alike, "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_failures_under_look_alikes_count_against_the_same_username(client, officer_tehran):
    for name in ("officer.tehra" + FULL_WIDTH_N, " officer.tehran", "\uff4ffficer.tehran", "Officer.Tehran"):
        client.post("/login/", {"username": name, "password": "wrong-password"})
    client.post("/login/", {"username": "officer.tehran", "password": "wrong-password"})
    response = client.post("/login/", {"username": "officer.tehran", "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_the_admin_sign_in_is_throttled(client, national_admin):
    _lock(client, "/admin/login/", "admin")
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_the_admin_sign_in_honours_the_apps_lock_and_the_app_the_admins(client, national_admin):
    _lock(client, "/login/", "admin")
    response = client.post("/admin/login/", {"username": "admi" + FULL_WIDTH_N, "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    cache.clear()
    _lock(client, "/admin/login/", "admin")
    assert client.post("/login/", {"username": "admin", "password": PASSWORD}).status_code == 429


def test_the_admin_sign_in_still_signs_staff_in(client, national_admin):
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/").status_code == 302  # already in


def test_the_admin_sign_in_refuses_who_is_not_staff(client, officer_tehran):
    response = client.post("/admin/login/", {"username": "officer.tehran", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
