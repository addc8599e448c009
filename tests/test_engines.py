"""The `panelsite export` output builds with three engines, and search works on each.

One export per test session (module scope), and each engine builds each edition of it at most once:
plain MkDocs 1.6.1 (the reference), ProperDocs 1.6.7 (a fork of MkDocs 1.6 that runs the same
Material theme) and Zensical 0.0.73 (Material's successor, its own templates and search).
MkDocs and ProperDocs must write the same files, byte for byte, apart from the generator `<meta>`
that names the engine; Zensical must show the same article text on every page (whitespace aside).

The browser tests serve the ProperDocs and Zensical builds, open search the way a reader does (its
icon on a phone, its box or button on a wide screen), type a word the demo contains and expect
results: `search-on-demand.js` must step aside where Material's search is not on the page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from generator.cli import main
from tests.conftest import REPO
from tests.test_browser import NARROW, WIDE, View, launched_chromium, new_context, open_page, serve

pytestmark = pytest.mark.slow  # Zensical builds the exported demo in a subprocess, both editions

EDITIONS = ("standard", "young")
ENGINES = ("mkdocs", "properdocs", "zensical")
# MkDocs and Material stamp the build date into sitemap.xml; one fixed date makes engines comparable.
BUILD_ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1764547200", "NO_MKDOCS_2_WARNING": "1"}
GENERATOR_META = re.compile(rb'<meta name="generator" content="[^"]*">')


def html_for(markdown: Path, docs: Path) -> Path:
    """Where an engine with directory URLs writes the page of `markdown`."""
    relative = markdown.relative_to(docs).with_suffix("")
    return relative.parent / "index.html" if relative.name == "index" else relative / "index.html"


@dataclass
class Builds:
    """The export, and each engine's build of each edition, made the first time a test asks for it."""

    export: Path
    sites: dict[tuple[str, str], Path] = field(default_factory=dict)

    def site(self, engine: str, edition: str) -> Path:
        if (engine, edition) not in self.sites:
            self.sites[engine, edition] = self._build(engine, edition)
        return self.sites[engine, edition]

    def _build(self, engine: str, edition: str) -> Path:
        folder = self.export / edition
        out = self.export / "built" / f"{engine}-{edition}"
        command = [str(Path(sys.executable).with_name(engine)), "build", "--strict", "-f", str(folder / "mkdocs.yml")]
        if engine != "zensical":
            command += ["--site-dir", str(out)]  # Zensical has no such option: it writes to site_dir
        result = subprocess.run(command, capture_output=True, text=True, timeout=900, env=BUILD_ENV, cwd=folder)
        assert result.returncode == 0, f"{engine}, {edition} edition:\n{result.stdout}{result.stderr}"
        if engine == "zensical":
            shutil.move(folder / "site", out)
        return out


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    out = tmp_path_factory.mktemp("engines") / "export"
    assert main(["--config", str(REPO / "site_config.yml"), "export", str(out)]) == 0
    return Builds(out)


# ---------------------------------------------------------------- every page, on every engine


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_builds_every_page_and_chart(builds: Builds, engine: str, edition: str):
    site = builds.site(engine, edition)
    docs = builds.export / edition / "docs"
    pages = sorted(docs.rglob("*.md"))
    assert len(pages) > 10
    missing = [str(p.relative_to(docs)) for p in pages if not (site / html_for(p, docs)).is_file()]
    assert not missing, f"{engine} left out {len(missing)} page(s): {missing[:10]}"
    charts = sorted(docs.rglob("*.svg"))
    assert charts and all((site / c.relative_to(docs)).read_bytes() == c.read_bytes() for c in charts)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "panelsite.css" in home and "panelsite.js" in home, "the theme overrides are used"
    assert "search-on-demand.js" in home


def relative_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


@pytest.mark.parametrize("edition", EDITIONS)
def test_properdocs_writes_what_mkdocs_writes_but_for_the_generator_meta(builds: Builds, edition: str):
    mkdocs, properdocs = builds.site("mkdocs", edition), builds.site("properdocs", edition)
    names = relative_files(mkdocs)
    assert relative_files(properdocs) == names
    differ = []
    for name in names:
        ours, theirs = (mkdocs / name).read_bytes(), (properdocs / name).read_bytes()
        if name.endswith(".html"):
            assert GENERATOR_META.search(ours), f"{name}: no generator meta"
            assert b"mkdocs-1.6.1" in GENERATOR_META.search(ours).group()
            assert b"ProperDocs 1.6.7" in GENERATOR_META.search(theirs).group()
            ours, theirs = GENERATOR_META.sub(b"", ours), GENERATOR_META.sub(b"", theirs)
        if ours != theirs:
            differ.append(name)
    assert not differ, f"{len(differ)} file(s) differ between MkDocs and ProperDocs: {differ[:10]}"


