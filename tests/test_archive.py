"""The meetings archive: decisions log, actions, packs, home-page next meeting, feeds and calendar.

Demo data is generated in-process (no MkDocs); the fixture project is built with MkDocs once to
check what a reader gets: the search index, <link rel="alternate"> and the published files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest

from generator import archive, as_known
from generator.cli import main
from generator.pipeline import generate, load_project
from tests.conftest import REPO, copy_built, copy_fixture, write

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ("feeds/updates.xml", "feeds/events.xml", "feeds/meetings.xml", "feeds/decisions.xml")


SPRING_2023 = dt.date(2023, 4, 1)
"""A build day between the demo's last held meeting (28 March 2023) and its next scheduled one."""


@pytest.fixture(scope="module")
def demo():
    project = load_project(REPO / "site_config.yml")
    assert not project.problems.has_errors, project.problems.format()
    project.today = SPRING_2023
    return project, generate(project, "standard"), generate(project, "young")


def test_a_scheduled_meeting_whose_day_has_passed_is_never_next_or_upcoming():
    """A site built years after its papers must not say a meeting long gone is coming up."""
    project = load_project(REPO / "site_config.yml")
    project.today = dt.date(2026, 12, 1)
    site, young = generate(project, "standard"), generate(project, "young")
    assert "## Next meeting" not in site.pages["index.md"]
    assert "meet next" not in young.pages["index.md"]
    index = site.pages["meetings/index.md"]
    upcoming = index[index.index("## Upcoming meetings") : index.index("## Past meetings")]
    assert "No meeting is scheduled" in upcoming
    past = index[index.index("## Past meetings") :]
    assert "- [13 June 2023](2023-06-13.md): agenda and minutes not on record" in past
    assert "Scheduled, but its day has passed" in site.pages["meetings/2023-06-13.md"]
    assert "Scheduled, but its day has passed" not in site.pages["meetings/2023-03-28.md"]


@pytest.fixture(scope="module")
def built(tmp_path_factory, fixture_build) -> Path:
    """The fixture built as on 1 August 2017, before its scheduled meeting of 29 August 2017 (a copy
    of the project with the chart cache of the session's build of it, without its site)."""
    root = copy_built(fixture_build, tmp_path_factory.mktemp("archive") / "project", site=False)
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(2017, 8, 1, tzinfo=dt.timezone.utc).timestamp()))
    try:
        assert main(["--config", str(root / "site_config.yml"), "build"]) == 0
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    return root / "site"


def entries(xml: bytes) -> list[ET.Element]:
    root = ET.fromstring(xml)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def text_of(markdown: str) -> str:
    return re.sub(r"\s+", " ", markdown)


# ---- decisions ----


def test_the_decisions_log_has_every_resolution_newest_first(demo):
    project, site, _ = demo
    meetings = project.dataset.meetings
    total = sum(len(i.minute.resolutions) for m in meetings.values() for i in m.agenda if i.minute)
    assert total == 45, "the six demo meetings' minutes hold 45 resolutions"
    by_year = archive.decisions_by_year(meetings)
    assert {year: len(found) for year, found in by_year.items()} == {"2022/23": 11, "2016/17": 34}
    page = site.pages["meetings/decisions-2016-17.md"]
    dates = [m.group(1) for m in re.finditer(r"^## (\d+ \w+ \d{4})$", page, re.M)]
    assert dates == ["25 April 2017", "27 September 2016"]
    assert page.count("\n- ") == 34
    assert "(2017-04-25.md#item-66)" in page, "each decision links to its meeting and item"
    assert "[2022/23](decisions-2022-23.md)" in page
    index = site.pages["meetings/index.md"]
    assert "(decisions-2016-17.md)" in index and "(decisions-2022-23.md)" in index
    assert "### 60. LAC Council update, December and January {#item-60}" in site.pages["meetings/2023-01-31.md"]


def test_key_decisions_are_marked(tmp_path):
    root = copy_fixture(tmp_path / "project")
    path = root / "data/meetings/2017-07-18.yml"
    path.write_text(path.read_text().replace("      wards: All\n", "      wards: All\n      key_decision: true\n"))
    site = generate(load_project(root / "site_config.yml"), "standard")
    page = site.pages["meetings/decisions-2017-18.md"]
    assert page.count('<strong class="ps-key-decision">Key decision.</strong>') == 2
    feed = [e.find(f"{ATOM}title").text for e in entries(site.assets["feeds/decisions.xml"])]
    assert all(title.endswith("(key decision)") for title in feed) and len(feed) == 2


# ---- actions ----


