"""Feeds and the calendar escape for themselves (issue 20).

Control characters in text that reaches an Atom feed or the .ics calendar were an internal error
(exit 3, no location); a bare CR in `panel` was written raw into the calendar; a meeting on
31 December 9999 crashed the feed code. Each is now a located error at load time, or written safely.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest

from generator.cli import main
from generator.feeds import feed_files
from generator.pipeline import load_project
from tests.conftest import write

ATOM = "{http://www.w3.org/2005/Atom}"
MEETING = "data/meetings/2017-08-29.yml"
UPDATE = "data/updates/2017-06-lac-council.yml"


def _replace(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _check(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# (file, text to replace, its hostile replacement, the located message expected: file:line:col: field: ...)
CONTROL_CASES = {
    "bell in an update title": (
        UPDATE,
        'title: "LAC Council update: April to June 2017"',
        'title: "LAC Council update\\a: April to June 2017"',
        r"data/updates/2017-06-lac-council\.yml:1:\d+: title: holds the control character U\+0007",
    ),
    "NUL in an update summary": (
        UPDATE,
        "summary: The council ran consultations, raised money for a trip and met senior leaders.",
        'summary: "The council ran consultations\\0."',
        r"data/updates/2017-06-lac-council\.yml:6:\d+: summary: holds the control character U\+0000",
    ),
    "escape in a meeting venue": (
        MEETING,
        "venue: Rotherham Town Hall",
        'venue: "Rotherham\\e[31m Town Hall"',
        r"data/meetings/2017-08-29\.yml:3:\d+: venue: holds the control character U\+001B",
    ),
    "C1 next-line in an agenda title": (
        MEETING,
        "title: Kayaking residential report",
        'title: "Kayaking\\N residential report"',
        r"data/meetings/2017-08-29\.yml:10:\d+: agenda\[1\]\.title: holds the control character U\+0085",
    ),
    "DEL in a meeting time": (
        MEETING,
        'time: "5.00 pm"',
        'time: "5.00\\x7f pm"',
        r"data/meetings/2017-08-29\.yml:2:\d+: time: holds the control character U\+007F",
    ),
    "carriage return in a one-line venue": (
        MEETING,
        "venue: Rotherham Town Hall",
        'venue: "Rotherham\\rTown Hall"',
        r"data/meetings/2017-08-29\.yml:3:\d+: venue: holds a carriage return \(U\+000D\)",
    ),
    "vertical tab in the event summary": (
        "data/events/2017-05-11-thank-you.yml",
        "summary: ",
        'summary: "\\v" # ',
        r"data/events/2017-05-11-thank-you\.yml:\d+:\d+: summary: holds the control character U\+000B",
    ),
}


@pytest.mark.parametrize("case", sorted(CONTROL_CASES))
def test_a_control_character_bound_for_a_feed_is_a_located_error(project, capsys, case):
    relative, old, new, expected = CONTROL_CASES[case]
    _replace(project, relative, old, new)
    code, output = _check(capsys)
    assert code == 1, output
    assert re.search(expected, output), output
    assert "Traceback" not in output and "internal error" not in output


@pytest.mark.parametrize(
    ("setting", "value", "char"),
    [
        ("panel", '"Corporate\\rParenting Panel"', "a carriage return"),
        ("council", '"Rotherham\\x01"', "the control character U+0001"),
    ],
)
def test_a_control_character_in_a_setting_is_a_located_error(project, capsys, setting, value, char):
    """A bare CR in `panel` was written raw into the calendar (X-WR-CALNAME), breaking its lines."""
    config = project / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    if f"      {setting}:" in text:
        text = re.sub(rf"(?m)^      {setting}: .*$", lambda _: f"      {setting}: {value}", text, count=1)
    else:
        text = text.replace("      council:", f"      {setting}: {value}\n      council:", 1)
    config.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith(f"      {setting}:"))
    code, output = _check(capsys)
    assert code == 1, output
    located = rf"site_config\.yml:{line}:\d+: plugins\[\d\]\.panelsite\.{setting}: holds {re.escape(char)}"
    assert re.search(located, output), output


def test_a_carriage_return_in_running_text_is_read_as_a_line_break(project, capsys):
    """Where text may hold line breaks (a summary, a cancellation reason), CR and CRLF are line breaks:
    `check` passes and no raw CR reaches the calendar's content lines."""
    _replace(
        project,
        MEETING,
        "status: scheduled",
        'status: cancelled\ncancellation_reason: "Too few members could come.\\r\\nA new date follows.\\rSorry."',
    )
    _replace(project, MEETING, "membership: [Councillor Example, Councillor Sample]\n", "")
    code, output = _check(capsys)
    assert code == 0, output
    project_ = load_project(project / "site_config.yml")
    files = feed_files(project_.dataset, project_.settings, None, dt.date(2017, 8, 1))
    ics = files["feeds/meetings.ics"]
    assert b"\r" not in ics.replace(b"\r\n", b""), "every CR in the calendar ends a content line"
    event = next(e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT") if "2017-08-29" in str(e.get("uid")))
    description = str(event.get("description"))
    assert description.startswith("Cancelled: Too few members could come.\nA new date follows.\nSorry.")
    ET.fromstring(files["feeds/meetings.xml"])


def test_a_meeting_on_the_last_day_python_knows_gets_its_feed_and_calendar(project, capsys):
    """31 December 9999 at 11 pm: its end (two hours later) is past the last date Python has."""
    write(
        project,
        "data/meetings/9999-12-31.yml",
        'date: 9999-12-31\ntime: "11.00 pm"\nvenue: Town Hall\nstatus: scheduled\nsource: {doc: cpp-2017-07-18}\n',
    )
    whole = "date: 9999-12-30\nstatus: scheduled\nsource: {doc: cpp-2017-07-18}\n"
    write(project, "data/meetings/9999-12-30.yml", whole)
    code, output = _check(capsys)
    assert code == 0, output
    loaded = load_project(project / "site_config.yml")
    files = feed_files(loaded.dataset, loaded.settings, None, dt.date(2026, 12, 7))
    calendar = icalendar.Calendar.from_ical(files["feeds/meetings.ics"])
    last = next(e for e in calendar.walk("VEVENT") if str(e.get("uid")).startswith("9999-12-31"))
    assert last.get("dtstart").dt.isoformat() == "9999-12-31T23:00:00+00:00"
    assert last.get("duration").dt == dt.timedelta(hours=2)
    whole_day = next(e for e in calendar.walk("VEVENT") if str(e.get("uid")).startswith("9999-12-30"))
    assert whole_day.get("dtstart").dt == dt.date(9999, 12, 30) and whole_day.get("duration").dt == dt.timedelta(1)
    feed = ET.fromstring(files["feeds/meetings.xml"])
    newest = feed.find(f"{ATOM}entry")
    assert newest is not None and newest.findtext(f"{ATOM}title") == "Panel meeting, 31 December 9999"
    assert newest.findtext(f"{ATOM}summary") == "To be held on 31 December 9999, 11.00 pm, Town Hall."


def test_without_a_real_site_url_atom_ids_are_stable_uuids_and_links_relative(project):
    """The fixture's site_url is example.org, a placeholder: no feed shows it. Atom ids are
    `urn:uuid:` (name-based, version 5), the same in every build; links are relative to the feed."""
    loaded = load_project(project / "site_config.yml")
    today = dt.date(2017, 8, 1)
    files = feed_files(loaded.dataset, loaded.settings, "https://example.org/", today)
    assert files == feed_files(loaded.dataset, loaded.settings, None, today), "a placeholder is no address"
    for path, data in files.items():
        assert b"example.org" not in data, path
    feed = ET.fromstring(files["feeds/meetings.xml"])
    ids = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
    assert ids and all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i or "") for i in ids)
    assert all(i[len("urn:uuid:") :][14] == "5" for i in ids if i), "UUID version 5"
    links = [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")]  # type: ignore[union-attr]
    assert "../meetings/2017-08-29/" in links
    real = feed_files(loaded.dataset, loaded.settings, "https://cpp.northby.gov.uk/", today)
    assert b"<id>https://cpp.northby.gov.uk/meetings/2017-08-29/</id>" in real["feeds/meetings.xml"]
    assert b"URL:https://cpp.northby.gov.uk/meetings/2017-08-29/" in real["feeds/meetings.ics"]


@pytest.mark.parametrize(
    ("url", "real"),
    [
        (None, False),
        ("", False),
        ("https://example.org/", False),
        ("https://www.example.com/cpp/", False),
        ("http://example.net", False),
        ("https://council.example/", False),
        ("http://localhost:8000/", False),
        ("https://cpp.test/", False),
        ("https://www.rotherham.gov.uk/cpp/", True),
        ("https://notexample.org/", True),
    ],
)
def test_which_site_urls_are_placeholders(url, real):
    from generator.urls import real_site_url

    assert (real_site_url(url) is not None) is real


def test_the_accessibility_statement_shows_no_placeholder_address(project):
    """The fixture's site_url is https://example.org/: the statement names the site, not the placeholder."""
    from generator.pipeline import generate

    loaded = load_project(project / "site_config.yml")
    site = generate(loaded, "standard")
    statement = site.pages["accessibility.md"]
    assert "This accessibility statement applies to" in statement
    assert "example.org" not in statement
    for path, data in site.assets.items():
        if path.startswith("feeds/"):
            assert b"example.org" not in data, path
