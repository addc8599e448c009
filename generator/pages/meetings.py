"""Page kind: the meetings archive and the Follow page (standard edition only).

Every Meeting, Decision, TrackedAction and Report is a frozen value from `generator.archive`;
templates only show them. The feeds and the calendar are files (see `generator.feeds`), and paper
files kept in the project are copied to `meetings/files/<path>` (see `meeting_assets`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import archive, kpi_words, metrics
from ..as_known import scorecard_as_known
from ..attendance import YearAttendance, attendance_by_year, municipal_year, year_slug
from ..comparators import Comparator
from ..dataset import Dataset
from ..feeds import CALENDAR, Feed, feed_files, meeting_title, site_feeds
from ..meeting_checks import file_problem
from ..models.kpi import Kpi
from ..models.meeting import DocumentLink, Meeting
from ..settings import Settings
from ..urls import Urls
from .common import long_date
from .kind import Build, NothingAhead, Output, Page, documented
from .kpis import KpiGlance, kpi_glance


@dataclass(frozen=True)
class FileInfo:
    """A paper kept in the project: where it is in the site and how big it is ('PDF, 1.2 MB')."""

    path: str
    size: str


@dataclass(frozen=True)
class MeetingIndexContext:
    """meetings/index.md (meeting_index.md.j2): upcoming meetings, then past ones by municipal year."""

    upcoming: tuple[Meeting, ...] = documented("Scheduled meetings on or after the day of the build, soonest first.")
    past_years: tuple[tuple[str, tuple[Meeting, ...]], ...] = documented(
        "(municipal year '2022/23', meetings newest first) pairs, newest year first; a scheduled meeting "
        "whose day has passed is here, with no papers on record."
    )
    decision_years: tuple[str, ...] = documented("The municipal years that have decisions.")
    has_actions: bool = documented("True when any decision set an action to track.")
    attendance_years: tuple[str, ...] = documented("The municipal years with attendance on record.")
    year_slug: Callable[[str], str] = documented("`year_slug('2022/23')` is '2022-23', for `urls.decisions()`.")


@dataclass(frozen=True)
class MeetingContext:
    """meetings/<date>.md (meeting.md.j2): one meeting's agenda, papers, decisions and minutes."""

    meeting: Meeting = documented(
        "The record: `date`, `status`, `agenda`, `pack`, `webcast`, `source`, `cancellation_reason`, `rescheduled_to`."
    )
    reported: tuple[tuple[archive.TrackedAction, archive.Report], ...] = documented(
        "Progress on earlier actions reported at this meeting."
    )
    actions: Mapping[str, archive.TrackedAction] = documented("Every tracked action, by action id.")
    files: Mapping[str, FileInfo] = documented("Each paper kept in the project (`path`, `size`), by its `file`.")
    approved_at: Meeting | None = documented("The meeting that approved these minutes, or none.")
    approves: Meeting | None = documented("The meeting whose minutes this one approved, or none.")
    rescheduled: Meeting | None = documented("The meeting a cancelled one moved to, when it is on record.")
    decisions_year: str | None = documented("This meeting's municipal year when it has decisions, else none.")
    year_slug: Callable[[str], str] = documented("`year_slug('2022/23')` is '2022-23'.")
    has_actions: bool = documented("True when any decision set an action to track.")
    kpi_titles: Mapping[str, str] = documented("Each indicator's title, by id (for `related_kpis`).")
    passed: bool = documented(
        "True when the meeting is still marked scheduled but its day has passed (no papers are on record).",
        default=False,
    )
    pack_pdf: str | None = documented(
        "The site path of the pack's tagged PDF when the site is built with `--pdf` and the meeting has a pack.",
        default=None,
    )


@dataclass(frozen=True)
class PackRow:
    """One indicator in a meeting pack's scorecard, as the panel knew it on the day."""

    view: KpiGlance = documented(
        "The indicator's latest figure reported by the day, with its status and direction then."
    )
    target: str | None = documented("The target that applied to that figure, with its period if it has one, or none.")
    comparator_value: str | None = documented(
        "The first configured comparator's latest figure then, with its period, or none."
    )
    not_judged: bool = documented(
        "True when a target set by then did not judge that figure (it was set for the measure before a "
        "break): its status is 'Not judged'. A target set after the meeting leaves 'No target'.",
        default=False,
    )


@dataclass(frozen=True)
class MeetingPackContext:
    """meetings/<date>-pack.md (meeting_pack.md.j2): a printable pack with the scorecard of the day."""

    meeting: Meeting = documented("The record.")
    files: Mapping[str, FileInfo] = documented("Each paper kept in the project, by its `file`.")
    scorecard: tuple[PackRow, ...] = documented(
        "Each indicator with a figure reported on or before the day of the meeting, as the panel knew it then."
    )
    comparator: Comparator = documented("The comparator of the scorecard's last column (the first configured).")
    pack_pdf: str | None = documented(
        "The site path of this pack as a tagged PDF, when the site is built with `--pdf`.", default=None
    )


