"""The demo in a real browser: every page of both editions swept (axe, outside requests, cookies,
reflow at 320 px), the scorecard at 1280 px, printed pages, and a young page's first visit.

Split from `tests/test_browser.py` (which keeps the fixture's checks and the shared helpers) so that
the two long browser modules run on different test workers; the demo is conftest's `repo_demo_build`,
built once for the session.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.conftest import Build
from tests.test_browser import (
    DEMO_VIEWS,
    EDITIONS,
    NARROW,
    WIDE,
    Served,
    Sweeps,
    assert_no_violations,
    assert_private,
    assert_reflow,
    is_local,
    launched_chromium,
    new_context,
    open_page,
    serve,
    sweep_all,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launched_chromium()


@pytest.fixture(scope="module")
def demo_site(repo_demo_build: Build) -> Iterator[Served]:
    """The demo as conftest's `repo_demo_build` built it once for the session (the repository's own
    configuration, into a temporary folder; the session fails there, with the build's problems, when
    data/ does not build), served."""
    yield from serve(repo_demo_build.site)


@pytest.fixture(scope="module")
def demo_sweeps(browser: Browser, demo_site: Served) -> Sweeps:
    return sweep_all(browser, demo_site, DEMO_VIEWS)


@pytest.mark.parametrize("edition", EDITIONS)
def test_demo_pages_have_no_axe_violations(demo_sweeps, edition):
    assert_no_violations(demo_sweeps, edition)


@pytest.mark.parametrize("edition", EDITIONS)
def test_demo_pages_make_no_outside_requests_and_set_no_cookies(demo_sweeps, edition):
    assert_private(demo_sweeps, edition)


@pytest.mark.parametrize("edition", EDITIONS)
def test_demo_pages_do_not_scroll_sideways_at_320px(demo_sweeps, edition):
    assert_reflow(demo_sweeps, edition)


RUN_TOGETHER = """() => {
  const found = [];
  const rects = [];
  document.querySelectorAll(".ps-scorecard tbody tr").forEach((row, r) => {
    Array.from(row.children).forEach((cell, c) => {
      if (cell.scrollWidth > cell.clientWidth + 1) found.push(`row ${r} cell ${c} overflows its cell`);
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const box of range.getClientRects()) rects.push({r, c, text: node.textContent.trim(), box});
      }
    });
  });
  for (const a of rects) for (const b of rects) {
    if (a.r !== b.r || a.c >= b.c) continue;
    const sameLine = a.box.top < b.box.bottom - 2 && b.box.top < a.box.bottom - 2;
    const gap = Math.max(b.box.left - a.box.right, a.box.left - b.box.right);
    if (sameLine && gap < 8) found.push(`'${a.text}' and '${b.text}' are ${gap.toFixed(1)}px apart`);
  }
  document.querySelectorAll(".ps-scorecard td .ps-value").forEach(value => {
    const period = value.parentElement.querySelector(".ps-period");
    if (!period) return;
    const a = value.getBoundingClientRect(), b = period.getBoundingClientRect();
    if (a.top < b.bottom - 2 && b.top < a.bottom - 2 && b.left - a.right < 4)
      found.push(`'${value.textContent}' runs into '${period.textContent}'`);
  });
  return found;
}"""


def test_demo_scorecard_shows_no_two_values_run_together_at_1280px(browser, demo_site):
    """Issue 12: at 1280 px the scorecard is a readable table, every value apart from its neighbours."""
    context = new_context(browser, view=WIDE)
    try:
        page = context.new_page()
        open_page(page, demo_site.base + "performance/")
        assert page.locator(".ps-scorecard tbody tr").count() >= 30
        width = page.evaluate("() => document.querySelector('.ps-scorecard').getBoundingClientRect().width")
        assert width >= 900, f"the scorecard is only {width:.0f}px wide at 1280px"
        found = page.evaluate(RUN_TOGETHER)
        assert "Data as at 31 December 2022" in page.inner_text("article")
    finally:
        context.close()
    assert not found, "\n".join(found[:20])


# ---- Print (issue 14): A4 PDFs from Chromium, page counts, no heading left at the foot of a page ----

PRINT_LIMITS = {
    # The KPI page the issue measured (13 values; it took 8 pages before the print stylesheet).
    "performance/care-leavers-in-education-employment-training/": 3,
    # The richest KPI page: 29 values with notes and seven charts.
    "performance/children-looked-after/": 4,
    "meetings/2023-03-28-pack/": 4,
}
HEADINGS = """() => Array.from(document.querySelectorAll(
  '.md-content h1, .md-content h2, .md-content h3, .md-content h4, .md-content caption, .ps-list-heading,'
  + ' .md-content thead tr')).map(e => e.innerText.replace(/\\s+/g, ' ').trim()).filter(t => t)"""


def printed(browser: Browser, url: str) -> tuple[list[list[str]], list[str]]:
    """The text lines of each printed A4 page (margin boxes left out) and the page's headings."""
    import io

    from pypdf import PdfReader

    context = new_context(browser)
    try:
        page = context.new_page()
        open_page(page, url)
        headings = page.evaluate(HEADINGS)
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        context.close()
    pages = []
    for sheet in PdfReader(io.BytesIO(pdf)).pages:
        lines = [" ".join(line.split()) for line in sheet.extract_text().splitlines()]
        pages.append([line for line in lines if line and not line.startswith("Page ")])
    return pages, headings


