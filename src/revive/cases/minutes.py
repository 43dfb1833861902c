"""A workgroup meeting on paper: the minutes (صورتجلسه) and one letter per addressee with its resolutions.

Both are HTML documents rendered from the same data, printed by the browser or turned into PDF
(core/pdf.py). Reference numbers are derived from the meeting, so a reprint carries the same number.
"""

from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string

from revive.cases.models import Meeting, Resolution
from revive.core import calendar, pdf
from revive.core.rules import language as _lang  # the one rule for the page's language
from revive.core.text import to_persian_digits
from revive.registry.models import Organisation


@dataclass(frozen=True)
class NumberedResolution:
    number: int  # 1, 2, ... in the order the workgroup issued them
    resolution: Resolution


def _digits(text: str, lang: str) -> str:
    return to_persian_digits(text) if lang == "fa" else text


def reference(meeting: Meeting, organisation: Organisation | None = None, lang: str = "fa") -> str:
    """'20/1405/12' for the minutes of meeting 12 of Semnan (IR-20) in 1405; '20/1405/12/3' for the letter
    to the third addressee of that meeting (addressees ordered by their first resolution)."""
    year, _m, _d = calendar.to_jalali(meeting.held_on)
    base = f"{meeting.province.code.removeprefix('IR-')}/{year}/{meeting.number}"
    if organisation is not None:
        order = addressees(meeting)
        base += f"/{[o.pk for o in order].index(organisation.pk) + 1}"
    return _digits(base, lang)


def numbered(meeting: Meeting) -> list[NumberedResolution]:
    """The meeting's resolutions with what the minutes and letters print of them: their addressee (a few
    organisations, each read once) and their case's unit (name and business ID only: a national meeting
    has hundreds of resolutions, and whole cases and units were most of the minutes page's time)."""
    resolutions = list(
        meeting.resolutions.select_related("case__unit")
        .only(*RESOLUTION_FIELDS, "case__unit_id", *(f"case__unit__{f}" for f in UNIT_FIELDS))
        .order_by("id")
    )
    organisations = Organisation.objects.in_bulk({r.organisation_id for r in resolutions})
    for r in resolutions:
        r.organisation = organisations[r.organisation_id]
    return [NumberedResolution(i, r) for i, r in enumerate(resolutions, start=1)]


# What the minutes and letters print (cases/minutes.html, cases/letter.html).
RESOLUTION_FIELDS = ("meeting_id", "case_id", "organisation_id", "text", "deadline")
UNIT_FIELDS = ("name_fa", "name_en", "business_id")
AGENDA_FIELDS = ("state", "unit_id", "park_id", *(f"unit__{f}" for f in UNIT_FIELDS), "park__name_fa",
                 "park__name_en")  # fmt: skip


def addressees(meeting: Meeting) -> list[Organisation]:
    """The organisations the meeting's resolutions are addressed to, in the order of their first resolution.
    Read from the resolutions' organisation ids alone: the letter page asks twice (its record, its reference)
    and loading every resolution with its case and unit for it cost ~30 ms a time on a national meeting."""
    order = list(dict.fromkeys(meeting.resolutions.order_by("id").values_list("organisation_id", flat=True)))
    found = Organisation.objects.in_bulk(order)
    return [found[pk] for pk in order]


def _paper_css() -> str:
    # The same stylesheet the browser's printable page links to, inlined for WeasyPrint.
    from django.contrib.staticfiles import finders

    found = finders.find("revive/paper.css")
    return Path(found).read_text(encoding="utf-8") if found else ""


def _common(meeting: Meeting, lang: str) -> dict:
    return {
        "paper_css": _paper_css(),
        "meeting": meeting,
        "lang": lang,
        "dir": "rtl" if lang == "fa" else "ltr",
        "font_dir": pdf.font_dir().as_uri(),
        "issued_on": calendar.tehran_today(),
    }


def minutes_html(meeting: Meeting, *, for_print: bool = False) -> str:
    lang = _lang()
    return render_to_string(
        "cases/minutes.html",
        {
            **_common(meeting, lang),
            "reference": reference(meeting, lang=lang),
            "resolutions": numbered(meeting),
            "attendees": list(meeting.attendees.all()),
            "agenda": list(meeting.cases.select_related("unit", "park").only(*AGENDA_FIELDS).order_by("id")),
            "for_print": for_print,
        },
    )


def letter_html(meeting: Meeting, organisation: Organisation, *, for_print: bool = False) -> str:
    lang = _lang()
    items = [n for n in numbered(meeting) if n.resolution.organisation_id == organisation.pk]
    return render_to_string(
        "cases/letter.html",
        {
            **_common(meeting, lang),
            "reference": reference(meeting, organisation, lang=lang),
            "minutes_reference": reference(meeting, lang=lang),
            "organisation": organisation,
            "resolutions": items,
            "for_print": for_print,
        },
    )


def minutes_pdf(meeting: Meeting) -> bytes:
    return pdf.html_to_pdf_kept(minutes_html(meeting))  # the same minutes: the same bytes


def letter_pdf(meeting: Meeting, organisation: Organisation) -> bytes:
    return pdf.html_to_pdf_kept(letter_html(meeting, organisation))
