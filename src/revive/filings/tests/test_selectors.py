"""Filing reads. Missing filers: the national query (the month's filers read once) and the provincial one (a probe
per unit) find the same units: not closed, no filing for the month, no filing waiting for review. The deadline
pass's reads: units with no filing for a month, submissions returned since a day."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

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


def test_not_filed_and_returned_since_for_the_deadline_pass(world, officer_semnan):
    units = list(ProductionUnit.objects.order_by("business_id"))
    filed, returned = units[0], units[1]
    services.filing_submit(unit=filed, jyear=1405, jmonth=7, production_value=10, capacity_utilisation=60,
                           employees=3, by=None, filed_on=date(2026, 11, 1))  # fmt: skip
    ids = {u["id"] for u in selectors.not_filed((1405, 7), known_before=date(2026, 11, 22))}
    assert filed.pk not in ids and returned.pk in ids
    assert ids == {u.pk for u in units if u.current_band != "closed"} - {filed.pk}

    owner = User.objects.create_user(username="owner.y", role="unit_owner", unit=returned)
    sent = submission_create(unit=returned, by=owner, jyear=1405, jmonth=7, production_value=10,
                             capacity_utilisation=60, employees=3)  # fmt: skip
    services.submission_review(submission=sent, by=officer_semnan, approve=False, comment="check the value")
    assert [s.pk for s in selectors.returned_since(date(2026, 11, 1))] == [sent.pk]
    tomorrow = timezone.now().date() + timedelta(days=1)  # the review happened just now
    assert not selectors.returned_since(tomorrow).exists()


def test_the_filings_pages_missing_filers_kept_per_data_version_follow_every_write(world, officer_semnan):
    """The filings page's missing filers (count and first rows) are kept once per data version: a filing, a
    submission waiting for review and a unit closed show at once, as missing_filers reads them."""
    from revive.registry.services import unit_status_record

    month = (1405, 7)
    scopes = [NATION, *(Scope(ScopeKind.PROVINCE, province_id=p.pk) for p in Province.objects.all())]

    def check() -> int:
        for scope in scopes:
            count, units = selectors.missing_filers_kept(scope=scope, month=month)
            assert (count, units) == selectors.missing_filers(scope=scope, month=month)
        return selectors.missing_filers_kept(scope=NATION, month=month)[0]

    units = list(ProductionUnit.objects.exclude(current_band="closed").order_by("business_id"))
    missing = check()
    services.filing_submit(unit=units[0], jyear=1405, jmonth=7, production_value=10, capacity_utilisation=60,
                           employees=3, by=None, filed_on=date(2026, 11, 1))  # fmt: skip
    assert check() == missing - 1
    owner = User.objects.create_user(username="owner.z", role="unit_owner", unit=units[1])
    submission_create(unit=units[1], by=owner, jyear=1405, jmonth=7, production_value=10, capacity_utilisation=60,
                      employees=3)  # fmt: skip
    assert check() == missing - 2
    unit_status_record(unit=units[2], band="closed", effective_date=date(2026, 11, 1), source="officer",
                       by=officer_semnan)  # fmt: skip
    assert check() == missing - 3