class ArticleText(HTMLParser):
    """The text of a page's article (`<article class="md-content__inner ...">`), scripts left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.hidden = 0
        self.found = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += tag == "article"
            self.hidden += tag in ("script", "style")
        elif not self.found and tag == "article" and "md-content__inner" in (dict(attrs).get("class") or ""):
            self.depth = 1
            self.found = True

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= tag == "article"
            self.hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if self.depth and not self.hidden:
            self.parts.append(data)

    @classmethod
    def of(cls, page: Path) -> str:
        parser = cls()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.found, f"{page}: no article"
        return " ".join(" ".join(parser.parts).split())


@pytest.mark.parametrize("edition", EDITIONS)
def test_zensical_shows_the_same_article_text_as_mkdocs_on_every_page(builds: Builds, edition: str):
    mkdocs, zensical = builds.site("mkdocs", edition), builds.site("zensical", edition)
    pages = [p.relative_to(mkdocs) for p in sorted(mkdocs.rglob("*.html")) if p.name != "404.html"]
    assert len(pages) > 10
    differ = []
    for page in pages:
        ours, theirs = ArticleText.of(mkdocs / page), ArticleText.of(zensical / page)
        assert ours, f"{page}: the article is empty"
        if ours != theirs:
            at = next(i for i, (a, b) in enumerate(zip(ours + "\0", theirs + "\0", strict=False)) if a != b)
            differ.append(f"{page}: MkDocs …{ours[at - 30 : at + 50]!r} / Zensical …{theirs[at - 30 : at + 50]!r}")
    assert not differ, f"{len(differ)} of {len(pages)} page(s) differ:\n" + "\n".join(differ[:10])


def test_the_article_text_check_sees_a_changed_word(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        '<div><article class="md-content__inner md-typeset"><h1>Care</h1>\n<p>We  care'
        "<script>var x = 1;</script></p><article>inner</article><p>after</p></article><p>footer</p></div>",
        encoding="utf-8",
    )
    assert ArticleText.of(page) == "Care We care inner after"


# ---------------------------------------------------------------- search, in a browser

SEARCH_WORD = "care"  # in every page of both editions of the demo
# What a reader taps or clicks to open search: Material's icon (a phone) or box (a wide screen),
# Zensical's icon (a phone) or "Search" button (a wide screen). The first one that shows is used.
SEARCH_OPENERS = "label.md-header__button[for='__search'], .md-search__button, input.md-search__input"
# A result: Material's list item, or an option in Zensical's results list (inside its shadow root,
# which Playwright's CSS selectors reach).
SEARCH_RESULT = ".md-search-result__item, ol[role='listbox'] > li"
SEARCH_VIEWS = {"standard": WIDE, "young": NARROW}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launched_chromium()


@contextmanager
def opened(browser: Browser, site: Path, path: str, view: View) -> Iterator[tuple[Page, list[str]]]:
    """A page of a served site, and the list of every URL it has asked for so far."""
    with contextmanager(serve)(site) as served:
        context = new_context(browser, view=view)
        requested: list[str] = []
        context.on("request", lambda request: requested.append(request.url))
        try:
            page = context.new_page()
            open_page(page, served.base + path)
            page.wait_for_load_state("networkidle")
            yield page, requested
        finally:
            context.close()


def search_as_a_reader(page: Page, word: str) -> int:
    """Open search by tapping what shows, type `word`, and return how many results are listed."""
    page.locator(SEARCH_OPENERS).locator("visible=true").first.click()
    page.keyboard.type(word, delay=50)
    results = page.locator(SEARCH_RESULT)
    results.first.wait_for(state="attached", timeout=20_000)
    return results.count()


@pytest.mark.browser
@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("engine", ["zensical", "properdocs"])
def test_search_finds_results_on_every_engine(browser: Browser, builds: Builds, engine: str, edition: str):
    view = SEARCH_VIEWS[edition]
    with opened(browser, builds.site(engine, edition), "about/", view) as (page, requested):
        if engine == "properdocs":  # Material's search: held back until the reader opens it
            assert not [u for u in requested if "search_index" in u or "workers/search" in u], requested
        found = search_as_a_reader(page, SEARCH_WORD)
        assert found >= 1, f"{engine}, {edition} edition, {view.name}: no result for {SEARCH_WORD!r}"
        if engine == "properdocs":
            assert any("search/search_index.json" in u for u in requested)


# The LazyWorker that stands in for Material's search worker must behave like a Worker to scripts
# that set `onmessage` and `onerror` as properties rather than calling addEventListener. The real
# worker is Material's, spoken to in its own protocol (0 = set up an index, 1 = ready).
WORKER_PROPERTIES = """async (url) => {
  const answered = new Promise((resolve, reject) => {
    const worker = new Worker(url);
    const lazy = Object.getPrototypeOf(worker) !== Worker.prototype;
    worker.onmessage = (event) => resolve({type: event.data.type, lazy});
    worker.onerror = () => reject(new Error("the search worker failed"));
    const config = {lang: ["en"], separator: "[\\\\s\\\\-]+", pipeline: [], fields: {title: {boost: 1000}, text: {}}};
    worker.postMessage({type: 0, data: {config, docs: [{location: "", title: "Care", text: "care"}], options: {}}});
  });
  const failed = new Promise((resolve) => {
    const missing = new Worker(url.replace(/search\\.[^/]*$/, "search.missing.js"));
    missing.onerror = (event) => { event.preventDefault(); resolve("error"); };
    missing.postMessage({type: 0});
  });
  const timeout = new Promise((resolve) => setTimeout(() => resolve("timeout"), 10000));
  return {answer: await Promise.race([answered, timeout]), missing: await Promise.race([failed, timeout])};
}"""


@pytest.mark.browser
def test_the_held_back_search_worker_honours_onmessage_and_onerror(browser: Browser, builds: Builds):
    with opened(browser, builds.site("properdocs", "young"), "", WIDE) as (page, _):
        url = page.evaluate("() => JSON.parse(document.getElementById('__config').textContent).search")
        assert "workers/search." in url
        found = page.evaluate(WORKER_PROPERTIES, url)
    assert found == {"answer": {"type": 1, "lazy": True}, "missing": "error"}
