"""Atom feeds (updates, events, meetings, decisions) and an iCalendar file of every meeting.

Built with `feedgen` and `icalendar`, from data only: every timestamp comes from a date in the
records (midnight UTC), never from the clock. What a meeting's entry says depends on the day of the
build (`SOURCE_DATE_EPOCH` when set): a scheduled meeting whose day has passed with nothing on record
is never "to be held", and its calendar STATUS is TENTATIVE (RFC 5545 3.8.1.11), not CONFIRMED.

Links are absolute when `site_url` is a real address (see `generator.urls.real_site_url`: a
reserved example domain such as example.org counts as none); otherwise links are relative to the
feed's own address (RFC 4287 allows relative IRIs) and each Atom id is a `urn:uuid:` made
deterministically (UUID version 5, RFC 9562) from the council, the panel and the page, so ids stay
the same from build to build and never show a placeholder address.

Every text reaching a feed or the calendar is checked when the project loads (`check_feed_text`):
a control character is a located error; a carriage return is refused in a one-line field and
read as a line break elsewhere.

Exempt items appear in the meetings feed and the calendar as their number, title and the Schedule 12A
paragraphs only, exactly as on the pages.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from feedgen.feed import FeedGenerator

from . import archive
from .check_memo import CheckMemo, per_document
from .dataset import Dataset, problem_at, walk
from .errors import Problem, Problems
from .models.meeting import AgendaItem, Meeting, MeetingStatus
from .settings import Settings
from .urls import Urls, is_feed, page_url, real_site_url
from .yamlio import Document

TIMEZONE = "Europe/London"
"""Meeting times in the records are local times in England."""
MEETING_HOURS = 2
"""How long a calendar entry lasts: the records give start times only."""

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters no feed, calendar or page can carry: C0 except tab, LF and CR; DEL; C1."""
ONE_LINE_KEYS = frozenset({"title", "time", "venue", "name", "short_name", "number", "panel", "council"})
"""Fields shown on one line (a title, a place, a name): a carriage return there is refused."""
LINE_BREAK = re.compile(r"\r\n?")


@dataclass(frozen=True)
class Feed:
    """One published feed: its file in the site, title and what it holds (for the Follow page)."""

    key: str
    path: str
    title: str
    description: str


def _urls(settings: Settings) -> Urls:
    return Urls(settings.children_council.slug)


def site_feeds(settings: Settings) -> tuple[Feed, ...]:
    """The four Atom feeds, named for this council's groups and its panel."""
    group, urls = settings.children_council, _urls(settings)
    return (
        Feed("updates", urls.feed("updates"), f"{group.short_name} updates", f"Each new update from the {group.name}."),
        Feed("events", urls.feed("events"), "Events", "Trips, awards and celebrations young people took part in."),
        Feed(
            "meetings",
            urls.feed("meetings"),
            f"{settings.panel_short} meetings",
            "Each meeting: its date, place, status and agenda.",
        ),
        Feed(
            "decisions",
            urls.feed("decisions"),
            "Decisions",
            f"Every resolution of the {settings.panel}, with its meeting and item.",
        ),
    )


CALENDAR = Feed(
    "calendar",
    Urls.calendar(),
    "Meetings calendar",
    "Every meeting as a calendar file: add it to your calendar app to see the dates, times and places.",
)


def check_feed_text(dataset: Dataset, settings: Settings, memo: CheckMemo | None = None) -> Problems:
    """A located error for each control character in the data or the panelsite settings, and for a
    carriage return in a one-line field: the feeds and the calendar could not be written otherwise.
    Each unchanged data file's errors come from `memo` when given (`serve`)."""
    problems = Problems()
    for doc in dataset.documents.values():
        problems.extend(list(per_document(memo, "feed text", doc, (), partial(_control_problems, doc))))
    if settings._origin is not None:
        doc, base = settings._origin
        node: Any = doc.data
        for key in base:
            node = node[key]
        for loc, value in walk(node):
            message = _control_message((*base, *loc), value, one_line=True)
            if message:
                problems.add(problem_at(doc, (*base, *loc), message, None, _CONTROL_HINT))
    return problems


_CONTROL_HINT = "retype the text; a control character often comes from pasting out of another program"


def _control_problems(doc: Document) -> Iterator[Problem]:
    for loc, value in walk(doc.data):
        message = _control_message(loc, value)
        if message:
            yield problem_at(doc, loc, message, None, _CONTROL_HINT)


def _control_message(loc: tuple, value: Any, one_line: bool = False) -> str | None:
    if not isinstance(value, str):
        return None
    bad = CONTROL.search(value)
    if bad:
        return f"holds the control character U+{ord(bad.group(0)):04X}, which cannot be published"
    if "\r" in value and (one_line or (loc and loc[-1] in ONE_LINE_KEYS)):
        return "holds a carriage return (U+000D); this field is one line of text"
    return None


def _text(value: str) -> str:
    """Text as feeds and the calendar write it: control characters gone, CR and CRLF read as LF."""
    return CONTROL.sub("", LINE_BREAK.sub("\n", value))


