"""Accessibility proved in a real browser: every page of both editions in headless Chromium.

The fixture project and the demo project are each built once per session (conftest) and served over
HTTP on 127.0.0.1 from a background thread. Checks that visit every page drive one Chromium through
Playwright's async API on a thread of its own (`Tabs`), several pages at once, so the browser works
while one page waits for a frame or a load; the tests of one page drive a second Chromium through the
sync API. Every HTML page
(404.html aside) is opened in several views (light and dark colour scheme; 1280 and 320 CSS pixels
wide, 320 being 1280 at 400% zoom) and checked with axe-core against WCAG 2.0, 2.1 and 2.2 A and AA;
every request to another host is blocked and counted, no cookie may be set, and no page may scroll
sideways at 320 pixels (tables scroll inside their own `.ps-table-wrap`). The fixture is also checked
for keyboard use (skip link, visible and unobscured focus on every focus stop, the menu button on
narrow screens), for axe violations with search open, and for the young edition's body text size.

Chromium must be installed (`make test` installs it): when it is missing these tests fail with a
message saying so; they never skip. The demo tests fail while `data/` does not build.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import gzip
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from playwright.async_api import Browser as AsyncBrowser
from playwright.async_api import BrowserContext as AsyncContext
from playwright.async_api import Page as AsyncPage
from playwright.async_api import Route as AsyncRoute
from playwright.async_api import async_playwright
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from generator.pdf_packs import CHROMIUM_ARGS
from tests.conftest import Build

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
EDITIONS = ("standard", "young")
LOCAL_HOST = "127.0.0.1"
YOUNG_BODY_MIN_PX = 18.0
MAX_TAB_STOPS = 200
TABS = 4  # pages a check over every page has open at once, each in a browser context of its own
T = TypeVar("T")


@dataclass(frozen=True)
class View:
    scheme: str  # the emulated prefers-color-scheme: Material follows it (light "default", dark "slate")
    width: int
    height: int

    @property
    def name(self) -> str:
        return f"{self.scheme}, {self.width}px"

    @property
    def narrow(self) -> bool:
        return self.width <= 320


WIDE = View("light", 1280, 800)
NARROW = View("light", 320, 256)  # WCAG 1.4.10 reflow: 1280 x 1024 at 400% zoom
FIXTURE_VIEWS = (WIDE, View("dark", 1280, 800), NARROW, View("dark", 320, 256))
DEMO_VIEWS = (WIDE, View("dark", 1280, 800), NARROW)

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, targets: v.nodes.map(n => n.target.join(" "))}));
}"""

OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth + 1) return null;
  const wide = Array.from(document.querySelectorAll("body *"))
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1 && !el.closest(".ps-table-wrap"))
    .slice(-4).map(el => el.tagName.toLowerCase() + (typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\\s+/).join(".") : ""));
  return `document is ${root.scrollWidth}px wide in a ${root.clientWidth}px viewport; sticking out: ${wide}`;
}"""

# The focused element once the page has finished reacting to the key, and as it stays: can it be seen
# (its own box, or for Material's hidden radio and checkbox inputs the visible label beside them),
# does it show a focus ring (outline or box-shadow), and is it on top where it is drawn (not
# off-screen or under the header)? Reacting can take a timer: Material opens the search box from a
# focus handler 1 ms later (before that, at 320 px, the box lies under its icon), so each look waits
# for a timer queued after the key's, two frames and every animation, and looks are taken again until
# two agree.
FOCUS_STATE = """async () => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const label = el.matches("input.md-option, input.md-toggle")
    ? [el.nextElementSibling, ...(el.labels || [])].find(n => n && n.tagName === "LABEL" && n.getClientRects().length)
    : null;
  const shown = label || el;
  const frame = () => new Promise(done => requestAnimationFrame(() => done()));
  const settle = async () => {
    await new Promise(done => setTimeout(done, 2));  // runs after the shorter timers queued before it
    await frame();
    await frame();  // styles and layout have caught up with what the scripts did
    const finished = Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
    await Promise.race([finished, new Promise(done => setTimeout(done, 1000))]);
  };
  const ring = (node) => {
    const s = getComputedStyle(node);
    return (s.outlineStyle !== "none" && (s.outlineStyle === "auto" || parseFloat(s.outlineWidth) > 0))
      || (s.boxShadow !== "none" && s.boxShadow !== "");
  };
  const look = () => {
    const box = shown.getClientRects()[0];
    const s = getComputedStyle(shown);
    const visible = !!box && box.width > 0 && box.height > 0 && s.visibility !== "hidden" && parseFloat(s.opacity) > 0;
    let onTop = false, covered = null;
    if (visible) {
      // the middle of the part inside the viewport: a big element may be partly scrolled away,
      // but some of it must show (WCAG 2.4.11, focus not obscured)
      const left = Math.max(box.left, 0), right = Math.min(box.right, innerWidth);
      const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, innerHeight);
      const hit = right > left && bottom > top
        ? document.elementFromPoint((left + right) / 2, (top + bottom) / 2) : null;
      onTop = !!hit && (shown.contains(hit) || hit.contains(shown) || el.contains(hit));
      if (!onTop) covered = hit ? `${hit.tagName.toLowerCase()} class='${hit.className}'` : "off-screen";
    }
    const main = document.querySelector("article.md-content__inner");
    return {
      tag: el.tagName.toLowerCase(),
      cls: typeof el.className === "string" ? el.className.replace("focus-visible", "").trim() : "",
      text: (el.getAttribute("aria-label") || el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40),
      href: el.getAttribute("href"),
      visible, onTop, covered,
      ring: ring(el) || (label ? ring(label) : false),
      inMain: !!(main && main.contains(el)),
      // after the start of the main content in document order (the header and menus come before it)
      afterMain: !!(main
        && (main.contains(el) || (main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING))),
      box: box ? [box.left, box.top, box.width, box.height].map(Math.round) : null,
    };
  };
  await settle();
  let state = look();
  for (let again = 0; again < 10; again++) {  // until two looks agree: nothing is moving any more
    await settle();
    const next = look();
    if (JSON.stringify(next) === JSON.stringify(state)) break;
    state = next;
  }
  return state;
}"""


# ---------------------------------------------------------------- serving and the browser


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Served:
    """A built site, served over HTTP: `base` ends with a slash."""

    folder: Path
    base: str

    def pages(self, edition: str) -> list[str]:
        """The URL of every HTML page of one edition (404.html aside), sorted."""
        urls = []
        for path in sorted(self.folder.rglob("*.html")):
            relative = path.relative_to(self.folder).as_posix()
            if path.name == "404.html" or relative.startswith("young/") != (edition == "young"):
                continue
            urls.append(self.base + relative.removesuffix("index.html"))
        return urls


def serve(folder: Path) -> Iterator[Served]:
    server = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, name=f"http {folder}", daemon=True)
    thread.start()
    try:
        yield Served(folder, f"http://{LOCAL_HOST}:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def chromium_problem() -> str | None:
    if CHROMIUM.is_file():
        return None
    return (
        f"Chromium is missing: expected {CHROMIUM}. Install Debian's chromium package "
        "(`make browser-deps`, which `make test` runs; it needs root and apt-get)."
    )


def launched_chromium() -> Iterator[Browser]:
    """Debian's Chromium, launched headless for one module (failing, never skipping, when missing)."""
    problem = chromium_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launched_chromium()


class Tabs:
    """Debian's Chromium driven through Playwright's async API on a thread of its own, for checks that
    visit many pages: a test hands it a coroutine and waits for the result (`run`), and the coroutine
    keeps several pages busy at once (`each_page`, `sweep_all`). The sync API stays on the test's
    thread, for the `browser` fixture; Playwright allows one instance of it per thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="chromium tabs", daemon=True)
        self.thread.start()
        self.playwright = self.run(async_playwright().start())
        self.browser: AsyncBrowser = self.run(
            self.playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        )

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        """Run `work` on the browser's thread and return what it returns (or raise what it raises)."""
        future: concurrent.futures.Future[T] = asyncio.run_coroutine_threadsafe(work, self.loop)
        return future.result()

    def close(self) -> None:
        try:
            self.run(self.browser.close())
            self.run(self.playwright.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=30)
            self.loop.close()


@pytest.fixture(scope="module")
def tabs() -> Iterator[Tabs]:
    problem = chromium_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    launched = Tabs()
    try:
        yield launched
    finally:
        launched.close()


@pytest.fixture(scope="module")
def fixture_site(fixture_build: Build) -> Iterator[Served]:
    """The fixture project as conftest's `fixture_build` built it once for the session, served."""
    yield from serve(fixture_build.site)


