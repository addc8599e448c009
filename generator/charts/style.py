"""Chart styles per edition and width, and the colours of both schemes as CSS inside each SVG.

Colours are the Government Analysis Function's categorical palette (as in the `afcharts` package),
in the order whose neighbours differ by 3:1; every colour has 3:1 or more against its background in
both schemes (a test checks). Line styles and markers keep series apart in greyscale too.

A chart is drawn once per width, in the light scheme's colours; `themed` then turns every colour
into a class (`f-text` for a fill, `s-c0` for a stroke) and writes a `<style>` that gives each class
its light colour and, under `@media (prefers-color-scheme: dark)`, its dark one. An SVG shown with
`<img>` takes that preference from the image's own CSS `color-scheme` (Chromium and Firefox), which
Material sets from its palette toggle (`[data-md-color-scheme=slate] {color-scheme: dark}`), so one
file follows the reader's choice either way; a browser that follows only the system setting still
shows a whole chart in one scheme, its own background included, so its contrast holds.
"""

from __future__ import annotations

import re
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
DRAWN = LIGHT
"""The scheme whose colours the figure is drawn in; `themed` maps each of them to its role."""


def _roles(scheme: Scheme) -> dict[str, str]:
    return {
        "bg": scheme.background,
        "text": scheme.text,
        "grid": scheme.grid,
        **{f"c{index}": colour for index, colour in enumerate(scheme.palette)},
    }


ROLES = {role: (light.lower(), _roles(DARK)[role].lower()) for role, light in _roles(LIGHT).items()}
"""Each colour role: (light colour, dark colour)."""
_BY_COLOUR = {light: role for role, (light, _) in ROLES.items()}
assert len(_BY_COLOUR) == len(ROLES), "every role needs its own light colour, or `themed` cannot tell them apart"
_PROPERTIES = {"fill": "f", "stroke": "s"}
CLASSES = frozenset(f"{prefix}-{role}" for prefix in _PROPERTIES.values() for role in ROLES)
"""Every class `themed` may write."""
_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')


class UnthemedColour(ValueError):
    """A drawn colour that belongs to no role: it would not follow the page's colour scheme."""


def chart_css(classes: set[str] | frozenset[str]) -> str:
    """The stylesheet for the classes a chart uses: light colours, then dark ones for a dark page."""
    light, dark = [], []
    for name in sorted(classes):
        prefix, role = name.split("-", 1)
        prop = "fill" if prefix == "f" else "stroke"
        light.append(f".{name}{{{prop}:{ROLES[role][0]}}}")
        dark.append(f".{name}{{{prop}:{ROLES[role][1]}}}")
    return "".join(light) + "@media (prefers-color-scheme: dark){" + "".join(dark) + "}"


def _classed(match: re.Match[str], used: set[str]) -> str:
    kept, classes = [], []
    for declaration in match.group(1).split(";"):
        name, _, value = (part.strip() for part in declaration.partition(":"))
        if not name:
            continue
        role = _BY_COLOUR.get(value.lower())
        if name in _PROPERTIES and role is not None:
            classes.append(f"{_PROPERTIES[name]}-{role}")
        elif "#" in value or "rgb" in value.lower():
            raise UnthemedColour(f"{name}: {value} is not one of the chart's colours")
        else:
            kept.append(f"{name}: {value}")
    used.update(classes)
    text = f' class="{" ".join(classes)}"' if classes else ""
    return text + (f' style="{"; ".join(kept)}"' if kept else "")


def themed(svg: str) -> str:
    """The SVG with every colour a class and one `<style>` giving both schemes' colours (see the module)."""
    used: set[str] = set()
    body = _STYLE_ATTRIBUTE.sub(lambda match: _classed(match, used), svg)
    return body.replace("</desc>", f'</desc><style type="text/css">{chart_css(used)}</style>', 1)


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
    narrow: bool = False


STYLES = {
    "standard": ChartStyle("standard", 7.2, 4.2, 12, 13, 2.2, 6, 8, True),
    "young": ChartStyle("young", 6.0, 4.2, 15, 16, 3.0, 8, 4, False),
}
NARROW_WIDTH_IN = 3.6
"""Narrow renderings are 3.6 in (259 pt) wide: shown 259 CSS px wide or more, 12 pt text is 12 px or more."""


def variant(style: ChartStyle, narrow: bool) -> ChartStyle:
    """The style for one rendering: wide or narrow (narrow keeps the text size)."""
    if not narrow:
        return replace(style, narrow=False)
    return replace(
        style,
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
