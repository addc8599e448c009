"""Links between pages, checked before MkDocs sees them, so `check` finds what the strict build would.

A Markdown link to a `.md` page that the edition does not have is an error: on a hand-written page
it names the file, line and column of the link; on a generated page it names the data file whose
absence removed the target (a missing `data/glossary.yml`, say).
"""

from __future__ import annotations

import posixpath
import re

from .content import ContentPage
from .errors import Problem, Problems

# `](target.md)` or `](target.md#anchor)`: no nested brackets or spaces, so the scan is linear.
MARKDOWN_LINK = re.compile(r"\]\(([^()\s]+?\.md)(#[^()\s]*)?\)")
SECTION_SOURCES = {
    "performance": "data/kpis/",
    "pledge": "data/pledge.yml",
    "local-offer": "data/entitlements/",
    "events": "data/events/",
    "meetings": "data/meetings/",
    "glossary": "data/glossary.yml",
}
"""Each section folder and the data it is made from; the updates' folder is the configured slug."""


def linked_pages(text: str) -> list[tuple[int, int, str]]:
    """(offset, length, target) of every relative link to a Markdown page in `text`."""
    found = []
    for match in MARKDOWN_LINK.finditer(text):
        target = match.group(1)
        if "://" not in target and not target.startswith(("/", "mailto:", "tel:")):
            found.append((match.start(1), len(target), target))
    return found


def check_links(
    pages: dict[str, str], content: list[ContentPage], edition: str, updates_slug: str = "children-in-care-council"
) -> Problems:
    """An error for every link from a page of this edition to a page it does not have."""
    problems = Problems()
    sources = {**SECTION_SOURCES, updates_slug: "data/updates/"}
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


def _content_problem(page: ContentPage, target: str, resolved: str, edition: str, sources: dict[str, str]) -> Problem:
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