@dataclass(frozen=True)
class DecisionsContext:
    """meetings/decisions-<yyyy-yy>.md (decisions.md.j2): one municipal year's decisions."""

    year: str = documented("The municipal year, '2022/23'.")
    decisions: tuple[archive.Decision, ...] = documented("Its decisions, in meeting and minute order.")
    years: tuple[str, ...] = documented("Every year with decisions.")
    year_slug: Callable[[str], str] = documented("`year_slug('2022/23')` is '2022-23'.")


@dataclass(frozen=True)
class ActionsContext:
    """meetings/actions.md (actions.md.j2): every tracked action by state."""

    groups: tuple[tuple[str, tuple[archive.TrackedAction, ...]], ...] = documented(
        "(state, actions) pairs in the order open, overdue, done."
    )
    as_of: dt.date | None = documented("The day the states are worked out for (the latest meeting held).")


@dataclass(frozen=True)
class AttendanceContext:
    """meetings/attendance.md (attendance.md.j2): who attended, by municipal year."""

    years: tuple[YearAttendance, ...] = documented("Each municipal year's attendance.")


@dataclass(frozen=True)
class FollowContext:
    """follow.md (follow.md.j2): the feeds and the calendar."""

    feeds: tuple[Feed, ...] = documented("Each Atom feed (`title`, `path`, `description`).")
    calendar: Feed = documented("The meetings calendar (iCalendar).")


class MeetingPages(NothingAhead):
    """The meetings archive: index, meetings, packs, decisions, actions, attendance, Follow."""

    name = "meetings"
    templates: dict[str, type] = {
        "meeting_index.md.j2": MeetingIndexContext,
        "meeting.md.j2": MeetingContext,
        "meeting_pack.md.j2": MeetingPackContext,
        "decisions.md.j2": DecisionsContext,
        "actions.md.j2": ActionsContext,
        "attendance.md.j2": AttendanceContext,
        "follow.md.j2": FollowContext,
    }

    def plan(self, build: Build) -> list[Page]:
        """Every page of the archive, in the standard edition only."""
        if build.young:
            return []
        return meeting_pages(build.dataset, build.settings, build.urls, build.today, build.pdf_packs)

    def files(self, build: Build) -> dict[str, bytes]:
        """The papers kept in the project, the feeds and the calendar."""
        return meeting_assets(build)


def meeting_pages(
    dataset: Dataset, settings: Settings, urls: Urls, today: dt.date, pdf_packs: bool = False
) -> list[Page]:
    """Every page of the meetings archive, plus the Follow page (and with `pdf_packs`, links to each
    pack's tagged PDF, which `panelsite build --pdf` prints)."""
    meetings = dataset.meetings
    if not meetings:
        return []
    tracked = archive.tracked_actions(meetings)
    by_id = {t.action.id: t for t in tracked}
    by_year = archive.decisions_by_year(meetings)
    attendance = attendance_by_year(meetings.values())
    files = paper_files(dataset, urls)
    past_years: dict[str, list[Meeting]] = {}
    for meeting in archive.past(meetings, today):
        past_years.setdefault(municipal_year(meeting.date), []).append(meeting)
    approvals = {m.minutes_approved_on: m for m in meetings.values() if m.minutes_approved_on}
    to_come = archive.upcoming(meetings, today)
    kpi_titles = {k.id: k.title for k in dataset.kpis.values()}
    comparator = settings.comparators[0]
    pages = [
        Page(
            urls.meetings(),
            "meeting_index.md.j2",
            f"{settings.panel_short} meetings",
            MeetingIndexContext(
                tuple(to_come),
                tuple((y, tuple(ms)) for y, ms in past_years.items()),
                tuple(by_year),
                bool(tracked),
                tuple(y.year for y in attendance if y.meetings),
                year_slug,
            ),
            True,
        )
    ]
    for meeting in sorted(meetings.values(), key=lambda m: m.date, reverse=True):
        approved_at = meetings.get(meeting.minutes_approved_on.isoformat()) if meeting.minutes_approved_on else None
        pages.append(
            Page(
                urls.meeting(meeting.date),
                "meeting.md.j2",
                meeting_title(settings, meeting.date),
                MeetingContext(
                    meeting,
                    tuple(archive.actions_reported_at(meeting, tracked)),
                    by_id,
                    files,
                    approved_at,
                    approvals.get(meeting.date),
                    meetings.get(str(meeting.rescheduled_to)),
                    _year_if(municipal_year(meeting.date), by_year),
                    year_slug,
                    bool(tracked),
                    kpi_titles,
                    archive.day_passed_unrecorded(meeting, today),
                    urls.meeting_pack_pdf(meeting.date) if pdf_packs and meeting.agenda else None,
                ),
            )
        )
        if meeting.agenda:
            pdf = urls.meeting_pack_pdf(meeting.date) if pdf_packs else None
            pages.append(
                Page(
                    urls.meeting_pack(meeting.date),
                    "meeting_pack.md.j2",
                    f"Meeting pack, {long_date(meeting.date)}",
                    lambda output, meeting=meeting, pdf=pdf: _pack_context(
                        output, meeting, files, _pack_rows(dataset, settings, meeting, comparator), comparator, pdf
                    ),
                    inputs=(meeting, files, tuple(dataset.kpis.values())),
                    searched=False,  # the meeting's page says it first; the scorecard repeats every KPI
                )
            )
    for year, found in by_year.items():
        pages.append(
            Page(
                urls.decisions(year_slug(year)),
                "decisions.md.j2",
                f"Decisions, {year}",
                DecisionsContext(year, tuple(found), tuple(by_year), year_slug),
            )
        )
    if tracked:
        groups = tuple((state, tuple(t for t in tracked if t.state == state)) for state in archive.ACTION_STATES)
        pages.append(
            Page(
                urls.actions(),
                "actions.md.j2",
                f"Actions from the {settings.panel_short}'s decisions",
                ActionsContext(groups, archive.as_of(meetings)),
            )
        )
    pages.append(
        Page(
            urls.attendance(),
            "attendance.md.j2",
            f"Attendance at {settings.panel_short} meetings",
            AttendanceContext(tuple(attendance)),
        )
    )
    pages.append(
        Page(
            urls.follow(),
            "follow.md.j2",
            f"Follow the {settings.panel_short}",
            FollowContext(tuple(site_feeds(settings)), CALENDAR),
        )
    )
    return pages