@pytest.fixture(scope="module")
def demo_site(repo_demo_build: Build) -> Iterator[Served]:
    """The demo as conftest's `repo_demo_build` built it once for the session (the repository's own
    configuration, into a temporary folder; the session fails there, with the build's problems, when
    data/ does not build), served."""
    yield from serve(repo_demo_build.site)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == LOCAL_HOST


def context_options(view: View, reduced_motion: bool) -> dict[str, Any]:
    """A new context's colour scheme, viewport and motion preference.

    Keyboard tests ask for reduced motion: the theme then drops its transitions, so each focus stop
    can be judged at once in its final state instead of after every fade.
    """
    return {
        "color_scheme": view.scheme,
        "viewport": {"width": view.width, "height": view.height},
        "reduced_motion": "reduce" if reduced_motion else "no-preference",
    }


def new_context(
    browser: Browser, blocked: list[str] | None = None, view: View = WIDE, reduced_motion: bool = False
) -> BrowserContext:
    """A fresh context in which every request to another host is aborted (and recorded in `blocked`)."""
    blocked = [] if blocked is None else blocked
    context = browser.new_context(**context_options(view, reduced_motion))

    def gate(route: Route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    # Requests the router may not see (from workers, for instance) are recorded too.
    context.on("request", lambda request: None if is_local(request.url) else blocked.append(request.url))
    return context


async def new_async_context(
    browser: AsyncBrowser, blocked: list[str] | None = None, view: View = WIDE, reduced_motion: bool = False
) -> AsyncContext:
    """`new_context` for the async API (`Tabs`): other hosts are blocked and recorded the same way."""
    blocked = [] if blocked is None else blocked
    context = await browser.new_context(**context_options(view, reduced_motion))

    async def gate(route: AsyncRoute) -> None:
        if is_local(route.request.url):
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort()

    await context.route("**/*", gate)
    context.on("request", lambda request: None if is_local(request.url) else blocked.append(request.url))
    return context


def open_page(page: Page, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response.status if response else 'no response'}"


async def open_tab(page: AsyncPage, url: str) -> None:
    """`open_page` for the async API."""
    response = await page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response.status if response else 'no response'}"


async def each_page(
    browser: AsyncBrowser,
    urls: list[str],
    check: Callable[[AsyncPage, str], Awaitable[list[str]]],
    view: View,
    reduced_motion: bool = False,
) -> list[str]:
    """Open every URL and `check` it, `TABS` pages at a time, each tab in a fresh context of its own
    (Chromium slows the frames of a context's other pages to one a second while one takes keys);
    what the checks report, in the order of `urls`."""
    waiting = list(enumerate(urls))
    found: dict[int, list[str]] = {}

    async def tab() -> None:
        context = await new_async_context(browser, view=view, reduced_motion=reduced_motion)
        try:
            page = await context.new_page()
            while waiting:
                number, url = waiting.pop(0)
                await open_tab(page, url)
                found[number] = await check(page, url)
        finally:
            await context.close()

    await asyncio.gather(*(tab() for _ in range(min(TABS, len(urls)))))
    return [problem for number in sorted(found) for problem in found[number]]


def run_axe(page: Page) -> list[dict]:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(RUN_AXE, AXE_TAGS)


def format_violations(url: str, found: list[dict]) -> list[str]:
    lines = [url]
    for v in found:
        targets = v["targets"]
        more = f" (+{len(targets) - 4} more)" if len(targets) > 4 else ""
        lines.append(f"  {v['id']}: {', '.join(targets[:4])}{more}")
    return lines


# ---------------------------------------------------------------- one sweep per edition and view


@dataclass
class Sweep:
    """What one pass over every page of one edition, in one view, found."""

    view: View
    pages: list[str] = field(default_factory=list)
    violations: dict[str, list[dict]] = field(default_factory=dict)  # url -> [{id, targets}]
    outside: dict[str, list[str]] = field(default_factory=dict)  # url -> blocked request URLs
    overflow: dict[str, str] = field(default_factory=dict)  # url -> what sticks out (narrow views)
    cookies: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def violation_nodes(self) -> int:
        return sum(len(v["targets"]) for found in self.violations.values() for v in found)

    def summary(self, edition: str) -> str:
        rules = sum(len(found) for found in self.violations.values())
        return (
            f"{edition} edition [{self.view.name}]: {len(self.pages)} pages, {rules} axe rule failures "
            f"({self.violation_nodes} elements) on {len(self.violations)} pages, "
            f"{sum(len(u) for u in self.outside.values())} outside requests, {len(self.cookies)} cookies, "
            f"{len(self.overflow)} pages scrolling sideways, {self.seconds:.1f} s"
        )


