"""Dates that pass (issue 21): the demo built as on three days finds no passed date called upcoming.

The Atom feed said "To be held on" for four meetings whose dates passed in 2023-24, and the
calendar marked them CONFIRMED. Here the demo is generated in-process (the pipeline, not MkDocs:
the Markdown of every page of both editions, the feeds and the calendar) with SOURCE_DATE_EPOCH in
2017, 2023 and 2027, and every sentence that calls something upcoming is checked against that day.
"""

from __future__ import annotations

import calendar as months
import datetime as dt
import re
import xml.etree.ElementTree as ET

import icalendar
import pytest

from generator.dataset import walk
from generator.models.meeting import MeetingStatus
from generator.pipeline import generate, load_project
from tests.conftest import REPO

ATOM = "{http://www.w3.org/2005/Atom}"
DAYS = {
    "2017": dt.date(2017, 3, 15),  # after 28 February 2017; the 2023-24 dates are years away
    "2023": dt.date(2023, 7, 1),  # 13 June 2023 has passed unrecorded; 12 September 2023 is to come
    "2027": dt.date(2027, 1, 15),  # every date in the demo has passed
}
UPCOMING = re.compile(
    r"to be held|upcoming|coming up|will be held|will meet|still to come|next meets?\b|meets? next|next meeting:",
    re.I,
)
"""Words that call a date still to come."""
_MONTHS = "|".join(months.month_name[1:])
LONG_DATE = re.compile(rf"\b(\d{{1,2}}) ({_MONTHS}) (\d{{4}})\b")


def _dates(text: str) -> list[dt.date]:
    return [dt.date(int(y), list(months.month_name).index(m), int(d)) for d, m, y in LONG_DATE.findall(text)]


def _sections(page: str, heading: str) -> list[str]:
    """The text under each Markdown heading that matches `heading`, up to the next heading of its level or above."""
    found = []
    for match in re.finditer(rf"(?m)^(#+) {heading}$", page, re.I):
        level = len(match.group(1))
        rest = page[match.end() :]
        end = re.search(rf"(?m)^#{{1,{level}}} ", rest)
        found.append(rest[: end.start()] if end else rest)
    return found


def _record_texts(project) -> list[str]:
    """Every text of the meeting records (agenda titles, minutes, resolutions): words of their own
    day, quoted as recorded ("The panel will next meet on 28 March 2023" is a resolution of January
    2023), so they are left out; what the site itself says about a meeting is checked."""
    texts: set[str] = set()
    for doc in project.dataset.documents.values():
        if "meetings/" in doc.display:
            texts |= {value for _, value in walk(doc.data) if isinstance(value, str) and len(value) > 12}
    return sorted(texts, key=len, reverse=True)


def _without(text: str, records: list[str]) -> str:
    for record in records:
        text = text.replace(record, " ")
    return text


def _passed_called_upcoming(text: str, today: dt.date) -> list[str]:
    """Each line (or Upcoming/Next section) that calls a date before `today` upcoming."""
    bad = []
    for line in text.splitlines():
        if UPCOMING.search(line):
            bad += [line.strip()[:160] for day in _dates(line) if day < today]
    for section in _sections(text, r"(Upcoming meetings|Next meeting)\s*"):
        bad += [f"under an upcoming heading: {day}" for day in _dates(section) if day < today]
    return bad


@pytest.fixture(scope="module", params=sorted(DAYS))
def as_on(request):
    """The demo's project, both editions and the feeds, generated as on one of the three days, and
    the meeting records' own texts."""
    day = DAYS[request.param]
    patch = pytest.MonkeyPatch()
    patch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(day.year, day.month, day.day, 12).timestamp())))
    try:
        project = load_project(REPO / "site_config.yml")
    finally:
        patch.undo()
    assert project.today == day, "today comes from SOURCE_DATE_EPOCH"
    assert not project.problems.has_errors, project.problems.format()
    standard, young = generate(project, "standard"), generate(project, "young")
    assert not standard.problems.has_errors and not young.problems.has_errors
    return project, standard, young, _record_texts(project)


def test_no_page_of_either_edition_calls_a_passed_date_upcoming(as_on):
    project, standard, young, records = as_on
    found = {}
    for edition, site in (("standard", standard), ("young", young)):
        for path, text in site.pages.items():
            bad = _passed_called_upcoming(_without(text, records), project.today)
            if bad:
                found[f"{edition}:{path}"] = bad
    assert found == {}


