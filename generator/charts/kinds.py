"""Pure chart builders: typed data and a style in, a Matplotlib `Figure` out (no pyplot state).

x values are whole steps of the chart's frequency (months, quarters or years), so ticks are evenly
spaced and all in one format, and the first and last periods are always labelled. Layout is measured
(see `layout`): no text leaves the figure and no two tick labels overlap.

A line is broken, never drawn straight across, where a series has no figures for longer than its
step (`Series.max_step`) and where a value starts a new series (`Series.breaks`); a new series is
also marked with a dashed vertical rule and a few words (`LineChart.break_label`), not by colour.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .layout import fit, overlapping_ticks, renderer
from .style import DRAWN, LINE_STYLES, ChartStyle

if TYPE_CHECKING:  # Matplotlib is imported when a chart is drawn: a build whose charts are all cached never loads it
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
STEPS = {
    "month": (1, 2, 3, 6, 12, 24, 36, 60, 120),
    "quarter": (1, 2, 4, 8, 12, 20, 40),
    "financial_year": (1, 2, 3, 5, 10, 20),
    "year": (1, 2, 3, 5, 10, 20),
}
X_MARGIN = 0.03
"""Room left of the first period and right of the last, as a share of the span between them."""


@dataclass(frozen=True)
class Series:
    name: str
    kind: str  # "main", "benchmark-1" to "benchmark-3" (by place among the drawn comparators), or "target"
    points: tuple[tuple[float, float], ...]  # (x in steps of the chart's unit, value)
    joined: bool = True  # drawn as a line (False: markers only)
    max_step: float | None = None  # points further apart than this (in x steps) are not joined: a gap
    breaks: tuple[float, ...] = ()  # x of each point that starts a new series: never joined to the one before


def segments(series: Series) -> list[list[tuple[float, float]]]:
    """The runs of points drawn as one unbroken line: split at every gap longer than `max_step` and
    before every point that starts a new series."""
    runs: list[list[tuple[float, float]]] = []
    for point in sorted(series.points):
        if runs and not _joins(series, runs[-1][-1], point):
            runs.append([point])
        elif runs:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def _joins(series: Series, before: tuple[float, float], point: tuple[float, float]) -> bool:
    if any(abs(point[0] - x) < 1e-6 for x in series.breaks):
        return False
    return series.max_step is None or point[0] - before[0] <= series.max_step + 1e-6


def break_rules(series: Series) -> list[float]:
    """Where the dashed rule for each new series goes: halfway between the break and the point before it."""
    xs = sorted(x for x, _ in series.points)
    rules = []
    for x in series.breaks:
        earlier = [p for p in xs if p < x - 1e-6]
        if earlier:
            rules.append((earlier[-1] + x) / 2)
    return rules


@dataclass(frozen=True)
class LineChart:
    title: str
    y_label: str
    series: tuple[Series, ...]
    x_unit: str  # "month", "quarter", "financial_year" or "year"
    break_label: str = "New method"  # the words beside the rule where a new series starts


@dataclass(frozen=True)
class BarChart:
    title: str
    y_label: str
    bars: tuple[tuple[str, float], ...]


def tick_label(x: int, unit: str) -> str:
    """'Mar 2019', '2022/23 Q3', '2021/22' or '2018' for a whole x step."""
    if unit == "month":
        return f"{MONTHS[x % 12]} {x // 12}"
    if unit == "quarter":
        year, quarter = divmod(x, 4)
        return f"{year}/{(year + 1) % 100:02d} Q{quarter + 1}"
    if unit == "financial_year":
        return f"{x}/{(x + 1) % 100:02d}"
    return str(x)


def _wrap(text: str, width_chars: int) -> str:
    return "\n".join(textwrap.wrap(text, max(width_chars, 12))) if len(text) > width_chars else text


_KEPT: dict[tuple[str, ChartStyle, float], tuple[Figure, Axes]] = {}
"""One figure per chart kind, style and height, kept in this process for the next chart drawn in `kept_figures`."""
_KEEPING: ContextVar[bool] = ContextVar("keeping", default=False)
MAX_KEPT = 12
"""Figures kept at most: the line charts' four styles, and a few of the bar charts' heights."""


@contextmanager
def kept_figures() -> Iterator[None]:
    """Within this block the builders draw on a figure kept from the last chart of the same kind and size,
    cleared of that chart's lines, texts and bars, instead of making a new one.

    Making a figure's axes and their ticks was a fifth of a chart's drawing, and a kept axes keeps its ticks.
    Everything a builder sets is set again for each chart, so the bytes are those of a new figure (a test
    draws every demo chart both ways and in both orders). A figure returned in this block is the chart's
    only until the next chart is drawn in one: turn it into SVG first (as `kpi_charts` does)."""
    token = _KEEPING.set(True)
    try:
        yield
    finally:
        _KEEPING.reset(token)


def forget_kept_figures() -> None:
    """Let go of every kept figure (the next chart drawn in `kept_figures` makes a new one)."""
    _KEPT.clear()


def _new_figure(style: ChartStyle, height_in: float) -> tuple[Figure, Axes]:
    """A figure with one axes in the style's colours and tick sizes (what every chart of the style shares)."""
    from matplotlib.figure import Figure

    scheme = DRAWN  # colours stand for their roles; `style.themed` makes them follow the page's scheme
    figure = Figure(figsize=(style.width_in, height_in), facecolor=scheme.background)
    axes = figure.add_subplot()
    axes.set_facecolor(scheme.background)
    axes.tick_params(labelsize=style.font_size, colors=scheme.text)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(scheme.text)
    axes.set_axisbelow(True)
    return figure, axes


