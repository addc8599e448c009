"""A second, invented council (tests/fixtures/second-council/) built in both editions.

Nothing of the demo council may reach its site, and every name it configures must show where a
reader looks for it: its council, area, board, children in care council, forum and comparators.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from tests.conftest import REPO

DEMO_WORDS = re.compile(r"rotherham|yorkshire|\bLAC\b|lac-council|looked after children's council", re.I)
PENDING_ISSUE_12: tuple[str, ...] = ()  # nothing is left out any more: KPI pages, charts and CSV included


@pytest.fixture(scope="module")
def built(second_council_build) -> Path:
    """tests/fixtures/second-council/ copied and built once for the session (conftest's `second_council_build`)."""
    return second_council_build.site


def _texts(site: Path) -> dict[str, str]:
    """Every text file of the built site, with search-index entries of pending pages left out."""
    texts = {}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if not path.is_file() or relative.startswith(PENDING_ISSUE_12):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if path.name == "search_index.json":
            index = json.loads(text)
            edition = "young/" if relative.startswith("young/") else ""
            index["docs"] = [d for d in index["docs"] if not (edition + d["location"]).startswith(PENDING_ISSUE_12)]
            text = json.dumps(index, ensure_ascii=False)
        texts[relative] = text
    return texts


def test_no_word_of_the_demo_council_anywhere(built):
    found = {path: sorted(set(DEMO_WORDS.findall(text))) for path, text in _texts(built).items()}
    found = {path: words for path, words in found.items() if words}
    assert found == {}


def _page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_children_in_care_council_has_its_own_section(built):
    page = _page(built, "youth-voice")
    assert "<title>Youth Voice updates - Northby Corporate Parenting Committee</title>" in page
    assert "The Northby Youth Voice Council (Youth Voice) is the group" in _visible(page)
    assert "It reports to the Corporate Parenting Committee" in _visible(page)
    home = _page(built, "")
    assert re.search(r'<a href="youth-voice/"[^>]*>\s*Youth Voice updates\s*</a>', home), "navigation label"
    assert (built / "youth-voice/2025-02-youth-voice/index.html").is_file()
    assert (built / "young/youth-voice/2025-02-youth-voice/index.html").is_file()


def test_council_area_board_and_forum_are_named_where_readers_look(built):
    assert "The Corporate Parenting Committee is where Northby City Council checks" in _visible(_page(built, "about"))
    assert "care leavers in Northby have taken part in" in _visible(_page(built, "events"))
    offer = _visible(_page(built, "local-offer"))
    assert "What Northby City Council offers young people leaving its care, from 16 up to 26." in offer
    assert "through the Northby Care Leavers' Forum" in offer
    assert "Set by Northby City Council, not by law." in _visible(_page(built, "local-offer/money"))
    assert "Every meeting of the Corporate Parenting Committee on record" in _visible(_page(built, "meetings"))
    young = _page(built, "young")
    assert "<title>For young people in care - Northby: for young people in care</title>" in young
    assert "in care in Northby" in _visible(young)
    assert "through the Northby Care Leavers' Forum" in _visible(_page(built, "young/local-offer"))


def test_configured_age_bands_and_event_kinds(built):
    for band in ("16-18", "19-21", "22-25"):
        assert (built / f"young/local-offer/age-{band}/index.html").is_file(), band
    assert not (built / "young/local-offer/age-18-20").exists()
    assert "Kind: sports day." in _visible(_page(built, "events/2025-02-15-sports-day"))


def test_the_finder_follows_the_configured_upper_age(built):
    for edition in ("", "young/"):
        assert not (built / f"{edition}local-offer/for/21-25").exists(), edition
        later = _visible(_page(built, f"{edition}local-offer/for/21-26"))
        assert re.search(
            r"<h1[^>]*>What can I get at 21 to 26 if I have left care\?</h1>",
            _page(built, f"{edition}local-offer/for/21-26"),
        )
        assert "Ages 18 to 25" in later, "the setting-up-home grant (18 to 25) is listed"
        oldest = _page(built, f"{edition}local-offer/for/over-26")
        assert re.search(r"<h1[^>]*>What can I get over 26 if I was in care\?</h1>", oldest)
        assert "Ages 18 to 25" not in _visible(oldest)
        index = _page(built, f"{edition}local-offer")
        assert 'href="for/21-26/"' in index and 'href="for/over-26/"' in index and "for/over-25/" not in index
        assert "21 to 26, left care" in _visible(_page(built, f"{edition}local-offer/for/18-20")), "other groups"


def test_branding_and_theme_overrides_apply_file_by_file(built):
    home = _page(built, "")
    assert 'data-md-color-primary="custom"' in home
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', home)
    ours = [
        s
        for s in styles
        if "stylesheets/" in s and "main." not in s and "palette." not in s and not s.endswith("print.css")
    ]
    assert ours == [
        "assets/stylesheets/panelsite.css",
        "assets/stylesheets/panelsite-brand.css",
        "assets/stylesheets/northby.css",
    ]
    assert "--md-primary-fg-color: #1d4f91;" in (built / "assets/stylesheets/panelsite-brand.css").read_text()
    assert (built / "assets/stylesheets/panelsite.css").read_text() == (
        REPO / "theme/overrides/assets/stylesheets/panelsite.css"
    ).read_text(), "panelsite's styles are kept"
    assert 'src="assets/northby-logo.png"' in home and 'href="assets/northby-logo.png"' in home
    assert "Published by Northby City Council." in home, "the council's own partial replaces Material's"
    assert "panelsite.js" in home, "panelsite's own main.html is still used"
    assert "tell the Youth Voice team" in _visible(_page(built, "glossary")), "the council's own template"
    assert "young.css" in _page(built, "young")


def test_the_speak_up_page_lists_the_councils_own_routes_in_both_editions(built):
    for page in ("local-offer/speak-up/index.html", "young/local-offer/speak-up/index.html"):
        html = (built / page).read_text(encoding="utf-8")
        assert "Northby Leaving Care Team" in html, page
        assert 'href="tel:+441134960001"' in html, page


def test_kpi_pages_charts_and_csv_name_the_configured_comparators(built):
    page = (built / "performance" / "care-leavers-in-work-or-learning" / "index.html").read_text(encoding="utf-8")
    summary = unescape(re.sub(r"<[^>]+>", " ", page))
    assert "the core cities" in summary, "the summary names the comparator as configured"
    assert "Core cities" in page, "the benchmark list and table use its short label"
    chart = (built / "performance" / "charts" / "care-leavers-in-work-or-learning.svg").read_text(encoding="utf-8")
    assert "Core cities" in chart, "the chart's legend or label names it"
    csv = (built / "performance" / "data" / "care-leavers-in-work-or-learning.csv").read_text(encoding="utf-8")
    assert "Core cities" in csv and "North West" in csv
    scorecard = (built / "performance" / "index.html").read_text(encoding="utf-8")
    assert "Core cities:" in scorecard, "the scorecard's benchmark column is a configured comparator"


PANEL_WORD = re.compile(r"panel", re.I)
ALLOWED_PANELSITE = (
    # The project's own name, where only machines read it: file and folder names of its assets,
    # CSS classes, the `<generator>` of an Atom feed, the calendar's PRODID and the edition marker.
    re.compile(r"panelsite[\w.-]*"),
    # The statutory complaints procedure's "review panel" (Children Act 1989 s.26) is another body.
    re.compile(r"\breview panel\b"),
)


def _panel_words(text: str) -> list[str]:
    for allowed in ALLOWED_PANELSITE:
        text = allowed.sub("", text)
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in PANEL_WORD.finditer(text)]


