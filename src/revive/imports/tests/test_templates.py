"""imports/templates.py: every registered kind's blank template, opened and read back."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from revive.core import importing
from revive.imports.templates import template_xlsx


def test_every_kind_of_the_registry_has_a_template():
    assert set(importing.kinds()) == {
        "parks",
        "infrastructure",
        "units",
        "filings",
        "lending",
        "targets",
        "loans",
    }


@pytest.mark.parametrize(
    "kind", ["parks", "infrastructure", "units", "filings", "lending", "targets", "loans"]
)
def test_the_template_carries_both_header_rows_the_example_and_the_notes(kind):
    columns = importing.kind(kind).columns
    with translation.override("en"):
        book = load_workbook(io.BytesIO(template_xlsx(kind)))
    assert book.sheetnames == ["data", "example", "notes"]
    data, example, notes = book["data"], book["example"], book["notes"]
    rows = list(data.iter_rows(values_only=True))
    assert list(rows[0]) == [c.fa for c in columns] and list(rows[1]) == [c.en for c in columns]
    assert len(rows) == 2  # the data sheet is left empty under its headers
    examples = ["" if cell.value is None else cell.value for cell in example[3]]
    assert examples == [c.example for c in columns]
    assert [cell.value for cell in notes[1]] == ["Column", "Required", "What to enter"]
    for i, c in enumerate(columns, start=2):
        name, required, _note = (cell.value for cell in notes[i])
        assert name == f"{c.fa} / {c.en}" and required == ("yes" if c.required else "no")


def test_the_notes_say_how_long_a_text_may_be():
    """The limit the import enforces (the field's max_length) is in the template's notes, before anyone sends."""
    with translation.override("en"):
        notes = load_workbook(io.BytesIO(template_xlsx("units")))["notes"]
    by_name = {row[0]: row[2] for row in notes.iter_rows(min_row=2, values_only=True) if row[0]}
    assert by_name["نام فارسی / Persian name"] == "حداکثر ۱۶۰ نویسه. / At most 160 characters."
    assert by_name["شماره پروانه بهره‌برداری / Operation licence number"].endswith("At most 30 characters.")
    assert not by_name["شاغلان / Employees"]
