"""Finding cases for a workgroup meeting's agenda among a province's thousands, and the next meeting number."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from revive.cases.models import Case, CaseState, Meeting, Obstacle, ObstacleKind
from revive.cases.selectors import agenda_candidates
from revive.core import calendar
from revive.core.errors import DomainError
from revive.core.scoping import Scope
from revive.core.text import parse_int, search_key, to_ascii_digits
from revive.registry.models import Province

AGENDA_STATES = (CaseState.IDENTIFIED, CaseState.DIAGNOSED, CaseState.IN_PROGRESS)


@dataclass(frozen=True)
class AgendaFilters:
    q: str = ""  # unit name (any spelling of yeh/kaf, ZWNJ) or the start of its business ID, any digits
    park: str = ""  # park code, ASCII or Persian digits
    stage: str = ""  # identified, diagnosed, in_progress
    obstacle: str = ""  # an open obstacle of this kind
    min_days: str = ""  # waiting at least this many days since the case was opened
    order: str = "oldest"  # oldest or newest first


def agenda_search(
    *, scope: Scope, province: Province, filters: AgendaFilters, today: date | None = None
) -> QuerySet[Case]:
    """Cases waiting for a decision in the province, filtered; a bad filter value raises DomainError naming it."""
    qs = agenda_candidates(scope=scope, province=province).select_related("unit", "park")
    if filters.q.strip():
        key = search_key(filters.q)
        digits = to_ascii_digits(filters.q).strip()
        if digits.isdigit():
            qs = qs.filter(Q(unit__business_id__startswith=digits) | Q(unit__name_key__contains=key))
        else:
            qs = qs.filter(unit__name_key__contains=key)
    if filters.park.strip():
        qs = qs.filter(park__code=to_ascii_digits(filters.park).strip().upper())
    if filters.stage:
        if filters.stage not in AGENDA_STATES:
            raise DomainError(_bad("stage"), field="stage")
        qs = qs.filter(state=filters.stage)
    if filters.obstacle:
        if filters.obstacle not in ObstacleKind.values:
            raise DomainError(_bad("obstacle"), field="obstacle")
        open_of_kind = Obstacle.objects.filter(
            case=OuterRef("pk"), kind=filters.obstacle, status=Obstacle.Status.OPEN
        )
        qs = qs.filter(Exists(open_of_kind))
    if filters.min_days.strip():
        try:
            days = parse_int(filters.min_days)
        except DomainError:
            raise DomainError(_bad("min_days"), field="min_days") from None
        if not 0 <= days <= 36_500:
            raise DomainError(_bad("min_days"), field="min_days")
        today = today or calendar.tehran_today()
        qs = qs.filter(opened_on__lte=today - timedelta(days=days))
    if filters.order not in ("oldest", "newest"):
        raise DomainError(_bad("order"), field="order")
    if filters.order == "newest":
        return qs.order_by("-opened_on", "-id")
    return qs.order_by("opened_on", "id")


def next_meeting_number(*, province: Province) -> int:
    """One more than the province's highest meeting number (numbers are unique per province)."""
    highest = Meeting.objects.filter(province=province).aggregate(m=Max("number"))["m"]
    return (highest or 0) + 1


def _bad(field: str):
    from django.utils.translation import gettext_lazy as _

    labels = {
        "stage": _("That stage is not one a case waits for a decision in."),
        "obstacle": _("There is no such obstacle."),
        "min_days": _("Days waiting must be a whole number of days, for example 30."),
        "order": _("Sort oldest or newest first."),
    }
    return labels[field]
