"""Roles and the role -> permission table, in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    NATIONAL_ANALYST = "national_analyst", _("National analyst")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    BANK_OFFICER = "bank_officer", _("Bank officer")
    AGENCY_LIAISON = "agency_liaison", _("Agency liaison")
    PARK_MANAGER = "park_manager", _("Park manager")
    UNIT_OWNER = "unit_owner", _("Unit owner")


class Perm:
    VIEW_REGISTRY = "registry.view"
    EDIT_REGISTRY = "registry.edit"
    RECORD_STATUS = "registry.record_status"
    FILE_MONTHLY = "registry.file_monthly"
    SET_TARGETS = "indicators.set_targets"
    VIEW_AUDIT = "core.view_audit"
    USE_API = "api.use"


PERMISSIONS: dict[str, frozenset[str]] = {
    Role.NATIONAL_ADMIN: frozenset(
        {
            Perm.VIEW_REGISTRY,
            Perm.EDIT_REGISTRY,
            Perm.RECORD_STATUS,
            Perm.SET_TARGETS,
            Perm.VIEW_AUDIT,
            Perm.USE_API,
        }
    ),
    Role.NATIONAL_ANALYST: frozenset({Perm.VIEW_REGISTRY, Perm.SET_TARGETS, Perm.VIEW_AUDIT, Perm.USE_API}),
    Role.PROVINCIAL_OFFICER: frozenset(
        {Perm.VIEW_REGISTRY, Perm.EDIT_REGISTRY, Perm.RECORD_STATUS, Perm.VIEW_AUDIT, Perm.USE_API}
    ),
    Role.BANK_OFFICER: frozenset({Perm.USE_API}),
    Role.AGENCY_LIAISON: frozenset({Perm.USE_API}),
    Role.PARK_MANAGER: frozenset({Perm.VIEW_REGISTRY, Perm.USE_API}),
    Role.UNIT_OWNER: frozenset({Perm.VIEW_REGISTRY, Perm.FILE_MONTHLY, Perm.USE_API}),
}


def has_perm(user, perm: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return perm in PERMISSIONS.get(getattr(user, "role", ""), frozenset())
