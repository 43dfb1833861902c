"""The monthly report (national or one province) as PDF (WeasyPrint, Vazirmatn, right to left) and XLSX.

Both are built from `report_data`, which reads the same selectors as the dashboard.
"""

import io
from datetime import date

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from revive.core import calendar
from revive.core.errors import DomainError, lazy_message
from revive.core.money import format_number, format_percent
from revive.core.pdf import font_dir, html_to_pdf, html_to_pdf_kept, weasyprint_error  # noqa: F401 - one PDF path
from revive.core.rules import language as _lang  # the one rule for the page's language
from revive.core.scoping import Scope
from revive.indicators import press, selectors
from revive.registry import selectors as registry
from revive.registry.models import Province

# Sections other apps add to the report, each a function (scope=, province=) -> dict with "template" (rendered
# with the dict as `s`), "title", "header" and "table" (the XLSX sheet). Registered in their AppConfig.ready():
# indicators may not import them (the import graph).
SECTIONS: list = []


def add_section(provider) -> None:
    if provider not in SECTIONS:
        SECTIONS.append(provider)


def parse_month(text: str, today: date | None = None) -> tuple[int, int]:
    """'1405/08' in any digits; a month that has not started is refused."""
    today = today or calendar.tehran_today()
    year, month = calendar.parse_jalali_month(text)
    if calendar.jalali_month(year, month).start > today:
        raise DomainError(
            lazy_message(
                gettext_lazy("%(month)s has not started yet: the latest report is for %(latest)s."),
                month=f"{year}/{month:02d}",
                latest="{}/{:02d}".format(*calendar.month_of(today)),
            ),
            field="month",
        )
    if year < selectors.FIRST_YEAR:
        raise DomainError(
            lazy_message(gettext_lazy("Reports start in %(first)s."), first=selectors.FIRST_YEAR),
            field="month",
        )
    return year, month


def report_data(*, scope: Scope, year: int, month: int, province: Province | None = None,
                today: date | None = None) -> dict:  # fmt: skip
    """Figures from 1 Farvardin to the end of the month (or to today, for the month under way)."""
    today = today or calendar.tehran_today()
    period = calendar.jalali_month(year, month)
    as_of = min(period.end, today)
    data = selectors.figures(scope=scope, year=year, today=as_of, province=province)
    by_month = registry.revivals_by_month(scope=scope, year=year, province=province)
    last_year = registry.revivals_by_month(scope=scope, year=year - 1, province=province)
    return {
        "year": year,
        "month": month,
        "period": period,
        "as_of": as_of,
        "partial": as_of < period.end,
        "province": province,
        "figures": data,
        "headline": selectors.headline(data["rows"]),
        "jobs": selectors.headline(data["rows"], "jobs_restored"),
        "by_month": [
            {"month": m, "this": by_month[m - 1], "last": last_year[m - 1]} for m in range(1, month + 1)
        ],
        "ranking": selectors.province_ranking(scope=scope, year=year, today=as_of)
        if province is None
        else [],
        "production": selectors.production_index(scope=scope, year=year, month=month, province=province),
        "press": press.summary(
            scope=scope, year=year, lang=_lang(), today=as_of, province=province, data=data
        ),
        "sections": [provider(scope=scope, province=province) for provider in SECTIONS],
    }


def title(data: dict, lang: str) -> str:
    where = data["province"].name(lang) if data["province"] else (_("nationwide"))
    return f"{_('Monthly report')}: {data['period'].label(lang)} · {where}"


def render_html(data: dict) -> str:
    lang = _lang()
    return render_to_string(
        "indicators/report.html",
        {"d": data, "lang": lang, "dir": "rtl" if lang == "fa" else "ltr", "title": title(data, lang),
         "font_dir": font_dir().as_uri(), "charts": _charts(data, lang)},
    )  # fmt: skip


def _charts(data: dict, lang: str) -> dict:
    from revive.indicators import report_charts

    return {
        "by_month": report_charts.revivals_by_month(
            rows=data["by_month"], year=data["year"], partial=data["partial"], lang=lang
        ),
        "progress": report_charts.progress_to_targets(rows=data["figures"]["rows"], lang=lang),
    }


