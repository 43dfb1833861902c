"""The demo's infrastructure projects and budget lines."""

import pytest

from revive.core.errors import DomainError
from revive.core.models import AuditEvent
from revive.demo import planning as demo
from revive.planning.models import BudgetLine, InfraProject


def test_demo_generates_projects_over_the_gaps(world):
    counts = demo.generate(seed=1)
    assert counts["infra_projects"] >= 1
    assert InfraProject.objects.filter(park__code="P-20-001", utility="gas").exists()
    assert BudgetLine.objects.filter(kind="infra").exists()
    assert AuditEvent.objects.filter(action="demo_planning").count() == 1
    with pytest.raises(DomainError):
        demo.generate(seed=1)
