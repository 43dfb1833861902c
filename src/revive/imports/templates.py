"""Blank XLSX templates per import kind: Persian and English header rows, an example sheet and notes."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import override

from revive.core import importing


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
    for i, col in enumerate(handler.columns, start=1):
        with override("fa"):
            note_fa = str(col.note)
        with override("en"):
            note_en = str(col.note)
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
