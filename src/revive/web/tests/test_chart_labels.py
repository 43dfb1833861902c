"""A month chart names every other month on a phone (app.css hides `.cat.alt` when narrow)."""

import re

from revive.web import charts


def test_twelve_month_bars_mark_every_other_label_for_narrow_screens():
    svg = charts.bar_chart(
        categories=[f"m{i}" for i in range(12)],
        series=[charts.Series("a", [1] * 12, "series-a")],
        title="t",
        value_label=str,
    )
    labels = re.findall(r'<text class="cat( alt)?"[^>]*>(m\d+)</text>', svg)
    assert [name for alt, name in labels if not alt] == [f"m{i}" for i in range(0, 12, 2)]
    assert len(labels) == 12


def test_a_units_two_years_of_months_leave_six_names_on_a_phone():
    """The unit page's capacity line (24 months): 12 names drawn, at a phone's 15px they ran together
    ('بهمن ۰۳فروردین ۰۴خرداد'); every other one is .alt, so six stay."""
    svg = charts.line_chart(
        categories=[f"m{i}" for i in range(24)], values=[50] * 24, title="t", value_label=str
    )
    labels = re.findall(r'<text class="cat( alt)?"[^>]*>(m\d+)</text>', svg)
    assert [name for alt, name in labels if not alt] == [f"m{i}" for i in range(0, 24, 4)]
    assert len(labels) == 12
