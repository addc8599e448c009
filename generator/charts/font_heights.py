"""A font's ascent, descent and line gap, worked out once per font and size instead of once per text.

Matplotlib's `Text._get_layout` reads them from the font's tables (`OS/2`, else `hhea`, and `head`)
for every text it lays out: two table reads and a font lookup each time, a tenth of drawing a chart
here, where every text is laid out several times. It asks the renderer first, when the renderer has
`_get_font_height_metrics` (Matplotlib's own hook for its PDF and PostScript renderers), so the
renderers that measure and write charts (`layout`, `render`) answer from `font_height_metrics`,
which works them out as `_get_layout` does and remembers them. Tests hold the sizes measured this way
to those Matplotlib measures without it, and the SVG written to what `savefig` writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.font_manager import FontProperties

Heights = tuple[float | None, float | None, float | None]
_HEIGHTS: dict[tuple[int, float], Heights] = {}
"""(ascent, descent, line gap) by the font properties' hash (as Matplotlib keys fonts) and the dpi."""
MAX_FONTS = 1000
"""Fonts and sizes remembered at most: a chart uses a handful."""


def font_height_metrics(prop: FontProperties, dpi: float) -> Heights:
    """The ascent, descent and line gap in pixels at `dpi` of the font `prop` names, as Matplotlib's
    `Text._get_layout` works them out (None, None, None when the font has neither table: Matplotlib then
    measures a sample text instead)."""
    key = (hash(prop), dpi)
    heights = _HEIGHTS.get(key)
    if heights is None:
        from matplotlib.font_manager import fontManager, get_font

        font = get_font(fontManager._find_fonts_by_props(prop))
        heights = (None, None, None)
        for table_name, gap_key, ascent_key, descent_key in (
            ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
            ("hhea", "lineGap", "ascent", "descent"),
        ):
            table = font.get_sfnt_table(table_name)  # type: ignore[call-overload]
            if table is None:
                continue
            head = font.get_sfnt_table("head")
            scale = 1 / head["unitsPerEm"] * prop.get_size_in_points() * dpi / 72  # type: ignore[index]
            heights = (table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale)
            break
        if len(_HEIGHTS) >= MAX_FONTS:
            _HEIGHTS.clear()
        _HEIGHTS[key] = heights
    return heights
