"""What each check of one data file at a time found at the last load, kept by `panelsite serve`.

Several checks that run when the project loads (dating words, contact details and names, control
characters) look at each data file on its own. A save usually changes one file, and a
`DatasetLoader` hands back the very same `Document` for every file whose bytes did not change, so
those checks need to look again only at the changed file: a file's findings are taken from the
last load while it is the same object and the check's other inputs (the day, the settings it
reads) are equal. The problems are then exactly those a fresh check reports, in the same order.
Nothing kept is trusted (issue 20): a kept finding that is not a `Problem` is worked out again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .errors import Problem
from .yamlio import Document

_Kept = tuple[Document, tuple[object, ...], tuple[Problem, ...]]


class CheckMemo:
    """Each file's findings by each check at the last load, by the check's name and the file's name."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], _Kept] = {}
        self._next: dict[tuple[str, str], _Kept] = {}
        self.checked = 0
        """Files the last load checked again (one a check), the rest taken from here."""

    def begin(self) -> None:
        """Start a load: what it finds is kept for the next one."""
        self._next, self.checked = {}, 0

    def found(
        self, check: str, doc: Document, inputs: tuple[object, ...], work: Callable[[], Iterable[Problem]]
    ) -> tuple[Problem, ...]:
        """`work()`, or what it found at the last load when `doc` is the same object and `inputs` are equal."""
        key = (check, doc.display)
        kept = self._kept.get(key)
        if (
            kept is not None
            and kept[0] is doc
            and kept[1] == inputs
            and all(isinstance(problem, Problem) for problem in kept[2])
        ):
            problems = kept[2]
        else:
            problems = tuple(work())
            self.checked += 1
        self._next[key] = (doc, inputs, problems)
        return problems

    def end(self) -> None:
        """Finish a load: keep only the files it checked (a file deleted since is forgotten)."""
        self._kept, self._next = self._next, {}


def per_document(
    memo: CheckMemo | None, check: str, doc: Document, inputs: tuple[object, ...], work: Callable[[], Iterable[Problem]]
) -> Iterable[Problem]:
    """A check's findings in one file, through `memo` when there is one (`serve`)."""
    return work() if memo is None else memo.found(check, doc, inputs, work)