def test_actions_are_open_overdue_or_done(demo):
    project, site, _ = demo
    tracked = {t.action.id: t for t in archive.tracked_actions(project.dataset.meetings)}
    assert len(tracked) == 11
    assert tracked["dental-checks-update"].state == "done"
    assert tracked["education-trust-report"].state == "done"
    assert tracked["fostering-film"].state == "overdue", "due 28 March 2023, the latest meeting, and not reported"
    assert tracked["camhs-invitation"].state == "overdue", "reported in progress, never done"
    assert tracked["iro-report-family-time"].state == "open", "due in June 2023, after the latest meeting"
    assert tracked["council-tax-discount-to-cabinet"].state == "open", "no due date"
    states = [t.state for t in tracked.values()]
    assert (states.count("open"), states.count("overdue"), states.count("done")) == (3, 6, 2)
    page = site.pages["meetings/actions.md"]
    assert re.findall(r"^## (\w+) \((\d+)\)$", page, re.M) == [("Overdue", "6"), ("Open", "3"), ("Done", "2")]
    assert 'id="action-dental-checks-update"' in page
    told = site.pages["meetings/2023-03-28.md"]
    assert "## Actions reported at this meeting" in told
    assert "The next performance report is to include an update on dental checks." in told
    assert "**Done:**" in told


# ---- meetings index, packs, home pages ----


def test_upcoming_and_past_meetings_are_listed_apart_newest_first(demo):
    _, site, _ = demo
    page = site.pages["meetings/index.md"]
    upcoming = page[page.index("## Upcoming meetings") : page.index("## Past meetings")]
    assert re.findall(r"\[(\d+ \w+ \d{4})\]", upcoming) == [
        "13 June 2023",
        "12 September 2023",
        "12 December 2023",
        "19 March 2024",
    ]
    past = page[page.index("## Past meetings") :]
    days = [dt.datetime.strptime(d, "%d %B %Y").date() for d in re.findall(r"\[(\d+ \w+ \d{4})\]", past)]
    assert days == sorted(days, reverse=True) and len(days) == 11, "scheduled meetings to come are not past"
    assert "- [29 November 2016](2016-11-29.md): cancelled, moved to 6 December 2016" in past


def test_the_pack_shows_the_scorecard_as_it_stood_on_the_day(demo):
    project, site, _ = demo
    pack = site.pages["meetings/2017-04-25-pack.md"]
    row = next(line for line in pack.splitlines() if 'href="../../performance/children-looked-after/"' in line)
    assert "461" in row and "1 November 2016" in row, "the latest value reported by 25 April 2017"
    assert "488" not in row, "31 December 2016's figure first reached the panel on 18 July 2017"
    assert "551" not in row
    kpi = as_known.kpi_as_known(project.dataset.kpis["children-looked-after"], dt.date(2017, 4, 25))
    assert kpi is not None
    assert all(as_known.reported_on(v) <= dt.date(2017, 4, 25) for v in kpi.values)
    assert all(as_known.reported_on(v) <= dt.date(2017, 4, 25) for b in kpi.benchmarks for v in b.values)
    march = site.pages["meetings/2023-03-28-pack.md"]
    assert "### 11. Fostering health check and recruitment action plan" in march
    assert "Schedule 12A to the Local Government Act 1972, paragraphs 2 and 3" in march
    assert "Receive the report and its data appendix" in march
    assert "Approve the minutes as a true and correct record." in march


def test_both_home_pages_name_the_next_meeting(demo):
    _, site, young = demo
    assert (
        "The panel next meets on **Tuesday 13 June 2023** at 4.00 pm, Rotherham Town Hall. "
        "[See the meeting](meetings/2023-06-13.md)"
    ) in site.pages["index.md"]
    young_home = text_of(young.pages["index.md"])
    assert "They will meet next on Tuesday 13 June 2023." in young_home
    assert "meetings/" not in young_home, "the young edition has no meeting pages to link to"


def test_a_meeting_links_the_meeting_that_approved_its_minutes(demo):
    _, site, _ = demo
    assert (
        "**Minutes approved** at the [meeting of 31 January 2023](2023-01-31.md)."
        in site.pages["meetings/2022-09-20.md"]
    )
    assert (
        "This meeting approved the minutes of the [meeting of 20 September 2022](2022-09-20.md)."
        in site.pages["meetings/2023-01-31.md"]
    )
    cancelled = site.pages["meetings/2016-11-29.md"]
    assert "**This meeting was cancelled.** The papers do not say why." in cancelled
    assert "It moved to the [meeting of 6 December 2016](2016-12-06.md)." in cancelled


