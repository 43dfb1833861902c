"""Blank XLSX templates per import kind: Persian and English header rows, an example sheet and notes."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from revive.core import importing
from revive.core.errors import lazy_message


def _note(col: importing.Column) -> str:
    """What to enter in a column, in the active language. A free-text column (a name, a licence number)
    says the most characters it takes; a column with a note of its own says there what it takes (a code's
    form, its choices)."""
    if col.note:
        return str(col.note)
    if col.max_length is not None:
        return str(lazy_message(gettext_lazy("At most %(n)s characters."), n=col.max_length))
    return ""


def template_xlsx(kind: str) -> bytes:
    import xlsxwriter

    handler = importing.kind(kind)
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
    text = book.add_format({"num_format": "@"})
    for title, with_example in ((_("data"), False), (_("example"), True)):
        sheet = book.add_worksheet(title[:31])
        sheet.right_to_left()
        for i, col in enumerate(handler.columns):
            sheet.write_string(0, i, col.fa, bold)
            sheet.write_string(1, i, col.en, bold)
            sheet.set_column(i, i, max(16, len(col.en) + 2), text)  # text cells keep leading zeros
            if with_example:
                value = col.example
                if isinstance(value, int | float):
                    sheet.write_number(2, i, value)
                else:
                    sheet.write_string(2, i, str(value))
        sheet.freeze_panes(2, 0)
    notes = book.add_worksheet(_("notes")[:31])
    notes.set_column(0, 0, 30)
    notes.set_column(1, 2, 60)
    notes.write_row(0, 0, [_("Column"), _("Required"), _("What to enter")], bold)
    for i, col in enumerate(importing.columns_of(handler).values(), start=1):
        with override("fa"):
            note_fa = _note(col)
        with override("en"):
            note_en = _note(col)
        notes.write_row(
            i,
            0,
            [
                f"{col.fa} / {col.en}",
                _("yes") if col.required else _("no"),
                f"{note_fa} / {note_en}".strip(" /"),
            ],
        )
    notes.write_string(
        len(handler.columns) + 2,
        0,
        _(
            "Fill the first sheet under the two header rows. Dates may be Iranian (1405/08/15) or "
            "Gregorian (2026-11-05); Persian and English digits are both accepted. The whole file is "
            "checked first: if any row has an error nothing is imported."
        ),
    )
    book.close()
    return buf.getvalue()