async def sweep(browser: AsyncBrowser, site: Served, edition: str, view: View) -> Sweep:
    """Every page of one edition in one view, one after another in one context of its own (its
    blocked requests and cookies are that pass's); axe-core is in each page before its scripts run."""
    started = time.perf_counter()
    result = Sweep(view, pages=site.pages(edition))
    blocked: list[str] = []
    context = await new_async_context(browser, blocked, view)
    try:
        await context.add_init_script(path=AXE_JS)
        page = await context.new_page()
        for url in result.pages:
            blocked.clear()
            await open_tab(page, url)
            found = await page.evaluate(RUN_AXE, AXE_TAGS)
            if found:
                result.violations[url] = found
            if view.narrow and (overflow := await page.evaluate(OVERFLOW)):
                result.overflow[url] = overflow
            if blocked:
                result.outside[url] = sorted(set(blocked))
        result.cookies = list(await context.cookies())
    finally:
        await context.close()
    result.seconds = time.perf_counter() - started
    return result


Sweeps = dict[tuple[str, View], Sweep]


async def sweep_all(browser: AsyncBrowser, site: Served, views: tuple[View, ...]) -> Sweeps:
    """Each edition in each view, all the passes at once (each in its own context)."""
    keys = [(edition, view) for edition in EDITIONS for view in views]
    done = await asyncio.gather(*(sweep(browser, site, edition, view) for edition, view in keys))
    found = dict(zip(keys, done, strict=True))
    for (edition, _), s in found.items():
        print(s.summary(edition))
    return found


@pytest.fixture(scope="module")
def fixture_sweeps(tabs: Tabs, fixture_site: Served) -> Sweeps:
    return tabs.run(sweep_all(tabs.browser, fixture_site, FIXTURE_VIEWS))


@pytest.fixture(scope="module")
def demo_sweeps(tabs: Tabs, demo_site: Served) -> Sweeps:
    return tabs.run(sweep_all(tabs.browser, demo_site, DEMO_VIEWS))


def of_edition(found: Sweeps, edition: str) -> list[Sweep]:
    sweeps = [s for (e, _), s in found.items() if e == edition]
    assert sweeps and all(s.pages for s in sweeps), f"no HTML pages found for the {edition} edition"
    return sweeps


def assert_no_violations(found: Sweeps, edition: str) -> None:
    report = []
    for s in of_edition(found, edition):
        if s.violations:
            report.append(f"[{s.view.name}] axe violations on {len(s.violations)} of {len(s.pages)} pages:")
            for url, violations in s.violations.items():
                report.extend(format_violations(url, violations))
    assert not report, "\n".join(report)


def assert_private(found: Sweeps, edition: str) -> None:
    for s in of_edition(found, edition):
        outside = "\n".join(f"{url}\n  " + "\n  ".join(requests) for url, requests in s.outside.items())
        assert not s.outside, f"[{s.view.name}] requests to other hosts (blocked):\n{outside}"
        assert s.cookies == [], f"[{s.view.name}] cookies were set: {s.cookies}"


def assert_reflow(found: Sweeps, edition: str) -> None:
    narrow = [s for s in of_edition(found, edition) if s.view.narrow]
    assert narrow, "no 320px view was swept"
    report = [f"[{s.view.name}] {url}: {what}" for s in narrow for url, what in s.overflow.items()]
    assert not report, "\n".join(report)


# ---------------------------------------------------------------- the tests: every page


def test_chromium_is_installed():
    assert chromium_problem() is None, chromium_problem()


def test_axe_is_bundled():
    assert AXE_JS.is_file(), f"axe-core is missing from axe_playwright_python: expected {AXE_JS}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_fixture_pages_have_no_axe_violations(fixture_sweeps, edition):
    assert len(of_edition(fixture_sweeps, edition)[0].pages) >= 10
    assert_no_violations(fixture_sweeps, edition)


