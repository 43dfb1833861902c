"""cases/workflow.py: the allowed case transitions, as data, and the readable refusal."""

import pytest
from django.utils import translation

from revive.cases import workflow
from revive.cases.models import CaseState as S
from revive.core.errors import ConflictError


def test_every_state_has_a_row_and_the_ends_lead_nowhere():
    assert set(workflow.TRANSITIONS) == set(S.values)
    assert workflow.allowed(S.CLOSED) == workflow.allowed(S.RELAPSED) == frozenset()
    assert workflow.allowed("lost") == frozenset()
    # an open case may always close or revive; a revived one only holds or relapses
    for open_state in (S.IDENTIFIED, S.DIAGNOSED, S.IN_PROGRESS):
        assert {S.REVIVED, S.CLOSED} <= workflow.allowed(open_state)
    assert workflow.allowed(S.REVIVED) == {S.SUSTAINED, S.RELAPSED}


def test_a_refused_transition_is_a_conflict_naming_both_states():
    workflow.require(S.IDENTIFIED, S.DIAGNOSED)  # allowed: nothing raised
    with translation.override("en"):
        with pytest.raises(ConflictError) as refused:
            workflow.require(S.IDENTIFIED, S.SUSTAINED)
        message = str(refused.value.message)
        labels = str(S(S.IDENTIFIED).label), str(S(S.SUSTAINED).label)
    assert all(f"“{label}”" in message for label in labels)
    assert refused.value.details == {"field": "state", "current": S.IDENTIFIED, "target": S.SUSTAINED}
    with pytest.raises(ConflictError):
        workflow.require(S.CLOSED, "nonsense")  # an unknown target is refused, not a KeyError
