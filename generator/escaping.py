"""Plain text made safe for Markdown and HTML: every template that writes Markdown escapes with these.

Plain-text data can hold `<script>`, `*` or `[`; none of it may turn into markup. The page
templates (`generator.rendering`) and the content pages' sandbox (`generator.sandbox`) both read
Markdown templates with `MARKDOWN_TEMPLATE_OPTIONS`, whose `finalize` escapes every expression.
This module imports nothing from panelsite, so both may use it without importing each other.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
from markupsafe import Markup

# Characters that Markdown, its extensions (attr_list `{...}`, tables `|`, abbr `*[...]`) or HTML
# would read as syntax. Each becomes a numeric character reference: the browser shows the
# character itself whether the text lands in Markdown, inside a raw HTML block, in a heading, a
# table cell or an attribute, so one escape serves every output context.
_SPECIALS = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "\\": "&#92;",
    "`": "&#96;",
    "*": "&#42;",
    "_": "&#95;",
    "{": "&#123;",
    "}": "&#125;",
    "[": "&#91;",
    "]": "&#93;",
    "#": "&#35;",
    "|": "&#124;",
    "~": "&#126;",
    "$": "&#36;",
}
_SPECIALS_PATTERN = re.compile("[" + re.escape("".join(_SPECIALS)) + "]")
# At the start of a line these begin a list, a definition or a heading underline.
_LINE_START = re.compile(r"^(?:([-+:=])|(\d+)([.)]))(?=\s|$)")


def escape_text(value: Any) -> str:
    """Escape plain text so that it shows exactly as written, in Markdown and in HTML alike."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    text = str(value)
    if "\n" in text:  # one line: a newline in a value must not end a table row or list item
        text = " ".join(part.strip() for part in text.split("\n"))
    text = _SPECIALS_PATTERN.sub(lambda match: _SPECIALS[match.group(0)], text)
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return f"&#{ord(match.group(1))};"
    return f"{match.group(2)}&#{ord(match.group(3))};"


def escape_block(value: Any) -> Markup:
    """Escape text that may hold paragraphs (blank lines) and keep them as paragraphs."""
    paragraphs = re.split(r"\n[ \t]*\n", str(value or "").strip())
    return Markup("\n\n".join(escape_text(p) for p in paragraphs if p.strip()))


def without_full_stop(value: Any) -> str:
    """The text without a final full stop, for templates that end the sentence themselves."""
    return str(value or "").rstrip().removesuffix(".")


def attr(value: Any) -> Markup:
    """Escape text for an HTML attribute value."""
    return Markup(escape_text(value).replace('"', "&quot;").replace("'", "&#39;"))


MARKDOWN_TEMPLATE_OPTIONS: dict[str, Any] = {
    "autoescape": False,
    "finalize": escape_text,
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}
"""How every template that writes Markdown is read: each value escaped, a missing variable an error.
Shared by the page templates here and the content pages' sandbox (`generator.sandbox`)."""
