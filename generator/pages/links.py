"""Relative links between pages, so a site works under any host and folder."""

from __future__ import annotations

import posixpath


def page_url(path: str) -> str:
    """The directory URL of a Markdown path: 'performance/x.md' -> 'performance/x/'."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_href(from_path: str, to_path: str) -> str:
    """A relative Markdown link from one page to another ('../x.md'), which MkDocs checks."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def edition_switch_href(path: str, from_edition: str) -> str:
    """The built URL of the same page in the other edition, relative to this page's URL."""
    url = page_url(path)
    depth = url.count("/")
    if from_edition == "standard":
        return "../" * depth + "young/" + url
    return "../" * (depth + 1) + url
