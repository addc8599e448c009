"""Figure to SVG: deterministic bytes, real text, `<title>` and `<desc>`; cached by a hash of all that, and
checked before any cached file is used again."""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast
from xml.etree import ElementTree

from .. import __version__
from ..private_cache import CheckedStore, user_key
from .font_heights import font_height_metrics
from .style import CLASSES, chart_css, themed

if TYPE_CHECKING:  # Matplotlib is imported when a chart is drawn, never for a chart taken from the cache
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "panelsite",
    "svg.id": "chart",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "path.simplify": False,
}


SVG_METADATA = {"Date": None, "Creator": None}


def figure_to_svg(figure: Figure, title: str, description: str) -> bytes:
    """Save a figure as SVG with fixed ids, no date, and an accessible title and description."""
    svg = _matplotlib_svg(figure)
    accessible = (
        f'<title id="chart-title">{html.escape(title)}</title><desc id="chart-desc">{html.escape(description)}</desc>'
    )
    svg = re.sub(
        r"(<svg\b[^>]*?)>", rf'\1 role="img" aria-labelledby="chart-title chart-desc">{accessible}', svg, count=1
    )
    return themed(svg).encode("utf-8")


_SVG_TEXT_SIZES: dict[tuple[str, int, Any], tuple[float, float, float]] = {}
"""Text sizes as Matplotlib's SVG writer measures them, by (text, font properties' hash, math or not)."""


MAX_TEXT_SIZES = 100_000
"""Sizes remembered at most (a long `serve` of a large site stays small: each is a few hundred bytes)."""


@cache
def _remembering_svg_renderer() -> type:
    """Matplotlib's SVG renderer, remembering the text sizes it measures in `_SVG_TEXT_SIZES`, and telling a
    text's layout its font's heights (`font_heights`)."""
    from matplotlib.backends.backend_svg import RendererSVG

    class RendererRemembering(RendererSVG):
        def _get_font_height_metrics(self, prop):  # the figure is at 72 dpi while its SVG is written
            return font_height_metrics(prop, 72)

        def get_text_width_height_descent(self, s, prop, ismath):
            key = (s, hash(prop), ismath)
            size = _SVG_TEXT_SIZES.get(key)
            if size is None:
                if len(_SVG_TEXT_SIZES) >= MAX_TEXT_SIZES:
                    _SVG_TEXT_SIZES.clear()
                size = _SVG_TEXT_SIZES[key] = super().get_text_width_height_descent(s, prop, ismath)
            return size

    return RendererRemembering


def _matplotlib_svg(figure: Figure) -> str:
    """What `figure.savefig(format="svg")` writes (a test holds the two byte for byte), with the sizes of
    texts kept from chart to chart.

    Matplotlib's SVG writer measures every text again when it lays it out, each tick label three times, and
    keeps the sizes only as long as its renderer, which is made anew for each file: so every chart measured
    "2019", its axis label and its fonts again. Here the renderer's measuring is remembered in this process,
    as Matplotlib's own cache does, by the same key (the font properties' hash stands for them there too).
    This is `FigureCanvasSVG.print_svg` with that renderer; nothing else of Matplotlib is changed."""
    import matplotlib
    from matplotlib.backends.backend_mixed import MixedModeRenderer

    buffer = io.StringIO()
    dpi = figure.dpi
    with matplotlib.rc_context(RC):
        figure.dpi = 72  # as `print_svg` does: an SVG is laid out in points
        try:
            width, height = figure.get_size_inches()
            svg_renderer = _remembering_svg_renderer()(
                width * 72, height * 72, buffer, image_dpi=dpi, metadata=SVG_METADATA
            )
            renderer = MixedModeRenderer(figure, width, height, dpi, svg_renderer, bbox_inches_restore=None)
            figure.draw(cast(Any, renderer))  # a stand-in for the SVG renderer, as `print_svg` hands it over
            renderer.finalize()
        finally:
            figure.dpi = dpi
    return buffer.getvalue()


class ChartStore(Protocol):
    """Where chart code gets a chart's SVG: the `ChartCache`, or `chart_pool`'s recorder, which only
    notes the charts still to draw. `words` is the (title, description) written into the file."""

    def get_or_render(self, spec: Any, style: Any, render: Callable[[], bytes], words: tuple[str, str]) -> bytes: ...


MAX_ENTRY_BYTES = 4_000_000
"""A cached chart larger than this is not read (the largest demo chart is about 60 kB)."""


