"""Read a CSV or XLSX upload into rows of cells, refusing files that are too big or not what they claim.

Every limit is checked before the cells are read: a workbook's first sheet is measured from its XML
(the rows and columns its cells reach) and read in a child process whose memory is limited
(`sheet_reader`), so no workbook can exhaust the server's memory. Text is UTF-8 when it decodes as
UTF-8 or when most of its non-ASCII bytes form UTF-8 characters (then a byte that does not is an error
with its row and column: the file is never re-read in another encoding because of one stray byte);
Windows-1256 only when most do not. Control characters (NUL and the rest) are refused wherever they
are, with their row and column.
"""

import csv
import io
import pickle
import re
import subprocess
import sys
import zipfile

from django.utils.translation import gettext_lazy as _

from revive.core.errors import DomainError, lazy_message

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_COLUMNS = 100  # the widest kind has about 15 columns
MAX_CELLS = 20_000_000  # rows x columns of the sheet's grid
READ_MEMORY = 3 * 2**30  # the address space of the child process that reads a workbook
READ_SECONDS = 600
# An XLSX is a zip: refuse one that would expand to more than this, or compresses suspiciously well.
MAX_EXPANDED = 1024 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 1000

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; lone surrogates (the bytes that
# were not UTF-8, kept by the surrogateescape decoder so that they can be found by row and column).
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# A well-formed UTF-8 character of two to four bytes (no overlongs, no surrogates).
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH = re.compile(rb"[\x80-\xff]")


def _fail(message) -> DomainError:
    return DomainError(message, field="file")


def _damaged() -> DomainError:
    return _fail(_("This file is not an Excel workbook (.xlsx): it may be damaged or of another kind."))


def _check_zip(content: bytes) -> None:
    if not content.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(content)):
        if content.startswith(b"\xd0\xcf\x11\xe0"):
            raise _fail(_("This is an old Excel file (.xls): open it in Excel and save it as .xlsx."))
        raise _damaged()
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _damaged() from None
    expanded = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or expanded > MAX_EXPANDED or expanded > MAX_RATIO * max(len(content), 1):
        raise _fail(
            _("This workbook expands to far more data than its size suggests; it is refused for safety.")
        )


def _too_big(rows: int, columns: int, last_cell: str) -> DomainError:
    return _fail(
        lazy_message(
            _(
                "The first sheet reaches cell %(cell)s (%(rows)s rows, %(columns)s columns): at most "
                "%(max_rows)s rows and %(max_columns)s columns are read. Delete what is beyond your data "
                "(or split the file) and send it again."
            ),
            cell=last_cell,
            rows=rows,
            columns=columns,
            max_rows=MAX_ROWS,
            max_columns=MAX_COLUMNS,
        )
    )


def _read_xlsx(content: bytes) -> list[list]:
    """The first sheet, measured and read in a child process with limited memory."""
    _check_zip(content)
    command = [
        sys.executable,
        "-I",
        "-m",
        "revive.imports.sheet_reader",
        str(MAX_ROWS + 2),
        str(MAX_COLUMNS),
        str(MAX_CELLS),
        str(READ_MEMORY),
    ]
    try:
        done = subprocess.run(command, input=content, capture_output=True, timeout=READ_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise _fail(_("This workbook takes too long to read: split it into smaller files.")) from None
    try:
        answer = pickle.loads(done.stdout) if done.returncode == 0 else None
    except Exception:
        answer = None
    if not isinstance(answer, dict):  # the child ran out of its memory or died otherwise
        raise _fail(
            _("This workbook needs more memory to read than an import may use: split it into smaller files.")
        )
    if "size" in answer:
        raise _too_big(*answer["size"])
    if "rows" not in answer:
        raise _damaged()
    return answer["rows"]


def decode_csv(content: bytes) -> str:
    """UTF-8 with or without BOM, else Windows-1256 (what Persian Excel writes); binary is refused.

    Bytes that are not UTF-8 in a file that is otherwise UTF-8 are kept as lone surrogates, which
    check_cells() reports with their row and column."""
    if content.startswith(b"PK\x03\x04"):
        raise _fail(_("This file is an Excel workbook, not a CSV file: name it .xlsx."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        high = len(_HIGH.findall(content))
        in_utf8 = sum(len(m) for m in _UTF8_MULTI.findall(content))
        if in_utf8 * 2 > high:  # mostly UTF-8: a stray byte is an error, not a reason to guess again
            body = content[3:] if content.startswith(b"\xef\xbb\xbf") else content
            text = body.decode("utf-8", errors="surrogateescape")
        else:
            text = content.decode("cp1256")
    sample = text[:65536]
    if sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t") > max(8, len(sample) // 100):
        raise _fail(_("This file is not a CSV text file: it contains binary data."))
    return text


def check_cells(rows: list[list]) -> None:
    """Refuse a control character or a byte that is not UTF-8 in any cell, naming its row and column."""
    for r, row in enumerate(rows, start=1):
        texts = [v for v in row if isinstance(v, str)]
        if not texts or not _BAD_CHAR.search("".join(texts)):
            continue
        for c, value in enumerate(row, start=1):
            found = _BAD_CHAR.search(value) if isinstance(value, str) else None
            if found is None:
                continue
            char = found.group()
            if "\udc80" <= char <= "\udcff":
                message = _(
                    "Row %(row)s, column %(column)s: the byte %(code)s is not UTF-8 in a file that is "
                    "otherwise UTF-8 (a character pasted from another encoding?). Correct it and save the "
                    "file as UTF-8."
                )
                code = f"0x{ord(char) - 0xDC00:02X}"
            else:
                message = _(
                    "Row %(row)s, column %(column)s holds a control character (%(code)s) that text may not "
                    "contain: remove it and send the file again."
                )
                code = f"U+{ord(char):04X}"
            raise _fail(lazy_message(message, row=r, column=c, code=code))


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
    check_cells(rows)
    return rows
