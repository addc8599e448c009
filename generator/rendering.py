"""Jinja2 templates that produce Markdown. Every `{{ value }}` is escaped unless it is `Markup`.

Plain-text data can hold `<script>`, `*` or `[`; none of it may turn into markup. The
environment's `finalize` escapes HTML and Markdown specials in every expression, so a template
has to opt in (`|safe`, or a helper returning `Markup`) to insert raw Markdown or HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|#~])")


def escape_text(value: Any) -> str:
    """Escape plain text so that Markdown and HTML show it literally."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    text = html.escape(str(value), quote=True)
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return re.sub(r"\s*\n\s*", " ", text)


def escape_block(value: Any) -> Markup:
    """Escape text that may hold paragraphs (blank lines) and keep them as paragraphs."""
    paragraphs = re.split(r"\n\s*\n", str(value or "").strip())
    return Markup("\n\n".join(escape_text(p) for p in paragraphs if p.strip()))


def attr(value: Any) -> Markup:
    """Escape text for an HTML attribute value."""
    return Markup(html.escape(str(value), quote=True).replace("\n", " "))


def make_environment(templates_dirs: Path | Sequence[Path], edition: str) -> jinja2.Environment:
    """Templates from `templates_dirs` (first wins), each `young/` overlay taking precedence in the young edition."""
    dirs = [templates_dirs] if isinstance(templates_dirs, Path) else list(templates_dirs)
    loaders: list[jinja2.BaseLoader] = []
    if edition == "young":
        loaders += [jinja2.FileSystemLoader(d / "young") for d in dirs]
    loaders += [jinja2.FileSystemLoader(d) for d in dirs]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,
        finalize=escape_text,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(block=escape_block, attr=attr, raw=Markup)
    return env


def render(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    text = env.get_template(template).render(**context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
