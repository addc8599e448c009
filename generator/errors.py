"""Problems found in the data, reported as one line each with file:line:column."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem in one place: `file:line:col: field: message (got …)` plus an optional hint."""

    file: str
    line: int
    column: int
    field: str
    message: str
    got: str | None = None
    hint: str | None = None
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        # A spreadsheet cell is named as Excel names it (`kpis.xlsx:Values!C14`), with no line or column.
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        if self.severity is Severity.WARNING:
            text = f"{where}: warning: " + text[len(where) + 2 :]
        if self.got is not None:
            text += f" (got {self.got})"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


@dataclass
class Problems:
    """An ordered collection of problems; errors stop a build, warnings fail a strict build."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        if problem not in self.items:
            self.items.append(problem)

    def extend(self, problems: Problems | list[Problem]) -> None:
        for problem in problems.items if isinstance(problems, Problems) else problems:
            self.add(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def format(self) -> str:
        return "\n".join(p.format() for p in self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)


class DataError(Exception):
    """Raised when data cannot be used; carries every problem found."""

    def __init__(self, problems: Problems):
        super().__init__(problems.format())
        self.problems = problems


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the user would type it: relative to the project root when possible."""
    base = root or Path.cwd()
    absolute = Path(os.path.abspath(path))  # links are not followed: name the link, not its target
    for folder in (Path(os.path.abspath(base)), base.resolve()):
        try:
            return absolute.relative_to(folder).as_posix()
        except ValueError:
            pass
    try:
        return absolute.parent.resolve().joinpath(absolute.name).relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def close_match_hint(word: str, choices: list[str] | set[str]) -> str | None:
    """'did you mean `x`?' when one of the choices is close to the word."""
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean `{matches[0]}`?" if matches else None


REPORT_TO = "the panelsite maintainers (see 'Reporting a bug' in the README)"


def internal_error(command: str, exc: BaseException) -> str:
    """One line naming what failed and where, without the exception's text (it may quote a file)."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/generator/" in f.filename.replace("\\", "/")]
    where = ""
    if frames:
        frame = frames[-1]
        where = f" in generator/{frame.filename.replace(chr(92), '/').rsplit('/generator/', 1)[1]}:{frame.lineno}"
    return (
        f"panelsite: internal error during `{command}` ({type(exc).__name__}{where}). This is a bug in "
        f"panelsite: please report it to {REPORT_TO}, with the output of `panelsite --debug {command}`"
    )