@pytest.mark.parametrize("edition", EDITIONS)
def test_fixture_pages_make_no_outside_requests_and_set_no_cookies(fixture_sweeps, edition):
    assert_private(fixture_sweeps, edition)


@pytest.mark.parametrize("edition", EDITIONS)
def test_fixture_pages_do_not_scroll_sideways_at_320px(fixture_sweeps, edition):
    assert_reflow(fixture_sweeps, edition)


@pytest.mark.parametrize("edition", EDITIONS)
def test_demo_pages_have_no_axe_violations(demo_sweeps, edition):
    assert_no_violations(demo_sweeps, edition)


@pytest.mark.parametrize("edition", EDITIONS)
def test_demo_pages_make_no_outside_requests_and_set_no_cookies(demo_sweeps, edition):
    assert_private(demo_sweeps, edition)


@pytest.mark.parametrize("edition", EDITIONS)
def test_demo_pages_do_not_scroll_sideways_at_320px(demo_sweeps, edition):
    assert_reflow(demo_sweeps, edition)


# ---------------------------------------------------------------- the tests: keyboard and states


def all_fixture_pages(site: Served) -> list[str]:
    return site.pages("standard") + site.pages("young")


def describe(state: dict | None) -> str:
    if state is None:
        return "nothing (the page itself)"
    return f"<{state['tag']} class='{state['cls']}'> '{state['text']}'"


async def skip_link_problems(page: AsyncPage, url: str) -> list[str]:
    """The first Tab focuses a visible skip link; Enter on it moves focus into the main content, and
    the next Tab goes on from there."""
    await page.keyboard.press("Tab")
    first = await page.evaluate(FOCUS_STATE)
    if not first or "md-skip" not in first["cls"] or not (first["href"] or "").startswith("#"):
        return [f"{url}: the first Tab focused {describe(first)}, not the skip link"]
    problems = []
    if not (first["visible"] and first["onTop"] and first["ring"]):
        problems.append(f"{url}: the focused skip link is hidden or shows no focus ring: {first}")
    await page.keyboard.press("Enter")
    after = await page.evaluate(FOCUS_STATE)
    if not after or not after["inMain"]:
        return [*problems, f"{url}: after the skip link, focus is on {describe(after)}, not in the main content"]
    await page.keyboard.press("Tab")
    following = await page.evaluate(FOCUS_STATE)
    if not following or not following["afterMain"]:
        problems.append(
            f"{url}: the Tab after the skip link went back to {describe(following)}, not on from the main content"
        )
    return problems


@pytest.mark.parametrize("view", [WIDE, NARROW], ids=lambda v: v.name)
def test_first_tab_focuses_a_visible_skip_link_that_moves_focus_to_the_main_content(tabs, fixture_site, view):
    problems = tabs.run(each_page(tabs.browser, all_fixture_pages(fixture_site), skip_link_problems, view))
    assert not problems, "\n".join(problems)


async def focus_stop_problems(page: AsyncPage, url: str) -> list[str]:
    """Tab through the page until focus leaves it (or comes round to the skip link again); every stop
    must be visible, unobscured and ringed."""
    problems = []
    stops = 0
    for _ in range(MAX_TAB_STOPS):
        await page.keyboard.press("Tab")
        state = await page.evaluate(FOCUS_STATE)
        if state is None or (stops and "md-skip" in state["cls"]):
            break  # focus left the page, or came round to the skip link again
        stops += 1
        if not (state["visible"] and state["onTop"] and state["ring"]):
            problems.append(
                f"{url}: focus stop {stops} {describe(state)}: visible={state['visible']} "
                f"ring={state['ring']} covered by={state['covered']}"
            )
    assert 3 < stops < MAX_TAB_STOPS, f"{url}: {stops} focus stops"
    return problems


@pytest.mark.parametrize("view", [WIDE, NARROW], ids=lambda v: v.name)
def test_every_focus_stop_is_visible_unobscured_and_has_a_focus_ring(tabs, fixture_site, view):
    """Tab through each page until focus leaves it; every stop must show where focus is."""
    urls = all_fixture_pages(fixture_site)
    problems = tabs.run(each_page(tabs.browser, urls, focus_stop_problems, view, reduced_motion=True))
    assert not problems, "\n".join(problems)