@dataclass
class ChartCache:
    """Rendered SVGs keyed by a hash of everything written into them, in memory and in the one cache.

    On disk the charts are entries of kind `charts` in the project's cache folder (`folder` is
    `<cache_dir>/charts`; its parent holds the folder's one manifest), kept by `private_cache.CheckedStore`
    under the rules every cache follows: an entry is read only when the manifest lists it, it is sealed
    under this user's key (kept outside the project) and it is a regular file of the user's own. Then
    `check_svg` reads it as the SVG panelsite writes (known elements and attributes only: no script, no
    event handler, no link out of the file) with the expected title and description; anything else is
    drawn again and replaced. The folder is not used when it, or a folder on its way, is a link someone
    planted or belongs to another user (`refused` says why). `save` lists this build's charts.
    """

    folder: Path | None
    memory: dict[str, bytes] = field(default_factory=dict)
    rendered: int = 0
    reused: int = 0
    rejected: int = 0  # entries on disk found wrong and drawn again
    refused: str | None = None  # why the folder on disk is not used, when it is not
    _store: CheckedStore | None = field(default=None, repr=False)

    def _disk(self) -> CheckedStore | None:
        if self.folder is None or self.refused:
            return None
        if self._store is None:
            try:
                folder = private_dir(self.folder)
            except UnsafeCache as problem:
                self.refused = str(problem)
                return None
            store = CheckedStore(folder.parent, folder.name, CODE_HASH)
            if store.folder is None or user_key() is None:
                self.refused = f"{folder}: the chart cache cannot be kept private to this user"
                return None
            self._store = store
        return self._store

    def lookup(self, key: str, words: tuple[str, str]) -> bytes | None:
        """The chart stored under `key`, checked; None when there is none or it fails a check."""
        if key in self.memory:
            return self.memory[key]
        store = self._disk()
        if store is None:
            return None
        before = store.rejected
        data = store.get(
            key, key, lambda svg: svg if len(svg) <= MAX_ENTRY_BYTES and not check_svg(svg, *words) else None
        )
        if data is None:
            self.rejected += store.rejected - before
            return None
        self.memory[key] = data
        return data

    def get_or_render(self, spec: Any, style: Any, render: Callable[[], bytes], words: tuple[str, str]) -> bytes:
        key = chart_key(spec, style, words)
        data = self.lookup(key, words)
        if data is not None:
            self.reused += 1
            return data
        data = render()
        self.rendered += 1
        store = self._disk()
        if store is not None:
            store.put(key, key, data)
        self.memory[key] = data
        return data

    def save(self) -> None:
        """List the charts this build drew or used in the cache's manifest (none is pruned: an edition or
        a page not built this time may still want the others)."""
        if self._store is not None:
            self._store.save(prune=False)

    def reset_counts(self) -> None:
        self.rendered = self.reused = self.rejected = 0


class UnsafeCache(Exception):
    """The cache folder is not safely this user's own."""


def private_dir(folder: Path) -> Path:
    """`folder`, made if missing with mode 0700, after checking that no part of its path is a link someone
    could have planted (only a link directly under the root folder, such as macOS's /tmp, is accepted: the
    system's own) and that the folder
    itself is a real folder owned by this user; others' access to it is taken away."""
    folder = Path(os.path.abspath(folder))
    uid = os.getuid() if hasattr(os, "getuid") else None
    for part in reversed((folder, *folder.parents)):
        try:
            info = os.lstat(part)
        except FileNotFoundError:
            try:
                os.mkdir(part, stat.S_IRWXU)
            except FileExistsError:  # made meanwhile by a build running beside this one: checked below
                pass
            except OSError as error:
                raise UnsafeCache(f"{part}: cannot make the chart cache folder ({error.strerror})") from None
            info = os.lstat(part)
        except OSError as error:
            raise UnsafeCache(f"{part}: cannot read ({error.strerror})") from None
        if stat.S_ISLNK(info.st_mode) and part.parent != part.parent.parent:
            raise UnsafeCache(f"{part}: a link on the chart cache's path; remove it or set cache_dir elsewhere")
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeCache(f"{folder}: the chart cache is not a folder")
    if uid is not None:
        if info.st_uid != uid:
            raise UnsafeCache(f"{folder}: the chart cache belongs to another user")
        if stat.S_IMODE(info.st_mode) & (stat.S_IRWXG | stat.S_IRWXO):
            try:
                os.chmod(folder, stat.S_IMODE(info.st_mode) & stat.S_IRWXU)
            except OSError as error:
                raise UnsafeCache(f"{folder}: cannot make the chart cache private ({error.strerror})") from None
    return folder


SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
ELEMENTS = {
    *(f"{{{SVG_NS}}}{name}" for name in ("svg", "metadata", "defs", "style", "g", "path", "use", "text")),
    *(f"{{{SVG_NS}}}{name}" for name in ("clipPath", "rect", "title", "desc")),
    f"{_RDF}RDF",
    "{http://creativecommons.org/ns#}Work",
    "{http://purl.org/dc/elements/1.1/}format",
    "{http://purl.org/dc/elements/1.1/}type",
}
"""The elements Matplotlib's SVG writer and `figure_to_svg` put in a chart; nothing else is accepted."""
ATTRIBUTES = {
    *("aria-labelledby", "class", "clip-path", "d", "height", "id", "role", "style", "transform", "type", "version"),
    *("viewBox", "width", "x", "y", f"{_XLINK}href", f"{_RDF}resource"),
}
RDF_RESOURCE = "http://purl.org/dc/dcmitype/StillImage"
_HREF, _RESOURCE = f"{_XLINK}href", f"{_RDF}resource"
_HEAD = re.compile(
    rb'\A<\?xml version="1\.0" encoding="utf-8" standalone="no"\?>\s*'
    rb'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1\.1//EN"\s+"http://www\.w3\.org/Graphics/SVG/1\.1/DTD/svg11\.dtd">\s*<svg\b'
)
_OUTSIDE_URL = re.compile(r"""url\(\s*(?!['"]?\s*#)""", re.IGNORECASE)
"""A `url(` whose target is not an id in the same file."""
MATPLOTLIB_STYLE = "*{stroke-linejoin: round; stroke-linecap: butt}"
"""The one stylesheet Matplotlib's SVG writer puts in a chart; the other is `style.chart_css`."""


def check_svg(data: bytes, title: str, description: str) -> str | None:
    """What is wrong with `data` as a chart panelsite wrote with this title and description, or None.

    Accepted: Matplotlib's XML declaration and SVG doctype (no internal subset, so no entities), then one
    `svg` element holding only known elements and attributes; links only within the file (`#id`, `url(#id)`);
    no processing instruction, script, event handler or other reference out of the file; only the colour
    classes `style.themed` writes, and exactly two stylesheets: the one `style.chart_css` writes for the
    classes used, then Matplotlib's own (so no rule in a cached file is taken on trust); the title and description
    exactly the expected ones.
    """
    head = _HEAD.match(data)
    if head is None:
        return "not the start of an SVG chart"
    body = data[head.end() - 4 :]
    if b"<!" in body.replace(b"<![CDATA[", b"") or b"<?" in body:
        return "a declaration or processing instruction in the body"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return f"not well-formed ({error})"
    titles = [e.text or "" for e in root if e.tag == f"{{{SVG_NS}}}title"]
    descs = [e.text or "" for e in root if e.tag == f"{{{SVG_NS}}}desc"]
    if titles != [title] or descs != [description]:
        return "another title or description"
    classes: set[str] = set()
    sheets: list[str] = []
    for element in root.iter():
        if element.tag not in ELEMENTS:
            return f"unexpected element {element.tag}"
        attributes = element.attrib
        if not attributes.keys() <= ATTRIBUTES:
            return f"unexpected attribute {min(attributes.keys() - ATTRIBUTES)}"
        if not attributes.get(_HREF, "#").startswith("#"):
            return f"a link out of the file ({attributes[_HREF][:40]})"
        if attributes.get(_RESOURCE, RDF_RESOURCE) != RDF_RESOURCE:
            return "unexpected metadata"
        for name, value in attributes.items():
            if _OUTSIDE_URL.search(value):
                return f"a reference out of the file in {name}"
        classes.update(attributes.get("class", "").split())
        if element.tag == f"{{{SVG_NS}}}style":
            sheets.append(element.text or "")
    if not classes <= CLASSES:
        return f"unexpected class {min(classes - CLASSES)}"
    if sheets != [chart_css(classes), MATPLOTLIB_STYLE]:
        return "a stylesheet other than the chart's own colours"
    return None


def _code_hash() -> str:
    """A hash of the drawing code, so a changed chart module never serves stale drawings from the cache."""
    folder = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):  # every module of the renderer
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


CODE_HASH = _code_hash()


@cache
def matplotlib_version() -> str:
    """Matplotlib's version, read from its package metadata without importing it (part of every cache key)."""
    return version("matplotlib")


def _fields(value: Any) -> Any:
    """A dataclass as its fields for JSON (what `asdict` gives, without its deep copies); anything else as text."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    return str(value)


def chart_key(spec: Any, style: Any, words: tuple[str, str]) -> str:
    """A hash of everything written into a chart's file: the chart (`spec`), its size, colours and fonts
    (`style`, `RC`), its title and description (`words`), and the code and Matplotlib that draw it."""
    title, description = words
    payload = json.dumps(
        {
            "spec": spec,
            "style": style,
            "title": title,
            "desc": description,
            "rc": RC,
            "generator": __version__,
            "code": CODE_HASH,
            "matplotlib": matplotlib_version(),
        },
        sort_keys=True,
        default=_fields,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:32]
