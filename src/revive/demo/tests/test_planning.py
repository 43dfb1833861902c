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


def test_demo_completed_projects_built_adequate_utilities_in_the_past(world, monkeypatch):
    from datetime import date, timedelta

    from revive.registry.models import ParkInfrastructure

    monkeypatch.setattr(demo, "DONE_SHARE", 1.0)  # every adequate utility has its past project
    park = world["parks"]["P-20-001"]
    ParkInfrastructure.objects.create(
        park=park, province=park.province, utility="electricity", status=ParkInfrastructure.Status.ADEQUATE
    )
    today = date(2026, 11, 24)
    counts = demo.generate(seed=1, today=today)
    done = InfraProject.objects.filter(status=InfraProject.Status.DONE)
    adequate = ParkInfrastructure.objects.filter(status=ParkInfrastructure.Status.ADEQUATE)
    assert counts["infra_projects_done"] == done.count() == adequate.count() >= 1
    assert set(done.values_list("infrastructure_id", flat=True)) == set(adequate.values_list("id", flat=True))
    for project in done:
        assert project.progress == 100 and project.months_remaining == 0 and project.cost_to_fund == 0
        assert demo.DONE_SINCE <= project.completed_on <= today - timedelta(days=30)
    # the projects still to build are those over the gaps only
    assert (
        not InfraProject.objects.exclude(status=InfraProject.Status.DONE)
        .filter(infrastructure__status=ParkInfrastructure.Status.ADEQUATE)
        .exists()
    )
