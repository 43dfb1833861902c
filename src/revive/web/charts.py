"""Server-drawn SVG charts: no chart library to download, readable without JavaScript, printable.

On right-to-left pages the categories run from the right and the value axis stands on the right.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from revive.core import calendar, rules
from revive.indicators.selectors import TILE_LAYOUT
from revive.web.templatetags.revive import decimal_text, digits, num, pct


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
    drawn = 0  # labels written so far: on a phone every other one is hidden (app.css, `.cat.alt`), as in bar_chart
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
            alt = " alt" if n > 6 * label_every and drawn % 2 else ""
            drawn += 1
            parts.append(
                f'<text class="cat{alt}" x="{x:.1f}" y="{height - 24}" text-anchor="{anchor}">{escape(categories[i])}</text>'
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


# --- the pages' charts: what each page draws, from the figures its selector gives --------------------


def revivals_by_month(this_year: list[int], last_year: list[int], year: int) -> str:
    lang = rules.language()
    # This month is not over: drawn apart, so that it does not read as a poor complete month.
    this_year_now, this_month = calendar.month_of(calendar.tehran_today())
    partial = this_month - 1 if year == this_year_now else None
    return bar_chart(
        categories=[calendar.month_name(m, lang) for m in range(1, 13)],
        series=[
            Series(str(digits(year - 1)), last_year, "series-b"),
            Series(str(digits(year)), this_year, "series-a"),
        ],
        title=_("Revivals per month, %(year)s against %(last)s")
        % {"year": digits(year), "last": digits(year - 1)},
        value_label=lambda v: num(int(v)),
        rtl=lang == "fa",
        partial=partial,
        partial_label=_("month under way"),
    )


# Progress bands of the tile map: (lowest progress, fill, ink); white on the dark fills passes AA.
TILE_COLOURS = [
    (0.75, "#1e6b3a", "#fff"),
    (0.5, "#6f6a00", "#fff"),
    (0.25, "#b35c00", "#fff"),
    (0.0, "#b3261e", "#fff"),
]


def progress_tiles(ranking: list[dict], year: int) -> str:
    lang = rules.language()
    tiles = []
    for row in ranking:
        code = row["province"].code
        if code not in TILE_LAYOUT:
            continue
        column, grid_row = TILE_LAYOUT[code]
        progress = row["progress"]
        fill, ink = "#d0d5db", "#1b1f24"
        if progress is not None:
            fill, ink = next((f, i) for low, f, i in TILE_COLOURS if progress >= low)
        name = row["province"].name(lang)
        sentence = _("%(province)s: %(revived)s revived, %(progress)s of the target") % {
            "province": name,
            "revived": num(row["revived_units"]),
            "progress": pct(progress, 0),
        }
        tiles.append(
            Tile(column, grid_row, name, pct(progress, 0), reverse("web:province", args=[code]), fill, ink,
                        sentence)
        )  # fmt: skip
    return tile_map(tiles=tiles, title=_("Provinces by progress towards the year's revival target"))


def revivals_against_last_year(rows: list, year: int) -> str:
    lang = rules.language()
    return bar_chart(
        categories=[calendar.month_name(m, lang) for m in range(1, 13)],
        series=[
            Series(str(num(year - 1)), rows[1], "series-b"),
            Series(str(num(year)), rows[0], "series-a"),
        ],
        title=_("Revivals per month, %(year)s against %(last)s") % {"year": num(year), "last": num(year - 1)},
        value_label=lambda v: num(int(v)),
        rtl=lang == "fa",
    )


def share_line(
    *, series: list[dict], target: float, title: str, rtl: bool, width: int = 720, height: int = 240
) -> str:
    """A line of the monthly share with the target as a dashed line; the value axis is in percent."""
    values = [r["share"] * 100 for r in series if r["share"] is not None]
    ceiling = max([target * 100 + 5, *values]) // 10 * 10 + 10
    left, right = (16, 56) if rtl else (56, 16)
    top, bottom = 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(series) - 1, 1)

    def x(i: int) -> float:
        f = i / n
        return left + plot_w * (1 - f if rtl else f)

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / ceiling

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for tick in range(0, int(ceiling) + 1, 10):
        ty = y(tick)
        tx, anchor = (left + plot_w + 6, "start") if rtl else (left - 6, "end")
        parts.append(f'<line class="grid" x1="{left}" x2="{left + plot_w}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        parts.append(
            f'<text class="tick" x="{tx}" y="{ty + 4:.1f}" text-anchor="{anchor}">{escape(pct(tick / 100, 0))}</text>'
        )
    ty = y(target * 100)
    label = f"{_('target')} {pct(target, 0)}"
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#b3261e" '
        f'stroke-width="2" stroke-dasharray="6 4"><title>{escape(label)}</title></line>'
    )
    lx, anchor = (left + 4, "start") if rtl else (left + plot_w - 4, "end")
    parts.append(
        f'<text class="tick" x="{lx}" y="{ty - 6:.1f}" text-anchor="{anchor}" fill="#b3261e">{escape(label)}</text>'
    )
    points = []
    for i, r in enumerate(series):
        if r["month"] == 1:
            parts.append(
                f'<text class="cat" x="{x(i):.1f}" y="{height - 20}" text-anchor="middle">{escape(digits(r["year"]))}</text>'
            )
        if r["share"] is not None:
            points.append(f"{x(i):.1f},{y(r['share'] * 100):.1f}")
    if points:
        parts.append(f'<polyline class="line series-a" points="{" ".join(points)}"/>')
    if series and series[-1]["share"] is not None:
        last = series[-1]
        parts.append(
            f'<circle class="series-a" cx="{x(len(series) - 1):.1f}" cy="{y(last["share"] * 100):.1f}" r="4">'
            f"<title>{escape(calendar.month_name(last['month'], rules.language()))} {escape(digits(last['year']))}: "
            f"{escape(pct(last['share']))}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def plan_sweep(result: dict) -> tuple[str, str]:
    sweep = result.get("sweep") or []
    if not sweep:
        return "", ""
    rtl = rules.language() == "fa"
    labels = [num(p["money"] // 10**9) for p in sweep]
    value = line_chart(
        categories=labels,
        values=[p["value"] for p in sweep],
        title=_("Value of the plan against the money available (billion rials)"),
        value_label=lambda v: num(round(v)),
        rtl=rtl,
    )
    marginal = bar_chart(
        categories=labels,
        series=[
            Series(
                _("value per extra billion rials"),
                [max(p.get("per_billion") or 0, 0) for p in sweep],
                "series-a",
            )
        ],
        title=_("Where the next billion rials buys most"),
        value_label=lambda v: decimal_text(v) if v < 10 else num(round(v)),
        rtl=rtl,
    )
    return value, marginal


def survival(years: list[dict]) -> str:
    """The share of revived units still producing after 6 and 12 months, by year of revival."""
    if not years:
        return ""
    return bar_chart(
        categories=[num(r["year"]) for r in years],
        series=[
            Series(_("after 6 months"), [round((r["share_6"] or 0) * 100, 1) for r in years], "series-b"),
            Series(_("after 12 months"), [round((r["share_12"] or 0) * 100, 1) for r in years], "series-a"),
        ],
        title=_("Share of revived units still producing, by year of revival (%)"),
        value_label=lambda v: pct(v / 100, 0),
        rtl=rules.language() == "fa",
    )


def calibration(cal: list[dict]) -> str:
    """The risk model's calibration: the share that went idle per decile against the predicted probability."""
    # in percent, as the axis is drawn (shares of 0.14 on an axis made for 0-100 drew a flat line under
    # ticks of 0%, 100% and 200%)
    return line_chart(
        categories=[num(c["decile"]) for c in cal],
        values=[c["observed"] * 100 for c in cal],
        title=_(
            "Calibration by decile: the share that went idle (points) against the predicted probability (line)"
        ),
        value_label=lambda v: pct(v / 100),
        rtl=rules.language() == "fa",
        more=(Series(_("Predicted"), [c["predicted"] * 100 for c in cal], "series-b"),),
    )


