"""Which case transitions are allowed; a refused one raises a DomainError people can read."""

from django.utils.translation import gettext_lazy as _

from revive.cases.models import CaseState
from revive.core.errors import ConflictError, lazy_message

S = CaseState

TRANSITIONS: dict[str, frozenset[str]] = {
    S.IDENTIFIED: frozenset({S.DIAGNOSED, S.REVIVED, S.CLOSED}),  # a unit may revive before diagnosis
    S.DIAGNOSED: frozenset({S.IN_PROGRESS, S.REVIVED, S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.REVIVED, S.CLOSED}),
    S.REVIVED: frozenset({S.SUSTAINED, S.RELAPSED}),
    S.SUSTAINED: frozenset({S.RELAPSED}),
    S.RELAPSED: frozenset(),
    S.CLOSED: frozenset(),
}


def allowed(current: str) -> frozenset[str]:
    return TRANSITIONS.get(current, frozenset())


def require(current: str, target: str) -> None:
    if target not in allowed(current):
        raise ConflictError(
            lazy_message(
                _("A case that is “%(current)s” cannot become “%(target)s”."),
                current=S(current).label,
                target=S(target).label if target in S.values else target,
            ),
            field="state",
            current=current,
            target=target,
        )
