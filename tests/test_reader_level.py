"""The reader's view of every HTML page of both editions: demo, fixture, adversarial fixture, second council.

Structure tests passed while readers met `child&#x27;s`, leaked front matter and raw Markdown.
These tests read each built page as a browser shows it (`tests/reader_view.py`): the visible
text, navigation, contents list, readable attributes and search index must hold no character
reference, backslash escape, Markdown, template syntax or front-matter key, and every page's
`<title>` must begin with its own heading. The adversarial fixture's texts hold every awkward
character; they must come out exactly as written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import REPO, Build
from tests.reader_view import attribute_names, html_pages, leaks, read_page, search_texts

pytestmark = pytest.mark.slow  # reads every page of four full builds, the demo's among them

ADVERSARIAL = REPO / "tests" / "fixtures" / "adversarial"
# The awkward texts written into tests/fixtures/adversarial (see its README).
PROBE = (
    'It\'s "ours" & yours: #1 *star* _under_ {curly} [x](y) a < b, 50% 🎉 \\ {{ nope }} {% nope %} '
    "&amp; ~tilde~ | pipe { onmouseover=alert(1) }"
)
YOUNG_PROBE = 'It\'s "ours" & yours: #1 *yes* _ok_ {fine} a < b 🎉.'
ENTITLEMENT_TITLE = 'Money {#x} & "help": it\'s yours'
WRITTEN = (PROBE, YOUNG_PROBE, ENTITLEMENT_TITLE)
SITES = {
    "demo": REPO / "site_config.yml",
    "fixture": REPO / "tests" / "fixtures" / "site" / "site_config.yml",
    "adversarial": ADVERSARIAL / "site_config.yml",
    "second council": REPO / "tests" / "fixtures" / "second-council" / "site_config.yml",
}
# Where the adversarial fixture shows each probe: (page, text the page must show exactly).
SHOWN = [
    ("events/2017-05-11-thank-you/index.html", PROBE),
    ("lac-council/2017-06-lac-council/index.html", PROBE),
    ("performance/children-looked-after/index.html", PROBE),
    ("glossary/index.html", PROBE),
    ("pledge/index.html", PROBE),
    ("meetings/2017-07-18/index.html", PROBE),
    ("local-offer/money/index.html", PROBE),
    ("young/events/2017-05-11-thank-you/index.html", YOUNG_PROBE),
    ("young/lac-council/2017-06-lac-council/index.html", YOUNG_PROBE),
    ("young/glossary/index.html", YOUNG_PROBE),
]
TITLES = [
    ("events/2017-05-11-thank-you/index.html", '"Thank you": it\'s ours & yours #1'),
    ("lac-council/2017-06-lac-council/index.html", 'Update: "ours" & it\'s #1 *now* {curly}'),
    ("performance/children-looked-after/index.html", '"Children" in care: it\'s #1 & < rising *now*'),
    ("index.html", '"Awkward" home: it\'s #1 & ours'),
    ("notes/index.html", 'Notes: "ours" & it\'s #1'),
]


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
    repo_demo_build: Build,
    fixture_build: Build,
    second_council_build: Build,
) -> dict[str, Path]:
    """Each data set built once, strictly, in both editions: the demo, the fixture and the second
    council as conftest builds them once for the session, the adversarial fixture here."""
    sites = {"demo": repo_demo_build.site, "fixture": fixture_build.site, "second council": second_council_build.site}
    site = tmp_path_factory.mktemp("reader-adversarial") / "site"
    config = SITES["adversarial"]
    assert main(["--config", str(config), "build", "--site-dir", str(site)]) == 0, "adversarial did not build"
    sites["adversarial"] = site
    assert sites.keys() == SITES.keys()
    return sites


@pytest.mark.parametrize("name", SITES)
def test_no_page_shows_markup_entities_or_front_matter(built: dict[str, Path], name: str) -> None:
    site = built[name]
    allowed = WRITTEN if name == "adversarial" else ()
    problems = []
    pages = html_pages(site)
    assert len(pages) > 10
    for page in pages:
        view = read_page(page.read_text(encoding="utf-8"))
        where = page.relative_to(site).as_posix()
        for text in [view.title, view.text, *view.attributes]:
            problems += [f"{where}: {leak}" for leak in leaks(text, allowed)]
    for where, text in search_texts(site):
        problems += [f"{where}: {leak}" for leak in leaks(text, allowed)]
    assert not problems, f"{len(problems)} leaks, first 20:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("name", SITES)
def test_every_title_begins_with_its_heading(built: dict[str, Path], name: str) -> None:
    site = built[name]
    wrong = []
    for page in html_pages(site):
        view = read_page(page.read_text(encoding="utf-8"))
        if not view.h1 or not (view.title == view.h1 or view.title.startswith(f"{view.h1} - ")):
            wrong.append(f"{page.relative_to(site)}: <title> {view.title!r}, heading {view.h1!r}")
    assert not wrong, "\n".join(wrong[:20])


@pytest.mark.parametrize(("page", "text"), SHOWN)
def test_awkward_text_is_shown_exactly_as_written(built: dict[str, Path], page: str, text: str) -> None:
    view = read_page((built["adversarial"] / page).read_text(encoding="utf-8"))
    assert text in view.blocks or any(text in block for block in view.blocks), f"{page} does not show {text!r}"


@pytest.mark.parametrize(("page", "heading"), TITLES)
def test_awkward_titles_are_the_heading_title_and_nav_label(built: dict[str, Path], page: str, heading: str) -> None:
    view = read_page((built["adversarial"] / page).read_text(encoding="utf-8"))
    assert view.h1 == heading
    assert view.title.startswith(f"{heading} - ")
    home = read_page((built["adversarial"] / "index.html").read_text(encoding="utf-8"))
    if "/" in page.removesuffix("/index.html") or page == "notes/index.html":
        return
    assert heading in home.blocks


def test_plain_text_never_becomes_an_attribute_or_element(built: dict[str, Path]) -> None:
    """`{ onmouseover=alert(1) }` in a title or text stays text: no element gains the attribute."""
    for page in html_pages(built["adversarial"]):
        names = attribute_names(page.read_text(encoding="utf-8"))
        assert "onmouseover" not in names, page
        assert "curly" not in names, page


def test_search_index_holds_the_awkward_text_as_written(built: dict[str, Path]) -> None:
    texts = [text for _, text in search_texts(built["adversarial"])]
    assert any(PROBE in text for text in texts)


def test_the_fixture_holds_the_probes() -> None:
    """The constants above and the fixture's files must not drift apart."""
    event = (ADVERSARIAL / "data" / "events" / "2017-05-11-thank-you.yml").read_text(encoding="utf-8")
    assert "{{ nope }}" in event and "onmouseover" in event