def test_attendance_page_states_the_computed_figures(demo):
    _, site, _ = demo
    page = site.pages["meetings/attendance.md"]
    assert (
        '<tr><th scope="row" data-label="Member">Councillor G. Watson</th><td data-label="Expected">2</td>'
        '<td data-label="Attended">1</td><td data-label="Apologies">1</td><td data-label="Absent">0</td>'
        '<td data-label="Attendance">50%</td></tr>'
    ) in page
    assert (
        '<th scope="row" data-label="Member">Councillor V. Cusworth</th><td data-label="Expected">2</td>'
        '<td data-label="Attended">1</td><td data-label="Apologies">0</td><td data-label="Absent">1</td>' in page
    )
    assert page.index("## 2022/23") < page.index("## 2016/17")


# ---- paper files ----


def test_a_paper_file_kept_in_the_project_is_copied_with_its_size(tmp_path):
    root = copy_fixture(tmp_path / "project")
    write(root, "data/meetings/papers/update.pdf", "%PDF-1.4\n" + "x" * 3000)
    path = root / "data/meetings/2017-07-18.yml"
    path.write_text(
        path.read_text()
        .replace(
            "      wards: All\n", "      wards: All\n      document: {file: papers/update.pdf, title: The report}\n"
        )
        .replace(
            "agenda:\n",
            "pack: {url: 'https://example.org/pack.pdf'}\n"
            "webcast: https://example.org/watch\npresent: [Councillor Example]\n"
            "substitutes: [{member: Councillor Third, substituting_for: Councillor Sample}]\n"
            "co_opted: [Virtual School Head]\nagenda:\n",
            1,
        )
    )
    site = generate(load_project(root / "site_config.yml"), "standard")
    assert site.assets["meetings/files/papers/update.pdf"].startswith(b"%PDF-1.4")
    page = site.pages["meetings/2017-07-18.md"]
    assert "**Paper:** [The report](files/papers/update.pdf) (PDF, 3 KB)" in page
    assert "[The agenda pack as published](<https://example.org/pack.pdf>) (on another website)" in page
    assert "[Watch the webcast](<https://example.org/watch>)" in page
    assert "**Substitutes:** Councillor Third for Councillor Sample." in page
    assert "**Co-opted members present:** Virtual School Head." in page
    attendance = site.pages["meetings/attendance.md"]
    assert 'Councillor Sample</th><td data-label="Expected">1</td><td data-label="Attended">0</td>' in attendance
    assert "Councillor Third" not in attendance, "a substitute is not a member of the panel"


# ---- feeds and calendar ----


def test_four_atom_feeds_parse_back_with_one_entry_per_record(demo):
    project, site, _ = demo
    data = project.dataset
    counts = {path: len(entries(site.assets[path])) for path in FEEDS}
    assert counts == {
        "feeds/updates.xml": len(data.updates),
        "feeds/events.xml": len(data.events),
        "feeds/meetings.xml": len(data.meetings),
        "feeds/decisions.xml": 45,
    }
    assert counts["feeds/events.xml"] == 25 and counts["feeds/meetings.xml"] == 15
    for path in FEEDS:
        found = entries(site.assets[path])
        ids = [e.find(f"{ATOM}id").text for e in found]
        assert len(set(ids)) == len(ids), f"{path}: entry ids are unique"
        links = [e.find(f"{ATOM}link").get("href") for e in found]
        assert all(link.startswith("../") for link in links), f"{path}: the demo has no site_url: relative links"
        days = [e.find(f"{ATOM}updated").text for e in found]
        assert days == sorted(days, reverse=True), f"{path}: newest first"
    decision = entries(site.assets["feeds/decisions.xml"])[-1]
    assert decision.find(f"{ATOM}link").get("href") == "../meetings/2016-09-27/#item-d15"
    assert decision.find(f"{ATOM}summary").text == "The minutes of 20 July 2016 were agreed as accurate."


def test_the_calendar_parses_back_with_times_venues_and_cancellations(demo):
    project, site, _ = demo
    calendar = icalendar.Calendar.from_ical(site.assets["feeds/meetings.ics"])
    events = {
        e.get("dtstart").dt if isinstance(e.get("dtstart").dt, dt.date) else None: e for e in calendar.walk("VEVENT")
    }
    assert len(calendar.walk("VEVENT")) == len(project.dataset.meetings) == 15
    june = next(e for e in calendar.walk("VEVENT") if str(e.get("uid")).startswith("2023-06-13"))
    start = june.get("dtstart").dt
    assert (start.isoformat(), str(start.tzinfo)) == ("2023-06-13T16:00:00+01:00", "Europe/London")
    assert str(june.get("location")) == "Rotherham Town Hall" and str(june.get("status")) == "CONFIRMED"
    assert june.get("url") is None, "no address without a real site_url"
    september = next(e for e in calendar.walk("VEVENT") if str(e.get("uid")).startswith("2023-09-12"))
    assert september.get("dtstart").dt == dt.date(2023, 9, 12), "no time given: an all-day entry"
    cancelled = next(e for e in calendar.walk("VEVENT") if str(e.get("uid")).startswith("2016-11-29"))
    assert str(cancelled.get("status")) == "CANCELLED" and "Moved to 6 December 2016." in cancelled.get("description")
    assert calendar.walk("VTIMEZONE"), "the calendar carries its time zone"
    assert events


