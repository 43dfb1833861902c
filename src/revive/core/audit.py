"""Record who changed what: called by every service inside its transaction."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from revive.core.models import AuditEvent


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-able copy of a model's concrete fields, for the before/after columns."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = getattr(obj, field.attname)
        if isinstance(value, date | datetime):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        data[field.attname] = value
    return data


def record(
    *,
    actor: Any,
    obj: models.Model | None,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    object_type: str | None = None,
    object_id: str | None = None,
    province_id: int | None = None,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the service's transaction")
    user = actor if getattr(actor, "is_authenticated", False) else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if province_id is None:
            province_id = getattr(obj, "province_id", None)
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.get_username() if user else (str(actor) if actor else "system"),
        action=action,
        object_type=object_type or "",
        object_id=object_id or "",
        object_repr=str(obj)[:200] if obj is not None else "",
        province_id=province_id,
        before=before,
        after=after,
        note=note[:500],
    )
