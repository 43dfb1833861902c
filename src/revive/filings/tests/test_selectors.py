"""Missing filers: the national query (the month's filers read once) and the provincial one (a probe per unit)
find the same units: not closed, no filing for the month, no filing waiting for review."""

from datetime import date

import pytest

from revive.accounts.models import User
from revive.core.scoping import NATION, Scope, ScopeKind
from revive.filings import selectors, services
from revive.filings.services import submission_create
from revive.registry.models import ProductionUnit, Province

pytestmark = pytest.mark.django_db


def test_missing_filers_nationally_and_by_province(world):
    month = (1405, 7)
    units = list(ProductionUnit.objects.order_by("business_id"))
    filed, waiting = units[0], units[1]
    services.filing_submit(unit=filed, jyear=1405, jmonth=7, production_value=10, capacity_utilisation=60,
                           employees=3, by=None, filed_on=date(2026, 11, 1))  # fmt: skip
    owner = User.objects.create_user(username="owner.x", role="unit_owner", unit=waiting)
    submission_create(unit=waiting, by=owner, jyear=1405, jmonth=7, production_value=10, capacity_utilisation=60,
                      employees=3)  # fmt: skip
    expected = {u.business_id for u in units if u.current_band != "closed"} - {
        filed.business_id,
        waiting.business_id,
    }

    count, nation = selectors.missing_filers(scope=NATION, month=month, limit=None)
    assert count == len(expected) and {u.business_id for u in nation} == expected
    by_province = set()
    for province in Province.objects.all():
        n, found = selectors.missing_filers(
            scope=Scope(ScopeKind.PROVINCE, province_id=province.pk), month=month
        )
        assert n == len(found)
        by_province |= {u.business_id for u in found}
    assert by_province == expected
