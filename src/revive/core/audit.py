"""Record who changed what: called by every service inside its transaction."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from revive.core import rules
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
    user = rules.actor(actor)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if province_id is None:
            province_id = getattr(obj, "province_id", None)
    return AuditEvent.objects.create(
        actor=user,
        actor_label=rules.actor_label(actor),
        action=action,
        object_type=object_type or "",
        object_id=object_id or "",
        object_repr=str(obj)[:200] if obj is not None else "",
        province_id=province_id,
        before=before,
        after=after,
        note=note[:500],
    )


AUDIT_COLUMNS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "province_id",
    "before",
    "after",
    "note",
)


def _about(e: dict[str, Any]) -> tuple[str, str, str, int | None]:
    """What an event is about: its `obj` (as record() reads it), or the object_* keys given."""
    obj = e.get("obj")
    if obj is None:
        return (
            e.get("object_type", ""),
            str(e.get("object_id", "")),
            str(e.get("object_repr", "")),
            e.get("province_id"),
        )
    return obj._meta.label_lower, str(obj.pk), str(obj), getattr(obj, "province_id", None)


def record_many(*, actor: Any, events: Iterable[dict[str, Any]]) -> int:
    """One audit row per dict (action, obj or object_type/object_id/object_repr/province_id, before,
    after, note), all by one actor at one time, written as plain rows: for imports of many thousand
    records."""
    from revive.core.bulk import insert_rows

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must run inside the service's transaction")
    user = rules.actor(actor)
    label = rules.actor_label(actor)
    at, user_id = timezone.now(), getattr(user, "pk", None)
    rows = (
        (
            at,
            user_id,
            label,
            e["action"],
            object_type,
            object_id,
            object_repr[:200],
            province_id,
            e.get("before"),
            e.get("after"),
            str(e.get("note", ""))[:500],
        )
        for e in events
        for object_type, object_id, object_repr, province_id in [_about(e)]
    )
    return insert_rows(AuditEvent, AUDIT_COLUMNS, rows)