def _figure(kind: str, style: ChartStyle, height_in: float) -> tuple[Figure, Axes]:
    """A new figure; within `kept_figures`, the one kept for this kind, style and height, cleared."""
    if not _KEEPING.get():
        return _new_figure(style, height_in)
    kept = _KEPT.get((kind, style, height_in))
    if kept is None:
        while _KEPT and len(_KEPT) >= MAX_KEPT:  # let go of the figures made longest ago
            del _KEPT[next(iter(_KEPT))]
        kept = _KEPT[(kind, style, height_in)] = _new_figure(style, height_in)
        return kept
    figure, axes = kept
    for artist in [*axes.lines, *axes.texts, *axes.patches, *axes.collections]:
        artist.remove()
    axes.containers.clear()  # (they only refer to the bars removed above)
    for axis in (axes.xaxis, axes.yaxis):  # drawing wrote the last chart's offset ("1e7"): a new figure has none
        axis.offsetText.set_text("")
    # no data limits left from the last chart: a bar chart's y range comes from its own bars (charts of one or
    # two bars are the same height); labels, grid, ticks, limits and the legend are set by every chart of a kind
    axes.relim()
    return kept


def _axes(style: ChartStyle, kind: str, title: str, height_in: float | None = None):
    scheme = DRAWN
    figure, axes = _figure(kind, style, height_in or style.height_in)
    # y=1.0: the title stands where `fit` measured it, and drawing does not measure every y tick label again
    # to move it clear of an axis at the top (these charts have none)
    axes.set_title(
        title,
        fontsize=style.title_size,
        color=scheme.text,
        loc="left",
        pad=12,
        fontweight="bold",
        gid="chart-title",
        y=1.0,
    )
    return figure, axes, scheme


def _without_label(axis) -> None:
    """An axis with no label: its empty label is pinned where it stands, so that drawing does not measure every
    tick label to move it clear of them (an empty text draws nothing wherever it is)."""
    axis.set_label_text("")
    axis.set_label_coords(0.5, 0.0)


def _locator(**options):
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(**options)


