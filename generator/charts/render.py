"""Figure to SVG: deterministic bytes, real text, `<title>` and `<desc>`; cached by content hash."""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .. import __version__

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


def figure_to_svg(figure: Figure, title: str, description: str) -> bytes:
    """Save a figure as SVG with fixed ids, no date, and an accessible title and description."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    accessible = (
        f'<title id="chart-title">{html.escape(title)}</title><desc id="chart-desc">{html.escape(description)}</desc>'
    )
    svg = re.sub(
        r"(<svg\b[^>]*?)>", rf'\1 role="img" aria-labelledby="chart-title chart-desc">{accessible}', svg, count=1
    )
    return svg.encode("utf-8")


class ChartStore(Protocol):
    """Where chart code gets a chart's SVG: the `ChartCache`, or `chart_pool`'s recorder, which only
    notes the charts still to draw."""

    def get_or_render(self, spec: Any, style: Any, render: Callable[[], bytes]) -> bytes: ...


@dataclass
class ChartCache:
    """Rendered SVGs keyed by a hash of everything that shapes them, on disk and in memory."""

    folder: Path | None
    memory: dict[str, bytes] = field(default_factory=dict)
    rendered: int = 0
    reused: int = 0

    def get_or_render(self, spec: Any, style: Any, render: Callable[[], bytes]) -> bytes:
        key = chart_key(spec, style)
        if key in self.memory:
            self.reused += 1
            return self.memory[key]
        path = self.folder / f"{key}.svg" if self.folder else None
        if path and path.exists():
            data = path.read_bytes()
            self.reused += 1
        else:
            data = render()
            self.rendered += 1
            if path:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")  # builds running side by side never share one
                tmp.write_bytes(data)
                tmp.replace(path)
        self.memory[key] = data
        return data

    def reset_counts(self) -> None:
        self.rendered = self.reused = 0


def _code_hash() -> str:
    """A hash of the drawing code, so a changed chart module never serves stale drawings from the cache."""
    folder = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("kinds.py", "layout.py", "style.py", "render.py"):
        digest.update((folder / name).read_bytes())
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


def chart_key(spec: Any, style: Any) -> str:
    payload = json.dumps(
        {"spec": spec, "style": style, "generator": __version__, "code": CODE_HASH, "matplotlib": matplotlib_version()},
        sort_keys=True,
        default=_fields,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:32]
