"""The core: validated data in, the Markdown pages, charts and CSV files of one edition out."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .abbreviations import with_abbreviations
from .accessibility import build_statement
from .branding import BRAND_CSS, brand_css, check_branding
from .charts import ChartCache
from .check_memo import CheckMemo
from .configured import check_configured
from .content import ContentPage, load_content
from .content_pages import render_content_pages
from .dataset import Dataset, DatasetLoader, load_dataset
from .dating import check_dating_words
from .editions import OTHER, SWITCH_TEXT, Edition
from .errors import Problem, Problems, display_path
from .feeds import check_feed_text
from .icons import section_icons_css
from .images import check_images, published_pictures
from .link_check import check_links, published_files
from .numbers import check_numbers
from .offer import check_offer
from .output_safety import html_title
from .pages import KINDS, Build, Output, Page, edition_switch_href
from .pages.common import common_context
from .pages.kind import context_variables
from .privacy import check_free_text
from .registry import SECTIONS
from .render_memo import RenderMemo, shared_inputs
from .rendering import front_matter, make_environment, render
from .settings import Settings, load_settings, project_paths, read_config
from .theme import check_theme, find_template, override_dirs, template_dirs
from .urls import Urls, real_site_url
from .young_checks import check_young_pages, check_young_requirements

Progress = Callable[[str], None]

SECTION_NAV_ORDER = {record.key: record.nav_order for record in SECTIONS}
"""Where each section sits in the navigation (`generator.registry`); a hand-written page's
`nav_order` sorts among them."""
SEARCH_EXCLUDED = {"exclude": True}
"""Front matter `search:` of a page left out of site search (Material's search plugin reads it)."""


@dataclass
class Project:
    """Everything loaded and validated once; each edition is then generated from it."""

    root: Path
    config_path: Path
    settings: Settings
    dataset: Dataset
    problems: Problems
    today: dt.date = field(default_factory=lambda: build_date())
    pdf_packs: bool = False
    """Set by `panelsite build --pdf`: meeting pages link each pack's tagged PDF."""


@dataclass
class GeneratedSite:
    edition: Edition
    pages: dict[str, str] = field(default_factory=dict)
    assets: dict[str, bytes] = field(default_factory=dict)
    nav: list[dict[str, str]] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    charts_rendered: int = 0
    charts_reused: int = 0


class ProjectNotLoaded(Exception):
    """site_config.yml could not be read, so nothing else was: `problems` says why, located."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems.errors)} problem(s) in the configuration")
        self.problems = problems


def load_project(
    config_path: Path,
    progress: Progress | None = None,
    loader: DatasetLoader | None = None,
    checks: CheckMemo | None = None,
) -> Project:
    """Load and validate settings and data once; the project's `problems` lists what was found.

    Raises `ProjectNotLoaded` when the settings cannot be read (then no data is read either). A
    `loader` kept between loads (`serve`) parses again only the data files that changed, and `checks`
    kept with it runs the checks of one file at a time again only on those files.
    """
    root = config_path.parent
    settings, problems = load_settings(config_path, root)
    if settings is None:
        raise ProjectNotLoaded(problems)
    paths = project_paths(config_path, settings)
    dataset, found = load_dataset(paths["data_dir"], root, progress, settings.limits.limits(), loader)
    problems.extend(found)
    problems.extend(check_numbers(dataset))
    problems.extend(check_young_requirements(dataset, settings))
    problems.extend(check_configured(dataset, settings))
    problems.extend(check_theme(config_path, settings))
    problems.extend(check_branding(settings, paths["content_dir"], override_dirs(config_path, settings)))
    if checks is not None:
        checks.begin()
    problems.extend(check_free_text(dataset, settings, checks))
    problems.extend(check_feed_text(dataset, settings, checks))
    today = build_date()
    problems.extend(check_offer(dataset, settings))
    problems.extend(check_dating_words(dataset, today, checks))
    if checks is not None:
        checks.end()
    problems.extend(check_images(dataset, paths["content_dir"], today, root))
    return Project(root, config_path, settings, dataset, problems, today)


def build_date() -> dt.date:
    """Today, or the day of `SOURCE_DATE_EPOCH` when set (reproducible builds, and tests of dated rules)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def generate(
    project: Project,
    edition: Edition | str,
    cache: ChartCache | None = None,
    progress: Progress | None = None,
    memo: RenderMemo | None = None,
) -> GeneratedSite:
    """Render every page, chart and CSV file of one edition. Problems are returned, never raised.

    With a `memo` kept from the last build of the edition (`panelsite serve`), a page whose inputs
    are unchanged is taken from it instead of being rendered again. A plain edition name ("young") is taken
    as its `Edition`.
    """
    edition = Edition(edition)
    site = GeneratedSite(edition, problems=Problems(list(project.problems.items)))
    if site.problems.has_errors:
        return site
    paths = project_paths(project.config_path, project.settings)
    cache = cache or ChartCache(paths["cache_dir"] / "charts")
    cache.reset_counts()
    templates = template_dirs(project.config_path, project.settings)
    env = make_environment(templates, edition)
    config = read_config(project.config_path)
    build = _build(project, edition, config, cache, memo)
    planned = [(kind, kind.plan(build)) for kind in KINDS]
    pages = [page for _, kind_pages in planned for page in kind_pages]
    drawn_ahead = sum(kind.prepare(build, kind_pages) for kind, kind_pages in planned)
    content, found = load_content(paths["content_dir"], edition, project.root, project.settings.limits.limits())
    site.problems.extend(found)
    other_paths = _page_paths(project, OTHER[edition], paths["content_dir"], config)
    site_name = project.settings.young_site_name if edition is Edition.YOUNG else config.get("site_name")
    if progress:
        progress(f"{edition} edition: rendering {len(pages) + len(content)} pages")
    if memo is not None:
        memo.begin(shared_inputs(build, templates))
    for page in pages:
        try:
            text = _page_markdown(env, build, page, site, memo)
        except jinja2.TemplateError as exc:
            site.problems.add(_template_problem(templates, edition, page.template, exc, project.root))
            continue
        meta: dict[str, Any] = (
            {"title": page.title} if page.searched else {"title": page.title, "search": SEARCH_EXCLUDED}
        )
        site.pages[page.path] = _finished(memo, text, meta, page.path, edition, other_paths, project.dataset)
    rendered, found = render_content_pages(content, project.settings, project.dataset, edition, project.today)
    site.problems.extend(found)
    for content_page in content:
        if content_page.path in rendered:
            text = rendered[content_page.path]
            site.pages[content_page.path] = _finished(
                memo,
                text,
                _content_meta(content_page, site_name, text),
                content_page.path,
                edition,
                other_paths,
                project.dataset,
            )
    if memo is not None:
        memo.end()
        if progress:
            progress(f"{edition} edition: {memo.rendered} pages rendered, {memo.reused} unchanged since the last build")
    site.nav = _nav(pages, content, build.urls)
    css = brand_css(project.settings)
    if css:
        site.assets[BRAND_CSS] = css.encode("utf-8")
    for kind in KINDS:
        site.assets.update(kind.files(build))
    pictures, found = published_pictures(paths["content_dir"], project.root)  # re-encoded, no metadata
    site.assets.update(pictures)
    site.problems.extend(found)
    published = published_files(site.assets, paths["content_dir"], override_dirs(project.config_path, project.settings))
    site.problems.extend(check_links(site.pages, content, edition, project.settings.children_council.slug, published))
    if edition is Edition.YOUNG:
        site.assets["assets/stylesheets/section-icons.css"] = section_icons_css(set(site.pages), build.urls).encode(
            "utf-8"
        )
        site.problems.extend(check_young_pages(site.pages, project.dataset, project.settings, content))
    cache.save()  # the charts this edition drew or used, listed in the cache's manifest
    # Charts drawn ahead in parallel were counted as drawn then, not as reused when the pages took them.
    site.charts_rendered, site.charts_reused = cache.rendered, cache.reused - drawn_ahead
    if progress:
        progress(
            f"{edition} edition: {len(site.pages)} pages, charts rendered {site.charts_rendered}, "
            f"from cache {site.charts_reused}"
        )
    return site


def _build(
    project: Project, edition: Edition, config: dict[str, Any], cache: ChartCache | None, memo: RenderMemo | None = None
) -> Build:
    """What every page kind reads for this edition."""
    settings = project.settings
    site_url = real_site_url(config.get("site_url"))
    statement = build_statement(
        settings, project.dataset, str(config.get("site_name") or settings.council), site_url, project.pdf_packs
    )
    return Build(
        project.dataset,
        settings,
        edition,
        project.today,
        Urls(settings.children_council.slug),
        statement,
        site_url,
        cache,
        project.pdf_packs and edition is Edition.STANDARD,
        memo,
    )


def _page_markdown(
    env: jinja2.Environment, build: Build, page: Page, site: GeneratedSite, memo: RenderMemo | None
) -> str:
    """A page's Markdown, from the memo when its inputs are unchanged, else rendered now; the files
    and problems rendering it produced go to `site` either way."""
    kept = memo.get(page) if memo is not None else None
    if kept is not None:
        text, assets, problems = kept.text, kept.assets, kept.problems
    else:
        output = Output()
        text = _render_page(env, build, page, output)
        assets, problems = output.assets, tuple(output.problems.items)
        if memo is not None:
            memo.put(page, text, assets, problems)
    site.assets.update(assets)
    site.problems.extend(list(problems))
    return text


def _render_page(env: jinja2.Environment, build: Build, page: Page, output: Output) -> str:
    """A page's Markdown: its template given the common variables and the kind's own context."""
    context = page.build_context(output)
    variables = context_variables(common_context(build, page.path, page.title)) | context_variables(context)
    return render(env, page.template, variables)


def _content_meta(page: ContentPage, site_name: str | None, rendered: str) -> dict[str, str]:
    """The browser title of a hand-written page is its heading as rendered; the nav label may be shorter.

    The heading is read after templating (so `# About the {{ site.panel }}` gives the panel's name)
    and its character references are decoded, since the title is plain text. A home page whose
    heading is the site's name gets no title of its own, so the browser shows the name only once.
    """
    found = re.search(r"^# (.+)$", rendered, re.M)
    heading = html.unescape(found.group(1).strip()) if found else page.heading
    if page.path == "index.md" and heading in (None, site_name):
        return {}
    return {"title": heading or page.title}


def _page_paths(project: Project, edition: Edition, content_dir: Path, config: dict[str, Any]) -> set[str]:
    """Every page of the other edition, for the switch link (its contexts are planned, not built)."""
    build = _build(project, edition, config, None)
    content, _ = load_content(content_dir, edition, project.root)
    return {p.path for kind in KINDS for p in kind.plan(build)} | {c.path for c in content}


def _finished(
    memo: RenderMemo | None,
    body: str,
    meta: dict[str, Any],
    path: str,
    edition: Edition,
    other_paths: set[str],
    dataset: Dataset,
) -> str:
    """`_finish`; with a memo (`serve`), its result in the last build when the body, front matter,
    switch link and glossary are the same (the edition is among what every page reads)."""
    if memo is None:
        return _finish(body, meta, path, edition, other_paths, dataset)
    inputs = (body, meta, path in other_paths, dataset.glossary)
    return memo.remember(f"page {path}", inputs, lambda: _finish(body, meta, path, edition, other_paths, dataset))


def _finish(
    body: str, meta: dict[str, Any], path: str, edition: Edition, other_paths: set[str], dataset: Dataset
) -> str:
    """Front matter (by a YAML serializer), the edition switch, the body, then abbreviation definitions."""
    body = _with_switch(body, path, edition, other_paths)
    if isinstance(meta.get("title"), str):  # MkDocs reads a page title as HTML (`output_safety`)
        meta = {**meta, "title": html_title(meta["title"])}
    return front_matter(meta) + _with_abbreviations(body, dataset, edition)


def _with_abbreviations(text: str, dataset: Dataset, edition: Edition) -> str:
    """Append Markdown abbreviation definitions for the glossary acronyms the page uses (`<abbr>`)."""
    return with_abbreviations(text, dataset.glossary, edition)


def _with_switch(text: str, path: str, edition: Edition, other_paths: set[str]) -> str:
    """Insert a link to the same page in the other edition, after any front matter."""
    if path not in other_paths:
        return text
    href = edition_switch_href(path, edition)
    return f'<p class="ps-edition-switch"><a href="{href}">{SWITCH_TEXT[edition]}</a></p>\n\n' + text


def _nav(pages: list[Page], content: list[ContentPage], urls: Urls) -> list[dict[str, str]]:
    """Home first, then the generated sections (10, 20 … 85, `generator.registry`) and hand-written
    pages sorted by nav_order.

    A hand-written page without nav_order comes after the sections; `nav_order: 5` puts it first.
    """
    order = {urls.sections()[key]: rank for key, rank in SECTION_NAV_ORDER.items()}
    entries: list[tuple[float, int, str, str]] = []
    for page in pages:
        if page.in_nav and page.path in order:
            entries.append((order[page.path], 0, page.path, page.title))
    for item in content:
        if item.path != "index.md" and item.meta.get("nav", True):
            entries.append((item.nav_order if item.nav_order is not None else 999, 1, item.path, item.title))
    nav: list[dict[str, str]] = [{"Home": "index.md"}] if any(c.path == "index.md" for c in content) else []
    return nav + [{html_title(title): path} for _, _, path, title in sorted(entries)]


def _template_problem(
    dirs: list[Path], edition: Edition, template: str, exc: jinja2.TemplateError, root: Path
) -> Problem:
    """A template error, located in the file that was used (the council's or the packaged one)."""
    young = [d / "young" for d in dirs] if edition is Edition.YOUNG else []
    used = find_template([*young, *dirs], template)
    if isinstance(exc, jinja2.TemplateNotFound) and used is None:
        return Problem(
            display_path(dirs[0] / template, root),
            1,
            1,
            "",
            f"template {exc.name} not found in {' or '.join(display_path(d, root) for d in dirs)}",
            hint="reinstall panelsite, or add the file to your theme/templates/",
        )
    return Problem(display_path(used or dirs[0] / template, root), _template_line(exc), 1, "", f"template error: {exc}")


def _template_line(exc: jinja2.TemplateError) -> int:
    """The template line an error happened on (syntax errors carry it; runtime errors are in the traceback)."""
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int) and lineno > 0:
        return lineno
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".j2", "<template>"))]
    return (frames[-1].lineno or 1) if frames else 1