def render_pdf(data: dict) -> bytes:
    """The PDF of this HTML is made once (core.pdf.html_to_pdf_kept): the same figures, language and day
    give the same bytes as the first time."""
    return html_to_pdf_kept(render_html(data))


def render_xlsx(data: dict) -> bytes:
    import xlsxwriter

    lang = _lang()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    pct = book.add_format({"num_format": "0.0%"})
    big = book.add_format({"bold": True, "font_size": 14})

    def sheet(name: str):
        s = book.add_worksheet(name)
        if lang == "fa":
            s.right_to_left()
        return s

    s = sheet(_("Summary")[:31])
    s.write(0, 0, title(data, lang), big)
    s.write(1, 0, _("Figures from %(start)s to %(end)s") % {
        "start": calendar.format_jalali(data["figures"]["period"].start, lang=lang),
        "end": calendar.format_jalali(data["as_of"], lang=lang)})  # fmt: skip
    header = [_("Programme"), _("Indicator"), _("Unit"), _("Target"), _("Actual"), _("Progress"),
              _("Monthly pace needed"), _("Forecast"), _("Forecast low (80%)"), _("Forecast high (80%)")]  # fmt: skip
    s.write_row(3, 0, header, bold)
    for r, row in enumerate(data["figures"]["rows"], start=4):
        ind = row.indicator
        s.write_row(
            r, 0, [ind.programme.name(lang), ind.name(lang), ind.unit_fa if lang == "fa" else ind.unit_en]
        )
        for c, value in enumerate([row.target, row.actual], start=3):
            s.write(r, c, value if value is not None else "")
        s.write(r, 5, row.progress if row.progress is not None else "", pct)
        for c, value in enumerate(
            [row.needed_per_month, row.forecast, row.forecast_low, row.forecast_high], start=6
        ):
            s.write(r, c, round(value) if value is not None else "")
    s.set_column(0, 1, 38)
    s.set_column(2, 9, 14)
    r = 5 + len(data["figures"]["rows"])
    s.write(r, 0, _("Press summary"), bold)
    s.write(r + 1, 0, data["press"]["text"])

    m = sheet(_("By month")[:31])
    m.write_row(0, 0, [_("Month"), str(data["year"]), str(data["year"] - 1)], bold)
    for i, row in enumerate(data["by_month"], start=1):
        m.write_row(i, 0, [calendar.month_name(row["month"], lang), row["this"], row["last"]])
    m.set_column(0, 0, 16)

    if data["ranking"]:
        p = sheet(_("Provinces")[:31])
        p.write_row(0, 0, [_("Rank"), _("Province code"), _("Province"), _("Revived"), _("Jobs restored"),
                           _("Target"), _("Progress")], bold)  # fmt: skip
        for i, row in enumerate(data["ranking"], start=1):
            p.write_row(i, 0, [row["rank"], row["province"].code, row["province"].name(lang),
                               row["revived_units"], row["jobs_restored"], row["target"] or ""])  # fmt: skip
            p.write(i, 6, row["progress"] if row["progress"] is not None else "", pct)
        p.set_column(2, 2, 28)

    g = sheet(_("Production")[:31])
    g.write_row(0, 0, [_("Sector group"), _("Month index"), _("Year-to-date index")], bold)
    for i, row in enumerate(data["production"]["by_group"], start=1):
        g.write_row(i, 0, [str(row["label"]), _round(row["month_index"]), _round(row["ytd_index"])])
    g.set_column(0, 0, 30)
    for section in data.get("sections", []):
        if not section["table"]:  # nothing to tabulate (the PDF says why)
            continue
        x = sheet(str(section["title"])[:31])
        x.write_row(0, 0, section["header"], bold)
        for i, row in enumerate(section["table"], start=1):
            x.write_row(i, 0, ["" if v is None else v for v in row])
        x.set_column(0, 0, 36)
    book.close()
    return buffer.getvalue()


def _round(v):
    return round(v, 1) if v is not None else ""


def filename(data: dict, fmt: str) -> str:
    where = data["province"].code if data["province"] else "IR"
    return f"revive-report-{data['year']}-{data['month']:02d}-{where}.{fmt}"


def number(value, lang: str) -> str:
    return "—" if value is None else format_number(int(round(value)), lang)


def percent(value, lang: str) -> str:
    return format_percent(value, lang)
