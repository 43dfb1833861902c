"""accounts/roles.py: the role -> permission table and has_perm."""

import pytest
from django.contrib.auth.models import AnonymousUser

from revive.accounts.roles import PERMISSIONS, Perm, Role, has_perm

pytestmark = pytest.mark.django_db


def _perms() -> set[str]:
    return {v for k, v in vars(Perm).items() if not k.startswith("_")}


def test_every_role_has_a_row_and_every_permission_is_given_to_someone():
    assert set(PERMISSIONS) == set(Role.values)
    assert set().union(*PERMISSIONS.values()) == _perms()


def test_what_some_roles_may_and_may_not_do():
    assert PERMISSIONS[Role.NATIONAL_ANALYST] <= PERMISSIONS[Role.NATIONAL_ADMIN]
    assert Perm.MANAGE_LOANS not in PERMISSIONS[Role.NATIONAL_ANALYST]
    assert (
        Perm.DECIDE_LOANS in PERMISSIONS[Role.BANK_OFFICER]
        and Perm.MANAGE_LOANS not in PERMISSIONS[Role.BANK_OFFICER]
    )
    assert PERMISSIONS[Role.AGENCY_LIAISON] == {Perm.USE_API, Perm.ANSWER_RESOLUTIONS}
    assert PERMISSIONS[Role.INTEGRATION] == {Perm.USE_API, Perm.SEND_FILINGS, Perm.SEND_FILINGS_NATIONWIDE}
    assert Perm.SEND_FILINGS_NATIONWIDE not in PERMISSIONS[Role.UNIT_OWNER]


def test_has_perm_needs_an_active_signed_in_user(officer_semnan, unit_owner):
    assert has_perm(officer_semnan, Perm.MANAGE_CASES)
    assert not has_perm(unit_owner, Perm.MANAGE_CASES) and has_perm(unit_owner, Perm.FILE_MONTHLY)
    assert not has_perm(AnonymousUser(), Perm.VIEW_REGISTRY) and not has_perm(None, Perm.VIEW_REGISTRY)
    officer_semnan.is_active = False
    assert not has_perm(officer_semnan, Perm.MANAGE_CASES)