# Resolves once the page's styles have caught up (two frames) and every finite animation and
# transition has ended (a fade in, for one); never later than 10 seconds.
SETTLED = """async () => {
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const ending = document.getAnimations().filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  const finished = Promise.all(ending.map(a => a.finished.catch(() => null)));
  await Promise.race([finished, new Promise(done => setTimeout(done, 10000))]);
}"""
MENU_OPEN = "() => document.getElementById('__drawer').checked"
IN_MENU = "() => document.querySelector('.md-sidebar--primary').contains(document.activeElement)"
ON_MENU_BUTTON = "() => document.activeElement.matches('label[for=__drawer]')"


def test_the_menu_button_works_from_the_keyboard_on_a_narrow_screen(browser, fixture_site):
    context = new_context(browser, view=NARROW)
    try:
        page = context.new_page()
        for url in (fixture_site.base, fixture_site.base + "young/"):
            open_page(page, url)
            for _ in range(5):
                page.keyboard.press("Tab")
                if page.evaluate(ON_MENU_BUTTON):
                    break
            else:
                pytest.fail(f"{url}: the menu button cannot be reached with Tab")
            page.keyboard.press("Enter")
            state = page.evaluate(FOCUS_STATE)
            assert page.evaluate(MENU_OPEN), f"{url}: Enter did not open the menu"
            assert state and state["visible"] and state["onTop"] and state["ring"], (
                f"{url}: after opening the menu, focus is on {describe(state)} ({state})"
            )
            assert page.evaluate(IN_MENU), f"{url}: after opening the menu, focus is not in it"
            page.keyboard.press("Escape")
            assert not page.evaluate(MENU_OPEN), f"{url}: Escape left the menu open"
            assert page.evaluate(ON_MENU_BUTTON), f"{url}: Escape did not return focus to the menu button"
            found = run_axe(page)
            assert not found, "\n".join(format_violations(url + " (menu opened and closed)", found))
    finally:
        context.close()


@pytest.mark.parametrize("view", FIXTURE_VIEWS, ids=lambda v: v.name)
def test_search_results_have_no_axe_violations(browser, fixture_site, view):
    report = []
    context = new_context(browser, view=view)
    try:
        page = context.new_page()
        for url in (fixture_site.base + "performance/", fixture_site.base + "young/performance/"):
            open_page(page, url)
            page.focus(".md-search__input")
            page.keyboard.type("care")
            page.wait_for_selector(".md-search-result__item", state="visible")
            page.evaluate(SETTLED)  # the results panel fades in
            found = run_axe(page)
            if found:
                report.extend(format_violations(f"{url} (search for 'care')", found))
    finally:
        context.close()
    assert not report, "\n".join(report)


def test_young_edition_body_text_is_at_least_18px(browser, fixture_site):
    problems = []
    context = new_context(browser)
    try:
        page = context.new_page()
        for url in fixture_site.pages("young"):
            open_page(page, url)
            size = page.evaluate("""() => {
              const p = document.querySelector("article.md-typeset p");
              return p ? parseFloat(getComputedStyle(p).fontSize) : null;
            }""")
            if size is None or size < YOUNG_BODY_MIN_PX:
                problems.append(f"{url}: body text is {size}px")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_young_edition_keeps_its_own_purple_header_in_both_colour_schemes(browser, fixture_site, scheme):
    """The council's brand colour is the standard edition's; young readers see one look in light and dark."""
    context = new_context(browser, view=View(scheme, 1280, 800))
    try:
        page = context.new_page()
        open_page(page, fixture_site.pages("young")[0])
        header = page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).backgroundColor")
        link = page.evaluate("""() => {
          const a = document.querySelector("article.md-typeset a");
          return a ? getComputedStyle(a).color : null;
        }""")
    finally:
        context.close()
    assert header == "rgb(59, 31, 102)", header
    assert link != "rgb(74, 42, 128)" or scheme == "light", "dark mode links would be dark purple on dark grey"


