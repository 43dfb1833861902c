"""Rows of long tables written by filters (web/templatetags/lists.py) against the template loops they replace."""

from types import SimpleNamespace

import pytest
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


# web/park.html's units table body before park_unit_rows
PARK_UNITS_LOOP = Template(
    "{% load revive %}{% for u in units %}<tr><td><a href=\"{% url 'web:unit' u.business_id %}\">{{ u|name }}"
    '</a></td><td>{{ u.sector|name }}</td><td class="n">{{ u.employees|num }}</td><td><span class="tag '
    '{{ u.current_band }}">{{ u.get_current_band_display }}</span></td></tr>{% endfor %}'
)
PARK_UNITS_FILTER = Template("{% load lists %}{{ units|park_unit_rows }}")


@pytest.mark.django_db
def test_park_unit_rows_equal_the_template_loop(world):
    from revive.registry.models import ProductionUnit

    unit = ProductionUnit.objects.order_by("pk").first()
    unit.name_en, unit.name_fa, unit.employees = "Steel <b>&</b> Co", "فولاد <ب> ۳", 12345
    unit.save()
    units = list(ProductionUnit.objects.select_related("sector").order_by("pk"))
    assert len({u.current_band for u in units}) > 1
    for lang in ("fa", "en"):
        with translation.override(lang):
            html = PARK_UNITS_FILTER.render(Context({"units": units}))
            assert html == PARK_UNITS_LOOP.render(Context({"units": units})), lang
            assert "&lt;b&gt;" in html or "&lt;ب&gt;" in html
    assert PARK_UNITS_FILTER.render(Context({"units": []})) == ""
