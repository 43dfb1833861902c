"""The import engine: every bad row reported with its reason, nothing half-written, reruns change nothing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from revive.core.models import AuditEvent
from revive.core.scoping import NATION, scope_for
from revive.imports.engine import import_file, preview_file
from revive.registry.models import IndustrialPark, ProductionUnit

pytestmark = pytest.mark.django_db

UNITS_HEADER = "business_id,name_fa,park,sector,size_class,employees\n"


def _csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def test_new_units_are_written_with_an_audit_row_each_and_a_rerun_changes_nothing(world, officer_semnan):
    content = _csv(UNITS_HEADER + "۲۰۰۰۰۰۰۰۰۰۹۹,صنايع كوير,P-20-001,24,small,12\n")
    scope = scope_for(officer_semnan)
    preview, written = import_file(
        kind="units", content=content, filename="u.csv", scope=scope, by=officer_semnan
    )
    assert preview.ok and written["new"] == 1
    unit = ProductionUnit.objects.get(business_id="200000000099")
    assert unit.name_fa == "صنایع کویر" and unit.province.code == "IR-20"
    assert AuditEvent.objects.filter(object_type="registry.productionunit", object_id=str(unit.pk)).exists()
    again, _ = import_file(kind="units", content=content, filename="u.csv", scope=scope, by=officer_semnan)
    assert again.counts() == {"rows": 1, "new": 0, "changed": 0, "unchanged": 1}


def test_a_changed_unit_lists_its_changed_fields(world):
    content = _csv(UNITS_HEADER + "200000000011,لبنیات کویر نو,P-20-001,10,small,99\n")
    preview = preview_file(kind="units", content=content, filename="u.csv", scope=NATION)
    assert preview.ok, [e.as_dict() for e in preview.errors]
    assert len(preview.changed) == 1
    assert "employees" in preview.changed[0].fields


def test_every_bad_row_is_reported_and_nothing_is_written(world):
    content = _csv(
        UNITS_HEADER
        + "12345,x,P-20-001,24,small,1\n"
        + "200000000098,x,P-99-999,24,small,1\n"
        + "200000000097,x,P-20-001,77,small,1\n"
        + "200000000096,x,P-20-001,24,huge,-3\n"
        + "200000000095,x,P-20-001,24,small,1\n"
        + "200000000095,x,P-20-001,24,small,1\n"
    )
    before = ProductionUnit.objects.count()
    with translation.override("en"):
        preview, written = import_file(kind="units", content=content, filename="u.csv", scope=NATION, by="t")
        errors = [e.as_dict() for e in preview.errors]
    assert written is None and ProductionUnit.objects.count() == before
    rows = [e["row"] for e in errors]
    assert rows == [2, 3, 4, 5, 5, 7]
    assert "12 digits" in errors[0]["message"] and errors[0]["value"] == "12345"
    assert "Repeats row 6" in errors[-1]["message"]


def test_officer_cannot_import_another_provinces_rows(world, officer_tehran):
    content = _csv(UNITS_HEADER + "230000000099,x,P-20-001,24,small,1\n")
    preview = preview_file(kind="units", content=content, filename="u.csv", scope=scope_for(officer_tehran))
    assert not preview.ok and preview.errors[0].column.startswith("کد شهرک")


def test_windows_1256_csv_is_read(world):
    content = ("code,name_fa,province\nP-20-009,شهرک یزدانی,IR-20\n").encode("cp1256", errors="replace")
    preview, written = import_file(kind="parks", content=content, filename="p.csv", scope=NATION, by="t")
    assert preview.ok, [e.as_dict() for e in preview.errors]
    assert IndustrialPark.objects.filter(code="P-20-009").exists()


@pytest.mark.parametrize(
    "content,name",
    [
        (b"PK\x03\x04garbage", "x.xlsx"),
        (b"\x00\x01\x02binary" * 100, "x.csv"),
        (b"hello", "x.pdf"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(world, content, name):
    from revive.core.errors import DomainError

    with pytest.raises(DomainError):
        preview_file(kind="parks", content=content, filename=name, scope=NATION)


def test_a_zip_bomb_is_refused(world):
    import zipfile

    from revive.core.errors import DomainError

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * 50_000_000)
    with translation.override("en"), pytest.raises(DomainError, match="expands"):
        preview_file(kind="parks", content=buf.getvalue(), filename="b.xlsx", scope=NATION)


def test_command_exits_non_zero_and_writes_nothing_on_error(world, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text(UNITS_HEADER + "200000000099,x,P-20-001,24,small,1\n200000000098,x,NOPE,24,small,1\n")
    with pytest.raises(CommandError):
        call_command("import", "units", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not ProductionUnit.objects.filter(business_id="200000000099").exists()


def test_command_dry_run_writes_nothing(world, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text(UNITS_HEADER + "200000000099,x,P-20-001,24,small,1\n")
    out = io.StringIO()
    call_command("import", "units", str(path), "--dry-run", stdout=out)
    assert not ProductionUnit.objects.filter(business_id="200000000099").exists()
    call_command("import", "units", str(path), stdout=out)
    assert ProductionUnit.objects.filter(business_id="200000000099").exists()


def test_command_as_a_provincial_officer_refuses_rows_of_other_provinces(world, officer_semnan, tmp_path):
    from revive.core.models import AuditEvent

    path = tmp_path / "u.csv"
    path.write_text(UNITS_HEADER + "200000000099,x,P-23-001,24,small,1\n")
    with pytest.raises(CommandError):
        call_command(
            "import",
            "units",
            str(path),
            "--user",
            "officer.semnan",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    path.write_text(UNITS_HEADER + "200000000099,x,P-20-001,24,small,1\n")
    call_command("import", "units", str(path), "--user", "officer.semnan", stdout=io.StringIO())
    assert AuditEvent.objects.get(action="import_units_create").actor == officer_semnan


def test_command_with_an_unknown_user_or_a_kind_they_may_not_import_is_refused(
    world, officer_semnan, tmp_path
):
    path = tmp_path / "t.csv"
    path.write_text("indicator,year,value\nunits-revived,1405,1\n")
    for user in ("nobody", "officer.semnan"):
        with pytest.raises(CommandError):
            call_command("import", "targets", str(path), "--user", user, stdout=io.StringIO())


def test_command_speaks_persian_by_default_and_english_when_asked(world, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text(UNITS_HEADER + "12,x,P-20-001,24,small,1\n")
    for lang, expected in (("fa", "ردیف ۲"), ("en", "row 2")):
        err = io.StringIO()
        with pytest.raises(CommandError) as failure:
            call_command("import", "units", str(path), "--lang", lang, stdout=io.StringIO(), stderr=err)
        assert expected in err.getvalue()
        assert ("۱ خطا" if lang == "fa" else "1 errors") in str(failure.value)
