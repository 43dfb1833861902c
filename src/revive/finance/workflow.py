"""Which loan-request transitions are allowed, and who makes them; a refused one raises a readable error."""

from django.utils.translation import gettext_lazy as _

from revive.accounts.roles import Perm, has_perm
from revive.core import rules
from revive.core.errors import ConflictError, PermissionRefused, lazy_message
from revive.finance.models import LoanState

S = LoanState

TRANSITIONS: dict[str, frozenset[str]] = {
    S.REGISTERED: frozenset({S.REVIEW, S.WITHDRAWN}),
    S.REVIEW: frozenset({S.APPROVED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.INTRODUCED, S.WITHDRAWN}),
    S.INTRODUCED: frozenset({S.PAID, S.PARTLY_PAID, S.REJECTED, S.WITHDRAWN}),
    S.PAID: frozenset({S.CLOSED}),
    S.PARTLY_PAID: frozenset({S.CLOSED}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.CLOSED: frozenset(),
}

# The programme's officers move a request up to its introduction; the bank it is addressed to decides.
PERMISSION = {
    S.REVIEW: Perm.MANAGE_LOANS,
    S.APPROVED: Perm.MANAGE_LOANS,
    S.INTRODUCED: Perm.MANAGE_LOANS,
    S.WITHDRAWN: Perm.MANAGE_LOANS,
    S.PAID: Perm.DECIDE_LOANS,
    S.PARTLY_PAID: Perm.DECIDE_LOANS,
    S.REJECTED: Perm.DECIDE_LOANS,
    S.CLOSED: Perm.DECIDE_LOANS,
}


def allowed(current: str) -> frozenset[str]:
    return TRANSITIONS.get(current, frozenset())


def allowed_for(current: str, perms: set[str] | frozenset[str]) -> list[str]:
    """The next states this user may choose, in the order of the lifecycle."""
    return [s for s in S.values if s in allowed(current) and PERMISSION.get(s) in perms]


def require_role(by, target: str) -> None:
    """Refuse a change the acting user's role does not make (`target`: a state, or "disbursement" /
    "repayment", which are the bank's). Commands, imports and the demo act without a user."""
    user = rules.actor(by)
    if user is not None and not has_perm(user, PERMISSION.get(target, Perm.DECIDE_LOANS)):
        raise PermissionRefused(
            _("Your role cannot make this change to the request."), field="to", target=target
        )


def require(current: str, target: str) -> None:
    if target not in allowed(current):
        raise ConflictError(
            lazy_message(
                _("A loan request that is “%(current)s” cannot become “%(target)s”."),
                current=S(current).label,
                target=S(target).label if target in S.values else target,
            ),
            field="to",
            current=current,
            target=target,
        )
