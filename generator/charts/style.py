"""Chart styles per edition: a palette with 3:1 contrast, line styles and markers so colour is never alone."""

from __future__ import annotations

from dataclasses import dataclass

BACKGROUND = "#ffffff"
TEXT = "#1a1a1a"
GRID = "#d0d0d0"
# Neighbouring colours differ by at least 3:1 in contrast, and each is 3:1 or more against white.
PALETTE = ("#0b2e59", "#c86f00")
# Each series kind keeps its own line style and marker, so charts read in greyscale too.
LINE_STYLES = {
    "main": ("-", "o"),
    "statistical neighbours": ("--", "^"),
    "england": (":", "s"),
    "yorkshire and the humber": ("-.", "D"),
    "best statistical neighbour": ((0, (5, 1, 1, 1)), "v"),
    "top quartile": ((0, (1, 2)), "P"),
    "target": ((0, (6, 3)), None),
}


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


STYLES = {
    "standard": ChartStyle("standard", 7.2, 4.2, 12, 13, 2.2, 6, 8, True),
    "young": ChartStyle("young", 6.0, 4.2, 15, 16, 3.0, 8, 4, False),
}


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
