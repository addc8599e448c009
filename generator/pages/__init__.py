"""The page kinds: each plans its pages and builds their typed contexts; the pipeline loops over `KINDS`.

The order of `KINDS` is the order pages are planned in (and the order of their sections in the
navigation, see `pipeline.SECTION_NAV_ORDER`).
"""

from ..urls import edition_switch_href, page_url, relative_href, relative_url
from . import kpis, meetings, offer, sections, statement
from .kind import Build, Output, Page, PageKind

KINDS: tuple[PageKind, ...] = (
    kpis.KIND,
    sections.UPDATES,
    sections.PLEDGE,
    offer.KIND,
    sections.EVENTS,
    meetings.KIND,
    sections.GLOSSARY,
    statement.KIND,
)


def plan_pages(build: Build) -> list[Page]:
    """Every generated page of the edition, kind by kind (hand-written pages are added by the pipeline)."""
    return [page for kind in KINDS for page in kind.plan(build)]


__all__ = [
    "KINDS",
    "Build",
    "Output",
    "Page",
    "PageKind",
    "edition_switch_href",
    "page_url",
    "plan_pages",
    "relative_href",
    "relative_url",
]
