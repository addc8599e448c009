"""The page kinds: each plans its pages and builds their typed contexts; the pipeline loops over `KINDS`.

`KINDS` is read from the section registry (`generator.registry`): one kind per section, in the
registry's order, which is the order pages are planned in. A record whose kind cannot be found, or
whose kind is named otherwise, stops the import with a message naming the record.
"""

import importlib

from ..registry import SECTIONS, RegistryError, Section
from ..urls import Urls, edition_switch_href, page_url, relative_href, relative_url
from .kind import Build, Output, Page, PageKind


def _kind(record: Section) -> PageKind:
    """The page kind a registry record names (`offer:KIND`), checked against the record."""
    module_name, _, attribute = record.kind.partition(":")
    wanted = f"{__package__}.{module_name}"
    try:
        module = importlib.import_module(wanted)
    except ModuleNotFoundError as exc:
        if exc.name != wanted:
            raise  # the kind module exists, and itself imports something missing
        raise RegistryError(f"section {record.key!r}: no page kind module generator/pages/{module_name}.py") from None
    kind = getattr(module, attribute, None)
    if kind is None or not callable(getattr(kind, "plan", None)):
        raise RegistryError(f"section {record.key!r}: generator/pages/{module_name}.py has no page kind {attribute}")
    if getattr(kind, "name", None) != record.key:
        raise RegistryError(f"section {record.key!r}: its kind {record.kind} is named {getattr(kind, 'name', None)!r}")
    if not callable(getattr(Urls, record.index, None)):
        raise RegistryError(f"section {record.key!r}: generator.urls.Urls has no method {record.index!r}")
    return kind


KINDS: tuple[PageKind, ...] = tuple(_kind(record) for record in SECTIONS)


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
