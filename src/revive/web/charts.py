"""Server-drawn SVG charts: no chart library to download, readable without JavaScript, printable."""

from dataclasses import dataclass

from django.utils.html import escape


@dataclass
class Series:
    label: str
    values: list[float]
    css: str  # a class from app.css: series-a, series-b ...


def bar_chart(
    *,
    categories: list[str],
    series: list[Series],
    title: str,
    value_label,
    width: int = 720,
    height: int = 260,
    rtl: bool = False,
) -> str:
    """Grouped bars; categories run right-to-left on Persian pages. `value_label` formats a number."""
    left, right, top, bottom = 48, 12, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([v for s in series for v in s.values] + [1])
    step = _nice_step(peak)
    ceiling = step * (int(peak // step) + 1)
    n = len(categories)
    group_w = plot_w / max(n, 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    tick = 0.0
    while tick <= ceiling:
        y = top + plot_h - plot_h * tick / ceiling
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(
            f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(value_label(tick))}</text>'
        )
        tick += step
    for i, category in enumerate(categories):
        slot = (n - 1 - i) if rtl else i
        x0 = left + slot * group_w + group_w * 0.1
        for j, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else 0
            h = plot_h * value / ceiling
            x = x0 + j * bar_w
            parts.append(
                f'<rect class="{s.css}" x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}">'
                f"<title>{escape(s.label)} · {escape(category)}: {escape(value_label(value))}</title></rect>"
            )
        parts.append(
            f'<text class="cat" x="{x0 + group_w * 0.4:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
            f"{escape(category)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    *,
    categories: list[str],
    values: list[float | None],
    title: str,
    value_label,
    width: int = 720,
    height: int = 220,
    rtl: bool = False,
    css: str = "series-a",
) -> str:
    left, right, top, bottom = 64, 12, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for v in values if v is not None]
    peak = max(known + [1])
    step = _nice_step(peak)
    ceiling = step * (int(peak // step) + 1)
    n = len(categories)
    dx = plot_w / max(n - 1, 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    tick = 0.0
    while tick <= ceiling:
        y = top + plot_h - plot_h * tick / ceiling
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(
            f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(value_label(tick))}</text>'
        )
        tick += step
    points, marks = [], []
    for i, value in enumerate(values):
        slot = (n - 1 - i) if rtl else i
        x = left + slot * dx
        if value is not None:
            y = top + plot_h - plot_h * value / ceiling
            points.append(f"{x:.1f},{y:.1f}")
            marks.append(
                f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{escape(categories[i])}: '
                f"{escape(value_label(value))}</title></circle>"
            )
        if n <= 12 or i % max(n // 12, 1) == 0:
            parts.append(
                f'<text class="cat" x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle">{escape(categories[i])}</text>'
            )
    if points:
        parts.append(f'<polyline class="line {css}" points="{" ".join(points)}"/>')
    parts.extend(marks)
    parts.append("</svg>")
    return "".join(parts)


def _nice_step(peak: float) -> float:
    raw = peak / 4
    magnitude = 10 ** max(len(str(int(raw))) - 1, 0) if raw >= 1 else 1
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude
