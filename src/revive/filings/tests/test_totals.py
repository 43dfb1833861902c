"""The production totals (filings/totals.py) stay equal to the filings they add up, after every kind of write."""

from datetime import date

import pytest
from django.db.models import Count, Sum

from revive.core.scoping import NATION, Scope, ScopeKind
from revive.filings import services, totals
from revive.filings.models import FilingTotal, MonthlyFiling
from revive.imports.engine import import_file
from revive.indicators import selectors as indicators
from revive.registry.models import Province

pytestmark = pytest.mark.django_db


def _from_filings() -> dict:
    """What the totals must be: the filings summed per province, sector and month, read directly."""
    rows = (
        MonthlyFiling.objects.order_by()
        .values("province_id", "unit__sector_id", "jyear", "jmonth")
        .annotate(value=Sum("production_value"), n=Count("id"))
    )
    return {
        (r["province_id"], r["unit__sector_id"], r["jyear"], r["jmonth"]): (r["value"], r["n"]) for r in rows
    }


def _kept() -> dict:
    return {
        (t.province_id, t.sector_id, t.jyear, t.jmonth): (t.production_value, t.filings)
        for t in FilingTotal.objects.all()
    }


def _file(unit, month, value, by="t"):
    return services.filing_submit(
        unit=unit, jyear=1405, jmonth=month, production_value=value, capacity_utilisation=60, employees=10,
        by=by, filed_on=date(2026, 11, 1),
    )  # fmt: skip


def test_totals_follow_new_and_corrected_filings(world):
    unit = world["units"]["230000000011"]
    _file(unit, 6, 100)
    _file(unit, 7, 150)
    _file(world["units"]["200000000011"], 7, 40)
    assert _kept() == _from_filings() != {}
    before = indicators.production_index(scope=NATION, year=1405, month=7)
    assert before["total"]["month"] == 190 and before["total"]["ytd"] == 290

    _file(unit, 7, 250)  # a correction replaces the month's figure, it does not add to it
    after = indicators.production_index(scope=NATION, year=1405, month=7)
    assert _kept() == _from_filings()
    assert after["total"]["month"] == 290 and after["total"]["ytd"] == 390
    tehran = Province.objects.get(code="IR-23")
    province = indicators.production_index(
        scope=Scope(ScopeKind.PROVINCE, province_id=tehran.pk), year=1405, month=7
    )
    assert province["total"]["month"] == 250


def test_totals_follow_imports_and_a_change_of_sector(world):
    content = (
        "business_id,month,production_value,capacity_utilisation,employees\n"
        "200000000011,1405/07,500,60,3\n230000000011,1405/06,70,60,3\n"
    )
    preview, _ = import_file(kind="filings", content=content.encode(), filename="f.csv", scope=NATION, by="t")
    assert preview.ok, [e.as_dict() for e in preview.errors]
    assert _kept() == _from_filings() != {}
    metal_before = indicators.production_index(scope=NATION, year=1405, month=7)["by_group"]
    assert [(g["group"], g["month"]) for g in metal_before] == [("metal", 500)]

    # The Semnan foundry is registered again under food (ISIC 10): its filings move with it.
    units = "business_id,name_fa,park,sector,size_class,employees\n200000000011,ریخته‌گری سمنان,P-20-001,10,small,25\n"
    preview, _ = import_file(kind="units", content=units.encode(), filename="u.csv", scope=NATION, by="t")
    assert preview.ok and preview.changed, [e.as_dict() for e in preview.errors]
    assert _kept() == _from_filings()
    groups = {
        g["group"]: g["month"]
        for g in indicators.production_index(scope=NATION, year=1405, month=7)["by_group"]
    }
    assert groups == {"food": 500, "metal": 0}  # metal keeps Tehran's Khordad filing in its year to date


def test_rebuild_all_matches_refresh(world):
    _file(world["units"]["230000000011"], 7, 150)
    kept = _kept()
    totals.rebuild_all()
    assert _kept() == kept == _from_filings()


def test_park_scope_sums_its_own_filings(world):
    unit = world["units"]["230000000011"]
    _file(unit, 7, 150)
    park = Scope(ScopeKind.PARK, park_id=unit.park_id)
    assert indicators.production_index(scope=park, year=1405, month=7)["total"]["month"] == 150


def test_totals_follow_a_unit_changed_or_deleted_in_the_admin(world, national_admin, rf):
    """The registry's admin tells the filings app through registry/hooks.py (it imports no filings code)."""
    from types import SimpleNamespace

    from django.contrib import admin

    from revive.cases.models import Case
    from revive.registry.models import ProductionUnit, Sector

    unit = ProductionUnit.objects.exclude(pk__in=Case.objects.values("unit_id")).first()  # deletable
    _file(unit, 7, 150)
    unit_admin = admin.site._registry[ProductionUnit]
    request = rf.post("/admin/")
    request.user = national_admin
    food = Sector.objects.exclude(pk=unit.sector_id).first()
    unit.sector = food
    unit_admin.save_model(request, unit, SimpleNamespace(changed_data=["sector"]), change=True)
    assert _kept() == _from_filings()
    assert FilingTotal.objects.filter(sector=food, jyear=1405, jmonth=7, production_value=150).exists()

    unit_admin.delete_queryset(request, ProductionUnit.objects.filter(pk=unit.pk))
    assert _kept() == _from_filings()
    assert not FilingTotal.objects.filter(sector=food, jyear=1405, jmonth=7).exists()
