"""Pure chart builders: typed data and a style in, a Matplotlib `Figure` out (no pyplot state)."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .style import BACKGROUND, GRID, LINE_STYLES, PALETTE, TEXT, ChartStyle


@dataclass(frozen=True)
class Series:
    name: str
    kind: str  # "main", a benchmark name, or "target"
    points: tuple[tuple[float, float], ...]  # (x as a year fraction, value)


@dataclass(frozen=True)
class LineChart:
    title: str
    y_label: str
    series: tuple[Series, ...]
    x_ticks: tuple[tuple[float, str], ...]


@dataclass(frozen=True)
class BarChart:
    title: str
    y_label: str
    bars: tuple[tuple[str, float], ...]


def _axes(style: ChartStyle, title: str, y_label: str):
    figure = Figure(figsize=(style.width_in, style.height_in), facecolor=BACKGROUND)
    axes = figure.add_subplot()
    axes.set_facecolor(BACKGROUND)
    axes.set_title(title, fontsize=style.title_size, color=TEXT, loc="left", pad=12)
    axes.set_ylabel(y_label, fontsize=style.font_size, color=TEXT)
    axes.tick_params(labelsize=style.font_size, colors=TEXT)
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def line_chart(chart: LineChart, style: ChartStyle) -> Figure:
    """Series over time, told apart by line style, marker and a direct label at the line's end."""
    figure, axes = _axes(style, chart.title, chart.y_label)
    for index, series in enumerate(chart.series):
        line_style, marker = LINE_STYLES.get(series.kind, LINE_STYLES["main"])
        colour = PALETTE[index % len(PALETTE)]
        xs = [x for x, _ in series.points]
        ys = [y for _, y in series.points]
        axes.plot(xs, ys, linestyle=line_style, marker=marker, color=colour,
                  linewidth=style.line_width if series.kind == "main" else style.line_width * 0.8,
                  markersize=style.marker_size, label=series.name)
    x_min = min(x for s in chart.series for x, _ in s.points)
    x_max = max(x for s in chart.series for x, _ in s.points)
    span = max(x_max - x_min, 1 / 12)
    axes.set_xlim(x_min - span * 0.04, x_max + span * 0.04)
    all_y = [y for s in chart.series for _, y in s.points]
    if min(all_y) >= 0:
        axes.set_ylim(bottom=0, top=max(all_y) * 1.12 or 1)
    figure.subplots_adjust(left=0.12, right=0.72, top=0.86, bottom=0.14)
    _direct_labels(axes, chart.series, style)
    ticks = _spaced_ticks(chart.x_ticks, style, axes)
    axes.set_xticks([x for x, _ in ticks], [label for _, label in ticks])
    axes.yaxis.set_major_locator(MaxNLocator(nbins=style.max_ticks, min_n_ticks=3))
    return figure


def _axes_size_points(axes) -> tuple[float, float]:
    box = axes.get_position()
    width_in, height_in = axes.figure.get_size_inches()
    return box.width * width_in * 72, box.height * height_in * 72


def _direct_labels(axes, series: tuple[Series, ...], style: ChartStyle) -> None:
    """Name each line at its last point, nudging labels apart so that none overlap."""
    bottom, top = axes.get_ylim()
    _, height_pts = _axes_size_points(axes)
    gap = (top - bottom) * style.font_size * 1.25 / height_pts
    ends = sorted(((s.points[-1][1], s.points[-1][0], s.name) for s in series), key=lambda e: e[0])
    placed: list[float] = []
    for y, _, _ in ends:
        placed.append(max(y, placed[-1] + gap) if placed else y)
    overflow = placed[-1] - top if placed else 0
    if overflow > 0:
        placed = [p - overflow for p in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    points_per_unit = height_pts / (top - bottom)
    for (y, x, name), label_y in zip(ends, placed, strict=True):
        axes.annotate(name, xy=(x, y), xytext=(8, (label_y - y) * points_per_unit), textcoords="offset points",
                      va="center", fontsize=style.font_size, color=TEXT, annotation_clip=False)


def _spaced_ticks(ticks: tuple[tuple[float, str], ...], style: ChartStyle, axes) -> list[tuple[float, str]]:
    """At most `max_ticks` x labels, never closer than a label's width; the last one always shown."""
    if not ticks:
        return []
    width_pts, _ = _axes_size_points(axes)
    left, right = axes.get_xlim()
    label_pts = max(len(label) for _, label in ticks) * style.font_size * 0.62 + style.font_size
    min_dx = (right - left) * label_pts / width_pts
    kept: list[tuple[float, str]] = []
    for tick in reversed(ticks):
        if not kept or kept[-1][0] - tick[0] >= min_dx:
            kept.append(tick)
    kept.reverse()
    while len(kept) > style.max_ticks:
        kept = kept[1::2] if kept[-1] == kept[1::2][-1:][0] else kept[::2]
    return kept


def bar_chart(chart: BarChart, style: ChartStyle) -> Figure:
    """Horizontal bars with the value written at the end of each bar."""
    figure = Figure(figsize=(style.width_in, max(2.4, 0.55 * len(chart.bars) + 1.4)), facecolor=BACKGROUND)
    axes = figure.add_subplot()
    axes.set_title(chart.title, fontsize=style.title_size, color=TEXT, loc="left", pad=12)
    labels = [label for label, _ in chart.bars]
    values = [value for _, value in chart.bars]
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, values, color=PALETTE[0], height=0.6)
    axes.set_yticks(positions, labels)
    axes.tick_params(labelsize=style.font_size, colors=TEXT)
    axes.set_xlabel(chart.y_label, fontsize=style.font_size, color=TEXT)
    for position, value in zip(positions, values, strict=True):
        text = f"{value:,.1f}".rstrip("0").rstrip(".")
        axes.annotate(text, xy=(value, position), xytext=(4, 0), textcoords="offset points",
                      va="center", fontsize=style.font_size, color=TEXT)
    axes.set_xlim(0, max(values) * 1.18 or 1)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.subplots_adjust(left=0.42, right=0.95, top=0.82, bottom=0.2)
    return figure