def plan_schedule(rows: list[dict], target: int | None) -> tuple[str, str]:
    """The year plan month by month: units revived so far against the year's target, and money released
    and spent each month. `rows` are the schedule's rows with their cumulative count (`so_far`)."""
    rtl = rules.language() == "fa"
    labels = [calendar.month_name(r["jmonth"], rules.language()) for r in rows]
    more = ()
    if target is not None:
        more = (Series(_("The year's target"), [target] * len(rows), "series-b"),)
    cumulative = line_chart(
        categories=labels,
        values=[r["so_far"] for r in rows],
        title=_("Units revived this year, month by month, against the year's target"),
        value_label=lambda v: num(round(v)),
        rtl=rtl,
        more=more,
    )
    money = bar_chart(
        categories=labels,
        series=[
            Series(
                _("money released"),
                [(r["loan_released"] + r["infra_released"]) / 1e9 for r in rows],
                "series-b",
            ),
            Series(_("money spent"), [(r["loan_spent"] + r["infra_spent"]) / 1e9 for r in rows], "series-a"),
        ],
        title=_("Money released and spent each month (billion rials)"),
        value_label=lambda v: num(round(v)),
        rtl=rtl,
    )
    return cumulative, money


def unit_capacity(filings: list) -> str:
    """A unit's capacity utilisation month by month, from its monthly filings (oldest first)."""
    if not filings:
        return ""
    lang = rules.language()
    return line_chart(
        categories=[
            # "Aban 04" / "آبان ۰۴": two-digit years keep 24 labels readable
            f"{calendar.month_name(f.jmonth, lang)[: 3 if lang == 'en' else None]} {digits(f'{f.jyear % 100:02d}')}"
            for f in filings
        ],
        values=[f.capacity_utilisation for f in filings],
        title=_("Capacity utilisation by month (%)"),
        value_label=lambda v: num(int(v)),
        rtl=lang == "fa",
    )


def loan_funnel(months: list[dict]) -> str:
    """Loan requests introduced to a bank and paid, by month of registration."""
    return bar_chart(
        categories=[
            calendar.month_name(r["month"], rules.language())[:3]
            if rules.language() == "en"
            else calendar.month_name(r["month"], "fa")
            for r in months
        ],
        series=[
            Series(_("introduced"), [r["introduced"] for r in months], "series-b"),
            Series(_("paid"), [r["paid"] for r in months], "series-a"),
        ],
        title=_("Requests introduced and paid, by month of registration"),
        value_label=lambda v: num(int(v)),
        rtl=rules.language() == "fa",
    )