def line_chart(chart: LineChart, style: ChartStyle) -> Figure:
    """Series over time, told apart by line style, marker and a direct label beside the last point."""
    figure, axes, scheme = _axes(style, "line", chart.title)
    axes.set_ylabel(chart.y_label, fontsize=style.font_size, color=scheme.text)
    _without_label(axes.xaxis)
    axes.grid(axis="y", color=scheme.grid, linewidth=0.8)
    colour_index = 0
    colours = []
    for index, series in enumerate(chart.series):
        line_style, marker = LINE_STYLES.get(series.kind, LINE_STYLES["main"])
        colour = scheme.text if series.kind == "target" else scheme.palette[colour_index % len(scheme.palette)]
        colour_index += series.kind != "target"
        colours.append(colour)
        xs: list[float] = []
        ys: list[float] = []
        for run in segments(series) if series.joined else [list(series.points)]:
            if xs:  # a NaN between runs lifts the pen: no line crosses a gap or a break
                xs.append((xs[-1] + run[0][0]) / 2)
                ys.append(math.nan)
            xs += [x for x, _ in run]
            ys += [y for _, y in run]
        axes.plot(
            xs,
            ys,
            linestyle=line_style if series.joined else "none",
            marker=marker,
            color=colour,
            linewidth=style.line_width if series.kind == "main" else style.line_width * 0.8,
            markersize=style.marker_size,
            gid=f"series:{index}",
            clip_on=False,
        )
    x_min = min(x for s in chart.series for x, _ in s.points)
    x_max = max(x for s in chart.series for x, _ in s.points)
    span = max(x_max - x_min, 1)
    axes.set_xlim(x_min - span * X_MARGIN, x_max + span * X_MARGIN)
    all_y = [y for s in chart.series for _, y in s.points]
    low, high = min(all_y), max(all_y)
    axes.set_ylim(bottom=0 if low >= 0 else low - (high - low) * 0.1, top=(high * 1.1) if high > 0 else 1)
    axes.yaxis.set_major_locator(_locator(nbins=5, min_n_ticks=3))
    figure.subplots_adjust(left=0.12, right=0.97, top=0.86, bottom=0.12)
    rules = _mark_breaks(axes, chart, scheme.text)

    def relayout() -> None:
        _set_ticks(axes, chart.x_unit, x_min, x_max, style)
        _direct_labels(figure, axes, chart.series, style, scheme.text)
        _label_breaks(figure, axes, rules, chart.break_label, style, scheme)

    # what sticks out on the right (labels beside the last points, the last tick's label) stands at the last
    # period, short of the axes' right edge: it moves by this share of the edge's move
    fit(figure, axes, relayout, title=chart.title, follow=(1 + X_MARGIN) / (1 + 2 * X_MARGIN))
    return figure


def _mark_breaks(axes, chart: LineChart, colour: str) -> list[float]:
    """A dashed vertical rule where each new series starts (its words are placed by `_label_breaks`, once
    the layout is known); returns the rules' x positions."""
    rules = []
    for index, series in enumerate(s for s in chart.series if s.kind == "main"):
        for number, x in enumerate(break_rules(series)):
            axes.axvline(
                x, color=colour, linestyle=(0, (4, 3)), linewidth=1.4, gid=f"break:{index}:{number}", zorder=1.5
            )
            rules.append(x)
    return rules


def _label_breaks(figure: Figure, axes, rules: list[float], words: str, style: ChartStyle, scheme) -> None:
    """Name each rule at the top of the plot, beside it on the side with room, on a patch of background so
    the lines behind never cross the words. Measured: the words take as few lines as fit inside the plot
    beside the rule; where no wrapping fits, they run up the rule instead."""
    for text in list(axes.texts):
        if (text.get_gid() or "").startswith("break-label:"):
            text.remove()
    rend = renderer(figure)
    dpi_scale = figure.dpi / 72
    pad = 5
    for number, x in enumerate(rules):
        px = axes.transData.transform((x, 0))[0]
        room = {"left": px - axes.bbox.x0 - (pad + 3) * dpi_scale, "right": axes.bbox.x1 - px - (pad + 3) * dpi_scale}
        side = max(room, key=lambda key: room[key])
        options = {
            "xy": (x, 1),
            "xycoords": ("data", "axes fraction"),
            "textcoords": "offset points",
            "va": "top",
            "fontsize": style.font_size,
            "color": scheme.text,
            "annotation_clip": False,
            "gid": f"break-label:{number}",
            "bbox": {"boxstyle": "square,pad=0.1", "facecolor": scheme.background, "edgecolor": "none"},
            "zorder": 3,
        }
        placed = None
        for width in (len(words), 14, 10, 1):
            text = axes.annotate(
                textwrap.fill(words, width, break_long_words=False) if width < len(words) else words,
                xytext=(-pad if side == "left" else pad, -3),
                ha="right" if side == "left" else "left",
                **options,
            )
            if text.get_window_extent(rend).width <= room[side]:
                placed = text
                break
            text.remove()
        if placed is None:  # no room beside the rule: the words run up it, just to its side
            axes.annotate(words, xytext=(-3, -3), ha="right", rotation=90, **options)


