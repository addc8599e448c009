"""Attendance at panel meetings, per member and municipal year, worked out from the meeting records.

Rules (documented in docs/data/meetings.md and tested in tests/test_attendance.py):

- A municipal year runs from 1 May to 30 April (councils hold their annual meeting in May), and is
  written `2022/23`.
- Only meetings that were held *and* record who was present count: a meeting with no `present` list
  (its minutes are not on record) says nothing about anyone's attendance.
- A member is expected at a counted meeting if they are in its `membership`. They attended if they
  are in `present`; they sent apologies if they are in `apologies`; otherwise they were absent
  without apologies. Apologies from people who are not members (officers, guests) are not counted.
- Names are matched on the part before the first comma or bracket, so "Councillor A. Smith (Chair)"
  and "Councillor A. Smith, cabinet member" are the same person.
- The percentage is attended / expected, rounded to a whole number (half rounds up).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .models.meeting import Meeting, MeetingStatus

YEAR_STARTS_MONTH = 5


def municipal_year(day: dt.date) -> str:
    """'2022/23' for any day from 1 May 2022 to 30 April 2023."""
    start = day.year if day.month >= YEAR_STARTS_MONTH else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def year_slug(year: str) -> str:
    """'2022/23' -> '2022-23', for URLs."""
    return year.replace("/", "-")


def member_key(text: str) -> str:
    """The name part of a membership line: 'Councillor A. Smith (Chair)' -> 'Councillor A. Smith'."""
    name = re.split(r"[,(]", text, maxsplit=1)[0]
    return re.sub(r"\s+", " ", name).strip()


@dataclass(frozen=True)
class MemberAttendance:
    """One member's record for one municipal year."""

    member: str
    expected: int
    attended: int
    apologies: int

    @property
    def absent(self) -> int:
        """Expected but neither present nor sending apologies."""
        return self.expected - self.attended - self.apologies

    @property
    def percent(self) -> int:
        """Meetings attended as a whole percentage of meetings expected (0 when none were expected)."""
        if not self.expected:
            return 0
        return int(100 * self.attended / self.expected + 0.5)


@dataclass(frozen=True)
class YearAttendance:
    year: str
    meetings: tuple[Meeting, ...]
    members: tuple[MemberAttendance, ...]
    not_counted: tuple[Meeting, ...]


def counts_for_attendance(meeting: Meeting) -> bool:
    """A held meeting whose record says who was present."""
    return meeting.status is MeetingStatus.HELD and bool(meeting.present)


def attendance_by_year(meetings: Iterable[Meeting]) -> list[YearAttendance]:
    """Each municipal year with a held meeting, newest first; members in order of first appearance."""
    by_year: dict[str, list[Meeting]] = {}
    for meeting in sorted(meetings, key=lambda m: m.date):
        if meeting.status is MeetingStatus.HELD:
            by_year.setdefault(municipal_year(meeting.date), []).append(meeting)
    years = []
    for year, held in sorted(by_year.items(), reverse=True):
        counted = tuple(m for m in held if counts_for_attendance(m))
        years.append(
            YearAttendance(year, counted, _members(counted), tuple(m for m in held if not counts_for_attendance(m)))
        )
    return years


def _members(meetings: tuple[Meeting, ...]) -> tuple[MemberAttendance, ...]:
    tallies: dict[str, list[int]] = {}
    for meeting in meetings:
        present = {member_key(p) for p in meeting.present}
        apologies = {member_key(a) for a in meeting.apologies}
        for name in dict.fromkeys(member_key(line) for line in meeting.membership):
            tally = tallies.setdefault(name, [0, 0, 0])
            tally[0] += 1
            if name in present:
                tally[1] += 1
            elif name in apologies:
                tally[2] += 1
    return tuple(MemberAttendance(name, *tally) for name, tally in tallies.items())
