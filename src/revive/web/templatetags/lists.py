"""Rows of long tables written in one pass (format_html_join) instead of a template loop of tags and filters
per row: the same HTML, a fraction of the template engine's work (issue 17)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.filter
def credit_line_rows(rows, unit: str) -> SafeString:
    """The credit lines page's table body (web/finance/credit_lines.html): each line's bank, national line or
    province quota, amounts and share used; each bank's and province's name written once."""
    from revive.core import money, rules
    from revive.web.templatetags.revive import name

    lang = rules.language()  # (the filters rials and pct ask it once a value)
    banks: dict[int, str] = {}
    provinces: dict[int, str] = {}

    def amount(value) -> str:  # the rials filter
        return "—" if value is None else money.format_money(int(value), unit, lang)

    def named(obj, names: dict[int, str]) -> str:
        if obj.pk not in names:
            names[obj.pk] = name(obj)
        return names[obj.pk]

    quota_of = gettext("Quota of")
    national = format_html("<strong>{}</strong>", gettext("National line"))
    return format_html_join(
        "",
        '<tr><td>{}</td><td>{}</td>\n    <td class="n">{}</td><td class="n">{}</td><td class="n">{}</td>'
        '<td class="n">{}</td></tr>\n  ',
        (
            (
                named(r["bank"], banks),
                format_html("{} {}", quota_of, named(r["province"], provinces))
                if r["province"]
                else national,
                amount(r["amount"]),
                amount(r["used"]),
                amount(r["remaining"]),
                money.format_percent(r["share_used"], lang, 1),  # the pct filter
            )
            for r in rows
        ),
    )


@register.filter
def park_unit_rows(units) -> SafeString:
    """The park page's units table body (web/park.html): each unit's link and name, sector, employees and
    band; each sector's name and each band's label written once."""
    from django.urls import reverse

    from revive.core import money, rules
    from revive.registry.models import ProductionUnit
    from revive.web.templatetags.revive import name

    lang = rules.language()
    sectors: dict[int, str] = {}
    bands = {value: str(label) for value, label in ProductionUnit._meta.get_field("current_band").flatchoices}

    def sector(unit) -> str:
        if unit.sector_id not in sectors:
            sectors[unit.sector_id] = name(unit.sector)
        return sectors[unit.sector_id]

    def band(value) -> str:  # get_current_band_display
        return bands.get(value, value)

    return format_html_join(
        "",
        '<tr><td><a href="{}">{}</a></td><td>{}</td><td class="n">{}</td><td><span class="tag {}">{}</span></td>'
        "</tr>",
        (
            (
                reverse("web:unit", args=[u.business_id]),
                name(u),
                sector(u),
                "—" if u.employees is None else money.format_number(int(u.employees), lang),  # the num filter
                u.current_band,
                band(u.current_band),
            )
            for u in units
        ),
    )


@register.filter
def missing_filer_rows(units) -> SafeString:
    """The filings page's missing filers (web/filings/filings.html): business ID, unit link and name, park,
    last filed month (or never) and months past due; each park's name written once."""
    from django.urls import reverse

    from revive.web.templatetags.revive import digits, month_name, name, num

    parks: dict[int, str] = {}
    never = gettext("never")

    def park(unit) -> str:
        if unit.park_id not in parks:
            parks[unit.park_id] = name(unit.park)
        return parks[unit.park_id]

    def last_filed(unit) -> str:
        if not unit.last_filed:
            return never
        return f"{month_name(unit.last_filed[1])} {digits(unit.last_filed[0])}"

    return format_html_join(
        "",
        '<tr><td class="id">{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td class="n">{}</td></tr>',
        (
            (
                digits(u.business_id),
                reverse("web:unit", args=[u.business_id]),
                name(u),
                park(u),
                last_filed(u),
                "—" if u.months_missing is None else num(u.months_missing),
            )
            for u in units
        ),
    )


@register.filter
def late_filing_rows(filings) -> SafeString:
    """The filings page's late filings (web/filings/filings.html): unit, month, due and filed dates; each
    date written once."""
    from revive.web.templatetags.revive import digits, jdate, name

    dates: dict = {}

    def day(value) -> str:
        if value not in dates:
            dates[value] = jdate(value)
        return dates[value]

    return format_html_join(
        "",
        "<tr><td>{} {}</td><td>{}/{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                digits(f.unit.business_id),
                name(f.unit),
                digits(f.jyear),
                digits(f.jmonth),
                day(f.due_on),
                day(f.filed_on),
            )
            for f in filings
        ),
    )
