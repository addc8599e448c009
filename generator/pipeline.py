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

import jinja2
from markupsafe import Markup

from . import metrics, offer
from .abbreviations import with_abbreviations
from .accessibility import Statement, build_statement
from .archive import next_meeting
from .branding import BRAND_CSS, brand_css, check_branding
from .chart_pool import draw_in_parallel
from .charts import ChartCache, ChartTextOutside, csv_text, render_kpi_charts, table_rows
from .charts.kpi_charts import UNIT_LABELS
from .configured import check_configured
from .content import ContentPage, load_content
from .content_pages import render_content_pages
from .dataset import Dataset, DatasetLoader, load_dataset
from .dating import check_dating_words
from .editions import OTHER, SWITCH_TEXT, check_young_requirements
from .errors import Problem, Problems, display_path
from .icons import icon, section_icons_css
from .images import check_images, published_images
from .link_check import check_links
from .models.entitlement import who_for
from .numbers import check_numbers
from .offer import check_offer
from .pages import PageSpec, edition_switch_href, plan_pages, relative_href
from .pages.meetings import meeting_assets
from .pages.plan import long_date
from .privacy import check_free_text
from .rendering import front_matter, make_environment, render
from .settings import Settings, load_settings, project_paths, read_config
from .theme import check_theme, find_template, override_dirs, template_dirs
from .young_checks import check_young_pages

Progress = Callable[[str], None]

SECTION_NAV_ORDER = {"performance": 10, "children_council": 20, "pledge": 30, "local-offer": 40, "events": 50,
                     "meetings": 60, "glossary": 70}
"""Where each generated section sits in the navigation; a hand-written page's `nav_order` sorts among them."""
ACCESSIBILITY_NAV_ORDER = 85
"""The generated accessibility statement comes after the hand-written pages (about 80 and below)."""


@dataclass
class Project:
    """Everything loaded and validated once; each edition is then generated from it."""

    root: Path
    config_path: Path
    settings: Settings
    dataset: Dataset
    problems: Problems
    today: dt.date = field(default_factory=lambda: build_date())


@dataclass
class GeneratedSite:
    edition: str
    pages: dict[str, str] = field(default_factory=dict)
    assets: dict[str, bytes] = field(default_factory=dict)
    nav: list[dict[str, str]] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    charts_rendered: int = 0
    charts_reused: int = 0


def load_project(config_path: Path, progress: Progress | None = None,
                 loader: DatasetLoader | None = None) -> Project | Problems:
    """Load settings and data, returning the project (possibly with problems) or only problems.

    A `loader` kept between loads (`serve`) parses again only the data files that changed."""
    root = config_path.parent
    settings, problems = load_settings(config_path, root)
    if settings is None:
        return problems
    paths = project_paths(config_path, settings)
    dataset, found = load_dataset(paths["data_dir"], root, progress, settings.limits.limits(), loader)
    problems.extend(found)
    problems.extend(check_numbers(dataset))
    problems.extend(check_young_requirements(dataset, settings))
    problems.extend(check_configured(dataset, settings))
    problems.extend(check_theme(config_path, settings))
    problems.extend(check_branding(settings, paths["content_dir"], override_dirs(config_path, settings)))
    problems.extend(check_free_text(dataset, settings))
    today = build_date()
    problems.extend(check_offer(dataset, settings))
    problems.extend(check_dating_words(dataset, today))
    problems.extend(check_images(dataset, paths["content_dir"], today))
    return Project(root, config_path, settings, dataset, problems, today)


