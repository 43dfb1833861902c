"""Hostile files, generated here, are refused with a clear message on the command and on the web upload,
and none of them can take the process down or garble what is stored."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from revive.core.errors import DomainError
from revive.imports import reading
from revive.imports.models import ImportJob
from revive.registry.models import IndustrialPark, ProductionUnit

pytestmark = pytest.mark.django_db

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_BOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _xlsx(sheet_data: str, dimension: str) -> bytes:
    """A minimal workbook written by hand, so that its XML says exactly what the test needs."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _BOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        z.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData>'
            "</worksheet>",
        )
    return buf.getvalue()


def _inline(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


_HEADER_ROW = '<row r="1">' + "".join(
    _inline(f"{c}1", v) for c, v in zip("ABCD", ("code", "name_fa", "province", "area_ha"), strict=True)
)
# One cell at the last cell of a sheet: 2 KB that a grid reader turns into 1,048,576 x 16,384 cells.
FAR_CELL = _xlsx(_HEADER_ROW + '</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "A1:XFD1048576")
# The same, with a <dimension> that lies: the cells are measured, not the declaration believed.
FAR_CELL_LYING = _xlsx(_HEADER_ROW + '</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "A1:D1")

PARKS = "code,name_fa,province,area_ha\n"
# A UTF-8 file with one Latin-1 byte (é) in one name: it used to be re-read whole as Windows-1256.
STRAY_BYTE = (PARKS + "P-20-009,شهرک یزدانی,IR-20,10\nP-20-010,شهرک ").encode() + b"Caf\xe9" + b",IR-20,12\n"
# A NUL byte after the first 64 KiB: the old check looked at the start only.
_FILLER = "".join(f"P-20-{900 + i % 99:03d},شهرک آزمایشی شماره {i},IR-20,10\n" for i in range(2000))
NUL_LATE = (PARKS + _FILLER + "P-20-998,شهرک\x00نو,IR-20,10\n").encode()
BELL = (PARKS + "P-20-009,شهرک\x07نو,IR-20,10\n").encode()
MISSPELT = (
    "business_id,name_fa,park,sector,size_class,Employes\n200000000099,صنایع نو,P-20-001,24,small,40\n"
).encode()

CASES = {
    "far cell": ("parks", FAR_CELL, "p.xlsx", ["XFD1048576", "1,048,576", "16,384"]),
    "far cell, lying dimension": ("parks", FAR_CELL_LYING, "p.xlsx", ["XFD1048576"]),
    "stray byte": ("parks", STRAY_BYTE, "p.csv", ["Row 3, column 2", "0xE9", "UTF-8"]),
    "late NUL": ("parks", NUL_LATE, "p.csv", ["U+0000", "column 2"]),
    "bell": ("parks", BELL, "p.csv", ["Row 2, column 2", "U+0007"]),
    "misspelt column": ("units", MISSPELT, "u.csv", ["“Employes”", "(Employees)", "(Business ID)"]),
}


def _via_command(kind, content, name, tmp_path) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as failed:
        call_command("import", kind, str(path), "--lang", "en")
    return str(failed.value)


def _via_web(kind, content, name, client, user, capture) -> str:
    client.force_login(user)
    with capture(execute=True):
        response = client.post(
            reverse("web:imports"), {"kind": kind, "file": SimpleUploadedFile(name, content)}
        )
    assert response.status_code == 302, response.content[:300]
    job = ImportJob.objects.order_by("-pk").first()
    assert job.status == "rejected"
    return job.message["en"]


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("via", ["command", "web"])
def test_a_hostile_file_is_refused_with_a_clear_message(
    case, via, world, national_admin, client, tmp_path, django_capture_on_commit_callbacks
):
    kind, content, name, expected = CASES[case]
    before = (IndustrialPark.objects.count(), ProductionUnit.objects.count())
    if via == "command":
        message = _via_command(kind, content, name, tmp_path)
    else:
        message = _via_web(kind, content, name, client, national_admin, django_capture_on_commit_callbacks)
    for part in expected:
        assert part in message, message
    assert (IndustrialPark.objects.count(), ProductionUnit.objects.count()) == before


def test_the_late_nul_names_its_row():
    with pytest.raises(DomainError) as failed:
        reading.read_table(NUL_LATE, "p.csv")
    rows = NUL_LATE.decode().split("\n")
    row = next(i for i, line in enumerate(rows, start=1) if "\x00" in line)
    assert NUL_LATE.index(b"\x00") > 65536 and row > 1000
    with translation.override("en"):
        assert f"Row {row}, column 2" in str(failed.value)


def test_a_runaway_allocation_ends_the_reading_process_not_the_server(monkeypatch):
    """With the size check out of the way, the spreadsheet library asks for 550 GB: the child that reads
    dies of its memory limit and the caller gets a message."""
    monkeypatch.setattr(reading, "MAX_ROWS", 2**40)
    monkeypatch.setattr(reading, "MAX_COLUMNS", 2**40)
    monkeypatch.setattr(reading, "MAX_CELLS", 2**60)
    monkeypatch.setattr(reading, "READ_MEMORY", 512 * 2**20)
    with pytest.raises(DomainError) as failed:
        reading.read_table(FAR_CELL, "p.xlsx")
    with translation.override("en"):
        assert "more memory" in str(failed.value)


def test_windows_1256_is_still_read_when_the_whole_file_is_in_it():
    text = PARKS + "P-20-009,شهرک پگاه گچساران,IR-20,10\nP-20-010,تپه چاي,IR-20,12\n"
    rows = reading.read_table(text.encode("cp1256", errors="replace"), "p.csv")
    assert rows[1][1] == "شهرک پگاه گچساران" and rows[2][1] == "تپه چاي"


def test_a_good_workbook_is_read_through_the_child_process():
    rows = reading.read_table(
        _xlsx(
            _HEADER_ROW + '</row><row r="2">' + _inline("A2", "P-20-009") + '<c r="D2"><v>12.5</v></c></row>',
            "A1:D2",
        ),
        "p.xlsx",
    )
    assert rows[0] == ["code", "name_fa", "province", "area_ha"]
    assert rows[1][0] == "P-20-009" and rows[1][3] == 12.5


def test_the_lending_import_reads_through_the_same_bounded_reader(tmp_path):
    path = tmp_path / "lending.xlsx"
    path.write_bytes(FAR_CELL)
    with pytest.raises(CommandError) as ended:
        call_command("import", "lending", str(path), "--lang", "en")
    assert "XFD1048576" in str(ended.value)
