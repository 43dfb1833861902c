"""The report's figures served from the shared cache (core/cache.py) to another process after each kind of
write are the ones a fresh computation gives: never stale."""

from datetime import date

import pytest
from django.core.cache import cache, caches

from revive.core import cache as figures_cache
from revive.core.scoping import NATION
from revive.indicators import reports
from revive.registry import services as registry_services
from revive.registry.models import Band, UnitStatus

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)  # the tests' today (conftest)


def _another_process():
    """What a new process (another web worker, `revive report` from the shell) starts with: no memory."""
    cache.clear()


def _report_figures() -> dict:
    data = reports.report_data(scope=NATION, year=1405, month=9, today=TODAY)
    rows = [(r.indicator.pk, r.target, r.actual, r.progress, r.forecast, r.forecast_low, r.forecast_high)
            for r in data["figures"]["rows"]]  # fmt: skip
    ranking = [(r["province"].code, r["revived_units"], r["jobs_restored"]) for r in data["ranking"]]
    return {
        "rows": rows,
        "ranking": ranking,
        "headline": data["headline"].actual if data["headline"] else None,
    }


def _fresh_report_figures() -> dict:
    """The brute-force reading: nothing cached anywhere."""
    cache.clear()
    caches[figures_cache.SHARED].clear()
    return _report_figures()


def test_report_figures_after_each_write_are_a_fresh_computation(world, programme_1405):
    unit = world["units"]["200000000022"]  # idle since Dey 1404
    before = _report_figures()
    _another_process()
    assert _report_figures() == before  # served from the shared cache
    # A revival today, through the service (an audit row: a new data version).
    registry_services.unit_status_record(unit=unit, band=Band.ABOVE_70, effective_date=TODAY,
                                         source=UnitStatus.Source.FIELD_VISIT, by="test")  # fmt: skip
    _another_process()
    after = _report_figures()
    assert after["headline"] == before["headline"] + 1
    assert after == _fresh_report_figures()
    # A back-dated status (a late filing for Esfand 1404): the past series the forecast reads changes too.
    registry_services.unit_status_record(unit=world["units"]["200000000011"], band=Band.ABOVE_70,
                                         effective_date=date(2026, 3, 1), source=UnitStatus.Source.FILING,
                                         by="test")  # fmt: skip
    _another_process()
    assert _report_figures() == _fresh_report_figures()
