"""Page kind: the meetings archive (standard edition only).

Pages (template, then its context):

- `meetings/index.md` (meeting_index.md.j2): `upcoming` [Meeting], `past_years` [(year, [Meeting])],
  `decision_years` [year], `has_actions`, `attendance_years` [year].
- `meetings/<date>.md` (meeting.md.j2): `meeting`, `reported` [(TrackedAction, Report)], `actions`
  {id: TrackedAction}, `files` {file: FileInfo}, `approved_at`, `approves` and `rescheduled` (Meeting
  or None), `decisions_year` ('2022/23' or None), `year_slug`, `has_actions`.
- `meetings/<date>-pack.md` (meeting_pack.md.j2): `meeting`, `files`, `scorecard` [Kpi as it stood
  on the day].
- `meetings/decisions-<yyyy-yy>.md` (decisions.md.j2): `year`, `decisions` [Decision], `years`, `year_slug`.
- `meetings/actions.md` (actions.md.j2): `groups` [(state, [TrackedAction])], `as_of`.
- `meetings/attendance.md` (attendance.md.j2): `years` [YearAttendance].
- `follow.md` (follow.md.j2): `feeds` [Feed], `calendar` (Feed), `next_meeting` (NextMeeting or None).

Every Meeting, Decision, TrackedAction and Report is a frozen value from `generator.archive`;
templates only show them. The feeds and the calendar are files (see `generator.feeds`), and paper
files kept in the project are copied to `meetings/files/<path>` (see `meeting_assets`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import archive
from ..attendance import attendance_by_year, municipal_year, year_slug
from ..dataset import Dataset
from ..feeds import CALENDAR, feed_files, site_feeds
from ..meeting_checks import file_problem
from ..models.meeting import DocumentLink, Meeting
from ..settings import Settings, read_config
from .plan import PageSpec, long_date

FILES_DIR = "meetings/files"


@dataclass(frozen=True)
class FileInfo:
    """A paper kept in the project: where it is in the site and how big it is ('PDF, 1.2 MB')."""

    path: str
    size: str


def meeting_pages(dataset: Dataset, settings: Settings) -> list[PageSpec]:
    """Every page of the meetings archive, plus the Follow page."""
    meetings = dataset.meetings
    if not meetings:
        return []
    tracked = archive.tracked_actions(meetings)
    by_id = {t.action.id: t for t in tracked}
    by_year = archive.decisions_by_year(meetings)
    attendance = attendance_by_year(meetings.values())
    files = paper_files(dataset)
    past_years: dict[str, list[Meeting]] = {}
    for meeting in archive.past(meetings):
        past_years.setdefault(municipal_year(meeting.date), []).append(meeting)
    approvals = {m.minutes_approved_on: m for m in meetings.values() if m.minutes_approved_on}
    pages = [PageSpec("meetings/index.md", "meeting_index.md.j2", "Panel meetings",
                      {"upcoming": archive.upcoming(meetings), "past_years": list(past_years.items()),
                       "decision_years": list(by_year), "has_actions": bool(tracked),
                       "attendance_years": [y.year for y in attendance if y.meetings]}, True)]
    for meeting in sorted(meetings.values(), key=lambda m: m.date, reverse=True):
        day = meeting.date.isoformat()
        approved_at = meetings.get(meeting.minutes_approved_on.isoformat()) if meeting.minutes_approved_on else None
        pages.append(PageSpec(f"meetings/{day}.md", "meeting.md.j2", f"Panel meeting, {long_date(meeting.date)}",
                              {"meeting": meeting, "reported": archive.actions_reported_at(meeting, tracked),
                               "actions": by_id, "files": files, "approved_at": approved_at,
                               "approves": approvals.get(meeting.date), "year_slug": year_slug,
                               "rescheduled": meetings.get(str(meeting.rescheduled_to)),
                               "decisions_year": _year_if(municipal_year(meeting.date), by_year),
                               "has_actions": bool(tracked)}))
        if meeting.agenda:
            pages.append(PageSpec(f"meetings/{day}-pack.md", "meeting_pack.md.j2",
                                  f"Meeting pack, {long_date(meeting.date)}",
                                  {"meeting": meeting, "files": files,
                                   "scorecard": archive.scorecard_on(dataset.kpis, meeting.date)}))
    for year, found in by_year.items():
        pages.append(PageSpec(f"meetings/decisions-{year_slug(year)}.md", "decisions.md.j2",
                              f"Decisions, {year}", {"year": year, "decisions": found,
                                                     "years": list(by_year), "year_slug": year_slug}))
    if tracked:
        groups = [(state, [t for t in tracked if t.state == state]) for state in archive.ACTION_STATES]
        pages.append(PageSpec("meetings/actions.md", "actions.md.j2", "Actions from the panel's decisions",
                              {"groups": groups, "as_of": archive.as_of(meetings)}))
    pages.append(PageSpec("meetings/attendance.md", "attendance.md.j2", "Attendance at panel meetings",
                          {"years": attendance}))
    pages.append(PageSpec("follow.md", "follow.md.j2", "Follow the panel",
                          {"feeds": site_feeds(settings), "calendar": CALENDAR,
                           "next_meeting": archive.next_meeting(meetings)}))
    return pages


def _year_if(year: str, by_year: dict[str, Any]) -> str | None:
    return year if year in by_year else None


def paper_files(dataset: Dataset) -> dict[str, FileInfo]:
    """Each paper or pack file the meetings name, keyed by its `file` value."""
    found: dict[str, FileInfo] = {}
    for key, meeting in dataset.meetings.items():
        folder = _folder(dataset, key)
        for link in _links(meeting):
            if link.file and folder and file_problem(folder, link.file) is None:
                size = (folder / link.file).resolve().stat().st_size
                found[link.file] = FileInfo(f"{FILES_DIR}/{link.file}", _size_text(link.file, size))
    return found


def meeting_assets(dataset: Dataset, settings: Settings, config_path: Path, edition: str) -> dict[str, bytes]:
    """Files the archive publishes: paper files, the four Atom feeds and the calendar (standard edition).
    Feed links are absolute when site_config.yml sets `site_url`."""
    if edition != "standard" or not (dataset.meetings or dataset.updates or dataset.events):
        return {}
    assets = feed_files(dataset, settings, read_config(config_path).get("site_url"))
    for key, meeting in dataset.meetings.items():
        folder = _folder(dataset, key)
        for link in _links(meeting):
            if link.file and folder and file_problem(folder, link.file) is None:
                assets[f"{FILES_DIR}/{link.file}"] = (folder / link.file).resolve().read_bytes()
    return assets


def _folder(dataset: Dataset, key: str) -> Path | None:
    doc = dataset.documents.get(dataset.origin("meetings", key))
    return doc.path.parent if doc else None


def _links(meeting: Meeting) -> list[DocumentLink]:
    links = [meeting.pack] if meeting.pack else []
    return links + [i.paper.document for i in meeting.agenda if i.paper and i.paper.document]


def _size_text(name: str, size: int) -> str:
    kind = name.rsplit(".", 1)[-1].upper() if "." in name else "File"
    if size < 1024:
        amount = f"{size} bytes"
    elif size < 1024 * 1024:
        amount = f"{size / 1024:.0f} KB"
    else:
        amount = f"{size / (1024 * 1024):.1f} MB"
    return f"{kind}, {amount}"
