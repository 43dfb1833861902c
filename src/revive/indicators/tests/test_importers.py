"""indicators/importers.py: the `targets` import kind, written through indicators' targets_set."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from revive.core.models import AuditEvent
from revive.core.scoping import NATION
from revive.imports.engine import import_file, preview_file
from revive.indicators.models import Axis, Indicator, Programme, Target

pytestmark = pytest.mark.django_db


def _indicator(year=1405, code="units-revived"):
    axis = Axis.objects.create(jyear=year, number=1, name_fa="محور", name_en="Axis")
    programme = Programme.objects.create(axis=axis, jyear=year, number=1, name_fa="برنامه", name_en="P")
    return Indicator.objects.create(
        programme=programme, jyear=year, code=code, name_fa="شاخص", name_en="Indicator", kind="reported"
    )


def test_targets_split_must_add_up_and_the_gap_is_named(world):
    _indicator()
    content = b"indicator,year,province,value\nunits-revived,1405,,100\nunits-revived,1405,IR-20,30\nunits-revived,1405,IR-23,50\n"
    with translation.override("en"):
        preview = preview_file(kind="targets", content=content, filename="t.csv", scope=NATION)
        errors = [e.as_dict() for e in preview.errors]
    assert len(errors) == 1 and "20" in errors[0]["message"] and "short" in errors[0]["message"]
    assert errors[0]["row"] == 2


def test_targets_are_written_through_targets_set(world, national_admin):
    ind = _indicator()
    content = b"indicator,year,province,value\nunits-revived,1405,,100\nunits-revived,1405,IR-20,30\nunits-revived,1405,IR-23,70\n"
    preview, written = import_file(
        kind="targets", content=content, filename="t.csv", scope=NATION, by=national_admin
    )
    assert preview.ok, [e.as_dict() for e in preview.errors]
    assert Target.objects.filter(indicator=ind).count() == 3
    assert Target.objects.get(indicator=ind, province__isnull=True).value == Decimal(100)
    assert AuditEvent.objects.filter(action="targets_set").count() == 1
    again, _ = import_file(kind="targets", content=content, filename="t.csv", scope=NATION, by=national_admin)
    assert again.counts()["unchanged"] == 3


def test_targets_of_a_past_year_are_locked(world):
    _indicator(year=1404)
    content = b"indicator,year,province,value\nunits-revived,1404,,100\n"
    with translation.override("en"):
        preview = preview_file(kind="targets", content=content, filename="t.csv", scope=NATION)
        assert not preview.ok and "locked" in str(preview.errors[0].message)


def test_targets_from_the_command_line_go_through_targets_set(world, tmp_path):
    ind = _indicator()
    path = tmp_path / "t.csv"
    path.write_text("indicator,year,province,value\nunits-revived,1405,,100\n")
    call_command("import", "targets", str(path), stdout=io.StringIO())
    assert Target.objects.get(indicator=ind, province__isnull=True).value == Decimal(100)
    assert AuditEvent.objects.get(action="targets_set").actor_label == "command"
