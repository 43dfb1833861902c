"""indicators/selectors.py: the programme's figures, the monthly series, the province ranking and the production index."""

import math
from datetime import date

import pytest

from revive.core.scoping import NATION
from revive.indicators import selectors
from revive.registry import selectors as registry

pytestmark = pytest.mark.django_db


def test_figures_reuse_the_headline_revivals(programme_1405):
    data = selectors.figures(scope=NATION, year=1405)
    kpi = registry.revivals(scope=NATION, period=data["period"])
    row = selectors.headline(data["rows"])
    assert row.actual == kpi["revived_units"] == 2
    assert row.target == 10 and row.progress == pytest.approx(0.2)
    assert row.forecast_low <= row.forecast <= row.forecast_high
    assert row.needed_per_month == math.ceil(8 / (12 - data["elapsed"]))  # whole units, rounded up


def test_monthly_series_add_up_to_revivals_by_month(programme_1405):
    series = selectors.monthly(scope=NATION, metric="revived_units", years=[1404, 1405])
    assert series[1405] == registry.revivals_by_month(scope=NATION, year=1405)
    assert series[1404] == registry.revivals_by_month(scope=NATION, year=1404)


def test_province_ranking_and_tiles_cover_the_provinces(programme_1405):
    ranking = selectors.province_ranking(scope=NATION, year=1405)
    assert [r["province"].code for r in ranking][:2] in (["IR-23", "IR-20"], ["IR-20", "IR-23"])
    assert all(r["province"].code in selectors.TILE_LAYOUT for r in ranking)
    assert len(selectors.TILE_LAYOUT) == 31 and len(set(selectors.TILE_LAYOUT.values())) == 31


def test_production_index_by_sector_and_province(world):
    from revive.filings.services import filing_submit
    from revive.registry.models import ProductionUnit

    unit = ProductionUnit.objects.get(business_id="230000000011")
    for year, value in [(1404, 100), (1405, 150)]:
        filing_submit(unit=unit, jyear=year, jmonth=7, production_value=value, capacity_utilisation=60,
                      employees=10, filed_on=date(2026, 11, 1), by=None)  # fmt: skip
    data = selectors.production_index(scope=NATION, year=1405, month=7)
    assert data["total"]["month_index"] == 150
    assert data["by_group"][0]["group"] == "metal"
