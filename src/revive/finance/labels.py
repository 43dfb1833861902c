"""What people read for a loan's state. The bank's decision is an approved amount, not money that moved:
"paid" read as disbursed, so the decided states say "approved by the bank" and the money that moved is
"disbursed" (the loan's disbursements)."""

from django.utils.translation import gettext_lazy as _

from revive.finance.models import LoanState

_CLEARER = {
    LoanState.PAID: _("Approved by the bank"),
    LoanState.PARTLY_PAID: _("Approved by the bank, in part"),
}


def state_label(state: str) -> str:
    if state in _CLEARER:
        return str(_CLEARER[state])
    return str(LoanState(state).label) if state in LoanState.values else state
