"""Template filters that put numbers, money and dates at the edge, in the page's language."""

import re
from datetime import date

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from revive.core import calendar, money, rules
from revive.core.text import to_persian_digits

register = template.Library()


@register.simple_tag
def once() -> str:
    """A form's one-time token (web/forms.py, sent_once): written afresh each time the form is shown."""
    import uuid

    from django.utils.html import format_html

    from revive.web.forms import ONCE

    return format_html('<input type="hidden" name="{}" value="{}">', ONCE, uuid.uuid4().hex)


@register.filter
def sees(scope, obj) -> bool:
    """`{% if scope|sees:unit.park %}`: link to a record only when its page opens for this reader."""
    return obj is not None and scope.sees(obj)


@register.filter
def num(value) -> str:
    """A whole number with digit grouping in the page's digits."""
    if value is None or value == "":
        return "—"
    return money.format_number(int(value), rules.language())


@register.filter
def digits(value) -> str:
    """Digits of an identifier in the page's language, without grouping."""
    text = "" if value is None else str(value)
    return to_persian_digits(text) if rules.language() == "fa" else text


_TAG_OR_ENTITY_OR_DIGITS = re.compile(r"(<[^>]*>|&#?\w+;)|([0-9]+)")


@register.filter
def localdigits(value):
    """A message's digits in the page's language: Django's own texts (a password rule's help, its
    validators' errors) come with ASCII digits even in Persian ('حداقل 10 نویسه'). Escaped as the template
    would (safe HTML stays HTML), then only the digits of the text change, never those of a tag or an
    entity such as &#x27;."""
    if value is None:
        return value
    html = conditional_escape(value)
    if rules.language() != "fa":
        return html
    return mark_safe(  # noqa: S308 (escaped above; only digits outside tags and entities change)
        _TAG_OR_ENTITY_OR_DIGITS.sub(lambda m: m.group(1) or to_persian_digits(m.group(2)), str(html))
    )


@register.filter
def pct(value, places: int = 1) -> str:
    return money.format_percent(value, rules.language(), int(places))


@register.filter
def rials(value, unit: str = "billion_rial") -> str:
    if value is None:
        return "—"
    return money.format_money(int(value), unit, rules.language())


@register.filter
def jdate(value: date | None, style: str = "numeric") -> str:
    if not value:
        return "—"
    if hasattr(value, "date"):
        value = value.astimezone(calendar.TEHRAN).date()
    return calendar.format_jalali(value, lang=rules.language(), style=style)


@register.filter
def gdate(value: date | None) -> str:
    """The Gregorian date, shown beside the Jalali one on English pages."""
    if not value or rules.language() == "fa":
        return ""
    if hasattr(value, "date"):
        value = value.astimezone(calendar.TEHRAN).date()
    return value.strftime("%-d %b %Y")


@register.filter
def month_name(value: int) -> str:
    return calendar.month_name(int(value), rules.language())


@register.filter
def label(period) -> str:
    return period.label(rules.language())


@register.filter
def name(obj) -> str:
    """The object's name in the page's language."""
    if obj is None:
        return "—"
    fa, en = getattr(obj, "name_fa", ""), getattr(obj, "name_en", "")
    if not (fa or en):
        return str(obj)
    if rules.language() == "fa":
        return to_persian_digits(fa or en)  # "شهرک صنعتی گرمسار ۳", not "... 3"
    return en or fa


@register.simple_tag(takes_context=True)
def sort_link(context, key: str) -> str:
    """The query string that sorts a table by `key`, flipping the direction when already sorted so."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get("sort", "")
    params["sort"] = f"-{key}" if current == key else key
    params.pop("page", None)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return "?" + params.urlencode()


@register.filter
def case_state(value: str) -> str:
    from revive.cases.models import CaseState

    return CaseState(value).label if value in CaseState.values else value


@register.filter
def event_label(kind: str) -> str:
    from django.utils.translation import gettext_lazy as _

    labels = {
        "opened": _("Case opened"),
        "transition": _("State changed"),
        "obstacle_add": _("Obstacle diagnosed"),
        "obstacle_update": _("Obstacle updated"),
        "meeting": _("On a workgroup agenda"),
        "resolution": _("Resolution issued"),
        "resolution_answer": _("Resolution answered"),
        "visit": _("Field visit"),
        "loan": _("Loan"),
        "assigned": _("Officer assigned"),
    }
    return labels.get(kind, kind)


@register.filter
def days_since(value: date | None) -> int:
    """Whole days from a date to today (Tehran), for "since when" columns."""
    if not value:
        return 0
    return max(0, (calendar.tehran_today() - value).days)


@register.filter
def jmonth(value) -> str:
    """An Iranian month as YYYY/MM in the page's digits (۱۴۰۵/۰۸): a (year, month) pair or any
    object with jyear and jmonth."""
    if value is None or value == "":
        return "—"
    year, month = (value.jyear, value.jmonth) if hasattr(value, "jyear") else value
    text = f"{int(year)}/{int(month):02d}"
    return to_persian_digits(text) if rules.language() == "fa" else text


def decimal_text(value: float | None, places: int = 2) -> str:
    """A fraction with `places` decimals and grouping, in the page's digits and separators (the plan pages)."""
    if value is None:
        return "—"
    text = f"{value:,.{places}f}"
    return (
        to_persian_digits(text.replace(",", "\u066c").replace(".", "\u066b"))
        if rules.language() == "fa"
        else text
    )
