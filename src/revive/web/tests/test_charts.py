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