def _line(value: str) -> str:
    """One-line text: any line break becomes a space."""
    return " ".join(_text(value).split())


def feed_files(dataset: Dataset, settings: Settings, site_url: str | None, today: dt.date) -> dict[str, bytes]:
    """The four Atom feeds and the calendar, keyed by their path in the site, as on `today`."""
    url = real_site_url(site_url)
    base = url.rstrip("/") + "/" if url else None
    files: dict[str, bytes] = {}
    for feed in site_feeds(settings):
        entries = _ENTRIES[feed.key](dataset, settings, today)
        files[feed.path] = _atom(feed, entries, settings, base)
    files[CALENDAR.path] = calendar(dataset, settings, base, today)
    return files


@dataclass(frozen=True)
class _Entry:
    path: str  # the Markdown path of the page it links to (plus an optional #fragment)
    title: str
    day: dt.date
    summary: str
    key: str = ""  # added to the entry's id when several entries link to one place


def _update_entries(dataset: Dataset, settings: Settings, today: dt.date) -> list[_Entry]:
    urls = _urls(settings)
    return [_Entry(urls.update(u.id), u.title, u.period_end, u.summary) for u in dataset.updates.values()]


def _event_entries(dataset: Dataset, settings: Settings, today: dt.date) -> list[_Entry]:
    urls = _urls(settings)
    return [_Entry(urls.event(e.id), e.title, _day(e.date), e.summary) for e in dataset.events.values()]


def meeting_state(meeting: Meeting, today: dt.date) -> str:
    """What a meeting's entry says of it as on `today`: held, cancelled, to come, or passed unrecorded."""
    if meeting.status is MeetingStatus.HELD:
        return "held"
    if meeting.status is MeetingStatus.CANCELLED:
        return "cancelled"
    return "passed" if archive.day_passed_unrecorded(meeting, today) else "to come"


def _meeting_summary(meeting: Meeting, today: dt.date) -> str:
    day = _long(meeting.date)
    where = ", ".join(x for x in (meeting.time, meeting.venue) if x)
    state = meeting_state(meeting, today)
    if state == "passed":
        return f"Was scheduled for {day}; no {'minutes are' if meeting.agenda else 'agenda or minutes are'} on record."
    if state == "cancelled":
        summary = f"Cancelled: the meeting set for {day} did not take place."
        return summary + (f" Moved to {_long(meeting.rescheduled_to)}." if meeting.rescheduled_to else "")
    what = "Held on" if state == "held" else "To be held on"
    return f"{what} {day}" + (f", {where}" if where else "") + "."


def _meeting_entries(dataset: Dataset, settings: Settings, today: dt.date) -> list[_Entry]:
    entries = []
    for m in dataset.meetings.values():
        agenda = "; ".join(agenda_line(item) for item in m.agenda)
        entries.append(
            _Entry(
                _urls(settings).meeting(m.date),
                meeting_title(settings, m.date),
                m.date,
                _meeting_summary(m, today) + (f" Agenda: {agenda}." if agenda else ""),
            )
        )
    return entries


def meeting_title(settings: Settings, day: dt.date) -> str:
    """'Panel meeting, 25 November 2026', with the panel's own short name."""
    return f"{settings.panel_short} meeting, {_long(day)}"


def _decision_entries(dataset: Dataset, settings: Settings, today: dt.date) -> list[_Entry]:
    entries = []
    for d in archive.decisions(dataset.meetings):
        key = " (key decision)" if d.key_decision else ""
        entries.append(
            _Entry(
                f"{_urls(settings).meeting(d.meeting.date)}#{d.item.anchor}",
                f"{_long(d.meeting.date)}, minute {d.minute}: {d.item.title}{key}",
                d.meeting.date,
                d.resolution.text,
                f"-resolution-{d.number}",
            )
        )
    return entries


_ENTRIES = {
    "updates": _update_entries,
    "events": _event_entries,
    "meetings": _meeting_entries,
    "decisions": _decision_entries,
}


def agenda_line(item: AgendaItem) -> str:
    """'11. Title', and for an exempt item the paragraphs it was exempt under, nothing more."""
    line = f"{item.number}. {item.title}"
    if item.exempt:
        paragraphs = " and ".join(str(p) for p in item.exempt.paragraphs)
        line += f" (exempt: Schedule 12A, paragraph{'s' if len(item.exempt.paragraphs) > 1 else ''} {paragraphs})"
    return line


def _atom(feed: Feed, entries: list[_Entry], settings: Settings, base: str | None) -> bytes:
    generator = FeedGenerator()
    generator.id(_id(base, feed.path, settings))
    generator.title(_line(f"{settings.panel}: {feed.title}"))
    generator.subtitle(_line(feed.description))
    generator.author({"name": _line(settings.council)})
    generator.link(href=_href(base, feed.path, from_feed=True), rel="self", type="application/atom+xml")
    generator.link(href=_href(base, _urls(settings).home()), rel="alternate", type="text/html")
    generator.language("en-GB")
    generator.generator("panelsite")
    entries = sorted(entries, key=lambda e: (e.day, e.path))
    generator.updated(_stamp(entries[-1].day if entries else dt.date(1970, 1, 1)))
    for entry in entries:
        item = generator.add_entry(order="prepend")
        item.id(_id(base, entry.path, settings, entry.key))
        item.title(_line(entry.title))
        item.link(href=_href(base, entry.path), rel="alternate", type="text/html")
        item.updated(_stamp(entry.day))
        item.published(_stamp(entry.day))
        item.summary(_text(entry.summary))
    return generator.atom_str(pretty=True)


