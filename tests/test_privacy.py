"""Exempt business and private details never reach any output: pages, search index, CSV, sitemaps."""

from pathlib import Path

from generator.cli import main

SECRET = "ZQX-EXEMPT-7731-CANARY"
MEETING = "data/meetings/2017-07-18.yml"
FEEDS_AND_CALENDAR = ("feeds/updates.xml", "feeds/events.xml", "feeds/meetings.xml", "feeds/decisions.xml",
                      "feeds/meetings.ics")


def every_file_containing(folder: Path, needle: str) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and needle.encode() in p.read_bytes()]


def test_exempt_item_content_never_reaches_the_site(project, capsys):
    meeting = project / MEETING
    original = meeting.read_text()
    # Notes an officer left beside the exempt item, as a YAML comment: never published.
    meeting.write_text(original.replace("    exempt: {paragraphs: [2, 3]}",
                                        f"    exempt: {{paragraphs: [2, 3]}}\n    # officer note: {SECRET}"))
    assert main(["build"]) == 0
    site = project / "site"
    assert every_file_containing(site, SECRET) == []
    assert every_file_containing(site, "Exempt item"), "the item's title is published"
    search_index = (site / "search/search_index.json").read_text()
    assert "paragraphs 2 and 3" in search_index and SECRET not in search_index
    # Every feed, the calendar, the pack and the decisions log: the title and paragraphs, nothing more.
    for name in FEEDS_AND_CALENDAR:
        published = (site / name).read_text()
        assert SECRET not in published, name
    for name in ("feeds/meetings.xml", "feeds/meetings.ics", "meetings/2017-07-18-pack/index.html"):
        published = (site / name).read_text().replace("\n ", "")  # unfold calendar lines
        assert "Exempt item" in published and ("paragraphs 2 and 3" in published), name
    assert "Exempt item" not in (site / "feeds/decisions.xml").read_text(), "an exempt item has no resolutions"

    # Papers or minutes attached to an exempt item stop the build: nothing is written.
    meeting.write_text(original.replace("    exempt: {paragraphs: [2, 3]}",
                                        f"    exempt: {{paragraphs: [2, 3]}}\n    paper: {{summary: {SECRET}}}"))
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert main(["build"]) == 1
    assert every_file_containing(site, SECRET) == []
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert SECRET not in capsys.readouterr().out, "the error message does not echo the exempt text"


def test_public_contacts_are_allowed_but_other_numbers_are_not(project, capsys):
    event = project / "data/events/2017-05-11-thank-you.yml"
    text = event.read_text()
    event.write_text(text.replace("summary: A party", "summary: Call Childline on 0800 1111. A party"))
    assert main(["check"]) == 0
    event.write_text(text.replace("summary: A party", "summary: Ring 01709 123456 or write to a.b@rotherham.gov.uk."))
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "(got '01709 123456')" in out and "(got 'a.b@rotherham.gov.uk')" in out
