"""What every page kind shares: the build it reads, the page it plans, the files it writes.

A page kind (one module per kind in this package) plans its pages from validated data and builds
each page's context: a frozen dataclass whose fields carry help text (`documented`), so a council
overriding a template can see every variable it gets (`generator.pages.reference`). The pipeline
loops over `KINDS` and knows no template name; MkDocs is known only to its adapter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..archive import NextMeeting, next_meeting
from ..editions import Edition
from ..errors import Problems
from ..urls import Urls

if TYPE_CHECKING:
    from ..accessibility import Statement
    from ..charts import ChartCache
    from ..dataset import Dataset
    from ..settings import Settings


def documented(help_text: str, **kwargs: Any) -> Any:
    """A dataclass field with help text for the template-variable reference."""
    return field(metadata={"help": help_text}, **kwargs)


V = TypeVar("V")


class Remembers(Protocol):
    """What a page kind uses of `generator.render_memo.RenderMemo` (a Protocol, so that the memo,
    which reads `Build` and `Page`, and this module do not import each other)."""

    def remember(self, key: str, inputs: tuple[object, ...], work: Callable[[], V]) -> V: ...


@dataclass(frozen=True)
class Build:
    """Everything a page kind reads: validated data and settings for one edition, on one day."""

    dataset: Dataset
    settings: Settings
    edition: Edition
    today: dt.date
    urls: Urls
    statement: Statement | None
    site_url: str | None
    cache: ChartCache | None = None
    pdf_packs: bool = False
    """True when meeting packs are also published as tagged PDFs (`panelsite build --pdf`)."""
    memo: Remembers | None = None
    """`panelsite serve`'s memo of the last build (`RenderMemo.remember`), or None."""

    @property
    def young(self) -> bool:
        """True for the plain-language edition."""
        return self.edition == Edition.YOUNG

    @cached_property
    def next_meeting(self) -> NextMeeting | None:
        """The next panel meeting on or after the day of the build, worked out once per build."""
        return next_meeting(self.dataset.meetings, self.today)


@dataclass
class Output:
    """What producing pages leaves besides Markdown: files (charts, CSV) and located problems."""

    assets: dict[str, bytes] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)


@dataclass(frozen=True)
class Page:
    """One page to render: its Markdown path, template, browser title and the context it shows.

    `context` is the kind's frozen context dataclass, or a callable that builds it when the page is
    rendered (so planning the other edition, to link to its pages, costs nothing). `inputs` names
    what a lazily built context is made from (the records it reads), so that `panelsite serve`
    can tell the page is unchanged without building it (`generator.render_memo`).
    """

    path: str
    template: str
    title: str
    context: object = field(hash=False, compare=False)
    in_nav: bool = False
    inputs: object = field(default=None, hash=False, compare=False)
    searched: bool = True
    """False for a page that only gathers what other pages say (a meeting pack): site search
    leaves it out, so a search finds the page that says it first, and the index stays small."""

    def build_context(self, output: Output) -> object:
        """The page's context, built now if it was planned lazily."""
        return self.context(output) if callable(self.context) else self.context

    def own_inputs(self) -> object | None:
        """What the page is made from besides what every page reads: its inputs, else its context
        when it was built eagerly; None when not known (the page is then always rendered)."""
        if self.inputs is not None:
            return self.inputs
        return None if callable(self.context) else self.context


class PageKind(Protocol):
    """A kind of page: plans its pages for an edition; may draw ahead what its pages need."""

    name: str
    templates: dict[str, type]
    """Each template the kind renders, with the context dataclass it is given."""

    def plan(self, build: Build) -> list[Page]:
        """Every page of this kind in the edition, at its stable URL."""
        ...

    def prepare(self, build: Build, pages: Sequence[Page]) -> int:
        """Work to do for all pages at once before any is rendered (parallel charts); returns items drawn."""
        ...

    def files(self, build: Build) -> dict[str, bytes]:
        """Files the kind publishes besides its pages' own (feeds, calendars, papers), by site path."""
        ...


class NothingAhead:
    """For kinds that draw nothing ahead and publish no files besides their pages."""

    def prepare(self, build: Build, pages: Sequence[Page]) -> int:
        """Nothing to draw ahead."""
        return 0

    def files(self, build: Build) -> dict[str, bytes]:
        """No files besides the pages."""
        return {}


def context_variables(context: object) -> dict[str, Any]:
    """A context dataclass's fields as template variables (shallow: records stay objects)."""
    return {f.name: getattr(context, f.name) for f in fields(context)}  # type: ignore[arg-type]


LinkFunction = Callable[[str], str]