def ends_with_heading(lines: list[str], headings: list[str]) -> str | None:
    last = lines[-1] if lines else ""
    for heading in headings:
        if heading == last or (len(last) >= 4 and heading.endswith(last)):
            return heading
    return None


@pytest.mark.parametrize("path", list(PRINT_LIMITS))
def test_printed_pages_fit_and_no_page_ends_with_a_heading(browser, demo_site, path):
    pages, headings = printed(browser, demo_site.base + path)
    assert headings, "the page has headings to check"
    assert 1 <= len(pages) <= PRINT_LIMITS[path], f"{path} prints on {len(pages)} A4 pages"
    stranded = [(n, h) for n, lines in enumerate(pages[:-1], start=1) if (h := ends_with_heading(lines, headings))]
    assert not stranded, f"{path}: pages ending with a heading: {stranded}"


def test_printed_pages_carry_page_numbers_and_the_address(browser, demo_site):
    import io

    from pypdf import PdfReader

    context = new_context(browser)
    try:
        page = context.new_page()
        open_page(page, demo_site.base + "meetings/2023-03-28-pack/")
        title_colour = page.evaluate(
            "() => { const h = document.querySelector('.md-content h1');"
            " window.matchMedia; return h ? h.innerText : ''; }"
        )
        page.emulate_media(media="print")
        colour = page.evaluate("() => getComputedStyle(document.querySelector('.md-content h1')).color")
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        context.close()
    sheets = PdfReader(io.BytesIO(pdf)).pages
    assert title_colour == "Meeting pack, 28 March 2023"
    assert colour == "rgb(0, 0, 0)", "the title prints black, not light grey"
    for number, sheet in enumerate(sheets, start=1):
        text = sheet.extract_text()
        assert f"Page {number} of {len(sheets)}" in text
        assert "meetings/2023-03-28-pack/" in text and "example.org" not in text, "no placeholder address"


def test_the_heading_check_catches_a_heading_left_at_a_page_foot():
    headings = ["Recommendations:", "6. Independent Reviewing Service annual report 2021/22"]
    assert ends_with_heading(["Some text.", "Recommendations:"], headings) == "Recommendations:"
    assert ends_with_heading(["6. Independent Reviewing Service", "annual report 2021/22"], headings)
    assert ends_with_heading(["Recommendations:", "1. Receive the report."], headings) is None


FIRST_VISIT_MAX_GZIP = 100_000  # bytes: a young page on a phone with little data
HEAVIEST_YOUNG_PAGE = "young/performance/children-looked-after/"  # a KPI page: text, chart and table


def test_young_page_first_visit_is_light_and_search_loads_on_demand(browser, demo_site):
    """Everything a first visit fetches, each body gzipped (level 6, as web servers send it), adds up
    to at most 100 KB; the search index and worker come only once the reader opens search."""
    context = new_context(browser, view=NARROW)
    fetched: dict[str, int] = {}

    def record(response) -> None:
        if is_local(response.url) and response.url.startswith("http"):
            try:
                fetched[response.url] = len(gzip.compress(response.body(), 6))
            except Exception:  # a body the browser gave up (a redirect, an aborted request)
                fetched.setdefault(response.url, 0)

    context.on("response", record)
    try:
        page = context.new_page()
        open_page(page, demo_site.base + HEAVIEST_YOUNG_PAGE)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1000)
        first_visit = dict(fetched)
        total = sum(first_visit.values())
        listing = "\n".join(f"{size:>8} {url}" for url, size in sorted(first_visit.items(), key=lambda i: -i[1]))
        assert any(url.endswith(".svg") for url in first_visit), "the page's chart should be part of the visit"
        assert not [u for u in first_visit if "search_index" in u or "workers/search" in u], listing
        assert total <= FIRST_VISIT_MAX_GZIP, f"first visit is {total} bytes gzipped:\n{listing}"
        page.click("label[for='__search']")  # the search icon, as a reader on a phone taps it
        page.keyboard.type("care")
        page.wait_for_selector(".md-search-result__item", state="attached", timeout=20_000)
        assert any("search_index.json" in url for url in fetched), "search should fetch its index when opened"
    finally:
        context.close()
