"""Atom feeds (updates, events, meetings, decisions) and an iCalendar file of every meeting.

Built with `feedgen` and `icalendar`, from data only: every timestamp comes from a date in the
records (midnight UTC), never from the clock, so two builds give the same bytes. Links are absolute
when `site_url` is set in site_config.yml, relative to the feed's own address otherwise.

Exempt items appear in the meetings feed and the calendar as their number, title and the Schedule 12A
paragraphs only, exactly as on the pages.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from feedgen.feed import FeedGenerator

from . import archive
from .dataset import Dataset
from .models.meeting import AgendaItem, Meeting, MeetingStatus
from .settings import Settings
from .urls import page_url

TIMEZONE = "Europe/London"
"""Meeting times in the records are local times in England."""
MEETING_HOURS = 2
"""How long a calendar entry lasts: the records give start times only."""


@dataclass(frozen=True)
class Feed:
    """One published feed: its file in the site, title and what it holds (for the Follow page)."""

    key: str
    path: str
    title: str
    description: str


def site_feeds(settings: Settings) -> tuple[Feed, ...]:
    """The four Atom feeds, named for this council's groups."""
    group = settings.children_council
    updates = Feed(
        "updates", "feeds/updates.xml", f"{group.short_name} updates", f"Each new update from the {group.name}."
    )
    return (updates, *FEEDS[1:])


FEEDS = (
    Feed("updates", "feeds/updates.xml", "Updates", "Each new update from the children in care council."),
    Feed("events", "feeds/events.xml", "Events", "Trips, awards and celebrations young people took part in."),
    Feed("meetings", "feeds/meetings.xml", "Panel meetings", "Each meeting: its date, place, status and agenda."),
    Feed("decisions", "feeds/decisions.xml", "Decisions", "Every resolution of the panel, with its meeting and item."),
)
CALENDAR = Feed(
    "calendar",
    "feeds/meetings.ics",
    "Meetings calendar",
    "Every meeting as a calendar file: add it to your calendar app to see the dates, times and places.",
)


def feed_files(dataset: Dataset, settings: Settings, site_url: str | None) -> dict[str, bytes]:
    """The four Atom feeds and the calendar, keyed by their path in the site."""
    base = site_url.rstrip("/") + "/" if site_url else None
    files: dict[str, bytes] = {}
    for feed in site_feeds(settings):
        entries = _ENTRIES[feed.key](dataset, settings)
        files[feed.path] = _atom(feed, entries, settings, base)
    files[CALENDAR.path] = calendar(dataset, settings, base)
    return files


@dataclass(frozen=True)
class _Entry:
    path: str  # the Markdown path of the page it links to (plus an optional #fragment)
    title: str
    day: dt.date
    summary: str
    key: str = ""  # added to the entry's id when several entries link to one place


def _update_entries(dataset: Dataset, settings: Settings) -> list[_Entry]:
    slug = settings.children_council.slug
    return [_Entry(f"{slug}/{u.id}.md", u.title, u.period_end, u.summary) for u in dataset.updates.values()]


def _event_entries(dataset: Dataset, settings: Settings) -> list[_Entry]:
    return [_Entry(f"events/{e.id}.md", e.title, _day(e.date), e.summary) for e in dataset.events.values()]


def _meeting_entries(dataset: Dataset, settings: Settings) -> list[_Entry]:
    entries = []
    for m in dataset.meetings.values():
        what = {
            MeetingStatus.SCHEDULED: "To be held",
            MeetingStatus.HELD: "Held",
            MeetingStatus.CANCELLED: "Cancelled",
        }[m.status]
        where = ", ".join(x for x in (m.time, m.venue) if x)
        agenda = "; ".join(agenda_line(item) for item in m.agenda)
        summary = f"{what} on {_long(m.date)}" + (f", {where}" if where else "") + "."
        if m.status is MeetingStatus.CANCELLED and m.rescheduled_to:
            summary += f" Moved to {_long(m.rescheduled_to)}."
        entries.append(
            _Entry(
                f"meetings/{m.date.isoformat()}.md",
                f"Panel meeting, {_long(m.date)}",
                m.date,
                summary + (f" Agenda: {agenda}." if agenda else ""),
            )
        )
    return entries