def test_no_feed_entry_calls_a_passed_date_upcoming(as_on):
    project, standard, _, records = as_on
    found = {}
    for path, data in standard.assets.items():
        if path.startswith("feeds/") and path.endswith(".xml"):
            for entry in ET.fromstring(data).iter(f"{ATOM}entry"):
                text = f"{entry.findtext(f'{ATOM}title')}\n{entry.findtext(f'{ATOM}summary')}"
                bad = _passed_called_upcoming(_without(text, records), project.today)
                if bad:
                    found.setdefault(path, []).extend(bad)
    assert found == {}


def test_the_calendar_status_follows_what_is_recorded(as_on):
    """Held: CONFIRMED. Cancelled: CANCELLED. Scheduled and still to come: CONFIRMED. Scheduled but
    its day passed with nothing on record: TENTATIVE, and its text does not say it is to be held."""
    project, standard, _, records = as_on
    meetings = {m.date: m for m in project.dataset.meetings.values()}
    events = icalendar.Calendar.from_ical(standard.assets["feeds/meetings.ics"]).walk("VEVENT")
    assert len(events) == len(meetings)
    seen = set()
    for event in events:
        start = event.get("dtstart").dt
        day = start.date() if isinstance(start, dt.datetime) else start
        meeting, status = meetings[day], str(event.get("status"))
        text = _without(f"{event.get('summary')}\n{event.get('description') or ''}", records)
        if meeting.status is MeetingStatus.CANCELLED:
            expected = "CANCELLED"
        elif meeting.status is MeetingStatus.HELD or day >= project.today:
            expected = "CONFIRMED"
        else:
            expected = "TENTATIVE"
            assert "no record" in text.lower() or "on record" in text.lower(), text
        assert status == expected, (day, status)
        assert not (day < project.today and UPCOMING.search(text)), text
        seen.add(expected)
    if project.today.year == 2027:
        assert seen == {"CONFIRMED", "CANCELLED", "TENTATIVE"}, "all four kinds are met in 2027"


def test_what_is_still_to_come_is_still_called_upcoming(as_on):
    """The check above is not empty: on each day, what is still ahead is listed as upcoming."""
    project, standard, _, _ = as_on
    feed = standard.assets["feeds/meetings.xml"].decode("utf-8")
    index = standard.pages["meetings/index.md"]
    upcoming = _sections(index, "Upcoming meetings")[0]
    if project.today.year == 2027:
        assert "No meeting is scheduled" in upcoming and "To be held" not in feed
        assert "Was scheduled for 13 June 2023; no agenda or minutes are on record." in feed
    else:
        assert "12 September 2023" in upcoming
        assert "To be held on 12 September 2023." in feed
    if project.today.year == 2023:
        assert "13 June 2023" not in upcoming
        assert "The panel next meets on **Tuesday 12 September 2023**" in standard.pages["index.md"]


def test_the_checker_finds_a_passed_date_called_upcoming():
    """The scanner itself: it must flag what the feed used to say."""
    today = dt.date(2027, 1, 15)
    assert _passed_called_upcoming("To be held on 13 June 2023, 4.00 pm.", today)
    assert _passed_called_upcoming("**Next meeting:** 6 December 2016.", today)
    assert _passed_called_upcoming("## Upcoming meetings\n\n- [13 June 2023](x.md)\n\n## Past", today)
    assert not _passed_called_upcoming("The following meeting was set for 6 December 2016.", today)
    assert not _passed_called_upcoming("To be held on 3 March 2027.", today)


def test_a_passed_meeting_with_an_agenda_but_no_minutes(tmp_path, monkeypatch):
    """The fixture's 29 August 2017 meeting has an agenda and is still marked scheduled: built in
    2027 its page, pack, feed entry and calendar event say its day passed with no minutes on record."""
    from tests.conftest import copy_fixture

    root = copy_fixture(tmp_path / "project")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 15 January 2027
    project = load_project(root / "site_config.yml")
    site = generate(project, "standard")
    assert not site.problems.has_errors, site.problems.format()
    page, pack = site.pages["meetings/2017-08-29.md"], site.pages["meetings/2017-08-29-pack.md"]
    assert "Scheduled, but its day has passed: no minutes are on record" in page
    assert "Status: scheduled, but its day has passed with no minutes on record." in pack
    feed = site.assets["feeds/meetings.xml"].decode("utf-8")
    assert "Was scheduled for 29 August 2017; no minutes are on record. Agenda: 1. Apologies" in feed
    event = next(
        e
        for e in icalendar.Calendar.from_ical(site.assets["feeds/meetings.ics"]).walk("VEVENT")
        if str(e.get("uid")).startswith("2017-08-29")
    )
    assert str(event.get("status")) == "TENTATIVE" and "(no record)" in str(event.get("summary"))
