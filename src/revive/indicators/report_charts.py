"""Charts of the monthly PDF report: revivals by month against last year, and progress to each target.

Drawn as HTML boxes sized on the server rather than as SVG: WeasyPrint lays out Persian text in HTML
(joined letters, right to left) but not inside an SVG, and the report's stylesheet applies. The months
run from the right in Persian because the page does.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from revive.core import calendar
from revive.core.money import format_number, format_percent
from revive.core.text import to_persian_digits


def _year(year: int, lang: str) -> str:
    return to_persian_digits(str(year)) if lang == "fa" else str(year)


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0%"


def revivals_by_month(*, rows: list[dict], year: int, partial: bool, lang: str) -> SafeString:
    """Twelve month groups: this year's revivals beside last year's; the month under way drawn apart."""
    this = {r["month"]: r["this"] for r in rows}
    last = {r["month"]: r["last"] for r in rows}
    peak = max(list(this.values()) + list(last.values()) + [1])
    under_way = max(this) if (partial and this) else None
    title = _("Idle units revived per month, %(year)s against %(last)s") % {
        "year": _year(year, lang), "last": _year(year - 1, lang)}  # fmt: skip

    def bar(kind: str, value: int | None) -> SafeString:
        if value is None:
            return mark_safe('<span class="bar none"></span>')
        return format_html('<span class="bar {}" style="height: {}"><b>{}</b></span>',
                           kind, _pct(value, peak), format_number(value, lang))  # fmt: skip

    months = format_html_join(
        "",
        '<div class="month"><div class="pair">{}{}</div><span class="name">{}</span></div>',
        (
            (
                bar("this partial" if m == under_way else "this", this.get(m)),
                bar("last", last.get(m)),
                calendar.month_name(m, lang),
            )
            for m in range(1, 13)
        ),
    )
    keys = [("this", _year(year, lang)), ("last", _year(year - 1, lang))]
    if under_way:
        keys.append(("this partial", _("month under way")))
    legend = format_html_join("", '<span class="key"><i class="{}"></i>{}</span>', keys)
    return format_html(
        '<div class="bars" role="img" aria-label="{}"><p class="chart-title">{}</p><p class="legend">{}</p>'
        '<div class="plot">{}</div></div>',
        title, title, legend, months,
    )  # fmt: skip


def progress_to_targets(*, rows: list, lang: str) -> SafeString:
    """One bar per indicator with a target: the share reached, against a mark at 100%."""
    with_target = [r for r in rows if r.target and r.progress is not None]
    if not with_target:
        return mark_safe("")
    full = max([1.0] + [min(r.progress, 2.0) for r in with_target])
    title = _("Progress to each target")
    lines = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="track"><span class="fill{}" style="width: {}"></span>'
        '<span class="mark" style="inset-inline-start: {}"></span></td><td class="n">{}</td></tr>',
        (
            (
                r.indicator.name(lang),
                " met" if r.progress >= 1 else "",
                _pct(min(r.progress, 2.0), full),
                _pct(1.0, full),
                format_percent(r.progress, lang, 0),
            )
            for r in with_target
        ),
    )
    return format_html(
        '<table class="progress" aria-label="{}"><caption>{}</caption><tbody>{}</tbody></table>'
        '<p class="note">{}</p>',
        title, title, lines, _("The dashed mark is the target (100%)."),
    )  # fmt: skip
