"""web.exports.xlsx_response read back by openpyxl: every kind of cell, the bold frozen header, right to left,
formula-looking text neutralised, a long and wide sheet (written by xlsxwriter in constant memory)."""

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl

from revive.web.exports import xlsx_response


def _sheet(**kw):
    response = xlsx_response(filename="t", **kw)
    body = b"".join(response.streaming_content)
    assert response["Content-Disposition"] == 'attachment; filename="t.xlsx"'
    return openpyxl.load_workbook(io.BytesIO(body)).active


def test_cells_read_back_as_written():
    rows = [
        ["متن فارسی", 12, 1.5, Decimal("2.25"), True, date(2026, 3, 21), datetime(2026, 3, 21, 8, 30), None],
        ["a & b < c > d", -3, 0.0, Decimal("0"), False, date(1999, 12, 31), "", " padded "],
        ["=1+1", 10**12, 1e-7, None, None, None, None, "@cmd"],
    ]
    sheet = _sheet(header=["name", "n", "x", "d", "ok", "day", "at", "note"], rows=rows, rtl=True)
    got = list(sheet.iter_rows(values_only=True))
    assert got[0] == ("name", "n", "x", "d", "ok", "day", "at", "note")
    assert got[1] == ("متن فارسی", 12, 1.5, 2.25, True, datetime(2026, 3, 21), datetime(2026, 3, 21, 8, 30), None)
    assert got[2] == ("a & b < c > d", -3, 0, 0, False, datetime(1999, 12, 31), None, " padded ")
    assert got[3] == ("'=1+1", 10**12, 1e-7, None, None, None, None, "'@cmd")
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2" and sheet.sheet_view.rightToLeft


def test_wide_and_long_sheets_left_to_right():
    header = [f"c{i}" for i in range(60)]
    rows = ([r * 100 + c for c in range(60)] for r in range(1200))
    sheet = _sheet(header=header, rows=rows, rtl=False)
    assert sheet.max_row == 1201 and sheet.max_column == 60
    assert sheet["BH1201"].value == 1199 * 100 + 59 and sheet["AA2"].value == 26
    assert not sheet.sheet_view.rightToLeft
