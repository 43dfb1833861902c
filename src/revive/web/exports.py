"""CSV and XLSX downloads of any table, from the same rows the page shows."""

import csv
import functools
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from django.http import FileResponse, Http404, HttpRequest, StreamingHttpResponse
from django.utils.translation import get_language

from revive.core import calendar

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # BOM, so Excel opens Persian text as UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence], rtl: bool
) -> FileResponse:
    """The table as one sheet, in constant memory: core/xlsx.py writes each row's XML as it comes into a
    temporary file, which is then streamed in chunks and deleted."""
    from revive.core import xlsx

    spool = tempfile.TemporaryFile()
    xlsx.write(spool, header=header, rows=rows, rtl=rtl, clean=safe_cell)
    spool.seek(0)
    response = FileResponse(
        spool, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(*, fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence], rtl: bool):
    if fmt == "xlsx":
        return xlsx_response(filename=filename, header=header, rows=rows, rtl=rtl)
    return csv_response(filename=filename, header=header, rows=rows)


def export_format(request: HttpRequest) -> str | None:
    """The download asked for with ?export=csv or ?export=xlsx; None shows the page."""
    fmt = request.GET.get("export")
    return fmt if fmt in ("csv", "xlsx") else None


def date_cells(d: date | datetime | None) -> list[str]:
    """An Iranian (YYYY/MM/DD) and a Gregorian (ISO) cell for one date: every export has both."""
    if d is None:
        return ["", ""]
    if isinstance(d, datetime):
        d = d.astimezone(calendar.TEHRAN).date()
    return list(_date_cells(d))


@functools.lru_cache(maxsize=8192)
def _date_cells(d: date) -> tuple[str, str]:
    # A long download repeats the same dates (months, deadlines): each converted to Jalali once.
    return calendar.format_jalali(d, lang="en"), d.isoformat()


def month_cell(year: int, month: int) -> str:
    """An Iranian month as 1405/08, as the filing exports write it."""
    return f"{year}/{month:02d}"


def name_in(obj, lang: str) -> str:
    """A record's name in one language, falling back to the other; empty for none."""
    if obj is None:
        return ""
    fa, en = obj.name_fa, obj.name_en
    return (fa or en) if lang == "fa" else (en or fa)


Table = tuple[Sequence[str], Iterable[Sequence]]


def tables_response(*, request: HttpRequest, filename: str, tables: Mapping[str, Table]):
    """One of a page's tables (?table=, the first by default) as the download ?export= asks for."""
    which = request.GET.get("table") or next(iter(tables))
    if which not in tables:
        raise Http404
    header, rows = tables[which]
    name = filename if len(tables) == 1 else f"{filename}-{which}"
    rtl = (get_language() or "fa").startswith("fa")
    return table_response(fmt=export_format(request), filename=name, header=header, rows=rows, rtl=rtl)
