"""Checks across a meeting's fields and between meetings, each located at its own line.

- minutes on a meeting still `scheduled`, and present or apologies on a `cancelled` one, are errors;
- `cancellation_reason` belongs to a cancelled meeting only;
- `minutes_approved_on` and `rescheduled_to` must name later meetings (approved-on must be on record);
- action ids are unique, and progress may only refer to an action set at an earlier meeting;
- a paper or pack `file` must be a regular file inside `data/meetings/`, no bigger than
  `MAX_FILE_BYTES` (a symlink out of the folder is refused).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from .errors import Problem, Problems
from .models.meeting import DocumentLink, Meeting, MeetingStatus
from .yamlio import Document, Loc, dotted


class Dataset(Protocol):
    """What these checks read of `dataset.Dataset`, which runs them while it loads (so they cannot import it)."""

    @property
    def meetings(self) -> Mapping[str, Meeting]: ...

    @property
    def documents(self) -> Mapping[str, Document]: ...

    def exists(self, collection: str, key: str) -> bool: ...

    def origin(self, collection: str, key: str) -> str: ...


MAX_FILE_BYTES = 50 * 1024 * 1024
"""A council agenda pack is rarely over 20 MB; anything over this is a mistake, not a paper."""
PAPER_TYPES = frozenset({"pdf", "doc", "docx", "odt", "rtf", "txt", "csv", "xls", "xlsx", "ods", "ppt", "pptx", "odp"})
"""Documents a paper may be. Never .md (it would become a page) nor .yml (records hold comments)."""


def check_meetings(dataset: Dataset) -> Problems:
    """Every meeting check that needs more than one field or more than one record."""
    problems = Problems()
    actions: dict[str, dt.date] = {}
    for key, meeting in sorted(dataset.meetings.items()):
        doc = dataset.documents.get(dataset.origin("meetings", key))
        if doc is None:
            continue
        _check_status(meeting, doc, problems)
        _check_dates(meeting, doc, dataset, problems)
        _check_files(meeting, doc, problems)
        for i, j, resolution in _resolutions(meeting):
            if resolution.action is None:
                continue
            if resolution.action.id in actions:
                problems.add(
                    _at(
                        doc,
                        ("agenda", i, "minute", "resolutions", j, "action", "id"),
                        f"action id already used at the meeting of {actions[resolution.action.id]}",
                        repr(resolution.action.id),
                    )
                )
            actions.setdefault(resolution.action.id, meeting.date)
    for key, meeting in sorted(dataset.meetings.items()):
        doc = dataset.documents.get(dataset.origin("meetings", key))
        for i, item in enumerate(meeting.agenda):
            for j, progress in enumerate(item.progress):
                set_on = actions.get(progress.action)
                if doc and (set_on is None or set_on >= meeting.date):
                    problems.add(
                        _at(
                            doc,
                            ("agenda", i, "progress", j, "action"),
                            "no earlier meeting set an action with this id",
                            repr(progress.action),
                        )
                    )
    return problems


def _resolutions(meeting: Meeting):
    for i, item in enumerate(meeting.agenda):
        for j, resolution in enumerate(item.minute.resolutions if item.minute else []):
            yield i, j, resolution


def _check_status(meeting: Meeting, doc: Document, problems: Problems) -> None:
    if meeting.status is MeetingStatus.SCHEDULED:
        for i, item in enumerate(meeting.agenda):
            if item.minute:
                problems.add(
                    _at(
                        doc,
                        ("agenda", i, "minute"),
                        "a scheduled meeting has no minutes yet",
                        hint="set status: held once the meeting has taken place",
                    )
                )
    if meeting.status is MeetingStatus.CANCELLED:
        for name in ("present", "apologies", "substitutes", "co_opted"):
            if getattr(meeting, name):
                problems.add(
                    _at(
                        doc,
                        (name,),
                        "a cancelled meeting has no attendance",
                        hint="remove it, or set status: held if the meeting took place",
                    )
                )
        for i, item in enumerate(meeting.agenda):
            if item.minute:
                problems.add(_at(doc, ("agenda", i, "minute"), "a cancelled meeting has no minutes"))
    elif meeting.cancellation_reason:
        problems.add(
            _at(
                doc,
                ("cancellation_reason",),
                "only a cancelled meeting has a cancellation reason",
                hint="set status: cancelled, or remove the reason",
            )
        )


def _check_dates(meeting: Meeting, doc: Document, dataset: Dataset, problems: Problems) -> None:
    approved = meeting.minutes_approved_on
    if approved is not None:
        if approved <= meeting.date:
            problems.add(
                _at(
                    doc, ("minutes_approved_on",), "minutes are approved at a later meeting", repr(approved.isoformat())
                )
            )
        elif not dataset.exists("meetings", approved.isoformat()):
            problems.add(
                _at(
                    doc,
                    ("minutes_approved_on",),
                    "no meeting on that date in data/meetings/",
                    repr(approved.isoformat()),
                )
            )
    if meeting.rescheduled_to is not None and meeting.rescheduled_to == meeting.date:
        problems.add(
            _at(
                doc,
                ("rescheduled_to",),
                "the new date is the same as the meeting's own date",
                repr(meeting.rescheduled_to.isoformat()),
            )
        )


def _check_files(meeting: Meeting, doc: Document, problems: Problems) -> None:
    links: list[tuple[Loc, DocumentLink]] = [(("pack",), meeting.pack)] if meeting.pack else []
    links += [
        (("agenda", i, "paper", "document"), item.paper.document)
        for i, item in enumerate(meeting.agenda)
        if item.paper and item.paper.document
    ]
    for loc, link in links:
        if link.file is None:
            continue
        message = file_problem(doc.path.parent, link.file)
        if message:
            problems.add(_at(doc, (*loc, "file"), message, repr(link.file)))


def file_problem(folder: Path, name: str) -> str | None:
    """Why `name` (inside `folder`) cannot be published, or None if it can."""
    if name.rsplit(".", 1)[-1].lower() not in PAPER_TYPES:
        return "should be a document (" + ", ".join(sorted(PAPER_TYPES)) + ")"
    base = folder.resolve()
    path = folder / name
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return "cannot be read"
    if not resolved.is_relative_to(base):
        return "points outside the meetings folder"
    if not resolved.is_file():
        return "no such file beside the meeting records"
    if resolved.stat().st_size > MAX_FILE_BYTES:
        return f"is bigger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
    return None


def _at(doc: Document, loc: Loc, message: str, got: str | None = None, hint: str | None = None) -> Problem:
    line, column = doc.where(loc)
    return Problem(doc.display, line, column, dotted(loc), message, got, hint)
