"""Sign-in throttling, password change, CSRF on account forms, security headers and production settings."""

import json
import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import Client

from revive.accounts import throttle
from revive.core.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # conftest's personas


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _sign_in(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_username_even_for_the_right_one(client, officer_tehran):
    for _ in range(throttle.MAX_FAILURES - 1):
        assert _sign_in(client, "officer.tehran", "wrong-password").status_code == 200
    locked = _sign_in(client, "officer.tehran", "wrong-password")
    assert locked.status_code == 429
    assert "تلاش‌های ناموفق ورود" in locked.content.decode()  # Persian by default
    assert _sign_in(client, "officer.tehran", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_locked", object_id=str(officer_tehran.pk)).exists()


def test_the_lock_is_in_english_for_english_readers(client, officer_tehran):
    client.cookies["django_language"] = "en"
    for _ in range(throttle.MAX_FAILURES):
        response = _sign_in(client, "officer.tehran", "wrong-password")
    assert "Too many failed sign-in attempts for this username" in response.content.decode()


def test_the_lock_ends_after_fifteen_minutes(client, officer_tehran, monkeypatch):
    import time

    from django.core.cache.backends import locmem

    for _ in range(throttle.MAX_FAILURES):
        _sign_in(client, "officer.tehran", "wrong-password")
    assert _sign_in(client, "officer.tehran", PASSWORD).status_code == 429
    later = time.time() + throttle.LOCK_SECONDS + 1
    monkeypatch.setattr(locmem.time, "time", lambda: later)
    response = _sign_in(client, "officer.tehran", PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(officer_tehran.pk)


def test_a_successful_sign_in_resets_the_count(client, officer_tehran):
    for _ in range(throttle.MAX_FAILURES - 1):
        _sign_in(client, "officer.tehran", "wrong-password")
    assert _sign_in(client, "officer.tehran", PASSWORD).status_code == 302
    client.logout()
    for _ in range(throttle.MAX_FAILURES - 1):
        assert _sign_in(client, "officer.tehran", "wrong-password").status_code == 200


def test_the_lock_is_per_username_and_address(client, officer_tehran, officer_semnan):
    for _ in range(throttle.MAX_FAILURES):
        _sign_in(client, "officer.tehran", "wrong-password")
    assert _sign_in(client, "officer.semnan", PASSWORD).status_code == 302
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert _sign_in(other_address, "officer.tehran", PASSWORD).status_code == 302


def test_password_change_is_audited_and_keeps_the_user_signed_in(client, officer_tehran):
    client.force_login(officer_tehran)
    assert client.get("/account/password/").status_code == 200
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    officer_tehran.refresh_from_db()
    assert officer_tehran.check_password("a-new-long-passphrase")
    assert officer_tehran.password.startswith("argon2")
    event = AuditEvent.objects.get(action="password_change")
    assert event.actor == officer_tehran and event.object_id == str(officer_tehran.pk)
    assert "a-new-long-passphrase" not in json.dumps([event.before, event.after, event.note])
    assert client.get("/account/password/").status_code == 200  # still signed in


def test_a_wrong_old_password_is_shown_next_to_the_field(client, officer_tehran):
    client.cookies["django_language"] = "en"
    client.force_login(officer_tehran)
    response = client.post(
        "/account/password/",
        {
            "old_password": "nope",
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in body and 'href="#id_old_password"' in body
    assert not AuditEvent.objects.filter(action="password_change").exists()


def test_anonymous_visitors_cannot_change_a_password(client, world):
    response = client.get("/account/password/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_sign_in_and_password_change_refuse_a_post_without_csrf_token(officer_tehran):
    client = Client(enforce_csrf_checks=True)
    assert _sign_in(client, "officer.tehran", PASSWORD).status_code == 403
    client.force_login(officer_tehran)
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 403
    officer_tehran.refresh_from_db()
    assert officer_tehran.check_password(PASSWORD)


def test_sign_in_page_carries_the_security_headers(client, world):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def _settings_outside_debug(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVIVE_")}
    env.update(
        {"REVIVE_DEBUG": "0", "REVIVE_SECRET_KEY": "a-real-secret-for-this-test-only-0123456789", **extra}
    )
    code = (
        "import json, config.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        "['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_HTTPONLY', "
        "'DEBUG', 'SECRET_KEY']}))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_outside_debug_cookies_are_secure_and_hsts_is_on():
    values = _settings_outside_debug()
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECRET_KEY"] == "a-real-secret-for-this-test-only-0123456789"
