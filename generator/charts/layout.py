"""Measured chart layout: text extents from Matplotlib's renderer, never guesses.

`fit` moves the axes so every text (titles, ticks, direct labels, bar values) lies inside the
figure; `texts_outside` reports any that still do not, and the caller turns that into a build error.
`label_pairing` reads direct labels and their series' points back from the drawn figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, cast
from weakref import WeakKeyDictionary, WeakSet

from .font_heights import font_height_metrics

if TYPE_CHECKING:  # imported where a figure is measured, so a build with every chart cached never loads Matplotlib
    from matplotlib.axis import Axis, Tick
    from matplotlib.backend_bases import RendererBase
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.text import Text

PAD_PX = 6
SETTLED_PX = 0.5
"""`fit` stops once no text is more than this far into the margin: each round moves the axes by what is
still over, which halves nothing and shrinks by some thirty times, so rounds past this are invisible."""


class ChartTextOutside(ValueError):
    """Some chart text would be cut off at the figure's edge."""

    def __init__(self, title: str, texts: list[str]) -> None:
        super().__init__(f"chart '{title}': text outside the figure: {', '.join(repr(t) for t in texts)}")
        self.texts = texts


_RENDERERS: dict[tuple[int, int, float], RendererAgg] = {}
"""One Agg renderer per figure size, shared by every figure of that size in this process."""


def _shared_renderer(width: int, height: int, dpi: float) -> RendererAgg:
    """The renderer for figures of this size: Matplotlib keeps text sizes per renderer, so charts that share
    one measure each tick label, title line and font once, not once per chart."""
    key = (width, height, dpi)
    if key not in _RENDERERS:
        if len(_RENDERERS) >= 16:  # bar charts' heights vary: keep a handful, not one per height ever drawn
            _RENDERERS.clear()
        _RENDERERS[key] = _measuring_renderer()(width, height, dpi)
    return _RENDERERS[key]


@cache
def _measuring_renderer() -> type[RendererAgg]:
    """Matplotlib's Agg renderer, telling a text's layout its font's heights (`font_heights`)."""
    from matplotlib.backends.backend_agg import RendererAgg

    class RendererKnowingFontHeights(RendererAgg):
        def _get_font_height_metrics(self, prop):
            return font_height_metrics(prop, self.dpi)

    return RendererKnowingFontHeights


def renderer(figure: Figure, draw: bool = False) -> RendererAgg:
    """The Agg renderer that measures text; `draw` first lays out ticks (needed before reading them)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    # FigureCanvasAgg(figure) makes itself the figure's canvas, as before; only Agg has a renderer.
    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
    width, height = canvas.get_width_height(physical=True)
    shared = _shared_renderer(width, height, figure.dpi)
    if (
        getattr(canvas, "renderer", None) is not shared
    ):  # the canvas's own `get_renderer` then hands out the shared one too
        canvas.renderer = shared
        cast(Any, canvas)._lastKey = (width, height, figure.dpi)
    if draw:
        canvas.draw()
    return canvas.get_renderer()


# Matplotlib has no public call for the two steps below: `Axis.draw` and `Axis.get_tightbbox` use
# these private methods, and the public `get_majorticklabels` gives every major tick, in view or
# not, and no minor ones, which would measure labels that are never drawn. The stubs leave private
# methods out, so each is reached through `cast(Any, ...)` here and nowhere else.


def _ticks_in_view(axis: Axis) -> list[Tick]:
    """The ticks inside the view, positioned and labelled as they will be drawn."""
    ticks: list[Tick] = cast(Any, axis)._update_ticks()
    return ticks


def _place_axis_label(axis: Axis, rend: RendererBase) -> None:
    """Move the axis label beyond the tick labels, where drawing would put it."""
    cast(Any, axis)._update_label_position(rend)


def visible_texts(figure: Figure, rend: RendererBase | None = None) -> list[Text | Legend]:
    """Every text that will be drawn, with something in it: titles, the ticks in view, axis labels,
    annotations; then the legends, measured whole."""

    tick_texts: set[Text] = set()
    drawn: list[Text] = []
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                tick_texts.update((tick.label1, tick.label2))
            for tick in _ticks_in_view(axis):
                drawn += [label for label in (tick.label1, tick.label2) if label.get_visible()]
            _place_axis_label(axis, rend or renderer(figure))  # an axis without a label has it pinned: no measuring
    legends = [legend for axes in figure.axes if (legend := axes.get_legend()) is not None]
    others = [t for t in _own_texts(figure) if t not in tick_texts and t.get_visible()]
    return [t for t in drawn + others if t.get_text().strip()] + legends


def _own_texts(figure: Figure) -> list[Text]:
    """The texts `figure.findobj(Text)` finds besides tick labels and legends, in its order, without
    walking every tick, line and patch of the figure: each axes' annotations, its axis labels and offset
    texts, its three titles; then the figure's own texts."""
    from matplotlib.axis import Axis
    from matplotlib.text import Text

    found: list[Text] = []
    for axes in figure.axes:
        for child in axes.get_children():
            if isinstance(child, Axis):
                found += [child.label, child.offsetText]
            elif isinstance(child, Text):
                found.append(child)
    found += [text for text in figure.texts if isinstance(text, Text)]
    return found


