"""Server-drawn SVG charts: no chart library to download, readable without JavaScript, printable.

On right-to-left pages the categories run from the right and the value axis stands on the right.
"""

from dataclasses import dataclass

from django.utils.html import escape


@dataclass
class Series:
    label: str
    values: list[float]
    css: str  # a class from app.css: series-a, series-b ...


@dataclass
class _Frame:
    width: int
    height: int
    start: float  # x where the plot begins (left edge)
    plot_w: float
    top: float
    plot_h: float
    ceiling: float
    rtl: bool

    def y(self, value: float) -> float:
        return self.top + self.plot_h - self.plot_h * value / self.ceiling

    def x(self, fraction: float) -> float:
        """A position along the category axis, 0 = first category, mirrored on RTL pages."""
        return self.start + self.plot_w * (1 - fraction if self.rtl else fraction)


def _frame(*, peak: float, title: str, value_label, width: int, height: int, rtl: bool, axis_w: int) -> tuple:
    top, bottom, edge = 16, 40, 12
    step = _nice_step(max(peak, 1))
    ceiling = step * (int(max(peak, 1) // step) + 1)
    start = edge if rtl else axis_w
    frame = _Frame(width, height, start, width - axis_w - edge, top, height - top - bottom, ceiling, rtl)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    tick = 0.0
    while tick <= ceiling:
        y = frame.y(tick)
        parts.append(
            f'<line class="grid" x1="{start}" x2="{start + frame.plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        tx, anchor = (start + frame.plot_w + 6, "start") if rtl else (start - 6, "end")
        parts.append(
            f'<text class="tick" x="{tx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}">{escape(value_label(tick))}</text>'
        )
        tick += step
    return frame, parts


def bar_chart(
    *,
    categories: list[str],
    series: list[Series],
    title: str,
    value_label,
    width: int = 720,
    height: int = 260,
    rtl: bool = False,
    partial: int | None = None,
    partial_label: str = "",
) -> str:
    """Grouped bars, one group per category. `value_label` formats a number for ticks and tooltips.

    `partial` is the index of a category still under way (this month): its bars are drawn pale and dashed,
    so that it does not read as a complete month."""
    peak = max([v for s in series for v in s.values] + [1])
    frame, parts = _frame(
        peak=peak, title=title, value_label=value_label, width=width, height=height, rtl=rtl, axis_w=48
    )
    n = max(len(categories), 1)
    group_w = frame.plot_w / n
    bar_w = group_w * 0.8 / max(len(series), 1)
    for i, category in enumerate(categories):
        center = frame.x((i + 0.5) / n)
        for j, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else 0
            offset = (j - len(series) / 2) * bar_w
            x = center - offset - bar_w if rtl else center + offset
            css = f"{s.css} partial" if i == partial else s.css
            note = f" · {partial_label}" if i == partial and partial_label else ""
            parts.append(
                f'<rect class="{css}" x="{x:.1f}" y="{frame.y(value):.1f}" width="{bar_w - 1:.1f}" '
                f'height="{frame.top + frame.plot_h - frame.y(value):.1f}">'
                f"<title>{escape(s.label)} · {escape(category)}{escape(note)}: {escape(value_label(value))}</title></rect>"
            )
        # on a phone every other label is hidden (app.css, `.cat.alt`): twelve month names do not fit
        alt = " alt" if n > 6 and i % 2 else ""
        parts.append(
            f'<text class="cat{alt}" x="{center:.1f}" y="{height - 24}" text-anchor="middle">{escape(category)}</text>'
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
    more: tuple = (),
) -> str:
    """One line of values; `more` adds other Series drawn on the same axes (e.g. a target)."""
    known = [v for v in values if v is not None] + [v for s in more for v in s.values if v is not None]
    frame, parts = _frame(
        peak=max(known + [1]),
        title=title,
        value_label=value_label,
        width=width,
        height=height,
        rtl=rtl,
        axis_w=64,
    )
    n = len(categories)
    points, marks = [], []
    label_every = max(n // 12, 1)
    for i, value in enumerate(values):
        x = frame.x(i / max(n - 1, 1))
        if value is not None:
            y = frame.y(value)
            points.append(f"{x:.1f},{y:.1f}")
            marks.append(
                f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{escape(categories[i])}: '
                f"{escape(value_label(value))}</title></circle>"
            )
        if i % label_every == 0:
            # The first and last labels sit at the plot's edges: on left-to-right pages, anchored inwards so
            # that they are not cut off (right-to-left text lays itself out from its anchor already).
            anchor = "middle"
            if n > 1 and i in (0, n - 1) and not rtl:
                anchor = "start" if i == 0 else "end"
            parts.append(
                f'<text class="cat" x="{x:.1f}" y="{height - 24}" text-anchor="{anchor}">{escape(categories[i])}</text>'
            )
    if points:
        parts.append(f'<polyline class="line {css}" points="{" ".join(points)}"/>')
    for s in more:
        other = [
            f"{frame.x(i / max(n - 1, 1)):.1f},{frame.y(v):.1f}"
            for i, v in enumerate(s.values)
            if v is not None
        ]
        if other:
            parts.append(
                f'<polyline class="line {s.css}" points="{" ".join(other)}"><title>{escape(s.label)}</title></polyline>'
            )
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


@dataclass
class Tile:
    column: int
    row: int
    label: str  # the province's name, shown on the tile
    value: str  # the figure shown under the name, e.g. "56%"
    href: str
    fill: str  # a colour for the tile, already chosen for contrast with `ink`
    ink: str
    title: str  # the full sentence for screen readers and tooltips


def tile_map(*, tiles: list[Tile], title: str, tile_w: int = 112, tile_h: int = 62, gap: int = 4) -> str:
    """A tile map: one linked square per region on a grid laid out like the country, not mirrored on
    right-to-left pages (geography keeps west on the left). Each tile is a link with its text."""
    columns = max((t.column for t in tiles), default=0) + 1
    rows = max((t.row for t in tiles), default=0) + 1
    width, height = columns * (tile_w + gap), rows * (tile_h + gap)
    parts = [
        f'<svg class="chart tiles" viewBox="0 0 {width} {height}" role="group" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for t in tiles:
        x, y = t.column * (tile_w + gap), t.row * (tile_h + gap)
        cx = x + tile_w / 2
        parts.append(
            f'<a href="{escape(t.href)}" aria-label="{escape(t.title)}"><title>{escape(t.title)}</title>'
            f'<rect x="{x}" y="{y}" width="{tile_w}" height="{tile_h}" rx="4" fill="{t.fill}"/>'
            f'<text x="{cx:.1f}" y="{y + 25}" text-anchor="middle" fill="{t.ink}" font-size="12">{escape(t.label)}</text>'
            f'<text x="{cx:.1f}" y="{y + 47}" text-anchor="middle" fill="{t.ink}" font-size="15" font-weight="700">'
            f"{escape(t.value)}</text></a>"
        )
    parts.append("</svg>")
    return "".join(parts)
