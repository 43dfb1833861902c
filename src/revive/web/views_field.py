"""Pages for work in the field: the Jalali date picker's month grid (calendar arithmetic stays on the server)."""

from datetime import date
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from revive.core import calendar
from revive.core.errors import DomainError
from revive.core.text import to_persian_digits


def _lang(request: HttpRequest) -> str:
    return "fa" if (getattr(request, "LANGUAGE_CODE", "fa") or "fa").startswith("fa") else "en"


@require_safe
def calendar_month(request: HttpRequest) -> HttpResponse:
    """One Jalali month as a grid of day buttons (Saturday first), for the picker beside every date field.

    `month=YYYY/MM` shows that month; otherwise the month of `value` (what the field holds, in any digits),
    otherwise this month. Only days that exist are offered: Esfand 1403 has a 30th, Esfand 1404 does not.
    """
    lang = _lang(request)
    selected: date | None = None
    try:
        selected = calendar.parse_jalali(request.GET.get("value", "")[:40])
    except DomainError:
        selected = None
    today = calendar.tehran_today()
    try:
        year, month = calendar.parse_jalali_month(request.GET.get("month", "")[:20])
    except DomainError:
        year, month = calendar.month_of(selected or today)

    def digits(s: str) -> str:
        return to_persian_digits(s) if lang == "fa" else s

    first = calendar.from_jalali(year, month, 1)
    lead = (first.weekday() - 5) % 7  # the Iranian week starts on Saturday (Python's weekday 5)
    cells: list[dict | None] = [None] * lead
    for day in range(1, calendar.month_length(year, month) + 1):
        value = f"{year:04d}/{month:02d}/{day:02d}"
        g = calendar.from_jalali(year, month, day)
        cells.append(
            {
                "day": digits(str(day)),
                "value": digits(value),
                "iso": g.isoformat(),
                "today": g == today,
                "selected": g == selected,
            }
        )
    cells += [None] * (-len(cells) % 7)
    weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]

    def neighbour(n: int) -> str:
        try:
            y, m = calendar.add_months((year, month), n)
            calendar.from_jalali(y, m, 1)
        except (DomainError, ValueError):
            return ""
        return f"{y:04d}/{m:02d}"

    return render(
        request,
        "web/field/calendar_month.html",
        {
            "title": digits(f"{calendar.month_name(month, lang)} {year}"),
            "weeks": weeks,
            "prev_month": neighbour(-1),
            "next_month": neighbour(1),
            "prev_year": neighbour(-12),
            "next_year": neighbour(12),
            "weekdays": WEEKDAYS[lang],
        },
    )


WEEKDAYS = {
    "fa": ("ش", "ی", "د", "س", "چ", "پ", "ج"),
    "en": ("Sa", "Su", "Mo", "Tu", "We", "Th", "Fr"),
}


FAVICON = Path(__file__).parent / "static" / "revive" / "favicon.svg"


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every page; answer with the icon instead of a 404."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
