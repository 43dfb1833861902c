"""registry/importers.py: the `parks`, `infrastructure` and `units` import kinds, through the import engine."""

from datetime import date

import pytest
from django.utils import translation

from revive.core.models import AuditEvent
from revive.core.scoping import NATION, scope_for
from revive.imports.engine import import_file, import_write, preview_file
from revive.registry.models import IndustrialPark, ParkInfrastructure, ProductionUnit, UnitStatus

pytestmark = pytest.mark.django_db

PARKS_HEADER = "code,name_fa,province,kind\n"


def _errors(preview) -> list[tuple[int, str, str]]:
    return [(e.row, e.column_en, str(e.message)) for e in preview.errors]


def test_a_park_names_its_province_by_code_or_by_name(world, national_admin):
    content = (
        PARKS_HEADER
        + "P-20-009,شهرک نو,سمنان,park\nP-23-009,Tehran New Park,tehran,zone\nP-10-009,x,ir-10,special\n"
    )
    preview, written = import_file(
        kind="parks", content=content.encode(), filename="p.csv", scope=NATION, by=national_admin
    )
    assert preview.ok, _errors(preview)
    assert written["new"] == 3
    placed = dict(IndustrialPark.objects.filter(code__endswith="-009").values_list("code", "province__code"))
    assert placed == {"P-20-009": "IR-20", "P-23-009": "IR-23", "P-10-009": "IR-10"}
    assert IndustrialPark.objects.get(code="P-23-009").kind == "zone"


def test_an_unknown_province_and_another_provinces_park_are_refused(world, officer_semnan):
    content = PARKS_HEADER + "P-20-009,x,Atlantis,park\nP-23-009,x,IR-23,park\nP-23-001,x,IR-20,park\n"
    with translation.override("en"):
        preview = preview_file(
            kind="parks", content=content.encode(), filename="p.csv", scope=scope_for(officer_semnan)
        )
        errors = _errors(preview)
    assert [(row, column) for row, column, _m in errors] == [
        (2, "Province"),
        (3, "Province"),
        (4, "Park code"),
    ]
    assert "Unknown province" in errors[0][2]
    assert "another province" in errors[1][2] and "another province" in errors[2][2]
    assert not IndustrialPark.objects.filter(code__endswith="-009").exists()


def test_infrastructure_updates_a_parks_utility_and_names_a_repeated_row_by_park_and_utility(
    world, officer_semnan
):
    header = "park,utility,status,capacity,capacity_unit\n"
    content = header + "P-20-001,gas,adequate,20,MW\nP-20-002,water,insufficient,,\n"
    preview = preview_file(
        kind="infrastructure", content=content.encode(), filename="i.csv", scope=scope_for(officer_semnan)
    )
    assert preview.ok, _errors(preview)
    assert [(c.key, set(c.fields)) for c in preview.changed] == [
        ("P-20-001|gas", {"status", "capacity", "capacity_unit"})
    ]
    assert [c.key for c in preview.new] == ["P-20-002|water"]
    import_write(preview=preview, by=officer_semnan, scope=scope_for(officer_semnan))
    gas = ParkInfrastructure.objects.get(park__code="P-20-001", utility="gas")
    assert (gas.status, gas.capacity, gas.capacity_unit) == ("adequate", 20, "MW")
    assert (
        AuditEvent.objects.filter(action="import_infrastructure_update", object_id=str(gas.pk)).count() == 1
    )
    again = header + "P-20-001,gas,adequate,20,MW\nP-20-001,gas,absent,,\nP-23-001,gas,absent,,\n"
    with translation.override("en"):
        refused = preview_file(
            kind="infrastructure", content=again.encode(), filename="i.csv", scope=scope_for(officer_semnan)
        )
        errors = [(e.row, e.value, str(e.message)) for e in refused.errors]
    assert errors[0][:2] == (3, "P-20-001 gas") and "Repeats row 2" in errors[0][2]
    assert errors[1][0] == 4 and "No industrial park with this code in your province" in errors[1][2]


def test_a_file_without_the_english_name_column_keeps_the_english_names(world):
    unit = ProductionUnit.objects.get(business_id="200000000011")
    content = "business_id,name_fa,park,sector,size_class,employees\n200000000011,ریخته‌گری سمنان,P-20-001,24,small,31\n"
    preview = preview_file(kind="units", content=content.encode(), filename="u.csv", scope=NATION)
    assert [set(c.fields) for c in preview.changed] == [{"employees"}]
    import_write(preview=preview, by="test", scope=NATION)
    unit.refresh_from_db()
    assert unit.name_en == "Semnan Foundry" and unit.employees == 31


def test_new_units_may_come_in_idle_with_the_day_their_history_starts(world):

    content = (
        "business_id,name_fa,park,sector,size_class,employees,band,band_since\n"
        "200000000097,واحد راکد,P-20-001,24,small,9,راکد,1404/11/01\n"
        "200000000096,واحد فعال,P-20-001,24,small,9,,\n"
    )
    preview, written = import_file(
        kind="units", content=content.encode(), filename="u.csv", scope=NATION, by="test"
    )
    assert preview.ok, [e.as_dict() for e in preview.errors]
    idle = ProductionUnit.objects.get(business_id="200000000097")
    assert idle.current_band == "idle" and idle.band_since == date(2026, 1, 21)
    assert list(idle.statuses.values_list("band", "effective_date")) == [("idle", date(2026, 1, 21))]
    assert (
        AuditEvent.objects.get(action="import_units_create", object_id=str(idle.pk)).after["current_band"]
        == "idle"
    )
    other = ProductionUnit.objects.get(business_id="200000000096")
    assert other.current_band == "above_70" and not UnitStatus.objects.filter(unit=other).exists()


def test_a_registered_units_band_is_not_changed_by_the_registry_file(world):
    content = "business_id,name_fa,park,sector,size_class,band,band_since\n200000000011,x,P-20-001,24,small,idle,1405/13/01\n"
    with translation.override("en"):
        preview = preview_file(kind="units", content=content.encode(), filename="u.csv", scope=NATION)
        messages = {e.column_en: str(e.message) for e in preview.errors}
    assert "monthly filings" in messages["Band"] and "Band since" in messages
    assert ProductionUnit.objects.get(business_id="200000000011").current_band != "idle"
