"""accounts/services.py: API tokens (shown once, only their hash kept), users made or updated, the first
national administrator; each write audited."""

import pytest

from revive.accounts import services
from revive.accounts.models import ApiToken, User
from revive.accounts.roles import Role
from revive.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_and_only_its_hash_is_kept(officer_semnan, national_admin):
    key = services.token_create(user=officer_semnan, by=national_admin)
    token = ApiToken.objects.get(user=officer_semnan)
    assert key.startswith("rv_") and len(key) > 40
    assert token.key_hash == ApiToken.hash(key) and key not in token.key_hash
    assert token.prefix == key[3:9] and not token.revoked
    event = AuditEvent.objects.get(action="token_create")
    assert (
        event.note == f"token for {officer_semnan.username}" and event.actor_label == national_admin.username
    )
    assert services.token_create(user=officer_semnan) != key  # a new token each time


def test_user_upsert_creates_then_updates_and_none_means_no_password(world):
    semnan = world["provinces"]["IR-20"]
    user = services.user_upsert(
        username="clerk",
        password="correct-horse-battery",
        role=Role.PROVINCIAL_OFFICER,
        province=semnan,
        by="test",
    )
    assert user.check_password("correct-horse-battery") and user.province == semnan
    again = services.user_upsert(username="clerk", password=None, role=Role.NATIONAL_ANALYST, province=None)
    assert again.pk == user.pk and again.role == Role.NATIONAL_ANALYST and again.province is None
    assert not again.has_usable_password()  # an API-only account
    actions = list(
        AuditEvent.objects.filter(action__startswith="user_", object_id=str(user.pk))
        .order_by("id")
        .values_list("action", "after")
    )
    assert actions == [
        ("user_create", {"role": Role.PROVINCIAL_OFFICER}),
        ("user_update", {"role": Role.NATIONAL_ANALYST}),
    ]


def test_the_first_national_administrator(world):
    with pytest.raises(ValueError, match="needs a password"):
        services.national_admin_make(username="boss", password=None)
    boss = services.national_admin_make(
        username="boss", password="correct-horse-battery", email="b@example.org"
    )
    assert (boss.role, boss.is_staff, boss.is_superuser, boss.is_active) == (
        Role.NATIONAL_ADMIN,
        True,
        True,
        True,
    )
    assert boss.email == "b@example.org" and boss.check_password("correct-horse-battery")
    created = AuditEvent.objects.get(action="user_create", object_id=str(boss.pk))
    assert created.after == {"role": Role.NATIONAL_ADMIN, "is_superuser": True}


def test_an_existing_account_becomes_the_administrator_and_keeps_its_password(world):
    semnan = world["provinces"]["IR-20"]
    user = User.objects.create_user(
        username="old", password="correct-horse-battery", role=Role.PROVINCIAL_OFFICER, province=semnan
    )
    made = services.national_admin_make(username="old", password=None)
    assert made.pk == user.pk and made.role == Role.NATIONAL_ADMIN and made.province is None
    assert made.check_password("correct-horse-battery")
    event = AuditEvent.objects.get(action="user_update", object_id=str(user.pk))
    assert event.before == {"role": Role.PROVINCIAL_OFFICER, "is_superuser": False}