PDF_PLACEHOLDER = b"%PDF-1.7\n% panelsite: replaced by the printed pack before the site is published\n"
"""Stands in for a pack's PDF while MkDocs builds (so the links to it are checked); `panelsite build
--pdf` prints the real file over it before the new site is swapped in, or the build fails."""


def _pack_context(
    output: Output,
    meeting: Meeting,
    files: Mapping[str, FileInfo],
    rows: tuple[PackRow, ...],
    comparator: Comparator,
    pdf: str | None,
) -> MeetingPackContext:
    if pdf is not None:
        output.assets[pdf] = PDF_PLACEHOLDER
    return MeetingPackContext(meeting, files, rows, comparator, pdf)


def _pack_rows(dataset: Dataset, settings: Settings, meeting: Meeting, comparator: Comparator) -> tuple[PackRow, ...]:
    rows = []
    for kpi in scorecard_as_known(dataset.kpis, meeting.date):
        found = metrics.latest_benchmark_value(kpi, comparator.name)
        target = metrics.target_entry(kpi)
        rows.append(
            PackRow(
                kpi_glance(kpi),
                metrics.format_value(target[0], kpi.unit) + (f" for {target[1]}" if target[1] else "")
                if target
                else _withheld(kpi),
                f"{metrics.format_value(found.value, kpi.unit)} ({found.period.label})" if found else None,
                metrics.target_withheld(kpi) is metrics.TargetWithheld.OLD_MEASURE,
            )
        )
    return tuple(rows)


def _withheld(kpi: Kpi) -> str | None:
    """'None set then' when the bare target came after the meeting's figure; why else it is not applied."""
    withheld = metrics.target_withheld(kpi)
    if withheld is None:
        return None
    return "None set then" if withheld is metrics.TargetWithheld.SET_LATER else kpi_words.WITHHELD_SHORT[withheld]


def _year_if(year: str, by_year: dict[str, Any]) -> str | None:
    return year if year in by_year else None


def paper_files(dataset: Dataset, urls: Urls) -> dict[str, FileInfo]:
    """Each paper or pack file the meetings name, keyed by its `file` value."""
    found: dict[str, FileInfo] = {}
    for key, meeting in dataset.meetings.items():
        folder = _folder(dataset, key)
        for link in _links(meeting):
            if link.file and folder and file_problem(folder, link.file) is None:
                size = (folder / link.file).resolve().stat().st_size
                found[link.file] = FileInfo(urls.meeting_file(link.file), _size_text(link.file, size))
    return found


def meeting_assets(build: Build) -> dict[str, bytes]:
    """Files the archive publishes: paper files, the four Atom feeds and the calendar (standard edition).
    Feed links are absolute when site_config.yml sets a real `site_url`; what a meeting's entry says
    depends on the day of the build."""
    dataset = build.dataset
    if build.young or not (dataset.meetings or dataset.updates or dataset.events):
        return {}
    assets = feed_files(dataset, build.settings, build.site_url, build.today)
    for key, meeting in dataset.meetings.items():
        folder = _folder(dataset, key)
        for link in _links(meeting):
            if link.file and folder and file_problem(folder, link.file) is None:
                assets[build.urls.meeting_file(link.file)] = (folder / link.file).resolve().read_bytes()
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


KIND = MeetingPages()
