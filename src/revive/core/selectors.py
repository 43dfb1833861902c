"""Reads of the core records, scoped: the audit trail and what its rows point at."""

from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import QuerySet

from revive.core import calendar
from revive.core.models import AuditEvent
from revive.core.scoping import Scope

_REVIVE_APPS = ("core", "accounts", "registry", "filings", "cases", "finance", "indicators", "planning")


def object_types() -> list[tuple[str, str]]:
    """Every model of Revive, as (label, its name in the page's language): what audit rows point at."""
    types = [
        (model._meta.label_lower, str(model._meta.verbose_name))
        for model in apps.get_models()
        if model._meta.app_label in _REVIVE_APPS
    ]
    return sorted(types, key=lambda t: t[1].casefold())


def _tehran_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=calendar.TEHRAN)


def audit_events(
    *,
    scope: Scope,
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    user: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """The rows the reader may see, filtered (one record's: its type and id); a Tehran day is the
    reporting day, `until` included."""
    qs = AuditEvent.objects.visible_to(scope).select_related("province")
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action=action.strip())
    if user:
        qs = qs.filter(actor_label__iexact=user.strip())
    if since:
        qs = qs.filter(at__gte=_tehran_midnight(since))
    if until:
        qs = qs.filter(at__lt=_tehran_midnight(until + timedelta(days=1)))
    return qs
