"""Icons from the sets Material bundles, inlined as decorative SVG (no request to another host).

Names are `set/name`, e.g. `material/cash`, as in Material's own icon search; the SVG is read from
the installed package's `templates/.icons/` folder when the site is built.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from markupsafe import Markup

NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_BYTES = 64_000


def icons_folder() -> Path | None:
    """Material's bundled icon folder, or None if Material is not installed."""
    try:
        import material
    except ImportError:
        return None
    folder = Path(material.__file__).parent / "templates" / ".icons"
    return folder if folder.is_dir() else None


def _path(name: str) -> Path | None:
    folder = icons_folder()
    if folder is None or not NAME.match(name):
        return None
    path = folder / f"{name}.svg"
    return path if path.is_file() else None


def icon_exists(name: str) -> bool:
    return _path(name) is not None


@functools.lru_cache(maxsize=256)
def icon(name: str) -> Markup:
    """The icon as inline SVG, hidden from assistive technology (the words beside it say the same)."""
    path = _path(name)
    if path is None or path.stat().st_size > MAX_BYTES:
        return Markup("")
    svg = path.read_text(encoding="utf-8").strip()
    if not svg.startswith("<svg") or "<script" in svg.lower():
        return Markup("")
    svg = svg.replace("<svg", '<svg aria-hidden="true" focusable="false" class="ps-icon"', 1)
    return Markup(f'<span class="ps-icon-box">{svg}</span>')
