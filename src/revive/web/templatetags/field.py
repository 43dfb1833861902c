"""Template helpers of the field pages (issue 14)."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def may_attach_documents(context) -> bool:
    from revive.web.field.views import may_attach_document

    request = context.get("request")
    return bool(request and may_attach_document(request.user))


@register.simple_tag
def document_kinds() -> list:
    from revive.documents.models import LoanDocument

    return LoanDocument.Kind.choices


@register.filter
def loan_state(state: str) -> str:
    """A loan's state as people read it: an approved amount is not a disbursed one (finance/labels.py)."""
    from revive.finance.labels import state_label

    return state_label(state)


@register.simple_tag
def page_numbers(page) -> list[int | None]:
    """Page numbers around the current one, always with the first and the last; None where pages are left out."""
    ellipsis = page.paginator.ELLIPSIS
    return [
        None if n == ellipsis else n
        for n in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]


def _measure_units() -> dict:
    from django.utils.translation import gettext_lazy as _

    return {
        "MW": _("MW"),
        "m3/h": _("m³ an hour"),
        "m3/d": _("m³ a day"),
        "L/s": _("litres a second"),
        "km": _("km"),
        "lines": _("lines"),
    }


@register.filter
def quantity(value, unit: str = "") -> str:
    """A measured capacity with its unit in the page's language: '۰٫۳ مگاوات', '0.3 MW'."""
    from decimal import Decimal

    from django.utils.translation import get_language

    from revive.core.money import _format_decimal

    if value is None:
        return "—"
    lang = "fa" if (get_language() or "fa").startswith("fa") else "en"
    number = Decimal(str(value)).normalize()
    places = max(-number.as_tuple().exponent, 0)
    text = _format_decimal(number, places, lang)
    label = _measure_units().get(unit, unit)
    return f"{text} {label}".strip()


@register.simple_tag(takes_context=True)
def event_text(context, event) -> str:
    """A timeline event's text in the page's language (cases/event_text.py); the label pairs once a page."""
    from revive.cases.event_text import SYSTEM_KINDS, in_language, label_pairs

    text, kind = getattr(event, "text", "") or "", getattr(event, "kind", "")
    if kind not in SYSTEM_KINDS and kind != "loan":
        return text
    if "_event_label_pairs" not in context.render_context:
        context.render_context["_event_label_pairs"] = label_pairs()
    lang = "en" if (context.get("lang") or "fa") == "en" else "fa"
    return in_language(text, kind, lang, context.render_context["_event_label_pairs"])


@register.filter
def decimal(value, places: int = 1) -> str:
    """A number with a fixed count of decimals in the page's digits and separator: '۰٫۴', '0.4'."""
    from decimal import Decimal

    from django.utils.translation import get_language

    from revive.core.money import _format_decimal

    if value is None or value == "":
        return "—"
    lang = "fa" if (get_language() or "fa").startswith("fa") else "en"
    return _format_decimal(Decimal(str(value)).quantize(Decimal(1).scaleb(-int(places))), int(places), lang)


# The minutes' two long tables (a national meeting: ~150 agenda cases, ~300 resolutions), written here with
# the same filters and escaping as the template loop they replace, which was most of the minutes page.
@register.filter
def minutes_agenda_rows(agenda) -> SafeString:
    from revive.web.templatetags.revive import case_state, digits, name

    return format_html_join(
        "",
        '<tr><td class="n">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n',
        (
            (digits(i), name(c.unit), digits(c.unit.business_id), name(c.park), case_state(c.state))
            for i, c in enumerate(agenda, start=1)
        ),
    )


@register.filter
def minutes_resolution_rows(resolutions) -> SafeString:
    from revive.web.templatetags.revive import digits, jdate, name

    dates, organisations = {}, {}  # (a few deadlines and addressees, each written once)

    def deadline(day) -> str:
        if day not in dates:
            dates[day] = jdate(day)
        return dates[day]

    def addressee(organisation) -> str:
        if organisation.pk not in organisations:
            organisations[organisation.pk] = name(organisation)
        return organisations[organisation.pk]

    return format_html_join(
        "",
        '<tr><td class="n">{}</td><td>{}</td><td>{}</td><td>{}</td><td class="n">{}</td></tr>\n',
        (
            (
                digits(n.number),
                n.resolution.text,
                addressee(n.resolution.organisation),
                name(n.resolution.case.unit) if n.resolution.case else "—",
                deadline(n.resolution.deadline),
            )
            for n in resolutions
        ),
    )