def calendar(dataset: Dataset, settings: Settings, base: str | None, today: dt.date) -> bytes:
    """Every meeting as a VEVENT: timed in local time when the record gives a time, else all day."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//panelsite//meetings calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _line(f"{settings.panel} meetings"))
    cal.add("x-wr-timezone", TIMEZONE)
    for meeting in sorted(dataset.meetings.values(), key=lambda m: m.date):
        cal.add_component(_event(meeting, settings, base, today))
    cal.add_missing_timezones()
    return cal.to_ical()


CALENDAR_STATUS = {"held": "CONFIRMED", "to come": "CONFIRMED", "cancelled": "CANCELLED", "passed": "TENTATIVE"}
"""RFC 5545 STATUS by what is recorded: a meeting still marked scheduled after its day, with nothing
on record, is not known to have taken place, so it is TENTATIVE."""


def _event(meeting: Meeting, settings: Settings, base: str | None, today: dt.date) -> icalendar.Event:
    event = icalendar.Event()
    path = _urls(settings).meeting(meeting.date)
    state = meeting_state(meeting, today)
    event.add("uid", f"{meeting.date.isoformat()}-meeting@{_host(base, settings)}")
    event.add("dtstamp", _stamp(meeting.date))
    start = start_time(meeting)
    # DURATION, not DTEND: the end of a meeting on 31 December 9999 is past the last date Python has.
    if start:
        event.add("dtstart", start)
        event.add("duration", dt.timedelta(hours=MEETING_HOURS))
    else:
        event.add("dtstart", meeting.date)
        event.add("duration", dt.timedelta(days=1))
    extra = {"cancelled": " (cancelled)", "passed": " (no record)"}.get(state, "")
    event.add("summary", _line(settings.panel) + extra)
    if meeting.venue:
        event.add("location", _line(meeting.venue))
    event.add("status", CALENDAR_STATUS[state])
    lines = [agenda_line(item) for item in meeting.agenda]
    if state == "cancelled":
        lines.insert(0, "Cancelled" + (f": {meeting.cancellation_reason}" if meeting.cancellation_reason else "."))
        if meeting.rescheduled_to:
            lines.insert(1, f"Moved to {_long(meeting.rescheduled_to)}.")
    elif state == "passed":
        lines.insert(0, _meeting_summary(meeting, today))
    if lines:
        event.add("description", _text("\n".join(lines)))
    if base:
        event.add("url", base + page_url(path))
    return event


_TIME = re.compile(r"^\s*(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*$", re.I)


def start_time(meeting: Meeting) -> dt.datetime | None:
    """The start as a local time ('5.00 pm', '17:00', '10am'), or None when there is none or it is unclear."""
    match = _TIME.match(meeting.time or "")
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").lower().replace(".", "")
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59) or (not suffix and match.group(2) is None):
        return None
    d = meeting.date
    return dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=ZoneInfo(TIMEZONE))


def _stamp(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _day(value: Any) -> dt.date:
    """A record's date, whether a date or a period-like value with an `end` or `start`."""
    if isinstance(value, dt.date):
        return value
    for name in ("start", "end"):
        inner = getattr(value, name, None)
        if isinstance(inner, dt.date):
            return inner
    parts = [int(p) for p in re.findall(r"\d+", str(value))[:3]]
    return dt.date(parts[0], *(parts[1:] + [1, 1])[:2])


def _long(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _href(base: str | None, path: str, from_feed: bool = False) -> str:
    """The page's address: absolute under `base`, else relative to feeds/."""
    page, _, fragment = path.partition("#")
    target = path if from_feed else page_url(page) + (f"#{fragment}" if fragment else "")
    if base:
        return base + target
    return ("" if from_feed else "../") + (target.split("/", 1)[1] if from_feed else target)


def _host(base: str | None, settings: Settings) -> str:
    host = urlsplit(base).hostname if base else None
    return host or re.sub(r"[^a-z0-9]+", "-", settings.council.lower()).strip("-") or "council"


def _id(base: str | None, path: str, settings: Settings, key: str = "") -> str:
    """The absolute address when the site has one; otherwise a `urn:uuid:` made from the council,
    the panel and the path, the same in every build."""
    if base:
        return _href(base, path, from_feed=is_feed(path)) + key
    name = "\n".join(("panelsite", settings.council, settings.panel, path + key))
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def feed_links(settings: Settings) -> list[dict[str, str]]:
    """The feeds and calendar as `<link rel="alternate">` entries for the page head (title, path, type)."""
    links = [{"title": f.title, "path": f.path, "type": "application/atom+xml"} for f in site_feeds(settings)]
    return [*links, {"title": CALENDAR.title, "path": CALENDAR.path, "type": "text/calendar"}]
