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


# web/filings/filings.html's two tables before missing_filer_rows and late_filing_rows
MISSING_LOOP = Template(
    '{% load i18n revive %}{% for u in missing %}<tr><td class="id">{{ u.business_id|digits }}</td><td><a '
    "href=\"{% url 'web:unit' u.business_id %}\">{{ u|name }}</a></td><td>{{ u.park|name }}</td><td>{% if "
    "u.last_filed %}{{ u.last_filed.1|month_name }} {{ u.last_filed.0|digits }}{% else %}{% translate "
    '"never" %}{% endif %}</td><td class="n">{% if u.months_missing is not None %}{{ u.months_missing|num }}'
    "{% else %}—{% endif %}</td></tr>{% endfor %}"
)
LATE_LOOP = Template(
    "{% load revive %}{% for f in late %}<tr><td>{{ f.unit.business_id|digits }} {{ f.unit|name }}</td><td>"
    "{{ f.jyear|digits }}/{{ f.jmonth|digits }}</td><td>{{ f.due_on|jdate }}</td><td>{{ f.filed_on|jdate }}"
    "</td></tr>{% endfor %}"
)
FILINGS_FILTERS = Template("{% load lists %}{{ missing|missing_filer_rows }}|{{ late|late_filing_rows }}")


def test_filings_page_rows_equal_the_template_loops():
    from datetime import date

    park = _named(7, "شهرک <صنعتی> ۲", "Park <2> & Co")

    def unit(business_id, fa, en, last_filed, months_missing):
        return SimpleNamespace(
            pk=int(business_id[-3:]), business_id=business_id, name_fa=fa, name_en=en, park=park, park_id=7,
            last_filed=last_filed, months_missing=months_missing,
        )  # fmt: skip

    missing = [
        unit("200000000011", "ریخته‌گری <کویر>", "Kavir <Foundry>", (1404, 11), 9),
        unit("200000000022", "لبنیات", "", None, None),
        unit("200000000033", "", "Only English & Co", (1405, 7), 1234),
    ]
    late = [
        SimpleNamespace(
            unit=missing[0], jyear=1405, jmonth=m, due_on=date(2026, 5, 1), filed_on=date(2026, 5, d)
        )
        for m, d in ((2, 9), (2, 9), (3, 30))
    ]
    context = {"missing": missing, "late": late}
    for lang in ("fa", "en"):
        with translation.override(lang):
            html = FILINGS_FILTERS.render(Context(context))
            assert html == MISSING_LOOP.render(Context(context)) + "|" + LATE_LOOP.render(Context(context)), (
                lang
            )
            assert "&lt;" in html and "<کویر>" not in html and "<Foundry>" not in html
    assert FILINGS_FILTERS.render(Context({"missing": [], "late": []})) == "|"
