"""core/xlsx.py read back by openpyxl: every kind of cell, the bold frozen header, right to left, wide rows."""

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl

from revive.core import xlsx


def _book(**kw):
    out = io.BytesIO()
    xlsx.write(out, **kw)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue())).active


def test_cells_read_back_as_written():
    rows = [
        ["متن فارسی", 12, 1.5, Decimal("2.25"), True, date(2026, 3, 21), datetime(2026, 3, 21, 8, 30), None],
        ["a & b < c > d", -3, 0.0, Decimal("0"), False, date(1999, 12, 31), "", " padded "],
        ["bell\x07 and tab\t", 10**12, 1e-7, None, None, None, None, "=1+1"],
    ]
    sheet = _book(header=["name", "n", "x", "d", "ok", "day", "at", "note"], rows=rows, rtl=True,
                  clean=lambda v: "'" + v if v.startswith("=") else v)  # fmt: skip
    got = list(sheet.iter_rows(values_only=True))
    assert got[0] == ("name", "n", "x", "d", "ok", "day", "at", "note")
    assert got[1] == (
        "متن فارسی",
        12,
        1.5,
        2.25,
        True,
        datetime(2026, 3, 21),
        datetime(2026, 3, 21, 8, 30),
        None,
    )
    assert got[2] == ("a & b < c > d", -3, 0, 0, False, datetime(1999, 12, 31), None, " padded ")
    assert got[3] == ("bell and tab\t", 10**12, 1e-7, None, None, None, None, "'=1+1")
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2" and sheet.sheet_view.rightToLeft
    assert sheet["F2"].number_format == "mm-dd-yy"  # Excel's built-in short date


def test_wide_and_long_sheets_left_to_right():
    header = [f"c{i}" for i in range(60)]
    rows = ([r * 100 + c for c in range(60)] for r in range(1200))
    sheet = _book(header=header, rows=rows)
    assert sheet.max_row == 1201 and sheet.max_column == 60
    assert sheet["BH1201"].value == 1199 * 100 + 59 and sheet["AA2"].value == 26
    assert not sheet.sheet_view.rightToLeft