def _set_ticks(axes, unit: str, x_min: float, x_max: float, style: ChartStyle) -> None:
    """Ticks that name the first and the last period, and evenly spaced ticks ending at the last between
    them, as many as fit, in the frequency's own format. Tick labels are measured: an inner tick whose
    label would touch its neighbour is left out; when only the two ends remain and still touch, their
    labels take two lines."""
    first, last = int(round(x_min)), int(round(x_max))
    label_width = max(len(tick_label(last, unit)), 4) * style.font_size * 0.62 + style.font_size * 1.2
    box = axes.get_position()
    width_pts = box.width * axes.figure.get_size_inches()[0] * 72
    room = max(1, int(width_pts // label_width))
    limit = max(2, min(room, style.max_ticks))
    ticks = [first, last] if last > first else [last]
    for step in STEPS[unit]:
        inner = [t for t in range(last - step, first, -step) if t - first >= step / 2]
        if len(inner) + 2 <= limit:
            ticks = sorted({first, *inner, last})
            break
    axes.set_xticks(ticks, [tick_label(t, unit) for t in ticks])
    apart = style.font_size * 0.5 * axes.figure.dpi / 72  # half an em between labels, in pixels
    while len(ticks) > 2 and overlapping_ticks(axes.figure, "x", apart):
        # leave out the inner tick nearest an end (the ends always stay)
        drop = min(ticks[1:-1], key=lambda t: min(t - first, last - t))
        ticks.remove(drop)
        axes.set_xticks(ticks, [tick_label(t, unit) for t in ticks])
    if len(ticks) == 2 and overlapping_ticks(axes.figure, "x", apart):
        axes.set_xticks(ticks, [tick_label(t, unit).replace(" ", "\n", 1) for t in ticks])


def _direct_labels(figure: Figure, axes, series: tuple[Series, ...], style: ChartStyle, colour: str) -> None:
    """Name each series beside its own last point; labels that would overlap are moved apart only as far as
    needed, in the order of their points. A group of labels that cannot each stay nearest their own point
    (points closer together than a line of text) is replaced by a legend under the chart."""
    for text in list(axes.texts):
        if (text.get_gid() or "").startswith("label:"):
            text.remove()
    if axes.get_legend():
        axes.get_legend().remove()
    rend = renderer(figure)
    offset = style.marker_size * 0.8 + 4
    to_px = axes.transData.transform
    items = []
    for index, one in enumerate(series):
        x, y = max(one.points, key=lambda p: p[0])
        px, py = to_px((x, y))
        name = _wrap(one.name, 11 if style.narrow else 22)
        text = axes.annotate(
            name,
            xy=(x, y),
            xytext=(offset, 0),
            textcoords="offset points",
            va="center",
            fontsize=style.font_size,
            color=colour,
            annotation_clip=False,
            gid=f"label:{index}",
        )
        box = text.get_window_extent(rend)
        items.append([py, px, box.width, box.height, text, index])
    dpi_scale = figure.dpi / 72
    points = [(index, *to_px(p)) for index, one in enumerate(series) for p in one.points]
    legend_lines = []
    for cluster in _clusters(items):
        cluster.sort(key=lambda item: item[0])
        placed: list[float] = []
        heights: list[float] = []
        for py, _, _, height, *_ in cluster:
            gap = (heights[-1] + height) / 2 + 2 * dpi_scale if heights else 0
            placed.append(max(py, placed[-1] + gap) if placed else py)
            heights.append(height)
        top = axes.bbox.y1 + style.font_size * dpi_scale
        if placed and placed[-1] > top:
            shift = placed[-1] - top
            placed = [p - shift for p in placed]
            for i in range(len(placed) - 2, -1, -1):
                placed[i] = min(placed[i], placed[i + 1] - (heights[i] + heights[i + 1]) / 2 - 2 * dpi_scale)
        for item, label_y in zip(cluster, placed, strict=True):
            item[4].xyann = (offset, (label_y - item[0]) / dpi_scale)
        if len(cluster) > 1 and not all(
            _nearest_own(item, label_y, points, offset * dpi_scale)
            for item, label_y in zip(cluster, placed, strict=True)
        ):
            for item in cluster:
                item[4].remove()
                legend_lines.append(item[5])
    if legend_lines:
        lines = {line.get_gid(): line for line in axes.get_lines()}
        handles = [lines[f"series:{i}"] for i in sorted(legend_lines)]
        tick_room = max((t.get_window_extent(rend).height for t in axes.get_xticklabels()), default=0)
        below = -(tick_room + 10 * dpi_scale) / max(axes.bbox.height, 1)
        legend = axes.legend(
            handles,
            [series[i].name for i in sorted(legend_lines)],
            loc="upper left",
            bbox_to_anchor=(0, below),
            ncol=1 if style.narrow else 2,
            frameon=False,
            fontsize=style.font_size,
            labelcolor=colour,
            borderaxespad=0,
        )
        legend.set_gid("legend")


def _nearest_own(item: list, label_y: float, points: list[tuple[int, float, float]], offset_px: float) -> bool:
    """Whether a label placed at label_y is nearer its own last point than any other series' point."""
    py, px, _, _, _, index = item
    anchor = (px + offset_px, label_y)
    own = ((anchor[0] - px) ** 2 + (anchor[1] - py) ** 2) ** 0.5
    others = [((anchor[0] - x) ** 2 + (anchor[1] - y) ** 2) ** 0.5 for i, x, y in points if i != index]
    return all(own <= other for other in others)


def _clusters(items: list[list]) -> list[list[list]]:
    """Labels whose horizontal extents overlap share a column and must not overlap vertically."""
    ordered = sorted(items, key=lambda item: item[1])
    groups: list[list[list]] = []
    right = -1e9
    for item in ordered:
        if groups and item[1] <= right:
            groups[-1].append(item)
            right = max(right, item[1] + item[2])
        else:
            groups.append([item])
            right = item[1] + item[2]
    return groups


def bar_chart(chart: BarChart, style: ChartStyle) -> Figure:
    """Horizontal bars with the value written at the end of each bar; long labels wrap."""
    chars = max(14, int(style.width_in * 72 * 0.38 / (style.font_size * 0.55)))
    labels = [_wrap(label, chars) for label, _ in chart.bars]
    lines = max(label.count("\n") + 1 for label in labels)
    # Each bar gets room for its label's lines (1.3 line spacing) so wrapped labels never meet.
    per_bar = max(0.5 * (1.4 if style.narrow else 1), lines * style.font_size * 1.3 / 72 + 0.15)
    height = max(2.6, per_bar * len(chart.bars) + 1.6)
    figure, axes, scheme = _axes(style, "bar", chart.title, height)
    values = [value for _, value in chart.bars]
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, values, color=scheme.palette[0], height=0.6)
    axes.set_yticks(positions, labels)
    axes.set_xlabel(chart.y_label, fontsize=style.font_size, color=scheme.text)
    _without_label(axes.yaxis)
    axes.xaxis.set_major_locator(_locator(nbins=4 if style.narrow else 6))
    for position, value in zip(positions, values, strict=True):
        text = f"{value:,.1f}".rstrip("0").rstrip(".")
        axes.annotate(
            text,
            xy=(value, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=style.font_size,
            color=scheme.text,
            annotation_clip=False,
        )
    axes.set_xlim(0, max(values) * 1.1 or 1)
    figure.subplots_adjust(left=0.3, right=0.95, top=0.9, bottom=0.1)
    fit(figure, axes, title=chart.title)
    return figure