def _name(artist) -> str:
    if hasattr(artist, "get_texts"):
        return "legend: " + ", ".join(t.get_text() for t in artist.get_texts())
    return artist.get_text()


def _union(figure: Figure):
    rend = renderer(figure)
    boxes = [t.get_window_extent(rend) for t in visible_texts(figure, rend)]
    boxes = [b for b in boxes if b.width > 0 and math.isfinite(b.x0)]
    return (min(b.x0 for b in boxes), min(b.y0 for b in boxes), max(b.x1 for b in boxes), max(b.y1 for b in boxes))


_SETTLED: WeakSet[Figure] = WeakSet()
"""Figures whose last `fit` round measured every text inside the margin, and that nothing has moved since."""


def settled(figure: Figure) -> bool:
    """Whether `fit` left every text of `figure` measured inside its margin (then `texts_outside` would find
    none: call it when this is False, or after changing the figure)."""
    return figure in _SETTLED


_WRAPPED: WeakKeyDictionary[Text, dict[tuple[str, float], str]] = WeakKeyDictionary()
"""Each title's wrapping by (words, room in pixels): the same room always gives the same lines."""


def wrap_title(figure: Figure, axes, original: str) -> None:
    """Wrap the left-aligned title so it fits between the axes' left edge and the figure's right edge."""

    title = next(t for t in (axes.title, axes._left_title, axes._right_title) if t.get_gid() == "chart-title")
    rend = renderer(figure)
    room = figure.bbox.width - axes.bbox.x0 - PAD_PX
    done = _WRAPPED.setdefault(title, {})
    if (original, room) in done:  # `fit` asks again each round; the axes' left edge seldom moves
        title.set_text(done[original, room])
        return
    if len(done) >= 256:  # a kept figure's title wraps every chart drawn on it: keep the latest, not all
        done.clear()
    done[original, room] = wrapped(title, rend, original, room)
    title.set_text(done[original, room])


def wrapped(title: Text, rend: RendererBase, original: str, room: float) -> str:
    """`original` in lines at most `room` pixels wide as `title` measures them: each line takes as many words
    as fit (at least one), which is what filling it word by word gives, found by halving (a run of words
    grows wider with each word), so a long title is measured some fifteen times rather than once a word."""
    words = original.split()

    def fits(count: int) -> bool:
        title.set_text(" ".join(words[:count]))
        return title.get_window_extent(rend).width <= room

    lines: list[str] = []
    while words:
        low, high = 1, len(words)
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if fits(middle) else (low, middle - 1)
        lines.append(" ".join(words[:low]))
        words = words[low:]
    return "\n".join(lines)


