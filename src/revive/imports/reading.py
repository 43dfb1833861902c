"""Read a CSV or XLSX upload into rows of cells, refusing files that are too big or not what they claim."""

import csv
import io
import zipfile

from django.utils.translation import gettext_lazy as _

from revive.core.errors import DomainError, lazy_message

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 1_000_000
# An XLSX is a zip: refuse one that would expand to more than this, or compresses suspiciously well.
MAX_EXPANDED = 1024 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 1000


def _fail(message) -> DomainError:
    return DomainError(message, field="file")


def _check_zip(content: bytes) -> None:
    if not content.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(content)):
        if content.startswith(b"\xd0\xcf\x11\xe0"):
            raise _fail(_("This is an old Excel file (.xls): open it in Excel and save it as .xlsx."))
        raise _fail(_("This file is not an Excel workbook (.xlsx): it may be damaged or of another kind."))
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _fail(
            _("This file is not an Excel workbook (.xlsx): it may be damaged or of another kind.")
        ) from None
    expanded = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or expanded > MAX_EXPANDED or expanded > MAX_RATIO * max(len(content), 1):
        raise _fail(
            _("This workbook expands to far more data than its size suggests; it is refused for safety.")
        )


def _read_xlsx(content: bytes) -> list[list]:
    _check_zip(content)
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # openpyxl is the slower fallback
        return _read_xlsx_openpyxl(content)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:  # calamine raises its own kinds (zip, XML, missing sheet) for a bad workbook
        raise _fail(
            _("This file is not an Excel workbook (.xlsx): it may be damaged or of another kind.")
        ) from None


def _read_xlsx_openpyxl(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    except Exception:
        raise _fail(
            _("This file is not an Excel workbook (.xlsx): it may be damaged or of another kind.")
        ) from None


def decode_csv(content: bytes) -> str:
    """UTF-8 with or without BOM, else Windows-1256 (what Persian Excel writes); binary is refused."""
    if content.startswith(b"PK\x03\x04"):
        raise _fail(_("This file is an Excel workbook, not a CSV file: name it .xlsx."))
    if b"\x00" in content[:65536]:
        raise _fail(_("This file is not a CSV text file: it contains binary data."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1256")
        except UnicodeDecodeError:
            raise _fail(_("Save the CSV file as UTF-8 or Windows Arabic (1256).")) from None
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > max(8, len(sample) // 100):
        raise _fail(_("This file is not a CSV text file: it contains binary data."))
    return text


def _read_csv(content: bytes) -> list[list]:
    text = decode_csv(content)
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(1_000_000)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise _fail(lazy_message(_("The CSV file cannot be read: %(reason)s."), reason=exc)) from None


def read_table(content: bytes, filename: str) -> list[list]:
    """The first sheet (or the CSV) as a list of rows; DomainError(field="file") with a clear message."""
    if len(content) > MAX_BYTES:
        raise _fail(
            lazy_message(
                _("The file is larger than %(mb)s MB: split it into smaller files."), mb=MAX_BYTES // 2**20
            )
        )
    if not content:
        raise _fail(_("The file is empty."))
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")):
        rows = _read_xlsx(content)
    elif name.endswith((".csv", ".txt")):
        rows = _read_csv(content)
    elif name.endswith(".xls"):
        raise _fail(_("This is an old Excel file (.xls): open it in Excel and save it as .xlsx."))
    else:
        raise _fail(_("Send an Excel workbook (.xlsx) or a CSV file (.csv)."))
    if len(rows) > MAX_ROWS + 2:
        raise _fail(lazy_message(_("At most %(n)s rows per file: split it into smaller files."), n=MAX_ROWS))
    return rows