def _decision_entries(dataset: Dataset, settings: Settings) -> list[_Entry]:
    entries = []
    for d in archive.decisions(dataset.meetings):
        key = " (key decision)" if d.key_decision else ""
        entries.append(
            _Entry(
                f"meetings/{d.meeting.date.isoformat()}.md#{d.item.anchor}",
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
    generator.title(f"{settings.panel}: {feed.title}")
    generator.subtitle(feed.description)
    generator.author({"name": settings.council})
    generator.link(href=_href(base, feed.path, from_feed=True), rel="self", type="application/atom+xml")
    generator.link(href=_href(base, "index.md"), rel="alternate", type="text/html")
    generator.language("en-GB")
    generator.generator("panelsite")
    entries = sorted(entries, key=lambda e: (e.day, e.path))
    generator.updated(_stamp(entries[-1].day if entries else dt.date(1970, 1, 1)))
    for entry in entries:
        item = generator.add_entry(order="prepend")
        item.id(_id(base, entry.path, settings) + entry.key)
        item.title(entry.title)
        item.link(href=_href(base, entry.path), rel="alternate", type="text/html")
        item.updated(_stamp(entry.day))
        item.published(_stamp(entry.day))
        item.summary(entry.summary)
    return generator.atom_str(pretty=True)


def calendar(dataset: Dataset, settings: Settings, base: str | None) -> bytes:
    """Every meeting as a VEVENT: timed in local time when the record gives a time, else all day."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//panelsite//meetings calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{settings.panel} meetings")
    cal.add("x-wr-timezone", TIMEZONE)
    for meeting in sorted(dataset.meetings.values(), key=lambda m: m.date):
        cal.add_component(_event(meeting, settings, base))
    cal.add_missing_timezones()
    return cal.to_ical()


def _event(meeting: Meeting, settings: Settings, base: str | None) -> icalendar.Event:
    event = icalendar.Event()
    path = f"meetings/{meeting.date.isoformat()}.md"
    event.add("uid", f"{meeting.date.isoformat()}-meeting@{_host(base, settings)}")
    event.add("dtstamp", _stamp(meeting.date))
    start = start_time(meeting)
    if start:
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(hours=MEETING_HOURS))
    else:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + dt.timedelta(days=1))
    summary = settings.panel + (" (cancelled)" if meeting.status is MeetingStatus.CANCELLED else "")
    event.add("summary", summary)
    if meeting.venue:
        event.add("location", meeting.venue)
    event.add("status", "CANCELLED" if meeting.status is MeetingStatus.CANCELLED else "CONFIRMED")
    lines = [agenda_line(item) for item in meeting.agenda]
    if meeting.status is MeetingStatus.CANCELLED:
        lines.insert(0, "Cancelled" + (f": {meeting.cancellation_reason}" if meeting.cancellation_reason else "."))
        if meeting.rescheduled_to:
            lines.insert(1, f"Moved to {_long(meeting.rescheduled_to)}.")
    if lines:
        event.add("description", "\n".join(lines))
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
    return f"{day.day} {day.strftime('%B %Y')}"


def _href(base: str | None, path: str, from_feed: bool = False) -> str:
    """The page's address: absolute under `base`, else relative to feeds/."""
    page, _, fragment = path.partition("#")
    target = path if from_feed else page_url(page) + (f"#{fragment}" if fragment else "")
    if base:
        return base + target
    return ("" if from_feed else "../") + (target.split("/", 1)[1] if from_feed else target)


def _host(base: str | None, settings: Settings) -> str:
    host = urlsplit(base).hostname if base else None
    return host or re.sub(r"[^a-z0-9]+", "-", settings.council.lower()).strip("-")


def _id(base: str | None, path: str, settings: Settings) -> str:
    if base:
        return _href(base, path, from_feed=path.startswith("feeds/"))
    return f"urn:panelsite:{_host(None, settings)}:{path}"


def feed_links(settings: Settings) -> list[dict[str, str]]:
    """The feeds and calendar as `<link rel="alternate">` entries for the page head (title, path, type)."""
    links = [{"title": f.title, "path": f.path, "type": "application/atom+xml"} for f in site_feeds(settings)]
    return [*links, {"title": CALENDAR.title, "path": CALENDAR.path, "type": "text/calendar"}]
