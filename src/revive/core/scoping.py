"""Who sees what: a user becomes a Scope, and every selector starts from `visible_to(scope)`.

Fails closed: an unknown role, or a role missing the record it is tied to, sees nothing.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import models
from django.http import Http404

from revive.core.roles import Role


class ScopeKind(StrEnum):
    NATION = "nation"
    PROVINCE = "province"
    PARK = "park"
    UNIT = "unit"
    BANK = "bank"
    AGENCY = "agency"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    province_id: int | None = None
    park_id: int | None = None
    unit_id: int | None = None
    organisation_id: int | None = None

    @property
    def is_nation(self) -> bool:
        return self.kind == ScopeKind.NATION

    @property
    def sees_registry(self) -> bool:
        return self.kind in {ScopeKind.NATION, ScopeKind.PROVINCE, ScopeKind.PARK, ScopeKind.UNIT}

    def sees(self, obj: Any) -> bool:
        """Whether `obj` is among what `visible_to(self)` holds of its model: a page links to a record only
        when the record's own page will open for this reader, not answer 404 (a unit owner's crumbs to a
        province and a park, a park manager's link to the meeting that issued a resolution)."""
        if self.kind == ScopeKind.NATION:
            return True
        field = getattr(type(obj), "SCOPE", {}).get(self.kind.value)
        if field is None or self.kind == ScopeKind.NOTHING:
            return False
        own = {
            ScopeKind.PROVINCE: self.province_id,
            ScopeKind.PARK: self.park_id,
            ScopeKind.UNIT: self.unit_id,
            ScopeKind.BANK: self.organisation_id,
        }
        if "__" not in field and self.kind in own:  # the record's own column: no query
            return getattr(obj, field) == own[self.kind]
        return type(obj)._default_manager.visible_to(self).filter(pk=obj.pk).exists()

    def require_province(self, province_id: int) -> None:
        """A filter on a province outside the scope answers 404, like a missing record."""
        if self.kind == ScopeKind.NATION:
            return
        if self.kind == ScopeKind.PROVINCE and self.province_id == province_id:
            return
        raise Http404


NOTHING = Scope(ScopeKind.NOTHING)
NATION = Scope(ScopeKind.NATION)


def scope_for(user: Any) -> Scope:
    """The one place that turns a user into what they may see."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    role = getattr(user, "role", "")
    if role in (Role.NATIONAL_ADMIN, Role.NATIONAL_ANALYST):
        return NATION
    if role == Role.PROVINCIAL_OFFICER and user.province_id:
        return Scope(ScopeKind.PROVINCE, province_id=user.province_id)
    if role == Role.PARK_MANAGER and user.park_id:
        return Scope(ScopeKind.PARK, province_id=user.park.province_id, park_id=user.park_id)
    if role == Role.UNIT_OWNER and user.unit_id:
        return Scope(
            ScopeKind.UNIT, province_id=user.unit.province_id, park_id=user.unit.park_id, unit_id=user.unit_id
        )
    if role == Role.BANK_OFFICER and user.organisation_id:
        return Scope(ScopeKind.BANK, organisation_id=user.organisation_id)
    if role == Role.AGENCY_LIAISON and user.organisation_id and user.province_id:
        return Scope(ScopeKind.AGENCY, province_id=user.province_id, organisation_id=user.organisation_id)
    return NOTHING


class ScopedQuerySet(models.QuerySet):
    """Models declare SCOPE = {"province": field, "park": field, "unit": field, "bank": field, ...}."""

    def visible_to(self, scope: Scope) -> "ScopedQuerySet":
        fields: dict[str, str] = getattr(self.model, "SCOPE", {})
        if scope.kind == ScopeKind.NATION:
            return self.all()
        if scope.kind == ScopeKind.PROVINCE and "province" in fields:
            return self.filter(**{fields["province"]: scope.province_id})
        if scope.kind == ScopeKind.PARK and "park" in fields:
            return self.filter(**{fields["park"]: scope.park_id})
        if scope.kind == ScopeKind.UNIT and "unit" in fields:
            return self.filter(**{fields["unit"]: scope.unit_id})
        if scope.kind == ScopeKind.BANK and "bank" in fields:
            return self.filter(**{fields["bank"]: scope.organisation_id})
        if scope.kind == ScopeKind.AGENCY and "agency" in fields:
            return self.filter(
                **{fields["agency"]: scope.organisation_id, fields["province"]: scope.province_id}
            )
        return self.none()