def test_a_committee_is_never_called_a_panel(built):
    """The council's body is the 'Corporate Parenting Committee': no page of either edition, feed,
    calendar, search index, CSV or chart says 'Panel', in the navigation, headings, titles or text.
    'panelsite' (the generator's name) may appear only where no reader sees it (asset names, CSS
    classes, the feed's <generator>, the calendar's PRODID); Material's own bundles are left out."""
    found = {}
    for path, text in _texts(built).items():
        if path.startswith("assets/") and "/javascripts/bundle." in f"/{path}" or "assets/stylesheets/main." in path:
            continue
        if path.endswith((".js", ".css")) and "panelsite" in path:
            continue  # panelsite's own scripts and stylesheets: code and comments, never shown
        words = _panel_words(text)
        if words:
            found[path] = words[:3]
    assert found == {}
    meetings = _page(built, "meetings")
    assert re.search(r'<a href="meetings/"[^>]*>\s*Committee meetings\s*</a>', _page(built, "")), "navigation"
    assert "<h1" in meetings and "Committee meetings</h1>" in meetings
    assert "Committee meeting, 12 March 2025</h1>" in _page(built, "meetings/2025-03-12")
    assert "Follow the Committee</h1>" in _page(built, "follow")
    feed = (built / "feeds/meetings.xml").read_text(encoding="utf-8")
    assert "<title>Corporate Parenting Committee: Committee meetings</title>" in feed
    assert "<title>Committee meeting, 12 March 2025</title>" in feed
    assert "X-WR-CALNAME:Corporate Parenting Committee meetings" in (built / "feeds/meetings.ics").read_text()


def test_a_placeholder_site_url_is_never_shown(built):
    """site_url is https://example.org/northby/, a reserved example domain: no canonical link,
    sitemap address, feed or calendar link, printed footer or statement shows it. (Contacts'
    own web addresses in the fixture are data, shown as given, so only the bare site address is sought.)"""
    placeholder = re.compile(r"https?://example\.org/northby/(?!children|leaving-care)")
    found = {p: placeholder.findall(t)[:2] for p, t in _texts(built).items() if placeholder.search(t)}
    assert found == {}
    home = _page(built, "")
    assert 'rel="canonical"' not in home
    feed = (built / "feeds/meetings.xml").read_text(encoding="utf-8")
    assert "<id>urn:uuid:" in feed and 'href="../meetings/2025-03-12/"' in feed
