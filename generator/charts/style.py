"""Chart styles per edition, width and colour scheme.

Colours are the Government Analysis Function's categorical palette (as in the `afcharts` package),
in the order whose neighbours differ by 3:1; every colour has 3:1 or more against its background in
both schemes (a test checks). Line styles and markers keep series apart in greyscale too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# Analysis Function "main6" palette: dark blue, orange, dark pink, turquoise, dark grey, light purple.
AF_PALETTE = ("#12436D", "#F46A25", "#801650", "#28A197", "#3D3D3D", "#A285D1")
# The same hues, with the dark ones lightened, for the dark scheme.
AF_PALETTE_DARK = ("#8AB4F8", "#F46A25", "#E58BC0", "#28A197", "#D0D0D0", "#A285D1")


@dataclass(frozen=True)
class Scheme:
    name: str
    background: str
    text: str
    grid: str
    palette: tuple[str, ...]


LIGHT = Scheme("light", "#ffffff", "#1a1a1a", "#d0d0d0", AF_PALETTE)
DARK = Scheme("dark", "#1e2129", "#ececec", "#4a4e5a", AF_PALETTE_DARK)
SCHEMES = {"light": LIGHT, "dark": DARK}

# Kept for callers that draw on the light scheme.
BACKGROUND, TEXT, GRID, PALETTE = LIGHT.background, LIGHT.text, LIGHT.grid, LIGHT.palette

LINE_STYLES = {
    "main": ("-", "o"),
    "benchmark-1": ("--", "^"),
    "benchmark-2": (":", "s"),
    "benchmark-3": ("-.", "D"),
    "target": ((0, (6, 3)), None),
}
"""Line style and marker by series: the area's own, each drawn comparator by its place among them
(so each has its own dashes and marker, whatever the council calls it), and the target."""


@dataclass(frozen=True)
class ChartStyle:
    name: str
    width_in: float
    height_in: float
    font_size: float
    title_size: float
    line_width: float
    marker_size: float
    max_ticks: int
    show_benchmarks: bool
    scheme: str = "light"
    narrow: bool = False


STYLES = {
    "standard": ChartStyle("standard", 7.2, 4.2, 12, 13, 2.2, 6, 8, True),
    "young": ChartStyle("young", 6.0, 4.2, 15, 16, 3.0, 8, 4, False),
}
NARROW_WIDTH_IN = 3.6
"""Narrow renderings are 3.6 in (259 pt) wide: shown 259 CSS px wide or more, 12 pt text is 12 px or more."""


def variant(style: ChartStyle, scheme: str, narrow: bool) -> ChartStyle:
    """The style for one rendering: light or dark, wide or narrow (narrow keeps the text size)."""
    if not narrow:
        return replace(style, scheme=scheme, narrow=False)
    return replace(
        style,
        scheme=scheme,
        narrow=True,
        width_in=NARROW_WIDTH_IN,
        height_in=style.height_in + 0.6,
        font_size=max(style.font_size, 12),
        title_size=max(style.title_size, 13),
        max_ticks=4,
    )


def css_px_at(style: ChartStyle, shown_width_px: float) -> float:
    """The CSS pixel size of the chart's smallest text when the image is shown this wide."""
    return style.font_size * shown_width_px / (style.width_in * 72)