def build_date() -> dt.date:
    """Today, or the day of `SOURCE_DATE_EPOCH` when set (reproducible builds, and tests of dated rules)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def generate(project: Project, edition: str, cache: ChartCache | None = None,
             progress: Progress | None = None) -> GeneratedSite:
    """Render every page, chart and CSV file of one edition. Problems are returned, never raised."""
    site = GeneratedSite(edition, problems=Problems(list(project.problems.items)))
    if site.problems.has_errors:
        return site
    paths = project_paths(project.config_path, project.settings)
    cache = cache or ChartCache(paths["cache_dir"] / "charts")
    cache.reset_counts()
    templates = template_dirs(project.config_path, project.settings)
    env = make_environment(templates, edition)
    config = read_config(project.config_path)
    statement = _statement(project, config)
    specs = plan_pages(project.dataset, project.settings, edition, statement)
    drawn_ahead = draw_in_parallel([s.context["kpi"] for s in specs if s.template == "kpi.md.j2"], edition, cache,
                                   area_name=project.settings.area_name)
    content, found = load_content(paths["content_dir"], edition, project.root, project.settings.limits.limits())
    site.problems.extend(found)
    other_paths = _page_paths(project, OTHER[edition], paths["content_dir"], statement)
    site_name = project.settings.young_site_name if edition == "young" else config.get(
        "site_name")
    if progress:
        progress(f"{edition} edition: rendering {len(specs) + len(content)} pages")
    for spec in specs:
        try:
            text = _render_spec(env, project, edition, spec, cache, site)
        except jinja2.TemplateError as exc:
            site.problems.add(_template_problem(templates, edition, spec.template, exc, project.root))
            continue
        site.pages[spec.path] = _finish(text, {"title": spec.title}, spec.path, edition, other_paths,
                                        project.dataset)
    rendered, found = render_content_pages(content, project.settings, project.dataset, edition)
    site.problems.extend(found)
    for page in content:
        if page.path in rendered:
            site.pages[page.path] = _finish(rendered[page.path], _content_meta(page, site_name, rendered[page.path]),
                                            page.path,
                                            edition, other_paths, project.dataset)
    site.nav = _nav(specs, content, project.settings)
    css = brand_css(project.settings)
    if css:
        site.assets[BRAND_CSS] = css.encode("utf-8")
    site.assets.update(meeting_assets(project.dataset, project.settings, project.config_path, edition))
    site.problems.extend(check_links(site.pages, content, edition, project.settings.children_council.slug))
    if edition == "young":
        site.assets["assets/stylesheets/section-icons.css"] = section_icons_css(set(site.pages)).encode("utf-8")
        site.problems.extend(check_young_pages(site.pages, project.dataset, project.settings, content))
    # Charts drawn ahead in parallel were counted as drawn then, not as reused when the pages took them.
    site.charts_rendered, site.charts_reused = cache.rendered, cache.reused - drawn_ahead
    if progress:
        progress(f"{edition} edition: {len(site.pages)} pages, charts rendered {site.charts_rendered}, "
                 f"from cache {site.charts_reused}")
    return site


def render_template(template: jinja2.Template, context: dict) -> str:
    return template.render(**context).strip() + "\n"


def _render_spec(env: jinja2.Environment, project: Project, edition: str, spec: PageSpec,
                 cache: ChartCache, site: GeneratedSite) -> str:
    context = _context(project, edition, spec.path) | spec.context | {"page_title": spec.title}
    if spec.template == "kpi.md.j2":
        kpi = spec.context["kpi"]
        area = project.settings.area_name
        try:
            charts = render_kpi_charts(kpi, edition, cache, area)
        except ChartTextOutside as exc:
            doc = project.dataset.documents[project.dataset.origin("kpis", kpi.id)]
            line, column = doc.where(("title",))
            site.problems.add(Problem(doc.display, line, column, "title", str(exc),
                                      hint="shorten the title or labels"))
            charts = []
        rows = table_rows(kpi, project.dataset.source_title, area)
        for chart in charts:
            for filename, svg in chart.files:
                site.assets[f"performance/charts/{filename}"] = svg
        site.assets[f"performance/data/{kpi.id}.csv"] = csv_text(rows).encode("utf-8")
        context |= {"charts": charts, "rows": rows, "csv_href": f"data/{kpi.id}.csv",
                    "unit_label": UNIT_LABELS[kpi.unit]}
    return render(env, spec.template, context)


def _context(project: Project, edition: str, path: str) -> dict:
    dataset = project.dataset

    def link(target: str) -> str:
        return relative_href(path, target)

    return {
        "site": project.settings,
        "data": dataset,
        "edition": edition,
        "young": edition == "young",
        "metrics": metrics,
        "link": link,
        "long_date": long_date,
        "cite": lambda citation: _cite(dataset, citation),
        "Markup": Markup,
        "who_for": who_for,
        "icon": icon,
        "offer": offer,
        "published_images": lambda event: published_images(event, project.today),
        "next_meeting": next_meeting(dataset.meetings),  # archive.NextMeeting or None: when, time, venue, path
    }


def _cite(dataset: Dataset, citation) -> str:
    return dataset.source_title(citation.doc) + (f", {citation.where}" if citation.where else "")


def _statement(project: Project, config: dict) -> Statement | None:
    return build_statement(project.settings, project.dataset, str(config.get("site_name") or project.settings.council),
                           config.get("site_url"))


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


def _page_paths(project: Project, edition: str, content_dir: Path, statement: Statement | None) -> set[str]:
    specs = plan_pages(project.dataset, project.settings, edition, statement)
    content, _ = load_content(content_dir, edition, project.root)
    return {s.path for s in specs} | {c.path for c in content}


def _finish(body: str, meta: dict[str, str], path: str, edition: str, other_paths: set[str],
            dataset: Dataset) -> str:
    """Front matter (by a YAML serializer), the edition switch, the body, then abbreviation definitions."""
    body = _with_switch(body, path, edition, other_paths)
    return front_matter(meta) + _with_abbreviations(body, dataset, edition)


def _with_abbreviations(text: str, dataset: Dataset, edition: str) -> str:
    """Append Markdown abbreviation definitions for the glossary acronyms the page uses (`<abbr>`)."""
    return with_abbreviations(text, dataset.glossary, edition)


def _with_switch(text: str, path: str, edition: str, other_paths: set[str]) -> str:
    """Insert a link to the same page in the other edition, after any front matter."""
    if path not in other_paths:
        return text
    href = edition_switch_href(path, edition)
    return f'<p class="ps-edition-switch"><a href="{href}">{SWITCH_TEXT[edition]}</a></p>\n\n' + text


def _nav(specs: list[PageSpec], content: list[ContentPage], settings: Settings) -> list[dict[str, str]]:
    """Home first, then the generated sections (10, 20 … 70) and hand-written pages sorted by nav_order.

    A hand-written page without nav_order comes after the sections; `nav_order: 5` puts it first.
    """
    order = {f"{settings.children_council.slug if key == 'children_council' else key}/index.md": rank
             for key, rank in SECTION_NAV_ORDER.items()}
    entries: list[tuple[float, int, str, str]] = []
    for spec in specs:
        if spec.in_nav and spec.path in order:
            entries.append((order[spec.path], 0, spec.path, spec.title))
        elif spec.path == "accessibility.md":
            entries.append((ACCESSIBILITY_NAV_ORDER, 0, spec.path, spec.title))
    for page in content:
        if page.path != "index.md" and page.meta.get("nav", True):
            entries.append((page.nav_order if page.nav_order is not None else 999, 1, page.path, page.title))
    nav: list[dict[str, str]] = [{"Home": "index.md"}] if any(c.path == "index.md" for c in content) else []
    return nav + [{title: path} for _, _, path, title in sorted(entries)]


def _template_problem(dirs: list[Path], edition: str, template: str, exc: jinja2.TemplateError,
                      root: Path) -> Problem:
    """A template error, located in the file that was used (the council's or the packaged one)."""
    young = [d / "young" for d in dirs] if edition == "young" else []
    used = find_template([*young, *dirs], template)
    if isinstance(exc, jinja2.TemplateNotFound) and used is None:
        return Problem(display_path(dirs[0] / template, root), 1, 1, "",
                       f"template {exc.name} not found in {' or '.join(display_path(d, root) for d in dirs)}",
                       hint="reinstall panelsite, or add the file to your theme/templates/")
    return Problem(display_path(used or dirs[0] / template, root), _template_line(exc), 1, "",
                   f"template error: {exc}")


def _template_line(exc: jinja2.TemplateError) -> int:
    """The template line an error happened on (syntax errors carry it; runtime errors are in the traceback)."""
    if getattr(exc, "lineno", None):
        return exc.lineno
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".j2", "<template>"))]
    return frames[-1].lineno if frames else 1
