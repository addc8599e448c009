"""The site served from a sub-folder of a council's domain, as most councils would publish it.

The demo is built with `site_url: https://www.northby.gov.uk/corporate-parenting/` (`demo_build`)
and served here under `/corporate-parenting/` only: every other path is a 404. Every link and
asset of every page of both editions is followed over HTTP; absolute links to the site's own
address (canonical links, the sitemap, feeds, the calendar) must name the sub-folder; and one page
of each kind is opened in Chromium, which must load every file it asks for.
"""

from __future__ import annotations

import functools
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import SUBFOLDER_SITE_URL

pytestmark = pytest.mark.browser

PREFIX = urlsplit(SUBFOLDER_SITE_URL).path  # "/corporate-parenting/"
PAGE_KINDS = (
    "",
    "performance/",
    "performance/children-looked-after/",
    "pledge/",
    "local-offer/",
    "local-offer/money/",
    "events/",
    "meetings/",
    "meetings/2023-03-28/",
    "meetings/2023-03-28-pack/",
    "accessibility/",
    "young/",
    "young/local-offer/",
    "young/performance/",
)


class _UnderPrefix(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the standard library's name
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_sub_folder__")
        return super().translate_path("/" + path[len(PREFIX) :])


@pytest.fixture(scope="module")
def served(demo_build: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_UnderPrefix, directory=str(demo_build)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    server.shutdown()
    server.server_close()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if not value:
                continue
            if name in ("href", "src") and not (tag == "a" and value.startswith("#")):
                self.found.append(value)
            elif name == "srcset":
                self.found += [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


def _local(url: str, base: str) -> str | None:
    """The URL to fetch here for a link: our own address mapped to this server; another host's: None."""
    if url.startswith(SUBFOLDER_SITE_URL):
        return base + url[len(SUBFOLDER_SITE_URL) :]
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel", "data", "javascript") or (parts.netloc and not url.startswith(base)):
        return None
    return url


def test_every_link_and_asset_of_every_page_is_inside_the_sub_folder(served):
    base = served
    origin = base[: -len(PREFIX) + 1]
    queue, seen, broken, outside = [base, base + "young/"], set(), [], []
    pages = 0
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        status, body, kind = _get(page)
        if status != 200:
            broken.append((page, status))
            continue
        if "html" not in kind:
            continue
        pages += 1
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        for link in parser.found:
            absolute = urljoin(page, link)
            if absolute.startswith(SUBFOLDER_SITE_URL[: -len(PREFIX)]) and not absolute.startswith(SUBFOLDER_SITE_URL):
                outside.append((page, link))  # our own domain, but not the sub-folder
            target = _local(absolute, base)
            if target is None:
                continue
            target = target.split("#")[0]
            if not target.startswith(base):
                outside.append((page, link))
            elif target.endswith("/") or target.endswith(".html"):
                queue.append(target)
            elif target not in seen:
                seen.add(target)
                status, _, _ = _get(target)
                if status != 200:
                    broken.append((target, status))
    assert pages > 150, f"only {pages} pages were reached from the home pages"
    assert not outside, f"links that leave the sub-folder {PREFIX}: {outside[:10]}"
    assert not broken, f"broken links or assets: {broken[:10]}"
    assert origin.startswith("http://127.0.0.1:")


def test_addresses_written_out_name_the_sub_folder(demo_build):
    sitemap = (demo_build / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locations and all(loc.startswith(SUBFOLDER_SITE_URL) for loc in locations)
    home = (demo_build / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SUBFOLDER_SITE_URL}">' in home
    feeds = sorted(demo_build.glob("*.xml")) + sorted(demo_build.rglob("*.atom")) + sorted(demo_build.rglob("*.ics"))
    texts = [path.read_text(encoding="utf-8") for path in feeds if path.name != "sitemap.xml"]
    assert texts, "the site has feeds and a calendar"
    for text in texts:
        written = re.findall(r"https?://[^\s\"<>]+", text)
        ours = [url for url in written if "northby.gov.uk" in url]
        assert ours and all(url.startswith(SUBFOLDER_SITE_URL) for url in ours), ours[:5]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from generator.pdf_packs import CHROMIUM_ARGS, find_chromium

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.mark.parametrize("path", PAGE_KINDS)
def test_each_kind_of_page_loads_every_file_it_asks_for(served, browser, path):
    failures: list[str] = []
    page = browser.new_page()
    try:
        page.on("requestfailed", lambda request: failures.append(f"failed {request.url}"))
        page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        response = page.goto(served + path, wait_until="networkidle")
        assert response is not None and response.status == 200
    finally:
        page.close()
    assert not failures, failures
