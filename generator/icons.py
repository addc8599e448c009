"""Icons from the sets Material bundles, inlined as decorative SVG (no request to another host).

Names are `set/name`, e.g. `material/cash`, as in Material's own icon search; the SVG is read from
the installed package's `templates/.icons/` folder when the site is built.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from markupsafe import Markup

from .registry import SECTIONS
from .urls import Urls, page_url

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


SECTION_ICONS = {record.key: record.icon for record in SECTIONS if record.icon is not None}
"""The icon beside each section of the young edition, by section key (`generator.registry`)."""
PAGE_ICONS = {
    "contact.md": "material/phone",
    "about.md": "material/information",
    "privacy.md": "material/shield-lock",
}
"""The icon beside the usual hand-written pages, by Markdown path."""


def section_icons_css(paths: set[str], urls: Urls) -> str:
    """CSS that puts each section's icon before its links in the navigation and in lists of sections.

    The icon is Material's own SVG, inlined as a `data:` URL used as a mask (so it takes the text
    colour in both colour schemes); the pseudo-element has no text, so screen readers skip it.
    """
    from urllib.parse import quote

    rules = []
    sections = urls.sections()
    icons = {sections[key]: name for key, name in SECTION_ICONS.items()} | PAGE_ICONS
    for page, name in icons.items():
        path = _path(name)
        if page not in paths or path is None:
            continue
        svg = path.read_text(encoding="utf-8").strip()
        target = f'[href$="{page_url(page)}"]'
        selectors = [
            f".md-nav--primary .md-nav__link{target}::before",
            f".md-typeset li > a:only-child{target}::before",
        ]
        rules.append(
            ", ".join(selectors) + ' {\n  content: ""; display: inline-block; width: 1.25em; '
            "height: 1.25em; margin-right: 0.4em; vertical-align: -0.25em; background-color: currentColor;\n"
            f'  -webkit-mask: url("data:image/svg+xml,{quote(svg)}") center / contain no-repeat;\n'
            f'  mask: url("data:image/svg+xml,{quote(svg)}") center / contain no-repeat;\n}}'
        )
    return "\n".join(rules) + "\n"
