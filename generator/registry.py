"""The section registry: one record per section of the site, and everything else about sections derived from it.

A section is what one page kind makes: the scorecard and indicators, the children in care council's
updates, the Pledge, the Local Offer, events, meetings, the glossary and the accessibility statement.
Its record says, once: its key (an identifier, the kind's `name`), its URL folder, where its index
page sits in the navigation, its icon in the young edition, the data it is made from and the page
kind that plans its pages. From these records come the navigation order (`pipeline`), each index
page's path (`Urls.sections`), the young edition's section icons (`icons.SECTION_ICONS`), the
link check's "this page is made from ..." hints (`link_check.SECTION_SOURCES`) and the page kinds
themselves, in this order (`pages.KINDS`).

Adding a page kind takes one record here, one kind module in `generator/pages/` (its `name` is the
record's key), its templates and its URL method on `generator.urls.Urls` (named by `index`). Each
is checked when the package is imported: a record missing a field, a malformed value, a repeated
key, folder or place in the navigation, a kind that cannot be found or is named otherwise, or an
index method `Urls` lacks, stops the import with a message naming the record; a kind module that is
not registered is found by `tests/test_registry.py`.

This module imports nothing from panelsite, so every other module may read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

KEY = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
FOLDER = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ICON = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$")
KIND = re.compile(r"^[a-z][a-z0-9_]*:[A-Z][A-Z0-9_]*$")

CONFIGURED = None
"""The `folder` of a section whose URL folder is configured (`children_council.slug`), not fixed."""
ROOT = ""
"""The `folder` of a section that is one page at the edition's root (`accessibility.md`)."""


class RegistryError(Exception):
    """A section record is incomplete or contradicts another: raised at import, naming the record."""


@dataclass(frozen=True, kw_only=True)
class Section:
    """One section of the site. Every field is required: a record cannot leave one out by accident."""

    key: str
    """An identifier (`local_offer`): the page kind's `name`, and how code names the section."""
    folder: str | None
    """The URL folder of its pages (`local-offer`); `CONFIGURED` when site_config.yml sets it,
    `ROOT` for a single page at the edition's root."""
    nav_order: int
    """Where its index page sits in the navigation (10, 20 …); a hand-written page's `nav_order`
    sorts among these."""
    icon: str | None
    """The Material icon beside it in the young edition's navigation (`material/gift`); None for a
    section the young edition does not have."""
    source: str
    """The data it is made from, as an author would look for it (`data/entitlements/`)."""
    kind: str
    """Its page kind, as `module:NAME` in `generator.pages` (`offer:KIND`)."""
    index: str
    """The `generator.urls.Urls` method giving its index page's path (`local_offer`)."""

    def __post_init__(self) -> None:
        problems = [
            f"{name} {value!r} {why}"
            for name, value, ok, why in (
                ("key", self.key, isinstance(self.key, str) and KEY.match(self.key), "is not a lower_case identifier"),
                (
                    "folder",
                    self.folder,
                    self.folder in (CONFIGURED, ROOT) or (isinstance(self.folder, str) and FOLDER.match(self.folder)),
                    "is not a URL folder (lower-case words joined by '-'), CONFIGURED or ROOT",
                ),
                (
                    "nav_order",
                    self.nav_order,
                    isinstance(self.nav_order, int) and not isinstance(self.nav_order, bool) and self.nav_order > 0,
                    "is not a positive whole number",
                ),
                (
                    "icon",
                    self.icon,
                    self.icon is None or (isinstance(self.icon, str) and ICON.match(self.icon)),
                    "is not an icon name like material/gift",
                ),
                ("source", self.source, isinstance(self.source, str) and self.source.strip(), "is empty"),
                ("kind", self.kind, isinstance(self.kind, str) and KIND.match(self.kind), "is not module:NAME"),
                (
                    "index",
                    self.index,
                    isinstance(self.index, str) and self.index.isidentifier(),
                    "is not a method name",
                ),
            )
            if not ok
        ]
        if problems:
            raise RegistryError(f"section {self.key!r}: " + "; ".join(problems))


def check(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """The records, when no two share a key, a fixed folder or a place in the navigation."""
    for name in ("key", "folder", "nav_order"):
        seen: dict[object, str] = {}
        for section in sections:
            value = getattr(section, name)
            if name == "folder" and value in (CONFIGURED, ROOT):
                continue
            if value in seen:
                raise RegistryError(f"sections {seen[value]!r} and {section.key!r} have the same {name} {value!r}")
            seen[value] = section.key
    return sections


SECTIONS: tuple[Section, ...] = check(
    (
        Section(
            key="performance",
            folder="performance",
            nav_order=10,
            icon="material/chart-line",
            source="data/kpis/",
            kind="kpis:KIND",
            index="performance",
        ),
        Section(
            key="children_council",
            folder=CONFIGURED,
            nav_order=20,
            icon="material/message-text",
            source="data/updates/",
            kind="sections:UPDATES",
            index="children_council",
        ),
        Section(
            key="pledge",
            folder="pledge",
            nav_order=30,
            icon="material/hand-heart",
            source="data/pledge.yml",
            kind="sections:PLEDGE",
            index="pledge",
        ),
        Section(
            key="local_offer",
            folder="local-offer",
            nav_order=40,
            icon="material/gift",
            source="data/entitlements/",
            kind="offer:KIND",
            index="local_offer",
        ),
        Section(
            key="events",
            folder="events",
            nav_order=50,
            icon="material/party-popper",
            source="data/events/",
            kind="sections:EVENTS",
            index="events",
        ),
        Section(
            key="meetings",
            folder="meetings",
            nav_order=60,
            icon=None,  # the standard edition only
            source="data/meetings/",
            kind="meetings:KIND",
            index="meetings",
        ),
        Section(
            key="glossary",
            folder="glossary",
            nav_order=70,
            icon="material/book-open-variant",
            source="data/glossary.yml",
            kind="sections:GLOSSARY",
            index="glossary",
        ),
        Section(
            key="accessibility",
            folder=ROOT,
            nav_order=85,  # after the usual hand-written pages (about is 80)
            icon="material/human",
            source="the `accessibility:` settings in site_config.yml",
            kind="statement:KIND",
            index="accessibility",
        ),
    )
)
"""Every section, in the order their pages are planned."""

BY_KEY = {section.key: section for section in SECTIONS}
FIELDS = tuple(f.name for f in fields(Section))


def section(key: str) -> Section:
    """The record of one section, by key; a misspelt key is a `KeyError` naming the known ones."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"no section {key!r}; the sections are {', '.join(BY_KEY)}") from None