def test_kpi_table_of_values_fits_a_320px_screen_without_a_sideways_scroll(browser, fixture_site):
    """On a phone each row of a KPI's values is a card: no column is squeezed to a word per line."""
    context = new_context(browser, view=NARROW)
    try:
        page = context.new_page()
        kpi_pages = [
            u for u in fixture_site.pages("standard") if "/performance/" in u and not u.endswith("/performance/")
        ]
        assert kpi_pages
        open_page(page, kpi_pages[0])
        found = page.evaluate("""() => Array.from(document.querySelectorAll(".ps-stack")).map(wrap => ({
          overflow: wrap.scrollWidth - wrap.clientWidth,
          narrowest: Math.min(...Array.from(wrap.querySelectorAll("td")).filter(td => td.offsetWidth > 0)
                                  .map(td => td.getBoundingClientRect().width)),
        }))""")
    finally:
        context.close()
    assert found, "the KPI page has a table of values"
    for table in found:
        assert table["overflow"] <= 1, table
        assert table["narrowest"] >= 200, table


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


# "Read this page to me": the browser's speech synthesis is replaced, at the browser API only, by a
# recorder that ends each utterance at once, so the test hears exactly what the page asked to say.
# With window.__holdSpeech set, an utterance is not ended until the test says so: the page is then
# still reading however long the test takes to look (a page read to its end in a few milliseconds
# raced the test's next look on a busy machine).
FAKE_SPEECH = """(() => {
  const log = [];
  window.__spoken = log;
  window.__holdSpeech = false;
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.onend = null; };
  const synth = {
    speaking: false, paused: false,
    speak(u) {
      log.push({said: u.text});
      if (!window.__holdSpeech) setTimeout(() => { if (!synth.paused && u.onend) u.onend(); }, 0);
    },
    pause() { synth.paused = true; log.push({call: "pause"}); },
    resume() { synth.paused = false; log.push({call: "resume"}); },
    cancel() { log.push({call: "cancel"}); },
    getVoices() { return []; },
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
})();"""
NO_SPEECH = """(() => {
  Object.defineProperty(window, "speechSynthesis", {value: undefined, configurable: true});
  Object.defineProperty(window, "SpeechSynthesisUtterance", {value: undefined, configurable: true});
})();"""


def test_read_aloud_button_speaks_a_young_page_and_pauses_and_stops(browser, fixture_site):
    blocked: list[str] = []
    context = new_context(browser, blocked)
    context.add_init_script(FAKE_SPEECH)
    page = context.new_page()
    open_page(page, fixture_site.base + "young/local-offer/money/")
    play = page.locator('[data-ps-action="play"]')
    assert play.is_visible() and play.inner_text().strip().endswith("Read this page to me")
    play.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__spoken.filter(e => e.said).length >= 3")
    said = [e["said"] for e in page.evaluate("() => window.__spoken") if "said" in e]
    heading = page.locator("article h1").inner_text().strip()
    assert said[0] == heading, said[:3]
    assert any("£2,000, once" in s for s in said), said
    assert not any("Read this page to me" in s or "full version" in s for s in said), said
    assert play.get_attribute("aria-pressed") in ("true", "false")
    page.wait_for_function("() => document.querySelector('[data-ps-label]').textContent === 'Read this page to me'")
    page.evaluate("() => { window.__holdSpeech = true; }")
    page.keyboard.press("Enter")  # read again, then pause it from the keyboard
    assert page.locator("[data-ps-label]").inner_text() == "Pause"
    page.keyboard.press("Enter")
    assert page.locator("[data-ps-label]").inner_text() == "Carry on reading"
    assert {"call": "pause"} in page.evaluate("() => window.__spoken")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.psAction") == "stop"
    page.keyboard.press("Enter")
    assert page.locator("[data-ps-label]").inner_text() == "Read this page to me"
    assert page.evaluate("() => window.__spoken.at(-1)") == {"call": "cancel"}
    assert page.evaluate("() => document.activeElement.dataset.psAction") == "play"
    assert blocked == []
    context.close()


def test_read_aloud_button_is_absent_without_speech_synthesis_and_in_the_standard_edition(browser, fixture_site):
    context = new_context(browser)
    context.add_init_script(NO_SPEECH)
    page = context.new_page()
    open_page(page, fixture_site.base + "young/local-offer/money/")
    assert page.locator("[data-ps-read-aloud]").count() == 1
    assert not page.locator("[data-ps-read-aloud]").is_visible()
    assert not page.get_by_role("button", name="Read this page to me").count()
    context.close()
    context = new_context(browser)
    page = context.new_page()
    open_page(page, fixture_site.base + "local-offer/money/")
    assert page.locator("[data-ps-read-aloud]").count() == 0
    context.close()