def fit(figure: Figure, axes, relayout=None, rounds: int = 5, title: str | None = None, follow: float = 1.0) -> None:
    """Shrink the axes until every text is inside the figure with a small margin.

    `follow` is the share of a move of the axes' right edge that the text beyond it moves by (1: text tied
    to the edge; less for text tied to data short of it): the edge moves that much further, so the text
    lands inside in one round rather than creeping in over several."""
    _SETTLED.discard(figure)
    for _ in range(rounds):
        if title is not None:
            wrap_title(figure, axes, title)
        if relayout:
            relayout()
        width, height = figure.bbox.width, figure.bbox.height
        x0, y0, x1, y1 = _union(figure)
        left, bottom, right, top = (
            max(0, PAD_PX - x0),
            max(0, PAD_PX - y0),
            max(0, x1 - width + PAD_PX),
            max(0, y1 - height + PAD_PX),
        )
        if max(left, bottom, right, top) < SETTLED_PX:  # every text at least PAD_PX - SETTLED_PX inside
            _SETTLED.add(figure)
            return
        if right:  # moving the left edge in carries text tied to data rightwards too
            right = (right + left * (1 - follow)) / follow
        box = axes.get_position()
        new = [box.x0 + left / width, box.y0 + bottom / height, box.x1 - right / width, box.y1 - top / height]
        if new[2] - new[0] < 0.2 or new[3] - new[1] < 0.2:
            return
        axes.set_position([new[0], new[1], new[2] - new[0], new[3] - new[1]])
    if title is not None:
        wrap_title(figure, axes, title)
    if relayout:
        relayout()


def texts_outside(figure: Figure) -> list[str]:
    """The texts whose measured extent leaves the figure (empty when everything fits)."""
    rend = renderer(figure)
    width, height = figure.bbox.width, figure.bbox.height
    found = []
    for text in visible_texts(figure, rend):
        box = text.get_window_extent(rend)
        if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5 or box.y1 > height + 0.5:
            found.append(_name(text))
    return found


@dataclass(frozen=True)
class Pairing:
    label: str
    own: float  # distance in pixels from the label's anchor to its own series' last point
    nearest_other: float  # to the nearest point of any other series
    other: str


def label_pairing(figure: Figure) -> list[Pairing]:
    """For every direct label, how far it is from its own last point and from other series' points."""
    rend = renderer(figure)
    points: dict[str, list[tuple[float, float]]] = {}
    names: dict[str, str] = {}
    labels = []
    for axes in figure.axes:
        for line in axes.get_lines():
            gid = line.get_gid() or ""
            if gid.startswith("series:"):
                xy = axes.transData.transform(line.get_xydata())
                points.setdefault(gid[7:], []).extend(
                    (float(x), float(y)) for x, y in xy if math.isfinite(x) and math.isfinite(y)
                )  # the NaN that lifts the pen at a gap is no point
        for text in axes.texts:
            gid = text.get_gid() or ""
            if gid.startswith("label:"):
                labels.append((gid[6:], text))
    found = []
    for key, text in labels:
        box = text.get_window_extent(rend)
        anchor = (box.x0, (box.y0 + box.y1) / 2)
        own_points = points.get(key, [])
        if not own_points:
            continue
        last = max(own_points, key=lambda p: p[0])
        own = math.dist(anchor, last)
        others = [(math.dist(anchor, p), k) for k, ps in points.items() if k != key for p in ps]
        nearest, other = min(others) if others else (math.inf, "")
        names[key] = text.get_text()
        found.append(Pairing(text.get_text(), own, nearest, other))
    return found


def overlapping_ticks(figure: Figure, only: str | None = None, gap: float = 0) -> list[tuple[str, str]]:
    """Pairs of tick labels whose measured boxes overlap (or stand less than `gap` pixels apart): side by
    side on the x axis, one above the other on the y axis (a bar chart's wrapped labels); `only` "x" or
    "y" looks at one axis. Empty when every label stands apart."""
    rend = renderer(figure)
    found = []
    for axes in figure.axes:
        for axis, along in ((axes.xaxis, "x"), (axes.yaxis, "y")):
            if only not in (None, along):
                continue
            ticks = [t.label1 for t in _ticks_in_view(axis) if t.label1.get_visible() and t.label1.get_text()]
            boxes = [(t.get_text(), t.get_window_extent(rend)) for t in ticks]
            boxes.sort(key=lambda item: item[1].x0 if along == "x" else item[1].y0)
            for (a, first), (b, second) in zip(boxes, boxes[1:], strict=False):
                if (first.x1 + gap > second.x0) if along == "x" else (first.y1 + gap > second.y0):
                    found.append((a, b))
    return found
