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
