"""The meetings archive worked out from the records: decisions, actions, upcoming meetings, and the
scorecard as it stood on a meeting day. Pure functions of the dataset; templates only show them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .attendance import municipal_year
from .models.meeting import ActionProgress, ActionStatus, AgendaItem, Meeting, MeetingStatus, Resolution
from .urls import Urls


@dataclass(frozen=True)
class Decision:
    """One resolution of one meeting, with where it was made."""

    meeting: Meeting
    item: AgendaItem
    number: int  # its place among the item's resolutions, from 1
    resolution: Resolution

    @property
    def key_decision(self) -> bool:
        return bool(self.item.paper and self.item.paper.key_decision)

    @property
    def minute(self) -> str:
        return self.item.minute.number if self.item.minute else self.item.number


def decisions(meetings: dict[str, Meeting] | list[Meeting]) -> list[Decision]:
    """Every resolution of every meeting, newest meeting first, in minute order within a meeting."""
    found = []
    for meeting in sorted(_list(meetings), key=lambda m: m.date, reverse=True):
        for item in meeting.agenda:
            for n, resolution in enumerate(item.minute.resolutions if item.minute else [], start=1):
                found.append(Decision(meeting, item, n, resolution))
    return found


def decisions_by_year(meetings: dict[str, Meeting] | list[Meeting]) -> dict[str, list[Decision]]:
    """Decisions grouped by municipal year ('2022/23'), newest year first."""
    years: dict[str, list[Decision]] = {}
    for decision in decisions(meetings):
        years.setdefault(municipal_year(decision.meeting.date), []).append(decision)
    return dict(sorted(years.items(), reverse=True))


@dataclass(frozen=True)
class Report:
    """Progress on an action, as a later meeting recorded it."""

    meeting: Meeting
    item: AgendaItem
    progress: ActionProgress


@dataclass(frozen=True)
class TrackedAction:
    """An action with everything later meetings said about it, and where it stands."""

    decision: Decision
    reports: tuple[Report, ...]
    state: str  # "open", "overdue" or "done"

    @property
    def action(self):
        return self.decision.resolution.action


ACTION_STATES = ("overdue", "open", "done")


def as_of(meetings: dict[str, Meeting] | list[Meeting]) -> dt.date | None:
    """The day the archive speaks for: the latest meeting held. Actions due by then and not done are
    overdue. (Not today's date, so that a build of the same data gives the same site.)"""
    held = [m.date for m in _list(meetings) if m.status is MeetingStatus.HELD]
    return max(held) if held else None


def tracked_actions(meetings: dict[str, Meeting] | list[Meeting]) -> list[TrackedAction]:
    """Every action, with its reports in date order. Done when the latest report says so; overdue
    when it is not done and was due on or before `as_of`; otherwise open."""
    reports: dict[str, list[Report]] = {}
    for meeting in sorted(_list(meetings), key=lambda m: m.date):
        for item in meeting.agenda:
            for progress in item.progress:
                reports.setdefault(progress.action, []).append(Report(meeting, item, progress))
    day = as_of(meetings)
    tracked = []
    for decision in reversed(decisions(meetings)):
        action = decision.resolution.action
        if action is None:
            continue
        said = tuple(reports.get(action.id, []))
        if said and said[-1].progress.status is ActionStatus.DONE:
            state = "done"
        elif action.due and day and action.due <= day:
            state = "overdue"
        else:
            state = "open"
        tracked.append(TrackedAction(decision, said, state))
    return tracked


def actions_reported_at(meeting: Meeting, tracked: list[TrackedAction]) -> list[tuple[TrackedAction, Report]]:
    """The actions a meeting was told about, with what it was told."""
    return [(t, r) for t in tracked for r in t.reports if r.meeting.date == meeting.date]


def upcoming(meetings: dict[str, Meeting] | list[Meeting], today: dt.date | None = None) -> list[Meeting]:
    """Meetings still to be held (status scheduled, on or after `today` when given), soonest first."""
    return sorted((m for m in _list(meetings) if _to_come(m, today)), key=lambda m: m.date)


def past(meetings: dict[str, Meeting] | list[Meeting], today: dt.date | None = None) -> list[Meeting]:
    """Meetings held or cancelled, and scheduled ones whose day has passed with no papers on record,
    newest first."""
    return sorted((m for m in _list(meetings) if not _to_come(m, today)), key=lambda m: m.date, reverse=True)


def _to_come(meeting: Meeting, today: dt.date | None) -> bool:
    return meeting.status is MeetingStatus.SCHEDULED and (today is None or meeting.date >= today)


def day_passed_unrecorded(meeting: Meeting, today: dt.date) -> bool:
    """Still marked scheduled, but its day is before `today`: no papers are on record for it."""
    return meeting.status is MeetingStatus.SCHEDULED and not _to_come(meeting, today)


@dataclass(frozen=True)
class NextMeeting:
    """The next meeting, as plain values for hand-written pages (`{{ next_meeting.when }}`).

    `when` is 'Tuesday 13 June 2023', `time` and `venue` may be empty, and `path` is the meeting's
    page ('meetings/2023-06-13.md', standard edition only).
    """

    when: str
    time: str
    venue: str
    path: str
    iso: str


def next_meeting(meetings: dict[str, Meeting] | list[Meeting], today: dt.date | None = None) -> NextMeeting | None:
    """The soonest scheduled meeting on or after `today`, or None when none is to come.

    A scheduled meeting whose day has passed is never "next": a site built years after its papers
    must not tell readers that a meeting long gone is coming up.
    """
    soon = upcoming(meetings, today)
    if not soon:
        return None
    m = soon[0]
    when = f"{m.date.strftime('%A')} {m.date.day} {m.date.strftime('%B %Y')}"
    return NextMeeting(when, m.time or "", m.venue or "", Urls.meeting(m.date), m.date.isoformat())


def _list(meetings: dict[str, Meeting] | list[Meeting]) -> list[Meeting]:
    return list(meetings.values()) if isinstance(meetings, dict) else list(meetings)
