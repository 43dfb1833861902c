"""What people read for a loan's state: the state's own label (finance.models.LoanState), where the
decided states say "approved by the bank" and the money that moved is "disbursed"."""

from revive.finance.models import LoanState


def state_label(state: str) -> str:
    return str(LoanState(state).label) if state in LoanState.values else state
