"""Links between pages, checked before MkDocs sees them, so `check` finds what the strict build would.

A Markdown link to a `.md` page that the edition does not have is an error: on a hand-written page
it names the file, line and column of the link; on a generated page it names the data file whose
absence removed the target (a missing `data/glossary.yml`, say).

A hand-written page may link only to what panelsite publishes: its pages, the files it writes
(charts, CSV, feeds, papers that are not exempt), the pictures and documents in `content/` and the
theme's own files. Any other relative link (Markdown, reference or HTML `href`/`src`) is a located
error: `../data/kpis/x.yml`, `.git/config`, an exempt paper, or a path that climbs out of the site.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from urllib.parse import unquote

from .content import ContentPage
from .editions import Edition
from .errors import Problem, Problems
from .registry import SECTIONS, section

# `](target.md)` or `](target.md#anchor)`: no nested brackets or spaces, so the scan is linear.
MARKDOWN_LINK = re.compile(r"\]\(([^()\s]+?\.md)(#[^()\s]*)?\)")
SECTION_SOURCES = {record.folder: record.source for record in SECTIONS if record.folder}
"""Each fixed section folder and the data it is made from (`generator.registry`); the children in
care council's folder is the configured slug, added by `check_links`."""


def linked_pages(text: str) -> list[tuple[int, int, str]]:
    """(offset, length, target) of every relative link to a Markdown page in `text`."""
    found = []
    for match in MARKDOWN_LINK.finditer(text):
        target = match.group(1)
        if "://" not in target and not target.startswith(("/", "mailto:", "tel:")):
            found.append((match.start(1), len(target), target))
    return found


def check_links(
    pages: dict[str, str],
    content: list[ContentPage],
    edition: Edition,
    updates_slug: str = "children-in-care-council",
    published: Collection[str] | None = None,
) -> Problems:
    """An error for every link from a page of this edition to a page it does not have, and (given
    the files the edition `published` besides its pages) from a hand-written page to any file
    panelsite does not publish."""
    problems = Problems()
    if published is not None:
        problems.extend(_unpublished(pages, content, edition, set(published)))
    sources = {**SECTION_SOURCES, updates_slug: section("children_council").source}
    by_path = {page.path: page for page in content}
    for path, text in sorted(pages.items()):
        for _, _, target in linked_pages(text):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if resolved in pages:
                continue
            page = by_path.get(path)
            if page is not None:
                problems.add(_content_problem(page, target, resolved, edition, sources))
            else:
                problems.add(
                    Problem(
                        f"{edition} edition page {path}",
                        1,
                        1,
                        "",
                        f"links to {resolved}, which this edition does not have",
                        hint=_missing_source_hint(resolved, sources),
                    )
                )
    return problems


def _content_problem(
    page: ContentPage, target: str, resolved: str, edition: Edition, sources: dict[str, str]
) -> Problem:
    source = page.file.read_text(encoding="utf-8")
    at = source.find(f"]({target}")
    line = source.count("\n", 0, at) + 1 if at >= 0 else 1
    column = at - source.rfind("\n", 0, at) + 2 if at >= 0 else 1
    return Problem(
        page.display,
        line,
        column,
        "",
        f"link to {target}: the {edition} edition has no page {resolved}",
        hint=_missing_source_hint(resolved, sources) or "check the spelling, or remove the link",
    )


def _missing_source_hint(resolved: str, sources: dict[str, str]) -> str | None:
    section = resolved.split("/", 1)[0]
    source = sources.get(section)
    return f"this page is made from {source}; add it, or remove the link" if source else None


_ANY_LINK = re.compile(
    r"""\]\(\s*<?(?P<md>[^()\s<>]+)>?(?:\s+"[^"\n]*")?\s*\)"""
    r"""|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(?P<ref>[^\s>]+)>?"""
    r"""|\b(?:href|src)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))""",
    re.M | re.I,
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SWITCH = re.compile(r'^<p class="ps-edition-switch">.*$', re.M)
ENGINE_FILES = ("search/search_index.json", "sitemap.xml", "sitemap.xml.gz", "404.html")
"""Files MkDocs writes itself, which a page may link to."""


def published_files(assets: Iterable[str], content_dir: Path, theme_dirs: Iterable[Path]) -> set[str]:
    """Every site path of an edition besides its pages: generated files, content/'s pictures and
    documents, and the theme's own files (stylesheets, scripts, pictures; not its templates)."""
    from .content import scan_content

    found = set(assets) | set(ENGINE_FILES)
    found |= set(scan_content(content_dir)[0].assets)
    for folder in theme_dirs:
        for base, _, files in os.walk(folder):
            for name in files:
                if not name.endswith(".html"):
                    found.add((Path(base) / name).relative_to(folder).as_posix())
    return found


def _unpublished(pages: dict[str, str], content: list[ContentPage], edition: Edition, published: set[str]) -> Problems:
    problems = Problems()
    for page in content:
        text = pages.get(page.path)
        if text is None:
            continue
        for match in _ANY_LINK.finditer(_SWITCH.sub("", text)):
            target = next(v for v in match.group("md", "ref", "dq", "sq", "bare") if v is not None)
            why = _why_unpublished(page.path, target, pages, published)
            if why:
                problems.add(_located(page, target, why))
    return problems


def _why_unpublished(path: str, target: str, pages: dict[str, str], published: set[str]) -> str | None:
    """Why a relative link from `path` reaches nothing the edition publishes, or None when it does."""
    target = target.strip()
    if not target or target.startswith(("#", "/", "{")) or _SCHEME.match(target):
        return None  # in-page anchors, absolute URLs (MkDocs checks those) and other schemes
    plain = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not plain or plain.endswith(".md"):
        return None  # page links are checked by check_links
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), plain))
    if resolved == ".." or resolved.startswith("../") or plain.startswith("\\"):
        return "climbs out of the site, to a file panelsite does not publish"
    if resolved in published or resolved in pages:
        return None
    if resolved.endswith("/index.html") or resolved == "index.html":  # the built file of a page
        resolved = resolved.removesuffix("index.html").rstrip("/") or "."
    folder = "" if resolved == "." else resolved + "/"
    if f"{folder}index.md" in pages or f"{resolved}.md" in pages:
        return None
    return f"panelsite does not publish {resolved}"


def _located(page: ContentPage, target: str, why: str) -> Problem:
    source = page.file.read_text(encoding="utf-8")
    at = source.find(target)
    line = source.count("\n", 0, at) + 1 if at >= 0 else 1
    column = at - source.rfind("\n", 0, at) if at >= 0 else 1
    return Problem(
        page.display,
        line,
        column,
        "",
        f"link to {target}: {why}",
        hint="link to the page panelsite makes from it, or put the file in content/",
    )
