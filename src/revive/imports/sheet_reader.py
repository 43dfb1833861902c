"""Read the first sheet of an XLSX workbook in a child process that cannot take the server down.

    python -m revive.imports.sheet_reader MAX_ROWS MAX_COLUMNS MAX_CELLS MEMORY_BYTES < book.xlsx > result.pickle

The child limits its own address space (RLIMIT_AS) before it reads anything, then measures the sheet
from its XML, cell by cell, with a streaming parser (expat: no tree, bounded memory): the rows and
columns its cells actually reach, whatever its <dimension> claims. A sheet beyond the limits is
answered with its size and never handed to the spreadsheet library, whose grid is rows x columns
(one cell at XFD1048576 would be 550 GB). Within the limits the sheet is read with python-calamine
(openpyxl when it is missing). Whatever happens inside, the parent sees a result or a dead child,
never its own memory exhausted. No Django here: this runs as a plain Python process.

The answer on stdout is one pickle: {"rows": [[...], ...]}, {"size": (rows, columns, last_cell)} or
{"damaged": True}.
"""

import io
import pickle
import posixpath
import re
import sys
import zipfile
from xml.parsers import expat

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CELL_REF = re.compile(r"([A-Za-z]{1,3})?(\d+)?")


def column_letters(n: int) -> str:
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1].rsplit(" ", 1)[-1]


def first_sheet_path(book: zipfile.ZipFile) -> str:
    """The part name of the workbook's first sheet (the one the reader reads), from workbook.xml."""
    names = set(book.namelist())
    first: dict[str, str] = {}
    targets: dict[str, str] = {}

    def on_book(name, attrs):
        if _local(name) == "sheet" and not first:
            for key, value in attrs.items():
                if _local(key) == "id":
                    first["id"] = value

    def on_rels(name, attrs):
        if _local(name) == "Relationship" and "Id" in attrs:
            targets[attrs["Id"]] = attrs.get("Target", "")

    for part, handler in (("xl/workbook.xml", on_book), ("xl/_rels/workbook.xml.rels", on_rels)):
        if part in names:
            parser = expat.ParserCreate(namespace_separator=" ")
            parser.StartElementHandler = handler
            with book.open(part) as f:
                parser.ParseFile(f)
    target = targets.get(first.get("id", ""), "")
    if target:
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        if path in names:
            return path
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    if "xl/worksheets/sheet1.xml" in names:
        return "xl/worksheets/sheet1.xml"
    if not sheets:
        raise ValueError("no worksheet")
    return sheets[0]


# Every cell element, and the reference of one that carries it as r="AB12" (what Excel always writes).
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CELL_REF_ATTR = re.compile(rb"\sr=[\"']([A-Z]{1,3})([0-9]{1,7})[\"']")  # only cells have r="AB12"
_CHUNK = 16 * 2**20


def measure(content: bytes) -> tuple[int, int, int]:
    """(rows, columns, cells) that the first sheet's cells reach, read as a stream.

    The fast way reads the references of the cells (r="XFD1048576") with two regular expressions over the
    decompressed XML, chunk by chunk; when some cell has no reference (or one it cannot read), the sheet is
    walked element by element instead (expat), placing each cell as a spreadsheet would."""
    book = zipfile.ZipFile(io.BytesIO(content))
    part = first_sheet_path(book)
    rows = cols = cells = 0
    tail = b""
    with book.open(part) as f:
        while True:
            chunk = f.read(_CHUNK)
            data = tail + chunk
            cut = data.rfind(b">") + 1 if chunk else len(data)
            data, tail = data[:cut], data[cut:]
            if len(tail) > _CHUNK:  # a tag longer than a chunk: no spreadsheet writes that
                return _measure_walk(book, part)
            if b":c" in data:  # prefixed elements (x:c): the regular expression finds them
                tags = len(_CELL_TAG.findall(data))
            else:
                tags = data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/>") + data.count(b"<c\t")
                tags += data.count(b"<c\n") + data.count(b"<c\r")
            refs = _CELL_REF_ATTR.findall(data)
            if len(refs) != tags:
                return _measure_walk(book, part)
            if refs:
                letters = {ref[0] for ref in refs}
                cols = max(cols, max(_column_number(x.decode()) for x in letters))
                rows = max(rows, max(map(int, {ref[1] for ref in refs})))
                cells += len(refs)
            if not chunk:
                break
    return rows, cols, cells


def _measure_walk(book: zipfile.ZipFile, part: str) -> tuple[int, int, int]:
    """measure(), element by element: slower, exact for cells without a reference."""
    state = {"row": 0, "col": 0, "rows": 0, "cols": 0, "cells": 0, "cell": None, "filled": False}

    def start(name, attrs):
        tag = _local(name)
        if tag == "c":
            ref = attrs.get("r")
            col = state["col"] + 1
            row = state["row"]
            if ref:
                match = _CELL_REF.fullmatch(ref)
                if match and match[1]:
                    col = _column_number(match[1])
                if match and match[2]:
                    row = int(match[2])
            state["col"] = col
            state["cell"] = (row, col)
            state["filled"] = False
        elif tag == "row":
            ref = attrs.get("r")
            state["row"] = int(ref) if ref and ref.isdecimal() else state["row"] + 1
            state["col"] = 0
        elif tag in ("v", "is", "f") and state["cell"] is not None:
            state["filled"] = True

    def end(name):
        if _local(name) == "c" and state["cell"] is not None:
            if state["filled"]:
                row, col = state["cell"]
                state["rows"] = max(state["rows"], row)
                state["cols"] = max(state["cols"], col)
                state["cells"] += 1
            state["cell"] = None

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.buffer_text = True
    with book.open(part) as f:
        parser.ParseFile(f)
    return state["rows"], state["cols"], state["cells"]


def _read_cells(content: bytes) -> list[list]:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # openpyxl is the slower fallback
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def read(content: bytes, *, max_rows: int, max_columns: int, max_cells: int) -> dict:
    try:
        rows, cols, _cells = measure(content)
    except Exception:  # a damaged zip or XML: the parent says so in the user's language
        return {"damaged": True}
    if rows > max_rows or cols > max_columns or rows * cols > max_cells:
        return {"size": (rows, cols, f"{column_letters(cols)}{rows}")}
    try:
        return {"rows": _read_cells(content)}
    except MemoryError:
        raise
    except Exception:  # calamine raises its own kinds (zip, XML, missing sheet) for a bad workbook
        return {"damaged": True}


def main() -> None:
    import resource

    max_rows, max_columns, max_cells, memory = (int(a) for a in sys.argv[1:5])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    content = sys.stdin.buffer.read()
    answer = read(content, max_rows=max_rows, max_columns=max_columns, max_cells=max_cells)
    pickle.dump(answer, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
