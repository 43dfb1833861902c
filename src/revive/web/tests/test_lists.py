"""Rows of long tables written by filters (web/templatetags/lists.py) against the template loops they replace."""

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

# web/finance/credit_lines.html's table body before credit_line_rows
CREDIT_LINES_LOOP = Template(
    "{% load i18n revive %}{% for r in rows %}<tr><td>{{ r.bank|name }}</td><td>{% if r.province %}"
    '{% translate "Quota of" %} {{ r.province|name }}{% else %}<strong>{% translate "National line" %}'
    "</strong>{% endif %}</td>\n"
    '    <td class="n">{{ r.amount|rials:unit }}</td><td class="n">{{ r.used|rials:unit }}</td>'
    '<td class="n">{{ r.remaining|rials:unit }}</td><td class="n">{{ r.share_used|pct }}</td></tr>\n'
    "  {% endfor %}"
)
CREDIT_LINES_FILTER = Template("{% load lists %}{{ rows|credit_line_rows:unit }}")


def _named(pk, fa, en):
    return SimpleNamespace(pk=pk, name_fa=fa, name_en=en)


def test_credit_line_rows_equal_the_template_loop():
    bank = _named(1, "بانک <ملت> & شرکا 3", "Mellat <Bank> & Co")
    other = _named(2, "بانک صادرات", "")
    semnan = _named(1, "سمنان", "Semnan")
    rows = [
        {
            "bank": bank,
            "province": None,
            "amount": 12_500_000_000_000,
            "used": 2_345_678_901,
            "remaining": 12_497_654_321_099,
            "share_used": 0.000187,
        },
        {
            "bank": bank,
            "province": semnan,
            "amount": 500_000_000_000,
            "used": 0,
            "remaining": 500_000_000_000,
            "share_used": 0.0,
        },
        {
            "bank": other,
            "province": semnan,
            "amount": 0,
            "used": 7_000_000,
            "remaining": -7_000_000,
            "share_used": None,
        },
    ]
    for lang in ("fa", "en"):
        with translation.override(lang):
            for unit in ("billion_rial", "hemat", "toman", "rial"):
                context = {"rows": rows, "unit": unit}
                html = CREDIT_LINES_FILTER.render(Context(context))
                assert html == CREDIT_LINES_LOOP.render(Context(context)), (lang, unit)
                assert "&lt;" in html and "<Bank>" not in html and "<ملت>" not in html
    assert CREDIT_LINES_FILTER.render(Context({"rows": [], "unit": "rial"})) == ""
