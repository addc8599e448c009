"""The two editions: the standard one at the site's root and the young people's one under `young/`.

`Edition` is a `StrEnum`, so an edition is a type everywhere it travels and still equal to its
name: `Edition.YOUNG == "young"`, and a plain string from a caller compares as before. What the
young edition requires of the data is checked in `young_checks.check_young_requirements`.
"""

from __future__ import annotations

from enum import StrEnum


class Edition(StrEnum):
    """An edition of the site; its value is its name in settings, the command line and URLs."""

    STANDARD = "standard"
    YOUNG = "young"

    @property
    def other(self) -> Edition:
        """The other edition (the one the edition switch links to)."""
        return Edition.YOUNG if self is Edition.STANDARD else Edition.STANDARD

    @property
    def folder(self) -> str:
        """Where the edition is built inside the site: '' for the standard one, 'young' for the other."""
        return "" if self is Edition.STANDARD else "young"


STANDARD, YOUNG = Edition.STANDARD, Edition.YOUNG
EDITIONS: tuple[Edition, ...] = tuple(Edition)
"""Both editions, in build order (the standard edition first: MkDocs empties its `site_dir`)."""
OTHER = {STANDARD: YOUNG, YOUNG: STANDARD}
SWITCH_TEXT = {
    STANDARD: "Read the young people's version of this page",
    YOUNG: "Read the full version of this page",
}
