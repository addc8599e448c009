"""Pages rendered by the last build, kept for the next while what they are made from is unchanged.

`panelsite serve` rebuilds the edition on every save, and a save usually changes one record. A
page is rendered again only when what it is made from differs from the last build's:

- what every page reads (`shared_inputs`): the edition, the day, the settings, the sources cited,
  the next meeting and the text of every template;
- the page's own template, title and inputs (`Page.inputs`): its context, or, for a page whose
  context is built when it is rendered, the records it is built from.

Inputs compare by value (`==`). A `DatasetLoader` hands back the very same record objects for
files that did not change, so an unchanged page costs one identity test per record it reads, and
a changed record (a new object) compares field by field. A page kept here brings back the files
(charts, CSV) and the problems its rendering produced, so the site is the same as a full render.

Nothing kept is trusted (issue 20): each page is kept with a hash of its text and files, checked
when it is taken back; a page whose text or files changed since (a later step editing them in
place) is rendered again, and its files are handed out as a fresh copy each time. Hashing every
kept page's text and charts on every rebuild cost an eighth of a KPI edit's rebuild, so the memo
also notes the very objects it hashed: while the kept text and each file are still those objects
(`str` and `bytes` cannot change in place), the hash still holds and is not worked out again;
anything else put in their place is hashed and compared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import Problem

if TYPE_CHECKING:
    from .pages.kind import Build, Page

V = TypeVar("V")


@dataclass(frozen=True)
class Rendered:
    """One page as the last build rendered it, with the files and problems rendering it produced."""

    inputs: tuple[object, ...]
    text: str
    assets: dict[str, bytes]
    problems: tuple[Problem, ...]
    digest: str = ""
    """A hash of `text` and `assets` when the page was kept."""

    def sound(self, hashed: _Hashed | None = None) -> bool:
        """True when the kept text and files are what was kept (by shape and by hash).

        `hashed`, the objects whose hash was `digest` when it was last worked out, spares hashing them
        again while the text and every file are still those very objects."""
        return (
            isinstance(self.text, str)
            and isinstance(self.assets, dict)
            and all(isinstance(k, str) and isinstance(v, bytes) for k, v in self.assets.items())
            and all(isinstance(p, Problem) for p in self.problems)
            and (_same_objects(hashed, self) or self.digest == _digest(self.text, self.assets))
        )


_Hashed = tuple[str, tuple[tuple[str, bytes], ...]]
"""The text and files (exact `str` and `bytes` objects, which cannot change in place) a digest was
worked out from."""


def _hashed(text: str, assets: dict[str, bytes]) -> _Hashed | None:
    if type(text) is not str or not all(type(k) is str and type(v) is bytes for k, v in assets.items()):
        return None  # a subclass might not be what it seems: hashed every time
    return text, tuple(assets.items())


def _same_objects(hashed: _Hashed | None, page: Rendered) -> bool:
    """True when `page` holds the very objects `hashed` noted (its digest was worked out from them)."""
    if hashed is None or page.text is not hashed[0] or len(page.assets) != len(hashed[1]):
        return False
    return all(page.assets.get(name) is value for name, value in hashed[1])


def _digest(text: str, assets: dict[str, bytes]) -> str:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
    for name in sorted(assets):
        digest.update(f"\0{len(name)}:{name}\0{len(assets[name])}:".encode("utf-8", "surrogatepass"))
        digest.update(assets[name])
    return digest.hexdigest()


def shared_inputs(build: Build, template_dirs: list[Path]) -> tuple[object, ...]:
    """What every page of the edition is made from besides its own inputs."""
    return (
        build.edition,
        build.today,
        build.settings,
        build.urls,
        build.site_url,
        build.dataset.sources,
        build.next_meeting,
        templates_digest(template_dirs),
    )


def templates_digest(template_dirs: list[Path]) -> str:
    """A hash of every file in the template folders, by its place: an edited template renders all again."""
    digest = hashlib.sha256()
    for number, folder in enumerate(template_dirs):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(f"{number}\0{path.relative_to(folder).as_posix()}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class RenderMemo:
    """The last build's pages of one edition, by path; kept by `panelsite serve` between rebuilds."""

    def __init__(self) -> None:
        self._shared: tuple[object, ...] | None = None
        self._pages: dict[str, Rendered] = {}
        self._next: dict[str, Rendered] = {}
        self._hashed: dict[str, _Hashed] = {}  # by path: the objects each kept page's digest was worked out from
        self._next_hashed: dict[str, _Hashed] = {}
        self._values: dict[str, tuple[tuple[object, ...], Any]] = {}
        self._next_values: dict[str, tuple[tuple[object, ...], Any]] = {}
        self.rendered = 0
        """Pages the last build rendered."""
        self.reused = 0
        """Pages the last build took from here."""

    def begin(self, shared: tuple[object, ...]) -> None:
        """Start a build; when anything every page reads changed, nothing kept is reused."""
        if shared != self._shared:
            self._pages, self._values, self._hashed = {}, {}, {}
        self._shared, self._next, self._next_values, self._next_hashed = shared, {}, {}, {}
        self.rendered = self.reused = 0

    def get(self, page: Page) -> Rendered | None:
        """The page as the last build rendered it, when its template, title and inputs are unchanged."""
        inputs = _inputs(page)
        kept = self._pages.get(page.path)
        hashed = self._hashed.get(page.path)
        if inputs is None or kept is None or kept.inputs != inputs or not kept.sound(hashed):
            return None
        self._next[page.path] = kept
        now = hashed if _same_objects(hashed, kept) else _hashed(kept.text, kept.assets)
        if now is not None:
            self._next_hashed[page.path] = now
        self.reused += 1
        return Rendered(kept.inputs, kept.text, dict(kept.assets), kept.problems, kept.digest)

    def put(self, page: Page, text: str, assets: dict[str, bytes], problems: tuple[Problem, ...]) -> None:
        """Keep a page just rendered (one whose inputs are known) for the next build."""
        self.rendered += 1
        inputs = _inputs(page)
        if inputs is not None:
            own = dict(assets)
            self._next[page.path] = Rendered(inputs, text, own, tuple(problems), _digest(text, own))
            hashed = _hashed(text, own)
            if hashed is not None:
                self._next_hashed[page.path] = hashed

    def end(self) -> None:
        """Finish a build: keep only the pages it had (a page deleted since is forgotten)."""
        self._pages, self._next = self._next, {}
        self._hashed, self._next_hashed = self._next_hashed, {}
        self._values, self._next_values = self._next_values, {}

    def remember(self, key: str, inputs: tuple[object, ...], work: Callable[[], V]) -> V:
        """`work()`, or what it gave in the last build when `inputs` are the same (by `==`).

        For figures several pages read (a KPI's, on its page, the scorecard and the packs), worked out
        once per build when the memo is not kept, and again in the next build only when their own
        inputs changed. Besides `inputs`, what every page reads (`begin`) must be the same.
        """
        kept = self._values.get(key)
        value = kept[1] if kept is not None and kept[0] == inputs else work()
        self._next_values[key] = (inputs, value)
        return value


def _inputs(page: Page) -> tuple[object, ...] | None:
    own = page.own_inputs()
    return None if own is None else (page.template, page.title, own)
