"""The import job page's download: every stored error of a file (row, column, value, what is wrong)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from revive.core import rules
from revive.imports.models import ImportJob
from revive.web.exports import table_response


def in_language(text, lang: str) -> str:
    """A stored {fa, en} text in the page's language (a plain string is shown as it is)."""
    return text.get(lang, "") if isinstance(text, dict) else str(text)


def errors_export(job: ImportJob, fmt: str) -> HttpResponse:
    """Every stored error of a file, to work through in a spreadsheet beside the file itself."""
    lang = rules.language()
    header = [_("Row"), _("Column"), _("Value"), _("What is wrong")]
    rows = (
        [e["row"], in_language(e["column"], lang), e["value"], in_language(e["message"], lang)]
        for e in job.errors
    )
    return table_response(fmt=fmt, filename=f"revive-import-{job.pk}-errors", header=header, rows=rows,
                          rtl=lang == "fa")  # fmt: skip
