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
