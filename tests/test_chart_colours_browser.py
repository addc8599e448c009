"""A chart is one SVG per layout that follows the page's colour scheme in a real browser (issue 26).

The fixture project is built once and served; each KPI page's chart is read back from the rendered
pixels in headless Chromium: its background (the commonest colour) and its area's line colour must be
the light palette's on a light page and the dark palette's on a dark one, whether the page is dark
because of the system setting or because the reader pressed Material's palette toggle, both ways.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Page

from generator.charts.style import DARK, LIGHT, Scheme
from generator.cli import main
from tests.conftest import copy_fixture
from tests.test_browser import Served, View, browser, new_context, open_page, serve  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chart_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = copy_fixture(tmp_path_factory.mktemp("chart-colours") / "project")
    assert main(["--config", str(root / "site_config.yml"), "build"]) == 0, "the fixture project does not build"
    yield from serve(root / "site")


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return r, g, b


def _kpi_page(site: Served, edition: str) -> str:
    pages = [u for u in site.pages(edition) if "/performance/" in u and not u.endswith("/performance/")]
    assert pages, f"the fixture has no KPI page in the {edition} edition"
    return pages[0]


def _chart_scheme(page: Page) -> str:
    """'light' or 'dark': which palette the page's first chart shows, read from its pixels."""
    chart = page.locator(".ps-chart img").first
    chart.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.querySelectorAll('.ps-chart img')].every(i => i.complete)")
    page.wait_for_timeout(150)  # the image is restyled on the next frame
    image = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    counts = image.getcolors(image.width * image.height) or []
    background = max(counts)[1]
    colours = {colour for _, colour in counts}

    def shows(scheme: Scheme) -> bool:
        return background == _rgb(scheme.background) and _rgb(scheme.palette[0]) in colours

    assert shows(LIGHT) != shows(DARK), f"the chart shows neither palette whole (background {background})"
    return "light" if shows(LIGHT) else "dark"


def _page_scheme(page: Page) -> str:
    scheme = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    return {"default": "light", "slate": "dark"}[scheme]


def _toggle(page: Page) -> None:
    """Press Material's palette toggle (the visible one of its labels in the header)."""
    before = _page_scheme(page)
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(
        "(before) => document.body.getAttribute('data-md-color-scheme') !== before",
        arg={"light": "default", "dark": "slate"}[before],
    )


@pytest.mark.parametrize("edition", ["standard", "young"])
@pytest.mark.parametrize("system", ["light", "dark"])
def test_the_chart_follows_the_system_setting_and_materials_toggle_both_ways(browser, chart_site, edition, system):  # noqa: F811
    context = new_context(browser, view=View(system, 1280, 800))
    try:
        page = context.new_page()
        open_page(page, _kpi_page(chart_site, edition))
        assert page.locator(".ps-chart").first.locator("img").count() == 1, "one drawing per chart, not one per scheme"
        assert _page_scheme(page) == system, "Material starts from the system setting"
        assert _chart_scheme(page) == system
        other = "dark" if system == "light" else "light"
        _toggle(page)
        assert _page_scheme(page) == other
        assert _chart_scheme(page) == other, "the chart follows Material's toggle"
        _toggle(page)
        assert _page_scheme(page) == system
        assert _chart_scheme(page) == system, "and follows it back"
    finally:
        context.close()


def test_the_narrow_drawing_follows_the_toggle_too(browser, chart_site):  # noqa: F811
    context = new_context(browser, view=View("light", 320, 640))
    try:
        page = context.new_page()
        open_page(page, _kpi_page(chart_site, "standard"))
        assert page.evaluate("() => document.querySelector('.ps-chart img').currentSrc").endswith("-narrow.svg")
        assert _chart_scheme(page) == "light"
        _toggle(page)
        assert _chart_scheme(page) == "dark"
    finally:
        context.close()
