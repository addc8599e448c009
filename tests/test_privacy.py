"""Exempt business and private details never reach any output: pages, search index, CSV, sitemaps."""

from pathlib import Path

import pytest

from generator.cli import main


@pytest.fixture
def project(project_with_charts: Path) -> Path:
    """conftest's `project`, its chart cache filled by the session's build of the same project: these
    tests build it, and what they check is not how charts are drawn."""
    return project_with_charts


SECRET = "ZQX-EXEMPT-7731-CANARY"
MEETING = "data/meetings/2017-07-18.yml"
FEEDS_AND_CALENDAR = (
    "feeds/updates.xml",
    "feeds/events.xml",
    "feeds/meetings.xml",
    "feeds/decisions.xml",
    "feeds/meetings.ics",
)


def every_file_containing(folder: Path, needle: str) -> list[str]:
    return [
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()
    ]


def test_exempt_item_content_never_reaches_the_site(project, capsys):
    meeting = project / MEETING
    original = meeting.read_text()
    # Notes an officer left beside the exempt item, as a YAML comment: never published.
    meeting.write_text(
        original.replace(
            "    exempt: {paragraphs: [2, 3]}", f"    exempt: {{paragraphs: [2, 3]}}\n    # officer note: {SECRET}"
        )
    )
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
    meeting.write_text(
        original.replace(
            "    exempt: {paragraphs: [2, 3]}", f"    exempt: {{paragraphs: [2, 3]}}\n    paper: {{summary: {SECRET}}}"
        )
    )
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


def test_uk_phone_formats_and_e_mail_addresses_are_found():
    from generator.privacy import find_contact_details

    for text, found in [
        ("Ring (01709) 382121.", "(01709) 382121"),
        ("Text 07700.900.123 now", "07700.900.123"),
        ("Call +44 (0)1709 382121", "+44 (0)1709 382121"),
        ("or +44 7700 900123", "+44 7700 900123"),
        ("on 0114 273 4567", "0114 273 4567"),
        ("In 2016 07700 900123", "07700 900123"),
        ("write to sam.smith@example.org.", "sam.smith@example.org"),
    ]:
        assert find_contact_details(text, set(), set()) == [found], text
    for text in [
        "2016-07-01 to 2016-07-31",
        "£1,000,000",
        "a 10.5% rise",
        "ref 012345678901234",
        "x@y",
        "Call Childline on 0800 1111.",
    ]:
        assert find_contact_details(text, {"08001111"}, set()) == [], text


def test_a_name_in_a_quote_role_is_caught_but_roles_are_not():
    from generator.privacy import name_in_role

    known = {"lac council", "young inspector"}
    assert name_in_role("Jane Smith, LAC Council member", known) == "Jane Smith"
    assert name_in_role("LAC Council member", known) is None
    assert name_in_role("Young Inspector", known) is None
    assert name_in_role("Care leaver, 19", known) is None
