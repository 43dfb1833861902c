import re

from revive.web.charts import Series, bar_chart


def _label_x(svg: str, label: str) -> float:
    return float(re.search(rf'<text class="cat" x="([\d.]+)"[^>]*>{label}</text>', svg).group(1))


def test_rtl_chart_runs_from_the_right_with_the_axis_on_the_right():
    kwargs = {
        "categories": ["a", "b", "c"],
        "series": [Series("s", [1, 2, 3], "series-a")],
        "title": "t",
        "value_label": str,
    }
    ltr, rtl = bar_chart(**kwargs), bar_chart(**kwargs, rtl=True)
    assert _label_x(ltr, "a") < _label_x(ltr, "c")
    assert _label_x(rtl, "a") > _label_x(rtl, "c")
    assert 'text-anchor="start"' in rtl and 'class="tick"' in rtl


def test_bar_heights_follow_the_values():
    svg = bar_chart(
        categories=["a", "b"], series=[Series("s", [10, 20], "series-a")], title="t", value_label=str
    )
    heights = [float(h) for h in re.findall(r'<rect class="series-a"[^>]*height="([\d.]+)"', svg)]
    assert heights[1] == 2 * heights[0]


def test_the_calibration_chart_is_drawn_on_the_scale_of_its_shares():
    """Shares of 0.2-14% were drawn on an axis made for 0-100 (a flat line under 0%, 100% and 200%)."""
    import re

    from django.utils import translation

    from revive.web import charts

    cal = [{"decile": d, "predicted": 0.014 * d, "observed": 0.013 * d, "rows": 10} for d in range(1, 11)]
    with translation.override("en"):
        svg = charts.calibration(cal)
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]*)</text>', svg)
    assert ticks[-1] in ("15.0%", "16.0%", "20.0%") and "100" not in "".join(ticks)
    ys = [float(y) for y in re.findall(r'<circle class="series-a" cx="[^"]+" cy="([^"]+)"', svg)]
    assert max(ys) - min(ys) > 100  # the points climb the chart (220 high), not a line along its floor