def test_feeds_and_calendar_are_byte_for_byte_reproducible(demo):
    project, site, _ = demo
    again = generate(project, "standard")
    for path in (*FEEDS, "feeds/meetings.ics"):
        assert again.assets[path] == site.assets[path], path


def test_feeds_are_advertised_and_listed_on_the_follow_page(built):
    home = (built / "index.html").read_text()
    for path in FEEDS:
        assert 'rel="alternate feed" type="application/atom+xml"' in home and f'href="{path}"' in home, path
        assert (built / path).is_file()
    assert 'type="text/calendar" title="Meetings calendar" href="feeds/meetings.ics"' in home
    assert 'href="feeds/' not in (built / "young/index.html").read_text(), "the young edition links no feeds"
    follow = (built / "follow/index.html").read_text()
    assert all(f'href="../{path}"' in follow for path in (*FEEDS, "feeds/meetings.ics"))
    assert "Next meeting:" in follow and "29 August 2017" in follow
    assert len(entries((built / "feeds/decisions.xml").read_bytes())) == 2


def test_search_finds_a_resolution_by_a_word_in_it(built):
    index = json.loads((built / "search/search_index.json").read_text())
    hits = [doc["location"] for doc in index["docs"] if "kayaking" in doc["text"].lower()]
    assert any(location.startswith("meetings/decisions-2017-18/") for location in hits), hits
    assert any(location.startswith("meetings/2017-07-18/") for location in hits), hits


def test_search_leaves_out_meeting_packs_whose_text_the_meeting_page_gives_first(built):
    assert (built / "meetings/2017-07-18-pack/index.html").is_file()
    index = json.loads((built / "search/search_index.json").read_text())
    locations = [doc["location"] for doc in index["docs"]]
    assert any(location.startswith("meetings/2017-07-18/") for location in locations)
    assert not [location for location in locations if "-pack/" in location]


def test_meeting_checks_are_located_errors(project, capsys):
    meeting = project / "data/meetings/2017-08-29.yml"
    meeting.write_text(
        meeting.read_text().replace(
            "    title: Kayaking residential report\n",
            "    title: Kayaking residential report\n    minute: {number: '3', discussion: Early.}\n"
            "    progress: [{action: no-such-action, status: done, note: Done.}]\n",
        )
    )
    held = project / "data/meetings/2017-07-18.yml"
    held.write_text(
        held.read_text()
        .replace("status: held", "status: cancelled\npresent: [Councillor Example]")
        .replace("source:", "minutes_approved_on: 2017-09-30\nsource:")
    )
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "data/meetings/2017-08-29.yml:11:13: agenda[1].minute: a scheduled meeting has no minutes yet" in out
    assert (
        "data/meetings/2017-08-29.yml:12:25: agenda[1].progress[0].action: no earlier meeting set an "
        "action with this id (got 'no-such-action')" in out
    )
    assert "data/meetings/2017-07-18.yml:5:10: present: a cancelled meeting has no attendance" in out
    assert "minutes_approved_on: no meeting on that date in data/meetings/ (got '2017-09-30')" in out


def test_a_paper_file_outside_the_meetings_folder_is_refused(project, capsys):
    write(project, "secret.pdf", "%PDF")
    meeting = project / "data/meetings/2017-07-18.yml"
    meeting.write_text(meeting.read_text().replace("agenda:\n", "pack: {file: ../../secret.pdf}\nagenda:\n", 1))
    assert main(["check"]) == 1
    assert "pack.file: should be a file path inside the meetings folder" in capsys.readouterr().out
    (project / "data/meetings/link.pdf").symlink_to(project / "secret.pdf")
    meeting.write_text(meeting.read_text().replace("../../secret.pdf", "link.pdf"))
    assert main(["check"]) == 1
    assert "pack.file: points outside the meetings folder (got 'link.pdf')" in capsys.readouterr().out
    meeting.write_text(meeting.read_text().replace("link.pdf", "2017-08-29.yml"))
    assert main(["check"]) == 1
    assert "pack.file: should be a document (" in capsys.readouterr().out
