"""The licence-suspension list (one set-based query) against a brute-force reading of every filing, over
windows inside one year and across Nowruz, with a unit that filed only the current month, one never filed,
one known only after the window began, a closed unit, and filings written one after another."""

import pytest

from revive.core import calendar
from revive.core.scoping import NATION, scope_for
from revive.filings.models import MonthlyFiling
from revive.filings.selectors import suspension_candidates
from revive.registry.models import Band, ProductionUnit, UnitStatus

pytestmark = pytest.mark.django_db


def _file(unit, y, m):
    start = calendar.from_jalali(y, m, 1)
    MonthlyFiling.objects.create(
        unit=unit,
        province=unit.province,
        jyear=y,
        jmonth=m,
        period_start=start,
        production_value=1,
        capacity_utilisation=60,
        employees=5,
        filed_on=start,
        due_on=calendar.filing_due_date(y, m),
    )


def _reference(*, months, through, units):
    """Every unit's filings read in Python: not closed, known before the window, nothing filed in it."""
    since = calendar.from_jalali(*calendar.add_months(through, 1 - months), 1)
    end = calendar.from_jalali(*calendar.add_months(through, 1), 1)
    out = []
    for unit in units.exclude(current_band=Band.CLOSED):
        first = UnitStatus.objects.filter(unit=unit).order_by("effective_date").first()
        known = first.effective_date if first else unit.created_at.date()
        starts = [f.period_start for f in MonthlyFiling.objects.filter(unit=unit) if f.period_start < end]
        if known >= since or any(s >= since for s in starts):
            continue
        last = max(starts, default=None)
        missing = (
            None
            if last is None
            else (through[0] - calendar.month_of(last)[0]) * 12 + (through[1] - calendar.month_of(last)[1])
        )
        out.append((unit.business_id, last, missing))
    return sorted(out)


def _listed(**kw):
    return sorted((r["business_id"], r["last"], r["missing"]) for r in suspension_candidates(**kw))


@pytest.mark.parametrize(
    "through", [(1405, 8), (1405, 2), (1405, 1)], ids=["one-year", "across-nowruz", "farvardin"]
)
def test_the_list_is_what_every_filing_says(world, officer_semnan, through):
    units = world["units"]
    ids = sorted(units)
    assert len(ids) >= 5
    old = calendar.add_months(through, -9)
    _file(units[ids[0]], *old)  # last filed nine months before: listed, 9 missing
    _file(units[ids[1]], *calendar.add_months(through, -5))  # inside a 6-month window: not listed
    _file(units[ids[2]], *old)
    _file(units[ids[2]], *calendar.add_months(through, 1))  # filed only the month after: listed, last = old
    ProductionUnit.objects.filter(pk=units[ids[3]].pk).update(
        current_band=Band.CLOSED
    )  # closed: never listed
    # First known (its first status) after the window began: not yet listed.
    UnitStatus.objects.filter(unit=units[ids[4]]).update(effective_date=calendar.from_jalali(*through, 1))
    everyone = ProductionUnit.objects.all()
    for months in (6, 3, 1, 12):
        expected = _reference(months=months, through=through, units=everyone)
        assert _listed(months=months, through=through, scope=None) == expected, months
        assert _listed(months=months, through=through, scope=NATION) == expected, months
    semnan = scope_for(officer_semnan)
    expected = _reference(months=6, through=through, units=ProductionUnit.objects.visible_to(semnan))
    assert _listed(months=6, through=through, scope=semnan) == expected
    rows = {r[0]: r for r in _listed(months=6, through=through)}
    assert rows[ids[0]][2] == 9 and rows[ids[2]][1] == calendar.from_jalali(*old, 1)
    assert ids[1] not in rows and ids[3] not in rows and ids[4] not in rows
    # Filing the month the list is for takes a unit off it at once (nothing is cached).
    _file(units[ids[0]], *through)
    assert ids[0] not in {r[0] for r in _listed(months=6, through=through)}
    assert _listed(months=6, through=through) == _reference(months=6, through=through, units=everyone)
