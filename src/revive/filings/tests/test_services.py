"""Filing writes: a filing moves its unit's band through the registry's status service; a bad one writes nothing."""

from datetime import date

import pytest

from revive.core.errors import DomainError
from revive.filings import services
from revive.filings.models import MonthlyFiling
from revive.registry.models import Band, UnitStatus

pytestmark = pytest.mark.django_db


def test_filing_that_shows_production_revives_an_idle_unit(world):
    unit = world["units"]["200000000022"]  # idle since Dey 1404
    services.filing_submit(
        unit=unit,
        jyear=1405,
        jmonth=7,
        production_value=5_000_000_000,
        capacity_utilisation=45,
        employees=9,
        by="test",
        filed_on=date(2026, 10, 28),
    )
    unit.refresh_from_db()
    assert unit.current_band == Band.BELOW_50
    assert unit.statuses.filter(event=UnitStatus.Event.REVIVED, jobs=9).exists()


def test_bad_filing_writes_nothing(world):
    unit = world["units"]["200000000022"]
    with pytest.raises(DomainError):
        services.filing_submit(
            unit=unit,
            jyear=1405,
            jmonth=7,
            production_value=1,
            capacity_utilisation=140,
            employees=9,
            by="test",
        )
    assert not MonthlyFiling.objects.filter(unit=unit).exists()
