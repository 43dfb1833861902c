"""One-sheet XLSX written straight as the sheet's XML into a zip, row by row, in constant memory.

A national download is about 730,000 cells; xlsxwriter spends some 60 Python calls on each (dispatch,
dimension checks, three regular expressions), which made the units download 4-6 s of CPU. Here a row is one
string join: bold header row, frozen under the header, right to left when asked, text as inline strings,
numbers as numbers, dates and datetimes as Excel serials with a date format, booleans as booleans.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
)
_ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_BOOK_RELS = (
    _XML + f'<Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
)
# Cell styles: 0 plain, 1 bold (the header), 2 a date, 3 a date and time.
_STYLES = (
    _XML + f'<styleSheet xmlns="{_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
_EPOCH = date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug, for dates after February 1900)
# Characters XML 1.0 cannot carry at all (C0 controls but tab, newline, carriage return).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # most text has none


def _column(n: int) -> str:
    name = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def _text(value: str) -> str:
    if _SPECIAL.search(value) is None:
        return value
    return _ILLEGAL.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(ref: str, value, style: int = 0) -> str:
    kind = type(value)
    s = f' s="{style}"' if style else ""
    if kind is str:
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    if kind is int or kind is Decimal or (kind is float and value == value and abs(value) != float("inf")):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if kind is bool:
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
        serial = (value - datetime(1899, 12, 30)).total_seconds() / 86400
        return f'<c r="{ref}" s="3"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="2"><v>{(value - _EPOCH).days}</v></c>'
    return _cell(ref, str(value), style)


def write(
    out: IO[bytes],
    *,
    header: Sequence,
    rows: Iterable[Sequence],
    rtl: bool = False,
    sheet: str = "data",
    clean=None,
) -> None:
    """The header (bold, frozen) and the rows as one sheet into the binary file `out`. `clean`, when
    given, is applied to every text cell first (e.g. neutralising formulas). Empty and None cells are
    left out."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr(
            "xl/workbook.xml",
            _XML + f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name="{_text(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            view = ' rightToLeft="1"' if rtl else ""
            part.write(
                (
                    _XML + f'<worksheet xmlns="{_NS}" xmlns:r="{_REL}"><sheetViews>'
                    f'<sheetView workbookViewId="0"{view}><pane ySplit="1" topLeftCell="A2" '
                    'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView>'
                    "</sheetViews><sheetData>"
                ).encode()
            )
            columns: list[str] = []

            def refs(n: int) -> list[str]:
                while len(columns) < n:
                    columns.append(_column(len(columns)))
                return columns

            names = refs(len(header))
            cells = "".join(_cell(f"{names[c]}1", str(v), 1) for c, v in enumerate(header))
            chunk = [f'<row r="1">{cells}</row>']
            search = _SPECIAL.search
            for r, row in enumerate(rows, start=2):
                names = refs(len(row))
                parts = [f'<row r="{r}">']
                for c, value in enumerate(row):
                    if value is None or value == "":
                        continue
                    if type(value) is str:  # (most cells: inline here)
                        if clean is not None:
                            value = clean(value)
                        if search(value) is not None:
                            value = _text(value)
                        parts.append(
                            f'<c r="{names[c]}{r}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
                        )
                    else:
                        parts.append(_cell(f"{names[c]}{r}", value))
                parts.append("</row>")
                chunk.append("".join(parts))
                if len(chunk) >= 500:
                    part.write("".join(chunk).encode())
                    chunk = []
            chunk.append("</sheetData></worksheet>")
            part.write("".join(chunk).encode())
