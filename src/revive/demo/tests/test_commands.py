from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import override_settings

from revive.accounts.roles import Role

TODAY = date(2026, 11, 24)
PASSWORD = "demo-test-password"


@pytest.fixture
def registry(db):
    from revive.demo.registry import generate

    generate(seed=1, scale=0.05, today=TODAY)


@override_settings(DEMO_PASSWORD=PASSWORD)
def test_demo_users_share_one_password_hash_and_each_signs_in_with_it(registry):
    from django.contrib.auth import get_user_model

    call_command("demo", stdout=StringIO())
    users = get_user_model().objects.exclude(role=Role.INTEGRATION)
    assert users.count() >= 10
    assert len(set(users.values_list("password", flat=True))) == 1  # hashed once
    for username in ("analyst", "officer.semnan"):
        assert authenticate(username=username, password=PASSWORD).username == username
        assert authenticate(username=username, password=PASSWORD + "x") is None
    integration = get_user_model().objects.get(role=Role.INTEGRATION)
    assert not integration.has_usable_password()


@override_settings(DEMO_PASSWORD=PASSWORD)
def test_demo_notices_tells_what_it_seeds_and_a_second_run_adds_nothing(db, monkeypatch):
    from revive.cases.models import Resolution
    from revive.core import calendar
    from revive.notices.models import Kind, Notice

    monkeypatch.setattr(calendar, "tehran_today", lambda: TODAY)
    call_command("demo_data", seed=1, scale=0.05, today=TODAY, stdout=StringIO())
    call_command("demo", stdout=StringIO())
    call_command("demo_notices", stdout=StringIO())
    seeded = Resolution.objects.filter(text__startswith="[demo]")
    assert seeded.exists()
    for resolution in seeded:  # told by the pass after the seed
        assert Notice.objects.filter(
            kind=Kind.RESOLUTION_DUE, recipient__organisation=resolution.organisation
        ).exists(), resolution.organisation.code
    made = Notice.objects.count()
    call_command("demo_notices", stdout=StringIO())
    assert Notice.objects.count() == made
    assert Resolution.objects.filter(text__startswith="[demo]").count() == seeded.count()
